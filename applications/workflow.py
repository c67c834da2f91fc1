"""The application's state machine: the one place where `Application.status` changes.

    draft --submit--> submitted --(filing deadline passes)--> under_review --generalize--> at_commission
      ^                 |                                                                     |
      +---withdraw------+  (only before the filing deadline)                                decide
                                                                                              v
    draft --(filing deadline passes)--> not_submitted        decided (approved|partly|rejected) --notice--> notified

Services of this app and of commissions call `transition()`; it checks the edge, bumps the
revision (optimistic lock), records the timeline row, and runs inside the caller's transaction
and audit context.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
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
}


def transition(application: Application, to: str, *, actor=None, note: str = "",
               expected_revision: int | None = None, outcome: str | None = None,
               **fields) -> Application:
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
    with transaction.atomic():
        qs = Application._base_manager.filter(pk=application.pk, status=frm)
        if expected_revision is not None:
            qs = qs.filter(revision=expected_revision)
        update = {"status": to, "revision": F("revision") + 1, **fields}
        if outcome is not None:
            update["outcome"] = outcome
        if not qs.update(**update):
            raise ConcurrentUpdate()
        StatusChange._base_manager.create(application=application, from_status=frm, to_status=to,
                                          actor=actor, note=note)
    application.refresh_from_db()
    return application
