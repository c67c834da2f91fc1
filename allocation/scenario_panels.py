"""The analyst's dashboard panel of the quota (Rules p.4, p.19): the working campaign's labour force,
scenarios and the proposal awaiting approval, with links to the workspace."""
from __future__ import annotations

from quota_portal.core.models import Role
from quota_portal.core.selectors import working_campaign

from .quota_models import Distribution, DistributionStatus, LabourForce, Scenario


def analyst_panel(request):
    membership = request.membership
    if membership is None or membership.role not in (Role.MINISTRY_ANALYST, Role.MINISTRY_APPROVER):
        return None
    campaign = working_campaign()
    if campaign is None:
        return None
    national = LabourForce.objects.filter(campaign=campaign, region__isnull=True).first()
    pending = (Distribution.objects.filter(campaign=campaign, previous__isnull=True)
               .exclude(status=DistributionStatus.WITHDRAWN).select_related("scenario").order_by("-pk").first())
    return ("allocation/scenarios/_panel.html", {
        "campaign": campaign, "labour_force": national, "pending": pending,
        "scenarios": Scenario.objects.filter(campaign=campaign).count(),
        "is_analyst": membership.role == Role.MINISTRY_ANALYST})
