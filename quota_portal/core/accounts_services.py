"""Employer accounts: sign-up with email confirmation, organizations, members and invitations.

Keyword-only services that own their transaction and audit context. The confirmation and the
invitation travel as tokens in emailed links built on SITE_URL; an account stays inactive (cannot
log in) until its email is confirmed.

A confirmation link activates the account once, with the password typed at sign-up (its opener
must know it: the attacker may be the one who signed up), and never logs anyone in. Its token is signed and
bound to the account's state (password hash, active flag, last login, email): activating the
account, changing its password (a reset, an accepted invitation) or logging in makes every link
sent before it invalid. Signing up again with an address changes nothing of its account: an
unconfirmed one gets a fresh link whose page asks the person to choose the password (only the
mailbox's owner can open it), an active one gets a notice that someone tried to register with it.
Invitation tokens are stored as SHA-256 digests, so neither the table nor its audit history holds
a usable link.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import audited
from .errors import DomainError
from .links import absolute_url
from .models import Invitation, Membership, Organization, Region, Role, User
from .permissions import ensure_organization_owner

CONFIRM_SALT = "qp.accounts.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600
INVITATION_DAYS = 7


def _account_state(user: User) -> str:
    """Changes when the account is activated, its password or email changes, or it logs in."""
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
    raw = f"{user.pk}|{user.email}|{user.password}|{int(user.is_active)}|{last_login}"
    return salted_hmac(CONFIRM_SALT, raw, algorithm="sha256").hexdigest()[:32]


def confirmation_token(user: User, *, choose_password: bool = False) -> str:
    """The token of a confirmation link; `choose_password`: its page asks for a new password."""
    data = {"u": user.pk, "s": _account_state(user)}
    if choose_password:
        data["p"] = 1
    return signing.dumps(data, salt=CONFIRM_SALT)


def _send(to: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


def _mail_language(user: User | None, fallback: str) -> str:
    lang = (user.language if user is not None else "") or fallback
    return lang if lang in ("ru", "kk", "en") else "ru"


def user_signup(*, email: str, full_name: str, password: str, language: str = "ru") -> User:
    """Sign up: the same answer and one mail to `email`, whatever the address's state.

    - new address: an inactive account and its confirmation link (valid 3 days);
    - an account not yet confirmed: a fresh link whose page asks for a new password; nothing of
      the account changes (the password typed here is discarded: whoever typed it may not own the
      mailbox, and the first sign-up's password may have been chosen by someone else);
    - an active account: nothing changes; its owner is told that someone tried to register.
    """
    email = email.strip().lower()
    with transaction.atomic(), audited(None, "user_signup"):
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(email=email, password=password, full_name=full_name,
                                                    language=language, is_active=False)
            except IntegrityError:  # the same address signed up at the same moment: answer as below
                existing = User.objects.get(email__iexact=email)
        if existing is None:
            link = absolute_url(reverse("accounts:confirm", args=[confirmation_token(user)]))
            with translation.override(_mail_language(user, language)):
                _send(email, _("Confirm your email for the Quota Portal"),
                      _("Hello, %(name)s!\n\nTo finish signing up, open this link within 3 days and type the password "
                        "you chose:\n%(link)s\n\nIf you did not sign up, ignore this message.")
                      % {"name": full_name or email, "link": link})
            return user
        make_password(password)  # the same work as a new sign-up: the answer's timing tells nothing
        if not existing.is_active:
            token = confirmation_token(existing, choose_password=True)
            link = absolute_url(reverse("accounts:confirm", args=[token]))
            with translation.override(_mail_language(existing, language)):
                _send(email, _("Confirm your email for the Quota Portal"),
                      _("Hello!\n\nSomeone (perhaps you) signed up again on the Quota Portal with this address "
                        "before it was confirmed. To confirm it, open this link within 3 days and choose "
                        "your password there:\n%(link)s\n\nIf you did not sign up, ignore this message: "
                        "without the link nobody can activate the account.") % {"link": link})
        else:
            with translation.override(_mail_language(existing, language)):
                _send(email, _("Someone tried to register on the Quota Portal with your email"),
                      _("Hello!\n\nSomeone (perhaps you) tried to sign up on the Quota Portal with this "
                        "address, which already has an account. Nothing was changed.\n\nIf it was you, "
                        "log in:\n%(login)s\nIf you forgot your password, set a new one here:\n%(reset)s\n\n"
                        "If it was not you, ignore this message.")
                      % {"login": absolute_url(reverse("login")), "reset": absolute_url(reverse("password_reset"))})
        return existing


def confirmation_for_token(token: str) -> tuple[User, bool]:
    """The account a valid, unused, unexpired confirmation token names, and whether its page
    asks for a new password. Raises DomainError otherwise."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("The confirmation link has expired; sign up again with the same email to get a new "
                            "one."), code="expired") from None
    except signing.BadSignature:
        data = None
    user = None
    if isinstance(data, dict) and isinstance(data.get("u"), int) and isinstance(data.get("s"), str):
        user = User.objects.filter(pk=data["u"]).first()
    if user is None or user.is_active or not constant_time_compare(_account_state(user), data["s"]):
        raise DomainError(_("This confirmation link has already been used or is not valid. If your account is "
                            "confirmed, log in; otherwise sign up again to get a new link."), code="bad_token")
    return user, bool(data.get("p"))


