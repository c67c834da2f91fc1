"""The pages of the review and the Commission, through HTTP, with the shared cast."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from applications.models import Application
from commissions import services
from commissions.models import Decision, Generalization, LabourMarketFigure, Member, Notice, Violation
from quota_portal.core.models import Role
from tests.conftest import add_membership, almaty, make_user

from .conftest import all_approved, full_commission, generalize, make_application, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def signed_case(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines={
        astana_case.lines[0].pk: {"approved": 5, "grounds": [], "reason": ""},
        astana_case.lines[1].pk: {"approved": 4, "grounds": ["1", "3"], "reason": "Есть безработные сварщики"}},
        votes=votes_for(astana_case.members))
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    astana_case.decision = Decision.objects.get()
    astana_case.notice = Notice.objects.get()
    astana_case.violation = Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2026,
                                                     description="Нарушение", recorded_by=cast.akimat_officer)
    astana_case.figure = LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign,
                                                           occupation=astana_case.lines[0].occupation, jobseekers=1)
    return astana_case


def list_urls():
    from django.urls import reverse as r

    return [r("commissions:inbox"), r("commissions:figures"), r("commissions:figures_template"),
            r("commissions:figures_import"), r("commissions:violations"), r("commissions:commission"),
            r("commissions:member_new"), r("commissions:sessions"), r("commissions:notices")]


def object_urls(case):
    from django.urls import reverse as r

    return [r("commissions:review", args=[case.app.pk]), r("commissions:member_edit", args=[case.chair.pk]),
            r("commissions:session", args=[case.session.pk]), r("commissions:protocol_pdf", args=[case.session.pk]),
            r("commissions:decision", args=[case.item.pk]), r("commissions:decision_correct", args=[case.decision.pk]),
            r("commissions:notice_pdf", args=[case.notice.pk]),
            r("commissions:violation_edit", args=[case.violation.pk]),
            r("commissions:figure_edit", args=[case.figure.pk])]


def urls_for(case):
    return list_urls() + object_urls(case)


def test_every_page_opens_for_the_regions_staff(cast, signed_case):
    ok = {cast.akimat_officer: set(), cast.secretary: set()}
    for user in ok:
        client = cast.client(user)
        for url in urls_for(signed_case):
            if client.get(url).status_code == 200:
                ok[user].add(url)
    decision_url = f"/commissions/items/{signed_case.item.pk}/decision/"
    assert len(ok[cast.akimat_officer] | ok[cast.secretary] | {decision_url}) == len(urls_for(signed_case))
    assert cast.client(cast.secretary).get(decision_url).status_code == 302  # signed: corrections only


@pytest.mark.parametrize("who", ["akimat_officer_atyrau", "secretary_atyrau", "employer2", "central_officer",
                                 "outsider"])
def test_another_regions_staff_and_strangers_get_404_everywhere(cast, signed_case, who):
    client = cast.client(getattr(cast, who))
    for url in object_urls(signed_case):
        assert client.get(url).status_code == 404, url
    for url in list_urls():
        response = client.get(url)
        if who.endswith("_atyrau"):  # their own region's pages: nothing of Astana's on them
            assert response.status_code in (200, 404), url  # 404: not their role
            body = response.content.decode() if response["Content-Type"].startswith("text/html") else ""
            assert "Астана Құрылыс" not in body and "Ахметов" not in body
            assert signed_case.app.registration_number not in body
        else:
            assert response.status_code == 404, url
    posts = [("commissions:attendance", [signed_case.session.pk]),
             ("commissions:agenda_refresh", [signed_case.session.pk]), ("commissions:sign", [signed_case.session.pk]),
             ("commissions:conflict", [signed_case.item.pk]), ("commissions:vote", [signed_case.decision.pk])]
    from django.urls import reverse

    for name, args in posts:
        assert client.post(reverse(name, args=args), {"member": signed_case.chair.pk}).status_code == 404, name
    client.post(reverse("commissions:to_commission"))
    signed_case.app.refresh_from_db()
    assert signed_case.app.status == S.NOTIFIED
    # The edits of Astana's own violation and figure, with data that Astana's officer may save.
    for url, data in edits_of(signed_case):
        assert client.post(url, data).status_code == 404, url
    assert_edits_not_applied(signed_case)


def edits_of(case) -> list[tuple[str, dict]]:
    from django.urls import reverse

    figure = dict.fromkeys(LabourMarketFigure.NUMBER_FIELDS, 0)
    figure.update(occupation=case.figure.occupation_id, jobseekers=99, note="Изменено")
    return [(reverse("commissions:violation_edit", args=[case.violation.pk]),
             {"description": "Изменено", "remedied_on": "2026-11-01"}),
            (reverse("commissions:figure_edit", args=[case.figure.pk]), figure)]


def assert_edits_not_applied(case) -> None:
    violation = Violation.objects.get(pk=case.violation.pk)
    assert (violation.description, violation.remedied_on) == ("Нарушение", None)
    assert LabourMarketFigure.objects.get(pk=case.figure.pk).jobseekers == 1


def test_the_regions_officer_saves_the_same_violation_and_figure_edits_that_others_are_refused(
        cast, signed_case):
    assert_edits_not_applied(signed_case)
    client = cast.client(cast.akimat_officer)
    for url, data in edits_of(signed_case):
        assert client.post(url, data).status_code == 302, url
    violation = Violation.objects.get(pk=signed_case.violation.pk)
    assert (violation.description, violation.remedied_on) == ("Изменено", dt.date(2026, 11, 1))
    assert LabourMarketFigure.objects.get(pk=signed_case.figure.pk).jobseekers == 99


def test_the_employer_reads_only_their_own_sent_notice(cast, signed_case):
    from django.urls import reverse

    url = reverse("commissions:notice_pdf", args=[signed_case.notice.pk])
    response = cast.client(cast.employer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert cast.client(cast.employer2).get(url).status_code == 404
    for name in ("commissions:inbox", "commissions:sessions"):
        assert cast.client(cast.employer).get(reverse(name)).status_code == 404


def test_the_ministry_sees_the_regions_progress_on_its_dashboard(cast, signed_case):
    response = cast.client(cast.analyst).get("/dashboard/")
    assert response.status_code == 200
    assert "commissions-ministry-panel" in response.content.decode()


def test_the_inbox_filters_and_totals_by_category(cast, occupations):
    for i in range(6):
        org = cast.org if i == 0 else _org(cast, i)
        make_application(cast, org=org, status=S.SUBMITTED,
                         lines=[("3", occupations.o2142, 2), ("4", occupations.o7212, 3)], number=f"R-{i}")
    make_application(cast, org=cast.org2, region=cast.atyrau, status=S.SUBMITTED,
                     lines=[("3", occupations.o2142, 99)], number="ATY-1")
    client = cast.client(cast.akimat_officer)
    response = client.get("/commissions/")
    body = response.content.decode()
    assert "R-5" in body and "ATY-1" not in body
    totals = {t["category"]: t["total"] for t in response.context["totals"]}
    assert totals["3"] == 12 and totals["4"] == 18
    response = client.get("/commissions/", {"employer": cast.org.bin_iin})
    assert [a.registration_number for a in response.context["applications"]] == ["R-0"]
    response = client.get("/commissions/", {"occupation": "7212", "category": "4"})
    assert len(response.context["applications"]) == 6


def test_the_inbox_lists_a_page_of_applications_but_totals_all_of_them(cast, occupations, monkeypatch):
    from commissions import views

    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 4)
    for i in range(6):
        make_application(cast, org=cast.org if i == 0 else _org(cast, i), status=S.SUBMITTED,
                         lines=[("3", occupations.o2142, 2)], number=f"P-{i}")
    client = cast.client(cast.akimat_officer)

    first = client.get("/commissions/", {"status": S.SUBMITTED})
    second = client.get("/commissions/", {"status": S.SUBMITTED, "page": 2})

    assert len(first.context["applications"]) == 4 and len(second.context["applications"]) == 2
    listed = {a.registration_number for a in first.context["applications"]} | {
        a.registration_number for a in second.context["applications"]}
    assert listed == {f"P-{i}" for i in range(6)}
    assert {t["category"]: t["total"] for t in first.context["totals"]}["3"] == 12
    assert "status=submitted&amp;page=2" in first.content.decode()


def _org(cast, i):
    from quota_portal.core.models import Organization
    from quota_portal.core.validators import make_bin_iin

    return Organization.objects.create(bin_iin=make_bin_iin(f"0701400{i:04d}"), name=f"ТОО «Фирма {i}»",
                                       legal_address="Астана", region=cast.astana)


def test_the_officer_generalizes_an_application_and_puts_it_before_the_commission(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    client = cast.client(cast.akimat_officer)
    form = {"version": 0, f"recommended_{line.pk}": 3, f"note_{line.pk}": "Есть выпускники",
            "note_demand": "Спрос 120", "note_forecast": "Безработных 40", "note_domestic": "Частично",
            "note_effectiveness": "Использовано 80%", "mark": "1"}
    with time_machine.travel(almaty(2026, 10, 5, 10, 0), tick=False):
        response = client.post(f"/commissions/applications/{app.pk}/", form)
        assert response.status_code == 302
        gen = Generalization.objects.get(application=app)
        assert gen.generalized_at and gen.lines.get().recommended == 3 and gen.generalized_late_reason == ""
        response = client.post("/commissions/to-commission/")
    app.refresh_from_db()
    assert app.status == S.AT_COMMISSION


def test_a_late_generalization_is_allowed_with_a_reason_and_shows_as_overdue(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    client = cast.client(cast.akimat_officer)
    form = {"version": 0, f"recommended_{line.pk}": 5, "note_demand": "a", "note_forecast": "b",
            "note_domestic": "c", "note_effectiveness": "d", "mark": "1"}
    with time_machine.travel(almaty(2026, 10, 12, 10, 0), tick=False):
        response = client.post(f"/commissions/applications/{app.pk}/", form)
        assert response.status_code == 200
        assert 'is-invalid" id="late_reason"' in response.content.decode()
        assert not Generalization.objects.filter(generalized_at__isnull=False).exists()
        # what was typed is kept
        assert 'value="5"' in response.content.decode()
        response = client.post(f"/commissions/applications/{app.pk}/",
                               {**form, "version": 1, "late_reason": "Поздно поступили данные центра занятости"})
        assert response.status_code == 302
        dashboard = cast.client(cast.analyst).get("/dashboard/").content.decode()
    gen = Generalization.objects.get()
    assert gen.generalized_late_reason.startswith("Поздно")
    assert "overdue" in dashboard or "просроч" in dashboard.lower()


def test_generalization_beyond_the_requested_count_is_refused(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/", {
        "version": 0, f"recommended_{line.pk}": 6})
    assert response.status_code == 200
    assert not Generalization.objects.exists()


def test_only_the_officer_generalizes(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    response = cast.client(cast.secretary).post(f"/commissions/applications/{app.pk}/", {"version": 0})
    assert response.status_code == 404


def test_figures_are_shown_beside_every_application_line(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("4", occupations.o7212, 10)])
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      labour_demand=300, jobseekers=45)
    body = cast.client(cast.akimat_officer).get(f"/commissions/applications/{app.pk}/").content.decode()
    assert "45" in body and 'data-testid="labour-warning"' in body


def test_the_xlsx_import_is_all_or_nothing_and_lists_row_errors(cast, occupations):
    client = cast.client(cast.akimat_officer)
    template = client.get("/commissions/labour-market/template.xlsx")
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb.active
    ws.append(["2142", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ok"])
    ws.append(["9999", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, ""])
    ws.append(["7212", -1, 1, 2, 3, 4, 5, 6, 7, 8, "x", ""])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "figures.xlsx"
    buf.seek(0)
    response = client.post("/commissions/labour-market/import/", {"file": buf})
    errors = response.context["errors"]
    assert len(errors) == 3 and any("9999" in e for e in errors)
    assert any("Row 5" in e or "Строка 5" in e for e in errors)
    assert not LabourMarketFigure.objects.exists()
    wb = load_workbook(io.BytesIO(template.content))
    wb.active.append(["2142", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ok"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "figures.xlsx"
    buf.seek(0)
    assert client.post("/commissions/labour-market/import/", {"file": buf}).status_code == 302
    fig = LabourMarketFigure.objects.get()
    assert (fig.labour_demand, fig.jobseekers, fig.region) == (10, 9, cast.astana)


def test_a_file_that_is_not_xlsx_is_refused(cast):
    fake = io.BytesIO(b"%PDF-1.4 not a sheet")
    fake.name = "x.xlsx"
    response = cast.client(cast.akimat_officer).post("/commissions/labour-market/import/", {"file": fake})
    assert response.status_code == 200 and not LabourMarketFigure.objects.exists()


def test_the_agenda_flags_an_employer_with_an_unremedied_violation(cast, astana_case):
    client = cast.client(cast.akimat_officer)
    response = client.post("/commissions/violations/", {"organization": cast.org.pk, "ground": "3", "year": 2026,
                                                        "description": "Задолженность по зарплате 3 месяца"})
    assert response.status_code == 302
    body = cast.client(cast.secretary).get(f"/commissions/sessions/{astana_case.session.pk}/").content.decode()
    assert 'data-testid="agenda-violation"' in body
    v = Violation.objects.get()
    client.post(f"/commissions/violations/{v.pk}/", {"description": v.description, "remedied_on": "2026-11-01"})
    body = cast.client(cast.secretary).get(f"/commissions/sessions/{astana_case.session.pk}/").content.decode()
    assert 'data-testid="agenda-violation"' not in body


def test_old_violations_are_not_flagged(cast, astana_case):
    from commissions.selectors import employer_open_violations

    Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2024, description="old",
                             recorded_by=cast.akimat_officer)
    Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2025, description="prev",
                             recorded_by=cast.akimat_officer)
    assert [v.year for v in employer_open_violations(organization=cast.org, campaign=cast.campaign)] == [2025]


def test_the_commission_page_warns_when_a_p9_body_is_missing(cast):
    commission = services.commission_for(cast.astana)
    Member.objects.create(commission=commission, region=cast.astana, full_name="A", position="p", body="labour",
                          role="chair")
    body = cast.client(cast.secretary).get("/commissions/commission/").content.decode()
    assert 'data-testid="missing-bodies"' in body
    full_commission(cast.atyrau)
    body = cast.client(cast.secretary_atyrau).get("/commissions/commission/").content.decode()
    assert 'data-testid="missing-bodies"' not in body


def test_two_secretaries_saving_the_same_decision_over_http_one_wins_the_other_is_told(cast, astana_case):
    second = make_user("secretary2.astana@example.kz")
    add_membership(second, Role.COMMISSION_SECRETARY, authority=cast.akimat_astana)
    url = f"/commissions/items/{astana_case.item.pk}/decision/"
    a, b = cast.client(cast.secretary), cast.client(second)
    version_a = a.get(url).context["version"]
    version_b = b.get(url).context["version"]
    assert version_a == version_b == 0
    l1, l2 = astana_case.lines
    base = {f"approved_{l1.pk}": 5, f"approved_{l2.pk}": 10, **{f"vote_{m.pk}": "for" for m in astana_case.members}}
    assert a.post(url, {**base, "version": version_a}).status_code == 302
    response = b.post(url, {**base, f"approved_{l2.pk}": 2, f"grounds_{l2.pk}": "1", f"reason_{l2.pk}": "x",
                            "version": version_b})
    assert response.status_code == 409
    assert "Reload" in response.content.decode() or "Обновите" in response.content.decode()
    assert list(Decision.objects.get().lines.values_list("approved", flat=True)) == [5, 10]


def test_the_protocol_pdf_lists_members_present_decisions_grounds_and_votes(cast, signed_case):
    content = cast.client(cast.secretary).get(f"/commissions/sessions/{signed_case.session.pk}/protocol.pdf").content
    text = " ".join(pdf_text(content).split())
    assert "Ахметов Ерлан" in text and "Исаева Гульнар" in text
    assert "ТОО «Астана Құрылыс»" in text
    assert re.search(r"10\S*\(1\)", text) and re.search(r"10\S*\(3\)", text)
    assert "Причина: Есть безработные сварщики" in text
    # All 7 present voted for, none against or abstained.
    assert re.search(r"за\s*—\s*7,\s*против\s*—\s*0,\s*воздержал\w*\s*—\s*0", text), text
    assert "Акимат города Астаны" in text and "Акимат:" not in text


def test_the_notice_is_in_the_language_of_the_employer_with_no_russian_fixed_wording(cast, astana_case):
    from commissions.pdf import notice_pdf

    cast.org.language = "kk"
    cast.org.save()
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines={
        astana_case.lines[0].pk: {"approved": 5, "grounds": [], "reason": ""},
        astana_case.lines[1].pk: {"approved": 4, "grounds": ["1"], "reason": "Есть безработные сварщики"}},
        votes=votes_for(astana_case.members))
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    notice = Notice.objects.get()
    assert notice.language == "kk"
    text = " ".join(pdf_text(notice_pdf(notice)).split())
    assert "ТОО «Астана Құрылыс»" in text and re.search(r"10\S*\(1\)", text)
    assert "Астана қаласының әкімдігі" in text and "шетелдік жұмыс күшін тарту" in text
    assert "Себебі: Есть безработные сварщики" in text and "Комиссия төрағасы" in text
    for russian in ("Уведомление", "Комиссия по", "решение", "Председатель", "Акимат", "Причина", "Основани",
                    "заявк", "Одобрено", "Заявлено", "срок", "тел."):
        assert russian not in text, russian
    notice.organization.language = "ru"
    text_ru = " ".join(pdf_text(notice_pdf(notice)).split())
    assert "Акимат города Астаны" in text_ru and "Причина: Есть безработные сварщики" in text_ru


def test_a_secretary_records_the_paper_signature_of_a_chair_without_an_account(cast, astana_case):
    """Another secretary than the one who signs: recording the chair's signature is placing it."""
    astana_case.chair.user = None
    astana_case.chair.save()
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    url = f"/commissions/sessions/{astana_case.session.pk}/sign/"
    cast.client(cast.secretary).post(url)
    other = make_user("secretary2.astana@example.kz")
    add_membership(other, Role.COMMISSION_SECRETARY, authority=cast.akimat_astana)
    cast.client(other).post(url, {"as_chair": "1", "chair_paper_note": "Подписано на бумаге, арх. № 15"})
    astana_case.session.refresh_from_db()
    assert astana_case.session.is_signed and astana_case.session.chair_signature_note
    assert astana_case.session.chair_signed_by == other
    assert Notice.objects.get().sent_at is not None


