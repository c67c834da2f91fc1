"""Legal notices cannot be muted: a user who muted every reminder still gets the Commission's
decision and written notice (Rules p.11), and their office's overdue alerts."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commissions import services
from commissions.models import Notice
from commissions.sweeps import watch_notices
from quota_portal.core.models import Outbox, ReminderMute
from tests.conftest import almaty

from .conftest import votes_for

pytestmark = pytest.mark.django_db


def test_a_user_who_muted_every_reminder_still_gets_the_p11_notice(cast, astana_case):
    for user in (cast.employer, cast.employer_editor, cast.employer_viewer):
        assert cast.client(user).post(reverse("reminders"), {}).status_code == 302
    assert ReminderMute.objects.filter(user=cast.employer).count() == 3
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines={
        line.pk: {"approved": line.count, "grounds": [], "reason": ""} for line in astana_case.lines},
        votes=votes_for(astana_case.members))
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    notice = Notice.objects.get()
    rows = Outbox.objects.filter(event_key=f"commissions.notice.{notice.pk}")
    assert {(r.recipient.email, r.channel) for r in rows} == {
        (u.email, c) for u in (cast.employer, cast.employer_editor, cast.employer_viewer) for c in ("email", "inbox")}


def test_a_secretary_who_muted_notice_reminders_still_gets_the_overdue_alert(cast, astana_case):
    assert cast.client(cast.secretary).post(reverse("reminders"), {}).status_code == 302
    assert ReminderMute.objects.filter(user=cast.secretary, kind="commissions.secretary").exists()
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines={
        line.pk: {"approved": line.count, "grounds": [], "reason": ""} for line in astana_case.lines},
        votes=votes_for(astana_case.members))
    notice = Notice.objects.get()
    due = notice.due
    with time_machine.travel(almaty(due.year, due.month, due.day, 9), tick=False):
        assert watch_notices() == 0  # the day's reminder is muted by the only secretary
    after = due + dt.timedelta(days=1)
    with time_machine.travel(almaty(after.year, after.month, after.day, 9), tick=False):
        assert watch_notices() == 1
        assert watch_notices() == 0
    keys = set(Outbox.objects.filter(recipient=cast.secretary, channel="inbox").values_list("event_key", flat=True))
    assert len(keys) == 1 and next(iter(keys)).startswith(f"overdue.2027.notice.secretary:{cast.astana.pk}.")
