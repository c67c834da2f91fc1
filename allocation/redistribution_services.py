"""Redistributing the quota (Rules p.21). Every function checks its actor first, owns its transaction,
locks the row and checks its revision, is audited, and refuses with a translated DomainError.

    requested --endorse (an analyst)--> endorsed --approve (an approver, not the endorser)--> approved
              --decline (an analyst or an approver, with a reason)--> declined
              --withdraw (the requester's authority)--> withdrawn        (requested or endorsed)

Who asks: an officer of the akimat of the region that gives or the region that receives, or an officer
of a central body. From a region or from the national reserve (``from_region`` empty), to a region,
N >= 1 of one category, with a reason; only while the campaign has a published version and its quota
year is not over.

Approving derives a new version from the current published one with the move applied (the national
total never changes: N leaves one region or the reserve and arrives in another) and publishes it with
``distribution_publish``. It checks again, on the version in force at that moment and under the
campaign's lock: the source keeps at least zero and at least what its akimat has already recorded as
issued (``PermitUse``); the reserve holds N. Two approvals at once run one after the other on the
campaign's row lock, the second on the version the first published.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quota_portal.core import calendar
from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Authority, Campaign, Category, Membership, Region, Role, User
from quota_portal.core.notifications import notify
from quota_portal.core.parsing import clean_text, parse_int
from quota_portal.core.permissions import forbidden, holds_membership

from .quota_models import (
    MAX_QUOTA,
    MAX_TEXT,
    Component,
    Distribution,
    DistributionCell,
    PermitUse,
    Redistribution,
    RedistributionStatus,
)
from .quota_permissions import ensure_analyst, ensure_approver, ensure_not_the_proposer
from .quota_services import DistributionFigures, create_version, current_version, distribution_publish

S = RedistributionStatus
CATEGORIES = [c.value for c in Category]
# pg_advisory_xact_lock namespace of "a region's quota in a campaign" (permits recorded, moves out).
_REGION_QUOTA_LOCK = 0x5144_0000_0000


# --- rules shared with the permits used (redistribution_use.py) -------------------------------

def quota_year_over(campaign: Campaign, today: dt.date | None = None) -> bool:
    """The quota of year Y is in force until 31 December of Y (Asia/Almaty)."""
    return (today or calendar.local_today()) >= dt.date(campaign.year + 1, 1, 1)


def lock_region_quota(campaign_id: int, region_id: int) -> None:
    """Serialize everything that reads and changes one region's room in one campaign (a permit record,
    a move out of the region) until the end of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REGION_QUOTA_LOCK + campaign_id * 1_000_000 + region_id])


def permits_cells(distribution: Distribution | None) -> dict[tuple[int, str], int]:
    """(region_id, category) -> permits of one version."""
    if distribution is None:
        return {}
    return {(r, c): n for r, c, n in DistributionCell.objects.filter(
        distribution=distribution, component=Component.PERMITS).values_list("region_id", "category", "count")}


def used_permits(campaign: Campaign, region_id: int, category: str) -> int:
    """What the region's akimat has recorded as issued in the category."""
    return PermitUse.objects.filter(campaign=campaign, region_id=region_id, category=category).aggregate(
        n=Sum("count"))["n"] or 0


def _figures_of(distribution: Distribution) -> DistributionFigures:
    cells = DistributionCell.objects.filter(distribution=distribution)
    permits, countries, immigrants = {}, {}, {}
    for cell in cells:
        if cell.component == Component.PERMITS:
            permits[(cell.region_id, cell.category)] = cell.count
        elif cell.component == Component.COUNTRIES:
            countries[(cell.region_id, cell.country_id)] = cell.count
        else:
            immigrants[cell.region_id] = cell.count
    d = distribution
    return DistributionFigures(
        labour_force=d.labour_force, labour_force_source=d.labour_force_source, method=d.method,
        permits_percent=d.permits_percent, permits_computed=d.permits_computed, permits_total=d.permits_total,
        reserve=d.reserve, permits_override_reason=d.permits_override_reason,
        countries_percent=d.countries_percent, countries_computed=d.countries_computed,
        countries_total=d.countries_total, countries_override_reason=d.countries_override_reason,
        immigrants_percent=d.immigrants_percent, immigrants_computed=d.immigrants_computed,
        immigrants_total=d.immigrants_total, immigrants_override_reason=d.immigrants_override_reason,
        permits=permits, countries=countries, immigrants=immigrants)


