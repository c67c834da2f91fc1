"""Annex 2 at scale: a region with --orgs organizations and --lines-per-org decided lines each
(default 10,000 x 10 = 100,000), seeded with bulk inserts into the development database
(DATABASE_URL), then timed: the SQL aggregation (annex2_draft_rows), the sending (freezing the rows
and lines) and the XLSX written in write-only mode (the Celery task's body), with peak memory.

    DEBUG=true .venv/bin/python bench/annex2.py [--orgs 10000] [--lines-per-org 10] [--year 2031] [--memory]

Uses its own campaign year (default 2031) in Shymkent, so the demo data is untouched; rerunning
removes nothing (choose another --year).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.local")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from allocation import submission_selectors as selectors
    from allocation import submissions as services
    from allocation.models import SubmissionFile
    from allocation.submission_writer import submission_file_write
    from applications.models import Application, Line
    from commissions import services as commission_services
    from commissions.models import AgendaItem, Decision, LineDecision, Session
    from quota_portal.core.models import Campaign, Membership, Occupation, Organization, Region, Role, User
    from quota_portal.core.scoping import system_scope
    from quota_portal.core.validators import make_bin_iin

    p = argparse.ArgumentParser()
    p.add_argument("--orgs", type=int, default=10_000)
    p.add_argument("--lines-per-org", type=int, default=10)
    p.add_argument("--year", type=int, default=2031)
    p.add_argument("--memory", action="store_true", help="also write the file again under tracemalloc")
    args = p.parse_args()

    with system_scope():
        region = Region.objects.get(code="790000000") if Region.objects.filter(code="790000000").exists() \
            else Region.objects.order_by("code").last()
        campaign = Campaign.objects.filter(year=args.year).first() or Campaign.for_year(args.year)
        campaign.save()
        officer, _ = User.objects.get_or_create(email=f"bench.{region.code}@demo.kz",
                                                defaults={"full_name": "Bench Officer"})
        Membership.objects.get_or_create(user=officer, role=Role.AKIMAT_OFFICER, authority=region.akimat)
        occupations = list(Occupation.objects.order_by("code")[:50])
        t0 = time.perf_counter()
        orgs, n, i = [], 0, 0
        while len(orgs) < args.orgs:
            i += 1
            try:
                bin_iin = make_bin_iin(f"{args.year % 100:02d}{90000000 + i:09d}")
            except ValueError:
                continue
            orgs.append(Organization(bin_iin=bin_iin, name=f"ТОО «Бенч {i:06d}»", legal_address=f"ул. {i}",
                                     region=region))
        orgs = Organization.objects.bulk_create(orgs, batch_size=2000, ignore_conflicts=False)
        apps = Application.objects.bulk_create([
            Application(organization=o, campaign=campaign, region=region, status="decided", created_by=officer,
                        registration_number=f"B{args.year}-{o.pk}", current_year_count=3) for o in orgs],
            batch_size=2000)
        lines = Line.objects.bulk_create([
            Line(application=a, category="1234S"[k % 5], occupation=occupations[(a.pk + k) % len(occupations)],
                 count=2 + k % 3, position=k) for a in apps for k in range(args.lines_per_org)], batch_size=5000)
        commission = commission_services.commission_for(region)
        session = Session.objects.create(commission=commission, region=region, campaign=campaign, number=900,
                                         date=campaign.commission_deadline, place="bench", created_by=officer)
        items = AgendaItem.objects.bulk_create([AgendaItem(session=session, application=a, region=region)
                                                for a in apps], batch_size=2000)
        now = timezone.now()
        decisions = Decision.objects.bulk_create([
            Decision(item=it, application=a, region=region, organization_id=a.organization_id, outcome="approved",
                     decided_on=session.date, signed_at=now, recorded_by=officer)
            for it, a in zip(items, apps, strict=True)], batch_size=2000)
        by_app = {d.application_id: d for d in decisions}
        LineDecision.objects.bulk_create([
            LineDecision(decision=by_app[li.application_id], line=li, requested=li.count, approved=li.count - 1)
            for li in lines], batch_size=5000)
        n = len(lines)
        print(f"seeded {len(orgs)} organizations, {n} decided lines in {time.perf_counter() - t0:.1f}s")

        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            rows = selectors.annex2_draft_rows(campaign=campaign, region=region)
            t_rows = time.perf_counter() - t0
        print(f"aggregation: {len(rows)} rows in {t_rows:.2f}s, {len(ctx.captured_queries)} queries")
        t0 = time.perf_counter()
        recon = selectors.reconciliation(campaign=campaign, region=region, rows=rows)
        print(f"reconciliation: {time.perf_counter() - t0:.2f}s, all equal: {all(r['ok'] for r in recon)}")
        submission = services.submission_get_or_create(actor=officer, campaign=campaign, region=region)
        t0 = time.perf_counter()
        version = services.submission_send(actor=officer, submission=submission, late_reason="bench")
        print(f"sending (freeze {len(rows)} rows + lines): {time.perf_counter() - t0:.2f}s")
        file = SubmissionFile.objects.create(version=version, region=region, annex="2", format="xlsx", language="ru")
        t0 = time.perf_counter()
        with translation.override("ru"):
            file = submission_file_write(file_id=file.pk)
        elapsed = time.perf_counter() - t0
        print(f"XLSX (write-only, 2 sheets): {elapsed:.1f}s, {file.size / 1e6:.1f} MB, status {file.status}")
        if args.memory:
            # A separate run: tracemalloc slows Python code five-fold, so it never wraps the timed one.
            file = SubmissionFile.objects.create(version=version, region=region, annex="2", format="xlsx",
                                                 language="kk")
            tracemalloc.start()
            with translation.override("kk"):
                submission_file_write(file_id=file.pk)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"XLSX peak Python memory (separate run): {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
