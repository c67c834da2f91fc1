"""Central-body proposals (Rules p.13): a central state body proposes, for a region and a quota
year, a need for foreign labour justified by the labour-market forecast; the akimat of that region
agrees (in full or with changed counts) or declines; only agreed proposals reach the Ministry."""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quota_portal.core.models import Authority, Campaign, Category, Occupation, Region
from quota_portal.core.scoping import NOTHING, ScopedManager, Tenant, TenantKind

# One line proposing more than this is a typing error (the same bound as an Annex 1 line).
MAX_PROPOSAL_LINE_COUNT = 10_000
MAX_TITLE = 300
MAX_TEXT = 5000


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Awaiting the akimat's agreement")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined by the akimat")


def scope_by_proposal(prefix: str):
    """scope_q of a proposal and its lines: the central body sees its own (drafts included); the
    akimat of the region those sent to it; the Ministry only the agreed ones (Rules p.13: the
    proposals "agreed with the local executive body" reach the authorized body)."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.CENTRAL:
            return models.Q(**{f"{prefix}authority_id": tenant.authority_id})
        if tenant.kind == TenantKind.AKIMAT:
            return models.Q(**{f"{prefix}region_id": tenant.region_id}) & ~models.Q(
                **{f"{prefix}status": ProposalStatus.DRAFT})
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q(**{f"{prefix}status": ProposalStatus.AGREED})
        return NOTHING

    return staticmethod(scope_q)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Proposal(models.Model):
    """A central body's proposal for one region and one campaign (Rules p.13), and its agreement."""

    Status = ProposalStatus

    authority = models.ForeignKey(Authority, models.PROTECT, related_name="proposals",
                                  verbose_name=_("central body"),
                                  limit_choices_to={"kind": Authority.Kind.CENTRAL})
    region = models.ForeignKey(Region, models.PROTECT, related_name="proposals",
                               verbose_name=_("region where the workers will work"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="proposals", verbose_name=_("campaign"))
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.DRAFT)
    title = models.CharField(_("subject of the proposal"), max_length=MAX_TITLE)
    justification = models.TextField(_("justification from the labour-market forecast"), max_length=MAX_TEXT)
    projects = models.TextField(_("projects the workers are needed for"), max_length=MAX_TEXT, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    sent_late_reason = models.TextField(_("reason for sending after the deadline"), max_length=MAX_TEXT,
                                        blank=True)
    decided_at = models.DateTimeField(_("agreement decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decline_reason = models.TextField(_("reason for declining"), max_length=MAX_TEXT, blank=True)
    # The form's one-time token: a second click on "Create" finds the draft the first one made.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every service that changes the row increments it.
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_proposal("")

    class Meta:
        ordering = ["-campaign__year", "region__name_ru", "pk"]
        verbose_name = _("central-body proposal")
        verbose_name_plural = _("central-body proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_at__isnull=False, sent_by__isnull=False),
                name="proposal_sent_has_when_and_who"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["agreed", "declined"])
                | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="proposal_decided_has_when_and_who"),
            models.CheckConstraint(condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                                   name="proposal_declined_has_reason"),
        ]

    def __str__(self) -> str:
        return _("Proposal No. %(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT

    @property
    def sent_late(self) -> bool:
        """Sent after the p.13 deadline (allowed with a reason, shown as late)."""
        return bool(self.sent_at and self.sent_at >= self.campaign.closes_at("proposals"))

    @property
    def overdue(self) -> bool:
        """A draft still unsent once the p.13 deadline has passed."""
        return self.is_draft and not self.campaign.is_open("proposals", timezone.now())

    @property
    def agreed_with_changes(self) -> bool:
        return self.status == ProposalStatus.AGREED and any(
            line.agreed_count != line.count for line in self.lines.all())


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProposalLine(models.Model):
    """Category x occupation x count, with its own justification; the akimat's agreed count."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    occupation = models.ForeignKey(Occupation, models.PROTECT, related_name="+", verbose_name=_("occupation"))
    count = models.PositiveIntegerField(
        _("proposed number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PROPOSAL_LINE_COUNT)])
    justification = models.TextField(_("justification of the line"), max_length=MAX_TEXT, blank=True)
    agreed_count = models.PositiveIntegerField(_("agreed number"), null=True, blank=True)
    change_reason = models.TextField(_("reason for the change"), max_length=MAX_TEXT, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()
    scope_q = scope_by_proposal("proposal__")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "category", "occupation"],
                                    name="proposal_line_unique_category_occupation"),
            models.CheckConstraint(condition=models.Q(count__gte=1, count__lte=MAX_PROPOSAL_LINE_COUNT),
                                   name="proposal_line_count_in_range"),
            models.CheckConstraint(
                condition=models.Q(agreed_count__isnull=True)
                | models.Q(agreed_count__gte=0, agreed_count__lte=MAX_PROPOSAL_LINE_COUNT),
                name="proposal_line_agreed_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} / {self.occupation} x {self.count}"

    @property
    def changed(self) -> bool:
        return self.agreed_count is not None and self.agreed_count != self.count