def test_the_akimat_sees_due_and_overdue_notices(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    with time_machine.travel(almaty(2026, 10, 29, 10, 0), tick=False):
        body = cast.client(cast.akimat_officer).get("/commissions/notices/").content.decode()
    assert "28.10.2026" in body and "table-danger" in body


_unused = (dt,)


def test_a_member_votes_and_declares_a_conflict_only_for_themself(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app), votes={})
    decision = Decision.objects.get()
    client = cast.client(cast.member)  # linked to the chair
    assert client.post(f"/commissions/decisions/{decision.pk}/vote/",
                       {"member": astana_case.chair.pk, "choice": "for"}).status_code == 302
    assert decision.votes.get().member == astana_case.chair
    assert client.post(f"/commissions/decisions/{decision.pk}/vote/",
                       {"member": astana_case.members[3].pk, "choice": "for"}).status_code == 404
    assert client.post(f"/commissions/items/{astana_case.item.pk}/conflict/",
                       {"member": astana_case.members[3].pk, "reason": "x"}).status_code == 404
    assert client.post(f"/commissions/items/{astana_case.item.pk}/conflict/",
                       {"member": astana_case.chair.pk, "reason": "Родственник учредителя"}).status_code == 302
    assert not decision.votes.exists()  # the conflict removed the chair's vote
    assert client.get(f"/commissions/items/{astana_case.item.pk}/decision/").status_code == 404  # secretary only


