"""Central-body proposals in the browser (Rules p.13): the central officer drafts (occupation by the
autocomplete) and sends, the akimat officer agrees with one changed number, the Ministry sees the
agreed counts."""
from __future__ import annotations

import pytest

from allocation.proposals_models import Proposal, ProposalStatus
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_is_drafted_sent_agreed_with_a_change_and_reaches_the_ministry(browser, live_server, cast,
                                                                                   occupations):
    def page_for(user):
        context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        login(pg, user.email, PASSWORD)
        return pg

    central = page_for(cast.central_officer)
    central.get_by_test_id("proposals-panel").get_by_role("link", name="Новое предложение").click()
    central.select_option("select[name=campaign]", str(cast.next_campaign.pk))
    central.select_option("select[name=region]", str(cast.astana.pk))
    central.fill("input[name=title]", "Строительство ГПЗ в Астане")
    central.fill("textarea[name=justification]", "Прогноз: дефицит сварщиков в 2028 году")
    central.select_option("select[name=lines-0-category]", "4")
    central.fill("input[name=lines-0-occupation]", "Сварщ")
    central.locator(".qp-ac-menu li", has_text="7212").click()
    central.fill("input[name=lines-0-count]", "20")
    central.click("[data-add-row=lines]")
    central.select_option("select[name=lines-1-category]", "3")
    central.fill("input[name=lines-1-occupation]", "2142")
    central.fill("input[name=lines-1-count]", "5")
    central.get_by_test_id("save-proposal").click()
    central.wait_for_url("**/allocation/proposals/*/")
    proposal = Proposal.objects.get()
    assert proposal.lines.count() == 2
    central.get_by_test_id("send").click()
    central.get_by_test_id("confirm-send").click()
    central.wait_for_url(f"**/allocation/proposals/{proposal.pk}/")
    assert central.get_by_test_id("proposal-status").inner_text() == "Ожидает согласования акимата"

    akimat = page_for(cast.akimat_officer)
    akimat.get_by_test_id("proposals-panel").get_by_role("link", name="Строительство ГПЗ в Астане").click()
    welders = proposal.lines.get(category="4")
    akimat.fill(f"input[name=agreed_{welders.pk}]", "12")
    akimat.get_by_test_id("agree").click()
    # A change without its reason is refused; what was typed stays.
    assert akimat.input_value(f"input[name=agreed_{welders.pk}]") == "12"
    assert Proposal.objects.get().status == ProposalStatus.SENT
    akimat.fill(f"textarea[name=reason_{welders.pk}]", "8 местных сварщиков пройдут обучение")
    screenshot(akimat, "proposals-agreement-form")
    akimat.get_by_test_id("agree").click()
    akimat.wait_for_selector("[data-testid=agreement-record]")
    assert Proposal.objects.get().status == ProposalStatus.AGREED

    ministry = page_for(cast.analyst)
    ministry.goto("/allocation/proposals/agreed/?campaign=2028")
    row = ministry.get_by_test_id("agreed-totals").locator(f"tr[data-region='{cast.astana.code}']")
    assert row.locator("td").all_inner_texts()[1:] == ["0", "0", "5", "12", "0", "17"]
    card = ministry.get_by_test_id("agreed-proposal")
    assert "8 местных сварщиков пройдут обучение" in card.inner_text()
    screenshot(ministry, "proposals-ministry")
    for pg in (central, akimat, ministry):
        pg.context.close()
