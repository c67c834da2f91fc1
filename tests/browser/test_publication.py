"""Publishing the quota in the browser (Rules p.19): the approver opens the proposal from the dashboard,
approves it with the day of the distribution and publishes it; an anonymous visitor opens the public
page and downloads the JSON, which is the published data."""
from __future__ import annotations

import json

import pytest

from allocation.quota_models import Distribution, DistributionStatus
from allocation.quota_services import distribution_propose
from tests.allocation.quota_helpers import small_figures
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_approver_publishes_and_an_anonymous_visitor_downloads_the_json(browser, live_server, cast):
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast),
                                    reason="Сценарий «По заявкам регионов»")

    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
    approver = context.new_page()
    approver.set_default_timeout(20_000)
    login(approver, cast.approver.email, PASSWORD)
    approver.get_by_test_id("publication-panel").get_by_role("link").first.click()
    approver.wait_for_url(f"**/ministry/quota/2027/distribution/{proposal.pk}/")
    assert approver.get_by_test_id("reason").inner_text() == "Сценарий «По заявкам регионов»"
    approver.fill("input[name=day]", "2026-11-24")
    approver.get_by_test_id("approve").click()
    approver.get_by_test_id("publication-due").wait_for()
    assert "27 ноября 2026" in approver.get_by_test_id("publication-due").inner_text()
    approver.get_by_test_id("publish").click()
    approver.get_by_test_id("published").wait_for()
    screenshot(approver, "publication-approver-published")
    published = Distribution.objects.get(pk=proposal.pk)
    assert published.status == DistributionStatus.PUBLISHED and published.number == 1
    context.close()

    visitor_context = browser.new_context(base_url=live_server.url, locale="ru-RU",
                                          viewport={"width": 390, "height": 844}, accept_downloads=True)
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(20_000)
    visitor.goto("/public/quota/")
    visitor.get_by_role("link", name="Квота на 2027 год").click()
    visitor.wait_for_url("**/public/quota/2027/")
    table = visitor.get_by_test_id("quota-table")
    assert "Атырауская область" in table.inner_text()
    assert visitor.get_by_test_id("chart").first.is_visible() or visitor.get_by_test_id("chart").last.is_visible()
    screenshot(visitor, "publication-public-390")
    with visitor.expect_download() as info:
        visitor.get_by_test_id("download-json").click(modifiers=["Alt"])
    path = info.value.path()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["year"] == 2027
    assert data["permits"]["total"] == published.permits_total
    visitor_context.close()
