"""Redistribution in the browser (Rules p.21): the akimat of Astana asks to give 30 of category 3 to
Atyrau, the analyst endorses it from the Ministry's queue, the approver approves it from the detail,
and version 2 of the quota exists. With QP_SHOTS set, screenshots of the request form, the queue and
the utilisation view at 1280 and 390 px, in Russian and Kazakh."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine

from allocation.quota_models import PermitUse, Redistribution
from allocation.quota_services import current_version
from quota_portal.core.calendar import ALMATY
from tests.allocation.redistribution_helpers import ask, publish_version_1
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("QP_SHOTS")


def page_for(browser, live_server, user, *, width=1366, lang=None):
    if lang:  # the account's language (the header's switch is folded away below 1400 px)
        user.language = lang
        user.save(update_fields=["language"])
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    login(pg, user.email, PASSWORD)
    return pg


def test_an_akimat_asks_the_analyst_endorses_the_approver_approves_and_version_2_exists(browser, live_server, cast):
    publish_version_1(cast)
    akimat = page_for(browser, live_server, cast.akimat_officer)
    akimat.goto("/allocation/redistributions/")
    akimat.get_by_test_id("new-redistribution").click()
    akimat.check("input[name=direction][value=give]")
    akimat.select_option("select[name=other_region]", str(cast.atyrau.pk))
    akimat.select_option("select[name=category]", "3")
    akimat.fill("input[name=count]", "٣٠")  # Arabic-Indic digits: refused, kept
    akimat.fill("textarea[name=reason]", "Проект в Атырау; у нас 30 разрешений не будут использованы")
    akimat.get_by_test_id("send-redistribution").click()
    assert akimat.input_value("input[name=count]") == "٣٠"
    assert Redistribution.objects.count() == 0
    akimat.fill("input[name=count]", "30")
    akimat.get_by_test_id("send-redistribution").click()
    akimat.wait_for_url("**/allocation/redistributions/*/")
    r = Redistribution.objects.get()
    assert (r.from_region, r.to_region, r.count) == (cast.astana, cast.atyrau, 30)

    analyst = page_for(browser, live_server, cast.analyst)
    analyst.goto("/ministry/quota/redistributions/")
    analyst.get_by_test_id("queue-endorse").click()
    analyst.wait_for_selector("[data-testid=queue-row] [data-testid=redistribution-status]")
    assert Redistribution.objects.get().status == Redistribution.Status.ENDORSED

    approver = page_for(browser, live_server, cast.approver)
    approver.goto(f"/allocation/redistributions/{r.pk}/")
    approver.get_by_test_id("approve").click()
    approver.wait_for_selector("[data-testid=result]")
    assert Redistribution.objects.get().status == Redistribution.Status.APPROVED
    assert current_version(cast.campaign).number == 2
    assert "2" in approver.get_by_test_id("result").inner_text()


@pytest.mark.skipif(not SHOTS, reason="QP_SHOTS not set")
@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("width", [1280, 390])
def test_shots(browser, live_server, cast, lang, width):
    publish_version_1(cast)
    with time_machine.travel(dt.datetime(2027, 5, 20, 11, tzinfo=ALMATY), tick=True):
        ask(cast, n=20)
        ask(cast, n=5, from_region=None, actor=cast.central_officer, authority=cast.central_body)
        for region, n in ((cast.astana, 92), (cast.atyrau, 120)):
            PermitUse.objects.create(campaign=cast.campaign, region=region, category="3", count=n,
                                     issued_on=dt.date(2027, 4, 1), recorded_by=cast.akimat_officer)
        Path(SHOTS).mkdir(parents=True, exist_ok=True)

        def shot(pg, name):
            pg.screenshot(path=str(Path(SHOTS) / f"redistribute-{name}-{width}-{lang}.png"), full_page=True)

        akimat = page_for(browser, live_server, cast.akimat_officer, width=width, lang=lang)
        akimat.goto("/allocation/redistributions/new/")
        akimat.fill("input[name=count]", "-5")
        akimat.get_by_test_id("send-redistribution").click()
        shot(akimat, "form")
        akimat.goto("/allocation/permits/")
        shot(akimat, "permits")
        analyst = page_for(browser, live_server, cast.analyst, width=width, lang=lang)
        analyst.goto("/ministry/quota/2027/redistributions/")
        shot(analyst, "queue")
        analyst.goto("/ministry/quota/2027/use/")
        shot(analyst, "use")
