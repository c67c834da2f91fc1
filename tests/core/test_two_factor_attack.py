"""Attacks on two-factor login (issue 13 review): every two-factor URL x every role x GET/POST,
another user's secrets, resets the Ministry may not make, hostile codes, replayed codes (one after
the other and two sessions at once), the lockout across sessions, off-site `next`, and a user
between the password and the second step trying every other URL of the project."""
from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import pre_delete, pre_save
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quota_portal.core.models import TwoFactorEvent

from ..conftest import PASSWORD
from .test_two_factor import AUTHORITY_ROLES, code_of, enroll, password_login

required = override_settings(QP_2FA_REQUIRED_ROLES=AUTHORITY_ROLES)

ROLES = ["employer", "employer_editor", "employer_viewer", "akimat_officer_atyrau", "secretary", "central_officer",
         "analyst", "approver"]
HOSTILE = ["\x00123456", "12\x0734\x1b56", "\u202e123456\u202c", "\u0661\u0662\u0663\u0664\u0665\u0666",
           "\uff11\uff12\uff13\uff14\uff15\uff16", "x" * 100_000, "", "   ", "' OR 1=1 --", "<script>1</script>"]
EVIL = ["//evil.com", "https://evil.com/", "/\\evil.com", "\\\\evil.com", "http:evil.com", "///evil.com",
        "https:/evil.com", " //evil.com"]


def verified(user) -> Client:
    """A session past both steps (enrolled now if not yet)."""
    client = password_login(user)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        enroll(client, user)
        client.post(reverse("accounts:two_factor_recovery"))
        return client
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, offset=1)})
    assert response.status_code == 302, response.content[:300]
    return client


def two_factor_urls(cast) -> list[str]:
    return [reverse(name) for name in (
        "accounts:two_factor", "accounts:two_factor_setup", "accounts:two_factor_qr", "accounts:two_factor_verify",
        "accounts:two_factor_recovery", "accounts:two_factor_recovery_download", "accounts:two_factor_recovery_new",
        "accounts:two_factor_disable", "accounts:two_factor_reset_search", "password_change",
    )] + [reverse("accounts:two_factor_reset", args=[cast.akimat_officer.pk])]


def secrets_of(user) -> tuple:
    return (sorted(TOTPDevice.objects.filter(user=user).values_list("key", "confirmed")),
            sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)),
            TwoFactorEvent.objects.filter(user=user).count(), user.password)


@required
def test_every_two_factor_url_as_every_role_and_anonymous_leaks_nothing_and_changes_nothing_refused(cast):
    victim = cast.akimat_officer
    verified(victim)
    victim.refresh_from_db()
    before = secrets_of(victim)
    victim_secret = TOTPDevice.objects.get(user=victim).key
    tried = 0
    ministry = {"analyst", "approver"}
    post_only = {reverse("accounts:two_factor_recovery_new"), reverse("accounts:two_factor_disable")}
    for role in ROLES + ["anonymous"]:
        client = Client() if role == "anonymous" else verified(getattr(cast, role))
        for url in two_factor_urls(cast):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                tried += 1
                body = response.content.decode(errors="replace")
                assert response.status_code < 500, (role, method, url)
                assert victim_secret not in body and victim.email not in body or (
                    role in ministry and "reset" in url), (role, method, url)
                if role == "anonymous" and method == "get" and url in post_only:
                    assert response.status_code == 405, url
                elif role == "anonymous":
                    assert response.status_code == 302 and "/accounts/login/" in response.url, (method, url)
                elif "/reset/" in url and role not in ministry:
                    assert response.status_code == 404, (role, method, url)
        if role in ministry:
            # The Ministry's reset of the victim is the one change allowed here; undo the count.
            assert not TOTPDevice.objects.filter(user=victim).exists()
            verified(victim)
            victim.refresh_from_db()
            before = secrets_of(victim)
            victim_secret = TOTPDevice.objects.get(user=victim).key
        else:
            assert secrets_of(victim) == before, role
    assert tried == 9 * 11 * 2


@required
def test_the_qr_code_and_recovery_codes_are_always_the_sessions_own_users(cast):
    # An employer starts setting up; the officer's QR and codes are never served to another session.
    officer = password_login(cast.akimat_officer)
    officer.get(reverse("accounts:two_factor_setup"))
    officer_qr = officer.get(reverse("accounts:two_factor_qr")).content
    employer = verified(cast.employer)
    assert employer.get(reverse("accounts:two_factor_qr")).status_code == 404  # enrolled: nothing being set up
    fresh = password_login(cast.employer_editor)
    fresh.get(reverse("accounts:two_factor_setup"))
    assert fresh.get(reverse("accounts:two_factor_qr")).content != officer_qr
    assert employer.get(reverse("accounts:two_factor_recovery_download")).status_code == 302


