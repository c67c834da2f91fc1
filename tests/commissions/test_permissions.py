"""Every state-changing service of the review and the Commission checks its actor itself, whoever
calls it (a view, the sweep, a command): called directly, with no view and no tenant scope in
front of it (the test body runs in the system scope), each wrong actor is refused with
"forbidden" and nothing in the database changes; the right actor, in the same arrangement, may.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from applications.models import Application
from commissions import permissions, services
from commissions.models import Body, Generalization, LabourMarketFigure, Member, Notice, Violation
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Outbox, Role
from tests.commissions.conftest import all_approved, generalize, make_application, votes_for
from tests.conftest import add_membership, almaty, make_user

S = Application.Status

# Nobody of these acts in the Astana Commission: the employers, the other region's akimat, the
# central body, the Ministry (it reads everything and changes nothing here) and a stranger.
OUTSIDERS = ("employer", "employer_editor", "employer_viewer", "employer2", "akimat_officer_atyrau",
             "secretary_atyrau", "central_officer", "analyst", "approver", "outsider")
# cast.member holds the chair's seat; ctx.plain_member an ordinary member's seat (members[2]).
MEMBERS = ("member", "plain_member")


@pytest.fixture(autouse=True)
def _session_day():
    """The Astana session (astana_case) is dated 20 Oct 2026; filing for 2027 closed on 1 Oct."""
    with time_machine.travel(almaty(2026, 10, 20, 12, 0), tick=False):
        yield


@pytest.fixture
def ctx(cast, occupations, astana_case):
    plain = make_user("member2.astana@example.kz")
    add_membership(plain, Role.COMMISSION_MEMBER, authority=cast.akimat_astana)
    seat = astana_case.members[2]
    seat.user = plain
    seat.save()
    return SimpleNamespace(cast=cast, occ=occupations, case=astana_case, plain_member=plain)


def actor(ctx, name):
    return getattr(ctx, name) if name == "plain_member" else getattr(ctx.cast, name)


def database_state() -> dict:
    """Every row of the review's and the applications' tables (audit events included) and the outbox."""
    models = [*apps.get_app_config("commissions").get_models(), *apps.get_app_config("applications").get_models(),
              Outbox]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


# --- the arrangements: each returns the call, made with the actor given -----------------------

def _under_review(ctx, *, generalized=False, marked=False):
    app = make_application(ctx.cast, org=ctx.cast.org2, status=S.UNDER_REVIEW, number="REG-ORG2",
                           lines=[("3", ctx.occ.o2142, 4)])
    if generalized:
        generalize(app, ctx.cast.akimat_officer)
    if marked:
        Generalization.objects.filter(application=app).update(generalized_at=timezone.now())
    return app


def _decided(ctx, *, votes=True):
    case = ctx.case
    return services.decision_record(actor=ctx.cast.secretary, item=case.item, lines=all_approved(case.app),
                                    votes=votes_for(case.members) if votes else {})


def figure_save(ctx):
    return lambda who: services.figure_save(actor=who, region=ctx.cast.astana, campaign=ctx.cast.campaign,
                                            occupation=ctx.occ.o2142, values={"labour_demand": 5})


def figures_import(ctx):
    row = {"occupation": ctx.occ.o7212, "note": "", **dict.fromkeys(LabourMarketFigure.NUMBER_FIELDS, 1)}
    return lambda who: services.figures_import(actor=who, region=ctx.cast.astana, campaign=ctx.cast.campaign,
                                               rows=[row])


def violation_record(ctx):
    return lambda who: services.violation_record(actor=who, region=ctx.cast.astana, organization=ctx.cast.org,
                                                 ground="3", year=2026, description="Задолженность по зарплате")


def violation_update(ctx):
    violation = Violation.objects.create(region=ctx.cast.astana, organization=ctx.cast.org, ground="3", year=2026,
                                         description="Задолженность", recorded_by=ctx.cast.akimat_officer)
    return lambda who: services.violation_update(actor=who, violation=violation, remedied_on=dt.date(2026, 10, 1),
                                                 description="Погашена")


def generalization_save(ctx):
    app = _under_review(ctx)
    line = app.lines.get()
    notes = dict.fromkeys(Generalization.FACTOR_FIELDS, "Примечание")
    return lambda who: services.generalization_save(actor=who, application=app, notes=notes,
                                                    lines={line.pk: (3, "")}, expected_version=0)


def generalization_mark(ctx):
    app = _under_review(ctx, generalized=True)
    return lambda who: services.generalization_mark(actor=who, application=app, late_reason="Поздно получены данные")


def generalized_to_commission(ctx):
    _under_review(ctx, generalized=True, marked=True)
    return lambda who: services.generalized_to_commission(actor=who, region=ctx.cast.astana,
                                                          campaign=ctx.cast.campaign, late_reason="Задержка")


def commission_update(ctx):
    return lambda who: services.commission_update(actor=who, commission=ctx.case.commission, name="Комиссия",
                                                  quorum=4)


def member_save(ctx):
    data = {"full_name": "Новый Член", "position": "Специалист", "body": Body.LABOUR, "role": Member.Role.MEMBER}
    return lambda who: services.member_save(actor=who, commission=ctx.case.commission, data=data)


def session_create(ctx):
    return lambda who: services.session_create(actor=who, commission=ctx.case.commission,
                                               campaign=ctx.cast.campaign, date=dt.date(2026, 10, 27), place="Астана")


def agenda_refresh(ctx):
    make_application(ctx.cast, org=ctx.cast.org2, status=S.AT_COMMISSION, number="REG-ORG2",
                     lines=[("3", ctx.occ.o2142, 4)])
    return lambda who: services.agenda_refresh(actor=who, session=ctx.case.session)


def attendance_set(ctx):
    present = {m.pk for m in ctx.case.members[:-1]}
    return lambda who: services.attendance_set(actor=who, session=ctx.case.session, present_ids=present)


def conflict_for_another(ctx):
    return lambda who: services.conflict_declare(actor=who, item=ctx.case.item, member=ctx.case.members[3],
                                                 reason="Родственник руководителя")


def conflict_for_themself(ctx):
    return lambda who: services.conflict_declare(actor=who, item=ctx.case.item, member=ctx.case.members[2],
                                                 reason="Родственник руководителя")


def decision_record(ctx):
    return lambda who: services.decision_record(actor=who, item=ctx.case.item, lines=all_approved(ctx.case.app),
                                                votes=votes_for(ctx.case.members))


def vote_for_another(ctx):
    decision = _decided(ctx, votes=False)
    return lambda who: services.vote_cast(actor=who, decision=decision, member=ctx.case.members[3], choice="for")


def vote_for_themself(ctx):
    decision = _decided(ctx, votes=False)
    return lambda who: services.vote_cast(actor=who, decision=decision, member=ctx.case.members[2], choice="for")


def votes_all_in_favour(ctx):
    _decided(ctx, votes=False)
    return lambda who: services.votes_all_in_favour(actor=who, session=ctx.case.session)


def sign_as_secretary(ctx):
    _decided(ctx)
    return lambda who: services.session_sign(actor=who, session=ctx.case.session)


def sign_as_chair(ctx):
    _decided(ctx)
    return lambda who: services.session_sign(actor=who, session=ctx.case.session, as_chair=True)


def sign_as_chair_from_paper(ctx):
    _decided(ctx)
    chair = ctx.case.chair
    chair.user = None
    chair.save()
    return lambda who: services.session_sign(actor=who, session=ctx.case.session, as_chair=True,
                                             chair_paper_note="Подписано на бумаге, архив № 7")


def signature_withdraw(ctx):
    _decided(ctx)
    services.session_sign(actor=ctx.cast.secretary, session=ctx.case.session)
    return lambda who: services.session_signature_withdraw(actor=who, session=ctx.case.session)


def notice_send(ctx):
    decision = _decided(ctx)
    notice = Notice.objects.get(decision=decision)
    return lambda who: services.notice_send(actor=who, notice=notice)


def correction_open(ctx):
    decision = _decided(ctx)
    session = ctx.case.session
    services.session_sign(actor=ctx.cast.secretary, session=session)
    services.session_sign(actor=ctx.cast.member, session=session, as_chair=True)
    decision.refresh_from_db()
    later = services.session_create(actor=ctx.cast.secretary, commission=ctx.case.commission,
                                    campaign=ctx.cast.campaign, date=dt.date(2026, 10, 22), place="Астана")
    return lambda who: services.correction_open(actor=who, decision=decision, session=later,
                                                reason="Арифметическая ошибка в протоколе")


@dataclass(frozen=True)
class Act:
    arrange: Callable
    allowed: tuple[str, ...]
    refused: tuple[str, ...]


OFFICER_ONLY = ("secretary", *MEMBERS, *OUTSIDERS)
SECRETARY_ONLY = ("akimat_officer", *MEMBERS, *OUTSIDERS)
OFFICER_OR_SECRETARY = (*MEMBERS, *OUTSIDERS)

ACTS = {
    "figure_save": Act(figure_save, ("akimat_officer",), OFFICER_ONLY),
    "figures_import": Act(figures_import, ("akimat_officer",), OFFICER_ONLY),
    "violation_record": Act(violation_record, ("akimat_officer",), OFFICER_ONLY),
    "violation_update": Act(violation_update, ("akimat_officer",), OFFICER_ONLY),
    "generalization_save": Act(generalization_save, ("akimat_officer",), OFFICER_ONLY),
    "generalization_mark": Act(generalization_mark, ("akimat_officer",), OFFICER_ONLY),
    "generalized_to_commission": Act(generalized_to_commission, ("akimat_officer",), OFFICER_ONLY),
    "commission_update": Act(commission_update, ("akimat_officer", "secretary"), OFFICER_OR_SECRETARY),
    "member_save": Act(member_save, ("akimat_officer", "secretary"), OFFICER_OR_SECRETARY),
    "session_create": Act(session_create, ("secretary",), SECRETARY_ONLY),
    "agenda_refresh": Act(agenda_refresh, ("secretary",), SECRETARY_ONLY),
    "attendance_set": Act(attendance_set, ("secretary",), SECRETARY_ONLY),
    "conflict_declare for another member": Act(conflict_for_another, ("secretary",), SECRETARY_ONLY),
    "conflict_declare for themself": Act(conflict_for_themself, ("secretary", "plain_member"),
                                         ("akimat_officer", "member", *OUTSIDERS)),
    "decision_record": Act(decision_record, ("secretary",), SECRETARY_ONLY),
    "vote_cast for another member": Act(vote_for_another, ("secretary",), SECRETARY_ONLY),
    "vote_cast for themself": Act(vote_for_themself, ("secretary", "plain_member"),
                                  ("akimat_officer", "member", *OUTSIDERS)),
    "votes_all_in_favour": Act(votes_all_in_favour, ("secretary",), SECRETARY_ONLY),
    "session_sign as secretary": Act(sign_as_secretary, ("secretary",), SECRETARY_ONLY),
    "session_sign as chair": Act(sign_as_chair, ("member",), ("secretary", "akimat_officer", "plain_member",
                                                              *OUTSIDERS)),
    "session_sign as chair from paper": Act(sign_as_chair_from_paper, ("secretary",), SECRETARY_ONLY),
    "session_signature_withdraw": Act(signature_withdraw, ("secretary",), SECRETARY_ONLY),
    "notice_send": Act(notice_send, ("akimat_officer", "secretary"), OFFICER_OR_SECRETARY),
    "correction_open": Act(correction_open, ("secretary",), SECRETARY_ONLY),
}

REFUSALS = [(name, who) for name, act in ACTS.items() for who in act.refused]
ALLOWED = [(name, who) for name, act in ACTS.items() for who in act.allowed]


@pytest.mark.parametrize(("service", "who"), REFUSALS, ids=[f"{s}-by-{w}" for s, w in REFUSALS])
def test_a_wrong_actor_is_refused_and_nothing_changes(ctx, service, who):
    call = ACTS[service].arrange(ctx)
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        call(actor(ctx, who))
    assert refusal.value.code == "forbidden", refusal.value.message
    assert database_state() == before


@pytest.mark.parametrize(("service", "who"), ALLOWED, ids=[f"{s}-by-{w}" for s, w in ALLOWED])
def test_the_right_actor_may_act_in_the_same_arrangement(ctx, service, who):
    call = ACTS[service].arrange(ctx)
    before = database_state()
    call(actor(ctx, who))
    assert database_state() != before


def test_every_state_changing_service_of_the_app_is_covered():
    """A new service gets its row in ACTS (and so its refusals) before it can ship."""
    reads_or_helpers = {"commission_for", "quorum_check"}
    public = {name for name, obj in vars(services).items()
              if callable(obj) and getattr(obj, "__module__", "") == services.__name__
              and not name.startswith("_") and not isinstance(obj, type)}
    covered = {name.split(" ")[0] for name in ACTS}
    assert public - reads_or_helpers == covered


# --- the three cases the issue names, spelled out -------------------------------------------

def test_an_employer_cannot_record_a_decision(ctx):
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        decision_record(ctx)(ctx.cast.employer)
    assert refusal.value.code == "forbidden"
    assert database_state() == before


def test_a_member_cannot_sign_as_secretary(ctx):
    call = sign_as_secretary(ctx)
    before = database_state()
    for who in (ctx.plain_member, ctx.cast.member):  # an ordinary member, and the chair
        with pytest.raises(DomainError) as refusal:
            call(who)
        assert refusal.value.code == "forbidden"
    assert database_state() == before
    ctx.case.session.refresh_from_db()
    assert ctx.case.session.secretary_signed_at is None
    # What the session page offers follows the same rule: nobody but a secretary of the region is
    # "secretary", and only the chair in person is "chair".
    session = ctx.case.session
    roles = {who: permissions.signature_role(session, actor(ctx, who))
             for who in ("secretary", "member", "plain_member", "akimat_officer", "secretary_atyrau", "employer")}
    assert roles == {"secretary": "secretary", "member": "chair", "plain_member": None, "akimat_officer": None,
                     "secretary_atyrau": None, "employer": None}


def test_another_regions_secretary_cannot_touch_a_session(ctx):
    """Atyrau's secretary, though a Commission secretary, can do nothing to an Astana session."""
    who = ctx.cast.secretary_atyrau
    calls = [attendance_set(ctx), agenda_refresh(ctx), decision_record(ctx), conflict_for_another(ctx)]
    before = database_state()
    for call in calls:
        with pytest.raises(DomainError) as refusal:
            call(who)
        assert refusal.value.code == "forbidden"
    assert database_state() == before
    _decided(ctx)
    for call in (lambda: services.session_sign(actor=who, session=ctx.case.session),
                 lambda: services.session_signature_withdraw(actor=who, session=ctx.case.session)):
        with pytest.raises(DomainError) as refusal:
            call()
        assert refusal.value.code == "forbidden"


