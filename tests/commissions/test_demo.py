"""commissions.demo.seed: Astana decided at a signed session with notices sent; Atyrau awaiting; idempotent."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import F
from django.utils import timezone as tz

from applications.models import Application
from commissions import demo
from commissions.models import (
    Decision,
    Generalization,
    LabourMarketFigure,
    LineDecision,
    Member,
    Notice,
    Session,
    Violation,
)
from commissions.selectors import effectiveness
from quota_portal.core.calendar import add_working_days
from quota_portal.core.models import Role
from tests.conftest import add_membership, make_user

from .conftest import make_application

S = Application.Status
pytestmark = pytest.mark.django_db


def test_the_demo_seed_runs_twice_and_leaves_astana_notified_and_atyrau_at_the_commission(cast, occupations):
    for email, role, authority in (("akimat.astana@demo.kz", Role.AKIMAT_OFFICER, cast.akimat_astana),
                                   ("secretary.astana@demo.kz", Role.COMMISSION_SECRETARY, cast.akimat_astana),
                                   ("akimat.atyrau@demo.kz", Role.AKIMAT_OFFICER, cast.akimat_atyrau)):
        add_membership(make_user(email), role, authority=authority)
    make_application(cast, status=S.SUBMITTED, lines=[("3", occupations.o2142, 4), ("4", occupations.o7212, 12)])
    make_application(cast, org=cast.org2, status=S.UNDER_REVIEW, lines=[("4", occupations.o7212, 6)], number="A-2")
    make_application(cast, org=cast.org2, region=cast.atyrau, status=S.SUBMITTED,
                     lines=[("4", occupations.o7212, 20)], number="ATY-1")
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    c2027 = cast.campaign
    statuses = Application.objects.filter(region=cast.astana, campaign=c2027).values_list("status", flat=True)
    assert set(statuses) == {S.NOTIFIED}
    assert Application.objects.get(region=cast.atyrau, campaign=c2027).status == S.AT_COMMISSION
    sessions = list(Session.objects.filter(campaign=c2027).order_by("number"))
    assert [(s.number, s.date, s.is_signed) for s in sessions] == [
        (1, dt.date(2026, 10, 20), True), (2, dt.date(2026, 10, 22), True)]
    decisions = Decision.objects.filter(application__campaign=c2027)
    assert decisions.count() == 2 and Notice.objects.filter(sent_at__isnull=False, decision__in=decisions).count() == 2
    # Realistic dates: generalized 5-9 Oct (the late one on 15 Oct, with its reason), put before the
    # Commission by 15 Oct, decided and signed on the session day, notices within 5 working days except one.
    for gen in Generalization.objects.filter(application__campaign=c2027):
        assert dt.date(2026, 10, 5) <= tz.localdate(gen.generalized_at) <= dt.date(2026, 10, 15)
        assert tz.localdate(gen.to_commission_at) <= dt.date(2026, 10, 15)
        assert (tz.localdate(gen.generalized_at) > dt.date(2026, 10, 9)) == bool(gen.generalized_late_reason)
    first = sessions[0]
    assert tz.localdate(first.secretary_signed_at) == tz.localdate(first.chair_signed_at) == first.date
    notices = list(Notice.objects.filter(decision__in=decisions).select_related("decision"))
    assert all(tz.localdate(n.sent_at) >= n.decision.decided_on for n in notices)
    assert sorted(n.is_overdue() for n in notices) == [False, True]
    on_time = next(n for n in notices if not n.is_overdue())
    assert tz.localdate(on_time.sent_at) <= add_working_days(on_time.decision.decided_on, 5)
    # The generalization notes follow the figures and vary between applications.
    notes = list(Generalization.objects.filter(application__campaign=c2027).values_list("note_demand", flat=True))
    assert len(set(notes)) == len(notes)
    fig = LabourMarketFigure.objects.filter(region=cast.astana, campaign=c2027).first()
    assert any(str(fig.labour_demand) in n for n in notes)
    cut = LineDecision.objects.get(decision__in=decisions, approved__lt=F("requested"), requested=12)
    assert cut.grounds == ["1"] and "12 ищущих работу" in cut.reason
    # Previous-year approvals make the utilisation rate of p.7(4) show.
    app = Application.objects.filter(region=cast.astana, campaign=c2027, organization=cast.org).get()
    assert effectiveness(application=app)["approved"]
    assert Violation.objects.filter(organization=cast.org2, remedied_on__isnull=True).exists()
    # Atyrau can hold its session: its secretary and chair have logins linked to their seats.
    secretary = Member.objects.get(region=cast.atyrau, role=Member.Role.SECRETARY)
    chair = Member.objects.get(region=cast.atyrau, role=Member.Role.CHAIR)
    assert secretary.user.email == "secretary.atyrau@demo.kz" and chair.user.email == "chair.atyrau@demo.kz"
    assert secretary.user.memberships.filter(role=Role.COMMISSION_SECRETARY, authority=cast.akimat_atyrau).exists()
    assert chair.user.memberships.filter(role=Role.COMMISSION_MEMBER, authority=cast.akimat_atyrau).exists()
    assert "secretary.atyrau@demo.kz" in out.getvalue() and "chair.atyrau@demo.kz" in out.getvalue()
