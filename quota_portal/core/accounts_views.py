"""Employer accounts pages: sign-up and confirmation, organization, members, invitations.

The emailed links (confirmation, invitation) carry a token in the path. Their view keeps the
token in the session and redirects at once to a token-less address, as Django's password-reset
view does: the token then appears in one request line only (redacted in the logs, core/redact.py),
and never in the pages' URL, the audit records or a Referer header. No link logs anyone in.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import accounts_services as services
from . import ratelimit
from .access import employer_owner_required
from .accounts_forms import (
    ChoosePasswordForm,
    ConfirmAccountForm,
    InvitedSignupForm,
    InviteForm,
    OrganizationForm,
    RoleForm,
    SignupForm,
)
from .errors import DomainError
from .forms import add_domain_error
from .middleware import SESSION_MEMBERSHIP_KEY
from .models import Invitation, Membership, User

SESSION_CONFIRM_TOKEN = "qp_confirm_token"
SESSION_INVITATION_TOKEN = "qp_invitation_token"


def _lang() -> str:
    lang = (get_language() or "ru")[:2]
    return lang if lang in ("ru", "kk", "en") else "ru"


def _link_failed(request, message: str):
    return render(request, "accounts/confirm_failed.html", {"message": message}, status=400)


def _login_then(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url})}"


@never_cache
def signup(request):
    """The same answer ("check your mail") whether or not the address has an account."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ratelimit.check("signup", request=request, email=d["email"])
        except ratelimit.RateLimited as exc:
            form.add_error(None, exc.message)
            response = render(request, "accounts/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        services.user_signup(email=d["email"], full_name=d["full_name"], password=d["password1"],
                             language=_lang())
        # Post/Redirect/Get: reloading the "sent" page never signs up (and mails) again.
        request.session["signup_email"] = d["email"].strip().lower()
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@never_cache  # it shows the address typed: a private page, though nobody is logged in
def signup_sent(request):
    email = request.session.get("signup_email")
    if not email:
        return redirect("accounts:signup")
    return render(request, "accounts/signup_sent.html", {"email": email})


@require_GET
def confirm_link(request, token: str):
    """The emailed link: keep its token in the session, continue on the token-less page."""
    request.session[SESSION_CONFIRM_TOKEN] = token
    return redirect("accounts:confirm_account")


@never_cache
def confirm(request):
    """Activate the account of the link just opened, once, with the password chosen at sign-up;
    then the person logs in."""
    token = request.session.get(SESSION_CONFIRM_TOKEN, "")
    try:
        _user, choose_password = services.confirmation_for_token(token)
    except DomainError as exc:
        request.session.pop(SESSION_CONFIRM_TOKEN, None)
        return _link_failed(request, exc.message)
    # A GET changes nothing (a mail scanner opens every link): the page asks for the sign-up
    # password, or for a new one on a repeated sign-up's link.
    template = "accounts/confirm_password.html" if choose_password else "accounts/confirm_account.html"
    form = (ChoosePasswordForm if choose_password else ConfirmAccountForm)(request.POST or None)
    form.email_for_password = _user.email
    if not (request.method == "POST" and form.is_valid()):
        return render(request, template, {"form": form})
    try:
        if choose_password:
            services.user_confirm(token=token, password=form.cleaned_data["password1"])
        else:
            services.user_confirm(token=token, current_password=form.cleaned_data["password"])
    except DomainError as exc:
        if exc.code == "wrong_password":
            form.add_error("password", exc.message)
            return render(request, template, {"form": form})
        request.session.pop(SESSION_CONFIRM_TOKEN, None)
        return _link_failed(request, exc.message)
    request.session.pop(SESSION_CONFIRM_TOKEN, None)
    messages.success(request, _("Your email is confirmed. Log in, then register your organization or accept "
                                "an invitation."))
    return redirect(_login_then(reverse("accounts:organization_new")))


@login_required
def organization_new(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.organization_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
            messages.success(request, _("The organization is registered; you are its owner."))
            return redirect("dashboard")
    return render(request, "accounts/organization_new.html", {"form": form})


@employer_owner_required
def members(request):
    org = request.membership.organization
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            # Each invitation mails the address typed: the same limits as sign-up.
            ratelimit.check("invitation", request=request, email=invite_form.cleaned_data["email"])
            inv = services.invitation_create(actor=request.user, organization=org, **invite_form.cleaned_data)
        except ratelimit.RateLimited as exc:
            invite_form.add_error(None, exc.message)
        except DomainError as exc:
            add_domain_error(invite_form, exc)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": inv.email})
            return redirect("accounts:members")
    rows = list(Membership.objects.filter(organization=org).select_related("user").order_by("role", "user__email"))
    invitations = list(Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True))
    return render(request, "accounts/members.html", {
        "org": org, "rows": rows, "invitations": invitations, "invite_form": invite_form,
        "role_form": RoleForm()})


def _member(request, pk: int) -> Membership:
    m = Membership.objects.select_related("organization", "user").filter(
        pk=pk, organization_id=request.membership.organization_id).first()
    if m is None:
        raise Http404
    return m


@require_POST
@employer_owner_required
def member_role(request, pk: int):
    m = _member(request, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_change_role(actor=request.user, membership=m, role=form.cleaned_data["role"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The role was changed."))
    return redirect("accounts:members")


@require_POST
@employer_owner_required
def member_remove(request, pk: int):
    m = _member(request, pk)
    try:
        services.member_remove(actor=request.user, membership=m)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s was removed from the organization.") % {"user": m.user})
    return redirect("accounts:members")


@require_POST
@employer_owner_required
def invitation_revoke(request, pk: int):
    inv = Invitation.objects.filter(pk=pk).first()
    if inv is None:
        raise Http404
    services.invitation_revoke(actor=request.user, invitation=inv)
    return redirect("accounts:members")


@require_GET
def invitation_link(request, token: str):
    """The emailed link: keep its token in the session, continue on the token-less page."""
    request.session[SESSION_INVITATION_TOKEN] = token
    return redirect("accounts:invitation_page")


@never_cache
def invitation(request):
    """Accept an invitation: logged in as the invited email, or by creating that account here."""
    token = request.session.get(SESSION_INVITATION_TOKEN, "")
    try:
        inv = services.invitation_for_token(token)
    except DomainError as exc:
        request.session.pop(SESSION_INVITATION_TOKEN, None)
        return _link_failed(request, exc.message)
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(actor=request.user, token=token)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                request.session.pop(SESSION_INVITATION_TOKEN, None)
                request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
                messages.success(request, _("You have joined %(org)s.") % {"org": inv.organization.name})
                return redirect("dashboard")
    elif User.objects.filter(email__iexact=inv.email, is_active=True).exists():
        return redirect_to_login(reverse("accounts:invitation_page"))
    else:
        form = InvitedSignupForm(request.POST or None)
        form.email_for_password = inv.email
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_accept_new_user(
                    token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"],
                    language=_lang())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                request.session.pop(SESSION_INVITATION_TOKEN, None)
                messages.success(request, _("Your account is created and you have joined %(org)s. Log in with "
                                            "your email and the password you chose.")
                                 % {"org": inv.organization.name})
                return redirect(_login_then(reverse("dashboard")))
    return render(request, "accounts/invitation.html", {"inv": inv, "form": form})
