"""Issue 9: a NUL byte anywhere in a request is a 400 with the portal's translated error page,
before any view (PostgreSQL refuses NUL in text: it used to be a 500 wherever a query used it)."""
from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from applications.models import Application
from commissions.models import Generalization
from quota_portal.core.models import Country

pytestmark = pytest.mark.django_db

MESSAGE = "The request contains a character that is not allowed (a NUL byte)."


@pytest.fixture(autouse=True)
def _language_restored():
    """The requests activate a language in this thread (LocaleMiddleware); the next test gets its own."""
    from django.utils import translation

    with translation.override(translation.get_language()):
        yield


def english(client):
    client.cookies["qp_language"] = "en"
    return client


def assert_refused(response):
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


# --- the endpoints the issue names ----------------------------------------------------------------

def test_the_occupation_search_with_nul_is_400(cast, occupations):
    client = english(cast.client(cast.employer))
    assert_refused(client.get("/applications/occupations/", {"q": "св\x00ар"}))
    assert client.get("/applications/occupations/", {"q": "свар"}).status_code == 200


@pytest.mark.parametrize("name", ["status", "category", "occupation", "employer", "page"])
def test_every_inbox_filter_with_nul_is_400(cast, name):
    client = english(cast.client(cast.akimat_officer))
    assert_refused(client.get("/commissions/", {name: "a\x00"}))
    assert client.get("/commissions/", {name: "a"}).status_code == 200


def test_the_countries_search_and_a_country_url_with_nul_are_400(cast):
    Country.objects.get_or_create(alpha2="UZ", defaults={"name_ru": "Узбекистан", "name_kk": "Өзбекстан",
                                                         "name_en": "Uzbekistan"})
    before = Country.objects.get(alpha2="UZ").treaty_reference
    client = english(cast.client(cast.analyst))
    assert_refused(client.get("/ministry/countries/", {"q": "\x00"}))
    assert_refused(client.get("/ministry/countries/%00/"))
    assert_refused(client.get("/ministry/countries/U%00Z/"))
    assert_refused(client.post("/ministry/countries/UZ/", {"treaty_reference": "Договор\x00"}))
    assert client.get("/ministry/countries/UZ/").status_code == 200
    assert Country.objects.get(alpha2="UZ").treaty_reference == before


