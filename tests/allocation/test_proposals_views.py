"""Central-body proposals over HTTP (Rules p.13): the whole flow through the pages, every URL tried
by every role of the cast, bad input that never gives a 500 and keeps what was typed, a double
submit, the dashboard panels and the demo step."""
from __future__ import annotations

import io
import re
import uuid

import pytest
from django.utils import translation

from allocation import proposals_demo
from allocation.proposals_models import Proposal, ProposalLine, ProposalStatus
from quota_portal.core.models import Outbox
from tests.allocation.proposals_conftest import agreed, draft, sent

S = ProposalStatus
pytestmark = pytest.mark.django_db

ROLES = ("employer", "employer_editor", "employer_viewer", "employer2", "akimat_officer", "secretary", "member",
         "akimat_officer_atyrau", "secretary_atyrau", "central_officer", "analyst", "approver", "outsider")


def form_data(cast, *, campaign=None, lines=(("3", "2142", "10", "Проектирование"),), **extra):
    data = {"campaign": (campaign or cast.next_campaign).pk, "region": cast.astana.pk, "title": "Строительство ГПЗ",
            "justification": "Прогноз рынка труда", "projects": "ГПЗ", "token": str(uuid.uuid4()),
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "200"}
    for i, (category, occupation, count, justification) in enumerate(lines):
        data.update({f"lines-{i}-category": category, f"lines-{i}-occupation": occupation,
                     f"lines-{i}-count": count, f"lines-{i}-justification": justification})
    data.update(extra)
    return data


