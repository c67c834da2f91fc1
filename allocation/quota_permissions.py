"""Who may act on the Ministry's quota (Rules p.4-5, p.18-21), from the actor's memberships
(quota_portal/core/permissions.py), whoever called the service.

    ministry analyst         labour force, scenarios, proposing a distribution, endorsing a
                             redistribution
    ministry approver        approving (never their own proposal), declining and publishing a
                             distribution; approving or declining a redistribution
    akimat officer           permits issued in the region (allocation/redistribution_use.py checks
                             it); asking for a redistribution
    central-body officer     asking for a redistribution
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.models import Role
from quota_portal.core.permissions import forbidden, holds_membership


def ensure_analyst(actor) -> None:
    if not holds_membership(actor, {Role.MINISTRY_ANALYST}):
        raise forbidden(_("Only a Ministry analyst can do this."))


def ensure_approver(actor) -> None:
    if not holds_membership(actor, {Role.MINISTRY_APPROVER}):
        raise forbidden(_("Only a Ministry approver can do this."))


def ensure_not_the_proposer(actor, proposer_id: int | None) -> None:
    """Two people: whoever proposed (or endorsed) a change never approves it."""
    if proposer_id is not None and getattr(actor, "pk", None) == proposer_id:
        raise forbidden(_("A second person approves: you proposed this yourself."))

