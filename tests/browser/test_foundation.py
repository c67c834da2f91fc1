import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext

from quota_portal.core.models import Campaign, Membership, Role
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_switches_language_and_membership_and_logs_out(page, cast):
    Membership.objects.create(user=cast.employer, role=Role.EMPLOYER_VIEWER, organization=cast.org2)
    login(page, cast.employer.email, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Астана Құрылыс" in page.get_by_test_id("acting-as").inner_text()
    assert page.get_by_test_id("next-deadline").is_visible()
    screenshot(page, "foundation-dashboard-ru")

    page.click("button[data-lang=kk]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.url.endswith("/dashboard/")
    screenshot(page, "foundation-dashboard-kk")

    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_test_id("acting-as").click()
    page.get_by_role("button", name="Атырау Мунай Сервис").click()
    page.wait_for_url("**/dashboard/")
    assert "Атырау Мунай Сервис" in page.get_by_test_id("acting-as").inner_text()
    screenshot(page, "foundation-dashboard-en-switched")

    page.get_by_test_id("acting-as").click()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").first.is_visible()
    screenshot(page, "foundation-home-en")
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url
    screenshot(page, "foundation-login-en")


def test_the_ministry_edits_reference_data_in_the_browser(page, cast):
    login(page, cast.analyst.email, PASSWORD)
    screenshot(page, "foundation-dashboard-ministry")
    page.goto("/ministry/calendar/")
    page.fill("input[name=day]", "2026-12-19")
    page.check("input[name=is_working_day]")
    page.fill("input[name=reason]", "Постановление Правительства РК о переносе выходных дней")
    page.click("input[name=add]")
    page.wait_for_load_state()
    assert "Постановление Правительства" in page.locator("table").first.inner_text()
    screenshot(page, "foundation-ministry-calendar")
    page.goto("/ministry/campaigns/2028/")
    page.fill("input[name=filing_deadline]", "2027-10-02")
    page.select_option("select[name=filing_deadline_kind]", "no_later_than")
    page.locator("form:has(input[name=filing_deadline]) [type=submit]").click()
    page.wait_for_load_state()
    assert page.input_value("input[name=filing_deadline]") == "2027-10-02"
    campaign = Campaign.objects.get(year=2028)
    assert (campaign.filing_deadline, campaign.filing_deadline_kind) == (dt.date(2027, 10, 2), "no_later_than")
    history = page.get_by_test_id("history")
    history.locator("summary").click()
    change = history.locator("li").last
    text = change.inner_text()
    with translation.override("ru"):
        expected = [gettext("Deadlines changed"), cast.analyst.email, "01.10.2027", "02.10.2027",
                    gettext("no later than (closes at 24:00 on the date)")]
    for part in expected:
        assert part in text, part
    assert "campaign_update" not in text and "2027-10-02" not in text
    screenshot(page, "foundation-ministry-campaign")


def test_the_login_locks_after_five_failures(page, cast):
    for _ in range(6):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", cast.employer.email)
        page.fill("input[name=password]", "wrong-password")
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_load_state()
    assert page.get_by_test_id("locked-out").is_visible()
    screenshot(page, "foundation-locked-out")


@pytest.mark.parametrize("width", [1280, 1366, 1440, 390])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_page_is_wider_than_the_screen_for_any_role(page, cast, width, lang):
    """The header (long Kazakh and Russian menu items, the acting-as label) must not push the page
    sideways: at 1366 px the Ministry's Russian header was 55 px too wide once the allocation entries came;
    at 1440 px (expanded) 374 px once the quota's three parts each had their own entry."""
    LANG = lang
    page.set_viewport_size({"width": width, "height": 900})
    for who in ("employer", "akimat_officer", "secretary", "central_officer", "analyst"):
        user = getattr(cast, who)
        user.language = LANG
        user.save(update_fields=["language"])
        page.context.clear_cookies()
        login(page, user.email, PASSWORD)
        assert page.locator("html").get_attribute("lang") == LANG
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, f"foundation-header-{LANG}-{who}-{width}")
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 8).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""")
        assert overflow <= 0, f"{who} at {width}px: {overflow}px too wide: {culprits}"
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            page.locator("#qp-nav.show").wait_for()  # the collapse has finished opening
        page.get_by_test_id("acting-as").click()
        logout = page.locator("form[action='/accounts/logout/'] button")
        logout.wait_for(state="visible")
        box = logout.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{who}: logout cut off at {width}px"


def test_lead_text_is_not_in_a_light_weight_that_lacks_the_kazakh_letters(page, live_server):
    """The error pages' and the home page's lead text was font-weight 300 (Bootstrap's .lead): light
    faces such as DejaVu Sans ExtraLight have no қ, ң, ғ, ү, ұ, і, ө, so a Kazakh sentence mixed two
    weights, letter by letter."""
    page.context.add_cookies([{"name": "qp_language", "value": "kk", "url": live_server.url}])
    for path in ("/no-such-page/", "/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "kk"
        weights = page.eval_on_selector_all(".lead", "els => els.map(e => getComputedStyle(e).fontWeight)")
        assert weights and set(weights) == {"400"}, (path, weights)
    screenshot(page, "foundation-home-kk-lead")
