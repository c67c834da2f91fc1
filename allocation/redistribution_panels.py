"""The Ministry's dashboard panel of redistribution requests awaiting it, and the block for the
Ministry's quota page (the pages here and "open the next campaign")."""
from __future__ import annotations

from quota_portal.core.models import Campaign, Role

from .quota_models import Redistribution, RedistributionStatus

S = RedistributionStatus


def ministry_panel(request):
    role = request.membership.role
    status = S.REQUESTED if role == Role.MINISTRY_ANALYST else S.ENDORSED
    awaiting = list(Redistribution.objects.filter(status=status)
                    .select_related("campaign", "from_region", "to_region").order_by("requested_at", "pk")[:10])
    if not awaiting:
        return None
    return ("allocation/redistribution/_ministry_panel.html", {"awaiting": awaiting})


def quota_page_block(request, campaign):
    """On the Ministry's quota page of `campaign`: links to its redistributions and use, and (for an
    analyst) the button that opens the next campaign."""
    if request.membership is None or not request.membership.is_ministry:
        return None
    latest = Campaign.objects.order_by("-year").values_list("year", flat=True).first() or campaign.year
    return ("allocation/redistribution/_quota_block.html", {
        "campaign": campaign, "next_year": latest + 1,
        "may_open_next": request.membership.role == Role.MINISTRY_ANALYST})
