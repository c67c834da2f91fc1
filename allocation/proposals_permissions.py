"""Who may act on central-body proposals (Rules p.13): the checks the proposal services make first,
from the actor's memberships (see quota_portal/core/permissions.py), whoever called them.

    central-body officer        drafts, changes, deletes and sends the body's own proposals
    akimat officer of a region  agrees to, or declines, the proposals sent to that region
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.models import Role
from quota_portal.core.permissions import forbidden, holds_membership


def ensure_central_officer(actor, authority) -> None:
    """An officer of this central body: its proposals are theirs to draft and send."""
    authority_id = getattr(authority, "pk", authority)
    if not holds_membership(actor, {Role.CENTRAL_OFFICER}, authority_id=authority_id):
        raise forbidden(_("Only an officer of the central body that makes the proposal can do this."))


def ensure_region_akimat_officer(actor, region) -> None:
    """An officer of the akimat of the region a proposal is addressed to (Rules p.13: agreed "with the
    local executive body on whose territory the foreign workers are to work")."""
    region_id = getattr(region, "pk", region)
    if not holds_membership(actor, {Role.AKIMAT_OFFICER}, authority__region_id=region_id):
        raise forbidden(_("Only an officer of the akimat of the region the proposal is addressed to can "
                          "agree to it or decline it."))
