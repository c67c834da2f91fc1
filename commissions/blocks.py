"""What the commissions app shows on the application's pages (registered in apps.py as page
blocks of quota_portal.core.registry; the applications app never imports this app).

- "application_detail": the Commission's decision, once the application is decided.
- "application_review": the employer's self-check before submitting (Rules p.10): open
  violations recorded by the application's region, and lines that domestic labour could fill.
- "acting_role": the header's name for a Commission member's role: the chair is the chair.
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


def acting_role_block(request, membership):
    """The chair of the region's Commission acts as "Chair of the Commission", not as a member."""
    from quota_portal.core.models import Role

    from .models import Member

    if membership is None or membership.role != Role.COMMISSION_MEMBER or membership.authority_id is None:
        return None
    seat = (Member.objects.filter(user_id=request.user.pk, is_active=True,
                                  region_id=membership.authority.region_id)
            .order_by("role").values_list("role", flat=True).first())
    if seat != Member.Role.CHAIR:
        return None
    from django.utils.translation import gettext

    return "", {"label": gettext("Chair of the Commission")}
