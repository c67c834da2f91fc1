"""The submission pages over HTTP: isolation (no region sees another's; employers and central bodies
get 404 everywhere), hostile input gives field errors, the draft page's query count stays flat."""
from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from allocation import submissions as services
from allocation.models import SubmissionVersion
from tests.conftest import almaty
from tests.queries import assert_same_query_count

from .submission_helpers import decide, make_app, make_org


@pytest.fixture
def sent(cast, occupations):
    app = make_app(cast, make_org(cast.astana, 1), lines=[("3", occupations.o2142, 5, "")])
    decide(cast, app)
    s = services.submission_get_or_create(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana)
    with time_machine.travel(almaty(2026, 10, 28, 12), tick=False):
        return services.submission_send(actor=cast.akimat_officer, submission=s)


def urls(version):
    y = version.campaign.year
    return [reverse("allocation:submissions"), reverse("allocation:submission", args=[y]),
            reverse("allocation:submission_version", args=[y, version.number]),
            reverse("submissions_ministry:version", args=[y, version.region.code, version.number]),
            reverse("submissions_ministry:region", args=[y, version.region.code])]


def test_employers_and_central_bodies_get_404_on_every_url(cast, sent):
    for user in (cast.employer, cast.central_officer, cast.outsider):
        client = cast.client(user)
        for url in urls(sent):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("allocation:submission_send", args=[2027]), {}).status_code == 404


def test_another_region_sees_nothing_of_astanas_submission(cast, sent):
    client = cast.client(cast.akimat_officer_atyrau)
    assert client.get(reverse("allocation:submission_version", args=[2027, 1])).status_code == 404
    page = client.get(reverse("allocation:submission", args=[2027]))
    assert page.status_code == 200 and "Фирма 00001" not in page.content.decode()
    file = services.submission_file_request(actor=cast.akimat_officer, version=sent, annex="3", fmt="xlsx",
                                            language="ru")
    assert client.get(reverse("allocation:submission_file_download", args=[file.pk])).status_code == 404
    assert client.get(reverse("allocation:submission_file", args=[file.pk])).status_code == 404


def test_the_ministry_reads_every_version_and_the_akimat_its_own(cast, sent):
    assert cast.client(cast.analyst).get(urls(sent)[3]).status_code == 200
    assert cast.client(cast.akimat_officer).get(urls(sent)[2]).status_code == 200


def test_a_file_is_written_with_progress_and_downloaded(cast, sent, django_capture_on_commit_callbacks):
    client = cast.client(cast.akimat_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("allocation:submission_file_request", args=[2027, 1]),
                        {"annex": "2", "fmt": "xlsx", "language": "kk"})
    assert r.status_code == 302
    file = sent.files.get()
    assert file.status == "done" and file.progress == 100
    r = client.get(reverse("allocation:submission_file_download", args=[file.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


HOSTILE = ["\x00", "١٢", "９", "x" * 30_000, "-1", "1e3"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_on_every_form_is_a_field_error(cast, sent, value):
    client = cast.client(cast.akimat_officer)
    base = reverse("allocation:submission", args=[2027])
    forms = {
        "covering/": {"covering_justification": value, "revision": value},
        "labour-immigrants/": {"li_need": value, "li_demand_note": value, "revision": "0", "late_reason": value},
        "countries/": {"country": value, "cat1": value, "forecast_note": value},
        "exclude/": {"application": value, "reason": value},
        "send/": {"confirm": "on", "reason": value, "late_reason": value, "revision": value},
    }
    before = SubmissionVersion.objects.count()
    for path, data in forms.items():
        r = client.post(base + path, data)
        assert r.status_code in (400, 302), (path, r.status_code)
    assert SubmissionVersion.objects.count() == before


def test_the_draft_page_runs_the_same_queries_for_1_and_10_organizations(cast, occupations):
    client = cast.client(cast.akimat_officer)

    def add_row(i):
        org = make_org(cast.astana, 100 + i)
        decide(cast, make_app(cast, org, lines=[("3", occupations.o2142, 2, "x"), ("4", occupations.o7212, 1, "")]))
        return org.name

    assert_same_query_count(add_row, lambda: client.get(reverse("allocation:submission", args=[2027])),
                            label="submission draft")


def test_the_status_is_named_in_the_readers_words_not_by_its_code(cast, sent):
    client = cast.client(cast.akimat_officer)
    client.cookies["qp_language"] = "en"
    page = client.get(reverse("allocation:submission", args=[2027])).content.decode()
    assert 'data-status="sent">Sent</span>' in page
    dashboard = client.get("/dashboard/").content.decode()
    assert 'data-status="sent">Sent</span>' in dashboard


def _send_form(page) -> str:
    html = page.content.decode()
    start = html.index('id="send-form"')
    return html[start:html.index("</form>", start)]


def test_each_reason_is_asked_only_when_it_applies(cast, occupations):
    """The reason for a new version appears once a version was sent, the reason for the delay once the
    p.12 deadline has passed; a late send without it is refused on that field and sends nothing."""
    decide(cast, make_app(cast, make_org(cast.astana, 1), lines=[("3", occupations.o2142, 5, "")]))
    client = cast.client(cast.akimat_officer)
    page_url = reverse("allocation:submission", args=[2027])
    send_url = reverse("allocation:submission_send", args=[2027])

    def revision():
        return services.submission_get_or_create(actor=cast.akimat_officer, campaign=cast.campaign,
                                                 region=cast.astana).revision

    with time_machine.travel(almaty(2026, 10, 28, 12), tick=False):
        assert cast.campaign.is_open("submission")
        form = _send_form(client.get(page_url))
        assert 'name="confirm"' in form and 'name="reason"' not in form and 'name="late_reason"' not in form
        assert client.post(send_url, {"confirm": "on", "revision": revision()}).status_code == 302
        form = _send_form(client.get(page_url))
        assert 'name="reason"' in form and 'name="late_reason"' not in form
    with time_machine.travel(almaty(2026, 11, 5, 12), tick=False):
        assert not cast.campaign.is_open("submission")
        form = _send_form(client.get(page_url))
        assert 'name="reason"' in form and 'name="late_reason"' in form
        r = client.post(send_url, {"confirm": "on", "reason": "Исправлена строка", "revision": revision()})
        assert r.status_code == 400
        assert 'id="id_late_reason"' in _send_form(r) and "Исправлена строка" in _send_form(r)
        assert r.context["send_form"].errors["late_reason"]
    assert SubmissionVersion.objects.filter(submission__region=cast.astana).count() == 1
