"""The Ministry's quota (Rules p.4-5, p.18-21): the labour force it is a percentage of, the published
history, the analyst's what-if scenarios, the distribution and its published versions, the
redistributions between regions, and the permits an akimat issues against its region's quota.

How the records relate
----------------------
- ``LabourForce``: one figure per campaign and region, and one national (region empty), each with
  its source and date (entered or imported). p.4: the quota is "в процентном отношении к рабочей
  силе".
- ``QuotaHistory``: the published quotas of earlier years (fixture ``quotas_history.json`` from the
  Ministry's orders and the press; figures a source did not state are empty).
- ``Scenario`` with ``ScenarioAdjustment``: the analyst's workspace. Inputs only (percentages or
  totals with an override reason, reserve, apportionment method, per-region adjustments with a
  reason); the numbers are recomputed from the regions' sent annexes and agreed proposals whenever
  they are shown. Picking a scenario proposes a ``Distribution`` from it.
- ``Distribution`` with ``DistributionCell``: one version of the quota of a campaign, frozen at
  the proposal: the components of p.4 (permits by category, countries of origin, labour
  immigrants), the national reserve, and a cell per region x component x category / country.
  PROPOSED (an analyst) -> APPROVED (an approver, never the proposer; records the distribution
  date, Campaign.distributed_on for the first one) -> PUBLISHED (number = 1, 2, ...; public and
  immutable). A proposal can be DECLINED by the approver or WITHDRAWN by its analyst. A published
  version is never changed: a redistribution publishes the next one.
- ``Redistribution``: an akimat or a central body asks to move N of a category from one region (or
  from the national reserve) to another (p.21); an analyst endorses it, an approver (another person)
  approves it, which publishes a new version with the same national total; or it is declined.
- ``PermitUse``: permits an akimat records as issued against its region's quota, by category
  (p.5: the region's distributed quota is its ceiling).
"""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commissions.models import akimat_only
from quota_portal.core.models import Authority, Campaign, Category, Country, Region
from quota_portal.core.scoping import NOTHING, ScopedManager, Tenant, TenantKind

MAX_TEXT = 5000
# A quota larger than the whole labour force of Kazakhstan is a typing error (about 9.7 million).
MAX_LABOUR_FORCE = 50_000_000
MAX_QUOTA = 5_000_000
PERCENT_DIGITS = 7  # up to 100.00000
PERCENT_PLACES = 5


class Component(models.TextChoices):
    """The three components of the quota (Rules p.4)."""

    PERMITS = "permits", _("Permits issued by local executive bodies")
    COUNTRIES = "countries", _("Countries of origin under ratified international treaties")
    LABOUR_IMMIGRANTS = "immigrants", _("Labour immigrants")


class ApportionMethod(models.TextChoices):
    """allocation.apportion.METHODS, named for people."""

    WEBSTER = "webster", _("Webster / Sainte-Laguë (divisors 1/2, 3/2, ...)")
    HAMILTON = "hamilton", _("Hamilton (largest remainder)")
    DHONDT = "dhondt", _("D'Hondt (divisors 1, 2, 3, ...)")
    HUNTINGTON_HILL = "huntington_hill", _("Huntington-Hill (equal proportions)")


def ministry_only(prefix: str = ""):
    """scope_q of the Ministry's own working records (labour force, scenarios): nobody else's."""

    def scope_q(tenant: Tenant) -> models.Q:
        return models.Q() if tenant.kind == TenantKind.MINISTRY else NOTHING

    return staticmethod(scope_q)


def published_or_ministry(prefix: str = ""):
    """scope_q of a distribution and its cells: the Ministry sees every version, proposals
    included; everyone else (the public, akimats, central bodies, employers) only published ones."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        return models.Q(**{f"{prefix}status": DistributionStatus.PUBLISHED})

    return staticmethod(scope_q)


def scope_by_redistribution(prefix: str = ""):
    """scope_q of a redistribution request: the authority that asked; the akimats of the two regions
    it moves quota between; the Ministry all."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        if tenant.kind == TenantKind.CENTRAL:
            return models.Q(**{f"{prefix}requested_by_authority_id": tenant.authority_id})
        if tenant.kind == TenantKind.AKIMAT:
            return (models.Q(**{f"{prefix}from_region_id": tenant.region_id})
                    | models.Q(**{f"{prefix}to_region_id": tenant.region_id}))
        return NOTHING

    return staticmethod(scope_q)


