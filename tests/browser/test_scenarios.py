"""The quota's scenarios in the browser (Rules p.4, p.19-20): the analyst builds two scenarios (the
results change without a reload as a percentage is typed), compares them and proposes one; pages
shot at 1280 and 390 px in Russian and Kazakh for a person to look at."""
from __future__ import annotations

from pathlib import Path

import pytest

from allocation.quota_models import Distribution, DistributionStatus, Scenario
from tests.allocation.national_data import build_national
from tests.allocation.scenario_data import with_labour_force
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/after")


def test_the_analyst_builds_two_scenarios_compares_them_and_proposes_one(browser, live_server, cast, occupations):
    build_national(cast, occupations, extra_regions=10)
    with_labour_force(cast)
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, cast.analyst.email, PASSWORD)
    page.get_by_test_id("quota-panel").get_by_role("link", name="Открыть сценарии").click()
    page.get_by_test_id("new-scenario").click()
    page.fill("input[name=name]", "Как в прошлом году")
    page.evaluate("window.qpNoReload = true")
    total = page.get_by_test_id("permits-total")
    before = total.inner_text()
    page.fill("input[name=permits_percent]", "0,001")
    page.wait_for_function("() => document.querySelector('[data-testid=permits-total]').innerText.replace(/\\s/g, '')"
                           " === '97'")
    assert page.evaluate("window.qpNoReload") is True, "the page was reloaded"
    assert total.inner_text() != before
    # A bad percentage: the field's own error in place, the results say why they are missing.
    page.fill("input[name=permits_percent]", "abc")
    page.wait_for_selector("#err-permits_percent:not(:empty)")
    assert "0-9" in page.inner_text("#err-permits_percent")
    page.fill("input[name=permits_percent]", "0,001")
    page.wait_for_selector("[data-testid=permits-total]")
    page.fill("input[name=reserve]", "10")
    page.get_by_test_id("save").click()
    page.wait_for_url("**/scenarios/*/")
    first = Scenario.objects.get()
    assert (str(first.permits_percent), first.reserve) == ("0.00100", 10)
    # The second scenario: a copy with another method and percentage.
    page.get_by_test_id("copy").click()
    page.wait_for_url(lambda url: f"/scenarios/{first.pk}/" not in url)
    page.fill("input[name=name]", "Меньше, с резервом")
    page.select_option("select[name=method]", "hamilton")
    page.fill("input[name=permits_percent]", "0,0008")
    page.wait_for_function("() => document.querySelector('[data-testid=permits-total]').innerText.replace(/\\s/g, '')"
                           " === '78'")
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    second = Scenario.objects.exclude(pk=first.pk).get()
    assert (second.method, str(second.permits_percent)) == ("hamilton", "0.00080")
    # Compare both.
    page.goto(f"/ministry/quota/2027/scenarios/compare/?s={first.pk}&s={second.pk}")
    totals = [t.replace("\u00a0", "").replace(" ", "") for t in page.get_by_test_id("compare-total").all_inner_texts()]
    assert totals == ["97", "78"]
    assert page.locator("svg[role=img] > title").first.text_content()
    # Propose the second.
    page.goto(f"/ministry/quota/2027/scenarios/{second.pk}/")
    page.fill("textarea[name=reason]", "Сводные заявки акиматов и согласованные предложения")
    page.get_by_test_id("propose").click()
    page.wait_for_selector("[data-testid=pending]")
    proposal = Distribution.objects.get()
    assert proposal.status == DistributionStatus.PROPOSED and proposal.scenario_id == second.pk
    assert "Предложено, ожидает утверждения" in page.get_by_test_id("pending").inner_text()

    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("ru", "kk"):
        cast.analyst.language = lang  # the account's language wins over the cookie at login
        cast.analyst.save(update_fields=["language"])
        for width in (1280, 390):
            shot = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
            pg = shot.new_page()
            login(pg, cast.analyst.email, PASSWORD)
            for name, url in (("scenario", f"/ministry/quota/2027/scenarios/{second.pk}/"),
                              ("compare", f"/ministry/quota/2027/scenarios/compare/?s={first.pk}&s={second.pk}"),
                              ("picture", "/ministry/quota/2027/picture/")):
                pg.goto(url)
                assert pg.evaluate("document.documentElement.lang") == lang
                overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (name, lang, width, overflow)
                pg.screenshot(path=str(SHOTS / f"scenarios-{name}-{lang}-{width}.png"), full_page=True)
            shot.close()
    context.close()