def test_free_text_notes_with_nul_are_400_and_nothing_is_saved(cast, occupations):
    from tests.commissions.conftest import make_application

    app = make_application(cast, status=Application.Status.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = english(cast.client(cast.akimat_officer)).post(f"/commissions/applications/{app.pk}/", {
        "version": 0, f"recommended_{line.pk}": 3, f"note_{line.pk}": "ok", "note_demand": "Спрос\x00",
        "note_forecast": "b", "note_domestic": "c", "note_effectiveness": "d"})
    assert_refused(response)
    assert not Generalization.objects.exists()


def test_a_nul_in_a_field_name_is_400(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = english(cast.client(cast.employer))
    assert_refused(client.get("/dashboard/", {"a\x00b": "1"}))
    assert_refused(client.post("/acting-as/", {"membership": "1", "x\x00": "1"}))
    assert_refused(client.post("/applications/1/attachments/",
                               {"fi\x00le": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}))


def test_the_refusal_is_in_the_readers_language_and_uses_the_projects_400_page_when_there_is_one(
        cast, settings, tmp_path):
    client = cast.client(cast.employer)
    client.cookies["qp_language"] = "ru"
    response = client.get("/dashboard/", {"q": "\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert MESSAGE not in body and "NUL" in body and 'lang="ru"' in body
    (tmp_path / "400.html").write_text("<h1>portal-400</h1><p>{{ message }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    response = english(cast.client(cast.employer)).get("/dashboard/", {"q": "\x00"})
    assert response.status_code == 400 and "portal-400" in response.content.decode()
    assert MESSAGE in response.content.decode()


# --- every URL of the project -------------------------------------------------------------------------

def project_paths(value: str = "x") -> list[str]:
    """Every route of the URLconf with its converters filled ("1" for int, `value` for the rest)."""
    paths = []

    def walk(patterns, prefix):
        for p in patterns:
            if not isinstance(p.pattern, RoutePattern):
                continue  # the admin's two regex routes; the NUL check runs before any resolving anyway
            route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else value, str(p.pattern))
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                paths.append(prefix + route)

    walk(get_resolver().url_patterns, "/")
    return paths


def test_the_walk_sees_the_projects_urls():
    paths = project_paths()
    assert len(paths) > 60
    assert {"/applications/occupations/", "/commissions/", "/ministry/countries/x/", "/admin/"} <= set(paths)


def test_every_url_answers_400_to_a_nul_in_a_query_or_form_value_for_anyone(cast):
    clients = [english(cast.client(None)), english(cast.client(cast.employer)),
               english(cast.client(cast.akimat_officer)), english(cast.client(cast.analyst))]
    for path in project_paths():
        for client in clients:
            assert client.get(path, {"q": "\x00"}).status_code == 400, path
            assert client.post(path, {"q": "x\x00y"}).status_code == 400, path


def test_every_url_with_a_nul_in_a_path_segment_is_400_or_404_never_500(cast):
    client = english(cast.client(cast.analyst))
    for path in project_paths(value="%00"):
        status = client.get(path).status_code
        assert status in (400, 404) if "%00" in path else status != 500, path


# --- line breaks in one-line fields ----------------------------------------------------------------

def test_a_line_break_typed_into_an_organizations_name_never_reaches_an_email_header(
        cast, django_capture_on_commit_callbacks):
    """The name goes into the subject of the invitation email: with a line break in it the mail
    library refuses the header, and the request that sends it answered 500."""
    from django.core import mail

    from quota_portal.core.models import Organization, Region
    from quota_portal.core.validators import make_bin_iin
    from tests.conftest import make_user

    founder = make_user("founder@example.kz")
    client = english(cast.client(founder))
    response = client.post("/accounts/organization/new/", {
        "kind": Organization.Kind.choices[0][0], "bin_iin": make_bin_iin("05014000099"),
        "name": "ТОО «Север»\r\nBcc: everyone@example.kz", "legal_address": "Астана\nул. 1",
        "region": Region.objects.get(code="710000000").pk})
    assert response.status_code == 302
    org = Organization.objects.get(bin_iin=make_bin_iin("05014000099"))
    assert org.name == "ТОО «Север» Bcc: everyone@example.kz" and org.legal_address == "Астана ул. 1"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/members/", {"email": "new@example.kz", "role": "employer_editor"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject


# --- headers and cookies (found by the review of issue 9) ------------------------------------------

def test_a_session_cookie_with_a_nul_is_no_session_never_a_500(cast):
    """`sessionid="abc\\000def"` is plain ASCII on the wire (an octal escape any proxy passes); the
    cookie parser turns it into a NUL, which the session lookup sent to PostgreSQL: a 500."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.cookies["qp_language"] = "en"
    for key in ("abcdefghij\x00klmn", "\x00" * 32):
        client.cookies["sessionid"] = key
        response = client.get("/dashboard/")
        assert response.status_code in (302, 400), key
        assert response.status_code != 302 or response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_REFERER", "HTTP_X_FORWARDED_FOR"])
def test_a_nul_in_a_header_is_400_and_the_login_records_nothing(cast, header):
    """django-axes writes the User-Agent and Accept headers of every login into its tables."""
    from axes.models import AccessAttempt, AccessLog
    from django.test import Client

    for password in ("wrong-password", "test-pass-2026"):
        client = Client(raise_request_exception=False)
        client.cookies["qp_language"] = "en"
        response = client.post("/accounts/login/", {"username": cast.employer.email, "password": password},
                               **{header: "Mozilla\x00/5.0"})
        assert_refused(response)
        assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