@required
@pytest.mark.parametrize("who", ["self", "superuser"])
def test_the_ministry_cannot_reset_itself_or_a_superuser(cast, who, django_user_model):
    ministry = verified(cast.approver)
    if who == "self":
        target = cast.approver
    else:
        target = cast.outsider
        target.is_superuser = target.is_staff = True
        target.save(update_fields=["is_superuser", "is_staff"])
        verified(target)
    before = secrets_of(target)
    response = ministry.post(reverse("accounts:two_factor_reset", args=[target.pk]))
    assert response.status_code in (302, 403)
    assert secrets_of(target) == before
    assert not TwoFactorEvent.objects.filter(user=target, kind="reset").exists()
    page = ministry.get(reverse("accounts:two_factor_reset_search"), {"email": target.email}).content.decode()
    assert 'data-testid="two-factor-reset"' not in page


@required
def test_a_reset_of_an_unknown_user_is_404_and_changes_nothing(cast):
    ministry = verified(cast.analyst)
    events = TwoFactorEvent.objects.count()
    assert ministry.post(reverse("accounts:two_factor_reset", args=[10**9])).status_code == 404
    assert TwoFactorEvent.objects.count() == events


@required
@pytest.mark.parametrize("url_name", ["accounts:two_factor_verify", "accounts:two_factor_setup"])
def test_hostile_codes_are_refused_with_a_translated_error_and_change_nothing(cast, url_name):
    user = cast.secretary
    client = password_login(user)
    if url_name == "accounts:two_factor_verify":
        enroll(password_login(user), user)
    else:
        client.get(reverse(url_name))
    before = secrets_of(user)
    with override_settings(QP_2FA_FAILURE_LIMIT=100):
        for value in HOSTILE:
            response = client.post(reverse(url_name), {"code": value})
            assert response.status_code == 400, repr(value[:20])
            body = response.content.decode()
            if "\x00" in value:  # refused for every form by RejectNulMiddleware, translated
                assert "NUL" in body
                continue
            assert "invalid-feedback" in body, repr(value[:20])
            # Russian, near the field "Код".
            assert re.search(r"(Код|Обязательное поле|Нулевые символы|Убедитесь)", body), repr(value[:20])
            assert client.get("/dashboard/").status_code == 302
    assert secrets_of(user) == before


@required
def test_hostile_emails_on_the_reset_page_are_refused_without_a_server_error(cast):
    ministry = verified(cast.analyst)
    for value in HOSTILE + ["a@b.c\x00", "\u202eadmin@demo.kz"]:
        response = ministry.get(reverse("accounts:two_factor_reset_search"), {"email": value})
        assert response.status_code == (400 if "\x00" in value else 200), repr(value[:20])
        assert 'data-testid="two-factor-reset"' not in response.content.decode()


@required
def test_hostile_passwords_on_the_password_change_page_change_nothing(cast):
    client = verified(cast.analyst)
    cast.analyst.refresh_from_db()
    old = cast.analyst.password
    for value in HOSTILE:
        response = client.post(reverse("password_change"), {"old_password": value, "new_password1": value,
                                                            "new_password2": value})
        assert response.status_code in (200, 400), repr(value[:20])
        body = response.content.decode()
        assert "NUL" in body if "\x00" in value else "invalid-feedback" in body
    cast.analyst.refresh_from_db()
    assert cast.analyst.password == old


