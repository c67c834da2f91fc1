"""What the commissions app shows on the application's pages (registered in apps.py as page
blocks of quota_portal.core.registry; the applications app never imports this app).

- "application_detail": the Commission's decision, once the application is decided.
- "application_review": the employer's self-check before submitting (Rules p.10): open
  violations recorded by the application's region, and lines that domestic labour could fill.
"""
from __future__ import annotations

from applications.models import Application

from . import selectors

DECIDED = (Application.Status.DECIDED, Application.Status.NOTIFIED)


def decision_block(request, application):
    """The current signed decision: each line's approved count and grounds, and the notice."""
    if application.status not in DECIDED:
        return None
    decision = selectors.application_decision(application=application)
    if not decision:
        return None
    return "commissions/_application_decision.html", {"decision": decision}


def violations_block(request, application):
    """Only the violations the application's own region recorded (Rules p.10(2), (3))."""
    violations = selectors.application_open_violations(application=application)
    if not violations:
        return None
    return "commissions/_self_check_violations.html", {"violations": violations}


def labour_market_block(request, application):
    """Lines whose occupation has enough registered local jobseekers (Rules p.10(1))."""
    warnings = selectors.labour_market_warnings(application=application)
    if not warnings:
        return None
    return "commissions/_self_check_warnings.html", {"warnings": warnings}
