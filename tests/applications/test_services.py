"""Service rules of the Annex 1 filing (Rules p.6): deadline, state, counts, numbers, snapshots."""
from __future__ import annotations

import hashlib
import threading

import pytest
import time_machine
from django.db import connection, connections

from applications import services
from applications.models import Application, Line, StatusChange, Version
from applications.services import LineInput, canonical_json, check_lines
from quota_portal.core.errors import ConcurrentUpdate, DeadlinePassed, DomainError
from quota_portal.core.models import Outbox
from tests.conftest import almaty

from .conftest import fill

S = Application.Status


def lines_of(app):
    return sorted((ln.category, ln.occupation.code, ln.count) for ln in Line.objects.filter(application=app))


def test_it_starts_one_application_per_organization_campaign_and_region(cast):
    services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                               region=cast.astana)
    with pytest.raises(DomainError) as exc:
        services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                   region=cast.astana)
    assert "p.6" in exc.value.message
    other = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                       region=cast.atyrau)
    assert other.status == S.DRAFT
    assert Application.objects.filter(organization=cast.org).count() == 2


def test_a_viewer_cannot_change_applications(cast, draft):
    with pytest.raises(DomainError):
        services.application_start(actor=cast.employer_viewer, organization=cast.org, campaign=cast.next_campaign,
                                   region=cast.atyrau)
    with pytest.raises(DomainError):
        services.application_submit(actor=cast.employer_viewer, application=draft, expected_revision=draft.revision)
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


@pytest.mark.parametrize("count, fragment", [
    (-1, "at least 1"), (0, "at least 1"), ("1.5", "whole number"), (1.5, "whole number"),
    (10_001, "not plausible"), ("10000000000", "not plausible"), ("abc", "whole number"), ("", "Enter"),
])
def test_it_rejects_bad_counts(occupations, count, fragment):
    checked = check_lines([LineInput(category="3", occupation_code="2142", count=count, row=1)])
    assert not checked.lines
    assert fragment in checked.problems[0].message
    assert checked.problems[0].field == "count"


def test_it_rejects_the_same_category_and_occupation_twice(occupations):
    checked = check_lines([LineInput("3", "2142", 2, row=1), LineInput("3", "2142", 3, row=2)])
    assert len(checked.problems) == 1
    assert checked.problems[0].row == 2 and "row 1" in checked.problems[0].message


def test_it_rejects_an_unknown_occupation(occupations):
    checked = check_lines([LineInput("3", "9999", 2, row=4)])
    assert checked.problems[0].field == "occupation" and "9999" in checked.problems[0].message


def test_it_rejects_an_unknown_category(occupations):
    checked = check_lines([LineInput("7", "2142", 2, row=1)])
    assert checked.problems[0].field == "category"


def test_it_refuses_to_submit_without_lines(cast, occupations):
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                     region=cast.astana)
    app = fill(app, cast.employer, occupations, lines=[])
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    assert exc.value.field == "lines"
    assert Application.objects.get(pk=app.pk).status == S.DRAFT
    assert not Version.objects.filter(application=app).exists()


def test_submission_stamps_server_time_snapshot_sha256_and_registration_number(cast, draft):
    with time_machine.travel(almaty(2026, 12, 3, 11, 30, 0), tick=False):
        version = services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.registration_number == "2028-710000000-000001"
    assert version.registration_number == draft.registration_number
    assert version.submitted_at == almaty(2026, 12, 3, 11, 30, 0)
    assert version.sha256 == hashlib.sha256(canonical_json(version.snapshot)).hexdigest()
    assert [ln["occupation"] for ln in version.snapshot["lines"]] == ["2142", "7212"]
    assert StatusChange.objects.filter(application=draft, to_status=S.SUBMITTED).count() == 1


