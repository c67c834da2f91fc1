"""The quota of issue 11 from the first scenario to version 2, in one browser session (Rules p.4, p.19-21).

Arranged with services: the regions' sent Annexes 2-4 and the labour force. From then on, only the
browser: the analyst builds two scenarios, compares them and proposes one, and cannot approve it
herself; the approver approves and publishes; an anonymous visitor reads a region's numbers and
downloads the JSON, which validates against /public/quota/schema.json and matches the page and the
database; the akimat of Astana asks to move permits to Atyrau, the analyst endorses, the approver
approves; the public page shows version 2 with its reason and the same national total, and
`?version=1` still serves the first. A screenshot of every step goes to test-artifacts/quota-chain-*.png.
"""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from allocation.quota_models import Distribution, DistributionCell, DistributionStatus, Redistribution, Scenario
from tests.allocation.national_data import build_national
from tests.allocation.scenario_data import with_labour_force
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CATEGORIES = ("1", "2", "3", "4", "seasonal")
MODEL_CATEGORY = {"1": "1", "2": "2", "3": "3", "4": "4", "seasonal": "S"}
REASON_V2 = "Строительство полимерного завода в Атырау: у Астаны разрешения не будут использованы"


def number(text: str) -> int:
    """A number as the page prints it (ru: thin or non-breaking spaces between thousands)."""
    return int(re.sub(r"[\s\u00a0\u202f]", "", text))


def total_is(page, value: str) -> None:
    page.wait_for_function(
        "v => document.querySelector('[data-testid=permits-total]').innerText.replace(/\\s/g, '') === v", arg=value)


def region_row(page, code: str) -> list[int]:
    """The public table's row of one region: categories 1-4, seasonal, total, labour immigrants."""
    cells = page.locator(f"[data-testid=quota-table] tbody tr[data-region='{code}'] td.qp-num").all_inner_texts()
    return [number(c) for c in cells]


def cells_in_db(distribution, region) -> dict[str, int]:
    counts = dict(DistributionCell.objects.filter(distribution=distribution, region=region, component="permits")
                  .values_list("category", "count"))
    return {c: counts.get(MODEL_CATEGORY[c], 0) for c in CATEGORIES}


def new_page(browser, live_server, *, width=1280, height=900):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": width, "height": height},
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    return context, pg