def user_confirm(*, token: str, password: str | None = None, current_password: str | None = None) -> User:
    """Activate the account of a valid confirmation token, once; never logs anyone in.

    A link that asks for a new password (a repeated sign-up's) needs `password`, which replaces
    the account's; the form has already checked it against the password rules. Any other link
    needs `current_password`, the one typed at sign-up: the link reaches the mailbox whoever
    signed up with the address, and opening it (a person, or a mail scanner following every link)
    must never activate a password someone else chose.
    """
    with transaction.atomic(), audited(None, "user_confirm"):
        user, choose_password = confirmation_for_token(token)
        user = User.objects.select_for_update().get(pk=user.pk)
        confirmation_for_token(token)  # again under the lock: two tabs cannot both use one link
        if choose_password:
            if not password:
                raise DomainError(_("Choose your password."), field="password1", code="required")
            user.set_password(password)
        elif not current_password or not user.check_password(current_password):
            raise DomainError(_("This is not the password chosen when this address was signed up. If you did not "
                                "sign up, or do not remember the password, sign up again with this email: the new "
                                "link lets you choose your password."), field="password", code="wrong_password")
        user.is_active = True
        user.save(update_fields=["is_active", "password"])
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


def token_digest(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so that no table or history holds a link."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, actor: User, organization: Organization, email: str, role: str) -> Invitation:
    """Invite someone by email as editor or viewer; the link is valid for 7 days.

    The returned invitation carries the link's token in `link_token` (not stored anywhere).
    """
    ensure_organization_owner(actor, organization)
    email = email.strip().lower()
    if role not in Invitation.InvitedRole.values:
        raise DomainError(_("Choose the role: editor or viewer."), field="role")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already a member of the organization.") % {"email": email},
                          field="email", code="member")
    with transaction.atomic(), audited(actor, "invitation_create"):
        Invitation._base_manager.filter(organization=organization, email=email, accepted_at__isnull=True,
                                        revoked_at__isnull=True).update(revoked_at=timezone.now())
        token = secrets.token_urlsafe(32)
        inv = Invitation._base_manager.create(
            organization=organization, email=email, role=role, token=token_digest(token),
            invited_by=actor, expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS))
        inv.link_token = token
        link = absolute_url(reverse("accounts:invitation", args=[token]))
        _send(email, _("Invitation to %(org)s on the Quota Portal") % {"org": organization.name},
              ngettext("%(who)s invites you to act for %(org)s on the Quota Portal as %(role)s.\n\nOpen this link "
                       "within %(days)s day to accept:\n%(link)s",
                       "%(who)s invites you to act for %(org)s on the Quota Portal as %(role)s.\n\nOpen this link "
                       "within %(days)s days to accept:\n%(link)s", INVITATION_DAYS)
              % {"who": actor, "org": organization.name, "role": inv.get_role_display(), "days": INVITATION_DAYS,
                 "link": link})
    return inv


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation of an emailed link's token; DomainError if it is not usable."""
    inv = Invitation._base_manager.select_related("organization").filter(token=token_digest(token)).first()
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
        # The form sent from two tabs at once: the second waits here, then finds the invitation
        # accepted (it created the same account a moment later: a duplicate key, a 500).
        Invitation._base_manager.select_for_update().get(pk=inv.pk)
        inv = invitation_for_token(token)
        if User.objects.filter(email__iexact=inv.email, is_active=True).exists():
            raise DomainError(_("An account with this email exists; log in to accept the invitation."),
                              code="exists")
        user = User.objects.filter(email__iexact=inv.email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(email=inv.email, password=password, full_name=full_name,
                                                    language=language)
            except IntegrityError:  # a sign-up with this address at the same moment
                raise DomainError(_("An account with this email exists; log in to accept the invitation."),
                                  code="exists") from None
        else:
            user.is_active, user.full_name = True, full_name
            user.set_password(password)
            user.save()
        return invitation_accept(actor=user, token=token)


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    ensure_organization_owner(actor, invitation.organization)
    with transaction.atomic(), audited(actor, "invitation_revoke"):
        Invitation._base_manager.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())


def _owners(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.EMPLOYER_OWNER).count()


def member_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Owner changes a member's role; the last owner cannot stop being owner."""
    org = membership.organization
    ensure_organization_owner(actor, org)
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
    ensure_organization_owner(actor, org)
    with transaction.atomic(), audited(actor, "member_remove"):
        list(Membership.objects.select_for_update().filter(organization=org))
        if membership.role == Role.EMPLOYER_OWNER and _owners(org) <= 1:
            raise DomainError(_("The last owner cannot be removed; make someone else owner first."),
                              code="last_owner")
        Membership.objects.filter(pk=membership.pk).delete()