def test_the_sweep_sends_a_notice_left_unsent_after_signing(cast, astana_case):
    from django.utils import timezone

    from commissions.sweeps import send_unsent_notices

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    Decision.objects.update(signed_at=timezone.now())
    Application.objects.filter(pk=astana_case.app.pk).update(status=S.DECIDED)
    assert send_unsent_notices() == 1
    assert send_unsent_notices() == 0
    assert Notice.objects.get().sent_at is not None


def test_an_officer_on_the_sessions_page_is_told_who_creates_sessions(cast, astana_case):
    officer_page = cast.client(cast.akimat_officer).get("/commissions/sessions/").content.decode()
    secretary_page = cast.client(cast.secretary).get("/commissions/sessions/").content.decode()
    assert 'data-testid="sessions-by-secretary"' in officer_page and 'name="place"' not in officer_page
    assert 'data-testid="sessions-by-secretary"' not in secretary_page and 'name="place"' in secretary_page


def test_between_the_signatures_the_page_says_the_chair_is_awaited_and_the_secretary_can_withdraw(cast, astana_case):
    from quota_portal.core.audit import history_for

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    client = cast.client(cast.secretary)
    response = client.post(f"/commissions/sessions/{astana_case.session.pk}/sign/", follow=True)
    page = response.content.decode()
    assert 'data-testid="awaiting-chair"' in page and 'data-testid="withdraw-signature"' in page
    assert "awaiting the chair" in page or "ожидается подпись председателя" in page
    assert not Notice.objects.filter(sent_at__isnull=False).exists()
    client.post(f"/commissions/sessions/{astana_case.session.pk}/sign/withdraw/")
    astana_case.session.refresh_from_db()
    assert astana_case.session.secretary_signed_at is None and astana_case.session.secretary_signed_by is None
    assert any(e["action"] == "session_signature_withdraw" and e["user"] == cast.secretary
               for e in history_for(astana_case.session))
    # Unsigned again, the decision can be edited.
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members), expected_version=1)