def test_two_scenarios_two_people_a_public_json_and_a_redistribution_as_version_2(browser, live_server, cast,
                                                                                   occupations):
    build_national(cast, occupations)
    with_labour_force(cast)
    contexts = []

    # 1. The analyst builds two scenarios on the scenarios page; the results follow the inputs without a reload.
    ctx, analyst = new_page(browser, live_server)
    contexts.append(ctx)
    login(analyst, cast.analyst.email, PASSWORD)
    analyst.get_by_test_id("quota-panel").get_by_role("link", name="Открыть сценарии").click()
    analyst.get_by_test_id("new-scenario").click()
    analyst.fill("input[name=name]", "Вебстер, 0,001 %")
    analyst.evaluate("window.qpNoReload = true")
    analyst.fill("input[name=permits_percent]", "0,001")
    total_is(analyst, "97")
    assert analyst.evaluate("window.qpNoReload") is True, "the page was reloaded"
    screenshot(analyst, "quota-chain-01-first-scenario")
    analyst.get_by_test_id("save").click()
    analyst.wait_for_url("**/scenarios/*/")
    first = Scenario.objects.get()

    analyst.locator(".breadcrumb a").first.click()
    analyst.get_by_test_id("new-scenario").click()
    analyst.fill("input[name=name]", "Гамильтон, резерв 8")
    analyst.select_option("select[name=method]", "hamilton")
    analyst.fill("input[name=permits_percent]", "0,0008")
    analyst.fill("input[name=reserve]", "8")
    total_is(analyst, "78")
    screenshot(analyst, "quota-chain-02-second-scenario")
    analyst.get_by_test_id("save").click()
    analyst.wait_for_url(lambda url: re.search(r"/scenarios/[0-9]+/$", url) and f"/{first.pk}/" not in url)
    second = Scenario.objects.exclude(pk=first.pk).get()
    assert (first.method, second.method, second.reserve) == ("webster", "hamilton", 8)

    # 2. Both ticked on the list and compared side by side (a table and a chart).
    analyst.locator(".breadcrumb a").first.click()
    rows = analyst.get_by_test_id("scenario-row")
    assert rows.count() == 2
    for pk in (first.pk, second.pk):
        analyst.check(f"#cmp-{pk}")
    analyst.get_by_test_id("compare").click()
    analyst.wait_for_url("**/scenarios/compare/?*")
    totals = [number(t) for t in analyst.get_by_test_id("compare-total").all_inner_texts()]
    assert totals == [97, 78]
    assert analyst.locator("svg[role=img] > title").first.text_content()
    screenshot(analyst, "quota-chain-03-compare")

    # 3. The second is picked from the comparison and proposed.
    analyst.get_by_test_id("compare-components").get_by_role("link", name="Гамильтон, резерв 8").click()
    analyst.wait_for_url(f"**/scenarios/{second.pk}/")
    analyst.fill("textarea[name=reason]", "Сводные заявки акиматов (приложение 2) и согласованные предложения")
    analyst.get_by_test_id("propose").click()
    analyst.get_by_test_id("pending").wait_for()
    proposal = Distribution.objects.get()
    assert (proposal.status, proposal.scenario_id, proposal.permits_total) == (DistributionStatus.PROPOSED,
                                                                               second.pk, 78)
    screenshot(analyst, "quota-chain-04-proposed")

    # 4. The analyst cannot approve her own proposal: no form on the page, and a forged POST is refused.
    analyst.goto("/ministry/quota/distribution/")
    analyst.locator(f"a[href$='/distribution/{proposal.pk}/']").first.click()
    analyst.wait_for_url(f"**/distribution/{proposal.pk}/")
    assert analyst.get_by_test_id("approve-form").count() == 0
    assert analyst.get_by_test_id("withdraw").is_visible()
    token = analyst.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = analyst.request.post(f"/ministry/quota/2027/distribution/{proposal.pk}/approve/",
                                  form={"csrfmiddlewaretoken": token, "revision": str(proposal.revision),
                                        "day": "2026-11-24", "reason": ""},
                                  headers={"Referer": analyst.url})
    assert forged.status == 404  # another role's action does not exist for her (core.access.role_required)
    proposal.refresh_from_db()
    assert proposal.status == DistributionStatus.PROPOSED and proposal.approved_by_id is None
    screenshot(analyst, "quota-chain-05-analyst-cannot-approve")

    # 5. The approver, another person, approves with the day of the distribution and publishes.
    ctx, approver = new_page(browser, live_server, width=1366)
    contexts.append(ctx)
    login(approver, cast.approver.email, PASSWORD)
    approver.get_by_test_id("publication-panel").get_by_role("link").first.click()
    approver.wait_for_url(f"**/ministry/quota/2027/distribution/{proposal.pk}/")
    approver.fill("input[name=day]", "2026-11-24")
    approver.get_by_test_id("approve").click()
    approver.get_by_test_id("publication-due").wait_for()
    assert "27 ноября 2026" in approver.get_by_test_id("publication-due").inner_text()
    screenshot(approver, "quota-chain-06-approved")
    approver.get_by_test_id("publish").click()
    approver.get_by_test_id("published").wait_for()
    screenshot(approver, "quota-chain-07-published")
    v1 = Distribution.objects.get(pk=proposal.pk)
    assert (v1.status, v1.number, v1.proposed_by_id, v1.approved_by_id) == (
        DistributionStatus.PUBLISHED, 1, cast.analyst.pk, cast.approver.pk)

    # 6. An anonymous visitor reads Astana's numbers and downloads the JSON.
    ctx, visitor = new_page(browser, live_server, width=390, height=844)
    contexts.append(ctx)
    visitor.goto("/public/quota/")
    visitor.get_by_role("link", name="Квота на 2027 год").click()
    visitor.wait_for_url("**/public/quota/2027/")
    astana_v1 = region_row(visitor, cast.astana.code)
    national_v1 = number(visitor.get_by_test_id("grand-total").locator("td.qp-num").first.inner_text())
    assert national_v1 == number(visitor.get_by_test_id("permits-total").inner_text()) == 78
    screenshot(visitor, "quota-chain-08-public-v1")
    with visitor.expect_download() as info:
        visitor.get_by_test_id("download-json").click(modifiers=["Alt"])
    data = json.loads(info.value.path().read_text(encoding="utf-8"))
    schema = visitor.request.get(visitor.get_by_role("link", name="schema.json").get_attribute("href")).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert (data["year"], data["version"], data["permits"]["total"]) == (2027, 1, 78)
    astana = next(r for r in data["regions"] if r["code"] == cast.astana.code)
    in_json = [astana["permits"][c] for c in CATEGORIES] + [astana["permits"]["total"], astana["labour_immigrants"]]
    assert in_json == astana_v1
    in_db = cells_in_db(v1, cast.astana)
    assert [in_db[c] for c in CATEGORIES] == astana_v1[:5]
    # The scenario's reserve of 8 plus what the regions did not ask for (caps) stays national.
    assert data["permits"]["reserve"] == v1.reserve >= 8
    assert number(visitor.get_by_test_id("reserve").inner_text()) == v1.reserve
    assert sum(data["permits"]["by_category"].values()) + v1.reserve == 78

    # 7. The akimat of Astana asks to give permits of its biggest category to Atyrau.
    category = max(CATEGORIES[:4], key=lambda c: in_db[c])
    n = min(5, in_db[category])
    assert n > 0, in_db
    ctx, akimat = new_page(browser, live_server)
    contexts.append(ctx)
    login(akimat, cast.akimat_officer.email, PASSWORD)
    akimat.goto("/allocation/redistributions/")
    akimat.get_by_test_id("new-redistribution").click()
    akimat.check("input[name=direction][value=give]")
    akimat.select_option("select[name=other_region]", str(cast.atyrau.pk))
    akimat.select_option("select[name=category]", MODEL_CATEGORY[category])
    akimat.fill("input[name=count]", str(n))
    akimat.fill("textarea[name=reason]", REASON_V2)
    screenshot(akimat, "quota-chain-09-redistribution-asked")
    akimat.get_by_test_id("send-redistribution").click()
    akimat.wait_for_url("**/allocation/redistributions/*/")
    r = Redistribution.objects.get()
    assert (r.from_region, r.to_region, r.count, r.status) == (cast.astana, cast.atyrau, n,
                                                               Redistribution.Status.REQUESTED)

    # 8. The Ministry's two people: the analyst endorses from the queue, the approver approves from it.
    analyst.goto("/ministry/quota/redistributions/")
    analyst.get_by_test_id("queue-endorse").click()
    analyst.wait_for_selector("[data-testid=queue-row] [data-testid=redistribution-status]")
    assert Redistribution.objects.get().status == Redistribution.Status.ENDORSED
    screenshot(analyst, "quota-chain-10-endorsed")
    approver.goto("/ministry/quota/redistributions/")
    approver.get_by_test_id("queue-row").get_by_role("link").first.click()
    approver.wait_for_url(f"**/allocation/redistributions/{r.pk}/")
    approver.get_by_test_id("approve").click()
    approver.get_by_test_id("result").wait_for()
    screenshot(approver, "quota-chain-11-redistribution-approved")
    v2 = Distribution.objects.get(status=DistributionStatus.PUBLISHED, number=2)
    assert v2.permits_total == v1.permits_total == 78

    # 9. The public page shows version 2, its reason and what moved; the national total is unchanged.
    visitor.goto("/public/quota/2027/")
    assert "Версия 2" in visitor.get_by_test_id("version-line").inner_text()
    latest = visitor.locator("[data-testid=versions] [data-version='2']")
    assert REASON_V2 in latest.inner_text()
    moves = latest.get_by_test_id("moves").inner_text()
    assert f"(-{n})" in moves and f"(+{n})" in moves, moves
    assert number(visitor.get_by_test_id("permits-total").inner_text()) == national_v1
    astana_v2 = region_row(visitor, cast.astana.code)
    assert astana_v2[CATEGORIES.index(category)] == astana_v1[CATEGORIES.index(category)] - n
    assert astana_v2[5] == astana_v1[5] - n
    screenshot(visitor, "quota-chain-12-public-v2")

    # 10. ?version=1 still serves the first: the page through its link, and the JSON.
    visitor.get_by_role("link", name="Версия 1", exact=True).click()
    visitor.wait_for_url("**/public/quota/2027/?version=1")
    assert "Версия 1" in visitor.get_by_test_id("version-line").inner_text()
    assert region_row(visitor, cast.astana.code) == astana_v1
    old = visitor.request.get("/public/quota/2027.json?version=1").json()
    assert old == data
    screenshot(visitor, "quota-chain-13-public-v1-again")
    for context in contexts:
        context.close()
