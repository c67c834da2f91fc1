"""Employer accounts pages: sign-up and confirmation, organization, members, invitations."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Invitation

from . import accounts_services as services
from .access import employer_owner_required
from .accounts_forms import InvitedSignupForm, InviteForm, OrganizationForm, RoleForm, SignupForm
from .errors import DomainError
from .middleware import SESSION_MEMBERSHIP_KEY
from .models import Membership, User

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _lang() -> str:
    lang = (get_language() or "ru")[:2]
    return lang if lang in ("ru", "kk", "en") else "ru"


def _base_url(request) -> str:
    """Links in emails point at the host the person is using (validated by ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


def _field_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.user_signup(email=d["email"], full_name=d["full_name"], password=d["password1"],
                                 language=_lang(), base_url=_base_url(request))
        except DomainError as exc:
            _field_error(form, exc)
        else:
            # Post/Redirect/Get: reloading the "sent" page never signs up (and mails) again.
            request.session["signup_email"] = d["email"]
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    email = request.session.get("signup_email")
    if not email:
        return redirect("accounts:signup")
    return render(request, "accounts/signup_sent.html", {"email": email})


def confirm(request, token: str):
    try:
        user = services.user_confirm(token=token)
    except DomainError as exc:
        return render(request, "accounts/confirm_failed.html", {"message": exc.message}, status=400)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Your email is confirmed. Now register your organization or accept an invitation."))
    return redirect("accounts:organization_new")


@login_required
def organization_new(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.organization_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _field_error(form, exc)
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
            inv = services.invitation_create(actor=request.user, organization=org, base_url=_base_url(request),
                                             **invite_form.cleaned_data)
        except DomainError as exc:
            _field_error(invite_form, exc)
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


def invitation(request, token: str):
    """Accept an invitation: logged in as the invited email, or by creating that account here."""
    try:
        inv = services.invitation_for_token(token)
    except DomainError as exc:
        return render(request, "accounts/confirm_failed.html", {"message": exc.message}, status=400)
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(actor=request.user, token=token)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
                messages.success(request, _("You have joined %(org)s.") % {"org": inv.organization.name})
                return redirect("dashboard")
    elif User.objects.filter(email__iexact=inv.email, is_active=True).exists():
        return redirect_to_login(request.get_full_path())
    else:
        form = InvitedSignupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                membership = services.invitation_accept_new_user(
                    token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"],
                    language=_lang())
            except DomainError as exc:
                _field_error(form, exc)
            else:
                login(request, membership.user, backend=BACKEND)
                request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
                return redirect("dashboard")
    return render(request, "accounts/invitation.html", {"inv": inv, "form": form})