def test_the_secretary_cannot_withdraw_after_the_chair_has_signed(cast, astana_case):
    from quota_portal.core.errors import DomainError

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    with pytest.raises(DomainError):
        services.session_signature_withdraw(actor=cast.secretary, session=astana_case.session)
    astana_case.session.refresh_from_db()
    assert astana_case.session.is_signed
    other = cast.client(cast.member).post(f"/commissions/sessions/{astana_case.session.pk}/sign/withdraw/")
    assert other.status_code == 404


def test_the_secretary_puts_a_correction_on_a_later_sessions_agenda_over_http(cast, signed_case):
    from commissions.models import AgendaItem

    url = f"/commissions/decisions/{signed_case.decision.pk}/correct/"
    client = cast.client(cast.secretary)
    refused = client.post(url, {"session": "", "correction_reason": "Ошибка в подсчёте"})
    assert "Ошибка в подсчёте" in refused.content.decode()
    assert not AgendaItem.objects.filter(corrects__isnull=False).exists()
    later = services.session_create(actor=cast.secretary, commission=signed_case.session.commission,
                                    campaign=cast.campaign, date=dt.date(2026, 11, 20), place="Астана")
    assert f'value="{later.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"session": later.pk, "correction_reason": "Ошибка в подсчёте"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(corrects=signed_case.decision)
    assert item.session == later and item.correction_reason == "Ошибка в подсчёте"
    page = client.get(f"/commissions/sessions/{later.pk}/").content.decode()
    assert 'data-testid="correction-item"' in page
    session_page = client.get(f"/commissions/sessions/{signed_case.session.pk}/").content.decode()
    assert 'data-testid="corrected-later"' in session_page
    assert cast.client(cast.akimat_officer).get(url).status_code == 404


