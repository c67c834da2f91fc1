"""The Commission's decisions (Rules p.10), sign-off, corrections and notices (p.11)."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from applications.models import Application, StatusChange
from commissions import services
from commissions.models import ConflictDeclaration, Decision, LineDecision, Notice, Vote
from quota_portal.core.calendar import add_working_days
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Outbox, Role
from tests.conftest import add_membership, almaty, make_user

from .conftest import all_approved, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db


def cut_lines(case, *, grounds=("1",), reason="Есть 40 зарегистрированных безработных сварщиков"):
    first, second = case.lines
    return {first.pk: {"approved": first.count, "grounds": [], "reason": ""},
            second.pk: {"approved": 4, "grounds": list(grounds), "reason": reason}}


def test_it_refuses_a_cut_without_a_ground_and_changes_nothing(cast, astana_case):
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=cut_lines(astana_case, grounds=()),
                                 votes=votes_for(astana_case.members))
    assert "10" in err.value.message and "(1)" in err.value.message
    assert err.value.field == f"grounds_{astana_case.lines[1].pk}"
    assert not Decision.objects.exists()
    astana_case.app.refresh_from_db()
    assert astana_case.app.status == S.AT_COMMISSION


def test_it_refuses_a_cut_without_a_written_reason(cast, astana_case):
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item,
                                 lines=cut_lines(astana_case, reason="  "), votes={})
    assert err.value.field == f"reason_{astana_case.lines[1].pk}"
    assert not Decision.objects.exists()


def test_it_refuses_more_than_requested(cast, astana_case):
    lines = all_approved(astana_case.app)
    lines[astana_case.lines[0].pk]["approved"] = 6
    with pytest.raises(DomainError):
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=lines, votes={})
    assert not Decision.objects.exists()


def test_a_cut_with_a_ground_is_recorded_as_partly_approved(cast, astana_case):
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item, lines=cut_lines(astana_case),
                                        votes=votes_for(astana_case.members))
    assert decision.outcome == "partly"
    cut = LineDecision.objects.get(decision=decision, line=astana_case.lines[1])
    assert (cut.requested, cut.approved, cut.grounds) == (10, 4, ["1"])
    assert Vote.objects.filter(decision=decision, choice="for").count() == 7
    # Recorded, not final: the application gets its outcome with the protocol's two signatures.
    astana_case.app.refresh_from_db()
    assert (astana_case.app.status, astana_case.app.outcome) == (S.AT_COMMISSION, "")
    _sign(cast, astana_case)
    astana_case.app.refresh_from_db()
    assert (astana_case.app.status, astana_case.app.outcome) == (S.NOTIFIED, "partly")


def test_the_outcome_follows_from_the_lines(cast, astana_case):
    lines = {line.pk: {"approved": 0, "grounds": ["3"], "reason": "Задолженность по зарплате"}
             for line in astana_case.lines}
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item, lines=lines, votes={})
    assert decision.outcome == "rejected"
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes=votes_for(astana_case.members),
                                        expected_version=1)
    assert decision.outcome == "approved"
    _sign(cast, astana_case)
    astana_case.app.refresh_from_db()
    assert astana_case.app.outcome == "approved"


def test_a_conflicted_member_cannot_vote_on_that_item(cast, astana_case):
    member = astana_case.members[4]
    services.conflict_declare(actor=cast.secretary, item=astana_case.item, member=member,
                              reason="Супруга — учредитель работодателя")
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                                 votes={member.pk: "for"})
    assert err.value.code == "conflicted"
    assert not Decision.objects.exists()
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes={})
    with pytest.raises(DomainError):
        services.vote_cast(actor=cast.secretary, decision=decision, member=member, choice="for")
    assert not Vote.objects.filter(member=member).exists()


def test_declaring_a_conflict_removes_the_members_earlier_vote(cast, astana_case):
    member = astana_case.members[4]
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes=votes_for(astana_case.members))
    services.conflict_declare(actor=cast.secretary, item=astana_case.item, member=member, reason="Родственник")
    assert not Vote.objects.filter(decision=decision, member=member).exists()
    assert ConflictDeclaration.objects.filter(item=astana_case.item, member=member).exists()


def test_without_a_quorum_there_is_no_decision(cast, astana_case):
    # 7 members: a majority is 4. Only 3 present.
    services.attendance_set(actor=cast.secretary, session=astana_case.session,
                            present_ids={m.pk for m in astana_case.members[:3]})
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                                 votes={})
    assert err.value.code == "no_quorum"
    assert not Decision.objects.exists()
    astana_case.app.refresh_from_db()
    assert astana_case.app.status == S.AT_COMMISSION


def test_conflicted_members_do_not_count_towards_the_quorum(cast, astana_case):
    services.attendance_set(actor=cast.secretary, session=astana_case.session,
                            present_ids={m.pk for m in astana_case.members[:4]})
    services.conflict_declare(actor=cast.secretary, item=astana_case.item, member=astana_case.members[3], reason="x")
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                                 votes={})
    assert err.value.code == "no_quorum"


def test_a_configured_quorum_replaces_the_majority(cast, astana_case):
    astana_case.commission.quorum = 3
    astana_case.commission.save()
    services.attendance_set(actor=cast.secretary, session=astana_case.session,
                            present_ids={m.pk for m in astana_case.members[:3]})
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes={})
    assert decision.pk


def test_an_absent_member_cannot_vote(cast, astana_case):
    services.attendance_set(actor=cast.secretary, session=astana_case.session,
                            present_ids={m.pk for m in astana_case.members[:5]})
    with pytest.raises(DomainError):
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                                 votes={astana_case.members[6].pk: "for"})


def test_two_secretaries_saving_the_same_decision_one_wins_the_other_is_told(cast, astana_case):
    # Both opened the empty form (version 0); the first save wins.
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes={}, expected_version=0)
    with pytest.raises(ConcurrentUpdate):
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=cut_lines(astana_case),
                                 votes={}, expected_version=0)
    decision = Decision.objects.get()
    assert decision.outcome == "approved" and decision.version == 1
    assert not LineDecision.objects.filter(approved__lt=5).exists()


def _sign(cast, case):
    services.session_sign(actor=cast.secretary, session=case.session)
    return services.session_sign(actor=cast.member, session=case.session, as_chair=True)


def test_signing_by_secretary_and_chair_finalizes_and_sends_the_notice_once(
        cast, astana_case, django_capture_on_commit_callbacks):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=cut_lines(astana_case),
                             votes=votes_for(astana_case.members))
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    assert not Notice.objects.filter(sent_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    assert session.is_signed
    decision = Decision.objects.get()
    assert decision.is_signed
    notice = Notice.objects.get()
    # Republic Day 25 Oct (Sun) moves to Mon 26 Oct.
    assert notice.sent_at is not None and notice.due == dt.date(2026, 10, 28)
    astana_case.app.refresh_from_db()
    assert astana_case.app.status == S.NOTIFIED
    rows = Outbox.objects.filter(event_key=f"commissions.notice.{notice.pk}")
    assert set(rows.values_list("channel", flat=True)) == {"email", "inbox"}
    assert rows.filter(recipient=cast.employer).count() == 2
    sent = [m for m in mail.outbox if cast.employer.email in m.to]
    assert len(sent) == 1 and sent[0].attachments[0][2] == "application/pdf"
    # Sending again does nothing.
    services.notice_send(actor=cast.secretary, notice=notice)
    assert Outbox.objects.filter(event_key=f"commissions.notice.{notice.pk}", recipient=cast.employer).count() == 2


def test_it_refuses_to_sign_before_every_item_is_decided(cast, astana_case):
    with pytest.raises(DomainError):
        services.session_sign(actor=cast.secretary, session=astana_case.session)
    astana_case.session.refresh_from_db()
    assert astana_case.session.secretary_signed_at is None


def test_it_refuses_to_sign_a_decision_not_adopted_by_vote(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes={m.pk: "against" for m in astana_case.members})
    with pytest.raises(DomainError):
        services.session_sign(actor=cast.secretary, session=astana_case.session)


def test_only_the_chair_signs_as_chair(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    with pytest.raises(DomainError):
        services.session_sign(actor=cast.secretary, session=astana_case.session, as_chair=True)
    astana_case.session.refresh_from_db()
    assert astana_case.session.chair_signed_at is None


def test_signed_decisions_cannot_be_edited(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    _sign(cast, astana_case)
    with pytest.raises(DomainError) as err:
        services.decision_record(actor=cast.secretary, item=astana_case.item, lines=cut_lines(astana_case),
                                 votes={}, expected_version=1)
    assert err.value.code == "signed"
    decision = Decision.objects.get()
    with pytest.raises(DomainError):
        services.vote_cast(actor=cast.secretary, decision=decision, member=astana_case.members[2], choice="against")
    with pytest.raises(DomainError):
        services.attendance_set(actor=cast.secretary, session=astana_case.session, present_ids=set())
    assert list(decision.lines.values_list("approved", flat=True)) == [5, 10]


def test_a_correction_is_decided_at_a_new_session_and_supersedes_the_old_decision_only_when_signed(cast, astana_case):
    from commissions.models import Session
    from commissions.pdf import notice_pdf, protocol_pdf
    from commissions.selectors import application_decision
    from tests.commissions.test_views import pdf_text

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    _sign(cast, astana_case)
    old = Decision.objects.get()
    with time_machine.travel(almaty(2026, 11, 2, 9, 0), tick=False):
        session2 = services.session_create(actor=cast.secretary, commission=astana_case.commission,
                                           campaign=cast.campaign, date=dt.date(2026, 11, 2), place="Астана")
        assert not session2.items.exists()
        with pytest.raises(DomainError):
            services.correction_open(actor=cast.secretary, decision=old, session=session2, reason=" ")
        item = services.correction_open(actor=cast.secretary, decision=old, session=session2,
                                        reason="Выявлена задолженность по зарплате")
        with pytest.raises(DomainError):  # one correction at a time
            services.correction_open(actor=cast.secretary, decision=old, session=session2, reason="ещё раз")
        # No quorum at the new session: no corrected decision.
        with pytest.raises(DomainError) as err:
            services.decision_record(actor=cast.secretary, item=item, lines=cut_lines(astana_case), votes={})
        assert err.value.code == "no_quorum"
        services.attendance_set(actor=cast.secretary, session=session2,
                                present_ids={m.pk for m in astana_case.members[:5]})
        new = services.decision_record(actor=cast.secretary, item=item, lines=cut_lines(astana_case),
                                       votes=votes_for(astana_case.members[:5]))
        assert new.supersedes == old and new.correction_reason == "Выявлена задолженность по зарплате"
        # Until the new protocol is signed the old decision stands for the employer.
        app = Application.objects.get(pk=astana_case.app.pk)
        assert (app.status, app.outcome) == (S.NOTIFIED, "approved")
        assert application_decision(application=app)["outcome"] == "approved"
        assert Notice.objects.filter(sent_at__isnull=False).count() == 1
        services.session_sign(actor=cast.secretary, session=session2)
        services.session_sign(actor=cast.member, session=session2, as_chair=True)
    old.refresh_from_db()
    assert list(old.lines.values_list("approved", flat=True)) == [5, 10] and old.is_signed
    assert Decision.objects.count() == 2 and Notice.objects.filter(sent_at__isnull=False).count() == 2
    app = Application.objects.get(pk=astana_case.app.pk)
    assert (app.status, app.outcome) == (S.NOTIFIED, "partly")
    summary = application_decision(application=app)
    assert summary["outcome"] == "partly" and summary["lines"][1]["approved"] == 4
    assert summary["lines"][1]["grounds"][0][0] == "1" and summary["notice"]["sent_at"] is not None
    # The notice cites the correcting session and the reason; the protocol lists the superseded decision.
    notice_text = " ".join(pdf_text(notice_pdf(Notice.objects.get(decision=new))).split())
    assert "02.11.2026" in notice_text and "20.10.2026" in notice_text
    assert "Выявлена задолженность по зарплате" in notice_text
    protocol_text = " ".join(pdf_text(protocol_pdf(Session.objects.get(pk=session2.pk))).split())
    assert "20.10.2026" in protocol_text and "Выявлена задолженность по зарплате" in protocol_text
    # The original protocol still shows the original decision.
    assert "Выявлена" not in pdf_text(protocol_pdf(Session.objects.get(pk=astana_case.session.pk)))


def test_a_correction_needs_a_signed_decision_and_a_session_not_before_it(cast, astana_case):
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes=votes_for(astana_case.members))
    with pytest.raises(DomainError):
        services.correction_open(actor=cast.secretary, decision=decision, session=astana_case.session, reason="x")
    _sign(cast, astana_case)
    decision.refresh_from_db()
    with pytest.raises(DomainError):  # the signed session cannot take it
        services.correction_open(actor=cast.secretary, decision=decision, session=astana_case.session, reason="x")


def test_the_notice_is_due_5_working_days_after_the_decision_across_holidays():
    # Mon 20 Oct 2025 -> Republic Day Sat 25 Oct is moved to Mon 27 Oct -> due Tue 28 Oct 2025.
    assert add_working_days(dt.date(2025, 10, 20), 5) == dt.date(2025, 10, 28)
    # New Year: Tue 29 Dec 2026 -> 30, 31 Dec, 5, 6 Jan (1-4 Jan off, Sat 2 Jan moved to Mon 4 Jan),
    # 7 Jan (Orthodox Christmas) off -> due Fri 8 Jan 2027.
    assert add_working_days(dt.date(2026, 12, 29), 5) == dt.date(2027, 1, 8)
    # Nauryz 21-23 Mar 2027 (Sun 21 Mar moved to Wed 24): Thu 18 Mar -> 19, 25, 26, 29, 30 Mar.
    assert add_working_days(dt.date(2027, 3, 18), 5) == dt.date(2027, 3, 30)


def test_a_government_transfer_of_a_working_day_moves_the_notice_due_date(db):
    from quota_portal.core.models import CalendarException

    monday = dt.date(2027, 4, 19)
    assert add_working_days(monday, 5) == dt.date(2027, 4, 26)
    CalendarException.objects.create(day=dt.date(2027, 4, 23), is_working_day=False,
                                     reason="Постановление о переносе выходного дня")
    assert add_working_days(monday, 5) == dt.date(2027, 4, 27)
    CalendarException.objects.create(day=dt.date(2027, 4, 24), is_working_day=True,
                                     reason="Постановление о переносе: суббота рабочая")
    assert add_working_days(monday, 5) == dt.date(2027, 4, 26)


def test_a_notice_records_its_due_date_from_the_calendar(cast, astana_case):
    astana_case.session.date = dt.date(2025, 10, 20)
    astana_case.session.save()
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    assert Notice.objects.get().due == dt.date(2025, 10, 28)


def test_an_unsent_notice_after_its_due_date_is_overdue(cast, astana_case):
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    notice = Notice.objects.get()
    assert notice.is_overdue(today=dt.date(2026, 10, 29))
    assert not notice.is_overdue(today=dt.date(2026, 10, 28))


def test_every_decision_change_is_audited(cast, astana_case):
    from quota_portal.core.audit import history_for

    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes={})
    events = history_for(decision)
    assert events and events[0]["user"] == cast.secretary and events[0]["action"] == "decision_record"
    assert not StatusChange.objects.filter(application=astana_case.app, to_status=S.DECIDED).exists()
    services.vote_cast(actor=cast.secretary, decision=decision, member=astana_case.members[2], choice="for")
    _sign(cast, astana_case)
    # The second signature (the chair's) makes the application decided.
    assert StatusChange.objects.filter(application=astana_case.app, to_status=S.DECIDED, actor=cast.member).exists()


def test_a_member_can_vote_for_themself(cast, astana_case):
    other = make_user("member2.astana@example.kz")
    add_membership(other, Role.COMMISSION_MEMBER, authority=cast.akimat_astana)
    astana_case.members[3].user = other
    astana_case.members[3].save()
    decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                        lines=all_approved(astana_case.app), votes={})
    services.vote_cast(actor=other, decision=decision, member=astana_case.members[3], choice="abstain")
    assert Vote.objects.get(decision=decision).choice == "abstain"


def test_a_session_cannot_be_dated_before_the_applications_were_put_before_the_commission(cast, occupations):
    from commissions.models import Generalization, Session

    from .conftest import full_commission, generalize, make_application

    app = make_application(cast, lines=[("3", occupations.o2142, 5)])
    generalize(app, cast.akimat_officer)
    Generalization.objects.filter(application=app).update(to_commission_at=almaty(2026, 10, 14, 16, 0))
    commission, _members = full_commission(cast.astana)
    with time_machine.travel(almaty(2026, 10, 16, 10, 0), tick=False):
        with pytest.raises(DomainError) as err:
            services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                    date=dt.date(2026, 10, 13), place="Астана")
        assert err.value.field == "date" and "14.10.2026" in err.value.message
        with pytest.raises(DomainError) as err:
            services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                    date=dt.date(2027, 3, 1), place="Астана")
        assert err.value.field == "date"
        assert not Session.objects.exists()
        session = services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                          date=dt.date(2026, 10, 20), place="Астана")
    assert list(session.items.values_list("application_id", flat=True)) == [app.pk]


def test_decisions_votes_and_signatures_wait_for_the_session_day(cast, astana_case):
    # The session is dated 20 Oct 2026; on the 19th nothing can be decided, voted or signed.
    with time_machine.travel(almaty(2026, 10, 19, 17, 0), tick=False):
        with pytest.raises(DomainError) as err:
            services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                                     votes=votes_for(astana_case.members))
        assert "20.10.2026" in err.value.message
        assert not Decision.objects.exists()
    with time_machine.travel(almaty(2026, 10, 20, 11, 0), tick=False):
        decision = services.decision_record(actor=cast.secretary, item=astana_case.item,
                                            lines=all_approved(astana_case.app), votes=votes_for(astana_case.members))
    with time_machine.travel(almaty(2026, 10, 19, 17, 0), tick=False):
        with pytest.raises(DomainError):
            services.vote_cast(actor=cast.secretary, decision=decision, member=astana_case.members[2], choice="abstain")
        with pytest.raises(DomainError) as err:
            services.session_sign(actor=cast.secretary, session=astana_case.session)
        assert "20.10.2026" in err.value.message
    astana_case.session.refresh_from_db()
    assert astana_case.session.secretary_signed_at is None
    with time_machine.travel(almaty(2026, 10, 20, 15, 0), tick=False):
        _sign(cast, astana_case)
    notice = Notice.objects.get()
    # The notice is never dated before the decision it reports.
    from django.utils import timezone as tz

    assert tz.localdate(notice.sent_at) >= notice.decision.decided_on == dt.date(2026, 10, 20)
