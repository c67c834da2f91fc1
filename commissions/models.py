"""Akimat review and the Commission (Rules p.7-11): labour-market figures, generalization,
the Commission and its sessions, decisions per line, protocols and written notices."""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from quota_portal.core.models import Campaign, Occupation, Organization, Region
from quota_portal.core.scoping import NOTHING, ScopedManager, Tenant, TenantKind

MAX_FIGURE = 10_000_000


def scope_by_region(prefix: str = "", *, employer_field: str | None = None):
    """scope_q for region-owned records: the akimat's own region; the ministry all; an employer
    only the rows about itself when `employer_field` is given."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.AKIMAT:
            return models.Q(**{f"{prefix}region_id": tenant.region_id})
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        if tenant.kind == TenantKind.EMPLOYER and employer_field:
            return models.Q(**{f"{employer_field}_id": tenant.organization_id})
        return NOTHING

    return staticmethod(scope_q)


def figure(label):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(MAX_FIGURE)])


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class LabourMarketFigure(models.Model):
    """The region's labour market for one occupation and one campaign (Rules p.7(1)-(3))."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    occupation = models.ForeignKey(Occupation, models.PROTECT, related_name="+", verbose_name=_("occupation"))
    # p.7(1)
    labour_demand = figure(_("labour demand"))
    planned_jobs_national = figure(_("planned jobs: national projects"))
    planned_jobs_regional = figure(_("planned jobs: regional plans"))
    # p.7(2)
    forecast_unemployed = figure(_("forecast unemployed"))
    expected_releases = figure(_("expected releases of workers"))
    graduates_tvet = figure(_("graduates: technical and vocational"))
    graduates_post_secondary = figure(_("graduates: post-secondary"))
    graduates_higher = figure(_("graduates: higher"))
    graduates_postgraduate = figure(_("graduates: postgraduate"))
    # p.7(3)
    jobseekers = figure(_("registered jobseekers able to fill the post (incl. after training)"))
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_q = scope_by_region()

    NUMBER_FIELDS = ["labour_demand", "planned_jobs_national", "planned_jobs_regional",
                     "forecast_unemployed", "expected_releases", "graduates_tvet",
                     "graduates_post_secondary", "graduates_higher", "graduates_postgraduate",
                     "jobseekers"]

    class Meta:
        ordering = ["occupation__code"]
        verbose_name = _("labour-market figure")
        verbose_name_plural = _("labour-market figures")
        constraints = [
            models.UniqueConstraint(fields=["region", "campaign", "occupation"],
                                    name="labour_market_one_per_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.region}, {self.campaign})"

    @property
    def graduates_total(self) -> int:
        return (self.graduates_tvet + self.graduates_post_secondary + self.graduates_higher
                + self.graduates_postgraduate)

    @property
    def planned_jobs(self) -> int:
        return self.planned_jobs_national + self.planned_jobs_regional


class Ground(models.TextChoices):
    """The only grounds on which the Commission may cut a request (Rules p.10)."""

    DOMESTIC = "1", _("p.10(1): the need can be met from domestic labour, incl. by training")
    PERMITS = "2", _("p.10(2): unremedied violations of the foreign-labour permit procedure")
    LABOUR_LAW = "3", _("p.10(3): unremedied violations of labour law, incl. wage arrears")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Violation(models.Model):
    """An employer's violation known to the akimat (Rules p.10(2), p.10(3))."""

    GROUND_CHOICES = [(Ground.PERMITS.value, Ground.PERMITS.label),
                      (Ground.LABOUR_LAW.value, Ground.LABOUR_LAW.label)]

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+",
                                     verbose_name=_("employer"))
    ground = models.CharField(_("kind (ground of p.10)"), max_length=1, choices=GROUND_CHOICES)
    year = models.PositiveSmallIntegerField(_("year of the violation"))
    description = models.TextField(_("description"))
    remedied_on = models.DateField(_("remedied on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = scope_by_region(employer_field="organization")

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.CheckConstraint(condition=models.Q(ground__in=["2", "3"]), name="violation_ground_2_or_3"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="violation_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.get_ground_display()} ({self.year})"

    @property
    def is_open(self) -> bool:
        return self.remedied_on is None
