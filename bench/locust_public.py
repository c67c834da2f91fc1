"""Locust readers of the public quota page and its JSON (bench/public.py runs this file headless):
anonymous, each reading the page, the JSON and the stylesheet (the baseline) in turn.
Pace (BENCH_PUBLIC_PACE): "human" (the figure), 5-15 s on the page before reading it again, as a
person reading a table of 20 regions does; "stress", 0.5-2 s: every reader re-reading without end,
which measures the machine's throughput, not a reader's wait.
Environment: BENCH_PUBLIC_YEAR, BENCH_STATIC, BENCH_PUBLIC_PACE."""
from __future__ import annotations

import os

from locust import FastHttpUser, between, task

YEAR = os.environ["BENCH_PUBLIC_YEAR"]
STATIC = os.environ["BENCH_STATIC"]


class Reader(FastHttpUser):
    wait_time = between(0.5, 2) if os.environ.get("BENCH_PUBLIC_PACE", "human") == "stress" else between(5, 15)

    @task
    def read(self):
        self.client.get(f"/public/quota/{YEAR}/", name="public page")
        self.client.get(f"/public/quota/{YEAR}.json", name="public JSON")
        self.client.get(STATIC, name="static (baseline)")