# Labour force and history --------------------------------------------------------------------------

@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class LabourForce(models.Model):
    """The labour force (persons) of one region, or of the country when ``region`` is empty, used for
    one campaign's quota (p.4), with where the figure comes from."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region (empty: the whole country)"))
    persons = models.PositiveIntegerField(_("labour force, persons"),
                                          validators=[MaxValueValidator(MAX_LABOUR_FORCE)])
    source = models.CharField(_("source"), max_length=500)
    as_of = models.DateField(_("figure as of"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_q = ministry_only()

    class Meta:
        ordering = ["campaign", "region__name_ru"]
        verbose_name = _("labour force")
        verbose_name_plural = _("labour force")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region"], nulls_distinct=False,
                                    name="labour_force_one_per_campaign_and_region"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class QuotaHistory(models.Model):
    """A published quota of an earlier year (reference data, loaded from a fixture; public)."""

    year = models.PositiveSmallIntegerField(_("year"))
    # "2025", or "2025-08" for a change published during the year (a later row of the same year).
    period = models.CharField(_("period"), max_length=10, unique=True)
    permits_percent = models.DecimalField(_("permits, % of the labour force"), max_digits=PERCENT_DIGITS,
                                          decimal_places=PERCENT_PLACES, null=True, blank=True)
    permits_total = models.PositiveIntegerField(_("permits"), null=True, blank=True)
    category_1 = models.PositiveIntegerField(null=True, blank=True)
    category_2 = models.PositiveIntegerField(null=True, blank=True)
    category_3 = models.PositiveIntegerField(null=True, blank=True)
    category_4 = models.PositiveIntegerField(null=True, blank=True)
    seasonal = models.PositiveIntegerField(null=True, blank=True)
    labour_immigrants_percent = models.DecimalField(
        _("labour immigrants, % of the labour force"), max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES,
        null=True, blank=True)
    labour_immigrants_total = models.PositiveIntegerField(_("labour immigrants"), null=True, blank=True)
    legal_act = models.CharField(_("legal act"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["year", "period"]
        verbose_name = _("published quota of an earlier year")
        verbose_name_plural = _("published quotas of earlier years")

    def __str__(self) -> str:
        return self.period


# Scenarios -----------------------------------------------------------------------------------------

@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Scenario(models.Model):
    """An analyst's what-if: the inputs of a distribution. The numbers are computed from the inputs
    and the regions' sent annexes each time they are shown (allocation.quota_compute)."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("apportionment method"), max_length=20, choices=ApportionMethod.choices,
                              default=ApportionMethod.WEBSTER)
    # p.4: each component as a % of the labour force; the absolute number is computed, and may be
    # overridden with a reason (published figures are not always the rounded product).
    permits_percent = models.DecimalField(_("permits, % of the labour force"), max_digits=PERCENT_DIGITS,
                                          decimal_places=PERCENT_PLACES,
                                          validators=[MinValueValidator(0), MaxValueValidator(100)])
    permits_total_override = models.PositiveIntegerField(_("permits, number (override)"), null=True, blank=True,
                                                         validators=[MaxValueValidator(MAX_QUOTA)])
    permits_override_reason = models.TextField(_("reason for the override"), max_length=MAX_TEXT, blank=True)
    reserve = models.PositiveIntegerField(_("national reserve"), default=0, validators=[MaxValueValidator(MAX_QUOTA)])
    countries_percent = models.DecimalField(
        _("countries of origin, % of the labour force"), max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES,
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    countries_total_override = models.PositiveIntegerField(null=True, blank=True,
                                                           validators=[MaxValueValidator(MAX_QUOTA)])
    countries_override_reason = models.TextField(max_length=MAX_TEXT, blank=True)
    immigrants_percent = models.DecimalField(
        _("labour immigrants, % of the labour force"), max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES,
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    immigrants_total_override = models.PositiveIntegerField(null=True, blank=True,
                                                            validators=[MaxValueValidator(MAX_QUOTA)])
    immigrants_override_reason = models.TextField(max_length=MAX_TEXT, blank=True)
    notes = models.TextField(_("notes"), max_length=MAX_TEXT, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = ministry_only()

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ScenarioAdjustment(models.Model):
    """A change of one region's permits in one category, made by hand in a scenario, with a reason
    (added to or taken from what the method gives; the total stays the scenario's total)."""

    scenario = models.ForeignKey(Scenario, models.CASCADE, related_name="adjustments")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    delta = models.IntegerField(_("change"), validators=[MinValueValidator(-MAX_QUOTA), MaxValueValidator(MAX_QUOTA)])
    reason = models.TextField(_("reason"), max_length=MAX_TEXT)

    objects = ScopedManager()
    scope_q = ministry_only()

    class Meta:
        ordering = ["scenario", "region__name_ru", "category"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "region", "category"], name="scenario_adjustment_once"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="scenario_adjustment_has_reason"),
        ]


# Distribution and its versions --------------------------------------------------------------------

class DistributionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined by the approver")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Distribution(models.Model):
    """One version of a campaign's quota and its distribution among the regions (p.19-21)."""

    Status = DistributionStatus

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    status = models.CharField(_("status"), max_length=10, choices=DistributionStatus.choices,
                              default=DistributionStatus.PROPOSED)
    # Set when published: 1 for the first distribution, then one more for each redistribution.
    number = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    # The published version this one replaces (a redistribution's base); empty for the first.
    previous = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    scenario = models.ForeignKey(Scenario, models.SET_NULL, null=True, blank=True, related_name="+")
    redistribution = models.OneToOneField("Redistribution", models.PROTECT, null=True, blank=True,
                                          related_name="result")
    reason = models.TextField(_("reason"), max_length=MAX_TEXT)
    method = models.CharField(_("apportionment method"), max_length=20, choices=ApportionMethod.choices,
                              default=ApportionMethod.WEBSTER)
    labour_force = models.PositiveIntegerField(_("labour force, persons"))
    labour_force_source = models.CharField(_("source of the labour force"), max_length=500, blank=True)
    permits_percent = models.DecimalField(_("permits, % of the labour force"), max_digits=PERCENT_DIGITS,
                                          decimal_places=PERCENT_PLACES)
    permits_total = models.PositiveIntegerField(_("permits, total (categories and reserve)"))
    permits_computed = models.PositiveIntegerField(_("permits, computed from the percentage"))
    permits_override_reason = models.TextField(max_length=MAX_TEXT, blank=True)
    reserve = models.PositiveIntegerField(_("national reserve"), default=0)
    countries_percent = models.DecimalField(max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES, default=0)
    countries_total = models.PositiveIntegerField(default=0)
    countries_computed = models.PositiveIntegerField(default=0)
    countries_override_reason = models.TextField(max_length=MAX_TEXT, blank=True)
    immigrants_percent = models.DecimalField(max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES, default=0)
    immigrants_total = models.PositiveIntegerField(default=0)
    immigrants_computed = models.PositiveIntegerField(default=0)
    immigrants_override_reason = models.TextField(max_length=MAX_TEXT, blank=True)

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    distributed_on = models.DateField(_("distributed on (Rules p.19)"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=MAX_TEXT, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # SHA-256 of the canonical JSON of the published version (the public ETag) and the signed PDF.
    content_sha256 = models.CharField(max_length=64, blank=True)
    # The canonical JSON itself (allocation/publication_services.py), frozen at publication: the public
    # files are rendered from it, so a later change of reference data (a region's name) never alters
    # what was published under its hash.
    published_json = models.TextField(blank=True)
    decision_pdf = models.FileField(upload_to="quota/", blank=True)
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = published_or_ministry()

    class Meta:
        ordering = ["campaign", "number", "pk"]
        verbose_name = _("quota distribution")
        verbose_name_plural = _("quota distributions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], condition=models.Q(number__isnull=False),
                                    name="distribution_version_number_once"),
            # One proposal or approved-but-unpublished version at a time per campaign.
            models.UniqueConstraint(fields=["campaign"], condition=models.Q(status__in=["proposed", "approved"]),
                                    name="distribution_one_pending_per_campaign"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(
                    number__isnull=False, published_at__isnull=False, approved_by__isnull=False),
                name="distribution_published_has_number"),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("proposed_by")),
                name="distribution_approver_is_not_proposer"),
        ]

    def __str__(self) -> str:
        if self.number:
            return _("Quota %(year)s, version %(number)s") % {"year": self.campaign.year, "number": self.number}
        return _("Quota %(year)s, proposal No. %(pk)s") % {"year": self.campaign.year, "pk": self.pk}

    @property
    def is_published(self) -> bool:
        return self.status == DistributionStatus.PUBLISHED


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DistributionCell(models.Model):
    """One number of a distribution: a region's permits in a category, its countries-of-origin quota
    for one country, or its labour-immigrant quota (category and country empty)."""

    distribution = models.ForeignKey(Distribution, models.CASCADE, related_name="cells")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    component = models.CharField(max_length=10, choices=Component.choices)
    category = models.CharField(max_length=1, choices=Category.choices, blank=True)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, related_name="+")
    count = models.PositiveIntegerField()
    # Denormalized for the scope rule (public readers see cells of published versions only).
    status = models.CharField(max_length=10, choices=DistributionStatus.choices)

    objects = ScopedManager()
    scope_q = published_or_ministry()

    class Meta:
        ordering = ["distribution", "region__code", "component", "category", "country__alpha2"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "region", "component", "category", "country"],
                                    nulls_distinct=False, name="distribution_cell_once"),
            models.CheckConstraint(
                condition=(models.Q(component="permits") & ~models.Q(category="") & models.Q(country__isnull=True))
                | (models.Q(component="countries") & models.Q(category="") & models.Q(country__isnull=False))
                | (models.Q(component="immigrants") & models.Q(category="") & models.Q(country__isnull=True)),
                name="distribution_cell_shape"),
        ]


