"""Allocation (Rules p.12-21): the regions' submissions to the Ministry (Annexes 2-4), central-body
proposals, the Ministry's quota and its distribution."""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commissions.models import akimat_only
from quota_portal.core.models import Campaign, Category, Country, Occupation, Organization, Region
from quota_portal.core.scoping import ScopedManager

# Regional submissions (Annexes 2-4) ----------------------------------------------------------------
# Rules p.12 (Annex 2), p.14-16 (Annex 3), p.17 (Annex 4). A region's akimat works on one
# RegionalSubmission per campaign (the draft: covering justification, exclusions, the p.15
# determination and Annex 3, the p.17 forecasts and Annex 4); sending freezes the three annexes into
# a SubmissionVersion (Annex 2 rows and lines copied from the signed Commission decisions), never
# changed afterwards; a change after sending is a new version with its reason.

# A figure larger than this is a typing error (the whole country's yearly quota is ~20-30 thousand;
# a region's labour market counts at most a few million people).
MAX_SUBMISSION_FIGURE = 10_000_000


def submission_figure(label, **kwargs):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(MAX_SUBMISSION_FIGURE)],
                                       **kwargs)


# A region's submission records are the akimat's internal records: the region's akimat and the
# Ministry see them, nobody else (commissions' one rule for such records).
scope_by_submission_region = akimat_only


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class RegionalSubmission(models.Model):
    """The akimat's working copy for one campaign: what is sent with the next version."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    # Rules p.12: the region's covering justification of the generalized applications.
    covering_justification = models.TextField(_("covering justification of the region"), blank=True)

    # Rules p.15: the need for labour immigrants, determined by the akimat by its own deadline
    # (Campaign.labour_immigrants_deadline), from three factors, each a figure and a note.
    li_demand_figure = submission_figure(_("p.15(1): labour demand in the region, incl. planned jobs"))
    li_demand_note = models.TextField(_("note on p.15(1)"), blank=True)
    li_unemployment_figure = submission_figure(_("p.15(2): forecast unemployed people and expected releases"))
    li_unemployment_note = models.TextField(_("note on p.15(2)"), blank=True)
    li_effectiveness_figure = submission_figure(
        _("p.15(3): labour immigrants attracted last year, and the forecast need"))
    li_effectiveness_note = models.TextField(_("note on p.15(3)"), blank=True)
    # Annex 3, columns 1-3.
    li_current_year_count = submission_figure(_("labour immigrants attracted in the current year"))
    li_need = submission_figure(_("need for labour immigrants for the year"))
    li_justification = models.TextField(_("justification of the need"), blank=True)
    li_determined_at = models.DateTimeField(_("need determined at (p.15)"), null=True, blank=True)
    li_determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                         related_name="+")
    li_late_reason = models.TextField(_("reason for determining the need late (p.15)"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # Optimistic locking: every service that changes the draft increments it.
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["campaign", "region"]
        verbose_name = _("regional submission")
        verbose_name_plural = _("regional submissions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region"], name="one_submission_per_campaign_region"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.campaign}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SubmissionExclusion(models.Model):
    """An application not yet decided, left out of Annex 2 on purpose, with the officer's reason
    (p.12: undecided applications block sending unless each is excluded)."""

    submission = models.ForeignKey(RegionalSubmission, models.CASCADE, related_name="exclusions")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    application = models.ForeignKey("applications.Application", models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is left out"))
    excluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    excluded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "application"], name="exclusion_once"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CountryForecast(models.Model):
    """Rules p.17: the labour-market forecast made for a ratified treaty (a figure and a note) and
    the region's Annex 4 row for that country (by category 1-4 and seasonal)."""

    submission = models.ForeignKey(RegionalSubmission, models.CASCADE, related_name="country_forecasts")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, models.PROTECT, related_name="+", verbose_name=_("country"))
    forecast_figure = submission_figure(_("labour-market forecast under the treaty"))
    forecast_note = models.TextField(_("note on the forecast"), blank=True)
    cat1 = submission_figure(_("category 1"))
    cat2 = submission_figure(_("category 2"))
    cat3 = submission_figure(_("category 3"))
    cat4 = submission_figure(_("category 4"))
    seasonal = submission_figure(_("seasonal foreign workers"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["country__name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "country"], name="country_forecast_once"),
        ]

    @property
    def total(self) -> int:
        return self.cat1 + self.cat2 + self.cat3 + self.cat4 + self.seasonal


class SubmissionStatus(models.TextChoices):
    """A region's status as the Ministry sees it (issue 10)."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    LATE = "late", _("Sent late")
    RESENT = "resent", _("Resent")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SubmissionVersion(models.Model):
    """One sending of the three annexes (p.12, p.16, p.17): frozen once written. Only the files
    produced from it (SubmissionFile) are added later."""

    submission = models.ForeignKey(RegionalSubmission, models.PROTECT, related_name="versions")
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("reason for the new version"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    sent_by_name = models.CharField(_("officer"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"))
    is_late = models.BooleanField(_("sent after the deadline"), default=False)
    late_reason = models.TextField(_("reason for sending late"), blank=True)
    # The sender as the form names it: the akimat's full name, in both languages of the form.
    sender_name_ru = models.CharField(max_length=300)
    sender_name_kk = models.CharField(max_length=300, blank=True)
    covering_justification = models.TextField(_("covering justification of the region"), blank=True)
    # Annex 3 and its p.15 factors, frozen.
    li_demand_figure = models.PositiveIntegerField(default=0)
    li_demand_note = models.TextField(blank=True)
    li_unemployment_figure = models.PositiveIntegerField(default=0)
    li_unemployment_note = models.TextField(blank=True)
    li_effectiveness_figure = models.PositiveIntegerField(default=0)
    li_effectiveness_note = models.TextField(blank=True)
    li_current_year_count = models.PositiveIntegerField(default=0)
    li_need = models.PositiveIntegerField(default=0)
    li_justification = models.TextField(blank=True)
    li_determined_at = models.DateTimeField(null=True, blank=True)
    # Annex 4: no country had a ratified treaty recorded when the set was sent (sent empty).
    annex4_no_treaty = models.BooleanField(default=False)
    # Annex 2 totals per category (columns 3-8), frozen with the rows for the national view.
    total_current_year = models.PositiveIntegerField(default=0)
    total_cat1 = models.PositiveIntegerField(default=0)
    total_cat2 = models.PositiveIntegerField(default=0)
    total_cat3 = models.PositiveIntegerField(default=0)
    total_cat4 = models.PositiveIntegerField(default=0)
    total_seasonal = models.PositiveIntegerField(default=0)
    # SHA-256 of the frozen content (rows, lines, Annex 3, Annex 4), as application versions have.
    sha256 = models.CharField(max_length=64, blank=True)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submission_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.campaign} v{self.number}"

    @property
    def total_need(self) -> int:
        return self.total_cat1 + self.total_cat2 + self.total_cat3 + self.total_cat4 + self.total_seasonal


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class VersionExclusion(models.Model):
    """An undecided application left out of this version, with the reason given (frozen)."""

    version = models.ForeignKey(SubmissionVersion, models.CASCADE, related_name="exclusions")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    application = models.ForeignKey("applications.Application", models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    organization_name = models.CharField(max_length=300)
    registration_number = models.CharField(max_length=40, blank=True)
    reason = models.TextField()

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["version", "pk"]


# Statement-level triggers on the two frozen Annex 2 tables: a large region's sending COPYs 100,000
# lines at once, and a row-level trigger (one event insert and one context look-up each) made that
# 0.6 ms a line, 160 s a region; one trigger per statement writes the same events (bench/NOTES.md).
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 level=pghistory.Statement)
class Annex2Row(models.Model):
    """Annex 2, one organization (columns 1-9), copied from its signed (latest) Commission decision."""

    version = models.ForeignKey(SubmissionVersion, models.CASCADE, related_name="annex2_rows")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("No"))
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    application = models.ForeignKey("applications.Application", models.PROTECT, null=True, blank=True,
                                    related_name="+")
    decision = models.ForeignKey("commissions.Decision", models.PROTECT, null=True, blank=True, related_name="+")
    bin_iin = models.CharField(max_length=12, blank=True)
    organization_name = models.CharField(_("organization (full name)"), max_length=300)
    legal_address = models.CharField(_("legal address"), max_length=500)
    current_year_count = models.PositiveIntegerField(_("attracted in the current year"), default=0)
    cat1 = models.PositiveIntegerField(default=0)
    cat2 = models.PositiveIntegerField(default=0)
    cat3 = models.PositiveIntegerField(default=0)
    cat4 = models.PositiveIntegerField(default=0)
    seasonal = models.PositiveIntegerField(default=0)
    # Rules p.7, from the akimat's generalization notes.
    justification = models.TextField(_("justification (p.7)"), blank=True)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="annex2_row_position_once"),
        ]

    @property
    def total(self) -> int:
        return self.cat1 + self.cat2 + self.cat3 + self.cat4 + self.seasonal


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 level=pghistory.Statement)
class Annex2Line(models.Model):
    """One profession/specialty inside a category cell of an Annex 2 row."""

    row = models.ForeignKey(Annex2Row, models.CASCADE, related_name="lines")
    version = models.ForeignKey(SubmissionVersion, models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    occupation = models.ForeignKey(Occupation, models.PROTECT, related_name="+")
    occupation_code = models.CharField(max_length=10, blank=True)
    occupation_name_ru = models.CharField(max_length=400, blank=True)
    occupation_name_kk = models.CharField(max_length=400, blank=True)
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("count"))

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["row", "category", "pk"]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Annex4Row(models.Model):
    """Annex 4, one country of origin (columns 1-7), from the region's CountryForecast."""

    version = models.ForeignKey(SubmissionVersion, models.CASCADE, related_name="annex4_rows")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("No"))
    country = models.ForeignKey(Country, models.PROTECT, related_name="+")
    country_name_ru = models.CharField(max_length=200)
    country_name_kk = models.CharField(max_length=200, blank=True)
    treaty_reference = models.CharField(max_length=300, blank=True)
    forecast_figure = models.PositiveIntegerField(default=0)
    forecast_note = models.TextField(blank=True)
    cat1 = models.PositiveIntegerField(default=0)
    cat2 = models.PositiveIntegerField(default=0)
    cat3 = models.PositiveIntegerField(default=0)
    cat4 = models.PositiveIntegerField(default=0)
    seasonal = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "country"], name="annex4_country_once"),
        ]

    @property
    def total(self) -> int:
        return self.cat1 + self.cat2 + self.cat3 + self.cat4 + self.seasonal


