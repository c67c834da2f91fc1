"""Screenshots of issue 12's pages (the Ministry's overdue list and dashboard panel, the profile's
reminder settings) at 1280 and 390 px, in Russian and Kazakh; and no page wider than the screen.
Screenshots are saved only when QP_SHOTS names a folder; the width checks always run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import time_machine

from applications.models import Application
from quota_portal.core.deadlines import run_sweeps
from tests.browser.conftest import login
from tests.commissions.conftest import make_application
from tests.conftest import PASSWORD, almaty

SHOTS = os.environ.get("QP_SHOTS")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"sweeps-{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_overdue_page_the_panel_and_the_reminder_settings_fit_the_screen(page, cast, lang):
    make_application(cast, status=Application.Status.UNDER_REVIEW)
    with time_machine.travel(almaty(2026, 11, 2, 9), tick=False):
        run_sweeps()
    for user, path, name in ((cast.analyst, "/ministry/overdue/", "overdue"), (cast.analyst, "/dashboard/", "panel"),
                             (cast.employer, "/profile/reminders/", "reminders")):
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1440, "height": 900})
        login(page, user.email, PASSWORD)
        page.click(f"button[data-lang={lang}]")
        page.wait_for_load_state()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            check(page, f"{name}-{lang}-{width}")
