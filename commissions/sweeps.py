"""Deadline sweeps of the review (Rules p.11): idempotent, each notice claimed once.

The notice is sent at the protocol's sign-off; a sweep only re-sends what a crash between the
signature and the delivery may have left unsent (signed decision, notice not sent)."""
from __future__ import annotations

import logging

from quota_portal.core.deadlines import register_sweep

log = logging.getLogger(__name__)


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
