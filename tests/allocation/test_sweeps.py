"""Every deadline's sweep (quota_portal/core/overdue.py and each app's sweeps): what is overdue is
flagged once, the office responsible and the Ministry told once; reminders before; mutes; the
Ministry's overdue page and panel; the profile's reminder settings."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from allocation.proposals_models import Proposal
from allocation.sweeps import watch_distribution, watch_proposals, watch_publication, watch_submissions
from applications.models import Application
from commissions.sweeps import watch_commission, watch_generalization
from quota_portal.core.deadlines import run_sweeps
from quota_portal.core.models import Campaign, Outbox, OverdueItem, ReminderMute
from quota_portal.core.reminders import reminder_threshold
from tests.commissions.conftest import make_application
from tests.conftest import almaty

pytestmark = pytest.mark.django_db
S = Application.Status


def inbox(**filters) -> set[tuple[str, str]]:
    return set(Outbox.objects.filter(channel="inbox", **filters).values_list("recipient__email", "event_key"))


def test_the_threshold_is_the_smallest_reminder_not_yet_past():
    closes = almaty(2026, 10, 1)
    assert reminder_threshold(closes, almaty(2026, 8, 31, 23), (30, 7, 1)) is None
    assert reminder_threshold(closes, almaty(2026, 9, 1, 0), (30, 7, 1)) == 30
    assert reminder_threshold(closes, almaty(2026, 9, 27), (30, 7, 1)) == 7  # a missed 30 is not sent late
    assert reminder_threshold(closes, almaty(2026, 9, 30, 12), (30, 7, 1)) == 1
    assert reminder_threshold(closes, closes, (30, 7, 1)) is None


def test_an_ungeneralized_application_is_flagged_once_and_told_to_its_akimat_and_the_ministry_once(cast):
    app = make_application(cast, status=S.UNDER_REVIEW)
    other = make_application(cast, org=cast.org2, region=cast.atyrau, status=S.AT_COMMISSION)
    with time_machine.travel(almaty(2026, 10, 10, 9), tick=False):
        assert watch_generalization() == 1
        assert watch_generalization() == 0
    item = OverdueItem.objects.get()
    assert (item.deadline, item.object_key, item.region) == ("generalization", f"application:{app.pk}", cast.astana)
    key = f"overdue.2027.generalization.akimat:{cast.astana.pk}.{item.pk}"
    ministry = f"overdue.2027.generalization.ministry.{item.pk}"
    assert inbox(event_key__startswith="overdue.") == {
        (cast.akimat_officer.email, key), (cast.analyst.email, ministry), (cast.approver.email, ministry)}
    assert Outbox.objects.filter(event_key__startswith="overdue.").count() == 6  # inbox and email each
    assert other.pk not in {int(k.split(":")[1]) for k in OverdueItem.objects.values_list("object_key", flat=True)}


def test_the_akimat_is_reminded_7_and_1_days_before_only_while_work_is_outstanding(cast):
    app = make_application(cast, status=S.UNDER_REVIEW)
    with time_machine.travel(almaty(2026, 10, 1, 9), tick=False):  # 8 days 15 hours before 10 Oct
        assert watch_generalization() == 0
    with time_machine.travel(almaty(2026, 10, 3, 9), tick=False):
        assert watch_generalization() == 2  # inbox and email
        assert watch_generalization() == 0
    Application.objects.filter(pk=app.pk).update(status=S.AT_COMMISSION)
    with time_machine.travel(almaty(2026, 10, 9, 9), tick=False):
        assert watch_generalization() == 0
    assert inbox(event_key__startswith="reminder.") == {
        (cast.akimat_officer.email, "reminder.commissions.akimat.2027.generalization.d7")}


def test_a_muted_reminder_is_not_sent_and_the_overdue_alert_still_is(cast):
    make_application(cast, status=S.UNDER_REVIEW)
    ReminderMute.objects.create(user=cast.akimat_officer, kind="commissions.akimat")
    with time_machine.travel(almaty(2026, 10, 14, 9), tick=False):
        assert watch_commission() == 0
    with time_machine.travel(almaty(2026, 10, 16, 9), tick=False):
        assert watch_commission() == 1
    assert {key.split(".")[0] for _email, key in inbox(recipient=cast.akimat_officer)} == {"overdue"}


def test_a_flag_is_resolved_when_the_work_is_done_late_and_never_raised_again(cast):
    app = make_application(cast, status=S.UNDER_REVIEW)
    with time_machine.travel(almaty(2026, 10, 16, 9), tick=False):
        assert watch_commission() == 1
    Application.objects.filter(pk=app.pk).update(status=S.AT_COMMISSION)
    with time_machine.travel(almaty(2026, 10, 17, 9), tick=False):
        assert watch_commission() == 0
    item = OverdueItem.objects.get()
    assert item.resolved_at is not None
    Application.objects.filter(pk=app.pk).update(status=S.UNDER_REVIEW)
    with time_machine.travel(almaty(2026, 10, 18, 9), tick=False):
        assert watch_commission() == 0
    assert OverdueItem.objects.count() == 1


def test_regions_without_annexes_and_unsent_proposals_are_flagged_at_1_november(cast):
    proposal = Proposal.objects.create(authority=cast.central_body, region=cast.atyrau, campaign=cast.campaign,
                                       title="Нефтехимия", justification="Прогноз", created_by=cast.central_officer)
    with time_machine.travel(almaty(2026, 10, 31, 23, 59), tick=False):
        # A minute before: the 1-day reminders (both akimats' officers, the central body), no flag.
        assert (watch_submissions(), watch_proposals()) == (4, 2)
        assert not OverdueItem.objects.exists()
    with time_machine.travel(almaty(2026, 11, 1, 0, 5), tick=False):
        regions = watch_submissions()
        assert watch_proposals() == 1
        assert watch_submissions() == 0 and watch_proposals() == 0
    assert regions == 20  # every akimat of the reference data
    assert OverdueItem.objects.filter(deadline="proposals").get().object_key == f"proposal:{proposal.pk}"
    told = inbox(event_key__startswith="overdue.2027.proposals.")
    assert {email for email, _key in told} == {cast.central_officer.email, cast.analyst.email, cast.approver.email}
    assert {email for email, _key in inbox(event_key__startswith="overdue.2027.submission.")} == {
        cast.akimat_officer.email, cast.akimat_officer_atyrau.email, cast.analyst.email, cast.approver.email}


def test_distribution_and_publication_are_watched_from_their_own_days(cast):
    with time_machine.travel(almaty(2027, 1, 1, 0, 5), tick=False):
        assert watch_distribution() == 1
        assert watch_publication() == 0  # nothing distributed: no publication is due yet
    Campaign.objects.filter(pk=cast.campaign.pk).update(distributed_on=dt.date(2027, 1, 5))
    # 3 working days from Tue 5 Jan 2027: 6, 8 (7 Jan is Orthodox Christmas), 11 Jan -> closes 12 Jan 00:00.
    with time_machine.travel(almaty(2027, 1, 11, 23, 59), tick=False):
        assert watch_publication() == 4  # the 1-day reminder to the analyst and the approver
        assert not OverdueItem.objects.filter(deadline="publication").exists()
    with time_machine.travel(almaty(2027, 1, 12, 0, 1), tick=False):
        assert watch_publication() == 1
        assert watch_distribution() == 0  # distributed now: the earlier flag is resolved
    flags = dict(OverdueItem.objects.values_list("deadline", "resolved_at"))
    assert flags["distribution"] is not None and flags["publication"] is None
    assert {e for e, _k in inbox(event_key__startswith="overdue.2027.publication.")} == {
        cast.analyst.email, cast.approver.email}


def test_the_ministry_sees_overdue_items_by_region_with_their_age_and_no_one_else_does(cast):
    make_application(cast, status=S.UNDER_REVIEW)
    with time_machine.travel(almaty(2026, 10, 16, 9), tick=False):
        run_sweeps()
    with time_machine.travel(almaty(2026, 10, 20, 9), tick=False):
        page = cast.client(cast.analyst).get(reverse("ministry_overdue"))
        dashboard = cast.client(cast.approver).get(reverse("dashboard"))
        assert page.status_code == 200 and dashboard.status_code == 200
        text = page.content.decode()
        assert "Astana" in text or "Астана" in text
        rows = [g for g in page.context["groups"] if g["region"] == cast.astana][0]["items"]
        ages = {(r["item"].deadline, r["age"]) for r in rows}
        assert ("generalization", 10) in ages and ("commission", 4) in ages  # due at 00:00 on 10 and 16 Oct
        panel = dashboard.content.decode()
        assert 'data-testid="overdue-panel"' in panel
        total = sum(g["count"] for g in page.context["groups"])
        assert total >= 3 and f'data-testid="overdue-total">{total}<' in panel
        for user in (cast.akimat_officer, cast.employer, cast.central_officer, cast.outsider):
            assert cast.client(user).get(reverse("ministry_overdue")).status_code in (403, 404)
        assert cast.client(None).get(reverse("ministry_overdue")).status_code == 302


def test_the_profile_lists_the_users_reminder_types_and_mutes_the_unticked(cast):
    client = cast.client(cast.employer)
    page = client.get(reverse("reminders"))
    keys = [r["key"] for r in page.context["rows"]]
    assert keys == ["applications.campaign_opened", "applications.drafts", "applications.not_yet_filed"]
    assert all(r["on"] for r in page.context["rows"])
    response = client.post(reverse("reminders"), {"receive": ["applications.campaign_opened"]})
    assert response.status_code == 302
    assert set(ReminderMute.objects.filter(user=cast.employer).values_list("kind", flat=True)) == {
        "applications.drafts", "applications.not_yet_filed"}
    officer = [r["key"] for r in cast.client(cast.akimat_officer).get(reverse("reminders")).context["rows"]]
    assert officer == ["commissions.akimat", "commissions.secretary", "allocation.akimat"]


@pytest.mark.parametrize("value", ["\x00", "٣", "x" * 100_000, "-1", "commissions.akimat"])
def test_hostile_input_on_the_reminder_settings_is_refused_or_ignored_never_a_500(cast, value):
    client = cast.client(cast.employer)
    response = client.post(reverse("reminders"), {"receive": [value, "applications.drafts"]})
    muted = set(ReminderMute.objects.filter(user=cast.employer).values_list("kind", flat=True))
    if "\x00" in value:
        # The portal's middleware refuses a NUL in any form with its translated 400 page: nothing changes.
        assert response.status_code == 400 and muted == set()
    else:
        # Whatever else is sent, only the employer's own types can be muted: an officer's is never stored.
        assert response.status_code == 302
        assert muted == {"applications.campaign_opened", "applications.not_yet_filed"}
    assert cast.client(None).post(reverse("reminders"), {"receive": []}).status_code == 302
    assert ReminderMute.objects.exclude(user=cast.employer).count() == 0


def test_the_overdue_page_runs_as_many_queries_for_ten_items_as_for_one(cast):
    from quota_portal.core.texts import text
    from tests.queries import assert_same_query_count

    client = cast.client(cast.analyst)

    def add_row(i: int) -> str:
        OverdueItem.objects.create(campaign=cast.next_campaign, deadline="filing", object_key=f"application:{i}",
                                   region=cast.astana if i % 2 else cast.atyrau, due_at=almaty(2026, 10, 1),
                                   label=text("Application of %(org)s for %(region)s not submitted (p.6)",
                                              org=f"ТОО Ряд {i}", region="-"))
        return f"ТОО Ряд {i}"

    assert_same_query_count(add_row, lambda: client.get(reverse("ministry_overdue")), label="overdue page")