def submission_file_path(instance: SubmissionFile, filename: str) -> str:
    return (f"submissions/{instance.version.campaign_id}/{instance.version.region_id}/v{instance.version.number}/"
            f"annex{instance.annex}-{instance.language}.{instance.format}")


# The progress counters a Celery task bumps while writing a workbook are not history.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 exclude=["done_rows", "total_rows"])
class SubmissionFile(models.Model):
    """A file produced from a version (an annex as XLSX or PDF, in ru or kk), kept with it in private
    media and served only through the scoped download view. Big Annex 2 workbooks are written by a
    Celery task, which reports its progress here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(SubmissionVersion, models.CASCADE, related_name="files")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    annex = models.CharField(max_length=1, choices=[("2", "2"), ("3", "3"), ("4", "4")])
    format = models.CharField(max_length=4, choices=[("xlsx", "XLSX"), ("pdf", "PDF")])
    language = models.CharField(max_length=2, choices=[("ru", "ru"), ("kk", "kk")])
    file = models.FileField(upload_to=submission_file_path, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_q = scope_by_submission_region()

    class Meta:
        ordering = ["version", "annex", "format", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "annex", "format", "language"], name="submission_file_once"),
        ]

    @property
    def progress(self) -> int:
        """Percent written (0-100)."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total_rows) if self.total_rows else 0

# End of regional submissions (Annexes 2-4) ---------------------------------------------------------


# Central-body proposals (p.13) ---------------------------------------------------------------------
from .proposals_models import (  # noqa: E402, F401 - Django finds the app's models here
    Proposal,
    ProposalLine,
    ProposalStatus,
)

# The Ministry's quota (p.4-5, p.18-21) -------------------------------------------------------------
from .quota_models import (  # noqa: E402, F401 - Django finds the app's models here
    ApportionMethod,
    Component,
    Distribution,
    DistributionCell,
    DistributionStatus,
    LabourForce,
    PermitUse,
    QuotaHistory,
    Redistribution,
    RedistributionStatus,
    Scenario,
    ScenarioAdjustment,
)
