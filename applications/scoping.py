"""What the applications app adds to core's tenant scoping (registered in apps.py)."""
from __future__ import annotations

from django.db import models

from quota_portal.core.scoping import Tenant

from .models import UNFILED_STATUSES, Application, Version


def organizations_filed_in_region(tenant: Tenant) -> models.Q:
    """An akimat sees an employer that has filed an application in its region: one not in an
    unfiled state, or one submitted once and withdrawn to a draft since (the akimat has already
    seen its version). A draft never submitted is the employer's own."""
    ever_submitted = models.Exists(
        Version.objects.unscoped("the organizations' scope rule itself reads the region's versions")
        .filter(application_id=models.OuterRef("pk")))
    filed = (Application.objects.unscoped("the organizations' scope rule itself reads the region's applications")
             .filter(region_id=tenant.region_id)
             .filter(~models.Q(status__in=UNFILED_STATUSES) | ever_submitted).values("organization_id"))
    return models.Q(pk__in=models.Subquery(filed))
