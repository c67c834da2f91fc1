"""Two-factor login (django-otp): a TOTP app and one-time recovery codes.

A user holding a role of QP_2FA_REQUIRED_ROLES (production: every authority and ministry role),
or anyone who enrolled of their own accord (employers may), passes a second step after the
password: enrol (scan the QR code, confirm one code, keep the recovery codes) or enter a code.
Until then TwoFactorMiddleware opens no page but the second step's own. Wrong codes are counted
per user: QP_2FA_FAILURE_LIMIT of them lock code entry for QP_2FA_LOCK_SECONDS. Every enrolment,
use of a recovery code, turning off and Ministry reset is a TwoFactorEvent row, written in an
audited() block.
"""
from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audited
from .errors import DomainError
from .models import MINISTRY_ROLES, Membership, TwoFactorEvent, User
from .permissions import forbidden, holds_membership

SESSION_REQUIRED_KEY = "qp_2fa_required"  # whether this session's user must pass the second step
SESSION_NEW_CODES_KEY = "qp_2fa_new_codes"  # recovery codes just made, shown until acknowledged
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"

# Pages a user between the password and the second step may open.
OPEN_URL_NAMES = ("accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:two_factor_qr",
                  "accounts:two_factor_recovery", "accounts:two_factor_recovery_download",
                  "logout", "set_language")


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed, name=TOTP_NAME).order_by("-pk").first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_by_role(user: User) -> bool:
    """Whether one of the user's roles requires two-factor login (QP_2FA_REQUIRED_ROLES)."""
    roles = settings.QP_2FA_REQUIRED_ROLES
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()


def required_for(user: User) -> bool:
    """A role requires it, or the user enrolled of their own accord."""
    return required_by_role(user) or is_enrolled(user)


def remember_requirement(sender, request, user, **kwargs) -> None:
    """user_logged_in: decide once per login whether the session needs the second step, so that
    TwoFactorMiddleware costs no query on the pages of users who need none."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REQUIRED_KEY] = required_for(user)


def needs_second_step(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    if SESSION_REQUIRED_KEY not in request.session:  # a session from before two-factor login
        request.session[SESSION_REQUIRED_KEY] = required_for(user)
    return bool(request.session[SESSION_REQUIRED_KEY])


class TwoFactorMiddleware:
    """No page opens for a user who owes the second step, except the second step's own pages:
    GET or POST, any URL, they are sent to enrol or to enter a code, and come back after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_step(request) and not self._open(request.path_info):
            name = "accounts:two_factor_verify" if is_enrolled(request.user) else "accounts:two_factor_setup"
            target = reverse(name)
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in OPEN_URL_NAMES)


# Wrong codes: counted per user in the cache (Redis in production, shared by every worker).
def _fail_key(user: User) -> str:
    return f"qp:2fa:fail:{user.pk}"


def _lock_key(user: User) -> str:
    return f"qp:2fa:lock:{user.pk}"


def _locked() -> DomainError:
    minutes = max(1, settings.QP_2FA_LOCK_SECONDS // 60)
    return DomainError(_("Code: too many wrong codes. Try again in %(minutes)d minutes.") % {"minutes": minutes},
                       field="code", code="locked")


def _refuse_if_locked(user: User) -> None:
    if cache.get(_lock_key(user)):
        raise _locked()


def _wrong_code(user: User, *, enrolling: bool = False) -> DomainError:
    key = _fail_key(user)
    cache.add(key, 0, settings.QP_2FA_LOCK_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.QP_2FA_LOCK_SECONDS)
        failures = 1
    if failures >= settings.QP_2FA_FAILURE_LIMIT:
        cache.set(_lock_key(user), 1, settings.QP_2FA_LOCK_SECONDS)
        cache.delete(key)
        with transaction.atomic(), audited(user, "two_factor_locked"):
            TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.LOCKED)
        return _locked()
    if enrolling:  # no recovery codes exist yet
        return DomainError(_("Code: the code is wrong or has expired. Enter the current 6-digit code of your app."),
                           field="code", code="wrong_code")
    return DomainError(_("Code: the code is wrong or has expired. Enter the current 6-digit code of your app "
                         "or one of your recovery codes."), field="code", code="wrong_code")


def _normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()[:32]


def setup_device(user: User) -> TOTPDevice:
    """The TOTP device being enrolled: made once, kept unconfirmed until a code confirms it."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// address of the device as an SVG QR code (an image: no script, no style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def _issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.QP_2FA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_enroll(*, request, user: User, code: str) -> list[str]:
    """Confirm the device being set up with one of its codes; log the session in with it and
    return the new recovery codes (shown once)."""
    _refuse_if_locked(user)
    device = totp_device(user, confirmed=False)
    if device is None:
        raise DomainError(_("Code: start the set-up again, the QR code has expired."), field="code")
    if not device.verify_token(_normalize(code)):
        raise _wrong_code(user, enrolling=True)
    with transaction.atomic(), audited(user, "two_factor_enroll"):
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_recovery_codes(user)
        TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.ENROLLED)
    cache.delete(_fail_key(user))
    otp_login(request, device)
    request.session[SESSION_REQUIRED_KEY] = True
    return codes


def two_factor_verify(*, request, user: User, code: str) -> None:
    """The second step of a login: the app's current code, or a recovery code (used up)."""
    _refuse_if_locked(user)
    token = _normalize(code)
    with transaction.atomic():
        # One check at a time per user (the user's row locked): a code that two sessions send at
        # once, the app's or a recovery code, lets one of them in, the other finds it spent.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        device = totp_device(user)
        if device is not None and token.isdigit() and device.verify_token(token):
            passed = device
        else:
            recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
            with audited(user, "two_factor_recovery_use"):
                used = recovery is not None and recovery.verify_token(token)
                if used:
                    TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.RECOVERY_USED)
            passed = recovery if used else None
    if passed is None:
        raise _wrong_code(user)
    otp_login(request, passed)
    cache.delete(_fail_key(user))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes for the actor's own account; the old ones stop working."""
    if not is_enrolled(actor):
        raise DomainError(_("Two-factor login is not set up for your account."))
    with transaction.atomic(), audited(actor, "two_factor_recovery_issue"):
        codes = _issue_recovery_codes(actor)
        TwoFactorEvent.objects.create(user=actor, actor=actor, kind=TwoFactorEvent.Kind.RECOVERY_ISSUED)
    return codes


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_disable(*, actor: User) -> None:
    """Turn off the actor's own second factor: only where no role of theirs requires it."""
    if required_by_role(actor):
        raise forbidden(_("Two-factor login is required for your role and cannot be turned off."))
    with transaction.atomic(), audited(actor, "two_factor_disable"):
        _remove_devices(actor)
        TwoFactorEvent.objects.create(user=actor, actor=actor, kind=TwoFactorEvent.Kind.DISABLED)


def two_factor_reset(*, actor: User, user: User) -> None:
    """A Ministry user removes another user's app and recovery codes (a lost phone): that user
    enrols again at the next login if a role requires it."""
    if not holds_membership(actor, MINISTRY_ROLES):
        raise forbidden(_("Only the Ministry resets another user's two-factor login."))
    if actor.pk == user.pk:
        raise forbidden(_("You cannot reset your own two-factor login; ask another Ministry user."))
    if user.is_superuser:
        raise forbidden(_("A superuser's two-factor login is not reset from the portal."))
    with transaction.atomic(), audited(actor, "two_factor_reset", target_user=user.pk):
        _remove_devices(user)
        TwoFactorEvent.objects.create(user=user, actor=actor, kind=TwoFactorEvent.Kind.RESET)
