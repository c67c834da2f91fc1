"""Figure 1: the deadline rush. --users employers (locust, headless, on loopback) against gunicorn
with production-like settings (bench/server.py) and PostgreSQL: each logs in, opens the Annex 1
form of a draft, saves 10 lines, reviews and submits, and goes on to its next draft for --duration
seconds, at a person's pace (--pace human, the figure) or at 0.5-2 s a page with a login for each
application (--pace stress: what the machine carries past its capacity; bench/locust_rush.py). The
baseline is the portal's stylesheet fetched by the same users through the same stack during the
same run. Afterwards the database is counted: every
submit that reached its receipt must be one submitted application with exactly one version (no
lost, no duplicate submission).

    .venv/bin/python bench/rush.py [--users 200 --duration 180 --pace human]   (make bench: BENCH_RUSH_*)
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import OUT, ROOT, report, setup
from server import gunicorn, static_path


def free_year() -> int:
    from quota_portal.core.models import Campaign

    taken = set(Campaign.objects.values_list("year", flat=True))
    return next(y for y in range(2040, 2100) if y not in taken)


def locust_stats(prefix: str) -> dict[str, dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        return {row["Name"]: row for row in csv.DictReader(fh)}


def run_locust(locustfile: str, *, host: str, users: int, rate: float, seconds: int, env: dict, prefix: str) -> dict:
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", locustfile, "--headless", "-u", str(users),
                    "-r", str(rate), "-t", f"{seconds}s", "--host", host, "--csv", prefix, "--only-summary",
                    "--loglevel", "WARNING", "--stop-timeout", "30"],
                   cwd=ROOT, env={**os.environ, **env}, check=False, stdout=subprocess.DEVNULL)
    return locust_stats(prefix)


PACES = {"human": "a person's: 20-40 s typing the form, 3-8 s on the review page, 5-15 s between applications, "
                  "one login per employer",
         "stress": "0.5-2 s per page, 1-3 s between applications, a login per application"}


def failure_rows() -> list[dict]:
    path = OUT / "rush_failures.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=int(os.environ.get("BENCH_RUSH_USERS", "200")))
    p.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_RUSH_SECONDS", "180")))
    p.add_argument("--pace", choices=["human", "stress"], default=os.environ.get("BENCH_RUSH_PACE", "human"),
                   help="human: a person's time on each page (the figure); stress: 0.5-2 s (bench/locust_rush.py)")
    p.add_argument("--port", type=int, default=8107)
    p.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    p.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "4")))
    args = p.parse_args()
    setup()
    from django.core.management import call_command

    from applications.models import Application, Version
    from quota_portal.core.models import Occupation
    from quota_portal.core.scoping import system_scope

    with system_scope():
        year = free_year()
        call_command("seed_scale", organizations=args.users, lines=args.users * 10, year=year, stage="review",
                     employers=args.users, drafts=20, password="bench-pass-2026", verbosity=0,
                     stdout=open(os.devnull, "w"))  # noqa: SIM115
        drafts: dict[str, list[int]] = {}
        mine = Application.objects.filter(status="draft", created_by__email__startswith=f"bench.employer.{year}.")
        for app_id, email in mine.order_by("region__code").values_list("pk", "created_by__email"):
            drafts.setdefault(email, []).append(app_id)
        # Category 3 (specialists) with professionals' codes (2xxx), category 4 with craft workers' (7xxx).
        specialists = Occupation.objects.filter(code__regex=r"^2\d{3}$").order_by("code").values_list("code", flat=True)
        workers = Occupation.objects.filter(code__regex=r"^7\d{3}$").order_by("code").values_list("code", flat=True)
        occupations = [code for pair in zip(specialists[:5], workers[:5], strict=True) for code in pair]
    with tempfile.TemporaryDirectory() as tmp:
        users_file = Path(tmp) / "users.json"
        with gunicorn(port=args.port, workers=args.workers, threads=args.threads) as host:
            users_file.write_text(json.dumps({"password": "bench-pass-2026", "occupations": occupations,
                                              "static": static_path(),
                                              "users": [{"email": e, "drafts": d} for e, d in drafts.items()]}))
            stats = run_locust("bench/locust_rush.py", host=host, users=args.users, rate=max(1, args.users / 10),
                               seconds=args.duration,
                               env={"BENCH_RUSH_USERS": str(users_file), "BENCH_RUSH_PACE": args.pace},
                               prefix=str(OUT / "rush"))  # kept: rush_stats.csv, rush_failures.csv
    with system_scope():
        mine = Application.objects.filter(created_by__email__startswith=f"bench.employer.{year}.")
        submitted = mine.exclude(status="draft").count()
        versions = Version.objects.filter(application__in=mine).count()
        duplicates = sum(1 for n in mine.exclude(status="draft").values_list("versions__number", flat=True)
                         if n and n > 1)
    sub = stats.get("submit", {})
    static = stats.get("static (baseline)", {})
    ok_submits = int(sub.get("Request Count", 0) or 0) - int(sub.get("Failure Count", 0) or 0)
    failures = int(stats.get("Aggregated", {}).get("Failure Count", 0) or 0)
    value, baseline = float(sub.get("95%", "nan") or "nan"), float(static.get("95%", "nan") or "nan")
    # A submit still in flight when the run stopped is in the database without a receipt counted:
    # not lost. Lost is a receipt for a submission that is not there.
    lost = max(0, ok_submits - submitted)
    report("1_rush", title="Deadline rush: submit p95", value=value, unit="ms", baseline=baseline,
           goal="submit p95 <= 300 ms, no errors, no lost or duplicate submissions",
           met=value <= 300 and failures == 0 and lost == 0 and duplicates == 0 and versions == submitted,
           detail={"users": args.users, "seconds": args.duration, "pace": PACES[args.pace],
                   "gunicorn": f"{args.workers} workers x {args.threads} threads",
                   "submissions answered with a receipt": ok_submits, "submitted in the database": submitted,
                   "versions in the database": versions, "lost": lost,
                   "submitted as the run stopped (no receipt counted)": max(0, submitted - ok_submits),
                   "duplicates": duplicates,
                   "failed requests": failures,
                   **{f"failed {row['Name']}: {row['Error'][:120]}": row["Occurrences"] for row in failure_rows()},
                   **{f"{name} median/p95 ms": f"{row['Median Response Time']}/{row['95%']}"
                      for name, row in stats.items() if name != "Aggregated"},
                   "baseline": "the stylesheet, fetched by the same users through the same gunicorn in the same run"})


if __name__ == "__main__":
    main()