def moved_figures(distribution: Distribution, *, from_region_id: int | None, to_region_id: int, category: str,
                  count: int) -> DistributionFigures:
    """The figures of `distribution` with `count` of `category` moved (from the reserve when
    `from_region_id` is None). The total is the same; a source that would go below zero refuses."""
    figures = _figures_of(distribution)
    permits = dict(figures.permits)
    reserve = figures.reserve
    if from_region_id is None:
        if reserve < count:
            raise DomainError(_("The national reserve holds %(have)s; %(n)s cannot be taken from it.")
                              % {"have": reserve, "n": count}, field="count", code="short")
        reserve -= count
    else:
        have = permits.get((from_region_id, category), 0)
        if have < count:
            raise DomainError(_("The region that gives holds %(have)s in this category; %(n)s would take it below "
                                "zero.") % {"have": have, "n": count}, field="count", code="short")
        permits[(from_region_id, category)] = have - count
    permits[(to_region_id, category)] = permits.get((to_region_id, category), 0) + count
    moved = replace(figures, permits=permits, reserve=reserve)
    assert sum(moved.permits.values()) + moved.reserve == figures.permits_total  # the p.21 invariant
    return moved


# --- who may ask ------------------------------------------------------------------------------

def ensure_requester(actor: User, authority: Authority, *, from_region_id: int | None, to_region_id: int) -> None:
    """An officer of the akimat of the giving or the receiving region, or of a central body."""
    if authority.kind == Authority.Kind.AKIMAT:
        if not holds_membership(actor, {Role.AKIMAT_OFFICER}, authority_id=authority.pk):
            raise forbidden(_("Only an officer of the akimat can ask for a redistribution on its behalf."))
        if authority.region_id not in (from_region_id, to_region_id):
            raise forbidden(_("An akimat asks to give its own region's quota or to receive quota for its own region."),
                            field="to_region")
    elif authority.kind == Authority.Kind.CENTRAL:
        if not holds_membership(actor, {Role.CENTRAL_OFFICER}, authority_id=authority.pk):
            raise forbidden(_("Only an officer of the central body can ask for a redistribution on its behalf."))
    else:
        raise forbidden(_("A redistribution is asked for by an akimat or a central state body (Rules p.21)."))


def _ensure_in_force(campaign: Campaign) -> Distribution:
    if quota_year_over(campaign):
        raise DomainError(_("The quota year %(year)s is over: its quota can no longer be redistributed.")
                          % {"year": campaign.year}, field="campaign", code="over")
    current = current_version(campaign)
    if current is None:
        raise DomainError(_("The quota of %(year)s is not published yet: there is nothing to redistribute.")
                          % {"year": campaign.year}, field="campaign", code="unpublished")
    return current


def _lock(redistribution: Redistribution, revision: int | None) -> Redistribution:
    locked = (Redistribution.objects.select_for_update(of=("self",))
              .select_related("campaign", "from_region", "to_region", "requested_by_authority")
              .get(pk=redistribution.pk))
    if revision is not None and locked.revision != revision:
        raise ConcurrentUpdate()
    return locked


def _save(redistribution: Redistribution, *fields: str) -> None:
    redistribution.revision += 1
    redistribution.save(update_fields=[*fields, "revision"])


def _ensure_status(redistribution: Redistribution, allowed: set[str], message: str) -> None:
    if redistribution.status not in allowed:
        raise DomainError(message % {"status": S(redistribution.status).label}, code="state")


# --- who hears about it --------------------------------------------------------------------------

