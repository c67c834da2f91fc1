"""Exactly once, under faults: a real Celery worker process (`celery -A quota_portal worker`)
against the real Redis and the test database.

Each test starts the worker with tests/ops/worker_settings.py (the test settings with a file mail
backend that can be slowed down, and production's timeouts shortened to seconds), and counts what
reached the "mail server": one .eml file per mail, each carrying its outbox row's Message-ID.

- kill -9 of the whole worker (parent and pool) in the middle of a delivery, then a new worker:
  every notice delivered once;
- every registered deadline sweep run twice at once (two pool processes): no status moved twice,
  no reminder twice;
- the transaction that wrote a notice rolls back: nothing is sent;
- Redis down (the broker is a redis-server on a spare port, not yet started) while notices are
  written: nothing lost, all delivered once it starts.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection, transaction
from kombu import pools

from applications import services as app_services
from applications.models import Application, StatusChange
from quota_portal.celery import app as celery_app
from quota_portal.core import registry
from quota_portal.core.models import Campaign, Outbox, SweepRun
from quota_portal.core.notifications import notify
from quota_portal.core.tasks import deadline_sweep
from tests.applications.conftest import fill
from tests.ops.slowmail import sent_message_ids

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
EMAIL = Outbox.Channel.EMAIL


def wait_for(condition, *, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Worker:
    """One `celery -A quota_portal worker` process group, started and killed by the test."""

    def __init__(self, tmp_path: Path, broker_url: str, *, name: str, concurrency: int = 1, beat: bool = False,
                 mail_delay: float = 0.0):
        self.log = tmp_path / f"{name}.log"
        self.ready = tmp_path / f"{name}.ready"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
               "QP_FAULT_DB_NAME": connection.settings_dict["NAME"], "QP_FAULT_MAIL_DIR": str(tmp_path / "mail"),
               "QP_FAULT_MAIL_DELAY": str(mail_delay), "QP_FAULT_READY_FILE": str(self.ready),
               "CELERY_BROKER_URL": broker_url, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "celery", "-A", "quota_portal", "worker", "-l", "info", "-P", "prefork",
                   "-c", str(concurrency), "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                   "--without-heartbeat"]
        if beat:
            command += ["-B", "-s", str(tmp_path / f"{name}-beat-schedule")]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def wait_ready(self, timeout: float = 45):
        wait_for(lambda: self.ready.exists() or self.process.poll() is not None, timeout=timeout, what="the worker")
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def kill(self):
        """kill -9 of the worker's whole process group: the parent and every pool process."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker(settings):
    """The test process publishes for real (not eagerly) to this test's own Redis database."""
    url = settings.CELERY_BROKER_URL
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    with publishing_to(url):
        yield url


