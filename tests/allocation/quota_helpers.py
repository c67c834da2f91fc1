"""Figures for distribution tests: a small, consistent DistributionFigures over the cast's regions."""
from __future__ import annotations

from decimal import Decimal

from allocation.quota_services import DistributionFigures


def small_figures(cast, *, reserve: int = 10, astana: int = 100, atyrau: int = 200) -> DistributionFigures:
    """Permits: Astana `astana` and Atyrau `atyrau` in category 3, 5 seasonal each, plus the reserve;
    labour immigrants 50 and 70; no country of origin."""
    permits = {(cast.astana.pk, "3"): astana, (cast.atyrau.pk, "3"): atyrau,
               (cast.astana.pk, "S"): 5, (cast.atyrau.pk, "S"): 5}
    total = sum(permits.values()) + reserve
    return DistributionFigures(
        labour_force=9_720_000, labour_force_source="test", method="webster",
        permits_percent=Decimal("0.25"), permits_computed=total, permits_total=total, reserve=reserve,
        immigrants_percent=Decimal("2.9"), immigrants_computed=120, immigrants_total=120,
        permits=permits, immigrants={cast.astana.pk: 50, cast.atyrau.pk: 70})
