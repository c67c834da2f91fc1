"""Reading decisions: the current signed decision of an application, for the employer's page."""
from __future__ import annotations

from django.urls import reverse

from .models import Decision


def current_signed_decision(application) -> Decision | None:
    """The latest signed decision: a correction supersedes the old one once its protocol is signed.
    (An unsigned decision is also outside an employer's scope: see Decision.scope_q.)"""
    return (Decision.objects.filter(application=application, signed_at__isnull=False)
            .select_related("notice").order_by("-pk").first())


def current_decision_summary(application) -> dict | None:
    decision = current_signed_decision(application)
    if decision is None:
        return None
    lines = [{"line": ld.line, "requested": ld.requested, "approved": ld.approved,
              "grounds": ld.grounds_display(), "reason": ld.reason}
             for ld in decision.lines.select_related("line__occupation")]
    notice = getattr(decision, "notice", None)
    return {
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "decided_at": decision.decided_on,
        "correction_reason": decision.correction_reason,
        "lines": lines,
        "notice": None if notice is None else {
            "due": notice.due, "sent_at": notice.sent_at,
            "pdf_url": reverse("commissions:notice_pdf", args=[notice.pk]) if notice.sent_at else None,
        },
    }