def test_the_notices_list_shows_the_real_delivery_from_the_outbox(cast, signed_case):
    from django.utils import timezone as tz

    from quota_portal.core.models import Outbox

    key = f"commissions.notice.{signed_case.notice.pk}"
    rows = Outbox.objects.filter(event_key=key)
    assert rows.filter(channel="email").exists() and rows.filter(channel="inbox").exists()
    rows.filter(channel="email").update(status="pending", sent_at=None)
    client = cast.client(cast.akimat_officer)
    body = client.get("/commissions/notices/").content.decode()
    assert 'data-testid="email-pending"' in body and 'data-testid="email-sent"' not in body
    assert 'data-testid="inbox-unread"' in body
    rows.filter(channel="email").update(status="failed", last_error="550 mailbox unavailable")
    rows.filter(channel="inbox").update(read_at=almaty(2026, 10, 21, 9, 30))
    body = client.get("/commissions/notices/").content.decode()
    assert 'data-testid="email-failed"' in body and "550 mailbox unavailable" in body
    assert 'data-testid="inbox-read"' in body and "21.10.2026 09:30" in body
    rows.filter(channel="email").update(status="sent", sent_at=tz.now())
    assert 'data-testid="email-sent"' in client.get("/commissions/notices/").content.decode()


def test_the_employers_status_history_shows_no_internal_late_reason(cast, occupations):
    from applications.models import StatusChange

    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    generalize(app, cast.akimat_officer)
    Generalization.objects.filter(application=app).update(generalized_at=almaty(2026, 10, 9, 10, 0))
    reason = "Специалист Петров был в отпуске"
    with time_machine.travel(almaty(2026, 10, 16, 10, 0), tick=False):
        response = cast.client(cast.akimat_officer).post("/commissions/to-commission/", {"late_reason": reason})
    assert response.status_code == 302
    assert Generalization.objects.get(application=app).to_commission_late_reason == reason
    change = StatusChange.objects.get(application=app, to_status=S.AT_COMMISSION)
    assert reason not in change.note and "@" not in change.note
    response = cast.client(cast.employer).get(f"/applications/{app.pk}/")
    assert response.status_code == 200 and reason not in response.content.decode()