@required
def test_the_same_app_code_is_refused_the_second_time(cast):
    user = cast.central_officer
    enroll(password_login(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = code_of(device, offset=1)
    first = password_login(user)
    assert first.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    second = password_login(user)
    assert second.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 400
    assert second.get("/dashboard/").status_code == 302


@required
@override_settings(QP_2FA_FAILURE_LIMIT=3)
def test_the_lockout_holds_across_sessions(cast):
    user = cast.member
    enroll(password_login(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    for _i in range(3):  # each wrong code from a new session
        password_login(user).post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    fresh = password_login(user)
    response = fresh.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, offset=1)})
    assert response.status_code == 400
    assert fresh.get("/dashboard/").status_code == 302
    assert TwoFactorEvent.objects.filter(user=user, kind="locked").count() == 1


@required
@pytest.mark.parametrize("evil", EVIL)
def test_next_never_leads_off_site(cast, evil):
    user = cast.analyst
    enroll(password_login(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = password_login(user)
    page = client.get(reverse("accounts:two_factor_verify"), {"next": evil}).content.decode()
    form = re.search(r'<form[^>]*two-factor-verify.*?</form>', page, re.S).group(0)
    assert "evil.com" not in form
    response = client.post(reverse("accounts:two_factor_verify") + "?next=" + evil,
                           {"code": code_of(device, offset=1), "next": evil})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    # Setting up: the page after the recovery codes.
    other = password_login(cast.approver)
    other.get(reverse("accounts:two_factor_setup"), {"next": evil})
    new = TOTPDevice.objects.get(user=cast.approver, confirmed=False)
    other.post(reverse("accounts:two_factor_setup"), {"code": code_of(new), "next": evil})
    done = other.post(reverse("accounts:two_factor_recovery"))
    assert done.status_code == 302 and "evil" not in done.url


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str | None]]:
    out = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            out += _routes(p, route)
        elif isinstance(p, URLPattern):
            name = f"{resolver.namespace}:{p.name}" if resolver.namespace and p.name else p.name
            out.append((route, name))
    return out


def _fill(route: str, pk: int) -> str:
    route = re.sub(r"<(?:int:)?[a-z_]*pk>|<int:[a-z_]+>", str(pk), route)
    route = re.sub(r"<(?:slug|str|uuid|path):[a-z_]+>|<[a-z_]+>", "x", route)
    return "/" + route.replace("\\", "")


OPEN = {"accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:two_factor_qr",
        "accounts:two_factor_recovery", "accounts:two_factor_recovery_download", "logout", "set_language"}


@required
def test_a_user_between_the_steps_reaches_no_other_url_get_or_post(cast):
    user = cast.approver
    enroll(password_login(user), user)
    client = password_login(user)
    client.raise_request_exception = False
    events = TwoFactorEvent.objects.count()
    routes = [(r, n) for r, n in _routes(get_resolver()) if n not in OPEN]
    assert len(routes) > 50
    for route, name in routes:
        url = _fill(route, cast.approver.pk)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, name, response.status_code)
            assert response.url.startswith(reverse("accounts:two_factor_verify")), (method, url, response.url)
    for url in ("/admin/", "/admin/core/user/", "/admin/login/"):
        assert client.get(url).url.startswith(reverse("accounts:two_factor_verify"))
    assert TwoFactorEvent.objects.count() == events
    # Logout and the language switch stay open.
    assert client.post(reverse("set_language"), {"language": "kk"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


def _race(signal, sender, posts) -> list[int]:
    """Run the posts in threads at once, holding each write a moment so that a check-then-write
    without a lock lets both through."""
    barrier = threading.Barrier(len(posts), timeout=5)

    def slow(**kwargs):
        time.sleep(0.4)

    signal.connect(slow, sender=sender, weak=False)
    results: list[int] = []

    def run(post):
        try:
            barrier.wait()
            results.append(post())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in posts]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        signal.disconnect(slow, sender=sender)
    return sorted(results)


@required
@pytest.mark.django_db(transaction=True)
def test_a_recovery_code_used_by_two_sessions_at_once_logs_in_one_only(cast):
    user = cast.analyst
    codes = enroll(password_login(user), user)
    clients = [password_login(user) for _i in range(2)]

    def poster(client):
        return lambda: client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code

    assert _race(pre_delete, StaticToken, [poster(c) for c in clients]) == [302, 400]
    assert TwoFactorEvent.objects.filter(user=user, kind="recovery_used").count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 9


@required
@pytest.mark.django_db(transaction=True)
def test_an_app_code_used_by_two_sessions_at_once_logs_in_one_only(cast):
    user = cast.akimat_officer
    enroll(password_login(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = code_of(device, offset=1)
    clients = [password_login(user) for _i in range(2)]

    def poster(client):
        return lambda: client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code

    assert _race(pre_save, TOTPDevice, [poster(c) for c in clients]) == [302, 400]


def test_the_kazakh_password_change_page_has_no_russian_and_one_spelling(cast):
    client = Client()
    client.post(reverse("login"), {"username": cast.employer.email, "password": PASSWORD})
    client.post(reverse("set_language"), {"language": "kk"})
    page = client.get(reverse("password_change")).content.decode()
    assert "Жаңа құпиясөз" in page
    assert "пожалуйста" not in page and "Для подтверждения" not in page  # Django's kk catalogue's gap
    assert "құпия сөз" not in page


@required
def test_a_wrong_code_while_setting_up_does_not_mention_recovery_codes_not_yet_made(cast):
    client = password_login(cast.secretary)
    client.get(reverse("accounts:two_factor_setup"))
    page = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"}).content.decode()
    assert "Код: код неверен или устарел. Введите текущий 6-значный код из приложения." in page
    assert "резервных" not in page


@required
def test_a_session_from_before_the_enrolment_cannot_turn_it_off_or_take_new_recovery_codes(cast):
    # A password-only session (say, someone who had the password) opened before the employer enrolled
    # in another browser: it may not strip the second factor nor mint recovery codes for itself.
    old_session = password_login(cast.employer)
    codes = enroll(password_login(cast.employer), cast.employer)
    before = secrets_of(cast.employer)
    for name in ("accounts:two_factor_disable", "accounts:two_factor_recovery_new"):
        response = old_session.post(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_verify")), name
    assert secrets_of(cast.employer) == before
    assert old_session.get(reverse("accounts:two_factor_recovery")).status_code == 302
    assert len(codes) == 10
