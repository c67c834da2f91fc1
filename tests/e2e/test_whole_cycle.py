"""The whole yearly cycle of quota 2027 in the browser, in Russian (issue 13, the sixth point).

Only the cast and the campaign are made in Python: the users and their roles, the regions, the quota 2027
campaign with the Rules' calendar, the two Commissions' members and the national labour force. Everything
else goes through the pages, on the day of the calendar it belongs to (the process clock is moved, the live
server runs in this process, see tests/conftest.py "The clock"):

    15 Sep 2026  the employer files Annex 1 in Astana and in Atyrau (filing until 1 Oct, p.6)
     2 Oct 2026  each akimat generalizes (p.7, until 10 Oct) and puts it before its Commission (p.8);
                 Astana states its need for labour immigrants (p.15, Annex 3)
     5 Oct 2026  the Commissions decide (Astana in part, with a ground of p.10), secretary and chair sign;
                 the employer reads the written notice (p.11) and downloads its PDF
    20 Oct 2026  a central body proposes for Atyrau (p.13); both akimats send Annexes 2-4 (p.12, until 1 Nov);
                 the Atyrau akimat agrees the proposal
     1 Dec 2026  the Ministry's analyst builds a scenario and proposes it, the approver approves and publishes
                 (p.19); an anonymous visitor reads the region's numbers
    15 Feb 2027  Astana gives permits to Atyrau (p.21): version 2 is published

A screenshot of every step is saved as test-artifacts/e2e/NN-step.png (steps.txt: the second each was
reached). Each screen passed through is checked to be Russian: html lang="ru" and no English word in its
visible text. Run it with `make e2e`.
"""
from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from allocation.models import SubmissionVersion
from allocation.proposals_models import Proposal, ProposalStatus
from applications.models import Application
from commissions.models import Decision, Notice
from quota_portal.core.models import Role
from tests.allocation.scenario_data import with_labour_force
from tests.browser.conftest import ARTIFACTS, login
from tests.commissions.conftest import full_commission
from tests.conftest import PASSWORD, add_membership, almaty, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "e2e"


def latin_words(text: str) -> set[str]:
    """Words of three Latin letters or more, less what a Russian screen may show: e-mail addresses, links,
    file names (schema.json), the IANA name of the portal's time zone, digests and codes (a word with a digit
    in it), abbreviations and file formats (PDF, XLSX, ISCO: capitals, up to four) and names of standards
    (PAdES: two capitals or more)."""
    text = re.sub(r"\S+@\S+|https?://\S+|\w+\.[a-z]{3,4}\b|Asia/Almaty|\S*\d\S*", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{3,}", text)
            if not (w.isupper() and len(w) <= 4) and sum(c.isupper() for c in w) < 2}