def test_inbox_totals_count_only_the_lines_the_filters_select(cast, occupations):
    make_application(cast, status=S.SUBMITTED, lines=[("3", occupations.o2142, 2), ("4", occupations.o7212, 3)],
                     number="R-1")
    make_application(cast, org=cast.org2, status=S.SUBMITTED, lines=[("3", occupations.o2142, 5)], number="R-2")
    client = cast.client(cast.akimat_officer)
    totals = {t["category"]: t["total"] for t in client.get("/commissions/").context["totals"]}
    assert (totals["3"], totals["4"]) == (7, 3)
    totals = {t["category"]: t["total"] for t in client.get("/commissions/", {"category": "4"}).context["totals"]}
    assert (totals["3"], totals["4"]) == (0, 3)
    totals = {t["category"]: t["total"] for t in client.get("/commissions/", {"occupation": "2142"}).context["totals"]}
    assert (totals["3"], totals["4"]) == (7, 0)
    page = client.get("/commissions/", {"employer": cast.org2.bin_iin})
    totals = {t["category"]: t["total"] for t in page.context["totals"]}
    assert (totals["3"], totals["4"]) == (5, 0)


def test_a_deactivated_member_is_marked_inactive_in_the_commission_table(cast):
    commission, members = full_commission(cast.astana)
    members[3].is_active = False
    members[3].save()
    body = cast.client(cast.akimat_officer).get("/commissions/commission/").content.decode()
    assert body.count('data-testid="inactive-member"') == 1
    row = body[body.index('data-testid="inactive-member"'):]
    assert f"<s>{members[3].full_name}</s>" in row[:400]


