"""Two-factor login pages under accounts/two-factor/ (core/two_factor.py does the work)."""
from __future__ import annotations

import base64
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .access import ministry_required
from .errors import DomainError
from .models import TwoFactorEvent, User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=40, strip=True,
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}),
    )


class ResetSearchForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("User's email"), max_length=254)


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return ""


@never_cache
@login_required
def verify(request):
    """The second step of a login: a code from the app or a recovery code."""
    if not two_factor.is_enrolled(request.user):
        return redirect("accounts:two_factor_setup")
    if request.user.is_verified():
        return redirect(_next_url(request) or "dashboard")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            left = two_factor.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(request, _("Recovery codes left: %(n)d. Make new ones on the two-factor page.")
                                 % {"n": left})
            return redirect(_next_url(request) or "dashboard")
    status = 200 if not form.errors else 400
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": _next_url(request)},
                  status=status)


@never_cache
@login_required
def setup(request):
    """Enrol: scan the QR code (or type the key), confirm one code."""
    if two_factor.is_enrolled(request.user) and (request.user.is_verified()
                                                 or two_factor.needs_second_step(request)):
        return redirect("accounts:two_factor" if request.user.is_verified() else "accounts:two_factor_verify")
    if request.method == "POST" and two_factor.totp_device(request.user, confirmed=False) is None:
        # The key is made when the page is shown: a code posted before that cannot match it, and a
        # refused post makes nothing. Show the page (and its key).
        return redirect(request.get_full_path())
    device = two_factor.setup_device(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = ""  # no recovery codes yet: the steps above say which code
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enroll(request=request, user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session[two_factor.SESSION_NEW_CODES_KEY] = codes
            request.session["qp_2fa_next"] = _next_url(request)
            return redirect("accounts:two_factor_recovery")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor/setup.html", {
        "form": form, "next": _next_url(request),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        "required": two_factor.required_by_role(request.user),
    }, status=200 if not form.errors else 400)


@never_cache
@login_required
def qr(request):
    device = two_factor.totp_device(request.user, confirmed=False)
    if device is None:
        return HttpResponse(status=404)
    return HttpResponse(two_factor.qr_svg(device), content_type="image/svg+xml")


@never_cache
@login_required
def recovery(request):
    """The recovery codes just made, shown until the user says they are kept."""
    codes = request.session.get(two_factor.SESSION_NEW_CODES_KEY)
    if request.method == "POST":
        request.session.pop(two_factor.SESSION_NEW_CODES_KEY, None)
        return redirect(request.session.pop("qp_2fa_next", "") or "accounts:two_factor")
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor/recovery.html", {"codes": codes})


@never_cache
@login_required
def recovery_download(request):
    codes = request.session.get(two_factor.SESSION_NEW_CODES_KEY)
    if not codes:
        return redirect("accounts:two_factor")
    lines = [_("Quota Portal: recovery codes for %(email)s") % {"email": request.user.email},
             _("Each code logs you in once, in place of your app's code."), ""] + codes
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quota-portal-recovery-codes.txt"'
    return response


@never_cache
@login_required
def profile(request):
    user = request.user
    return render(request, "accounts/two_factor/profile.html", {
        "enrolled": two_factor.is_enrolled(user), "required": two_factor.required_by_role(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "events": TwoFactorEvent.objects.filter(user=user).select_related("actor")[:10],
    })


def _second_step_first(request):
    """A session that has not passed the second step (one logged in before the user enrolled in
    another) changes nothing of two-factor login: it is sent to enter a code first."""
    if two_factor.is_enrolled(request.user) and not request.user.is_verified():
        target = reverse("accounts:two_factor_verify")
        return redirect(target + "?" + urlencode({"next": reverse("accounts:two_factor")}))
    return None


@require_POST
@login_required
def recovery_regenerate(request):
    if refused := _second_step_first(request):
        return refused
    try:
        codes = two_factor.recovery_codes_regenerate(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:two_factor")
    request.session[two_factor.SESSION_NEW_CODES_KEY] = codes
    return redirect("accounts:two_factor_recovery")


@require_POST
@login_required
def disable(request):
    if refused := _second_step_first(request):
        return refused
    try:
        two_factor.two_factor_disable(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session[two_factor.SESSION_REQUIRED_KEY] = False
        messages.success(request, _("Two-factor login is turned off."))
    return redirect("accounts:two_factor")


@never_cache
@ministry_required
def reset_search(request):
    """The Ministry finds a user by email and resets their second factor (a lost phone)."""
    form = ResetSearchForm(request.GET or None)
    found = None
    if form.is_valid():
        found = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if found is None:
            form.add_error("email", _("User's email: no user has this email."))
    return render(request, "accounts/two_factor/reset.html", {
        "form": form, "found": found,
        "found_enrolled": found is not None and two_factor.is_enrolled(found),
        "found_resettable": found is not None and found.pk != request.user.pk and not found.is_superuser,
        "events": TwoFactorEvent.objects.filter(user=found).select_related("actor")[:10] if found else [],
    })


@ministry_required  # first: another role gets 404 for GET too, not a 405 that shows the page exists
@require_POST
def reset(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    try:
        two_factor.two_factor_reset(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Two-factor login of %(email)s is reset: they set it up again at their next "
                                    "login.") % {"email": target.email})
    return redirect(reverse("accounts:two_factor_reset_search") + "?" + urlencode({"email": target.email}))
