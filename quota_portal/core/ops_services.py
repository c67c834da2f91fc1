"""The outage protocol and the outbox's manual retry (the Ministry's operations page).

An outage is a window in which the portal could not be used: the Ministry records one, or the
portal does when its health probe fails for longer than QP_OUTAGE_MINUTES (health.probe). A
deadline that closes during an outage or within 24 hours after its end may be extended by the
Ministry, in one action, by a number of working days with the reason: the campaign's date moves
(every service reads Campaign.closes_at, so the server honours it), a DeadlineExtension keeps the
old date, and everyone the deadline concerns is told.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import calendar, registry
from .audit import audited
from .errors import DomainError
from .models import DEADLINES, MINISTRY_ROLES, Campaign, DeadlineExtension, Outage, Outbox, OutboxRetry, User
from .notifications import enqueue_on_commit, notify
from .permissions import ensure_ministry
from .services import CAMPAIGN_FIELDS, _check_order

# Rules are silent on outages; the portal's protocol: a deadline closing while the portal was down
# or within this long after it came back may be extended.
AFTER_OUTAGE = dt.timedelta(hours=24)
MAX_EXTENSION_DAYS = 30
DEADLINE_LABELS = {name: label for name, _point, _kind, label in DEADLINES}


def outage_record(*, actor: User, started_at: dt.datetime, ended_at: dt.datetime | None, note: str) -> Outage:
    """Record an outage window (the Ministry's own observation or a provider's report)."""
    ensure_ministry(actor)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what was unavailable and how it is known."), field="note")
    if ended_at is not None and ended_at <= started_at:
        raise DomainError(_("The outage must end after it starts."), field="ended_at")
    if started_at > timezone.now():
        raise DomainError(_("An outage is recorded once it has happened: the start cannot be in the future."),
                          field="started_at")
    if ended_at is not None and ended_at > timezone.now():
        raise DomainError(_("The end cannot be in the future; leave it empty while the outage lasts."),
                          field="ended_at")
    with transaction.atomic(), audited(actor, "outage_record"):
        return Outage.objects.create(started_at=started_at, ended_at=ended_at, note=note[:500],
                                     source=Outage.Source.MINISTRY, recorded_by=actor)


def affected_deadlines(outage: Outage, campaigns=None) -> list[dict]:
    """The deadlines that closed during the outage or within 24 hours after its end: each as
    {"key": "<year>:<name>", "campaign", "name", "label", "closes_at", "extension"}."""
    if outage.ended_at is None:
        return []
    until = outage.ended_at + AFTER_OUTAGE
    rows = []
    for campaign in campaigns if campaigns is not None else Campaign.objects.all():
        for name, *_rest in DEADLINES:
            closes = campaign.closes_at(name)
            if outage.started_at <= closes <= until:
                rows.append({"key": f"{campaign.year}:{name}", "campaign": campaign, "name": name,
                             "label": DEADLINE_LABELS[name], "closes_at": closes,
                             "extension": campaign.extension_of(name)})
    return rows


def deadline_extend(*, actor: User, outage: Outage, deadlines: list[str], working_days: int,
                    reason: str) -> list[DeadlineExtension]:
    """Extend the chosen deadlines ("<year>:<name>", among those the outage affected) by
    `working_days` working days, with the reason; tell everyone each deadline concerns."""
    ensure_ministry(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("State the reason for the extension: it is shown with the deadline."), field="reason")
    if not 1 <= int(working_days) <= MAX_EXTENSION_DAYS:
        raise DomainError(_("Enter a number of working days from 1 to %(max)s.") % {"max": MAX_EXTENSION_DAYS},
                          field="working_days")
    if not deadlines:
        raise DomainError(_("Choose at least one deadline to extend."), field="deadlines")
    extensions = []
    with transaction.atomic(), audited(actor, "deadline_extend", reason=reason):
        locked_outage = Outage.objects.select_for_update().get(pk=outage.pk)
        wanted = set(deadlines)
        by_year: dict[int, list[str]] = {}
        for key in sorted(wanted):
            year, _sep, name = key.partition(":")
            by_year.setdefault(int(year) if year.isdigit() else 0, []).append(name)
        for year, names in by_year.items():
            campaign = Campaign.objects.select_for_update().filter(year=year).first()
            affected = {row["name"] for row in affected_deadlines(locked_outage, [campaign])} if campaign else set()
            if not set(names) <= affected:
                raise DomainError(_("Only a deadline that closed during the outage or within 24 hours after its "
                                    "end can be extended."), field="deadlines")
            values = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS}
            moved = []
            for name in names:
                old = getattr(campaign, f"{name}_deadline")
                new = calendar.add_working_days(old, int(working_days))
                values[f"{name}_deadline"] = new
                moved.append((name, old, new))
            try:
                _check_order(campaign.year, values)
            except DomainError as exc:
                raise DomainError(_("Extended this way, the deadlines would break the order of the cycle: "
                                    "%(why)s Extend the following deadline too, or by fewer days.")
                                  % {"why": exc.message}, field="working_days") from None
            for name, _old, new in moved:
                setattr(campaign, f"{name}_deadline", new)
            campaign.save(update_fields=[f"{name}_deadline" for name, _old, _new in moved])
            for name, _old, _new in moved:
                # What the sweeps closed at the old date opens again (filing: drafts and submissions).
                registry.deadline_extended(name, campaign)
            for name, old, new in moved:
                extension = DeadlineExtension.objects.create(
                    campaign=campaign, deadline=name, old_date=old, new_date=new, working_days=int(working_days),
                    reason=reason[:1000], outage=locked_outage, extended_by=actor)
                extensions.append(extension)
                _tell(extension, campaign)
    return extensions


def _tell(extension: DeadlineExtension, campaign: Campaign) -> None:
    users = registry.deadline_audience(extension.deadline, campaign)
    ministry = User.objects.filter(memberships__role__in=MINISTRY_ROLES, is_active=True).distinct().order_by("pk")
    seen = {u.pk for u in users}
    users += [u for u in ministry if u.pk not in seen]

    def fmt(day):
        return formats.date_format(day, "j E Y")

    notify(
        event_key=f"core.deadline_extension.{extension.pk}", recipients=users,
        subject=lambda u: _("%(campaign)s: a deadline is extended after an outage of the portal")
        % {"campaign": campaign},
        body=lambda u: ngettext("“%(deadline)s” (%(campaign)s) is extended by %(n)s working day: from %(old)s to "
                                "%(new)s. Reason: %(reason)s",
                                "“%(deadline)s” (%(campaign)s) is extended by %(n)s working days: from %(old)s to "
                                "%(new)s. Reason: %(reason)s", extension.working_days)
        % {"deadline": DEADLINE_LABELS[extension.deadline], "campaign": campaign, "n": extension.working_days,
           "old": fmt(extension.old_date), "new": fmt(extension.new_date), "reason": extension.reason},
        url="/dashboard/")


def outbox_retry_failed(*, actor: User, rows: list[int] | None = None) -> int:
    """Put failed mails back in the queue (all, or the given rows) and deliver them; recorded."""
    ensure_ministry(actor)
    with transaction.atomic(), audited(actor, "outbox_retry_failed"):
        failed = Outbox.objects.select_for_update().filter(channel=Outbox.Channel.EMAIL, status=Outbox.Status.FAILED)
        if rows is not None:
            failed = failed.filter(pk__in=rows)
        ids = list(failed.order_by("pk").values_list("pk", flat=True))
        if not ids:
            raise DomainError(_("There is no failed mail to retry."), code="nothing")
        # A fresh count of attempts: the delivery gives up again after the same number of failures.
        Outbox.objects.filter(pk__in=ids).update(status=Outbox.Status.PENDING, attempts=0, claimed_at=None)
        OutboxRetry.objects.create(retried_by=actor, rows=ids)
        from .tasks import deliver_outbox

        enqueue_on_commit(deliver_outbox)
    return len(ids)