# Redistribution (p.21) ----------------------------------------------------------------------------

class RedistributionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested, awaiting the Ministry")
    ENDORSED = "endorsed", _("Endorsed by an analyst, awaiting approval")
    APPROVED = "approved", _("Approved and published")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Redistribution(models.Model):
    """A request to move quota between regions within the same total (Rules p.21)."""

    Status = RedistributionStatus

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    status = models.CharField(_("status"), max_length=10, choices=RedistributionStatus.choices,
                              default=RedistributionStatus.REQUESTED)
    # Empty: from the national reserve.
    from_region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("from region (empty: the national reserve)"))
    to_region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("to region"))
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    count = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUOTA)])
    reason = models.TextField(_("reason"), max_length=MAX_TEXT)
    requested_by_authority = models.ForeignKey(Authority, models.PROTECT, related_name="+",
                                               verbose_name=_("requested by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    endorsed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=MAX_TEXT, blank=True)
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_redistribution()

    class Meta:
        ordering = ["-requested_at", "pk"]
        verbose_name = _("redistribution")
        verbose_name_plural = _("redistributions")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="redistribution_has_reason"),
            models.CheckConstraint(condition=~models.Q(from_region=models.F("to_region")),
                                   name="redistribution_between_two_regions"),
            models.CheckConstraint(condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                                   name="redistribution_declined_has_reason"),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | models.Q(endorsed_by__isnull=True)
                | ~models.Q(decided_by=models.F("endorsed_by")),
                name="redistribution_two_people"),
        ]

    def __str__(self) -> str:
        return _("Redistribution No. %(pk)s") % {"pk": self.pk}


# Use of the quota (p.5) ---------------------------------------------------------------------------

@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PermitUse(models.Model):
    """Permits an akimat issued against its region's quota in one category (a batch: a day's or a
    month's permits, or one permit), entered by hand or imported."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    count = models.PositiveIntegerField(_("permits issued"),
                                        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUOTA)])
    issued_on = models.DateField(_("issued on"))
    reference = models.CharField(_("reference (permit or register numbers)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    # The region's akimat and the Ministry: the same rule as the akimat's own records.
    scope_q = akimat_only()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("permits issued")
        verbose_name_plural = _("permits issued")
