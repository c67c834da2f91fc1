"""commissions.demo.seed: Astana decided at a signed session with notices sent; Atyrau awaiting; idempotent."""
from __future__ import annotations

import io

import pytest

from applications.models import Application
from commissions import demo
from commissions.models import Decision, Member, Notice, Session, Violation
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
    assert set(Application.objects.filter(region=cast.astana).values_list("status", flat=True)) == {S.NOTIFIED}
    assert Application.objects.get(region=cast.atyrau).status == S.AT_COMMISSION
    assert Session.objects.count() == 1 and Session.objects.get().is_signed
    assert Decision.objects.count() == 2 and Notice.objects.filter(sent_at__isnull=False).count() == 2
    assert Decision.objects.filter(outcome="partly").count() == 1
    assert Member.objects.filter(region=cast.atyrau).count() == 7 and Member.objects.filter(region=cast.astana).count() == 7
    assert Violation.objects.filter(organization=cast.org2, remedied_on__isnull=True).exists()
    # Atyrau can hold its session: its secretary and chair have logins linked to their seats.
    secretary = Member.objects.get(region=cast.atyrau, role=Member.Role.SECRETARY)
    chair = Member.objects.get(region=cast.atyrau, role=Member.Role.CHAIR)
    assert secretary.user.email == "secretary.atyrau@demo.kz" and chair.user.email == "chair.atyrau@demo.kz"
    assert secretary.user.memberships.filter(role=Role.COMMISSION_SECRETARY, authority=cast.akimat_atyrau).exists()
    assert chair.user.memberships.filter(role=Role.COMMISSION_MEMBER, authority=cast.akimat_atyrau).exists()
    assert "secretary.atyrau@demo.kz" in out.getvalue() and "chair.atyrau@demo.kz" in out.getvalue()