def test_a_member_votes_only_for_themself_and_the_secretary_for_anyone_present(ctx):
    decision = _decided(ctx, votes=False)
    mine, other = ctx.case.members[2], ctx.case.members[3]
    with pytest.raises(DomainError) as refusal:
        services.vote_cast(actor=ctx.plain_member, decision=decision, member=other, choice="against")
    assert refusal.value.code == "forbidden"
    services.vote_cast(actor=ctx.plain_member, decision=decision, member=mine, choice="for")
    services.vote_cast(actor=ctx.cast.secretary, decision=decision, member=other, choice="against")
    assert dict(decision.votes.values_list("member_id", "choice")) == {mine.pk: "for", other.pk: "against"}


def test_a_member_whose_portal_role_was_removed_no_longer_acts_through_the_seat(ctx):
    """The seat's link is not enough: the decision rests on the Membership rows."""
    decision = _decided(ctx, votes=False)
    ctx.plain_member.memberships.all().delete()
    with pytest.raises(DomainError) as refusal:
        services.vote_cast(actor=ctx.plain_member, decision=decision, member=ctx.case.members[2], choice="for")
    assert refusal.value.code == "forbidden"
    assert not decision.votes.exists()


def test_the_chair_whose_account_is_deactivated_cannot_sign(ctx):
    call = sign_as_chair(ctx)
    ctx.cast.member.is_active = False
    ctx.cast.member.save()
    with pytest.raises(DomainError) as refusal:
        call(ctx.cast.member)
    assert refusal.value.code == "forbidden"