def test_the_whole_flow_through_the_pages(cast, occupations):
    central = cast.client(cast.central_officer)
    assert central.get("/allocation/proposals/new/").status_code == 200
    response = central.post("/allocation/proposals/new/", form_data(cast, lines=[
        ("3", "2142", "10", "Проектирование"), ("4", "7212", "20", "Сварка")]))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/allocation/proposals/{proposal.pk}/"
    # Edit while a draft.
    edit = form_data(cast, lines=[("3", "2142", "10", "Проектирование"), ("4", "7212", "25", "Сварка")],
                     revision=proposal.revision, title="Строительство ГПЗ-2")
    assert central.post(f"/allocation/proposals/{proposal.pk}/edit/", edit).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Строительство ГПЗ-2" and proposal.lines.get(category="4").count == 25
    assert central.get(f"/allocation/proposals/{proposal.pk}/send/").status_code == 200
    response = central.post(f"/allocation/proposals/{proposal.pk}/send/", {"revision": proposal.revision})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.SENT
    # The Ministry does not see it until it is agreed.
    ministry = cast.client(cast.analyst)
    assert ministry.get(f"/allocation/proposals/{proposal.pk}/").status_code == 404
    assert "Строительство ГПЗ-2" not in ministry.get("/allocation/proposals/agreed/?campaign=2028").content.decode()
    # The akimat sees it, agrees with one change.
    akimat = cast.client(cast.akimat_officer)
    page = akimat.get("/allocation/proposals/received/").content.decode()
    assert "Строительство ГПЗ-2" in page
    assert 'data-testid="agreement-form"' in akimat.get(f"/allocation/proposals/{proposal.pk}/").content.decode()
    welders = proposal.lines.get(category="4")
    engineers = proposal.lines.get(category="3")
    data = {"revision": proposal.revision, f"agreed_{welders.pk}": "15", f"reason_{welders.pk}": "",
            f"agreed_{engineers.pk}": "10", f"reason_{engineers.pk}": ""}
    response = akimat.post(f"/allocation/proposals/{proposal.pk}/agree/", data)
    with translation.override("ru"):  # the cast reads Russian
        expected = translation.gettext("State the reason for changing the number.")
    assert response.status_code == 200 and expected in response.content.decode()
    assert 'value="15"' in response.content.decode()  # what was typed stays
    data[f"reason_{welders.pk}"] = "Есть 10 местных сварщиков"
    assert akimat.post(f"/allocation/proposals/{proposal.pk}/agree/", data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.AGREED
    assert Outbox.objects.filter(event_key=f"proposal-{proposal.pk}-decided",
                                 recipient=cast.central_officer).count() == 2
    # A second click changes nothing and sends nothing again.
    again = akimat.post(f"/allocation/proposals/{proposal.pk}/agree/", data)
    assert again.status_code == 302 and again["Location"] == f"/allocation/proposals/{proposal.pk}/"
    assert Outbox.objects.filter(event_key=f"proposal-{proposal.pk}-decided").count() == 2
    # The Ministry sees the agreed counts and the agreement record.
    page = ministry.get("/allocation/proposals/agreed/?campaign=2028").content.decode()
    assert "Строительство ГПЗ-2" in page and cast.akimat_officer.full_name in page
    totals = re.search(r'data-testid="agreed-totals".*?</table>', page, re.S).group(0)
    cells = re.findall(r'<td class="qp-num[^"]*">(\d+)</td>', totals)
    assert cells[:6] == ["0", "0", "10", "15", "0", "25"]
    detail = ministry.get(f"/allocation/proposals/{proposal.pk}/").content.decode()
    assert "Есть 10 местных сварщиков" in detail and 'data-testid="agreement-record"' in detail
    # The central body sees the outcome.
    assert "Есть 10 местных сварщиков" in central.get(f"/allocation/proposals/{proposal.pk}/").content.decode()


def test_the_akimat_declines_through_the_page_with_a_reason(cast, occupations):
    proposal = sent(cast)
    akimat = cast.client(cast.akimat_officer)
    response = akimat.post(f"/allocation/proposals/{proposal.pk}/decline/", {"revision": proposal.revision,
                                                                               "reason": ""})
    assert response.status_code == 200 and Proposal.objects.get().status == S.SENT
    response = akimat.post(f"/allocation/proposals/{proposal.pk}/decline/", {"revision": proposal.revision,
                                                                               "reason": "Есть местные кадры"})
    assert response.status_code == 302 and Proposal.objects.get().status == S.DECLINED
    page = cast.client(cast.central_officer).get(f"/allocation/proposals/{proposal.pk}/").content.decode()
    assert "Есть местные кадры" in page


def test_a_late_send_through_the_page_asks_for_the_reason_and_keeps_the_page(cast, occupations):
    proposal = draft(cast, campaign=cast.campaign)
    central = cast.client(cast.central_officer)
    assert 'data-testid="late-warning"' in central.get(f"/allocation/proposals/{proposal.pk}/send/").content.decode()
    response = central.post(f"/allocation/proposals/{proposal.pk}/send/", {"revision": proposal.revision})
    assert response.status_code == 200 and Proposal.objects.get().status == S.DRAFT
    response = central.post(f"/allocation/proposals/{proposal.pk}/send/", {"revision": proposal.revision,
                                                                             "late_reason": "Проект утверждён поздно"})
    assert response.status_code == 302
    assert Proposal.objects.get().sent_late
    assert 'data-testid="late"' in central.get("/allocation/proposals/").content.decode()


def urls(cast, occupations):
    """Every URL of the section with the role groups that may open it (GET): the rest get 404."""
    draft_p = draft(cast, title="Черновик")
    sent_p = sent(cast, title="Отправлено")
    agreed_p = agreed(cast, title="Согласовано")
    to_atyrau = sent(cast, title="Атырау", region=cast.atyrau)
    central, officer, ministry = {"central_officer"}, {"akimat_officer"}, {"analyst", "approver"}
    return [
        ("/allocation/proposals/", central, 200),
        ("/allocation/proposals/new/", central, 200),
        ("/allocation/proposals/received/", officer | {"akimat_officer_atyrau"}, 200),
        ("/allocation/proposals/agreed/", ministry, 200),
        (f"/allocation/proposals/{draft_p.pk}/", central, 200),
        (f"/allocation/proposals/{sent_p.pk}/", central | officer, 200),
        (f"/allocation/proposals/{agreed_p.pk}/", central | officer | ministry, 200),
        (f"/allocation/proposals/{to_atyrau.pk}/", central | {"akimat_officer_atyrau"}, 200),
        (f"/allocation/proposals/{draft_p.pk}/edit/", central, 200),
        (f"/allocation/proposals/{draft_p.pk}/send/", central, 200),
        (f"/allocation/proposals/{draft_p.pk}/delete/", central, 405),
        (f"/allocation/proposals/{sent_p.pk}/agree/", officer, 405),
        (f"/allocation/proposals/{sent_p.pk}/decline/", officer, 405),
        ("/allocation/proposals/999999/", set(), 200),
    ]


def test_every_url_as_every_role_of_the_cast(cast, occupations):
    for url, allowed, code in urls(cast, occupations):
        for role in ROLES:
            response = cast.client(getattr(cast, role)).get(url)
            expected = code if role in allowed else 404
            assert response.status_code == expected, (url, role, response.status_code)
        anonymous = cast.client(None).get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], url


