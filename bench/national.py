"""Figure 3: the Ministry's national view (region x category totals) over the lines of a campaign
seeded with `seed_scale --stage sent` (make bench: 1,000,000 lines), against the bare SQL GROUP BY
region x category over the same lines.

    .venv/bin/python bench/national.py --year 2032 [--requests 15]

The page reads the totals frozen into each region's latest sent version (Rules p.12: the Ministry
sees what the akimat sent), so its time does not grow with the lines; the baseline aggregates the
live lines, as a page without the frozen versions would have to.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
from common import median, pct, report, setup  # noqa: E402

GROUP_BY = """
    SELECT a.region_id, l.category, SUM(l.count)
    FROM applications_line l JOIN applications_application a ON a.id = l.application_id
    WHERE a.campaign_id = %s GROUP BY a.region_id, l.category
"""


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--requests", type=int, default=15)
    args = p.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from applications.models import Line
    from quota_portal.core.models import Authority, Campaign, Membership, Role, User
    from quota_portal.core.scoping import system_scope

    with system_scope():
        campaign = Campaign.objects.get(year=args.year)
        n_lines = Line.objects.filter(application__campaign=campaign).count()
        analyst, _ = User.objects.get_or_create(email="bench.ministry@bench.kz", defaults={"full_name": "Бенч"})
        Membership.objects.get_or_create(user=analyst, role=Role.MINISTRY_ANALYST,
                                         authority=Authority.objects.get(kind="ministry"))
    client = Client()
    client.force_login(analyst)
    url = f"/ministry/national/{args.year}/"
    page, sql = [], []
    client.get(url)  # the process's first request compiles templates and loads translations: not counted
    for _ in range(args.requests):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            page.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        with connection.cursor() as cur:
            t0 = time.perf_counter()
            cur.execute(GROUP_BY, [campaign.pk])
            rows = cur.fetchall()
            sql.append((time.perf_counter() - t0) * 1000)
    value, baseline = median(page), median(sql)
    report("3_national", title="Ministry national totals, region x category", value=value, unit="ms",
           baseline=baseline, goal="page <= 300 ms and ratio <= 3",
           met=value <= 300 and value / baseline <= 3,
           detail={"lines": n_lines, "page p95 ms": round(pct(page, 0.95), 1),
                   "page queries": len(ctx.captured_queries),
                   "GROUP BY groups": len(rows), "baseline": "bare SQL GROUP BY region x category over the lines"})


if __name__ == "__main__":
    main()
