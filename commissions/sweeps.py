"""Deadline sweeps of the review (Rules p.11): idempotent, each notice claimed once.

The notice is sent at the protocol's sign-off; a sweep only re-sends what a crash between the
signature and the delivery may have left unsent (signed decision, notice not sent)."""
from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext_noop

from applications.models import Application
from quota_portal.core import calendar, texts
from quota_portal.core.deadlines import register_sweep
from quota_portal.core.models import DeadlineKind
from quota_portal.core.overdue import Outstanding, flag_overdue, remind_offices, watch_deadline, watched_campaigns
from quota_portal.core.reminders import reminder_threshold

log = logging.getLogger(__name__)
S = Application.Status


@register_sweep("commissions.unsent_notices")
def send_unsent_notices() -> int:
    from .models import Notice
    from .services import _deliver_notice

    sent = 0
    for notice in Notice.objects.filter(sent_at__isnull=True, decision__signed_at__isnull=False).select_related(
            "decision", "application", "organization", "region"):
        try:
            # Completes the delivery the protocol's second signature ordered (Rules p.11); the
            # secretary who recorded the decision stays the sender of record.
            _deliver_notice(notice, actor=notice.decision.recorded_by)
            sent += 1
        except Exception:  # noqa: BLE001 - one failure must not stop the rest
            log.exception("notice %s failed", notice.pk)
    return sent


# --- what is overdue at the review's deadlines (core/overdue.py) --------------------------------

def _application_label(msgid: str, app) -> dict:
    return texts.text(msgid, app=str(app), org=app.organization.name, region=texts.names(app.region))


def _ungeneralized(campaign) -> list[Outstanding]:
    """Rules p.7: applications under review that the akimat has not marked generalized."""
    apps = (Application.objects.filter(campaign=campaign, status__in=[S.SUBMITTED, S.UNDER_REVIEW])
            .exclude(generalization__generalized_at__isnull=False)
            .select_related("organization", "region").order_by("pk"))
    return [Outstanding(
        object_key=f"application:{app.pk}", region_id=app.region_id, office_key=f"akimat:{app.region_id}",
        label=_application_label(gettext_noop("Application %(app)s of %(org)s (%(region)s) not generalized "
                                              "(p.7)"), app),
        url=reverse("commissions:review", args=[app.pk])) for app in apps]


def _not_before_commission(campaign) -> list[Outstanding]:
    """Rules p.8: applications still with the akimat, not put before the Commission."""
    apps = (Application.objects.filter(campaign=campaign, status__in=[S.SUBMITTED, S.UNDER_REVIEW])
            .select_related("organization", "region").order_by("pk"))
    return [Outstanding(
        object_key=f"application:{app.pk}", region_id=app.region_id, office_key=f"akimat:{app.region_id}",
        label=_application_label(gettext_noop("Application %(app)s of %(org)s (%(region)s) not put before "
                                              "the Commission (p.8)"), app),
        url=reverse("commissions:review", args=[app.pk])) for app in apps]


@register_sweep("commissions.generalization_overdue", order=210)
def watch_generalization() -> int:
    """Rules p.7 (10 Oct): remind the akimat's officers before, flag what is not generalized after."""
    return sum(watch_deadline(campaign=c, deadline="generalization", reminder_kind="commissions.akimat",
                              outstanding=lambda c=c: _ungeneralized(c))
               for c in watched_campaigns() if not c.is_open("filing"))


@register_sweep("commissions.commission_overdue", order=211)
def watch_commission() -> int:
    """Rules p.8 (15 Oct): remind before, flag what is not before the Commission after."""
    return sum(watch_deadline(campaign=c, deadline="commission", reminder_kind="commissions.akimat",
                              outstanding=lambda c=c: _not_before_commission(c))
               for c in watched_campaigns() if not c.is_open("filing"))


@register_sweep("commissions.notices_overdue", order=212)
def watch_notices() -> int:
    """Rules p.11: a notice not sent within N working days of its decision (Notice.due, counted by
    core/calendar.py) is flagged; the Commission's secretary and the Ministry are told. The day
    before its due day the secretary is reminded of it."""
    from django.conf import settings
    from django.utils import timezone

    from .models import Notice

    now = timezone.now()
    flagged = 0
    for campaign in watched_campaigns():
        unsent = list(Notice.objects.filter(application__campaign=campaign, sent_at__isnull=True)
                      .select_related("application__organization", "application__region").order_by("pk"))
        items, soon = [], {}
        for notice in unsent:
            due_at = calendar.closes_at(notice.due, DeadlineKind.NO_LATER_THAN)
            item = Outstanding(
                object_key=f"notice:{notice.pk}", region_id=notice.region_id,
                office_key=f"secretary:{notice.region_id}", due_at=due_at,
                label=_application_label(gettext_noop("Written notice on application %(app)s of %(org)s "
                                                      "(%(region)s) not sent (p.11)"), notice.application),
                url=reverse("commissions:notices"))
            items.append(item)
            days = reminder_threshold(due_at, now, settings.AUTHORITY_REMINDER_DAYS)
            if days is not None:
                soon.setdefault((notice.due, due_at, days), []).append(item)
        flagged += flag_overdue(campaign=campaign, deadline="notice", items=items)
        for (due, due_at, days), rows in sorted(soon.items()):
            flagged += remind_offices(campaign=campaign, deadline=f"notice.{due.isoformat()}",
                                      closes_at=due_at, days=days, kind="commissions.secretary", items=rows)
    return flagged
