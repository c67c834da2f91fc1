"""Who may act on a region's submission to the Ministry (Rules p.12, p.15-17).

    akimat officer of the region    everything: the draft, the p.15 need, the p.17 forecasts, sending
    the Ministry's staff            read the versions and have their files written
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.models import MINISTRY_ROLES, Role
from quota_portal.core.permissions import forbidden, holds_membership

OFFICER = frozenset({Role.AKIMAT_OFFICER})


def ensure_submission_officer(actor, region) -> None:
    """An officer of `region`'s akimat (a Region or its id) prepares and sends the annexes."""
    if not holds_membership(actor, OFFICER, authority__region_id=getattr(region, "pk", region)):
        raise forbidden(_("Only an officer of this region's akimat prepares and sends its annexes to the Ministry."))


def ensure_submission_reader(actor, region) -> None:
    """The region's officer or the Ministry's staff."""
    if holds_membership(actor, MINISTRY_ROLES):
        return
    ensure_submission_officer(actor, region)
