"""Deadline sweeps of allocation (Rules p.12-19), run by the beat's `core.deadline_sweep`: before
each deadline the office with work outstanding is reminded, after it what is still undone is
flagged once and told to the office and the Ministry (quota_portal/core/overdue.py).

Idempotent: a flag is claimed by its unique key, a notice by the outbox's; a second run finds
nothing new. The services refuse or mark late actions on their own."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from quota_portal.core import texts
from quota_portal.core.deadlines import register_sweep
from quota_portal.core.models import Authority, Campaign
from quota_portal.core.overdue import Outstanding, watch_deadline, watched_campaigns

from .models import RegionalSubmission, SubmissionVersion
from .proposals_models import Proposal, ProposalStatus
from .quota_models import Distribution, DistributionStatus


def _akimats():
    return Authority.objects.filter(kind=Authority.Kind.AKIMAT).select_related("region").order_by("region__code")


def _region_item(region, msgid: str, url: str) -> Outstanding:
    return Outstanding(object_key=f"region:{region.pk}", region_id=region.pk, office_key=f"akimat:{region.pk}",
                       label=texts.text(msgid, region=texts.names(region)), url=url)


def _need_undetermined(campaign: Campaign) -> list[Outstanding]:
    """Rules p.15: regions whose akimat has not determined the need for labour immigrants."""
    done = set(RegionalSubmission.objects.filter(campaign=campaign, li_determined_at__isnull=False)
               .values_list("region_id", flat=True))
    url = reverse("allocation:submission", args=[campaign.year])
    return [_region_item(a.region, gettext_noop("%(region)s: the need for labour immigrants not determined (p.15)"),
                         url) for a in _akimats() if a.region_id not in done]


def _annexes_unsent(campaign: Campaign) -> list[Outstanding]:
    """Rules p.12, 16, 17: regions that have sent no version of Annexes 2-4."""
    sent = set(SubmissionVersion.objects.filter(campaign=campaign).values_list("region_id", flat=True))
    url = reverse("allocation:submission", args=[campaign.year])
    return [_region_item(a.region, gettext_noop("%(region)s: Annexes 2-4 not sent to the Ministry (p.12, 16, 17)"),
                         url) for a in _akimats() if a.region_id not in sent]


def _proposals_unsent(campaign: Campaign) -> list[Outstanding]:
    """Rules p.13: central bodies' proposals still in draft."""
    drafts = (Proposal.objects.filter(campaign=campaign, status=ProposalStatus.DRAFT)
              .select_related("authority", "region").order_by("pk"))
    return [Outstanding(
        object_key=f"proposal:{p.pk}", region_id=p.region_id, office_key=f"authority:{p.authority_id}",
        label=texts.text(gettext_noop("Proposal %(title)s of %(body)s for %(region)s not sent (p.13)"),
                         title=p.title, body=texts.names(p.authority), region=texts.names(p.region)),
        url=reverse("allocation:proposal_detail", args=[p.pk])) for p in drafts]


def _campaign_item(campaign: Campaign, msgid: str) -> list[Outstanding]:
    return [Outstanding(object_key=f"campaign:{campaign.pk}", office_key="ministry",
                        label=texts.text(msgid, year=campaign.year), url=reverse("dashboard"))]


def _undistributed(campaign: Campaign) -> list[Outstanding]:
    """Rules p.19: the quota not yet set and distributed (Campaign.distributed_on empty)."""
    if campaign.distributed_on:
        return []
    return _campaign_item(campaign, gettext_noop("Quota %(year)s not distributed among the regions (p.19)"))


def _unpublished(campaign: Campaign) -> list[Outstanding]:
    """Rules p.19: distributed but no published distribution."""
    if Distribution.objects.filter(campaign=campaign, status=DistributionStatus.PUBLISHED).exists():
        return []
    return _campaign_item(campaign, gettext_noop("Distribution of the quota %(year)s not published (p.19)"))


@register_sweep("allocation.labour_immigrants_overdue", order=310)
def watch_labour_immigrants() -> int:
    return sum(watch_deadline(campaign=c, deadline="labour_immigrants", reminder_kind="allocation.akimat",
                              outstanding=lambda c=c: _need_undetermined(c)) for c in watched_campaigns())


@register_sweep("allocation.submission_overdue", order=311)
def watch_submissions() -> int:
    return sum(watch_deadline(campaign=c, deadline="submission", reminder_kind="allocation.akimat",
                              outstanding=lambda c=c: _annexes_unsent(c)) for c in watched_campaigns())


@register_sweep("allocation.proposals_overdue", order=312)
def watch_proposals() -> int:
    return sum(watch_deadline(campaign=c, deadline="proposals", reminder_kind="allocation.central",
                              outstanding=lambda c=c: _proposals_unsent(c)) for c in watched_campaigns())


@register_sweep("allocation.distribution_overdue", order=313)
def watch_distribution() -> int:
    return sum(watch_deadline(campaign=c, deadline="distribution", reminder_kind="allocation.ministry",
                              outstanding=lambda c=c: _undistributed(c)) for c in watched_campaigns())


@register_sweep("allocation.publication_overdue", order=314)
def watch_publication() -> int:
    """p.19: counted from the day of distribution, so watched only once `distributed_on` is recorded."""
    return sum(watch_deadline(campaign=c, deadline="publication", reminder_kind="allocation.ministry",
                              closes_at=c.publication_closes_at, outstanding=lambda c=c: _unpublished(c))
               for c in watched_campaigns() if c.distributed_on)