class Walk:
    """The browser session of the walk: a context per person and a numbered screenshot per step."""

    def __init__(self, browser, live_server):
        self.browser, self.url, self.n, self.contexts = browser, live_server.url, 0, []
        self.started = time.monotonic()
        self.english = {}  # step -> Latin words seen on its screen (asserted empty at the end)
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in [*SHOTS.glob("*.png"), *SHOTS.glob("steps.txt")]:
            old.unlink()

    def open(self, user=None):
        context = self.browser.new_context(base_url=self.url, locale="ru-RU", viewport={"width": 1366, "height": 900},
                                           accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            login(page, user.email, PASSWORD)
        return page

    def step(self, page, name: str) -> Path:
        """Check the screen is Russian, then save it as NN-name.png."""
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "ru", (name, page.url)
        english = latin_words(page.locator("body").inner_text())
        if english:
            self.english[name] = sorted(english)
        self.n += 1
        with (SHOTS / "steps.txt").open("a", encoding="utf-8") as log:  # when each step was reached
            log.write(f"{time.monotonic() - self.started:6.1f}s {self.n:02d}-{name}\n")
        path = SHOTS / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        for context in self.contexts:
            context.close()


def post(page, target) -> None:
    """Click a form's button or a link (a selector or a locator) and wait for the page the server answers with."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def file_annex1(page, walk, *, campaign, region, lines, name):
    """The employer starts an application, types its lines and submits it; returns its registration number."""
    page.goto("/applications/new/")
    page.select_option("select[name=campaign]", str(campaign.pk))
    page.select_option("select[name=region]", str(region.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))
    page.fill("input[name=current_year_count]", "3")
    for i, (category, occupation, count) in enumerate(lines):
        if i:
            page.click("[data-add-row=lines]")
        page.select_option(f"select[name=lines-{i}-category]", category)
        page.fill(f"input[name=lines-{i}-occupation]", occupation)
        page.fill(f"input[name=lines-{i}-count]", str(count))
    page.fill("textarea[name=justification]", "Строительство школы по договору подряда № 12/2026")
    page.fill("input[name=signer_position]", "Директор")
    page.fill("input[name=signer_name]", "Сәдуақасова Айгерім")
    post(page, "button[name=action][value=save]")
    walk.step(page, f"{name}-edit")
    page.click("button[name=action][value=review]")
    page.wait_for_url("**/review/")
    page.get_by_test_id("declaration").check()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("receipt").wait_for()
    walk.step(page, f"{name}-receipt")
    return page.get_by_test_id("registration-number").inner_text().strip()


def generalize(page, walk, application, name):
    """The akimat officer fills the four factors of p.7, marks it generalized and puts it before the Commission."""
    page.goto(f"/commissions/applications/{application.pk}/")
    for field, text in (("note_demand", "Строительство школы в плане развития региона"),
                        ("note_forecast", "Выпускников по специальности мало"),
                        ("note_domestic", "Местных специалистов не хватает"),
                        ("note_effectiveness", "В прошлом году квота использована полностью")):
        page.fill(f"#{field}", text)
    post(page, page.get_by_test_id("mark-generalized"))
    walk.step(page, f"{name}-generalized")
    page.goto("/commissions/")
    post(page, page.get_by_test_id("to-commission"))
    walk.step(page, f"{name}-before-commission")


def hold_session(walk, *, secretary, chair, members, cut=None, name):
    """The secretary opens a session today, records everyone present and the decision with every vote for,
    and signs; the chair signs. `cut`: (line, approved, reason) approves that line in part on ground p.10(1)."""
    page = walk.open(secretary)
    page.goto("/commissions/sessions/")
    page.fill("input[name=date]", "2026-10-05")
    page.fill("input[name=place]", "Зал заседаний акимата")
    page.click("form:has(input[name=place]) [type=submit]")
    page.wait_for_url("**/commissions/sessions/*/")
    for box in page.locator("input[name=present]").all():
        box.check()
    post(page, page.get_by_test_id("attendance-form").locator("button"))
    page.get_by_test_id("record-decision").click()
    page.get_by_test_id("decision-form").wait_for()
    if cut:
        line, approved, reason = cut
        page.fill(f"input[name=approved_{line.pk}]", str(approved))
        page.check(f"#id_grounds_{line.pk}_0")
        page.fill(f"textarea[name=reason_{line.pk}]", reason)
    for member in members:
        page.check(f"#v-{member.pk}-for")
    walk.step(page, f"{name}-decision")
    page.get_by_test_id("save-decision").click()
    page.wait_for_url("**/commissions/sessions/*/")
    page.get_by_test_id("sign-secretary").click()
    page.get_by_test_id("awaiting-chair").wait_for()
    session_url = page.url
    walk.step(page, f"{name}-signed-by-secretary")
    page = walk.open(chair)
    page.goto(session_url)
    post(page, page.get_by_test_id("sign-chair"))
    assert not page.get_by_test_id("sign-chair").count()
    walk.step(page, f"{name}-signed-by-chair")


def send_annexes(page, walk, name):
    page.goto("/allocation/submissions/2027/")
    page.locator("#send-form input[name=confirm]").check()
    post(page, "#send-form button")
    walk.step(page, f"{name}-annexes-sent")


def public_row(page, region) -> list[str]:
    cells = page.get_by_test_id("quota-table").locator(f"tr[data-region='{region.code}'] td").all_inner_texts()
    return [c.replace("\u00a0", "").replace(" ", "") for c in cells[1:]]  # categories 1-4, S, total, immigrants


def test_the_whole_yearly_cycle_in_russian(browser, live_server, cast, occupations, _today):
    # The cast: the Atyrau Commission's chair, both Commissions' p.9 members, the labour force of p.4.
    chair_atyrau = make_user("member.atyrau@example.kz")
    add_membership(chair_atyrau, Role.COMMISSION_MEMBER, authority=cast.akimat_atyrau)
    _c, astana_members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    _c, atyrau_members = full_commission(cast.atyrau, users={0: chair_atyrau, 1: cast.secretary_atyrau})
    with_labour_force(cast)
    walk = Walk(browser, live_server)
    try:
        # 15 Sep 2026: filing is open (p.6). The employer files in two regions.
        _today.move_to(almaty(2026, 9, 15, 10))
        employer = walk.open(cast.employer)
        walk.step(employer, "employer-dashboard")
        file_annex1(employer, walk, campaign=cast.campaign, region=cast.astana, name="astana-annex1",
                    lines=[("3", "2142", 5), ("4", "7212", 10)])
        file_annex1(employer, walk, campaign=cast.campaign, region=cast.atyrau, name="atyrau-annex1",
                    lines=[("3", "2142", 6)])
        astana_app = Application.objects.get(region=cast.astana, campaign=cast.campaign)
        atyrau_app = Application.objects.get(region=cast.atyrau, campaign=cast.campaign)
        assert (astana_app.status, atyrau_app.status) == (Application.Status.SUBMITTED,) * 2

        # 2 Oct 2026: filing closed; each akimat generalizes (p.7) and puts it before its Commission (p.8).
        _today.move_to(almaty(2026, 10, 2, 10))
        astana = walk.open(cast.akimat_officer)
        generalize(astana, walk, astana_app, "astana")
        # Astana also determines its need for labour immigrants (p.15, until 10 Oct): its Annex 3.
        astana.goto("/allocation/submissions/2027/")
        annex3 = astana.locator("#annex3-form")
        annex3.locator("input[name=li_need]").fill("40")
        annex3.locator("textarea[name=li_justification]").fill("Сезонные работы в строительстве")
        post(astana, annex3.locator("button"))
        walk.step(astana, "astana-annex3")
        generalize(walk.open(cast.akimat_officer_atyrau), walk, atyrau_app, "atyrau")
        assert set(Application.objects.values_list("status", flat=True)) == {Application.Status.AT_COMMISSION}

        # 5 Oct 2026: the Commissions decide; Astana's approves the welders in part on ground p.10(1).
        _today.move_to(almaty(2026, 10, 5, 10))
        welders = astana_app.lines.get(category="4")
        hold_session(walk, secretary=cast.secretary, chair=cast.member, members=astana_members,
                     name="astana-commission",
                     cut=(welders, 4, "В регионе 40 зарегистрированных безработных сварщиков"))
        hold_session(walk, secretary=cast.secretary_atyrau, chair=chair_atyrau, members=atyrau_members,
                     name="atyrau-commission")
        astana_app.refresh_from_db()
        atyrau_app.refresh_from_db()
        assert (astana_app.outcome, atyrau_app.outcome) == ("partly", "approved")
        notice = Notice.objects.get(decision__item__application=astana_app)
        assert notice.sent_at is not None

        # The employer reads the written notice (p.11) and downloads it.
        employer = walk.open(cast.employer)
        employer.goto("/inbox/")
        assert astana_app.registration_number in employer.locator("main").inner_text()
        walk.step(employer, "employer-inbox")
        post(employer, employer.locator("main a.list-group-item").filter(
            has_text=f"Решение Комиссии по заявке {astana_app.registration_number}"))
        # The message opens the written notice itself, a PDF.
        assert employer.url.endswith(f"/commissions/notices/{notice.pk}/pdf/")
        pdf = employer.request.get(employer.url)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
        assert astana_app.registration_number in text and "частично" in text.lower()
        employer.goto(f"/applications/{astana_app.pk}/")
        decision = employer.get_by_test_id("decision")
        assert "Одобрено частично" in employer.locator("main").inner_text()
        assert "сварщиков" in decision.inner_text() and re.search(r"10\S*\(1\)", decision.inner_text())
        walk.step(employer, "employer-notice")
        assert decision.get_by_role("link", name="PDF").get_attribute("href").endswith(
            f"/commissions/notices/{notice.pk}/pdf/")

        # 20 Oct 2026: a central body proposes for Atyrau (p.13); both akimats send Annexes 2-4 (p.12).
        _today.move_to(almaty(2026, 10, 20, 10))
        central = walk.open(cast.central_officer)
        central.get_by_test_id("proposals-panel").get_by_role("link", name="Новое предложение").click()
        central.select_option("select[name=campaign]", str(cast.campaign.pk))
        central.select_option("select[name=region]", str(cast.atyrau.pk))
        central.fill("input[name=title]", "Полимерный завод в Атырау")
        central.fill("textarea[name=justification]", "Пуск второй очереди в 2027 году")
        central.select_option("select[name=lines-0-category]", "4")
        central.fill("input[name=lines-0-occupation]", "7212")
        central.fill("input[name=lines-0-count]", "20")
        central.get_by_test_id("save-proposal").click()
        central.wait_for_url(re.compile(r".*/allocation/proposals/\d+/$"))
        central.get_by_test_id("send").click()
        central.get_by_test_id("confirm-send").click()
        central.get_by_test_id("proposal-status").filter(has_text="Ожидает согласования акимата").wait_for()
        walk.step(central, "central-proposal-sent")
        proposal_url = central.url

        send_annexes(walk.open(cast.akimat_officer), walk, "astana")
        atyrau = walk.open(cast.akimat_officer_atyrau)
        send_annexes(atyrau, walk, "atyrau")
        atyrau.goto(proposal_url)
        atyrau.get_by_test_id("agree").click()
        atyrau.get_by_test_id("agreement-record").wait_for()
        walk.step(atyrau, "atyrau-proposal-agreed")
        sent = {v.region_id: (v.total_cat3, v.total_cat4, v.is_late) for v in SubmissionVersion.objects.all()}
        assert sent == {cast.astana.pk: (5, 4, False), cast.atyrau.pk: (6, 0, False)}
        assert SubmissionVersion.objects.get(region=cast.astana).li_need == 40
        assert Proposal.objects.get().status == ProposalStatus.AGREED

        # 1 Dec 2026: the analyst builds a scenario and proposes it; the approver approves and publishes (p.19).
        _today.move_to(almaty(2026, 12, 1, 10))
        analyst = walk.open(cast.analyst)
        analyst.get_by_test_id("quota-panel").get_by_role("link", name="Открыть сценарии").click()
        analyst.get_by_test_id("new-scenario").click()
        analyst.fill("input[name=name]", "По заявкам регионов")
        analyst.fill("input[name=permits_percent]", "0,001")
        analyst.fill("input[name=immigrants_percent]", "0,00041")  # 39.85 of 9 720 000: 40, Astana's need
        analyst.wait_for_function("() => document.querySelector('[data-testid=permits-total]').innerText"
                                  ".replace(/\\s/g, '') === '97'")
        analyst.get_by_test_id("save").click()
        analyst.wait_for_url(re.compile(r".*/scenarios/\d+/$"))
        analyst.fill("textarea[name=reason]", "Сводные заявки акиматов и согласованное предложение")
        analyst.get_by_test_id("propose").click()
        analyst.get_by_test_id("pending").wait_for()
        walk.step(analyst, "ministry-scenario-proposed")

        approver = walk.open(cast.approver)
        approver.get_by_test_id("publication-panel").get_by_role("link").first.click()
        approver.wait_for_url("**/ministry/quota/2027/distribution/*/")
        approver.fill("input[name=day]", "2026-12-01")
        approver.get_by_test_id("approve").click()
        approver.get_by_test_id("publication-due").wait_for()
        approver.get_by_test_id("publish").click()
        approver.get_by_test_id("published").wait_for()
        walk.step(approver, "ministry-published")

        # An anonymous visitor: each region's numbers are what its Commission approved, plus the agreed proposal.
        visitor = walk.open()
        visitor.goto("/public/quota/")
        visitor.get_by_role("link", name="Квота на 2027 год").click()
        visitor.wait_for_url("**/public/quota/2027/")
        assert public_row(visitor, cast.astana) == ["0", "0", "5", "4", "0", "9", "40"]
        assert public_row(visitor, cast.atyrau) == ["0", "0", "6", "20", "0", "26", "0"]
        walk.step(visitor, "public-version-1")

        # 15 Feb 2027: Astana gives 2 permits of category 3 to Atyrau (p.21); version 2 is published.
        _today.move_to(almaty(2027, 2, 15, 10))
        akimat = walk.open(cast.akimat_officer)
        akimat.goto("/allocation/redistributions/")
        akimat.get_by_test_id("new-redistribution").click()
        akimat.check("input[name=direction][value=give]")
        akimat.select_option("select[name=other_region]", str(cast.atyrau.pk))
        akimat.select_option("select[name=category]", "3")
        akimat.fill("input[name=count]", "2")
        akimat.fill("textarea[name=reason]", "Проект в Атырау; у нас 2 разрешения не будут использованы")
        akimat.get_by_test_id("send-redistribution").click()
        akimat.wait_for_url(re.compile(r".*/allocation/redistributions/\d+/$"))
        walk.step(akimat, "redistribution-asked")
        redistribution_url = akimat.url
        analyst = walk.open(cast.analyst)
        analyst.goto("/ministry/quota/redistributions/")
        analyst.get_by_test_id("queue-endorse").click()
        analyst.wait_for_selector("[data-testid=queue-row] [data-testid=redistribution-status]")
        walk.step(analyst, "redistribution-endorsed")
        approver = walk.open(cast.approver)
        approver.goto(redistribution_url)
        approver.get_by_test_id("approve").click()
        approver.get_by_test_id("result").wait_for()
        walk.step(approver, "redistribution-approved")

        visitor = walk.open()
        visitor.goto("/public/quota/2027/")
        assert public_row(visitor, cast.astana) == ["0", "0", "3", "4", "0", "7", "40"]
        assert public_row(visitor, cast.atyrau) == ["0", "0", "8", "20", "0", "28", "0"]
        assert visitor.get_by_test_id("versions").locator("[data-version='2']").count() == 1
        walk.step(visitor, "public-version-2")
        assert Decision.objects.count() == 2
        assert walk.english == {}, f"English words on Russian screens: {walk.english}"
    finally:
        walk.close()
