"""Who may act: the checks every state-changing service makes first.

A service is called by a view, a Celery task or a management command; only the first has a
decorator in front of it. So each service checks its actor itself, from the actor's Membership
rows (the role and the tenant it holds it for), never from the request or the active scope.
Each app keeps its own checks in `<app>/permissions.py`, built on `holds_membership` and
`forbidden` here; a refusal is a DomainError with code "forbidden" and a translated message.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import MINISTRY_ROLES, Membership, Organization, Role, User


def forbidden(message: str, *, field: str | None = None) -> DomainError:
    """The refusal of an actor who may not do this (the message says who may)."""
    return DomainError(message, field=field, code="forbidden")


def memberships_of(actor: User | None, roles: Iterable[str]) -> QuerySet[Membership]:
    """The active actor's memberships in one of `roles`; none for anonymous, unsaved or inactive."""
    if actor is None or getattr(actor, "pk", None) is None or not getattr(actor, "is_active", False):
        return Membership.objects.none()
    return Membership.objects.filter(user_id=actor.pk, user__is_active=True, role__in=list(roles))


def holds_membership(actor: User | None, roles: Iterable[str], **tenant) -> bool:
    """Whether the actor holds one of `roles` for the tenant given as lookups, e.g.
    `organization_id=...` or `authority__region_id=...`."""
    return memberships_of(actor, roles).filter(**tenant).exists()


def ensure_ministry(actor: User | None) -> None:
    """The Ministry's staff maintain campaigns, the working-day calendar and treaty flags."""
    if not holds_membership(actor, MINISTRY_ROLES):
        raise forbidden(_("Only the Ministry maintains campaigns, the calendar and treaties."))


def ensure_ministry_analyst(actor: User | None) -> None:
    """Opening a quota campaign is a Ministry analyst's act."""
    if not holds_membership(actor, {Role.MINISTRY_ANALYST}):
        raise forbidden(_("Only a Ministry analyst opens a quota campaign."))


def ensure_organization_owner(actor: User | None, organization: Organization) -> None:
    """Only the organization's owner manages its members and invitations."""
    if not holds_membership(actor, {Role.EMPLOYER_OWNER}, organization_id=organization.pk):
        raise forbidden(_("Only the organization's owner manages its members."))
