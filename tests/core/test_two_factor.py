"""Two-factor login (core/two_factor.py): enrolment, TOTP and recovery codes, throttling, who is
forced, the Ministry's reset; production settings require it, base settings do not."""
from __future__ import annotations

import re
import secrets

from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quota_portal.core.models import TwoFactorEvent

from ..conftest import PASSWORD
from .test_commands import _manage

AUTHORITY_ROLES = ["akimat_officer", "commission_secretary", "commission_member", "central_officer",
                   "ministry_analyst", "ministry_approver"]
required = override_settings(QP_2FA_REQUIRED_ROLES=AUTHORITY_ROLES)


def password_login(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset)
    return f"{value:06d}"


def enroll(client: Client, user) -> list[str]:
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor_recovery")
    page = client.get(reverse("accounts:two_factor_recovery")).content.decode()
    return re.findall(r"<li>([a-z2-7]{8})</li>", page)


PAGES = ["/", "/dashboard/", "/inbox/", "/ministry/national/", "/accounts/members/", "/applications/",
         "/accounts/two-factor/", "/accounts/two-factor/reset/"]


@required
def test_an_authority_user_opens_no_page_before_enrolling_then_enrolls(cast):
    client = password_login(cast.akimat_officer)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:two_factor_setup")), (url, response.url)
    # A POST is refused the same way, and changes nothing.
    response = client.post(reverse("accounts:two_factor_recovery_new"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_setup"))
    assert not StaticToken.objects.filter(device__user=cast.akimat_officer).exists()

    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert client.get(reverse("accounts:two_factor_qr")).content.startswith(b"<?xml")
    device = TOTPDevice.objects.get(user=cast.akimat_officer, confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device, offset=5)})
    assert wrong.status_code == 400 and "Код: код неверен или устарел" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.akimat_officer, confirmed=True).exists()

    codes = enroll(client, cast.akimat_officer)
    assert len(codes) == 10 and len(set(codes)) == 10
    download = client.get(reverse("accounts:two_factor_recovery_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(c in download.content.decode() for c in codes)
    # Shown once: acknowledged, the page and the download are gone.
    client.post(reverse("accounts:two_factor_recovery"))
    assert client.get(reverse("accounts:two_factor_recovery")).status_code == 302
    assert client.get(reverse("accounts:two_factor_recovery_download")).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert list(TwoFactorEvent.objects.filter(user=cast.akimat_officer).values_list("kind", flat=True)) == [
        "enrolled"]


@required
def test_login_with_totp_then_with_a_recovery_code_used_once(cast):
    codes = enroll(password_login(cast.analyst), cast.analyst)
    device = TOTPDevice.objects.get(user=cast.analyst, confirmed=True)

    client = password_login(cast.analyst)
    response = client.get("/ministry/national/")
    assert response.url == reverse("accounts:two_factor_verify") + "?next=%2Fministry%2Fnational%2F"
    # The code just used at enrolment is spent; the next step's code is taken.
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, offset=1),
                                                                   "next": "/ministry/national/"})
    assert response.status_code == 302 and response.url == "/ministry/national/"
    assert client.get("/ministry/national/").url == "/ministry/national/2027/"  # its own redirect, not ours

    client = password_login(cast.analyst)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get("/dashboard/").status_code == 200
    assert TwoFactorEvent.objects.filter(user=cast.analyst, kind="recovery_used").count() == 1

    again = password_login(cast.analyst)
    refused = again.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert refused.status_code == 400
    assert again.get("/dashboard/").status_code == 302
    assert StaticToken.objects.filter(device__user=cast.analyst).count() == 9


@required
@override_settings(QP_2FA_FAILURE_LIMIT=3, LANGUAGE_CODE="en")
def test_wrong_codes_are_refused_then_code_entry_locks(cast):
    enroll(password_login(cast.secretary), cast.secretary)
    device = TOTPDevice.objects.get(user=cast.secretary, confirmed=True)
    client = password_login(cast.secretary)
    client.cookies["qp_language"] = "en"
    for _i in range(2):
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
        assert response.status_code == 400
        assert "Code: the code is wrong or has expired" in response.content.decode()
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert "Code: too many wrong codes. Try again in 15 minutes." in response.content.decode()
    # Locked: even the right code is refused now, and no page opens.
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, offset=1)})
    assert response.status_code == 400 and "too many wrong codes" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302
    assert TwoFactorEvent.objects.filter(user=cast.secretary, kind="locked").count() == 1


@required
def test_the_russian_error_names_the_field_and_the_rule(cast):
    enroll(password_login(cast.member), cast.member)
    client = password_login(cast.member)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "123"})
    assert response.status_code == 400
    assert "Код: код неверен или устарел" in response.content.decode()


@required
def test_an_employer_is_not_forced_but_may_enable_and_disable_it(cast):
    client = password_login(cast.employer)
    assert client.get("/dashboard/").status_code == 200
    assert "Двухфакторный вход" in client.get(reverse("accounts:two_factor")).content.decode()
    enroll(client, cast.employer)
    # Enrolled of their own accord: the next login asks for the code.
    again = password_login(cast.employer)
    assert again.get("/dashboard/").url.startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=cast.employer).exists()
    assert password_login(cast.employer).get("/dashboard/").status_code == 200
    assert set(TwoFactorEvent.objects.filter(user=cast.employer).values_list("kind", flat=True)) == {
        "enrolled", "disabled"}


