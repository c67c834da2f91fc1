"""Ministry-maintained reference data: campaign deadlines, the working-day calendar, treaty flags.

Each service owns its transaction, records who acted (pghistory context) and refuses bad input with
a DomainError that names the field and the rule.
"""
from __future__ import annotations

import datetime as dt
from itertools import pairwise

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import calendar
from .audit import audited
from .errors import DomainError
from .models import DEADLINES, CalendarException, Campaign, Country, DeadlineKind, User
from .permissions import ensure_ministry, ensure_ministry_analyst

CAMPAIGN_FIELDS = (
    ["filing_opens"]
    + [f for name, *_rest in DEADLINES for f in (f"{name}_deadline", f"{name}_deadline_kind")]
    + ["notice_working_days", "publication_working_days"]
)


def campaign_update(*, actor: User, campaign: Campaign, values: dict) -> Campaign:
    """Change a campaign's deadlines (dates and kinds). The stages must keep the Rules' order."""
    ensure_ministry(actor)
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise DomainError(_("Unknown campaign fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, *_rest in DEADLINES:
        if values.get(f"{name}_deadline_kind", DeadlineKind.UNTIL) not in DeadlineKind.values:
            raise DomainError(_("Choose “until” or “no later than”."), field=f"{name}_deadline_kind")
    merged = {f: values.get(f, getattr(campaign, f)) for f in CAMPAIGN_FIELDS}
    _check_order(campaign.year, merged)
    with transaction.atomic(), audited(actor, "campaign_update"):
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        for field, value in merged.items():
            setattr(locked, field, value)
        locked.save()
    return locked


def _check_order(year: int, values: dict) -> None:
    # Rules p.6-19: filing, generalization, Commission, submissions and proposals, distribution.
    # The Rules set no opening date for filing (p.6 sets only its end): the Ministry chooses it.
    if values["filing_opens"] >= values["filing_deadline"]:
        raise DomainError(_("Filing must open before the filing deadline."), field="filing_opens")
    order = [("filing", "6"), ("generalization", "7"), ("commission", "8"), ("submission", "12"),
             ("distribution", "19")]
    if values["labour_immigrants_deadline"] > values["submission_deadline"]:
        raise DomainError(_("The need for labour immigrants must be determined before Annex 3 is sent (Rules p.15, "
                            "p.16)."), field="labour_immigrants_deadline")
    for (before, _p), (after, point) in pairwise(order):
        if values[f"{after}_deadline"] < values[f"{before}_deadline"]:
            raise DomainError(
                _("This deadline cannot come before the previous stage of the cycle (Rules p.%(point)s).")
                % {"point": point}, field=f"{after}_deadline")
    if values["proposals_deadline"] > values["distribution_deadline"]:
        raise DomainError(_("Central-body proposals must close before the distribution (Rules p.13, p.19)."),
                          field="proposals_deadline")
    # Rules p.19: the Ministry distributes the quota "в срок до 1 января" of the quota year.
    if calendar.closes_at(values["distribution_deadline"], values["distribution_deadline_kind"]) > \
            calendar.closes_at(dt.date(year, 1, 1), DeadlineKind.UNTIL):
        raise DomainError(_("The quota for %(year)s is distributed until 1 January %(year)s (Rules p.19): "
                            "the deadline cannot be later.") % {"year": year}, field="distribution_deadline")
    for field in ("notice_working_days", "publication_working_days"):
        if not 1 <= int(values[field]) <= 30:
            raise DomainError(_("Enter a number of working days from 1 to 30."), field=field)


MIN_YEAR, MAX_YEAR = 2024, 2100


def campaign_open(*, actor: User, year: int) -> Campaign:
    """Open the quota campaign for year `year` with the Rules' default dates (Campaign.for_year); the
    Ministry may edit them before filing opens. A Ministry analyst's act; one campaign per year."""
    ensure_ministry_analyst(actor)
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise DomainError(_("Enter a quota year from %(min)s to %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                          field="year")
    duplicate = DomainError(_("The campaign for %(year)s is already open.") % {"year": year}, field="year",
                            code="duplicate")
    if Campaign.objects.filter(year=year).exists():
        raise duplicate
    try:
        with transaction.atomic(), audited(actor, "campaign_open"):
            campaign = Campaign.for_year(int(year))
            campaign.save()
    except IntegrityError:  # two clicks at once: the unique year lets one through
        raise duplicate from None
    return campaign


def campaign_record_distribution(*, actor: User, campaign: Campaign, day: dt.date, reason: str = "") -> Campaign:
    """Record the day the Ministry distributed the quota among the regions (Rules p.19), from which
    the publication is due within the campaign's working days ("не позднее трех рабочих дней со дня
    ее распределения").

    The day cannot come before the akimats' submissions (p.12, p.16) and the central bodies'
    proposals (p.13) have closed: p.18 forms the quota from them. It cannot be in the future, nor on
    or after 1 January of the year after the quota year (the quota year is over). A day after the
    distribution deadline ("до 1 января", p.19) is recorded only with the reason for the delay: the
    Rules bind the Ministry, and the portal records, rather than stops, a late step."""
    ensure_ministry(actor)
    reason = (reason or "").strip()
    with transaction.atomic(), audited(actor, "campaign_record_distribution", reason=reason):
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.distributed_on is not None:
            raise DomainError(_("The distribution of %(campaign)s was recorded on %(day)s; a change is a "
                                "redistribution (Rules p.21).") % {"campaign": locked, "day": locked.distributed_on},
                              code="already")
        inputs_close = max(locked.closes_at("submission"), locked.closes_at("proposals"))
        if calendar.closes_at(day, DeadlineKind.UNTIL) < inputs_close:
            raise DomainError(_("The quota is formed from the akimats' submissions and the central bodies' "
                                "proposals (Rules p.18): it cannot be distributed before they close "
                                "(%(day)s).") % {"day": inputs_close.date()}, field="day")
        if day > calendar.local_today():
            raise DomainError(_("Record the distribution on the day it was made, not before."), field="day")
        if day >= dt.date(locked.year + 1, 1, 1):
            raise DomainError(_("The quota year %(year)s is over: its quota can no longer be distributed.")
                              % {"year": locked.year}, field="day")
        late = calendar.closes_at(day, DeadlineKind.UNTIL) >= locked.closes_at("distribution")
        if late and not reason:
            raise DomainError(_("The distribution is after its deadline (Rules p.19): state the reason for the "
                                "delay."), field="reason")
        locked.distributed_on = day
        locked.save(update_fields=["distributed_on"])
    return locked


def calendar_exception_add(*, actor: User, day: dt.date, is_working_day: bool, reason: str) -> CalendarException:
    """Record a government decree moving a day (an extra day off or a weekend day made working)."""
    ensure_ministry(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Name the decree that moves this day."), field="reason")
    if is_working_day and day.weekday() < 5:
        from .calendar import is_working_day as working

        if working(day):
            raise DomainError(_("%(day)s is already a working day.") % {"day": day.isoformat()}, field="day")
    with transaction.atomic(), audited(actor, "calendar_exception_add"):
        if CalendarException.objects.filter(day=day).exists():
            raise DomainError(_("There is already an exception for %(day)s; remove it first.")
                              % {"day": day.isoformat()}, field="day")
        return CalendarException.objects.create(day=day, is_working_day=is_working_day, reason=reason)


def calendar_exception_remove(*, actor: User, exception: CalendarException) -> None:
    ensure_ministry(actor)
    with transaction.atomic(), audited(actor, "calendar_exception_remove"):
        CalendarException.objects.filter(pk=exception.pk).delete()


def country_set_treaty(*, actor: User, country: Country, has_ratified_treaty: bool, treaty_reference: str,
                       treaty_ratified_on: dt.date | None = None) -> Country:
    """Record (or clear) a country of origin's treaty on labour migration ratified by Kazakhstan
    (Rules p.4(2), p.17): its reference and the date of its ratification, both required when flagging.
    An EAEU member is refused: its citizens work in Kazakhstan without permits under the EAEU Treaty,
    outside the quota, so no quota by country of origin exists for it."""
    ensure_ministry(actor)
    treaty_reference = (treaty_reference or "").strip()
    if has_ratified_treaty:
        if country.is_eaeu_member:
            raise DomainError(_("%(country)s is a member of the EAEU: its citizens work in Kazakhstan without "
                                "permits under the EAEU Treaty and are exempt from the quota, so it has no quota "
                                "by country of origin.") % {"country": country}, field="has_ratified_treaty")
        if not treaty_reference:
            raise DomainError(_("Name the ratified treaty and the law that ratified it (Rules p.17)."),
                              field="treaty_reference")
        if treaty_ratified_on is None:
            raise DomainError(_("Enter the date the treaty was ratified (Rules p.17)."), field="treaty_ratified_on")
        if treaty_ratified_on > calendar.local_today():
            raise DomainError(_("The ratification date cannot be in the future."), field="treaty_ratified_on")
    else:
        treaty_ratified_on = None
    with transaction.atomic(), audited(actor, "country_set_treaty"):
        locked = Country.objects.select_for_update().get(pk=country.pk)
        locked.has_ratified_treaty = has_ratified_treaty
        locked.treaty_reference = treaty_reference
        locked.treaty_ratified_on = treaty_ratified_on
        locked.save(update_fields=["has_ratified_treaty", "treaty_reference", "treaty_ratified_on"])
    return locked
