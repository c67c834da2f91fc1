"""Figure 7: the public quota page and its JSON under --users concurrent anonymous readers
(locust, headless, on loopback) against gunicorn with production-like settings; the baseline is
the stylesheet fetched by the same readers in the same run. Goal: p95 <= 50 ms.

The public pages (/public/quota/<year>/ and /public/quota/<year>.json) of a published year
(bench/published.py publishes the demo's 2026 quota when none is). Measure it briefly on a shared
machine (e.g. --users 50 --duration 20).

    .venv/bin/python bench/public.py [--users 500 --duration 60]   (make bench: BENCH_PUBLIC_USERS/SECONDS)
"""
from __future__ import annotations

import argparse
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from common import report, setup
from rush import run_locust
from server import gunicorn, static_path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=int(os.environ.get("BENCH_PUBLIC_USERS", "500")))
    p.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_PUBLIC_SECONDS", "60")))
    p.add_argument("--pace", choices=["human", "stress"], default=os.environ.get("BENCH_PUBLIC_PACE", "human"),
                   help="human: 5-15 s on the page between readings (the figure); stress: 0.5-2 s")
    p.add_argument("--port", type=int, default=8109)
    p.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    p.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "4")))
    args = p.parse_args()
    setup()
    from published import ensure_published

    from quota_portal.core.models import Campaign
    from quota_portal.core.scoping import system_scope

    with system_scope():
        ensure_published()
        years = list(Campaign.objects.order_by("-year").values_list("year", flat=True))
    with gunicorn(port=args.port, workers=args.workers, threads=args.threads) as host:
        year = None
        for y in years:
            try:
                with urllib.request.urlopen(f"{host}/public/quota/{y}.json", timeout=30) as r:
                    if r.status == 200:
                        year = y
                        break
            except (urllib.error.URLError, OSError):
                continue
        if year is None:
            report("7_public", title="Public quota page and JSON, p95 under concurrent readers",
                   value="not available", unit="ms", baseline=None, goal="p95 <= 50 ms", met=None,
                   detail={"why": "no /public/quota/<year>.json answers 200 yet (the public pages are another "
                                  "issue's; this script measures them once they exist)"})
            return
        with tempfile.TemporaryDirectory() as tmp:
            stats = run_locust("bench/locust_public.py", host=host, users=args.users, rate=max(1, args.users / 10),
                               seconds=args.duration, prefix=str(Path(tmp) / "public"),
                               env={"BENCH_PUBLIC_YEAR": str(year), "BENCH_STATIC": static_path(),
                                    "BENCH_PUBLIC_PACE": args.pace})
    page, data, static = stats["public page"], stats["public JSON"], stats["static (baseline)"]
    value = max(float(page["95%"]), float(data["95%"]))
    failures = int(stats["Aggregated"]["Failure Count"])
    report("7_public", title="Public quota page and JSON, p95 under concurrent readers", value=value, unit="ms",
           baseline=float(static["95%"]), goal="p95 <= 50 ms, no errors", met=value <= 50 and failures == 0,
           detail={"users": args.users, "seconds": args.duration, "year": year, "failed requests": failures,
                   "pace": {"human": "5-15 s on the page between readings",
                            "stress": "0.5-2 s between readings"}[args.pace],
                   "requests answered": int(stats["Aggregated"]["Request Count"]),
                   **{f"{name} median/p95 ms": f"{row['Median Response Time']}/{row['95%']}"
                      for name, row in stats.items() if name != "Aggregated"}})


if __name__ == "__main__":
    main()