@required
def test_a_role_that_requires_it_cannot_turn_it_off(cast):
    client = password_login(cast.central_officer)
    enroll(client, cast.central_officer)
    client.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=cast.central_officer, confirmed=True).exists()
    assert not TwoFactorEvent.objects.filter(user=cast.central_officer, kind="disabled").exists()


@required
def test_the_ministry_resets_a_users_second_factor_and_others_may_not(cast):
    enroll(password_login(cast.akimat_officer), cast.akimat_officer)
    reset_url = reverse("accounts:two_factor_reset", args=[cast.akimat_officer.pk])
    # An akimat officer (verified) may not reset anyone: 404 as for every page of another role.
    officer = password_login(cast.secretary_atyrau)
    enroll(officer, cast.secretary_atyrau)
    assert officer.post(reverse("accounts:two_factor_reset", args=[cast.secretary.pk])).status_code == 404

    ministry = password_login(cast.approver)
    enroll(ministry, cast.approver)
    page = ministry.get(reverse("accounts:two_factor_reset_search"), {"email": cast.akimat_officer.email})
    assert page.status_code == 200 and 'data-testid="two-factor-reset"' in page.content.decode()
    assert ministry.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.akimat_officer).exists()
    event = TwoFactorEvent.objects.get(user=cast.akimat_officer, kind="reset")
    assert event.actor == cast.approver
    # At the next login the officer must set it up again.
    assert password_login(cast.akimat_officer).get("/").url.startswith(reverse("accounts:two_factor_setup"))


@required
def test_a_recovery_code_regeneration_replaces_the_old_codes(cast):
    client = password_login(cast.analyst)
    old = enroll(client, cast.analyst)
    client.post(reverse("accounts:two_factor_recovery"))
    response = client.post(reverse("accounts:two_factor_recovery_new"))
    assert response.url == reverse("accounts:two_factor_recovery")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(response.url).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    fresh = password_login(cast.analyst)
    assert fresh.post(reverse("accounts:two_factor_verify"), {"code": old[1]}).status_code == 400
    assert fresh.post(reverse("accounts:two_factor_verify"), {"code": new[1]}).status_code == 302


def test_under_base_settings_every_role_logs_in_with_the_password_alone(cast):
    for user in (cast.akimat_officer, cast.secretary, cast.central_officer, cast.analyst, cast.approver,
                 cast.employer):
        assert password_login(user).get("/dashboard/").status_code == 200, user.email


def test_production_settings_require_two_factor_for_every_authority_and_ministry_role():
    env = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz"}
    code = "from django.conf import settings as s; print(','.join(sorted(s.QP_2FA_REQUIRED_ROLES)))"
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == [",".join(sorted(AUTHORITY_ROLES))], result.stderr
    base = _manage({"DJANGO_SETTINGS_MODULE": "quota_portal.settings.local"}, "shell", "-v", "0", "-c", code)
    assert base.stdout.strip() == "", base.stderr


def test_the_totp_helper_matches_the_device(cast):
    """The tests' own code computation agrees with django-otp's check (not a test that cannot fail)."""
    device = TOTPDevice.objects.create(user=cast.outsider, name="authenticator", confirmed=True)
    assert device.verify_token(code_of(device))
    assert not device.verify_token(f"{(int(code_of(device)) + 1) % 1000000:06d}")


@required
def test_a_reset_ends_the_second_factor_of_a_session_already_verified(cast):
    client = password_login(cast.secretary)
    enroll(client, cast.secretary)
    assert client.get("/dashboard/").status_code == 200
    ministry = password_login(cast.analyst)
    enroll(ministry, cast.analyst)
    ministry.post(reverse("accounts:two_factor_reset", args=[cast.secretary.pk]))
    # The session's device is gone: the next page asks the secretary to enrol again.
    assert client.get("/dashboard/").url.startswith(reverse("accounts:two_factor_setup"))


@required
def test_the_audit_trail_records_who_enrolled_and_who_reset(cast):
    from django.apps import apps

    enroll(password_login(cast.member), cast.member)
    ministry = password_login(cast.approver)
    enroll(ministry, cast.approver)
    ministry.post(reverse("accounts:two_factor_reset", args=[cast.member.pk]))
    events = apps.get_model("core", "TwoFactorEventEvent").objects.filter(user=cast.member).order_by("pgh_id")
    contexts = [e.pgh_context.metadata for e in events.select_related("pgh_context")]
    assert [(c["action"], c["user"]) for c in contexts] == [
        ("two_factor_enroll", cast.member.pk), ("two_factor_reset", cast.approver.pk)]


def test_a_code_posted_before_the_set_up_page_made_the_key_makes_nothing(cast):
    """The key is made when the set-up page is shown; a code posted before that goes back to the page
    and leaves no device behind (a refused request changes nothing: the project's access matrix)."""
    client = password_login(cast.employer)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor_setup")
    assert not TOTPDevice.objects.filter(user=cast.employer).exists()
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    assert TOTPDevice.objects.filter(user=cast.employer, confirmed=False).count() == 1