def test_nobody_else_changes_a_proposal_by_posting(cast, occupations):
    draft_p = draft(cast, title="Черновик")
    sent_p = sent(cast, title="Отправлено")
    posts = [(f"/allocation/proposals/{draft_p.pk}/edit/", form_data(cast, revision=draft_p.revision, title="X")),
             (f"/allocation/proposals/{draft_p.pk}/send/", {"revision": draft_p.revision}),
             (f"/allocation/proposals/{draft_p.pk}/delete/", {"revision": draft_p.revision}),
             (f"/allocation/proposals/{sent_p.pk}/agree/", {"revision": sent_p.revision}),
             (f"/allocation/proposals/{sent_p.pk}/decline/", {"revision": sent_p.revision, "reason": "нет"})]
    for role in ROLES:
        if role in ("central_officer", "akimat_officer"):
            continue
        for url, data in posts:
            assert cast.client(getattr(cast, role)).post(url, data).status_code == 404, (url, role)
    # The akimat does not touch a draft, nor the central body the agreement.
    akimat, central = cast.client(cast.akimat_officer), cast.client(cast.central_officer)
    for url, data in posts[:3]:
        assert akimat.post(url, data).status_code == 404
    for url, data in posts[3:]:
        assert central.post(url, data).status_code == 404
    assert {(p.title, p.status) for p in Proposal.objects.all()} == {("Черновик", S.DRAFT), ("Отправлено", S.SENT)}


@pytest.mark.parametrize(("count", "message"), [
    ("abc", "whole number"), ("٣", "whole number"), ("1.5", "whole number"), ("-3", "at least 1"),
    ("0", "at least 1"), ("999999999999", "not plausible"), ("9" * 30, "at most 20 characters"), ("", "required"),
])
def test_a_bad_count_is_a_field_error_and_the_form_keeps_what_was_typed(cast, occupations, count, message):
    cast.central_officer.language = "en"
    cast.central_officer.save()
    response = cast.client(cast.central_officer).post("/allocation/proposals/new/", form_data(
        cast, lines=[("3", "2142", count, "Моё обоснование")]))
    page = response.content.decode()
    errors = response.context["lines"].forms[0].errors.get("count", [])
    assert response.status_code == 200 and any(message in e for e in errors), (errors, response.context["form"].errors)
    assert "Моё обоснование" in page and "Строительство ГПЗ" in page
    assert not Proposal.objects.exists()


