"""Dashboard panels of central-body proposals (Rules p.13): the central officer's proposals with
their statuses and what is due; the akimat officer's proposals awaiting agreement."""
from __future__ import annotations

from django.utils import timezone

from quota_portal.core.models import Role
from quota_portal.core.selectors import current_campaigns

from . import proposals_selectors as selectors
from .proposals_models import Proposal, ProposalStatus

S = ProposalStatus


def central_panel(request):
    authority_id = request.membership.authority_id
    now = timezone.now()
    campaigns = []
    for campaign in current_campaigns():
        qs = Proposal.objects.filter(authority_id=authority_id, campaign=campaign)
        counts = selectors.status_counts(qs)
        campaigns.append({"campaign": campaign, "counts": counts, "total": sum(counts.values()),
                          "closes_at": campaign.closes_at("proposals"),
                          "open": campaign.is_open("proposals", now),
                          "distribution_open": campaign.is_open("distribution", now)})
    drafts = list(Proposal.objects.filter(authority_id=authority_id, status=S.DRAFT)
                  .select_related("region", "campaign").order_by("campaign__year", "pk")[:10])
    return ("allocation/proposals/_central_panel.html", {"campaigns": campaigns, "drafts": drafts})


def akimat_panel(request):
    if request.membership.role != Role.AKIMAT_OFFICER:
        return None
    region_id = request.membership.authority.region_id
    awaiting = list(Proposal.objects.filter(region_id=region_id, status=S.SENT)
                    .select_related("authority", "campaign").order_by("sent_at", "pk")[:10])
    counts = selectors.status_counts(Proposal.objects.filter(region_id=region_id).exclude(status=S.DRAFT))
    return ("allocation/proposals/_akimat_panel.html", {"awaiting": awaiting, "counts": counts})