def recipients(redistribution: Redistribution) -> list[User]:
    """The requesting authority's officers and the officers of the two regions' akimats."""
    role = (Role.CENTRAL_OFFICER if redistribution.requested_by_authority.kind == Authority.Kind.CENTRAL
            else Role.AKIMAT_OFFICER)
    regions = [r for r in (redistribution.from_region_id, redistribution.to_region_id) if r]
    ids = set(Membership.objects.filter(role=role, authority_id=redistribution.requested_by_authority_id,
                                        user__is_active=True).values_list("user_id", flat=True))
    ids |= set(Membership.objects.filter(role=Role.AKIMAT_OFFICER, authority__region_id__in=regions,
                                         user__is_active=True).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def ministry_recipients(role: str) -> list[User]:
    ids = Membership.objects.filter(role=role, user__is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def source_label(redistribution: Redistribution) -> str:
    return str(redistribution.from_region) if redistribution.from_region_id else _("the national reserve")


def _describe(r: Redistribution) -> dict:
    return {"pk": r.pk, "n": r.count, "category": Category(r.category).label, "source": source_label(r),
            "to": r.to_region, "year": r.campaign.year}


def _notify(redistribution: Redistribution, event: str, people: list[User], subject, body) -> None:
    url = reverse("allocation:redistribution_detail", args=[redistribution.pk])
    notify(event_key=f"redistribution-{redistribution.pk}-{event}", recipients=people, url=url,
           subject=subject, body=body)


# --- the services ----------------------------------------------------------------------------------

def redistribution_request(*, actor: User, authority: Authority, campaign: Campaign, from_region: Region | None,
                           to_region: Region, category: str, count, reason: str) -> Redistribution:
    """Ask the Ministry to move `count` of `category` from `from_region` (None: the national reserve) to
    `to_region` (Rules p.21)."""
    from_id = getattr(from_region, "pk", None)
    ensure_requester(actor, authority, from_region_id=from_id, to_region_id=to_region.pk)
    if category not in CATEGORIES:
        raise DomainError(_("Choose a category."), field="category")
    number = parse_int(count, min_value=1, max_value=MAX_QUOTA)
    if number is None:
        raise DomainError(_("Enter a whole number from 1 to %(max)s.") % {"max": MAX_QUOTA}, field="count")
    if from_id == to_region.pk:
        raise DomainError(_("Choose two different regions."), field="to_region")
    reason = clean_text(reason).strip()
    if not reason:
        raise DomainError(_("State the reason for the redistribution."), field="reason")
    if len(reason) > MAX_TEXT:
        raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}, field="reason")
    with transaction.atomic(), audited(actor, "redistribution_request"):
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        current = _ensure_in_force(campaign)
        # Refused at once when the version in force cannot give it (checked again at approval).
        moved_figures(current, from_region_id=from_id, to_region_id=to_region.pk, category=category, count=number)
        redistribution = Redistribution.objects.create(
            campaign=campaign, from_region=from_region, to_region=to_region, category=category, count=number,
            reason=reason, requested_by_authority=authority, requested_by=actor, requested_at=timezone.now())
        redistribution = Redistribution.objects.select_related(
            "campaign", "from_region", "to_region", "requested_by_authority").get(pk=redistribution.pk)
        d = _describe(redistribution)
        _notify(redistribution, "requested", ministry_recipients(Role.MINISTRY_ANALYST) + recipients(redistribution),
                subject=lambda user: _("Redistribution No. %(pk)s asked for") % d,
                body=lambda user: _("%(who)s asks to move %(n)s of %(category)s from %(source)s to %(to)s (quota "
                                    "%(year)s, Rules p.21).") % {**d, "who": authority})
    return redistribution


def redistribution_withdraw(*, actor: User, redistribution: Redistribution, revision: int | None = None
                            ) -> Redistribution:
    """The requesting authority takes its request back before the Ministry decides."""
    authority = redistribution.requested_by_authority
    role = Role.CENTRAL_OFFICER if authority.kind == Authority.Kind.CENTRAL else Role.AKIMAT_OFFICER
    if not holds_membership(actor, {role}, authority_id=authority.pk):
        raise forbidden(_("Only the authority that asked can withdraw the request."))
    with transaction.atomic(), audited(actor, "redistribution_withdraw"):
        locked = _lock(redistribution, revision)
        _ensure_status(locked, {S.REQUESTED, S.ENDORSED},
                       _("The request is “%(status)s”; only one awaiting the Ministry can be withdrawn."))
        locked.status = S.WITHDRAWN
        _save(locked, "status")
        d = _describe(locked)
        _notify(locked, "withdrawn", recipients(locked),
                subject=lambda user: _("Redistribution No. %(pk)s withdrawn") % d,
                body=lambda user: _("The request to move %(n)s of %(category)s from %(source)s to %(to)s was "
                                    "withdrawn.") % d)
    return locked


def redistribution_endorse(*, actor: User, redistribution: Redistribution, revision: int | None = None
                           ) -> Redistribution:
    """A Ministry analyst checks the request and passes it to an approver."""
    ensure_analyst(actor)
    with transaction.atomic(), audited(actor, "redistribution_endorse"):
        locked = _lock(redistribution, revision)
        _ensure_status(locked, {S.REQUESTED}, _("The request is “%(status)s”; only a new request can be endorsed."))
        _ensure_in_force(locked.campaign)
        locked.status = S.ENDORSED
        locked.endorsed_by = actor
        locked.endorsed_at = timezone.now()
        _save(locked, "status", "endorsed_by", "endorsed_at")
        d = _describe(locked)
        approvers = [u for u in ministry_recipients(Role.MINISTRY_APPROVER) if u.pk != actor.pk]
        _notify(locked, "endorsed", approvers + recipients(locked),
                subject=lambda user: _("Redistribution No. %(pk)s endorsed, awaiting approval") % d,
                body=lambda user: _("An analyst endorsed moving %(n)s of %(category)s from %(source)s to %(to)s; an "
                                    "approver decides.") % d)
    return locked


