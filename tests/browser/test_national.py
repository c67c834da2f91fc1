"""The Ministry's national view in the browser (issue 10): the dashboard panel leads to every
region's status and totals, a region's versions and annexes, and the employers across regions.
Screenshots at 1280 and 390 px, in Russian and Kazakh, go to test-artifacts/national-*.png."""
import pytest

from tests.allocation.national_data import build_national
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"national-{name}-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})  # the header is expanded from 1400 px


def test_the_ministry_reads_the_regions_submissions(page, cast, occupations):
    nat = build_national(cast, occupations, extra_regions=8)
    login(page, cast.analyst.email, PASSWORD)
    panel = page.get_by_test_id("national-panel")
    assert panel.get_by_test_id("national-panel-sent").inner_text().split()[0] == "11"
    assert panel.get_by_test_id("national-panel-late").inner_text().split()[0] == "1"
    panel.get_by_role("link").click()
    page.wait_for_url("**/ministry/national/2027/")
    table = page.get_by_test_id("national-table")
    assert table.locator(f"tr[data-region='{cast.atyrau.code}'] [data-status=late]").is_visible()
    assert table.locator(f"tr[data-region='{nat.third.code}'] [data-status=resent]").is_visible()
    assert table.locator(f"tr[data-region='{nat.fourth.code}'] [data-status=draft]").is_visible()
    total = page.get_by_test_id("national-total").locator("td").nth(7).inner_text()
    shoot(page, "view-ru")
    page.click("button[data-lang=kk]")
    page.wait_for_load_state()
    assert page.get_by_test_id("national-total").locator("td").nth(7).inner_text() == total
    shoot(page, "view-kk")
    page.click("button[data-lang=ru]")
    page.wait_for_load_state()

    table.locator(f"tr[data-region='{cast.atyrau.code}'] a").first.click()
    page.wait_for_url(f"**/regions/{cast.atyrau.code}/")
    assert "Протокол подписан 30 октября" in page.get_by_test_id("region-versions").inner_text()
    shoot(page, "region-ru")
    page.get_by_test_id("region-versions").get_by_role("link", name="v1").click()
    page.wait_for_url("**/v1/")
    assert cast.org2.name in page.get_by_test_id("annex2").inner_text()
    assert "Страна Зет" in page.get_by_test_id("annex4").inner_text()
    shoot(page, "version-ru")

    page.goto(f"/ministry/national/2027/regions/{nat.third.code}/diff/1-2/")
    assert nat.b.name in page.get_by_test_id("diff-added").inner_text()
    shoot(page, "diff-ru")

    page.goto("/ministry/national/2027/employers/")
    page.fill("input[name=q]", cast.org.bin_iin)
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/employers/?q=*")
    employer = page.get_by_test_id("employer")
    assert employer.count() == 1
    assert employer.locator(f"tr[data-region='{cast.atyrau.code}'][data-kind=approved]").is_visible()
    shoot(page, "employers-ru")
    page.click("button[data-lang=kk]")
    page.wait_for_load_state()
    shoot(page, "employers-kk")
