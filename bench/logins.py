"""Figure 8 (logins): logins per second per core, and what a wave of logins does to the pages of
users already logged in.

1. Per core: check_password in one process (one core) with the configured hasher and cost
   (PASSWORD_HASHER: Argon2id at 19 MiB, t = 2 by default) against Django 5.2's default (PBKDF2-SHA256
   at 1,000,000 iterations) and PBKDF2 at OWASP's 600,000.
2. The wave, against gunicorn (bench/server.py) twice: "before" (Django's default hasher and cost,
   no gate, 3 sync workers: the layout and cost the issue measured) and "after" (the configured
   hasher and cost, the machine-wide hash gate PASSWORD_HASH_CONCURRENCY, gthread workers). In each, --readers logged-in
   users load their dashboard every 0.3 s; after a quiet period, --wave employers arrive at
   --rate a second and log in. The figure is the dashboard's p95 during the wave over its p95 in
   the quiet period, "after"; the "before" run is in the detail.

    .venv/bin/python bench/logins.py [--wave 100 --rate 20 --readers 10]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time

from common import ROOT, pct, report, setup
from server import gunicorn

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BUSY: list[int] = []  # 503 answers (login over the worker's bound), each tried again


PBKDF2_DEFAULT = {"PASSWORD_HASHER": "pbkdf2", "PASSWORD_PBKDF2_ITERATIONS": "1000000"}
PBKDF2_OWASP = {"PASSWORD_HASHER": "pbkdf2", "PASSWORD_PBKDF2_ITERATIONS": "600000"}


def hasher_settings(env: dict) -> dict:
    """The Django settings an environment of PASSWORD_HASHER & co. gives (settings/base.py)."""
    from django.conf import settings

    chosen = env.get("PASSWORD_HASHER", settings.PASSWORD_HASHER)
    iterations = int(env.get("PASSWORD_PBKDF2_ITERATIONS", settings.PASSWORD_PBKDF2_ITERATIONS))
    return {"PASSWORD_HASHERS": settings.PASSWORD_HASHERS_BY_CHOICE[chosen], "PASSWORD_PBKDF2_ITERATIONS": iterations}


def per_core(env: dict, n: int = 8) -> float:
    """check_password per second in this process with the hasher and cost of `env`."""
    from django.contrib.auth.hashers import check_password, make_password
    from django.test.utils import override_settings

    with override_settings(**hasher_settings(env), PASSWORD_HASH_CONCURRENCY=0):
        encoded = make_password("bench-pass-2026")
        t0 = time.perf_counter()
        for _ in range(n):
            assert check_password("bench-pass-2026", encoded)
        return n / (time.perf_counter() - t0)


def seed(year: int, n: int, env: dict) -> list[str]:
    subprocess.run([sys.executable, "manage.py", "seed_scale", "--organizations", str(n), "--lines", str(n),
                    "--year", str(year), "--stage", "review", "--employers", str(n), "--drafts", "1"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **env})
    return [f"bench.employer.{year}.{i}@bench.kz" for i in range(n)]


def login(base: str, email: str):
    import requests

    s = requests.Session()
    page = s.get(f"{base}/accounts/login/", timeout=120)
    t0 = time.perf_counter()
    for _attempt in range(60):  # a 503 "try again in a few seconds" is tried again, as a person would
        r = s.post(f"{base}/accounts/login/", data={"csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                                                    "username": email, "password": "bench-pass-2026"},
                   headers={"Referer": f"{base}/accounts/login/"}, timeout=120, allow_redirects=False)
        if r.status_code != 503:
            break
        BUSY.append(1)
        page = r
        time.sleep(int(r.headers.get("Retry-After", "5")))
    return s, time.perf_counter() - t0, r.status_code == 302


def wave_run(base: str, readers: list[str], wave: list[str], rate: float, quiet: float) -> dict:
    BUSY.clear()
    sessions = [login(base, e)[0] for e in readers]
    samples: list[tuple[float, float]] = []  # (start, seconds)
    stop = threading.Event()

    def read(s):
        while not stop.is_set():
            t0 = time.perf_counter()
            s.get(f"{base}/dashboard/", timeout=120)
            samples.append((t0, time.perf_counter() - t0))
            time.sleep(0.3)

    threads = [threading.Thread(target=read, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    time.sleep(quiet)
    wave_start = time.perf_counter()
    results: list[tuple[float, bool]] = []

    def arrive(email):
        _s, seconds, ok = login(base, email)
        results.append((seconds, ok))

    arrivals = []
    for email in wave:
        t = threading.Thread(target=arrive, args=(email,))
        t.start()
        arrivals.append(t)
        time.sleep(1 / rate)
    for t in arrivals:
        t.join()
    wave_end = time.perf_counter()
    stop.set()
    for t in threads:
        t.join()
    quiet_ms = [s * 1000 for t0, s in samples if t0 < wave_start]
    during_ms = [s * 1000 for t0, s in samples if wave_start <= t0 < wave_end]
    logins = sorted(s for s, _ok in results)
    return {"dashboard quiet p95 ms": round(pct(quiet_ms, 0.95), 1),
            "dashboard wave p95 ms": round(pct(during_ms, 0.95), 1),
            "dashboard wave median ms": round(pct(during_ms, 0.5), 1),
            "login median s": round(pct(logins, 0.5), 2), "login p95 s": round(pct(logins, 0.95), 2),
            "logins ok": sum(ok for _s, ok in results), "busy answers (503, tried again)": len(BUSY),
            "wave seconds": round(wave_end - wave_start, 1),
            "logins/s achieved": round(len(results) / (wave_end - wave_start), 1)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--wave", type=int, default=int(os.environ.get("BENCH_WAVE", "100")))
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--readers", type=int, default=10)
    p.add_argument("--quiet", type=float, default=10)
    p.add_argument("--port", type=int, default=8108)
    args = p.parse_args()
    setup()
    from django.conf import settings

    from quota_portal.core.models import Campaign
    from quota_portal.core.scoping import system_scope

    chosen = {"PASSWORD_HASHER": settings.PASSWORD_HASHER,
              "PASSWORD_PBKDF2_ITERATIONS": str(settings.PASSWORD_PBKDF2_ITERATIONS)}
    memory, passes = settings.PASSWORD_ARGON2_MEMORY_KIB, settings.PASSWORD_ARGON2_TIME_COST
    described = (f"Argon2id, {memory:,} KiB, t = {passes}, p = 1" if settings.PASSWORD_HASHER == "argon2"
                 else f"PBKDF2-SHA256, {settings.PASSWORD_PBKDF2_ITERATIONS:,}")
    rate_chosen, rate_default, rate_owasp = per_core(chosen), per_core(PBKDF2_DEFAULT), per_core(PBKDF2_OWASP)
    with system_scope():
        taken = set(Campaign.objects.values_list("year", flat=True))
    years = [y for y in range(2040, 2100) if y not in taken][:2]
    runs = {}
    layouts = {
        "before": ({**PBKDF2_DEFAULT, "PASSWORD_HASH_CONCURRENCY": "0", "LOGIN_CONCURRENCY_PER_PROCESS": "0"}, 3, 1,
                   "PBKDF2-SHA256, 1,000,000"),
        "after": ({**chosen, "PASSWORD_HASH_CONCURRENCY": str(settings.PASSWORD_HASH_CONCURRENCY),
                   "LOGIN_CONCURRENCY_PER_PROCESS": str(settings.LOGIN_CONCURRENCY_PER_PROCESS)}, 3, 4, described),
    }
    for (name, (env, workers, threads, hasher)), year in zip(layouts.items(), years, strict=True):
        people = seed(year, args.readers + args.wave, env)
        with gunicorn(port=args.port, workers=workers, threads=threads, env_extra=env) as base:
            runs[name] = wave_run(base, people[:args.readers], people[args.readers:], args.rate, args.quiet)
        gate = env["PASSWORD_HASH_CONCURRENCY"]
        gate = "off" if gate == "0" else gate
        runs[name]["layout"] = f"{workers} workers x {threads} threads, {hasher}, hash gate {gate}"
    after = runs["after"]
    value, baseline = after["dashboard wave p95 ms"], after["dashboard quiet p95 ms"]
    report("8_logins", title="Login wave: dashboard p95 during it / quiet", value=value, unit="ms",
           baseline=baseline, goal="ratio <= 3 (a wave does not starve logged-in users)",
           met=bool(baseline) and value / baseline <= 3,
           detail={"logins/s per core with the configured hasher": round(rate_chosen, 1),
                   "logins/s per core at Django's default (PBKDF2-SHA256, 1,000,000)": round(rate_default, 1),
                   "logins/s per core with PBKDF2-SHA256 at OWASP's 600,000": round(rate_owasp, 1),
                   "configured hasher": described,
                   "wave": f"{args.wave} logins arriving at {args.rate}/s, {args.readers} readers of /dashboard/",
                   **{f"{name}: {k}": v for name, r in runs.items() for k, v in r.items()}})


if __name__ == "__main__":
    main()
