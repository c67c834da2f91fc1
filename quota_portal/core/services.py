"""Ministry-maintained reference data: campaign deadlines, the working-day calendar, treaty flags.

Each service owns its transaction, records who acted (pghistory context) and refuses bad input with
a DomainError that names the field and the rule.
"""
from __future__ import annotations

import datetime as dt
from itertools import pairwise

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audited
from .errors import DomainError
from .models import DEADLINES, CalendarException, Campaign, Country, DeadlineKind, User
from .permissions import ensure_ministry

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
    if values["filing_opens"] >= values["filing_deadline"]:
        raise DomainError(_("Filing must open before the filing deadline (Rules p.6)."), field="filing_opens")
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
    if values["distribution_deadline"] > dt.date(year, 12, 31):
        raise DomainError(_("The quota for %(year)s must be distributed within %(year)s at the latest (Rules p.19).")
                          % {"year": year}, field="distribution_deadline")
    for field in ("notice_working_days", "publication_working_days"):
        if not 1 <= int(values[field]) <= 30:
            raise DomainError(_("Enter a number of working days from 1 to 30."), field=field)


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


def country_set_treaty(*, actor: User, country: Country, has_ratified_treaty: bool, treaty_reference: str) -> Country:
    """Flag (or unflag) a country of origin as having a ratified labour-migration treaty (Rules p.4, p.17)."""
    ensure_ministry(actor)
    treaty_reference = (treaty_reference or "").strip()
    if has_ratified_treaty and not treaty_reference:
        raise DomainError(_("Name the ratified treaty and the law that ratified it (Rules p.17)."),
                          field="treaty_reference")
    with transaction.atomic(), audited(actor, "country_set_treaty"):
        locked = Country.objects.select_for_update().get(pk=country.pk)
        locked.has_ratified_treaty = has_ratified_treaty
        locked.treaty_reference = treaty_reference
        locked.save(update_fields=["has_ratified_treaty", "treaty_reference"])
    return locked
