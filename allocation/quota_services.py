"""The distribution's life (Rules p.19-21): proposed by an analyst, approved by a second person (an
approver; that records the day of distribution, from which publication is due within 3 working
days), published (public and immutable, numbered 1, 2, ...). Each function checks its actor
(allocation/quota_permissions.py), owns its transaction, locks the row, is audited and refuses with a
translated DomainError.

    proposed --approve--> approved --publish--> published
             --decline--> declined (reason)
             --withdraw-> withdrawn (by its analyst)

`distribution_propose` takes the figures already computed (allocation.quota_compute turns a
scenario into them); a redistribution (allocation.redistribution_services) derives an APPROVED
version from the published one and calls `distribution_publish`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from quota_portal.core import calendar
from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Campaign, Category, User
from quota_portal.core.parsing import clean_text
from quota_portal.core.services import campaign_record_distribution

from .publication_services import attach_publication
from .quota_models import MAX_TEXT, Component, Distribution, DistributionCell, DistributionStatus
from .quota_permissions import ensure_analyst, ensure_approver, ensure_not_the_proposer

S = DistributionStatus
PERMIT_CATEGORIES = [c.value for c in Category]


@dataclass(frozen=True)
class DistributionFigures:
    """Everything a distribution version holds, computed: the p.4 components and the cells."""

    labour_force: int
    labour_force_source: str
    method: str
    permits_percent: Decimal
    permits_computed: int
    permits_total: int  # the categories' sum plus the reserve
    reserve: int = 0
    permits_override_reason: str = ""
    countries_percent: Decimal = Decimal(0)
    countries_computed: int = 0
    countries_total: int = 0
    countries_override_reason: str = ""
    immigrants_percent: Decimal = Decimal(0)
    immigrants_computed: int = 0
    immigrants_total: int = 0
    immigrants_override_reason: str = ""
    permits: Mapping[tuple[int, str], int] = field(default_factory=dict)  # (region_id, category) -> n
    countries: Mapping[tuple[int, int], int] = field(default_factory=dict)  # (region_id, country_id) -> n
    immigrants: Mapping[int, int] = field(default_factory=dict)  # region_id -> n

    def check(self) -> None:
        """The sums hold and every override has its reason; raise DomainError otherwise."""
        if any(n < 0 for n in [*self.permits.values(), *self.countries.values(), *self.immigrants.values()]):
            raise DomainError(_("No region can receive a negative quota."))
        if any(category not in PERMIT_CATEGORIES for _region, category in self.permits):
            raise DomainError(_("Unknown category."))
        if sum(self.permits.values()) + self.reserve != self.permits_total:
            raise DomainError(_("The permits of the regions and the reserve (%(sum)s) do not add up to the total "
                                "(%(total)s).") % {"sum": sum(self.permits.values()) + self.reserve,
                                                   "total": self.permits_total})
        if sum(self.countries.values()) != self.countries_total:
            raise DomainError(_("The countries-of-origin quota of the regions does not add up to its total."))
        if sum(self.immigrants.values()) != self.immigrants_total:
            raise DomainError(_("The labour-immigrant quota of the regions does not add up to its total."))
        for total, computed, reason in [
                (self.permits_total, self.permits_computed, self.permits_override_reason),
                (self.countries_total, self.countries_computed, self.countries_override_reason),
                (self.immigrants_total, self.immigrants_computed, self.immigrants_override_reason)]:
            if total != computed and not clean_text(reason):
                raise DomainError(_("A number that differs from the percentage of the labour force needs the "
                                    "reason for the override."), field="override_reason")


def _cells(distribution: Distribution, figures: DistributionFigures) -> list[DistributionCell]:
    status = distribution.status
    cells = [DistributionCell(distribution=distribution, region_id=region_id, component=Component.PERMITS,
                              category=category, count=count, status=status)
             for (region_id, category), count in figures.permits.items()]
    cells += [DistributionCell(distribution=distribution, region_id=region_id, component=Component.COUNTRIES,
                               country_id=country_id, count=count, status=status)
              for (region_id, country_id), count in figures.countries.items()]
    cells += [DistributionCell(distribution=distribution, region_id=region_id,
                               component=Component.LABOUR_IMMIGRANTS, count=count, status=status)
              for region_id, count in figures.immigrants.items()]
    return cells


def create_version(*, actor: User, campaign: Campaign, figures: DistributionFigures, reason: str,
                   status: str, scenario=None, previous: Distribution | None = None,
                   redistribution=None) -> Distribution:
    """Write a distribution and its cells (no permission check: callers check theirs first, inside
    their own transaction)."""
    figures.check()
    now = timezone.now()
    distribution = Distribution.objects.create(
        campaign=campaign, status=status, previous=previous, scenario=scenario, redistribution=redistribution,
        reason=reason, method=figures.method, labour_force=figures.labour_force,
        labour_force_source=figures.labour_force_source[:500],
        permits_percent=figures.permits_percent, permits_total=figures.permits_total,
        permits_computed=figures.permits_computed, permits_override_reason=figures.permits_override_reason,
        reserve=figures.reserve,
        countries_percent=figures.countries_percent, countries_total=figures.countries_total,
        countries_computed=figures.countries_computed, countries_override_reason=figures.countries_override_reason,
        immigrants_percent=figures.immigrants_percent, immigrants_total=figures.immigrants_total,
        immigrants_computed=figures.immigrants_computed,
        immigrants_override_reason=figures.immigrants_override_reason,
        proposed_by=actor, proposed_at=now)
    DistributionCell.objects.bulk_create(_cells(distribution, figures))
    return distribution


def _locked(distribution: Distribution, revision: int | None) -> Distribution:
    locked = Distribution.objects.select_for_update().select_related("campaign").get(pk=distribution.pk)
    if revision is not None and locked.revision != revision:
        raise ConcurrentUpdate()
    return locked


def _save(distribution: Distribution, *fields: str) -> None:
    distribution.revision += 1
    distribution.save(update_fields=[*fields, "revision"])
    DistributionCell.objects.filter(distribution=distribution).update(status=distribution.status)


def distribution_propose(*, actor: User, campaign: Campaign, figures: DistributionFigures, reason: str,
                         scenario=None) -> Distribution:
    """An analyst proposes the campaign's first distribution (later changes are redistributions)."""
    ensure_analyst(actor)
    reason = clean_text(reason)[:MAX_TEXT]
    if not reason:
        raise DomainError(_("State what the proposal is based on."), field="reason")
    with transaction.atomic(), audited(actor, "distribution_propose"):
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Distribution.objects.filter(campaign=campaign, status=S.PUBLISHED).exists():
            raise DomainError(_("The quota of %(year)s is already published: a change is a redistribution "
                                "(Rules p.21).") % {"year": campaign.year}, code="already")
        if Distribution.objects.filter(campaign=campaign, status__in=[S.PROPOSED, S.APPROVED]).exists():
            raise DomainError(_("A distribution of %(year)s is already awaiting approval: withdraw it or have it "
                                "declined first.") % {"year": campaign.year}, code="pending")
        try:
            with transaction.atomic():
                return create_version(actor=actor, campaign=campaign, figures=figures, reason=reason,
                                      status=S.PROPOSED, scenario=scenario)
        except IntegrityError:  # a second click at the same moment: the one-pending constraint
            raise DomainError(_("A distribution of %(year)s is already awaiting approval.")
                              % {"year": campaign.year}, code="pending") from None


