"""`make bench`: every figure of issue 14 in one run, on a scratch database, into
bench/results.json and bench/RESULTS.md.

1. A scratch database next to DATABASE_URL's (its name + "_bench", dropped and made anew; the
   embedded PostgreSQL of `make run` when DATABASE_URL is unset), migrated.
2. Seeds with `seed_scale` (COPY): 100,000 lines in one region, sent (Annex 2); 1,000,000 lines in
   the 20 regions, sent (the Ministry); 50 decisions in one signed session (the protocol).
3. Each figure's script (bench/*.py) in its own process, its output in bench/out/<figure>.log.

Load parameters (the machine is shared, see RESULTS.md for what was run): BENCH_RUSH_USERS,
BENCH_RUSH_SECONDS, BENCH_PUBLIC_USERS, BENCH_PUBLIC_SECONDS, BENCH_WAVE, BENCH_WORKERS, BENCH_THREADS.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT))

THIS_YEAR = dt.datetime.now(dt.UTC).year
YEARS = {"queries": THIS_YEAR + 1, "annex2": 2031, "national": 2032, "pdf": 2034}

FIGURES = [  # (figure, script and arguments, timeout in seconds)
    ("5_whatif", ["whatif.py"], 120),
    ("3_national", ["national.py", "--year", str(YEARS["national"])], 300),
    ("2_annex2_xlsx", ["annex2_xlsx.py", "--year", str(YEARS["annex2"])], 600),
    ("4_protocol_pdf", ["pdfs.py", "--year", str(YEARS["pdf"])], 600),
    ("6_query_counts", ["queries.py", "--year", str(YEARS["queries"])], 600),
    ("1_rush", ["rush.py"], 600),
    ("7_public", ["public.py"], 300),
    ("8_logins", ["logins.py"], 600),
]
SEEDS = [  # seed_scale arguments
    ["--organizations", "10000", "--lines", "100000", "--year", str(YEARS["annex2"]), "--regions", "1",
     "--stage", "sent"],
    ["--organizations", "100000", "--lines", "1000000", "--year", str(YEARS["national"]), "--stage", "sent"],
    # 50 decisions of 2 lines each: the protocol of a busy session (the walk's had a few lines each).
    ["--organizations", "50", "--lines", "100", "--year", str(YEARS["pdf"]), "--regions", "1", "--stage", "decided"],
]


def scratch_database() -> str:
    from quota_portal.devservers import ensure_services

    ensure_services()
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not os.environ.get("BENCH_DATABASE_URL"):
        name = f"{name}_bench"
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(cmd: list[str], env: dict, log: Path, timeout: int) -> tuple[int, float]:
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as fh:
        try:
            code = subprocess.run(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                  timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = -1
    return code, time.perf_counter() - t0


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "system": platform.platform(), "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def quiet_or_shared(m: dict) -> list[str]:
    """What the load average at the start says about the run's absolute times."""
    load = float(str(m.get("load average at start", "0")).split()[0] or 0)
    if load < (m.get("cores") or 2) * 0.75:
        return ["The machine was otherwise idle at the start (load average under three quarters of its cores): "
                "the bench's own processes (locust, gunicorn, PostgreSQL) share its cores. Each figure is also a "
                "ratio to a baseline measured in the same run."]
    return ["The machine was shared with other work while this ran: absolute times are noisy, which is why each "
            "figure is a ratio to a baseline measured in the same run."]


def main() -> None:
    if "--report-only" in sys.argv:  # rebuild results.json and RESULTS.md from bench/out (NOTES.md edited)
        saved = json.loads((OUT / "steps.json").read_text())
        write_results(saved["steps"], dt.datetime.fromisoformat(saved["started"]), saved["total"], saved["machine"])
        return
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    load = machine()
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    database = scratch_database()  # starts the embedded servers first when the URLs are unset
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.local", "DEBUG": "false",
           "BENCH_OUT": str(OUT), "DATABASE_URL": database}
    py = sys.executable
    steps = []
    code, seconds = run([py, "manage.py", "migrate", "--noinput", "-v0"], env, OUT / "migrate.log", 900)
    steps.append(("migrate", code, seconds))
    for args in SEEDS:
        code, seconds = run([py, "manage.py", "seed_scale", *args], env, OUT / f"seed-{args[5]}.log", 900)
        steps.append((f"seed_scale {' '.join(args)}", code, seconds))
        print(f"seed_scale {' '.join(args)}: {seconds:.0f}s (exit {code})", flush=True)
    # A published quota (the demo's 2026 one) for the public decision PDF (4b) and the public page (7).
    code, seconds = run([py, str(BENCH / "published.py")], env, OUT / "published.log", 300)
    steps.append(("publish the demo quota: bench/published.py", code, seconds))
    for figure, script, timeout in FIGURES:
        code, seconds = run([py, str(BENCH / script[0]), *script[1:]], env, OUT / f"{figure}.log", timeout)
        steps.append((f"{figure}: bench/{' '.join(script)}", code, seconds))
        print(f"{figure}: {seconds:.0f}s (exit {code})", flush=True)
    total = time.perf_counter() - t0
    (OUT / "steps.json").write_text(json.dumps({"steps": steps, "started": started.isoformat(), "total": total,
                                                "machine": load}))
    write_results(steps, started, total, load)
    print((BENCH / "RESULTS.md").read_text())


def write_results(steps: list, started, total: float, load: dict) -> None:
    results = {}
    for figure, _script, _timeout in FIGURES:
        for path in sorted(OUT.glob(f"{figure.split('_')[0]}*.json")):
            results[path.stem] = json.loads(path.read_text())
        if not any(k.startswith(figure.split("_")[0]) for k in results):
            results[figure] = {"title": figure, "value": "failed", "unit": "", "baseline": None, "ratio": None,
                               "goal": "", "met": False, "detail": {"log": f"bench/out/{figure}.log"}}
    (BENCH / "results.json").write_text(json.dumps(
        {k: {f: v[f] for f in ("value", "unit", "baseline", "ratio", "goal", "met")} for k, v in results.items()},
        ensure_ascii=False, indent=1) + "\n")
    write_markdown(results, steps, started, total, load)


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return "—" if value is None else str(value)


def write_markdown(results: dict, steps: list, started, total: float, m: dict) -> None:
    lines = ["# Bench results (issue 14)", "",
             f"Run by `make bench` on {started:%Y-%m-%d %H:%M} UTC in {total / 60:.1f} minutes.", "",
             "## Machine", "", *(f"- {k}: {v}" for k, v in m.items()), "",
             *quiet_or_shared(m), "",
             "## Figures", "",
             "| figure | value | baseline | ratio | goal | met |", "|---|---|---|---|---|---|"]
    for key, r in results.items():
        met = {True: "yes", False: "**no**", None: "not measured"}[r["met"]]
        lines.append(f"| {r.get('title') or key} | {fmt(r['value'])} {r['unit']} | {fmt(r['baseline'])} "
                     f"{r['unit'] if r['baseline'] is not None else ''} | {fmt(r['ratio'])} | {r['goal']} | {met} |")
    lines += ["", "## Details", ""]
    for key, r in results.items():
        lines.append(f"### {key}: {r.get('title', '')}")
        lines += [f"- {k}: {v}" for k, v in r.get("detail", {}).items()]
        lines.append("")
    lines += ["## Steps", "", "| step | exit | seconds |", "|---|---|---|"]
    lines += [f"| {name} | {code} | {seconds:.0f} |" for name, code, seconds in steps]
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
