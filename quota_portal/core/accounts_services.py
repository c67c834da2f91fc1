"""Employer accounts: sign-up with email confirmation, organizations, members and invitations.

Keyword-only services that own their transaction and audit context. The confirmation and the
invitation travel as signed or random tokens in emailed links; an account stays inactive (cannot
log in) until its email is confirmed.
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import Invitation

from .audit import audited
from .errors import DomainError
from .models import Membership, Organization, Region, Role, User

CONFIRM_SALT = "qp.accounts.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600
INVITATION_DAYS = 7


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def _send(to: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


def _site(base_url: str | None) -> str:
    """The links' origin: the request's own host when there is a request, else the configured SITE_URL."""
    return (base_url or settings.SITE_URL).rstrip("/")


def user_signup(*, email: str, full_name: str, password: str, language: str = "ru",
                base_url: str | None = None) -> User:
    """Create an inactive account and email the confirmation link (valid 3 days)."""
    email = email.strip().lower()
    with transaction.atomic(), audited(None, "user_signup"):
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and existing.is_active:
            raise DomainError(_("An account with this email already exists; log in or reset the password."),
                              field="email", code="exists")
        if existing is not None:
            user = existing  # signed up before but never confirmed: send a fresh link
            user.full_name = full_name
            user.set_password(password)
            user.save()
        else:
            user = User.objects.create_user(email=email, password=password, full_name=full_name,
                                            language=language, is_active=False)
        link = _site(base_url) + reverse("accounts:confirm", args=[confirmation_token(user)])
        with translation.override(language):
            _send(email, _("Confirm your email for the Quota Portal"),
                  _("Hello, %(name)s!\n\nTo finish signing up, open this link within 3 days:\n%(link)s\n\n"
                    "If you did not sign up, ignore this message.") % {"name": full_name or email, "link": link})
    return user


def user_confirm(*, token: str) -> User:
    """Activate the account named by a valid, unexpired confirmation token."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("The confirmation link has expired; sign up again to get a new one."),
                          code="expired") from None
    except signing.BadSignature:
        raise DomainError(_("The confirmation link is not valid."), code="bad_token") from None
    with transaction.atomic(), audited(None, "user_confirm"):
        user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
        if user is None:
            raise DomainError(_("The confirmation link is not valid."), code="bad_token")
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
    return user


def organization_create(*, actor: User, kind: str, bin_iin: str, name: str, legal_address: str,
                        region: Region) -> Membership:
    """Register an employer (BIN/IIN checked by the form) and make the actor its owner."""
    with transaction.atomic(), audited(actor, "organization_create"):
        if Organization._base_manager.filter(bin_iin=bin_iin).exists():
            raise DomainError(
                _("An organization with BIN/IIN %(bin)s is already registered; ask its owner to invite you.")
                % {"bin": bin_iin}, field="bin_iin", code="exists")
        try:
            with transaction.atomic():
                org = Organization._base_manager.create(kind=kind, bin_iin=bin_iin, name=name,
                                                        legal_address=legal_address, region=region,
                                                        email=actor.email, language=actor.language
                                                        if actor.language in ("ru", "kk") else "ru")
        except IntegrityError:
            raise DomainError(_("An organization with BIN/IIN %(bin)s is already registered.") % {"bin": bin_iin},
                              field="bin_iin", code="exists") from None
        return Membership.objects.create(user=actor, role=Role.EMPLOYER_OWNER, organization=org)


def _ensure_owner(actor: User, organization: Organization) -> None:
    if not Membership.objects.filter(user=actor, organization=organization, role=Role.EMPLOYER_OWNER).exists():
        raise DomainError(_("Only the organization's owner manages its members."), code="forbidden")


def invitation_create(*, actor: User, organization: Organization, email: str, role: str,
                      base_url: str | None = None) -> Invitation:
    """Invite someone by email as editor or viewer; the link is valid for 7 days."""
    _ensure_owner(actor, organization)
    email = email.strip().lower()
    if role not in Invitation.InvitedRole.values:
        raise DomainError(_("Choose the role: editor or viewer."), field="role")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already a member of the organization.") % {"email": email},
                          field="email", code="member")
    with transaction.atomic(), audited(actor, "invitation_create"):
        Invitation._base_manager.filter(organization=organization, email=email, accepted_at__isnull=True,
                                        revoked_at__isnull=True).update(revoked_at=timezone.now())
        inv = Invitation._base_manager.create(
            organization=organization, email=email, role=role, token=secrets.token_urlsafe(32),
            invited_by=actor, expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS))
        link = _site(base_url) + reverse("accounts:invitation", args=[inv.token])
        _send(email, _("Invitation to %(org)s on the Quota Portal") % {"org": organization.name},
              _("%(who)s invites you to act for %(org)s on the Quota Portal as %(role)s.\n\nOpen this link within "
                "%(days)s days to accept:\n%(link)s") % {"who": actor, "org": organization.name,
                                                         "role": inv.get_role_display(), "days": INVITATION_DAYS,
                                                         "link": link})
    return inv


