"""Issue 13, security settings, in Debian's chromium: the main pages of every role run under the
Content-Security-Policy without one violation; two-factor enrolment and login through the pages."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import login
from tests.browser.test_phone_width import pages, user_of, world  # noqa: F401 - `world` is a fixture
from tests.conftest import PASSWORD
from tests.core.test_two_factor import AUTHORITY_ROLES, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("QP_SHOTS_DIR", Path(__file__).resolve().parent.parent.parent / "test-artifacts"))
COLLECT = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":"
                    + e.lineNumber);
});"""

EXTRA = {
    "akimat": ["/accounts/two-factor/", "/allocation/submissions/", "/allocation/proposals/received/"],
    "central": ["/allocation/proposals/", "/allocation/proposals/new/"],
    "ministry": ["/ministry/national/2027/", "/ministry/quota/", "/ministry/quota/distribution/",
                 "/accounts/two-factor/reset/?email=owner%40example.kz", "/public/quota/"],
    "employer": ["/accounts/two-factor/", "/accounts/two-factor/setup/"],
}


def watch(page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(COLLECT)
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


@pytest.mark.parametrize("role", ["employer", "akimat", "secretary", "chair", "central", "ministry"])
def test_the_main_pages_of_each_role_break_no_rule_of_the_policy(page, live_server, cast, world, role):  # noqa: F811
    console = watch(page)
    login(page, user_of(cast, role).email, PASSWORD)
    violations = {}
    for url in pages(role, world) + EXTRA.get(role, []):
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        found = page.evaluate("window.__csp")
        if found:
            violations[url] = found
    assert violations == {}
    assert console == []


@override_settings(QP_2FA_REQUIRED_ROLES=AUTHORITY_ROLES)
def test_an_akimat_officer_enrolls_and_logs_in_with_a_code_in_the_browser(page, live_server, cast):
    console = watch(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", cast.akimat_officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    for lang in ("ru", "kk"):
        page.context.add_cookies([{"name": "qp_language", "value": lang, "url": live_server.url}])
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.reload()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.locator("[data-testid=two-factor-qr]").evaluate("img => img.naturalWidth") > 0
            page.screenshot(path=str(SHOTS / f"2fa-setup-{lang}-{width}.png"), full_page=True)
    device = TOTPDevice.objects.get(user=cast.akimat_officer, confirmed=False)
    page.fill("input[name=code]", code_of(device))
    page.click("[data-testid=two-factor-setup] button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/recovery-codes/")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.click("a[download]")
    assert codes[0] in Path(download.value.path()).read_text()
    page.screenshot(path=str(SHOTS / "2fa-recovery-kk-390.png"), full_page=True)
    page.click("form button.btn-primary")
    page.wait_for_url("**/dashboard/")

    # A new login: the code page, in Russian, at both widths; a recovery code lets the officer in.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "qp_language", "value": "ru", "url": live_server.url}])
    page.goto("/accounts/login/")
    page.fill("input[name=username]", cast.akimat_officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    for lang in ("ru", "kk"):
        page.context.add_cookies([{"name": "qp_language", "value": lang, "url": live_server.url}])
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.reload()
            page.screenshot(path=str(SHOTS / f"2fa-verify-{lang}-{width}.png"), full_page=True)
    page.fill("input[name=code]", "000000")
    page.click("[data-testid=two-factor-verify] button[type=submit]")
    assert page.locator(".invalid-feedback").count() >= 1
    page.screenshot(path=str(SHOTS / "2fa-verify-error-kk-390.png"), full_page=True)
    page.fill("input[name=code]", codes[3])
    page.click("[data-testid=two-factor-verify] button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(reverse("accounts:two_factor"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "2fa-profile-kk-1280.png"), full_page=True)
    assert page.evaluate("window.__csp") == []
    assert console == []


def _serve(body: str, status: int, policy: str):
    def handler(route):
        route.fulfill(status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8",
                                                         "Content-Security-Policy": policy})
    return handler


def test_the_django_admin_and_the_error_pages_break_no_rule_of_the_policy(page, live_server, cast):
    """Django's own admin templates (not walked by test_security) and the portal's 400/403/404/500
    pages run under the same policy: every admin page of every registered model, and each error page."""
    from django.contrib import admin
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    console = watch(page)
    user = cast.outsider
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    page.goto("/admin/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    urls = ["/admin/", "/admin/password_change/", f"/admin/core/user/{user.pk}/password/",
            f"/admin/core/user/{user.pk}/history/", f"/admin/core/user/{user.pk}/delete/", "/admin/core/user/?q=x"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, base + "add/"]
    urls.append(f"/admin/core/user/{user.pk}/change/")
    violations, codes = {}, {}
    for url in urls:
        response = page.goto(url)
        codes[url] = response.status
        page.wait_for_load_state("load")
        if found := page.evaluate("window.__csp"):
            violations[url] = found
    assert [u for u, c in codes.items() if c >= 500] == []
    assert sum(1 for c in codes.values() if c == 200) > 20

    # The error pages: 404 from the server; 400, 403 and 500 rendered by the templates Django uses and
    # served under the policy the portal sends.
    policy = page.goto("/").headers["content-security-policy"]
    response = page.goto("/no-such-page/")
    assert response.status == 404
    if found := page.evaluate("window.__csp"):
        violations["404"] = found
    request = RequestFactory().get("/")
    for status in (400, 403, 500):
        body = render_to_string(f"{status}.html", {"message": "x"}, request=request if status != 500 else None)
        page.route(f"**/error-{status}/", _serve(body, status, policy))
        page.goto(f"/error-{status}/")
        page.wait_for_load_state("load")
        if found := page.evaluate("window.__csp"):
            violations[str(status)] = found
    assert violations == {}
    assert console == []
