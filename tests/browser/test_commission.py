"""A Commission session in the browser: agenda, attendance, a refused cut, the decision with votes,
both sign-offs, and the employer reading the decision and the notice."""
from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application
from commissions.models import Decision, Notice
from tests.browser.conftest import login, screenshot
from tests.commissions.conftest import full_commission, generalize, make_application
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_session_runs_from_agenda_to_signed_protocol_and_the_employer_gets_the_notice(page, cast, occupations):
    app = make_application(cast, status=Application.Status.AT_COMMISSION,
                           lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)], number="AST-2027-0001")
    generalize(app, cast.akimat_officer)
    _commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    welders = app.lines.get(occupation=occupations.o7212)

    login(page, cast.secretary.email, PASSWORD)
    page.goto("/commissions/sessions/")
    page.fill("input[name=date]", timezone.localdate().isoformat())  # decisions are taken on the session day
    page.fill("input[name=place]", "Астана, пр. Бейбитшилик, 11")
    page.click("form:has(input[name=place]) [type=submit]")
    page.wait_for_url("**/commissions/sessions/*/")
    assert page.get_by_test_id("agenda-item").count() == 1
    assert page.get_by_test_id("no-quorum").is_visible()
    for box in page.locator("input[name=present]").all():
        box.check()
    page.get_by_test_id("attendance-form").locator("button").click()
    screenshot(page, "commission-session-agenda")

    page.get_by_test_id("record-decision").click()
    page.fill(f"input[name=approved_{welders.pk}]", "4")
    for member in members:
        page.check(f"#v-{member.pk}-for")
    page.get_by_test_id("save-decision").click()
    # A cut without a ground of p.10 is refused and what was typed stays.
    assert page.locator(".alert-danger").filter(has_text="10").count() >= 1
    assert page.input_value(f"input[name=approved_{welders.pk}]") == "4"
    assert not Decision.objects.exists()
    page.check(f"#id_grounds_{welders.pk}_0")
    page.fill(f"textarea[name=reason_{welders.pk}]", "В регионе 40 зарегистрированных безработных сварщиков")
    screenshot(page, "commission-decision-form")
    page.get_by_test_id("save-decision").click()
    page.wait_for_url("**/commissions/sessions/*/")
    tally = [page.get_by_test_id(f"tally-{c}").inner_text() for c in ("for", "against", "abstain")]
    assert tally == ["7", "0", "0"]
    page.get_by_test_id("sign-secretary").click()
    page.wait_for_load_state()
    assert not page.get_by_test_id("sign-secretary").count()
    assert page.get_by_test_id("awaiting-chair").is_visible()
    screenshot(page, "commission-session-awaiting-chair")

    page.context.clear_cookies()
    login(page, cast.member.email, PASSWORD)
    page.goto(f"/commissions/sessions/{Decision.objects.get().item.session_id}/")
    page.get_by_test_id("sign-chair").click()
    page.wait_for_load_state()
    screenshot(page, "commission-session-signed")
    notice = Notice.objects.get()
    assert notice.sent_at is not None
    app.refresh_from_db()
    assert (app.status, app.outcome) == (Application.Status.NOTIFIED, "partly")
    pdf = page.request.get(f"/commissions/sessions/{notice.decision.item.session_id}/protocol.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    page.context.clear_cookies()
    login(page, cast.employer.email, PASSWORD)
    page.goto("/inbox/")
    assert "AST-2027-0001" in page.content()
    screenshot(page, "commission-employer-inbox")
    page.goto(f"/applications/{app.pk}/")
    decision = page.get_by_test_id("decision")
    assert decision.is_visible()
    assert "4" in decision.inner_text() and re.search(r"10\S*\(1\)", decision.inner_text())
    screenshot(page, "commission-employer-decision")
    response = page.request.get(f"/commissions/notices/{notice.pk}/pdf/")
    assert response.ok and response.body()[:4] == b"%PDF"
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    assert cast.org.name in text and "AST-2027-0001" in text and notice.number in text
    assert "Причина: В регионе 40 зарегистрированных безработных сварщиков" in text
    assert re.search(r"10\S*\(1\)", text) and "частично" in text.lower()

    page.context.clear_cookies()
    login(page, cast.akimat_officer.email, PASSWORD)
    page.goto("/commissions/notices/")
    assert page.get_by_test_id(f"delivery-{notice.pk}").is_visible()
    assert not page.locator("tr.table-danger").count()  # sent on the day of the decision: not overdue
    screenshot(page, "commission-notices")