def invitation_for_token(token: str) -> Invitation:
    inv = Invitation._base_manager.select_related("organization").filter(token=token).first()
    if inv is None or inv.revoked_at is not None:
        raise DomainError(_("The invitation is not valid; ask the organization's owner for a new one."),
                          code="bad_token")
    if inv.accepted_at is not None:
        raise DomainError(_("The invitation has already been accepted."), code="accepted")
    if inv.expires_at <= timezone.now():
        raise DomainError(_("The invitation has expired; ask the organization's owner for a new one."),
                          code="expired")
    return inv


def invitation_accept(*, actor: User, token: str) -> Membership:
    """Join the organization with the invited role; only the invited email may accept."""
    with transaction.atomic(), audited(actor, "invitation_accept"):
        inv = invitation_for_token(token)
        inv = Invitation._base_manager.select_for_update().get(pk=inv.pk)
        if inv.accepted_at is not None:
            raise DomainError(_("The invitation has already been accepted."), code="accepted")
        if actor.email.lower() != inv.email.lower():
            raise DomainError(_("This invitation was sent to %(email)s; log in with that address to accept it.")
                              % {"email": inv.email}, code="wrong_user")
        membership, _created = Membership.objects.get_or_create(user=actor, organization=inv.organization,
                                                                role=inv.role)
        inv.accepted_at = timezone.now()
        inv.accepted_by = actor
        inv.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_accept_new_user(*, token: str, full_name: str, password: str, language: str = "ru") -> Membership:
    """Create the invited person's account (the emailed link proves the address) and join."""
    with transaction.atomic():
        inv = invitation_for_token(token)
        if User.objects.filter(email__iexact=inv.email, is_active=True).exists():
            raise DomainError(_("An account with this email exists; log in to accept the invitation."),
                              code="exists")
        user = User.objects.filter(email__iexact=inv.email).first()
        if user is None:
            user = User.objects.create_user(email=inv.email, password=password, full_name=full_name,
                                            language=language)
        else:
            user.is_active, user.full_name = True, full_name
            user.set_password(password)
            user.save()
        return invitation_accept(actor=user, token=token)


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    _ensure_owner(actor, invitation.organization)
    with transaction.atomic(), audited(actor, "invitation_revoke"):
        Invitation._base_manager.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())


def _owners(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.EMPLOYER_OWNER).count()


def member_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Owner changes a member's role; the last owner cannot stop being owner."""
    org = membership.organization
    _ensure_owner(actor, org)
    if role not in (Role.EMPLOYER_OWNER, Role.EMPLOYER_EDITOR, Role.EMPLOYER_VIEWER):
        raise DomainError(_("Choose the role: owner, editor or viewer."), field="role")
    with transaction.atomic(), audited(actor, "member_change_role"):
        list(Membership.objects.select_for_update().filter(organization=org))
        if membership.role == Role.EMPLOYER_OWNER and role != Role.EMPLOYER_OWNER and _owners(org) <= 1:
            raise DomainError(_("The organization must keep at least one owner; make someone else owner first."),
                              code="last_owner")
        if Membership.objects.filter(user=membership.user, organization=org, role=role).exclude(
                pk=membership.pk).exists():
            Membership.objects.filter(pk=membership.pk).delete()
        else:
            Membership.objects.filter(pk=membership.pk).update(role=role)
    return membership


def member_remove(*, actor: User, membership: Membership) -> None:
    """Owner removes a member; the last owner cannot be removed (not even by themself)."""
    org = membership.organization
    _ensure_owner(actor, org)
    with transaction.atomic(), audited(actor, "member_remove"):
        list(Membership.objects.select_for_update().filter(organization=org))
        if membership.role == Role.EMPLOYER_OWNER and _owners(org) <= 1:
            raise DomainError(_("The last owner cannot be removed; make someone else owner first."),
                              code="last_owner")
        Membership.objects.filter(pk=membership.pk).delete()
