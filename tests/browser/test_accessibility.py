"""Issue 13, accessibility: axe-core (npm, node_modules/axe-core, pinned in package.json) run in
Debian's Chromium on the main pages of each role, in Russian and Kazakh, at 1280 and 390 px, and on
forms showing their errors: no serious or critical violation. The script is evaluated through the
DevTools protocol (page.evaluate), which the site's Content-Security-Policy does not block, so the
pages are checked with their real CSP. The keyboard-only filing and decision are in
test_keyboard_and_errors.py."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from quota_portal.core.models import User
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.test_languages import ministry_screens, region_screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
SERIOUS = ("serious", "critical")
SHOTS = os.environ.get("QP_SHOTS")  # a folder: also save each page at each width there, for a person to look at


def axe(page) -> list[dict]:
    """The serious and critical violations axe finds on the page as shown."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' | ' +
                                                                        (n.failureSummary || '').slice(0, 200))}));
    }""")
    return [v for v in result if v["impact"] in SERIOUS]


def report(problems: list) -> str:
    return "\n".join(f"{name} @{width}px: {v['impact']} {v['id']} ({v['help']}): {'; '.join(v['nodes'])}"
                     for name, width, found in problems for v in found)


def check(page, name: str, problems: list, counted: list) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # The page's scripts answer the resize (scrollable tables take the focus) before axe looks.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        found = axe(page)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"\W+", "-", name).strip("-").lower()
            page.screenshot(path=str(Path(SHOTS) / f"{slug}-{width}.png"), full_page=True)
        counted.append((name, width))
        if found:
            problems.append((name, width, found))


def visit_all(browser, live_server, cast, screens, lang, problems, counted, extra=None):
    by_user: dict = {}
    for screen in screens:
        by_user.setdefault(screen.user, []).append(screen)
    for user, group in by_user.items():
        context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "qp_language", "value": lang, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if user:
                # Logging in sets the language to the account's: the account speaks `lang`.
                User.objects.filter(pk=getattr(cast, user).pk).update(language=lang)
                login(page, getattr(cast, user).email, PASSWORD)
                context.add_cookies([{"name": "qp_language", "value": lang, "url": live_server.url}])
            for screen in group:
                page.goto(screen.url)
                assert page.get_attribute("html", "lang") == lang, (screen.name, lang)
                check(page, f"{screen.name} ({lang})", problems, counted)
            if extra and user in extra:
                urls = {s.name: s.url for s in screens}
                extra[user](page, urls, lambda name, page=page: check(page, f"{name} ({lang})", problems, counted))
        finally:
            context.close()


def _errors_on_the_annex_1_form(page, urls, run):
    page.goto(urls["Annex 1 form"])
    page.fill("input[name=current_year_count]", "-1")
    page.fill("input[name=lines-0-count]", "0")
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
    run("Annex 1 form with errors")


def _errors_on_the_decision_form(page, urls, run):
    page.goto(urls["decision"])
    for box in page.locator("input[name^=approved_]").all():
        box.fill("1")
    page.get_by_test_id("save-decision").click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() >= 1
    run("decision form with errors")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_employer_akimat_and_commission_pages_have_no_serious_axe_violation(browser, live_server, cast,
                                                                                 occupations, lang):
    problems, counted = [], []
    screens = region_screens(cast, occupations)
    visit_all(browser, live_server, cast, screens, lang, problems, counted,
              extra={"employer": _errors_on_the_annex_1_form, "secretary": _errors_on_the_decision_form})
    assert len(counted) == len(WIDTHS) * (len(screens) + 2)  # every page, and the two forms with errors
    assert not problems, report(problems)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_ministry_and_public_pages_have_no_serious_axe_violation(browser, live_server, cast, occupations, lang):
    problems, counted = [], []
    screens = ministry_screens(cast, occupations)
    visit_all(browser, live_server, cast, screens, lang, problems, counted)
    assert len(counted) == len(WIDTHS) * len(screens)
    assert not problems, report(problems)


STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


def test_axe_runs_under_a_strict_content_security_policy(page, live_server):
    """The pages are served here with a CSP that forbids inline and injected scripts (as production's
    may): the evaluated axe still runs and still finds what is wrong."""
    def strict(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", strict)
    page.goto("/accounts/login/")
    blocked = page.evaluate("""() => new Promise(resolve => {
      const s = document.createElement('script'); s.textContent = 'window.qpInline = 1;';
      document.head.appendChild(s); setTimeout(() => resolve(window.qpInline === undefined), 50);
    })""")
    assert blocked  # the policy is in force: an injected <script> does not run
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("typeof axe.run") == "function"
    assert axe(page) == []
    # axe really finds things: an unlabeled field added to the page is reported.
    page.evaluate("() => document.querySelector('main').appendChild(document.createElement('input'))")
    assert "label" in {v["id"] for v in axe(page)}