def test_the_conflict_dropdown_lists_only_members_present(cast, astana_case):
    from commissions.models import ConflictDeclaration
    from quota_portal.core.errors import DomainError

    absent = astana_case.members[5]
    services.attendance_set(actor=cast.secretary, session=astana_case.session,
                            present_ids={m.pk for m in astana_case.members if m != absent})
    body = cast.client(cast.secretary).get(f"/commissions/sessions/{astana_case.session.pk}/").content.decode()
    form = body[body.index(f'action="/commissions/items/{astana_case.item.pk}/conflict/"'):]
    form = form[:form.index("</select>")]
    assert f'value="{absent.pk}"' not in form and f'value="{astana_case.members[2].pk}"' in form
    with pytest.raises(DomainError):
        services.conflict_declare(actor=cast.secretary, item=astana_case.item, member=absent, reason="родственник")
    assert not ConflictDeclaration.objects.exists()


def test_the_decision_form_uses_short_ground_labels_with_the_full_text_once(cast, astana_case):
    body = cast.client(cast.secretary).get(f"/commissions/items/{astana_case.item.pk}/decision/").content.decode()
    legend = body[body.index('data-testid="grounds-legend"'):]
    legend = legend[:legend.index("</ul>")]
    assert legend.count("<li>") == 3
    table = body[body.index('data-testid="decision-form"'):]
    label = re.search(r'<label class="form-check-label text-nowrap" for="id_grounds_\d+_0">([^<]+)</label>',
                      table).group(1)
    assert label.strip() in ("p.10(1)", "п.10(1)")