def redistribution_approve(*, actor: User, redistribution: Redistribution, revision: int | None = None
                           ) -> Redistribution:
    """A Ministry approver, not the analyst who endorsed it, approves: the move is applied to the version in
    force and published as the next version (the total unchanged)."""
    ensure_approver(actor)
    with transaction.atomic(), audited(actor, "redistribution_approve"):
        # The campaign first: two approvals at once go one after the other, each on the latest version.
        Campaign.objects.select_for_update().get(pk=redistribution.campaign_id)
        locked = _lock(redistribution, revision)
        ensure_not_the_proposer(actor, locked.endorsed_by_id)
        ensure_not_the_proposer(actor, locked.requested_by_id)
        _ensure_status(locked, {S.ENDORSED},
                       _("The request is “%(status)s”; only a request an analyst endorsed can be approved."))
        current = _ensure_in_force(locked.campaign)
        figures = moved_figures(current, from_region_id=locked.from_region_id, to_region_id=locked.to_region_id,
                                category=locked.category, count=locked.count)
        if locked.from_region_id is not None:
            lock_region_quota(locked.campaign_id, locked.from_region_id)
            have = permits_cells(current).get((locked.from_region_id, locked.category), 0)
            used = used_permits(locked.campaign, locked.from_region_id, locked.category)
            if have - locked.count < used:
                raise DomainError(_("%(region)s has already issued %(used)s permits in this category; after giving "
                                    "%(n)s it would keep %(left)s.") % {
                    "region": locked.from_region, "used": used, "n": locked.count, "left": have - locked.count},
                    code="below_used")
        now = timezone.now()
        version = create_version(actor=locked.endorsed_by, campaign=locked.campaign, figures=figures,
                                 reason=locked.reason, status=Distribution.Status.APPROVED, previous=current,
                                 redistribution=locked)
        version.approved_by = actor
        version.approved_at = now
        version.distributed_on = calendar.local_today()
        version.save(update_fields=["approved_by", "approved_at", "distributed_on"])
        distribution_publish(actor=actor, distribution=version)
        locked.status = S.APPROVED
        locked.decided_by = actor
        locked.decided_at = now
        _save(locked, "status", "decided_by", "decided_at")
        version.refresh_from_db()
        d = {**_describe(locked), "number": version.number}
        _notify(locked, "decided", recipients(locked),
                subject=lambda user: _("Redistribution No. %(pk)s approved: quota %(year)s, version %(number)s") % d,
                body=lambda user: _("The Ministry approved moving %(n)s of %(category)s from %(source)s to %(to)s. "
                                    "Version %(number)s of the quota %(year)s is published.") % d)
    return locked


def redistribution_decline(*, actor: User, redistribution: Redistribution, reason: str,
                           revision: int | None = None) -> Redistribution:
    """A Ministry analyst or approver declines, with the reason."""
    if not holds_membership(actor, {Role.MINISTRY_ANALYST, Role.MINISTRY_APPROVER}):
        raise forbidden(_("Only the Ministry can decline a redistribution."))
    reason = clean_text(reason).strip()
    if not reason:
        raise DomainError(_("State the reason for declining."), field="reason")
    if len(reason) > MAX_TEXT:
        raise DomainError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}, field="reason")
    with transaction.atomic(), audited(actor, "redistribution_decline"):
        locked = _lock(redistribution, revision)
        _ensure_status(locked, {S.REQUESTED, S.ENDORSED},
                       _("The request is “%(status)s”; only one awaiting the Ministry can be declined."))
        if locked.status == S.ENDORSED and not holds_membership(actor, {Role.MINISTRY_APPROVER}):
            raise forbidden(_("An endorsed request is declined by an approver."))
        if locked.status == S.ENDORSED:
            ensure_not_the_proposer(actor, locked.endorsed_by_id)
        locked.status = S.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        _save(locked, "status", "decided_by", "decided_at", "decline_reason")
        d = {**_describe(locked), "reason": reason}
        _notify(locked, "decided", recipients(locked),
                subject=lambda user: _("Redistribution No. %(pk)s declined") % d,
                body=lambda user: _("The Ministry declined moving %(n)s of %(category)s from %(source)s to %(to)s. "
                                    "Reason: %(reason)s") % d)
    return locked
