"""The Ministry's dashboard panel of publishing (Rules p.19): proposals awaiting approval and approved
versions awaiting publication with their due date."""
from __future__ import annotations

from . import publication_selectors as selectors
from .quota_models import DistributionStatus


def ministry_panel(request):
    proposed = selectors.awaiting(DistributionStatus.PROPOSED)
    approved = selectors.awaiting(DistributionStatus.APPROVED)
    if not proposed and not approved:
        return None
    return ("allocation/publication/_panel.html", {"proposed": proposed, "approved": approved,
                                                   "is_approver": request.membership.role == "ministry_approver"})


def home_block(request, _obj):
    """On the home page, for everyone (without login): the published quotas, the latest year first."""
    years = selectors.published_years()
    if not years:
        return None
    return ("allocation/publication/_home_block.html", {"latest": years[0]})
