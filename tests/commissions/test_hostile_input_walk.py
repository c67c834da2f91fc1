"""Issue 9, the search for the same class of bug everywhere: every view of the project, as every
role that may open it, gets GET and POST requests whose every parameter is a number that is not
0-9, a number beyond any column, a negative, or text with control characters. None may answer
500 (the test client re-raises a view's exception, so a failure shows its traceback)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications import services as app_services
from commissions import services
from commissions.models import LabourMarketFigure, Violation
from quota_portal.core.models import CalendarException, Country, Membership, Outbox

from .conftest import all_approved

pytestmark = pytest.mark.django_db

# "²" passes isdigit() and fails int(); the others: beyond any column, negative, control characters.
HOSTILE = ["²", "9" * 30, "-1", "x\x01\x1fy"]

# Every request parameter a view of the project reads (forms' fields, raw POST names, filters).
NAMES = [
    "q", "page", "compare", "status", "category", "occupation", "employer", "treaty", "version", "mark",
    "late_reason", "action", "revision", "current_year_count", "justification", "signer_position", "signer_name",
    "campaign", "region", "reason", "member", "choice", "session", "correction_reason", "as_chair",
    "chair_paper_note", "present", "membership", "language", "next", "name", "name_kk", "name_en", "quorum",
    "full_name", "position", "body", "role", "user", "is_active", "date", "place", "organization", "ground",
    "year", "several", "description", "remedied_on", "note", "day", "is_working_day", "has_ratified_treaty",
    "treaty_reference", "email", "bin_iin", "kind", "legal_address", "username", "password", "password1",
    "password2", "new_password1", "new_password2", "filing_opens", "notice_working_days",
    "publication_working_days", "filing_deadline", "filing_deadline_kind",
    "lines-TOTAL_FORMS", "lines-INITIAL_FORMS", "lines-0-category", "lines-0-occupation", "lines-0-specialty",
    "lines-0-count", "projects-TOTAL_FORMS", "projects-INITIAL_FORMS", "projects-0-name", "projects-0-date",
    *[f"{n}" for n in LabourMarketFigure.NUMBER_FIELDS],
]


@pytest.fixture
def world(cast, occupations, astana_case):
    """One object of every kind a URL names, in Astana and the cast's organization."""
    from tests.applications.conftest import fill

    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    app = fill(app, cast.employer, occupations)
    app_services.attachment_add(actor=cast.employer, application=app, name="a.pdf",
                                content=b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    app.refresh_from_db()
    app_services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    app.refresh_from_db()
    app_services.application_withdraw(actor=cast.employer, application=app, reason="Исправить",
                                      expected_revision=app.revision)
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes={})
    figure = LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign,
                                               occupation=occupations.o2142, jobseekers=3)
    violation = Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2026,
                                         description="x", recorded_by=cast.akimat_officer)
    exception = CalendarException.objects.create(day=dt.date(2026, 12, 19), is_working_day=True, reason="x")
    Country.objects.get_or_create(alpha2="UZ", defaults={"name_ru": "Узбекистан", "name_kk": "Өзбекстан",
                                                         "name_en": "Uzbekistan"})
    message = Outbox.objects.filter(channel=Outbox.Channel.INBOX).first()
    membership = Membership.objects.get(user=cast.employer_viewer)
    line_ids = [line.pk for line in astana_case.app.lines.all()]
    member_ids = [m.pk for m in astana_case.members]
    kwargs = {
        "pk": None, "number": 1, "att": app.attachments.get().pk, "year": 2027, "alpha2": "UZ",
        "token": "x" * 20, "uidb64": "x", "session": astana_case.session.pk,
        # The Ministry's national view (allocation/national_urls.py).
        "code": cast.astana.code, "old": 1, "new": 2, "org_id": cast.org.pk,
        # The published quota's files (allocation/publication_public_urls.py).
        "fmt": "json",
    }
    by_namespace = {
        "applications": {"pk": app.pk}, "accounts": {"pk": membership.pk},
        "commissions": {}, "": {"pk": message.pk if message else 1},
    }
    objects = {
        "commissions:review": astana_case.app.pk, "commissions:member_edit": astana_case.chair.pk,
        "commissions:figure_edit": figure.pk, "commissions:violation_edit": violation.pk,
        "commissions:decision": astana_case.item.pk, "commissions:conflict": astana_case.item.pk,
        "commissions:vote": decision.pk, "commissions:decision_correct": decision.pk,
        "ministry_calendar_remove": exception.pk,
    }
    extra = {**{f"recommended_{i}": None for i in line_ids}, **{f"note_{i}": None for i in line_ids},
             **{f"approved_{i}": None for i in line_ids}, **{f"grounds_{i}": None for i in line_ids},
             **{f"reason_{i}": None for i in line_ids}, **{f"vote_{i}": None for i in member_ids}}
    return {"kwargs": kwargs, "by_namespace": by_namespace, "objects": objects, "session": astana_case.session,
            "extra_names": list(extra)}


