"""seed_demo fills the 2027 campaign like a real year: decided applications in most regions, so that
each sent Annex 2 has rows, its totals are the signed decisions', and the scenarios give permits to
many regions. Idempotent."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from allocation.models import Annex2Line, Annex2Row, SubmissionVersion
from allocation.quota_models import Component, Distribution, DistributionCell
from allocation.submission_selectors import latest_versions, rows_totals, signed_decision_totals
from applications.models import Application, Line, StatusChange
from commissions.models import Decision, LineDecision, Notice, Session
from quota_portal.core.models import Campaign, Organization
from quota_portal.core.validators import validate_bin_iin

pytestmark = pytest.mark.django_db
FIELDS = ("cat1", "cat2", "cat3", "cat4", "seasonal")


def counts() -> list[int]:
    return [m.objects.count() for m in (Organization, Application, Line, Decision, LineDecision, Session, Notice,
                                        StatusChange, SubmissionVersion, Annex2Row, Distribution)]


def test_seed_demo_sends_annex_2_with_rows_from_signed_decisions_in_most_regions(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get(year=2027)
    latest = list(latest_versions(campaign).select_related("region"))
    with_rows = [v for v in latest if Annex2Row.objects.filter(version=v).exists()]
    assert len(with_rows) >= 15
    national = dict.fromkeys(FIELDS, 0)
    for version in with_rows:
        rows = list(Annex2Row.objects.filter(version=version))
        assert 3 <= len(rows) <= 60, version.region
        # The annex's totals, its rows and its lines all equal the signed decisions of the region.
        decided = signed_decision_totals(campaign=campaign, region=version.region)
        frozen = {f: getattr(version, f"total_{f}") for f in FIELDS}
        assert frozen == decided == {f: rows_totals(rows)[f] for f in FIELDS}, version.region
        assert (Annex2Line.objects.filter(version=version).aggregate(n=Sum("count"))["n"]
                == sum(decided.values()))
        for f in FIELDS:
            national[f] += frozen[f]
        for row in rows:
            validate_bin_iin(row.bin_iin)
            assert row.organization_name and row.legal_address and row.justification
    # A real year's order of magnitude (2026: 726 / 3402 / 5893 / 3131 / 4994, 18,146 in all).
    assert all(national[f] >= 300 for f in FIELDS), national
    assert 12_000 <= sum(national.values()) <= 30_000, national
    # The Commissions cut some lines on a ground of p.10 with a reason, and decided on the session's day.
    cuts = LineDecision.objects.filter(decision__application__campaign=campaign, approved__lt=F("requested"))
    assert cuts.count() >= 10
    assert all(c.grounds and c.reason for c in cuts)
    assert Decision.objects.filter(application__campaign=campaign, outcome="partly").count() >= 10
    unsigned = Decision.objects.filter(application__campaign=campaign, signed_at__isnull=True)
    assert not unsigned.filter(region__in=[v.region for v in with_rows]).exists()
    # The timeline is dated in the campaign's past, in order, and ends with the notice sent.
    app = Application.objects.filter(campaign=campaign, region=with_rows[0].region).first()
    changes = list(StatusChange.objects.filter(application=app).order_by("at", "pk"))
    assert [c.to_status for c in changes][-1] == app.status == Application.Status.NOTIFIED
    assert all(dt.date(2026, 8, 1) <= timezone.localdate(c.at) <= dt.date(2026, 10, 31) for c in changes)
    # The proposed 2027 distribution (the second scenario) gives permits to many regions.
    proposed = Distribution.objects.get(campaign=campaign)
    regions = set(DistributionCell.objects.filter(distribution=proposed, component=Component.PERMITS, count__gt=0)
                  .values_list("region_id", flat=True))
    assert len(regions) >= 15

    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before