def test_registration_numbers_run_per_campaign_and_region(cast, occupations, draft):
    services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    a2 = services.application_start(actor=cast.employer2, organization=cast.org2, campaign=cast.next_campaign,
                                    region=cast.astana)
    a2 = fill(a2, cast.employer2, occupations)
    services.application_submit(actor=cast.employer2, application=a2, expected_revision=a2.revision)
    a3 = services.application_start(actor=cast.employer2, organization=cast.org2, campaign=cast.next_campaign,
                                    region=cast.atyrau)
    a3 = fill(a3, cast.employer2, occupations)
    services.application_submit(actor=cast.employer2, application=a3, expected_revision=a3.revision)
    a2.refresh_from_db(), a3.refresh_from_db()
    assert a2.registration_number == "2028-710000000-000002"
    assert a3.registration_number == "2028-230000000-000001"


def test_submission_notifies_the_employer_once_with_the_receipt(cast, draft):
    version = services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    rows = Outbox.objects.filter(event_key=f"applications.receipt.{version.pk}")
    assert {r.recipient for r in rows} == {cast.employer, cast.employer_editor}
    assert rows.filter(channel="email", attachment_renderer="applications.exports.receipt_attachment").count() == 2


def test_a_double_click_on_submit_makes_exactly_one_submission(cast, draft):
    revision = draft.revision
    services.application_submit(actor=cast.employer, application=draft, expected_revision=revision)
    with pytest.raises(DomainError):
        services.application_submit(actor=cast.employer, application=draft, expected_revision=revision)
    assert Version.objects.filter(application=draft).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_make_exactly_one_submission(cast, draft):
    revision = draft.revision
    results = []
    barrier = threading.Barrier(2)

    def click():
        from quota_portal.core.scoping import system_scope

        with system_scope():
            app = Application.objects.get(pk=draft.pk)
            barrier.wait()
            try:
                services.application_submit(actor=cast.employer, application=app, expected_revision=revision)
                results.append("ok")
            except DomainError as exc:
                results.append(exc.code)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["concurrent_update", "ok"]
    assert Version.objects.filter(application=draft).count() == 1
    assert connection.vendor == "postgresql"


def test_it_accepts_a_submission_at_23_59_59_on_30_september(cast, draft_2027):
    with time_machine.travel(almaty(2026, 9, 30, 23, 59, 59), tick=False):
        services.application_submit(actor=cast.employer, application=draft_2027,
                                    expected_revision=draft_2027.revision)
    assert Application.objects.get(pk=draft_2027.pk).status == S.SUBMITTED


def test_it_rejects_a_submission_one_second_after_the_deadline(cast, draft_2027):
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 0), tick=False), pytest.raises(DeadlinePassed) as exc:
        services.application_submit(actor=cast.employer, application=draft_2027,
                                    expected_revision=draft_2027.revision)
    assert "p.6" in exc.value.message and "2026" in exc.value.message
    assert Application.objects.get(pk=draft_2027.pk).status == S.DRAFT
    assert not Version.objects.filter(application=draft_2027).exists()


def test_after_the_deadline_nothing_can_be_created_changed_or_withdrawn(cast, occupations, draft_2027):
    with time_machine.travel(almaty(2026, 9, 20, 9, 0, 0), tick=False):
        services.application_submit(actor=cast.employer, application=draft_2027,
                                    expected_revision=draft_2027.revision)
    draft_2027.refresh_from_db()
    before = lines_of(draft_2027)
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 1), tick=False):
        with pytest.raises(DeadlinePassed):
            services.application_withdraw(actor=cast.employer, application=draft_2027, reason="ошибка",
                                          expected_revision=draft_2027.revision)
        with pytest.raises(DeadlinePassed):
            services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.campaign,
                                       region=cast.atyrau)
        with pytest.raises(DeadlinePassed):
            fill(draft_2027, cast.employer, occupations, lines=[])
        with pytest.raises(DeadlinePassed):
            services.attachment_add(actor=cast.employer, application=draft_2027, name="a.pdf",
                                    content=b"%PDF-1.4\n%%EOF")
    assert lines_of(draft_2027) == before
    assert Application.objects.get(pk=draft_2027.pk).status == S.SUBMITTED
    assert Application.objects.filter(organization=cast.org, campaign=cast.campaign).count() == 1