def test_hostile_input_never_gives_a_500(cast, occupations):
    central = cast.client(cast.central_officer)
    huge = "я" * 1_000_000
    for data in (form_data(cast, title=huge), form_data(cast, justification=huge),
                 form_data(cast, lines=[("3", "2142", "5", huge)]), form_data(cast, title="a\x00b"),
                 form_data(cast, lines=[("3", "2142\x00", "5", "")]), form_data(cast, region="١"),
                 form_data(cast, campaign=cast.next_campaign, **{"lines-TOTAL_FORMS": "99999999"}),
                 form_data(cast, lines=[("Z", "", "", "")]), form_data(cast, token="not-a-uuid")):
        response = central.post("/allocation/proposals/new/", data)
        assert response.status_code in (200, 400), response.status_code
    assert not Proposal.objects.exists()
    proposal = sent(cast)
    akimat = cast.client(cast.akimat_officer)
    line = proposal.lines.first()
    for data in ({"revision": "x"}, {"revision": proposal.revision, f"agreed_{line.pk}": "9" * 40},
                 {"revision": proposal.revision, f"agreed_{line.pk}": "1", f"reason_{line.pk}": huge},
                 {"revision": proposal.revision, "reason": "\x00"}):
        for action in ("agree", "decline"):
            response = akimat.post(f"/allocation/proposals/{proposal.pk}/{action}/", data)
            assert response.status_code in (200, 400), (action, response.status_code)
    assert Proposal.objects.get().status == S.SENT
    for bad in ("/allocation/proposals/99999999999999999999999/", "/allocation/proposals/agreed/?campaign=%00"):
        assert central.get(bad).status_code in (200, 400, 404)


def test_the_create_form_submitted_twice_makes_one_draft(cast, occupations):
    central = cast.client(cast.central_officer)
    data = form_data(cast)
    first, second = central.post("/allocation/proposals/new/", data), central.post("/allocation/proposals/new/", data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Proposal.objects.count() == 1 and ProposalLine.objects.count() == 1


def test_the_dashboards_show_the_panels_and_the_nav(cast, occupations):
    draft(cast, title="Мой черновик")
    sent(cast, title="Ждёт согласования")
    page = cast.client(cast.central_officer).get("/dashboard/").content.decode()
    assert 'data-testid="proposals-panel"' in page and "Мой черновик" in page
    assert 'href="/allocation/proposals/"' in page
    page = cast.client(cast.akimat_officer).get("/dashboard/").content.decode()
    assert 'data-testid="proposals-panel"' in page and "Ждёт согласования" in page
    assert 'href="/allocation/proposals/received/"' in page
    page = cast.client(cast.akimat_officer_atyrau).get("/dashboard/").content.decode()
    assert "Ждёт согласования" not in page
    assert 'href="/allocation/proposals/agreed/"' in cast.client(cast.analyst).get("/dashboard/").content.decode()
    assert "/allocation/proposals/" not in cast.client(cast.employer).get("/dashboard/").content.decode()


def test_the_demo_step_makes_an_agreed_and_a_declined_proposal_once(cast, occupations):
    from quota_portal.core.models import Occupation

    for code in ("2151", "7411", "3113"):
        Occupation.objects.get_or_create(code=code, defaults={"name_ru": code, "name_en": code})
    cast.central_officer.email = proposals_demo.CENTRAL_EMAIL
    cast.central_officer.save()
    cast.akimat_officer.email = proposals_demo.AKIMAT_EMAIL
    cast.akimat_officer.save()
    for _run in range(2):
        proposals_demo.seed(stdout=io.StringIO())
    proposals = {p.title: p for p in Proposal.objects.filter(campaign=cast.campaign, region=cast.astana,
                                                                authority=cast.central_body)}
    assert len(proposals) == 2
    agreed_p, declined_p = proposals[proposals_demo.AGREED.title], proposals[proposals_demo.DECLINED.title]
    assert agreed_p.status == S.AGREED and not agreed_p.sent_late
    assert [(ln.occupation.code, ln.count, ln.agreed_count) for ln in agreed_p.lines.all() if ln.changed] == [
        ("7212", 40, 30)]
    assert declined_p.status == S.DECLINED and declined_p.decline_reason == proposals_demo.DECLINE_REASON