class publishing_to:
    """Point the portal's Celery app at `url` and publish for real, for the length of a block."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        self.saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
        self._switch(self.url, False)

    def __exit__(self, *exc):
        self._switch(*self.saved)

    @staticmethod
    def _switch(url, eager):
        celery_app.conf.broker_url = url
        celery_app.conf.task_always_eager = eager
        pools.reset()  # kombu's registry of connection and producer pools: none kept for the old URL
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(tmp_path):
    started = []

    def start(broker_url, **kwargs):
        worker = Worker(tmp_path, broker_url, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def email_rows():
    return Outbox.objects.filter(channel=EMAIL)


def expected_ids(rows) -> set[str]:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ")
    return {f"<outbox-{pk}@{domain}>" for pk in rows.values_list("pk", flat=True)}


def people(cast):
    return [cast.employer, cast.employer_editor, cast.akimat_officer, cast.secretary, cast.central_officer,
            cast.analyst]


def test_a_worker_killed_mid_delivery_and_restarted_delivers_each_notice_once(cast, broker, workers, tmp_path):
    mail_dir = tmp_path / "mail"
    with transaction.atomic():
        notify(event_key="fault.kill", recipients=people(cast), subject="Notice", body="Delivered once",
               channels=(EMAIL,))
    # The commit enqueued one core.deliver_outbox; a slow worker takes it (1.5 s per mail).
    first = workers(broker, name="first", mail_delay=1.5)
    wait_for(lambda: len(list((mail_dir / "sending").glob("*"))) >= 3, timeout=60, what="the third mail")
    first.kill()  # in the middle of the third mail: two written, the third claimed and unsent
    before = sent_message_ids(mail_dir)
    statuses = sorted(email_rows().values_list("status", flat=True))
    assert len(before) == 2, before
    assert statuses.count(Outbox.Status.SENT) == 2 and statuses.count(Outbox.Status.SENDING) == 1, statuses

    # A new worker: the killed task's message comes back (acks_late; visibility timeout) and takes
    # over the third mail once the claim the dead worker left on it has expired (QP_OUTBOX_CLAIM_SECONDS,
    # 2 s in tests/ops/worker_settings.py; in production the beat's deliver-outbox takes a row whose
    # claim expires later). On an idle machine a worker starts in about a second: the test waits for
    # the claim to expire first, or the redelivered task would find it still held and nothing would
    # come back for it (this worker runs without the beat).
    # (A real-time sleep: the claim was made before the kill, and this process's clock is the test's.)
    time.sleep(2.5)
    workers(broker, name="second")
    wait_for(lambda: not email_rows().exclude(status=Outbox.Status.SENT).exists(), timeout=60,
             what="every mail sent")
    after = sent_message_ids(mail_dir)
    assert len(after) == len(set(after)) == 6, after
    assert set(after) == expected_ids(email_rows())


@pytest.fixture
def due_work(cast, occupations):
    """Work for every sweep on the real clock (the worker's): a campaign whose filing closed
    yesterday with a draft and a submitted application, and one whose filing closes in 3 days with
    a draft (its owner and editor are reminded)."""
    real_now = dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=dt.UTC)
    today = real_now.astimezone(dt.timezone(dt.timedelta(hours=5))).date()
    closed = Campaign.for_year(2090)
    closed.filing_opens, closed.filing_deadline = today - dt.timedelta(days=30), today - dt.timedelta(days=1)
    closed.save()
    closing = Campaign.for_year(2091)
    closing.filing_opens, closing.filing_deadline = today - dt.timedelta(days=30), today + dt.timedelta(days=3)
    closing.save()
    with time_machine.travel(real_now - dt.timedelta(days=5), tick=True):
        draft = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=closed,
                                               region=cast.astana)
        submitted = fill(app_services.application_start(actor=cast.employer2, organization=cast.org2,
                                                        campaign=closed, region=cast.atyrau),
                         cast.employer2, occupations)
        submitted.refresh_from_db()
        app_services.application_submit(actor=cast.employer2, application=submitted,
                                        expected_revision=submitted.revision)
        reminded = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=closing,
                                                  region=cast.astana)
    return draft, submitted, reminded


def test_every_sweep_run_twice_at_once_moves_and_reminds_once(cast, due_work, broker, workers, tmp_path):
    draft, submitted, reminded = due_work
    sweeps = {s.key for s in registry.sweeps()}
    changes_before = StatusChange.objects.count()
    mailed_before = list(email_rows().values_list("pk", flat=True))  # the receipt, mailed at submission
    workers(broker, name="sweeper", concurrency=2)
    deadline_sweep.delay()
    deadline_sweep.delay()
    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).count() == 2 * len(sweeps), timeout=60,
             what="two runs of every sweep")
    wait_for(lambda: email_rows().exists() and not email_rows().exclude(status=Outbox.Status.SENT).exists(),
             timeout=60, what="the reminders mailed")
    time.sleep(2)  # anything sent twice would have arrived by now
    for name in sweeps:
        runs = list(SweepRun.objects.filter(sweep=name))
        assert len(runs) == 2 and all(run.error == "" for run in runs), (name, runs)
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.status, submitted.status) == (Application.Status.NOT_SUBMITTED, Application.Status.UNDER_REVIEW)
    # Each application moved once (one status change each), whichever run got it.
    assert StatusChange.objects.count() - changes_before == 2
    closed_runs = SweepRun.objects.filter(sweep="applications.filing_closed")
    assert sum(run.handled for run in closed_runs) == 2
    # The draft's owner and editor reminded once each, by mail and in the inbox.
    # One reminder per draft and number of days left (applications.reminder.<pk>.d<N>).
    reminder = Outbox.objects.filter(event_key__startswith=f"applications.reminder.{reminded.pk}.")
    assert sorted(reminder.values_list("recipient__email", "channel")) == sorted(
        (u.email, ch) for u in (cast.employer, cast.employer_editor) for ch in ("email", "inbox"))
    mails = sent_message_ids(tmp_path / "mail")
    by_worker = email_rows().exclude(pk__in=mailed_before)
    # The reminders, and the overdue notices of the deadline sweeps: each mailed once.
    assert len(mails) == len(set(mails)) == by_worker.count() >= 2
    assert set(mails) == expected_ids(by_worker)


def test_a_rolled_back_transaction_sends_nothing(cast, broker, workers, tmp_path):
    workers(broker, name="rollback").wait_ready()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(event_key="fault.rolled_back", recipients=[cast.employer], subject="Never", body="Never sent",
               channels=(EMAIL,))
        raise RuntimeError("the change fails after the notice was written")
    with transaction.atomic():
        notify(event_key="fault.committed", recipients=[cast.employer2], subject="Sent", body="Sent",
               channels=(EMAIL,))
    wait_for(lambda: sent_message_ids(tmp_path / "mail"), timeout=30, what="the committed notice")
    time.sleep(3)  # the worker is idle and the queue empty: a rolled-back notice would have come by now
    assert not Outbox.objects.filter(event_key="fault.rolled_back").exists()
    assert sent_message_ids(tmp_path / "mail") == sorted(expected_ids(email_rows()))
    assert list(email_rows().values_list("event_key", flat=True)) == ["fault.committed"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The fault: Redis down for a minute while the portal keeps writing notices.
REDIS_DOWN_SECONDS = 60


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_notices_written_while_redis_is_down_are_delivered_once_it_is_back(cast, workers, tmp_path):
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    # The worker (with beat, -B) starts against a broker that is not running: it keeps retrying.
    worker = workers(url, name="outage", beat=True)
    with publishing_to(url):
        started = time.monotonic()
        with transaction.atomic():  # the enqueue on commit fails; the change and its rows stand
            notify(event_key="fault.redis_down", recipients=people(cast), subject="Written while Redis was down",
                   body="Delivered after", channels=(EMAIL,))
        assert email_rows().count() == 6
        time.sleep(max(0, REDIS_DOWN_SECONDS - (time.monotonic() - started)))
        assert worker.process.poll() is None
        assert not sent_message_ids(tmp_path / "mail")
        assert set(email_rows().values_list("status", flat=True)) == {Outbox.Status.PENDING}
        server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(tmp_path)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: not email_rows().exclude(status=Outbox.Status.SENT).exists(), timeout=60,
                     what="delivery after Redis came back")
            time.sleep(3)  # beat keeps sending deliver-outbox every 2 s: nothing goes twice
            mails = sent_message_ids(tmp_path / "mail")
            assert len(mails) == len(set(mails)) == 6
            assert set(mails) == expected_ids(email_rows())
        finally:
            worker.stop()
            server.terminate()
            server.wait(timeout=10)