def test_withdraw_keeps_the_reason_and_a_resubmission_is_a_new_version(cast, occupations, submitted):
    with pytest.raises(DomainError):
        services.application_withdraw(actor=cast.employer, application=submitted, reason="  ",
                                      expected_revision=submitted.revision)
    services.application_withdraw(actor=cast.employer, application=submitted, reason="Уточняем количество",
                                  expected_revision=submitted.revision)
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT and submitted.withdraw_reason == "Уточняем количество"
    fill(submitted, cast.employer, occupations,
         lines=[{"category": "3", "occupation": occupations.o2142, "specialty": "", "count": 7}])
    submitted.refresh_from_db()
    v2 = services.application_submit(actor=cast.employer, application=submitted, expected_revision=submitted.revision)
    assert v2.number == 2
    assert v2.registration_number == submitted.registration_number
    v1 = Version.objects.get(application=submitted, number=1)
    assert len(v1.snapshot["lines"]) == 2 and len(v2.snapshot["lines"]) == 1


def test_a_stale_form_cannot_overwrite_a_newer_save(cast, occupations, draft):
    stale = draft.revision
    fill(draft, cast.employer, occupations)
    with pytest.raises(ConcurrentUpdate):
        services.application_save_draft(actor=cast.employer, application=draft, expected_revision=stale,
                                        current_year_count=0, justification="", signer_position="",
                                        signer_name="", lines=[], projects=[])
    assert Line.objects.filter(application=draft).count() == 2


def test_the_sweep_moves_submitted_to_under_review_and_drafts_to_not_submitted_once(cast, occupations, draft_2027):
    from applications.sweeps import close_filing

    with time_machine.travel(almaty(2026, 9, 16, 9, 0, 0), tick=False):
        other = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.campaign,
                                           region=cast.atyrau)
        services.application_submit(actor=cast.employer, application=draft_2027,
                                    expected_revision=draft_2027.revision)
        assert close_filing() == 0
    with time_machine.travel(almaty(2026, 10, 1, 0, 5, 0), tick=False):
        assert close_filing() == 2
        assert close_filing() == 0
    assert Application.objects.get(pk=draft_2027.pk).status == S.UNDER_REVIEW
    assert Application.objects.get(pk=other.pk).status == S.NOT_SUBMITTED


def test_a_draft_shows_as_not_submitted_after_the_deadline_even_before_the_sweep(cast, draft_2027):
    assert draft_2027.status == S.DRAFT
    assert draft_2027.display_status == S.NOT_SUBMITTED


def test_the_reminder_goes_once_to_organizations_with_drafts(cast, draft_2027):
    from applications.sweeps import remind_drafts

    with time_machine.travel(almaty(2026, 9, 27, 9, 0, 0), tick=False):
        assert remind_drafts() > 0
        assert remind_drafts() == 0
    # 3 days 15 hours before filing closes: the 7-day reminder (settings.FILING_REMINDER_DAYS).
    rows = Outbox.objects.filter(event_key=f"applications.reminder.{draft_2027.pk}.d7", channel="inbox")
    assert {r.recipient for r in rows} == {cast.employer, cast.employer_editor}


