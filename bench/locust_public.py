"""Locust readers of the public quota page and its JSON (bench/public.py runs this file headless):
anonymous, each reading the page, the JSON and the stylesheet (the baseline) in turn.
Environment: BENCH_PUBLIC_YEAR, BENCH_STATIC."""
from __future__ import annotations

import os

from locust import FastHttpUser, between, task

YEAR = os.environ["BENCH_PUBLIC_YEAR"]
STATIC = os.environ["BENCH_STATIC"]


class Reader(FastHttpUser):
    wait_time = between(0.5, 2)

    @task
    def read(self):
        self.client.get(f"/public/quota/{YEAR}/", name="public page")
        self.client.get(f"/public/quota/{YEAR}.json", name="public JSON")
        self.client.get(STATIC, name="static (baseline)")
