"""The application's state machine: the one place where `Application.status` changes.

    draft --submit--> submitted --(filing deadline passes)--> under_review --generalize--> at_commission
      ^                 |                                                                     |
      +---withdraw------+  (only before the filing deadline)               protocol signed by both
                                                                                              v
    draft --(filing deadline passes)--> not_submitted        decided (approved|partly|rejected) --notice--> notified

No review status is reached while the campaign's filing is open (Rules p.6: the employer may
amend or withdraw until the deadline). An application becomes "decided", with its outcome, only
when the Commission's protocol has both signatures: a recorded, unsigned decision can still change.

Services of this app and of commissions call `transition()`; it checks the edge, bumps the
revision (optimistic lock), records the timeline row, and runs inside the caller's transaction
and audit context.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quota_portal.core.errors import ConcurrentUpdate, DomainError

from .models import Application, StatusChange

S = Application.Status

ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.DRAFT),
    (S.SUBMITTED, S.UNDER_REVIEW),
    (S.DRAFT, S.NOT_SUBMITTED),
    (S.UNDER_REVIEW, S.AT_COMMISSION),
    (S.AT_COMMISSION, S.UNDER_REVIEW),
    (S.AT_COMMISSION, S.DECIDED),
    (S.DECIDED, S.DECIDED),  # a correction of a decision
    (S.DECIDED, S.NOTIFIED),
    (S.NOTIFIED, S.DECIDED),  # a corrected decision needs a new notice
    # The Ministry extended the filing deadline after an outage of the portal: what the filing
    # sweep closed at the old date is open again (core/ops_services.deadline_extend).
    (S.NOT_SUBMITTED, S.DRAFT),
    (S.UNDER_REVIEW, S.SUBMITTED),
}

# The akimat's review (p.7-11) of a campaign's applications. Rules p.6: until the filing deadline
# the employer may amend or withdraw its application, so none of these is reached before it.
REVIEW_STATUSES = {S.UNDER_REVIEW, S.AT_COMMISSION, S.DECIDED, S.NOTIFIED}


def ensure_filing_closed(campaign) -> None:
    """Refuse any step of the akimat's review while the campaign's filing is open (Rules p.6)."""
    if campaign.is_open("filing"):
        closes = timezone.localtime(campaign.closes_at("filing"))
        raise DomainError(
            _("Filing is open until %(when)s (Asia/Almaty time): until then the employer may amend or "
              "withdraw the application (Rules p.6). The akimat's review starts when filing closes.")
            % {"when": date_format(closes, "DATETIME_FORMAT")},
            code="filing_open",
        )


def transition(application: Application, to: str, *, actor=None, note: str = "", note_key: str = "",
               note_params: dict | None = None, expected_revision: int | None = None,
               outcome: str | None = None, **fields) -> Application:
    """Move `application` to status `to`; raise DomainError for an edge the machine lacks.

    `expected_revision`, when given, makes the move conditional on nobody having saved the
    application since (ConcurrentUpdate otherwise). Extra `fields` are saved in the same update.
    """
    frm = application.status
    if (frm, to) not in ALLOWED:
        raise DomainError(
            _("An application in status “%(from)s” cannot become “%(to)s”.")
            % {"from": S(frm).label, "to": S(to).label},
            code="bad_transition",
        )
    if to in REVIEW_STATUSES:
        ensure_filing_closed(application.campaign)
    with transaction.atomic():
        qs = Application.objects.filter(pk=application.pk, status=frm)
        if expected_revision is not None:
            qs = qs.filter(revision=expected_revision)
        update = {"status": to, "revision": F("revision") + 1, **fields}
        if outcome is not None:
            update["outcome"] = outcome
        if not qs.update(**update):
            raise ConcurrentUpdate()
        StatusChange.objects.create(application=application, from_status=frm, to_status=to,
                                    actor=actor, note=note, note_key=note_key, note_params=note_params or {})
    application.refresh_from_db()
    return application
