"""The Ministry's operations page, the outage protocol and every sweep's run recorded."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from applications import services as app_services
from quota_portal.core import health, ops_services, registry
from quota_portal.core.audit import history_for_model
from quota_portal.core.deadlines import run_sweeps
from quota_portal.core.errors import DomainError
from quota_portal.core.models import DeadlineExtension, Heartbeat, Outage, Outbox, OutboxRetry, SweepRun
from quota_portal.core.notifications import notify
from quota_portal.core.registry import Sweep
from tests.applications.conftest import fill
from tests.conftest import almaty

URL = "/ministry/operations/"


@pytest.mark.parametrize("who", ["employer", "employer2", "akimat_officer", "secretary", "member",
                                 "central_officer", "outsider"])
def test_only_the_ministry_sees_the_operations_page_and_its_actions(cast, who):
    failed = _failed_mail(cast)
    client = cast.client(getattr(cast, who))
    assert client.get(URL).status_code == 404
    assert client.post("/ministry/operations/outbox/retry/", {}).status_code == 404
    outage_data = {"started_at": "2026-11-20T10:00", "ended_at": "2026-11-20T12:00", "note": "x"}
    assert client.post("/ministry/operations/outages/", outage_data).status_code == 404
    outage = Outage.objects.create(started_at=almaty(2026, 11, 20, 10), ended_at=almaty(2026, 11, 20, 12), note="x")
    assert client.post(f"/ministry/operations/outages/{outage.pk}/extend/", {}).status_code == 404
    failed.refresh_from_db()
    assert failed.status == Outbox.Status.FAILED and Outage.objects.count() == 1


def test_anonymous_visitors_are_sent_to_login(cast):
    response = cast.client(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_sweep_run_is_recorded_with_its_count_or_error(cast):
    def broken():
        raise RuntimeError("the sweep's own failure")

    with registry.registered(Sweep(key="test.broken", run=broken), Sweep(key="test.counts", run=lambda: 7)):
        results = run_sweeps()
    assert results["test.broken"] == "error" and results["test.counts"] == 7
    broken_run = SweepRun.objects.get(sweep="test.broken")
    assert "RuntimeError: the sweep's own failure" in broken_run.error and broken_run.handled is None
    assert broken_run.finished_at is not None
    counted = SweepRun.objects.get(sweep="test.counts")
    assert counted.handled == 7 and counted.error == "" and counted.finished_at >= counted.started_at
    # Every registered sweep, whichever app registered it, has its run.
    assert set(SweepRun.objects.values_list("sweep", flat=True)) == {s.key for s in registry.sweeps()} | {
        "test.broken", "test.counts"}


def test_the_page_lists_sweeps_runs_and_the_mail_queue(cast):
    with registry.registered(Sweep(key="test.counts", run=lambda: 7)):
        run_sweeps()
        # The sweeps' own notices (the cast's 2027 campaign has overdue work) are not this test's queue.
        Outbox.objects.all().delete()
        _failed_mail(cast)
        notify(event_key="t.pending", recipients=[cast.employer], subject="Pending", body="b",
               channels=(Outbox.Channel.EMAIL,))
        Outbox.objects.filter(event_key="t.pending").update(status=Outbox.Status.PENDING)
        page = cast.client(cast.analyst).get(URL).content.decode()
    assert 'data-sweep="test.counts"' in page and 'data-sweep="applications.filing_closed"' in page
    assert 'data-testid="queue-failed">1<' in page and 'data-testid="queue-pending">1<' in page
    assert "smtp refused" in page


def test_the_ministry_retries_failed_mails_and_the_retry_is_recorded(cast, django_capture_on_commit_callbacks):
    failed = _failed_mail(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.analyst).post("/ministry/operations/outbox/retry/", {"row": str(failed.pk)})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Outbox.Status.SENT and len(mail.outbox) == 1
    retry = OutboxRetry.objects.get()
    assert retry.retried_by == cast.analyst and retry.rows == [failed.pk]
    [event] = history_for_model("core.OutboxRetryEvent")
    assert event["user"] == cast.analyst and event["action"] == "outbox_retry_failed"
    # Nothing left to retry: refused with a message, nothing recorded.
    cast.client(cast.analyst).post("/ministry/operations/outbox/retry/", {})
    assert OutboxRetry.objects.count() == 1


def test_an_outage_with_hostile_input_is_refused_on_its_field_and_keeps_what_was_typed(cast):
    client = cast.client(cast.analyst)
    note = "Ҳ" * 600
    response = client.post("/ministry/operations/outages/", {"started_at": "٢٠٢٦-11-20T10:00", "ended_at": "",
                                                             "note": note})
    assert response.status_code == 400
    form = response.context["outage_form"]
    assert "started_at" in form.errors and "note" in form.errors
    assert form["note"].value() == note
    response = client.post("/ministry/operations/outages/", {"started_at": "2026-11-20T10:00",
                                                             "ended_at": "2026-11-20T09:00", "note": "DNS"})
    assert response.status_code == 400 and "ended_at" in response.context["outage_form"].errors
    assert not Outage.objects.exists()


def test_the_probe_records_an_outage_after_the_configured_minutes_and_closes_it(cast, settings):
    settings.QP_OUTAGE_MINUTES = 10
    bad = {"database": "ok", "redis": "error: ConnectionError", "beat": "ok"}
    ok = {"database": "ok", "redis": "ok", "beat": "ok"}
    start = almaty(2026, 11, 24, 9, 0)
    assert health.probe(ok, now=start) == "ok"
    assert health.probe(bad, now=start + dt.timedelta(minutes=1)) == "failing"
    assert health.probe(bad, now=start + dt.timedelta(minutes=10)) == "failing"
    assert not Outage.objects.exists()
    assert health.probe(bad, now=start + dt.timedelta(minutes=12)) == "outage_opened"
    assert health.probe(bad, now=start + dt.timedelta(minutes=13)) == "failing"  # one open outage, not two
    assert health.probe(ok, now=start + dt.timedelta(minutes=20)) == "outage_closed"
    outage = Outage.objects.get()
    assert outage.source == Outage.Source.HEALTH_CHECK
    assert (outage.started_at, outage.ended_at) == (start + dt.timedelta(minutes=1), start + dt.timedelta(minutes=20))
    assert "redis" in outage.note


def test_a_gap_without_any_probe_is_recorded_as_an_outage(cast, settings):
    settings.QP_OUTAGE_MINUTES = 10
    ok = {"database": "ok", "redis": "ok", "beat": "ok"}
    start = almaty(2026, 11, 24, 9, 0)
    health.probe(ok, now=start)
    health.probe(ok, now=start + dt.timedelta(minutes=5))  # a short gap is no outage
    assert not Outage.objects.exists()
    assert health.probe(ok, now=start + dt.timedelta(minutes=45)) == "gap_recorded"
    outage = Outage.objects.get()
    assert (outage.started_at, outage.ended_at) == (start + dt.timedelta(minutes=5), start + dt.timedelta(minutes=45))


def test_a_gap_followed_by_a_failing_probe_counts_from_the_last_probe(cast, settings):
    settings.QP_OUTAGE_MINUTES = 10
    bad = {"database": "ok", "redis": "ok", "beat": "error: last heartbeat at ..."}
    start = almaty(2026, 11, 24, 9, 0)
    health.probe({"database": "ok", "redis": "ok", "beat": "ok"}, now=start)
    # Beat was down for 40 minutes; its first probe still sees the stale heartbeat.
    assert health.probe(bad, now=start + dt.timedelta(minutes=40)) == "outage_opened"
    assert Outage.objects.get().started_at == start


def test_the_probe_task_reads_the_real_health(cast):
    Heartbeat.objects.create(name="beat", at=almaty(2026, 11, 25, 10, 0))
    from quota_portal.core.tasks import probe_health

    assert probe_health.delay().get() == "ok"


# --- Extension after an outage ---------------------------------------------------------------

@pytest.fixture
def after_outage(cast, occupations):
    """A draft of cast.org for quota 2028 and an outage from 22:00 on 30 Sep 2027 to 02:00 on 1 Oct:
    the filing deadline (until 1 Oct 2027, closing at 00:00) fell in it. The clock: 2 Oct, 10:00."""
    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    with time_machine.travel(almaty(2027, 10, 2, 10, 0), tick=False):
        outage = ops_services.outage_record(actor=cast.analyst, started_at=almaty(2027, 9, 30, 22, 0),
                                            ended_at=almaty(2027, 10, 1, 2, 0), note="Data centre power failure")
        yield outage, app


def test_the_ministry_extends_the_deadlines_an_outage_affected_in_one_action(cast, after_outage, occupations,
                                                                           django_capture_on_commit_callbacks):
    outage, app = after_outage
    run_sweeps()  # the filing sweep closed the draft at the old deadline
    app.refresh_from_db()
    assert app.status == app.Status.NOT_SUBMITTED
    client = cast.client(cast.analyst)
    page = client.get(URL).content.decode()
    assert f'value="{cast.next_campaign.year}:filing"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/ministry/operations/outages/{outage.pk}/extend/", {
            f"outage{outage.pk}-deadlines": ["2028:filing"], f"outage{outage.pk}-working_days": "3",
            f"outage{outage.pk}-reason": "The portal was down on the last evening of filing"})
    assert response.status_code == 302, response.context and [i["form"].errors for i in response.context["outages"]]
    cast.next_campaign.refresh_from_db()
    # 1 Oct 2027 is a Friday: three working days later is Wednesday 6 October.
    assert cast.next_campaign.filing_deadline == dt.date(2027, 10, 6)
    ext = DeadlineExtension.objects.get()
    assert (ext.old_date, ext.new_date, ext.working_days, ext.extended_by, ext.outage) == (
        dt.date(2027, 10, 1), dt.date(2027, 10, 6), 3, cast.analyst, outage)
    # What the sweep closed at the old date is open again, and the server honours the new date:
    # on 4 October the draft is saved and submitted.
    app.refresh_from_db()
    assert app.status == app.Status.DRAFT
    with time_machine.travel(almaty(2027, 10, 4, 12, 0), tick=False):
        fill(app, cast.employer, occupations)
        app.refresh_from_db()
        app_services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
        app.refresh_from_db()
        assert app.status == app.Status.SUBMITTED
    # Everyone concerned is told: the draft's owner and editor, and the Ministry; not the viewer.
    told = set(Outbox.objects.filter(event_key=f"core.deadline_extension.{ext.pk}", channel="email")
               .values_list("recipient__email", flat=True))
    assert told == {cast.employer.email, cast.employer_editor.email, cast.analyst.email, cast.approver.email}
    assert any("6 " in m.body and "last evening" in m.body for m in mail.outbox)
    # Audited with who and why.
    [event] = history_for_model("core.DeadlineExtensionEvent")
    assert event["user"] == cast.analyst and event["action"] == "deadline_extend"
    # The extension and its reason show where the deadline shows: the employer's application page.
    page = cast.client(cast.employer).get(f"/applications/{app.pk}/").content.decode()
    assert 'data-testid="deadline-extension"' in page and "last evening of filing" in page
    dashboard = cast.client(cast.employer).get("/dashboard/").content.decode()
    assert "last evening of filing" in dashboard


def test_an_extension_is_refused_for_a_deadline_the_outage_did_not_affect(cast, after_outage):
    outage, _app = after_outage
    with pytest.raises(DomainError) as refused:
        ops_services.deadline_extend(actor=cast.analyst, outage=outage, deadlines=["2028:generalization"],
                                     working_days=3, reason="x")
    assert refused.value.field == "deadlines"
    with pytest.raises(DomainError) as refused:
        ops_services.deadline_extend(actor=cast.employer, outage=outage, deadlines=["2028:filing"],
                                     working_days=3, reason="x")
    assert refused.value.code == "forbidden"
    response = cast.client(cast.analyst).post(f"/ministry/operations/outages/{outage.pk}/extend/", {
        f"outage{outage.pk}-deadlines": ["2028:filing"], f"outage{outage.pk}-working_days": "-3",
        f"outage{outage.pk}-reason": "Ҳ\x01"})
    assert response.status_code == 400
    cast.next_campaign.refresh_from_db()
    assert cast.next_campaign.filing_deadline == dt.date(2027, 10, 1) and not DeadlineExtension.objects.exists()


def test_an_extension_that_would_break_the_cycle_order_is_refused_on_the_days(cast, after_outage):
    outage, _app = after_outage
    with pytest.raises(DomainError) as refused:
        ops_services.deadline_extend(actor=cast.analyst, outage=outage, deadlines=["2028:filing"],
                                     working_days=20, reason="long outage")
    assert refused.value.field == "working_days"
    assert not DeadlineExtension.objects.exists()


def _failed_mail(cast) -> Outbox:
    notify(event_key="t.failed", recipients=[cast.akimat_officer], subject="Failed", body="b",
           channels=(Outbox.Channel.EMAIL,))
    row = Outbox.objects.get(event_key="t.failed")
    Outbox.objects.filter(pk=row.pk).update(status=Outbox.Status.FAILED, attempts=5, last_error="smtp refused")
    row.refresh_from_db()
    return row
