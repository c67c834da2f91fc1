"""Measure the akimat inbox and the employer/akimat dashboards as the data grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench .venv/bin/python bench/pages.py --applications 1000

Builds (or reuses) a scratch database with N submitted applications of 3 lines each in Astana,
then requests each page through Django's test client and prints the median and p95 time of 15
requests and the number of SQL queries. The query count must not grow with N (the tests pin it).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from applications.models import Application, Line
    from quota_portal.core.models import Authority, Campaign, Membership, Occupation, Organization, Region, Role, User
    from quota_portal.core.reference import load_reference
    from quota_portal.core.scoping import system_scope
    from quota_portal.core.validators import make_bin_iin

    with system_scope():
        load_reference(Region, Authority)
        astana = Region.objects.get(code="710000000")
        campaign, _ = Campaign.objects.get_or_create(year=2027, defaults={
            f.name: getattr(Campaign.for_year(2027), f.name) for f in Campaign._meta.concrete_fields if f.name != "id"})
        occs = [Occupation.objects.update_or_create(code=c, defaults={"name_ru": n, "name_en": n})[0]
                for c, n in (("2142", "Civil engineers"), ("7212", "Welders"), ("8342", "Earthmoving plant operators"))]
        officer, created = User.objects.get_or_create(email="bench.akimat@example.kz")
        if created:
            officer.set_password("x")
            officer.save()
            Membership.objects.create(user=officer, role=Role.AKIMAT_OFFICER, authority=astana.akimat)
        have = Application.objects.filter(campaign=campaign, region=astana).count()
        for i in range(have, args.applications):
            bin_iin = None
            for salt in range(10):
                try:
                    bin_iin = make_bin_iin(f"{90000000000 + i * 10 + salt:011d}")
                    break
                except ValueError:
                    continue
            org = Organization.objects.create(bin_iin=bin_iin, name=f"ТОО «Бенч {i}»", legal_address="Астана",
                                              region=astana)
            app = Application.objects.create(organization=org, campaign=campaign, region=astana, created_by=officer,
                                             status=Application.Status.UNDER_REVIEW, current_year_count=3,
                                             registration_number=f"2027-710000000-{i + 1:06d}")
            Line.objects.bulk_create([Line(application=app, category=cat, occupation=occ, count=5 + k)
                                      for k, (cat, occ) in enumerate(zip("134", occs, strict=False))])

    client = Client()
    client.force_login(officer)
    print(f"{args.applications} applications in Astana, {args.requests} requests per page")
    print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for url in ("/commissions/", "/dashboard/"):
        times = []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{url:<28}{statistics.median(times):>10.1f}{p95:>10.1f}{len(ctx.captured_queries):>9}")


if __name__ == "__main__":
    main()