def test_the_notices_list_cites_p11_on_the_due_column(cast, signed_case):
    body = cast.client(cast.akimat_officer).get("/commissions/notices/").content.decode()
    assert "p.11" in body[body.index("<thead>"):body.index("</thead>")] or \
        "п.11" in body[body.index("<thead>"):body.index("</thead>")]


def test_the_labour_market_template_keeps_a_formula_like_note_as_text(cast, occupations):
    from openpyxl import load_workbook

    from commissions.models import LabourMarketFigure

    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      jobseekers=4, note='=HYPERLINK("http://evil.example","x")')
    response = cast.client(cast.akimat_officer).get("/commissions/labour-market/template.xlsx")

    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_employers_page_shows_the_signed_decision_line_by_line_with_grounds_and_the_notice(
        cast, signed_case, settings):
    client = cast.client(cast.employer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = " ".join(client.get(f"/applications/{signed_case.app.pk}/").content.decode().split())
    block = html[html.index('data-testid="decision"'):]
    block = block[:block.index("</table>") + 800]
    rows = re.findall(
        r'<tr><td>([^<]*)</td><td class="qp-num">(\d+)</td><td class="qp-num">(\d+)</td><td>(.*?)</td></tr>', block)
    assert [(requested, approved) for _occupation, requested, approved, _grounds in rows] == [("5", "5"), ("10", "4")]
    assert "2142" in rows[0][0] and "7212" in rows[1][0]
    assert rows[0][3] == ""  # approved in full: no ground
    # The grounds in the Rules' words (p.10(1), p.10(3)), one source with the form and the documents.
    from commissions.models import Ground

    assert f"<div>{Ground.DOMESTIC.label}</div><div>{Ground.LABOUR_LAW.label}</div>" in rows[1][3]
    assert "other payments to employees in the previous and current years" in rows[1][3]
    assert "Есть безработные сварщики" in rows[1][3]
    assert "Commission decision</strong> · 20 October 2026" in block
    assert f'href="/commissions/notices/{signed_case.notice.pk}/pdf/"' in block and "sent " in block
    assert 'data-testid="status">Notice sent: Partly approved</span>' in html