def named_urls():
    """(namespace, name, route kwargs, view) of every named route outside the admin."""
    out = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                # A path() names its parameters in its converters, a re_path() in its regex groups.
                params = list(p.pattern.converters) or list(p.pattern.regex.groupindex)
                out.append((namespace, p.name, params, p.callback))

    walk(get_resolver().url_patterns, "")
    return out


def users_for(cast, view):
    roles = getattr(view, "allowed_roles", None)
    everyone = [cast.employer, cast.employer_editor, cast.employer_viewer, cast.akimat_officer, cast.secretary,
                cast.member, cast.central_officer, cast.analyst, cast.approver]
    if roles is None:
        return [None, cast.employer, cast.akimat_officer]
    chosen = [u for u in everyone if Membership.objects.filter(user=u, role__in=roles).exists()]
    return chosen[:2]


def path_for(world, namespace, name, params):
    full = f"{namespace}:{name}" if namespace else name
    kwargs = {}
    for param in params:
        if param == "pk":
            kwargs["pk"] = world["objects"].get(full) or world["by_namespace"].get(namespace, {}).get("pk") or \
                (world["session"].pk if "session" in name or name in ("attendance", "agenda_refresh", "sign",
                                                                       "unsign", "protocol_pdf") else 1)
        else:
            kwargs[param] = world["kwargs"][param]
    return reverse(full, kwargs=kwargs)


def payload(world, value):
    data = dict.fromkeys(NAMES + world["extra_names"], value)
    data["action"] = f"remove-{value}"
    data["present"] = [value, "1"]
    return data


# Signing closes the session and logging out ends the client's session: they go last.
LAST = ("sign", "unsign", "logout")


@pytest.fixture
def _language_restored():
    """The requests activate English in this thread (LocaleMiddleware); the next test gets its own."""
    from django.utils import translation

    with translation.override(translation.get_language()):
        yield


def test_no_view_answers_500_to_hostile_numbers_ids_or_text(cast, world, _language_restored):
    urls = sorted(named_urls(), key=lambda u: u[1] in LAST)
    assert len(urls) > 60
    clients = {}
    visited = 0
    for namespace, name, params, view in urls:
        path = path_for(world, namespace, name, params)
        reads_params = not (name.endswith(("pdf", "xlsx")) or name in ("favicon", "healthz"))
        for user in users_for(cast, view):
            if user not in clients:
                clients[user] = cast.client(user)
                clients[user].cookies["qp_language"] = "en"
            client = clients[user]
            for value in HOSTILE if reads_params else HOSTILE[:1]:
                data = payload(world, value)
                for method in (client.get, client.post):
                    response = method(path, data)
                    assert response.status_code != 500, (path, user, value, method.__name__)
                    visited += 1
    assert visited > 500
