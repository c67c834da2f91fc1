"""The Ministry's operations page and a deadline's extension, as a person sees them: 1280 px and
390 px, Russian and Kazakh; nothing wider than a phone's screen (screenshots under /work/shots
when that folder exists, else test-artifacts/)."""
from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from applications import services as app_services
from quota_portal.core import ops_services
from quota_portal.core.deadlines import run_sweeps
from quota_portal.core.models import Outbox
from quota_portal.core.notifications import notify
from tests.browser.conftest import ARTIFACTS, login
from tests.conftest import PASSWORD, almaty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/after") if Path("/work/shots/after").is_dir() else ARTIFACTS


@pytest.fixture
def extended(cast, occupations):
    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    run_sweeps()
    notify(event_key="shot.failed", recipients=[cast.akimat_officer], subject="Уведомление о решении комиссии",
           body="b", channels=(Outbox.Channel.EMAIL,))
    Outbox.objects.filter(event_key="shot.failed").update(status=Outbox.Status.FAILED, attempts=5,
                                                          last_error="SMTPRecipientsRefused: 550 mailbox unavailable")
    ops_services.outage_record(actor=cast.analyst, started_at=almaty(2026, 11, 20, 9, 0),
                               ended_at=almaty(2026, 11, 20, 13, 30), note="Отказ дата-центра: нет электропитания")
    with time_machine.travel(almaty(2027, 10, 2, 10, 0), tick=False):
        outage = ops_services.outage_record(actor=cast.analyst, started_at=almaty(2027, 9, 30, 22, 0),
                                            ended_at=almaty(2027, 10, 1, 2, 0), note="Сбой DNS провайдера")
        ops_services.deadline_extend(actor=cast.analyst, outage=outage, deadlines=["2028:filing"], working_days=3,
                                     reason="Портал был недоступен в последний вечер подачи заявок")
    return app


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_operations_page_and_the_extension_fit_a_desktop_and_a_phone(page, cast, extended, lang):
    cast.analyst.language = cast.employer.language = lang
    cast.analyst.save(update_fields=["language"])
    cast.employer.save(update_fields=["language"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, cast.analyst.email, PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/ministry/operations/")
        assert page.locator("[data-testid=outage]").count() == 2
        assert page.locator("[data-testid=extension]").count() == 1
        assert page.locator("[data-sweep='applications.filing_closed']").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"celeryops-operations-{lang}-{width}.png"), full_page=True)
    page.context.clear_cookies()
    login(page, cast.employer.email, PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/applications/{extended.pk}/")
        note = page.locator("[data-testid=deadline-extension]").first
        assert "2027" in note.inner_text() and "3" in note.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"celeryops-extension-{lang}-{width}.png"), full_page=True)


