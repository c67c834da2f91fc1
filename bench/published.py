"""A published quota in the bench database (figures 4b and 7): the demo's publication step
(allocation/publication_demo.py: the 2026 quota proposed, approved and published, its decision
PDF signed), after giving it the Ministry analyst and approver it looks for.

    .venv/bin/python bench/published.py      (make bench runs it after seeding)
"""
from __future__ import annotations

import sys
from pathlib import Path

from common import setup


def ensure_published() -> int:
    """The year of a published quota, publishing the demo's when there is none."""
    from django.conf import settings
    from django.core.management import call_command

    from allocation import publication_demo
    from allocation.quota_models import Distribution, DistributionStatus
    from quota_portal.core.models import Authority, Membership, Role, User
    from quota_portal.core.scoping import system_scope

    with system_scope():
        found = (Distribution.objects.filter(status=DistributionStatus.PUBLISHED).order_by("-campaign__year")
                 .values_list("campaign__year", flat=True).first())
        if found:
            return found
        if not Path(settings.QP_SIGNING_KEY or "/nonexistent").exists():
            call_command("make_signing_cert")  # the local test certificate (settings.local signs with it)
        ministry = Authority.objects.get(kind=Authority.Kind.MINISTRY)
        for email, role in ((publication_demo.ANALYST_EMAILS[0], Role.MINISTRY_ANALYST),
                            (publication_demo.APPROVER_EMAIL, Role.MINISTRY_APPROVER)):
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=None, full_name=email)
            Membership.objects.get_or_create(user=user, role=role, authority=ministry)
        publication_demo.seed(stdout=sys.stdout)
        return Distribution.objects.get(status=DistributionStatus.PUBLISHED).campaign.year


if __name__ == "__main__":
    setup()
    print(f"published quota: {ensure_published()}")
