"""Deadline work for applications (Rules p.6), run by the beat's `core.deadline_sweep`.

Idempotent: each application is claimed by a conditional status update (workflow.transition with
the revision it was read at); a second run, or a concurrent one, finds nothing left to do. The
services refuse late actions on their own, so a sweep that does not run never lets one through.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from quota_portal.core.audit import audited
from quota_portal.core.deadlines import register_sweep
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign
from quota_portal.core.notifications import notify
from quota_portal.core.scoping import unscoped
from quota_portal.core.selectors import RecipientPurpose, organization_recipients

from .models import Application
from .workflow import transition

log = logging.getLogger(__name__)
S = Application.Status
REMINDER_DAYS = 5


@register_sweep("applications.filing_closed")
def close_filing() -> int:
    """After the filing deadline: submitted -> under_review, draft -> not_submitted."""
    now = timezone.now()
    closed = [c.pk for c in Campaign.objects.all() if not c.is_open("filing", now)]
    moved = 0
    due = Application.objects.filter(campaign_id__in=closed, status__in=[S.SUBMITTED, S.DRAFT])
    for app in due.select_related("campaign"):
        to = S.UNDER_REVIEW if app.status == S.SUBMITTED else S.NOT_SUBMITTED
        try:
            with transaction.atomic(), audited(None, "applications_filing_closed"):
                transition(app, to, expected_revision=app.revision,
                           note_key=gettext_noop("Filing deadline passed (Rules p.6)"))
            moved += 1
        except DomainError:
            continue  # someone else moved it first
        except Exception:  # noqa: BLE001 - one failure must not stop the rest
            log.exception("closing application %s failed", app.pk)
    return moved


@register_sweep("applications.filing_reminder")
def remind_drafts() -> int:
    """A few days before the filing deadline, remind organizations with drafts (once per draft)."""
    now = timezone.now()
    soon = [c for c in Campaign.objects.all()
            if c.is_open("filing", now) and c.closes_at("filing") - now <= dt.timedelta(days=REMINDER_DAYS)]
    sent = 0
    for campaign in soon:
        closes = timezone.localtime(campaign.closes_at("filing"))
        for app in Application.objects.filter(campaign=campaign, status=S.DRAFT).select_related("region"):
            users = organization_recipients(app.organization_id, purpose=RecipientPurpose.FILING)
            with transaction.atomic():
                sent += notify(
                    event_key=f"applications.reminder.{app.pk}", recipients=users,
                    subject=lambda u, campaign=campaign: _(
                        "Reminder: your application for the %(year)s quota is not submitted") % {"year": campaign.year},
                    body=lambda u, app=app, closes=closes: _(
                        "Your application for %(region)s is still a draft. Filing closes at %(when)s (Asia/Almaty "
                        "time), Rules p.6; after that it cannot be submitted.")
                    % {"region": app.region, "when": date_format(closes, "SHORT_DATETIME_FORMAT")},
                    url=f"/applications/{app.pk}/")
    return sent


def reopen_after_extension(campaign: Campaign) -> int:
    """The Ministry moved the filing deadline later after an outage (core/ops_services.deadline_extend):
    while filing is open again, what `close_filing` moved at the old deadline moves back, a draft
    that was not submitted to draft, a submitted application under review to submitted (Rules p.6:
    until the deadline the employer may amend or withdraw it). Runs in the Ministry's transaction."""
    if not campaign.is_open("filing"):
        return 0
    back = {S.NOT_SUBMITTED: S.DRAFT, S.UNDER_REVIEW: S.SUBMITTED}
    moved = 0
    # Unscoped: the Ministry extends, and its scope does not show employers' unfiled drafts.
    with unscoped("the Ministry's extension of filing reopens every organization's closed drafts"):
        for app in Application.objects.filter(campaign=campaign, status__in=list(back)).select_for_update():
            transition(app, back[app.status], expected_revision=app.revision,
                       note_key=gettext_noop("Filing deadline extended after an outage of the portal"))
            moved += 1
    return moved
