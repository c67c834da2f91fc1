"""What the commissions app adds to core's tenant scoping (registered in apps.py)."""
from __future__ import annotations

from django.db import models

from quota_portal.core.scoping import Tenant

from .models import Violation


def organizations_with_violations_in_region(tenant: Tenant) -> models.Q:
    """An akimat sees an employer against which it has recorded a violation (Rules p.10(2), (3)):
    it named the employer deliberately by BIN/IIN."""
    recorded = (Violation.objects.unscoped("the organizations' scope rule itself reads the region's violations")
                .filter(region_id=tenant.region_id).values("organization_id"))
    return models.Q(pk__in=models.Subquery(recorded))
