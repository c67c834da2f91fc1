"""Issue 10 end to end in the browser: the Astana akimat sends its three annexes (late, with a reason,
since the suite's today is 25 Nov 2026), a central body's proposal is agreed by the akimat, and the
Ministry sees both: the region as sent late with its Annex 2 totals in the national view, and the agreed
proposal among the agreed ones."""
from __future__ import annotations

import pytest

from allocation.models import SubmissionVersion
from allocation.proposals_models import Proposal, ProposalStatus
from tests.allocation.proposals_conftest import sent as sent_proposal
from tests.allocation.submission_helpers import decide, make_app, make_org
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_akimat_sends_three_annexes_a_proposal_is_agreed_and_the_ministry_sees_both(browser, live_server, cast,
                                                                                         occupations):
    app = make_app(cast, make_org(cast.astana, 1), lines=[("3", occupations.o2142, 5, ""),
                                                          ("4", occupations.o7212, 8, "")])
    decide(cast, app)
    proposal = sent_proposal(cast, campaign=cast.campaign)

    def page_for(user):
        context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        login(pg, user.email, PASSWORD)
        return pg

    akimat = page_for(cast.akimat_officer)
    akimat.goto("/allocation/submissions/2027/")
    akimat.locator("#send-form textarea[name=late_reason]").fill("Протокол Комиссии подписан 30 октября")
    akimat.locator("#send-form input[name=confirm]").check()
    akimat.locator("#send-form button").click()
    akimat.wait_for_load_state()
    version = SubmissionVersion.objects.get()
    assert version.is_late and version.late_reason == "Протокол Комиссии подписан 30 октября"
    assert (version.total_cat3, version.total_cat4) == (5, 8)

    akimat.goto(f"/allocation/proposals/{proposal.pk}/")
    akimat.get_by_test_id("agree").click()
    akimat.wait_for_selector("[data-testid=agreement-record]")
    assert Proposal.objects.get().status == ProposalStatus.AGREED

    ministry = page_for(cast.analyst)
    ministry.goto("/ministry/national/2027/")
    row = ministry.get_by_test_id("national-table").locator(f"tr[data-region='{cast.astana.code}']")
    assert row.locator("[data-status]").get_attribute("data-status") == "late"
    cells = row.locator("td").all_inner_texts()
    assert "5" in cells and "8" in cells and "13" in cells, cells
    screenshot(ministry, "issue10-national")
    ministry.goto("/allocation/proposals/agreed/?campaign=2027")
    agreed_row = ministry.get_by_test_id("agreed-totals").locator(f"tr[data-region='{cast.astana.code}']")
    assert agreed_row.locator("td").all_inner_texts()[1:] == ["0", "0", "10", "20", "0", "30"]
    for pg in (akimat, ministry):
        pg.context.close()
