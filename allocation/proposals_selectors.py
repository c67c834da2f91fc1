"""Reads of central-body proposals (Rules p.13): each role's lists, the Ministry's agreed view, and
the agreed totals by region and category that the Ministry's quota formation (p.18, p.20(1)) uses.

Every query starts from the scoped Proposal / ProposalLine managers, so the caller's tenant filters
the rows: a central body reads its own, an akimat those addressed to it, the Ministry the agreed.
"""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, Count, Prefetch, Sum, Value, When

from quota_portal.core.models import Campaign

from .proposals_models import Proposal, ProposalLine, ProposalStatus

S = ProposalStatus


def _with_lines(qs):
    return qs.select_related("authority", "region", "campaign", "sent_by", "decided_by").prefetch_related(
        Prefetch("lines", queryset=ProposalLine.objects.select_related("occupation")))


def _annotated(qs):
    return qs.annotate(proposed_total=Sum("lines__count"), agreed_total=Sum("lines__agreed_count"),
                       line_count=Count("lines"))


def central_proposals(*, authority_id: int, campaign: Campaign | None = None):
    """A central body's proposals, newest campaign first, with their totals."""
    qs = Proposal.objects.filter(authority_id=authority_id)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return _annotated(qs.select_related("region", "campaign")).order_by("-campaign__year", "status", "-pk")


def received_proposals(*, region_id: int, campaign: Campaign | None = None):
    """The proposals sent to a region's akimat, those awaiting agreement first."""
    qs = Proposal.objects.filter(region_id=region_id).exclude(status=S.DRAFT)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    awaiting_first = Case(When(status=S.SENT, then=Value(0)), default=Value(1))
    return _annotated(qs.select_related("authority", "campaign")).annotate(awaiting_first=awaiting_first) \
        .order_by("-campaign__year", "awaiting_first", "-sent_at", "-pk")


def proposal_with_lines(qs=None):
    """A queryset of proposals with their lines, bodies and people, for a detail page."""
    return _with_lines(qs if qs is not None else Proposal.objects.all())


def agreed_proposals(campaign: Campaign) -> list[Proposal]:
    """The agreed proposals of a campaign, by region and central body, each with its lines (proposed
    and agreed numbers) and the agreement record (who, when)."""
    return list(_with_lines(Proposal.objects.filter(campaign=campaign, status=S.AGREED))
                .order_by("region__name_ru", "authority__name_ru", "pk"))


def agreed_proposal_totals(campaign: Campaign) -> dict[int, dict[str, int]]:
    """{region id: {category: agreed number}} over the campaign's agreed proposals, summed in SQL
    (one query). Categories "1"-"4" and "S" (seasonal); a region or category with nothing agreed is
    absent. Only agreed proposals count (Rules p.13); a line agreed at 0 adds nothing."""
    rows = (ProposalLine.objects.filter(proposal__campaign=campaign, proposal__status=S.AGREED,
                                        agreed_count__gt=0)
            .values("proposal__region_id", "category").annotate(total=Sum("agreed_count"))
            .order_by("proposal__region_id", "category"))
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        totals[row["proposal__region_id"]][row["category"]] = row["total"]
    return dict(totals)


def status_counts(qs) -> dict[str, int]:
    """{status: number} of a queryset of proposals (one query)."""
    counts = dict.fromkeys(S.values, 0)
    for row in qs.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts
