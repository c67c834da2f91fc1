"""seed_scale (issue 14): it fills a campaign with the counts asked for, in the shapes the pages
read, and refuses to run on production settings or twice on one campaign."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from allocation.models import Annex2Line, Annex2Row, SubmissionVersion
from applications.models import Application, Line
from commissions.models import Decision, LineDecision, Session
from quota_portal.core.models import Campaign, Membership, Organization, User

ROOT = Path(__file__).resolve().parent.parent.parent


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_scale", stdout=out, **options)
    return out.getvalue()


def test_it_refuses_to_run_on_production_settings(db):
    before = Organization.objects.count()
    with override_settings(QP_PRODUCTION=True), pytest.raises(CommandError, match="production"):
        seed(organizations=3, lines=30, year=2035)
    assert Organization.objects.count() == before
    assert not Campaign.objects.filter(year=2035).exists()


def test_the_production_settings_module_makes_it_refuse():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.production",
           "SECRET_KEY": "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789", "ALLOWED_HOSTS": "example.kz",
           "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}
    result = subprocess.run([sys.executable, "manage.py", "seed_scale", "--organizations", "2", "--lines", "2",
                             "--year", "2036"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "refuses to run on production settings" in result.stderr


def test_a_small_run_has_the_counts_asked_for(db):
    seed(organizations=7, lines=61, year=2035, stage="decided", employers=2, drafts=3)
    campaign = Campaign.objects.get(year=2035)
    apps = Application.objects.filter(campaign=campaign)
    assert apps.count() == 7
    assert set(apps.values_list("status", flat=True)) == {"decided"}
    assert Line.objects.filter(application__campaign=campaign).count() == 61
    assert Decision.objects.filter(application__campaign=campaign, signed_at__isnull=False).count() == 7
    assert LineDecision.objects.filter(decision__application__campaign=campaign).count() == 61
    assert Session.objects.filter(campaign=campaign, chair_signed_at__isnull=False).count() == 7  # 7 regions
    employers = User.objects.filter(email__startswith="bench.employer.2035.")
    assert employers.count() == 2
    assert Membership.objects.filter(user__in=employers, role="employer_owner").count() == 2
    drafts = Application.objects.filter(created_by__in=employers, status="draft")
    assert drafts.count() == 6
    assert all(c.filing_open for c in Campaign.objects.filter(applications__in=drafts).distinct())
    assert employers.first().check_password("bench-pass-2026")


def test_sending_freezes_what_was_seeded_and_append_adds_a_version(db):
    seed(organizations=4, lines=40, year=2035, regions=1, stage="sent")
    version = SubmissionVersion.objects.get(campaign__year=2035)
    # The frozen Annex 2 keeps its history (statement-level triggers): one insert event per row and line.
    assert Annex2Row.pgh_event_models["insert"].objects.filter(pgh_label="insert", version_id=version.pk).count() == 4
    assert Annex2Line.pgh_event_models["insert"].objects.filter(pgh_label="insert", version_id=version.pk).count() == 40
    approved = sum(LineDecision.objects.filter(decision__application__campaign__year=2035)
                   .values_list("approved", flat=True))
    assert (version.total_cat1 + version.total_cat2 + version.total_cat3 + version.total_cat4
            + version.total_seasonal) == approved
    with pytest.raises(CommandError, match="already has applications"):
        seed(organizations=2, lines=20, year=2035, regions=1)
    seed(organizations=6, lines=60, year=2035, regions=1, stage="sent", append=True)
    assert Application.objects.filter(campaign__year=2035).count() == 10
    assert list(SubmissionVersion.objects.filter(campaign__year=2035).order_by("number")
                .values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("options", [{"organizations": 0, "lines": 5}, {"organizations": 5, "lines": 3},
                                     {"organizations": 2, "lines": 20, "employers": 3}])
def test_it_refuses_impossible_counts(db, options):
    with pytest.raises(CommandError):
        seed(year=2035, **options)
    assert not Application.objects.filter(campaign__year=2035).exists()
