"""What is overdue at each deadline of the cycle: flagged once, the office and the Ministry told once.

Each app watches its own deadlines (core knows no stage): its sweep lists what is still
outstanding for a campaign's deadline, as `Outstanding` rows naming the object and the office
responsible for it, and hands them to `watch_deadline` (or, for deadlines counted per object such
as the p.11 notices, to `flag_overdue` with each row's own due moment).

- Before the deadline, within settings.AUTHORITY_REMINDER_DAYS days, the offices with something
  outstanding get a reminder (a mutable reminder type, once per user, deadline and N).
- Once it has passed, every outstanding object is flagged: one OverdueItem per (campaign,
  deadline, object), claimed by its unique constraint, so a second run or a concurrent one flags
  nothing more. The rows flagged by one run are told, in the same transaction, to the office
  responsible (one notice per office) and to the Ministry (one digest), with an event key built
  from the first new flag: once per event and recipient, whatever happens after.
- A flagged object that is no longer outstanding (done late) is marked resolved; the flag stays.

Overdue alerts are not reminders: nobody can mute them.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import texts
from .models import DEADLINES, Campaign, OverdueItem
from .notifications import notify
from .reminders import remind, reminder_threshold
from .selectors import office_recipients

# The deadlines counted from an event rather than a campaign date.
EVENT_DEADLINES = {
    "notice": gettext_lazy("Written notices of decisions sent (p.11)"),
    "publication": gettext_lazy("The distribution published (p.19)"),
}


def deadline_label(name: str) -> str:
    labels = {field: label for field, _point, _kind, label in DEADLINES}
    name = name.split(".")[0]  # "notice.<due day>": one occasion of a per-object deadline
    return str(labels.get(name) or EVENT_DEADLINES.get(name) or name)


@dataclass(frozen=True)
class Outstanding:
    """One object whose deadline work is not done, and who must do it."""

    object_key: str  # "<kind>:<pk>"
    label: dict  # texts.text(...): rendered in each reader's language
    office_key: str  # selectors.office_recipients: "org:5", "akimat:3", "secretary:3", "authority:7", "ministry"
    region_id: int | None = None
    due_at: dt.datetime | None = None  # its own due moment, when not the campaign's deadline
    url: str = ""


def watch_deadline(*, campaign: Campaign, deadline: str, outstanding: Callable[[], list[Outstanding]],
                   reminder_kind: str = "", closes_at: dt.datetime | None = None) -> int:
    """Remind before the deadline, flag after it; return how many reminders or flags were new."""
    closes_at = closes_at or campaign.closes_at(deadline)
    now = timezone.now()
    if now >= closes_at:
        return flag_overdue(campaign=campaign, deadline=deadline, due_at=closes_at, items=outstanding())
    if not reminder_kind:
        return 0
    days = reminder_threshold(closes_at, now, settings.AUTHORITY_REMINDER_DAYS)
    if days is None:
        return 0
    return remind_offices(campaign=campaign, deadline=deadline, closes_at=closes_at, days=days,
                          kind=reminder_kind, items=outstanding())


def remind_offices(*, campaign: Campaign, deadline: str, closes_at: dt.datetime, days: int, kind: str,
                   items: Iterable[Outstanding]) -> int:
    """Each office with something outstanding: one reminder per user, deadline and `days`."""
    by_office: dict[str, list[Outstanding]] = defaultdict(list)
    for item in items:
        by_office[item.office_key].append(item)
    sent = 0
    when = date_format(timezone.localtime(closes_at), "SHORT_DATETIME_FORMAT")
    with transaction.atomic():
        for office_key, rows in sorted(by_office.items()):
            sent += remind(
                kind=kind, event_key=f"reminder.{kind}.{campaign.year}.{deadline}.d{days}",
                recipients=office_recipients(office_key),
                subject=lambda u: _("Reminder: %(deadline)s, quota %(year)s, closes %(when)s") % {
                    "deadline": deadline_label(deadline), "year": campaign.year, "when": when},
                body=lambda u, rows=rows: "\n".join([
                    _("Closes at %(when)s (Asia/Almaty time). Still to do (%(count)s):") % {
                        "when": when, "count": len(rows)},
                    *(f"- {texts.render(r.label['msgid'], r.label['params'])}" for r in rows)]),
                url=rows[0].url or reverse("dashboard"))
    return sent


def flag_overdue(*, campaign: Campaign, deadline: str, items: Iterable[Outstanding],
                 due_at: dt.datetime | None = None) -> int:
    """Flag each outstanding object once (items past their due moment only), tell the offices and
    the Ministry of the new flags once, resolve flags whose object is done; return new flags."""
    now = timezone.now()
    items = [i for i in items if (i.due_at or due_at) and (i.due_at or due_at) <= now]
    with transaction.atomic():
        flagged = OverdueItem.objects.filter(campaign=campaign, deadline=deadline)
        current = {i.object_key for i in items}
        flagged.filter(resolved_at__isnull=True).exclude(object_key__in=current).update(resolved_at=now)
        known = set(flagged.values_list("object_key", flat=True))
        new: list[tuple[OverdueItem, Outstanding]] = []
        for item in items:
            if item.object_key in known:
                continue
            try:
                with transaction.atomic():
                    row = OverdueItem.objects.create(
                        campaign=campaign, deadline=deadline, object_key=item.object_key,
                        region_id=item.region_id, label=item.label, url=item.url,
                        due_at=item.due_at or due_at, flagged_at=now)
            except IntegrityError:
                continue  # flagged by a concurrent run
            new.append((row, item))
        if new:
            _tell(campaign, deadline, new)
    return len(new)


def _lines(rows) -> list[str]:
    return [_("- %(what)s (due %(due)s)") % {
        "what": texts.render(row.label["msgid"], row.label["params"]),
        "due": date_format(timezone.localtime(row.due_at), "SHORT_DATETIME_FORMAT")} for row in rows]


def _tell(campaign: Campaign, deadline: str, new: list[tuple[OverdueItem, Outstanding]]) -> None:
    first = min(row.pk for row, _item in new)
    by_office: dict[str, list[tuple[OverdueItem, Outstanding]]] = defaultdict(list)
    for row, item in new:
        by_office[item.office_key].append((row, item))
    for office_key, pairs in sorted(by_office.items()):
        if office_key == "ministry":
            continue  # the Ministry's digest below covers its own
        rows = [row for row, _item in pairs]
        notify(event_key=f"overdue.{campaign.year}.{deadline}.{office_key}.{first}",
               recipients=office_recipients(office_key),
               subject=lambda u: _("Overdue: %(deadline)s, quota %(year)s") % {
                   "deadline": deadline_label(deadline), "year": campaign.year},
               body=lambda u, rows=rows: "\n".join([
                   _("The deadline has passed and this is not done (%(count)s):") % {"count": len(rows)},
                   *_lines(rows)]),
               url=pairs[0][1].url or reverse("dashboard"))
    rows = sorted((row for row, _item in new), key=lambda r: (r.region_id or 0, r.pk))
    notify(event_key=f"overdue.{campaign.year}.{deadline}.ministry.{first}",
           recipients=office_recipients("ministry"),
           subject=lambda u: _("Overdue: %(deadline)s, quota %(year)s") % {
               "deadline": deadline_label(deadline), "year": campaign.year},
           body=lambda u: "\n".join([
               _("The deadline has passed and this is not done (%(count)s):") % {"count": len(rows)},
               *_lines(rows)]),
           url=reverse("ministry_overdue"))


def watched_campaigns() -> list[Campaign]:
    """The campaigns whose deadlines are still watched: open, not yet in their quota year's end."""
    return [c for c in Campaign.objects.order_by("year") if c.phase not in ("upcoming", "closed")]


# --- what is overdue, for the Ministry (core/overdue.py flags it) ---------------------------------

def overdue_by_region(*, today=None) -> list[dict]:
    """Unresolved overdue items grouped by region (national ones, with no region, first), each
    item with its age in days since it was due; the regions by their oldest item. Scoped: call it
    under the reader's scope."""
    today = today or timezone.localdate()
    groups: dict = {}
    # A closed campaign's flags are history: the list shows the campaigns still being watched.
    items = (OverdueItem.objects.filter(resolved_at__isnull=True, campaign__in=[c.pk for c in watched_campaigns()])
             .select_related("region", "campaign").order_by("due_at", "pk"))
    for item in items:
        group = groups.setdefault(item.region_id, {"region": item.region, "items": []})
        group["items"].append({
            "item": item, "what": texts.render(item.label["msgid"], item.label["params"]),
            "deadline": deadline_label(item.deadline),
            "age": max(0, (today - timezone.localdate(item.due_at)).days)})
    rows = []
    for group in groups.values():
        group["count"] = len(group["items"])
        group["oldest"] = max(i["age"] for i in group["items"])
        rows.append(group)
    rows.sort(key=lambda g: (g["region"] is not None, -g["oldest"], str(g["region"] or "")))
    return rows
