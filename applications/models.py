"""Annex 1: employer applications (Rules p.2, p.6)."""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from quota_portal.core.models import Campaign, Category, Occupation, Organization, Region
from quota_portal.core.scoping import NOTHING, ScopedManager, Tenant, TenantKind

# A single line asking for more than this is a typing error, not a need (the whole country's
# yearly quota is ~20-30 thousand).
MAX_LINE_COUNT = 10_000
MAX_SPECIALTY = 200


# An application in these states is the employer's own working copy (never filed, or withdrawn to be
# changed): the authorities do not see it, its lines, projects, attachments or earlier versions until it
# is submitted (again). A draft not submitted by the deadline stays the employer's (p.6).
UNFILED_STATUSES = ("draft", "not_submitted")


def scope_by_application(prefix: str, *, status: str | None = None):
    """scope_q for records owned through an application: the employer's and the region's.

    `status` is the path to the application's status (e.g. "status" or "application__status"):
    when given, the akimat and the ministry see only applications that have been submitted.
    """

    def filed() -> models.Q:
        return ~models.Q(**{f"{status}__in": UNFILED_STATUSES}) if status else models.Q()

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.EMPLOYER:
            return models.Q(**{f"{prefix}organization_id": tenant.organization_id})
        if tenant.kind == TenantKind.AKIMAT:
            return models.Q(**{f"{prefix}region_id": tenant.region_id}) & filed()
        if tenant.kind == TenantKind.MINISTRY:
            return filed()
        return NOTHING

    return staticmethod(scope_q)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Application(models.Model):
    """One employer's Annex 1 for one campaign and one region (p.6: one per region)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review by the akimat")
        AT_COMMISSION = "at_commission", _("At the Commission")
        DECIDED = "decided", _("Decided")
        NOTIFIED = "notified", _("Notice sent")
        NOT_SUBMITTED = "not_submitted", _("Not submitted")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PARTLY = "partly", _("Partly approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="applications",
                                     verbose_name=_("employer"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="applications",
                                 verbose_name=_("campaign"))
    region = models.ForeignKey(Region, models.PROTECT, related_name="applications",
                               verbose_name=_("region where the workers will work"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    current_year_count = models.PositiveIntegerField(
        _("foreign workers attracted in the current year"), default=0,
        validators=[MaxValueValidator(100_000)])
    justification = models.TextField(_("justification"), blank=True)
    signer_position = models.CharField(_("head's position"), max_length=200, blank=True)
    signer_name = models.CharField(_("head's full name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    copied_from = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every service that changes the row increments it.
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_application("", status="status")

    class Meta:
        ordering = ["-campaign__year", "region__name_ru"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["organization", "campaign", "region"],
                                    name="one_application_per_org_campaign_region"),
            models.UniqueConstraint(fields=["registration_number"],
                                    condition=~models.Q(registration_number=""),
                                    name="unique_registration_number"),
        ]

    def __str__(self) -> str:
        return self.registration_number or _("Application #%(pk)s") % {"pk": self.pk}

    @property
    def total_requested(self) -> int:
        return sum(line.count for line in self.lines.all())

    @property
    def display_status(self) -> str:
        """The status as the server clock sees it, even before the deadline sweep has run (p.6)."""
        if self.status == self.Status.DRAFT and not self.campaign.is_open("filing"):
            return self.Status.NOT_SUBMITTED
        if self.status == self.Status.SUBMITTED and not self.campaign.is_open("filing"):
            return self.Status.UNDER_REVIEW
        return self.status

    def get_display_status_display(self) -> str:
        label = self.Status(self.display_status).label
        if self.outcome and self.display_status in (self.Status.DECIDED, self.Status.NOTIFIED):
            return f"{label}: {self.Outcome(self.outcome).label}"
        return str(label)

    @property
    def filing_closed(self) -> bool:
        """The campaign's filing deadline (p.6) has passed on the server clock."""
        return not self.campaign.is_open("filing")

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT and self.campaign.is_open("filing")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Line(models.Model):
    """A need line: category x occupation (x specialty) x count, for quota year Y."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    occupation = models.ForeignKey(Occupation, models.PROTECT, related_name="+", verbose_name=_("occupation"))
    specialty = models.CharField(_("specialty"), max_length=MAX_SPECIALTY, blank=True)
    count = models.PositiveIntegerField(
        _("number of workers"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_COUNT)])
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_application("application__", status="application__status")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("need line")
        verbose_name_plural = _("need lines")
        constraints = [
            models.UniqueConstraint(fields=["application", "category", "occupation", "specialty"],
                                    name="line_unique_category_occupation"),
            models.CheckConstraint(condition=models.Q(count__gte=1, count__lte=MAX_LINE_COUNT),
                                   name="line_count_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} / {self.occupation} x {self.count}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Project(models.Model):
    """A project, contract or agreement the need serves (p.6 justification)."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="projects")
    name = models.CharField(_("project, contract or agreement"), max_length=300)
    number = models.CharField(_("number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_q = scope_by_application("application__", status="application__status")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.application_id}/{instance.sha256}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Attachment(models.Model):
    """A supporting document; served only through an access-checked download view."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = scope_by_application("application__", status="application__status")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Version(models.Model):
    """The frozen snapshot of one submission: immutable, with its SHA-256 and server time."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    registration_number = models.CharField(max_length=40)
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope_q = scope_by_application("application__", status="application__status")

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_unique_number"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StatusChange(models.Model):
    """The application's timeline: each transition with who, when and why."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Application.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    # What the portal says about the change is stored as a msgid and parameters (core/texts.py) and
    # rendered in the reader's language; `note` keeps what a person typed (a withdrawal's reason) or
    # plain data (a registration number), as it was written.
    note = models.TextField(blank=True)
    note_key = models.CharField(max_length=200, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = scope_by_application("application__", status="application__status")

    class Meta:
        ordering = ["at", "pk"]

    def note_text(self) -> str:
        """The note in the active language: the portal's own note translated, a typed one as typed."""
        from quota_portal.core.texts import render

        return render(self.note_key, self.note_params) if self.note_key else self.note


class RegistrationCounter(models.Model):
    """The last registration sequence issued per campaign and region (locked with FOR UPDATE)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region"], name="registration_counter_once"),
        ]
