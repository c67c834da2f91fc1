"""Reads of redistribution and of the quota's use (Rules p.5, p.21). Scoped by the acting tenant: an
akimat sees its own region's permits and the requests that touch its region; a central body its own
requests; the Ministry all. A fixed number of queries whatever the number of regions or rows."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from applications.models import UNFILED_STATUSES, Line
from quota_portal.core.models import Campaign, Category, Region

from .national_selectors import CATEGORY_KEYS
from .quota_models import Component, Distribution, DistributionCell, PermitUse, Redistribution, RedistributionStatus
from .submission_selectors import national_totals

CATEGORIES = [c.value for c in Category]
MEASURES = ("requested", "approved", "distributed", "used")


def redistributions(**filters):
    return (Redistribution.objects.filter(**filters)
            .select_related("campaign", "from_region", "to_region", "requested_by_authority", "requested_by",
                            "endorsed_by", "decided_by", "result"))


def ministry_queue(campaign: Campaign):
    """Every request of the campaign: awaiting ones first, then the decided, newest first."""
    awaiting = [RedistributionStatus.REQUESTED, RedistributionStatus.ENDORSED]
    rows = list(redistributions(campaign=campaign))
    return sorted(rows, key=lambda r: (r.status not in awaiting, -r.requested_at.timestamp()))


def campaigns_in_force() -> list[Campaign]:
    """Campaigns with a published version, newest first."""
    ids = Distribution.objects.filter(status=Distribution.Status.PUBLISHED).values("campaign_id")
    return list(Campaign.objects.filter(pk__in=ids).order_by("-year"))


def _grid(pairs) -> dict[tuple[int, str], int]:
    out: dict[tuple[int, str], int] = defaultdict(int)
    for region_id, category, n in pairs:
        out[(region_id, category)] += n or 0
    return out


def requested(campaign: Campaign, region_id: int | None = None) -> dict[tuple[int, str], int]:
    """Annex 1: the workers asked for in filed applications."""
    qs = Line.objects.filter(application__campaign=campaign).exclude(application__status__in=UNFILED_STATUSES)
    if region_id:
        qs = qs.filter(application__region_id=region_id)
    return _grid(qs.values_list("application__region_id", "category").annotate(n=Sum("count")).order_by())


def approved(campaign: Campaign, region_id: int | None = None) -> dict[tuple[int, str], int]:
    """Annex 2: the Commissions' approved numbers in each region's latest sent submission."""
    out = {}
    for row in national_totals(campaign):
        if region_id and row["region"].pk != region_id:
            continue
        for category, key in CATEGORY_KEYS.items():
            out[(row["region"].pk, category)] = row[key] or 0
    return out


def distributed(campaign: Campaign, region_id: int | None = None) -> tuple[Distribution | None, dict]:
    version = (Distribution.objects.filter(campaign=campaign, status=Distribution.Status.PUBLISHED)
               .order_by("-number").first())
    if version is None:
        return None, {}
    qs = DistributionCell.objects.filter(distribution=version, component=Component.PERMITS)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return version, _grid(qs.values_list("region_id", "category", "count"))


def used(campaign: Campaign, region_id: int | None = None) -> dict[tuple[int, str], int]:
    qs = PermitUse.objects.filter(campaign=campaign)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return _grid(qs.values_list("region_id", "category").annotate(n=Sum("count")).order_by())


def utilisation(campaign: Campaign, region_id: int | None = None) -> dict:
    """Requested, approved, distributed and used by region x category (and totals), for one campaign."""
    grids = {"requested": requested(campaign, region_id), "approved": approved(campaign, region_id)}
    version, grids["distributed"] = distributed(campaign, region_id)
    grids["used"] = used(campaign, region_id)
    region_ids = {r for grid in grids.values() for r, _c in grid}
    if region_id:
        region_ids.add(region_id)
    regions = list(Region.objects.filter(pk__in=region_ids).order_by("name_ru"))
    rows = []
    for region in regions:
        measures = []
        for measure in MEASURES:
            cells = [grids[measure].get((region.pk, c), 0) for c in CATEGORIES]
            measures.append({"measure": measure, "cells": cells, "total": sum(cells)})
        dist, use = measures[2], measures[3]
        share = [round(100 * u / d) if d else None for u, d in zip(use["cells"], dist["cells"], strict=True)]
        near = [s is not None and s >= 90 for s in share]
        rows.append({"region": region, "measures": measures, "share": share, "near": near})
    totals = []
    for measure in MEASURES:
        cells = [sum(grids[measure].get((r.pk, c), 0) for r in regions) for c in CATEGORIES]
        totals.append({"measure": measure, "cells": cells, "total": sum(cells)})
    return {"campaign": campaign, "version": version, "rows": rows, "totals": totals,
            "reserve": version.reserve if version else 0}


def year_over_year(region_id: int | None = None, upto: int | None = None) -> list[dict]:
    """Per campaign (oldest first): the four measures' totals (the region's, or national)."""
    campaigns = Campaign.objects.order_by("year")
    if upto:
        campaigns = campaigns.filter(year__lte=upto)
    out = []
    for campaign in campaigns:
        u = utilisation(campaign, region_id)
        out.append({"campaign": campaign, "version": u["version"],
                    **{t["measure"]: t["total"] for t in u["totals"]}})
    return out


def permits_of(region_id: int, campaign: Campaign | None = None):
    qs = PermitUse.objects.filter(region_id=region_id).select_related("campaign", "recorded_by")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs
