"""The akimat's year switch at 390 px in Kazakh (review of issue 8): the select ("Квота на 2027 год —
...") stays inside its card and the screen. The page's scrollWidth did not show it: the dashboard card
clips what sticks out, so the select was cut at the card's edge."""
from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTSIDE = """(() => {
  const out = [];
  for (const sel of document.querySelectorAll('[data-testid="campaign-switch"] select')) {
    const r = sel.getBoundingClientRect();
    const box = (sel.closest('.card') || document.body).getBoundingClientRect();
    if (r.right > Math.min(box.right, window.innerWidth) + 1) out.push([Math.round(r.right), Math.round(box.right)]);
  }
  return out;
})()"""


def test_the_year_switch_fits_a_390_px_phone_in_kazakh(page, live_server, cast):
    login(page, cast.akimat_officer.email, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "qp_language", "value": "kk", "url": live_server.url}])
    for url in ("/dashboard/", "/commissions/sessions/", "/commissions/notices/", "/commissions/violations/"):
        page.goto(url)
        assert page.locator('[data-testid="campaign-switch"] select').count() >= 1, url
        assert page.evaluate(OUTSIDE) == [], url
    page.goto("/dashboard/")
    screenshot(page, "review8-akimat-dashboard-kk-390")
