"""Locust users of the deadline rush (bench/rush.py runs this file headless):
each employer logs in, opens the Annex 1 form of a draft, saves 10 lines, opens the review page,
submits; then the next draft (logging out only at the stress pace: a person filing at the deadline
leaves the session to expire, and a logout sent while locust stops would count as a failure).
Between pages the browser fetches the portal's stylesheet (the static baseline: the same users,
the same stack, at the same moments).

Pace (BENCH_RUSH_PACE): "human" (the figure) gives each page the time a person spends on it: 20-40 s
typing the 10 lines of the form, 3-8 s reading the review page before submitting, 5-15 s before the
next application; the employer logs in once, as a person filing in several regions does. "stress"
keeps the machine-gun pace of the first runs (0.5-2 s per page, 1-3 s between applications, a new
login for each application): it measures what the machine carries when the load is past it.

Environment: BENCH_RUSH_USERS, a JSON file {"password", "occupations", "static", "users":
[{"email", "drafts": [ids]}]} written by bench/rush.py."""
from __future__ import annotations

import itertools
import json
import os
import random
import re

import gevent
from locust import FastHttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_RUSH_USERS"], encoding="utf-8").read())  # noqa: SIM115
NEXT = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')


def field(pattern: re.Pattern, text: str) -> str:
    found = pattern.search(text)
    return found.group(1) if found else ""


STRESS = os.environ.get("BENCH_RUSH_PACE", "human") == "stress"
PAUSES = {"form": (0.5, 2.0), "review": (0.5, 2.0)} if STRESS else {"form": (20, 40), "review": (3, 8)}


class Employer(FastHttpUser):
    wait_time = between(1, 3) if STRESS else between(5, 15)

    def on_start(self):
        me = DATA["users"][next(NEXT) % len(DATA["users"])]
        self.email, self.drafts = me["email"], list(me["drafts"])
        self.logged_in = False

    def static(self):
        self.client.get(DATA["static"], name="static (baseline)")

    def think(self, page: str):
        gevent.sleep(random.uniform(*PAUSES[page]))

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        for _attempt in range(30):
            # A login over the worker's bound is answered 503 at once: the user tries again, as asked.
            with self.client.post("/accounts/login/", data={"csrfmiddlewaretoken": field(CSRF, page.text),
                                                            "username": self.email, "password": DATA["password"]},
                                  name="login", headers={"Referer": self.host + "/accounts/login/"},
                                  catch_response=True) as answer:
                if answer.status_code != 503:
                    break
                answer.success()
                self.environment.events.request.fire(request_type="POST", name="login: busy, try again",
                                                     response_time=0, response_length=0, exception=None,
                                                     context={})
            page = answer
            gevent.sleep(int(answer.headers.get("Retry-After", "5")))
        self.logged_in = True

    @task
    def file_one(self):
        if not self.drafts:
            self.wait()
            return
        pk = self.drafts.pop(0)
        if STRESS or not self.logged_in:
            self.log_in()
            self.static()
        form = self.client.get(f"/applications/{pk}/edit/", name="form")
        data = {"csrfmiddlewaretoken": field(CSRF, form.text), "revision": field(REVISION, form.text),
                "current_year_count": "3", "justification": "Договор подряда № 17 на строительство",
                "signer_position": "Директор", "signer_name": "Иванов Иван Иванович", "action": "review",
                "lines-TOTAL_FORMS": "10", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
                "lines-MAX_NUM_FORMS": "500", "projects-TOTAL_FORMS": "0", "projects-INITIAL_FORMS": "0",
                "projects-MIN_NUM_FORMS": "0", "projects-MAX_NUM_FORMS": "100"}
        self.think("form")
        for i, code in enumerate(DATA["occupations"][:10]):
            data.update({f"lines-{i}-category": "34"[i % 2], f"lines-{i}-occupation": code,
                         f"lines-{i}-specialty": "", f"lines-{i}-count": str(1 + i % 4)})
        with self.client.post(f"/applications/{pk}/edit/", data=data, name="save",
                              headers={"Referer": f"{self.host}/applications/{pk}/edit/"},
                              catch_response=True) as saved:
            if f"/applications/{pk}/review/" not in (saved.url or ""):
                saved.failure("the draft was not saved")
                return
            saved.success()
        self.static()
        self.think("review")
        with self.client.post(f"/applications/{pk}/submit/", name="submit",
                              data={"csrfmiddlewaretoken": field(CSRF, saved.text),
                                    "revision": field(REVISION, saved.text), "declaration": "on"},
                              headers={"Referer": f"{self.host}/applications/{pk}/review/"},
                              catch_response=True) as submitted:
            if "/receipt/" not in (submitted.url or ""):
                submitted.failure("no receipt after submitting")
            else:
                submitted.success()
        if STRESS:
            self.client.post("/accounts/logout/", data={"csrfmiddlewaretoken": field(CSRF, submitted.text)},
                             name="logout", headers={"Referer": self.host + "/"})
            self.logged_in = False
