"""Who may change an employer's applications (Rules p.6): the checks applications' services make
first, from the actor's memberships (see quota_portal/core/permissions.py)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.models import Organization, Role, User
from quota_portal.core.permissions import forbidden, holds_membership

# An organization's owner and editors change its applications; viewers only read them.
EDITOR_ROLES = frozenset({Role.EMPLOYER_OWNER, Role.EMPLOYER_EDITOR})


def ensure_employer_editor(actor: User | None, organization: Organization | int) -> None:
    """Only the organization's owner or an editor starts, changes, submits or withdraws its
    applications and their documents."""
    organization_id = getattr(organization, "pk", organization)
    if not holds_membership(actor, EDITOR_ROLES, organization_id=organization_id):
        raise forbidden(_("Only the organization's owner or an editor can change applications."))