def test_the_beats_sweep_task_reminds_each_draft_once_then_closes_filing_once(cast, occupations, draft):
    """Through the Celery task the beat runs (core.deadline_sweep), not through the sweep functions:
    this fails if an app's sweep is not registered, or registered but doing nothing."""
    from quota_portal.core.tasks import deadline_sweep

    other = fill(services.application_start(actor=cast.employer, organization=cast.org,
                                            campaign=cast.next_campaign, region=cast.atyrau),
                 cast.employer, occupations)
    services.application_submit(actor=cast.employer, application=other, expected_revision=other.revision)
    # Three days before quota 2028's filing closes (1 Oct 2027, Rules p.6): the draft is reminded of.
    with time_machine.travel(almaty(2027, 9, 28, 9, 0, 0), tick=False):
        first, second = deadline_sweep.delay().get(), deadline_sweep.delay().get()
    reminders = Outbox.objects.filter(event_key__startswith="applications.reminder.")
    assert sorted((r.event_key, r.recipient.email, r.channel) for r in reminders) == sorted(
        (f"applications.reminder.{draft.pk}.d7", user.email, channel)
        for user in (cast.employer, cast.employer_editor) for channel in ("email", "inbox"))
    assert (first["applications.filing_reminder"], second["applications.filing_reminder"]) == (4, 0)
    assert (first["applications.filing_closed"], Application.objects.get(pk=draft.pk).status) == (0, S.DRAFT)
    # Five minutes after it closed: the submitted one goes to review, the draft is not submitted.
    with time_machine.travel(almaty(2027, 10, 1, 0, 5, 0), tick=False):
        closing, again = deadline_sweep.delay().get(), deadline_sweep.delay().get()
    assert (closing["applications.filing_closed"], again["applications.filing_closed"]) == (2, 0)
    assert Application.objects.get(pk=other.pk).status == S.UNDER_REVIEW
    assert Application.objects.get(pk=draft.pk).status == S.NOT_SUBMITTED
    closed = StatusChange.objects.filter(application__in=[draft, other], actor=None)
    assert sorted(closed.values_list("to_status", flat=True)) == sorted([S.NOT_SUBMITTED, S.UNDER_REVIEW])
    assert reminders.count() == 4


def test_copy_starts_next_years_application_with_the_same_lines(cast, occupations):
    with time_machine.travel(almaty(2026, 9, 15, 10, 0, 0), tick=False):
        old = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.campaign,
                                         region=cast.atyrau)
        fill(old, cast.employer, occupations)
    new = services.application_copy(actor=cast.employer, source=old, campaign=cast.next_campaign)
    assert new.campaign == cast.next_campaign and new.region == cast.atyrau and new.copied_from_id == old.pk
    assert lines_of(new) == lines_of(old)
    assert new.status == S.DRAFT and new.justification == old.justification


def test_replacing_lines_changes_nothing_when_any_row_is_bad(cast, occupations, draft):
    before = lines_of(draft)
    checked = services.application_replace_lines(actor=cast.employer, application=draft, rows=[
        LineInput("1", "1120", 1, row=2), LineInput("3", "0000", 2, row=3), LineInput("4", "7212", -4, row=4)])
    assert [(p.row, p.field) for p in checked.problems] == [(3, "occupation"), (4, "count")]
    assert lines_of(draft) == before
    checked = services.application_replace_lines(actor=cast.employer, application=draft, rows=[
        LineInput("1", "1120", 1, row=2), LineInput("S", "9211", 30, row=3)])
    assert not checked.problems
    assert lines_of(draft) == [("1", "1120", 1), ("S", "9211", 30)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_in_one_region_get_distinct_consecutive_numbers(cast, occupations):
    apps = []
    for org, user in ((cast.org, cast.employer), (cast.org2, cast.employer2)):
        app = services.application_start(actor=user, organization=org, campaign=cast.next_campaign, region=cast.astana)
        apps.append((fill(app, user, occupations), user))
    barrier = threading.Barrier(len(apps))
    errors = []

    def submit(app, user):
        from quota_portal.core.scoping import system_scope

        try:
            with system_scope():
                barrier.wait()
                services.application_submit(actor=user, application=app, expected_revision=app.revision)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Application.objects.filter(campaign=cast.next_campaign).values_list("registration_number",
                                                                                       flat=True))
    assert numbers == ["2028-710000000-000001", "2028-710000000-000002"]
