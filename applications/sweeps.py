"""Deadline work for applications (Rules p.6), run by the beat's `core.deadline_sweep`.

Idempotent: each application is claimed by a conditional status update (workflow.transition with
the revision it was read at); a second run, or a concurrent one, finds nothing left to do. The
services refuse late actions on their own, so a sweep that does not run never lets one through.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from quota_portal.core import texts
from quota_portal.core.audit import audited
from quota_portal.core.deadlines import register_sweep
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign
from quota_portal.core.overdue import Outstanding, watch_deadline, watched_campaigns
from quota_portal.core.reminders import remind, reminder_threshold
from quota_portal.core.scoping import unscoped
from quota_portal.core.selectors import RecipientPurpose, employer_filers, organization_recipients

from .models import Application
from .workflow import transition

log = logging.getLogger(__name__)
S = Application.Status
# The opening broadcast goes out in the first days of filing only.
OPENING_BROADCAST_DAYS = 7


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


@register_sweep("applications.filing_overdue", order=110)
def flag_filing_overdue() -> int:
    """After filing closes (Rules p.6): each application left unsubmitted is flagged once; its
    organization and the Ministry are told (core/overdue.py). Runs after `filing_closed`."""
    flagged = 0
    for campaign in watched_campaigns():
        if campaign.is_open("filing"):
            continue
        flagged += watch_deadline(campaign=campaign, deadline="filing",
                                  outstanding=lambda campaign=campaign: _unfiled(campaign))
    return flagged


def _unfiled(campaign: Campaign) -> list[Outstanding]:
    late = (Application.objects.filter(campaign=campaign, status__in=[S.DRAFT, S.NOT_SUBMITTED])
            .select_related("organization", "region").order_by("pk"))
    return [Outstanding(
        object_key=f"application:{app.pk}", region_id=app.region_id, office_key=f"org:{app.organization_id}",
        label=texts.text(gettext_noop("Application of %(org)s for %(region)s not submitted (p.6)"),
                         org=app.organization.name, region=texts.names(app.region)),
        url=f"/applications/{app.pk}/") for app in late]


@register_sweep("applications.filing_reminder")
def remind_drafts() -> int:
    """30, 7 and 1 days before filing closes (settings.FILING_REMINDER_DAYS), remind the
    organizations with drafts: once per draft and N (a sweep that missed one sends the next)."""
    now = timezone.now()
    sent = 0
    for campaign in Campaign.objects.all():
        closes = campaign.closes_at("filing")
        days = reminder_threshold(closes, now, settings.FILING_REMINDER_DAYS)
        if days is None or not campaign.filing_open:
            continue
        when = timezone.localtime(closes)
        for app in Application.objects.filter(campaign=campaign, status=S.DRAFT).select_related("region"):
            users = organization_recipients(app.organization_id, purpose=RecipientPurpose.FILING)
            with transaction.atomic():
                sent += remind(
                    kind="applications.drafts", event_key=f"applications.reminder.{app.pk}.d{days}",
                    recipients=users,
                    subject=lambda u, campaign=campaign: _(
                        "Reminder: your application for the %(year)s quota is not submitted") % {"year": campaign.year},
                    body=lambda u, app=app, when=when: _(
                        "Your application for %(region)s is still a draft. Filing closes at %(when)s (Asia/Almaty "
                        "time), Rules p.6; after that it cannot be submitted.")
                    % {"region": app.region, "when": date_format(when, "SHORT_DATETIME_FORMAT")},
                    url=f"/applications/{app.pk}/")
    return sent


@register_sweep("applications.not_yet_filed")
def remind_last_years_filers() -> int:
    """30, 7 and 1 days before filing closes: organizations that filed for last year's quota and have
    not started this year's are reminded, once per organization and N."""
    now = timezone.now()
    sent = 0
    for campaign in Campaign.objects.all():
        closes = campaign.closes_at("filing")
        days = reminder_threshold(closes, now, settings.FILING_REMINDER_DAYS)
        if days is None or not campaign.filing_open:
            continue
        this_year = Application.objects.filter(campaign=campaign).values("organization_id")
        last_year = (Application.objects.filter(campaign__year=campaign.year - 1, submitted_at__isnull=False)
                     .exclude(organization_id__in=this_year)
                     .values_list("organization_id", flat=True).distinct().order_by("organization_id"))
        when = date_format(timezone.localtime(closes), "SHORT_DATETIME_FORMAT")
        for organization_id in last_year:
            with transaction.atomic():
                sent += remind(
                    kind="applications.not_yet_filed",
                    event_key=f"applications.not_yet_filed.{campaign.year}.{organization_id}.d{days}",
                    recipients=organization_recipients(organization_id, purpose=RecipientPurpose.FILING),
                    subject=lambda u, campaign=campaign: _(
                        "You filed for the %(year)s quota: the application for %(next)s is not started yet") % {
                        "year": campaign.year - 1, "next": campaign.year},
                    body=lambda u, campaign=campaign, when=when: _(
                        "Applications for the %(year)s quota are accepted until %(when)s (Asia/Almaty time), "
                        "Rules p.6. You can copy last year's application and update it.")
                    % {"year": campaign.year, "when": when},
                    url="/applications/")
    return sent


@register_sweep("applications.campaign_opened")
def broadcast_campaign_opened() -> int:
    """When filing opens, every employer who can file is told, once per campaign (within the first
    OPENING_BROADCAST_DAYS days: a portal started mid-filing does not announce an old opening)."""
    now = timezone.now()
    sent = 0
    for campaign in Campaign.objects.all():
        opened = campaign.filing_opens_at
        if not (campaign.filing_open and now - opened <= dt.timedelta(days=OPENING_BROADCAST_DAYS)):
            continue
        when = date_format(timezone.localtime(campaign.closes_at("filing")), "SHORT_DATETIME_FORMAT")
        with transaction.atomic():
            sent += remind(
                kind="applications.campaign_opened", event_key=f"applications.campaign_opened.{campaign.year}",
                recipients=employer_filers(),
                subject=lambda u, campaign=campaign: _("Applications for the %(year)s quota are open") % {
                    "year": campaign.year},
                body=lambda u, campaign=campaign, when=when: _(
                    "The portal accepts applications for the %(year)s quota for foreign labour until %(when)s "
                    "(Asia/Almaty time), Rules p.6.") % {"year": campaign.year, "when": when},
                url="/applications/")
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
