"""From a scenario's inputs and the national picture to the figures of a distribution (Rules p.4, p.20).

    picture = national_picture(campaign)          # one selector, a fixed number of queries
    figures = compute(scenario_inputs(s), picture)  # pure: no database, no clock

`compute` is pure Python over plain data (ints, Decimals, dicts keyed by ids), so it is tested
without a database and runs on every keystroke of the scenario page.

The rules it applies, where the Rules and the issue are silent
--------------------------------------------------------------
- Each component of p.4 is a percentage of the national labour force; its number is
  round-half-up(percent / 100 x labour force), unless the analyst typed a number (an override, which
  needs a reason: DistributionFigures.check refuses it otherwise).
- Permits (p.20(1)): the national reserve is held back first (never more than the total). The rest
  is apportioned among the region x category cells by the scenario's method, the weight of a cell
  being what the region's Commission approved (its latest sent Annex 2) plus the agreed central-body
  proposals (p.13), and its cap the same number: no region receives more than was asked for it.
  What nobody asked for (the total beyond the sum of the requests) is added to the national reserve,
  where a redistribution (p.21) can still take it from; `unclaimed` says how much that is.
- Per-region adjustments (each with a reason) are applied after the method: +N to a cell is taken
  from the reserve, -N is returned to it, so the national total never changes. An adjustment that
  would make a cell or the reserve negative is refused (DomainError naming "adjustments").
- Countries of origin (p.20(1), Annex 4) by region x country and labour immigrants (p.20(2), Annex 3)
  by region are apportioned the same way, weights = the stated need. These components have no
  reserve: when the total is below the needs, the needs are the caps; when it is above them, the
  surplus is shared in proportion to the need (caps dropped), so the regions' numbers always add
  up to the total. A positive total with no need stated anywhere cannot be distributed and is
  refused (DomainError naming the component's percentage).
- Zero labour force, zero percentages, no annexes sent: all numbers 0, nothing raises.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from applications.models import UNFILED_STATUSES, Line
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign, Category, Country, Region

from .apportion import apportion
from .models import Annex4Row, SubmissionVersion
from .proposals_selectors import agreed_proposal_totals
from .quota_models import DistributionStatus, LabourForce, QuotaHistory
from .quota_services import DistributionFigures

CATEGORIES = [c.value for c in Category]
VERSION_FIELDS = {"1": "total_cat1", "2": "total_cat2", "3": "total_cat3", "4": "total_cat4", "S": "total_seasonal"}
HISTORY_FIELDS = {"1": "category_1", "2": "category_2", "3": "category_3", "4": "category_4", "S": "seasonal"}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Adjustment:
    region_id: int
    category: str
    delta: int
    reason: str


@dataclass(frozen=True)
class ScenarioInputs:
    """What the analyst types (a Scenario, or its form's cleaned data before it is saved)."""

    method: str = "webster"
    permits_percent: Decimal = Decimal(0)
    permits_total_override: int | None = None
    permits_override_reason: str = ""
    reserve: int = 0
    countries_percent: Decimal = Decimal(0)
    countries_total_override: int | None = None
    countries_override_reason: str = ""
    immigrants_percent: Decimal = Decimal(0)
    immigrants_total_override: int | None = None
    immigrants_override_reason: str = ""
    adjustments: tuple[Adjustment, ...] = ()


@dataclass
class Picture:
    """The national picture of one campaign: what the regions asked for, by region x category."""

    year: int
    regions: list = field(default_factory=list)  # Region rows, in name order
    labour_force: int = 0
    labour_force_source: str = ""
    labour_force_as_of: object = None
    regional_labour_force: dict = field(default_factory=dict)  # region_id -> LabourForce
    requested: dict = field(default_factory=dict)  # (region_id, category) -> Annex 1 lines filed
    approved: dict = field(default_factory=dict)  # (region_id, category) -> latest sent Annex 2
    immigrants: dict = field(default_factory=dict)  # region_id -> Annex 3 need
    countries: dict = field(default_factory=dict)  # (region_id, country_id) -> Annex 4 total
    country_rows: dict = field(default_factory=dict)  # country_id -> Country
    proposals: dict = field(default_factory=dict)  # (region_id, category) -> agreed proposals
    sent_regions: set = field(default_factory=set)  # regions with a sent version
    # Last year's quota: by region x category when the previous campaign has a published version
    # ("distribution"), else national totals only from QuotaHistory ("history"), else nothing.
    last_year_source: str = ""
    last_year: dict = field(default_factory=dict)  # (region_id, category) -> n
    last_year_immigrants: dict = field(default_factory=dict)  # region_id -> n
    last_year_by_category: dict = field(default_factory=dict)  # category -> n (national)
    last_year_total: int | None = None
    last_year_immigrants_total: int | None = None
    last_year_percent: Decimal | None = None  # permits, % of the labour force

    def weights(self) -> dict[tuple[int, str], int]:
        """Permits asked for by region x category: Annex 2 approved + agreed proposals (p.20(1))."""
        out: dict[tuple[int, str], int] = defaultdict(int)
        for source in (self.approved, self.proposals):
            for key, n in source.items():
                if n > 0:
                    out[key] += n
        return dict(out)


# --- pure arithmetic ---------------------------------------------------------------------------------

def percent_of(percent: Decimal, labour_force: int) -> int:
    """round-half-up(percent / 100 x labour force), exactly (Decimal)."""
    return int((Decimal(percent) * Decimal(labour_force) / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _share(total: int, needs: dict, method: str) -> dict:
    """A component without a reserve: `total` among keys by need, capped by the needs while they
    cover it, in proportion beyond them. {} for a zero total."""
    positive = {k: n for k, n in needs.items() if n > 0}
    if total <= 0:
        return {}
    if not positive:
        return None  # type: ignore[return-value] - the caller names the field
    caps = positive if total <= sum(positive.values()) else None
    return {k: n for k, n in apportion(total, positive, caps=caps, method=method).items() if n > 0}


def compute(inputs: ScenarioInputs, picture: Picture) -> DistributionFigures:
    """The distribution a scenario gives (see the module's docstring for the rules)."""
    labour_force = picture.labour_force or 0
    permits_computed = percent_of(inputs.permits_percent, labour_force)
    permits_total = permits_computed if inputs.permits_total_override is None else inputs.permits_total_override
    held_back = min(max(inputs.reserve, 0), permits_total)
    weights = picture.weights()
    permits = apportion(permits_total - held_back, weights, caps=weights, method=inputs.method) if weights else {}
    permits = {k: n for k, n in permits.items() if n > 0}
    reserve = permits_total - sum(permits.values())
    for adj in inputs.adjustments:
        key = (adj.region_id, adj.category)
        after = permits.get(key, 0) + adj.delta
        if after < 0:
            raise DomainError(_("An adjustment takes %(delta)s from a region and category that receives only "
                                "%(count)s.") % {"delta": -adj.delta, "count": permits.get(key, 0)},
                              field="adjustments", code="negative_cell")
        permits[key] = after
        reserve -= adj.delta
    if reserve < 0:
        raise DomainError(_("The adjustments add %(over)s more than the reserve holds: lower them or raise the "
                            "reserve.") % {"over": -reserve}, field="adjustments", code="reserve_short")
    permits = {k: n for k, n in permits.items() if n > 0}

    countries_computed = percent_of(inputs.countries_percent, labour_force)
    countries_total = (countries_computed if inputs.countries_total_override is None
                       else inputs.countries_total_override)
    countries = _share(countries_total, picture.countries, inputs.method)
    if countries is None:
        raise DomainError(_("No region stated a need for workers from countries of origin (Annex 4): this "
                            "component can only be 0."), field="countries_percent", code="no_need")
    immigrants_computed = percent_of(inputs.immigrants_percent, labour_force)
    immigrants_total = (immigrants_computed if inputs.immigrants_total_override is None
                        else inputs.immigrants_total_override)
    immigrants = _share(immigrants_total, picture.immigrants, inputs.method)
    if immigrants is None:
        raise DomainError(_("No region stated a need for labour immigrants (Annex 3): this component can only "
                            "be 0."), field="immigrants_percent", code="no_need")
    return DistributionFigures(
        labour_force=labour_force, labour_force_source=picture.labour_force_source, method=inputs.method,
        permits_percent=Decimal(inputs.permits_percent), permits_computed=permits_computed,
        permits_total=permits_total, reserve=reserve, permits_override_reason=inputs.permits_override_reason,
        countries_percent=Decimal(inputs.countries_percent), countries_computed=countries_computed,
        countries_total=countries_total, countries_override_reason=inputs.countries_override_reason,
        immigrants_percent=Decimal(inputs.immigrants_percent), immigrants_computed=immigrants_computed,
        immigrants_total=immigrants_total, immigrants_override_reason=inputs.immigrants_override_reason,
        permits=permits, countries=countries, immigrants=immigrants)


def unclaimed(inputs: ScenarioInputs, figures: DistributionFigures) -> int:
    """The part of the reserve that nobody asked for (beyond the reserve typed and the adjustments)."""
    net = sum(a.delta for a in inputs.adjustments)
    return max(figures.reserve - min(max(inputs.reserve, 0), figures.permits_total) + net, 0)


# --- reading the inputs ------------------------------------------------------------------------------

def scenario_inputs(scenario) -> ScenarioInputs:
    """The inputs of a saved Scenario (one query for its adjustments, none when they are prefetched)."""
    return ScenarioInputs(
        method=scenario.method, permits_percent=scenario.permits_percent,
        permits_total_override=scenario.permits_total_override,
        permits_override_reason=scenario.permits_override_reason, reserve=scenario.reserve,
        countries_percent=scenario.countries_percent, countries_total_override=scenario.countries_total_override,
        countries_override_reason=scenario.countries_override_reason, immigrants_percent=scenario.immigrants_percent,
        immigrants_total_override=scenario.immigrants_total_override,
        immigrants_override_reason=scenario.immigrants_override_reason,
        adjustments=tuple(Adjustment(a.region_id, a.category, a.delta, a.reason)
                          for a in sorted(scenario.adjustments.all(), key=lambda a: a.pk)))


def national_picture(campaign: Campaign) -> Picture:
    """Everything a scenario is computed from, for the Ministry (its scope sees every region's sent
    versions, the filed applications and the agreed proposals). Nine queries at most, whatever the
    number of regions, applications or lines: the sums are taken in SQL."""
    picture = Picture(year=campaign.year, regions=list(Region.objects.order_by("name_ru")))
    for lf in LabourForce.objects.filter(campaign=campaign):
        if lf.region_id is None:
            picture.labour_force, picture.labour_force_source, picture.labour_force_as_of = (
                lf.persons, lf.source, lf.as_of)
        else:
            picture.regional_labour_force[lf.region_id] = lf
    for row in (Line.objects.filter(application__campaign=campaign)
                .exclude(application__status__in=UNFILED_STATUSES)
                .values("application__region_id", "category").annotate(n=Sum("count")).order_by()):
        picture.requested[(row["application__region_id"], row["category"])] = row["n"] or 0
    latest = list(SubmissionVersion.objects.filter(campaign=campaign).order_by("region_id", "-number")
                  .distinct("region_id"))
    for v in latest:
        picture.sent_regions.add(v.region_id)
        for category, name in VERSION_FIELDS.items():
            if getattr(v, name):
                picture.approved[(v.region_id, category)] = getattr(v, name)
        if v.li_need:
            picture.immigrants[v.region_id] = v.li_need
    if latest:
        for row in (Annex4Row.objects.filter(version__in=[v.pk for v in latest])
                    .values("region_id", "country_id")
                    .annotate(c1=Sum("cat1"), c2=Sum("cat2"), c3=Sum("cat3"), c4=Sum("cat4"), s=Sum("seasonal"))
                    .order_by()):
            total = sum(row[k] or 0 for k in ("c1", "c2", "c3", "c4", "s"))
            if total:
                picture.countries[(row["region_id"], row["country_id"])] = total
        picture.country_rows = {c.pk: c for c in Country.objects.filter(
            pk__in={k[1] for k in picture.countries})}
    for region_id, cats in agreed_proposal_totals(campaign).items():
        for category, n in cats.items():
            picture.proposals[(region_id, category)] = n
    _last_year(picture, campaign.year - 1)
    return picture


def _last_year(picture: Picture, year: int) -> None:
    from .quota_models import Component, Distribution, DistributionCell

    previous = (Distribution.objects.filter(campaign__year=year, status=DistributionStatus.PUBLISHED)
                .order_by("-number").first())
    if previous is not None:
        picture.last_year_source = "distribution"
        for cell in DistributionCell.objects.filter(distribution=previous).exclude(component=Component.COUNTRIES):
            if cell.component == Component.PERMITS:
                picture.last_year[(cell.region_id, cell.category)] = cell.count
            else:
                picture.last_year_immigrants[cell.region_id] = cell.count
        for (_region, category), n in picture.last_year.items():
            picture.last_year_by_category[category] = picture.last_year_by_category.get(category, 0) + n
        picture.last_year_total = previous.permits_total
        picture.last_year_percent = previous.permits_percent
        picture.last_year_immigrants_total = previous.immigrants_total
        return
    history = QuotaHistory.objects.filter(year=year).order_by("-period").first()
    if history is not None:
        picture.last_year_source = "history"
        picture.last_year_by_category = {c: getattr(history, f) for c, f in HISTORY_FIELDS.items()
                                         if getattr(history, f) is not None}
        picture.last_year_total = history.permits_total
        picture.last_year_percent = history.permits_percent
        picture.last_year_immigrants_total = history.labour_immigrants_total