def distribution_approve(*, actor: User, distribution: Distribution, revision: int | None = None,
                         distributed_on: dt.date | None = None, late_reason: str = "") -> Distribution:
    """An approver, not the proposer, approves: the day of distribution is recorded (p.19; for the
    first version also on the campaign, from which publication is due within 3 working days)."""
    ensure_approver(actor)
    with transaction.atomic(), audited(actor, "distribution_approve"):
        locked = _locked(distribution, revision)
        ensure_not_the_proposer(actor, locked.proposed_by_id)
        if locked.status != S.PROPOSED:
            raise DomainError(_("Only a proposed distribution can be approved."), code="state")
        day = distributed_on or calendar.local_today()
        if locked.previous_id is None and locked.campaign.distributed_on is None:
            campaign_record_distribution(actor=actor, campaign=locked.campaign, day=day, reason=late_reason)
        locked.status = S.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.distributed_on = day
        _save(locked, "status", "approved_by", "approved_at", "distributed_on")
        return locked


def distribution_decline(*, actor: User, distribution: Distribution, reason: str,
                         revision: int | None = None) -> Distribution:
    ensure_approver(actor)
    reason = clean_text(reason)[:MAX_TEXT]
    if not reason:
        raise DomainError(_("State the reason for declining."), field="reason")
    with transaction.atomic(), audited(actor, "distribution_decline"):
        locked = _locked(distribution, revision)
        if locked.status != S.PROPOSED:
            raise DomainError(_("Only a proposed distribution can be declined."), code="state")
        locked.status = S.DECLINED
        locked.decline_reason = reason
        _save(locked, "status", "decline_reason")
        return locked


def distribution_withdraw(*, actor: User, distribution: Distribution, revision: int | None = None) -> Distribution:
    ensure_analyst(actor)
    with transaction.atomic(), audited(actor, "distribution_withdraw"):
        locked = _locked(distribution, revision)
        if locked.status != S.PROPOSED:
            raise DomainError(_("Only a proposed distribution can be withdrawn."), code="state")
        locked.status = S.WITHDRAWN
        _save(locked, "status")
        return locked


def distribution_publish(*, actor: User, distribution: Distribution, revision: int | None = None) -> Distribution:
    """Publish an approved version: it takes the next number and becomes public and immutable."""
    ensure_approver(actor)
    with transaction.atomic(), audited(actor, "distribution_publish"):
        locked = _locked(distribution, revision)
        if locked.status != S.APPROVED:
            raise DomainError(_("Only an approved distribution can be published."), code="state")
        Campaign.objects.select_for_update().get(pk=locked.campaign_id)
        last = Distribution.objects.filter(campaign_id=locked.campaign_id, status=S.PUBLISHED).aggregate(
            n=Max("number"))["n"] or 0
        locked.number = last + 1
        locked.status = S.PUBLISHED
        locked.published_by = actor
        locked.published_at = timezone.now()
        # The canonical JSON, its hash and the signed decision PDF, in this transaction: a published
        # version never exists without them (allocation/publication_services.py).
        published = attach_publication(locked)
        _save(locked, "number", "status", "published_by", "published_at", *published)
        return locked


def published_versions(campaign: Campaign):
    """The campaign's published versions, oldest first."""
    return Distribution.objects.filter(campaign=campaign, status=S.PUBLISHED).order_by("number")


def current_version(campaign: Campaign) -> Distribution | None:
    """The campaign's latest published version (the quota in force), or None."""
    return Distribution.objects.filter(campaign=campaign, status=S.PUBLISHED).order_by("-number").first()
