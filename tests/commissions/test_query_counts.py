"""The review's and the Commission's list pages run as many queries with ten rows as with one."""

from __future__ import annotations

import datetime as dt

import pytest

from applications.models import Application
from commissions import services
from commissions.models import LabourMarketFigure, Member, Violation
from quota_portal.core.models import Occupation, Organization
from quota_portal.core.validators import make_bin_iin
from tests.queries import assert_same_query_count

from .conftest import all_approved, full_commission, generalize, make_application, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db
SESSION_DAY = dt.date(2026, 10, 20)


def make_org(cast, i: int) -> Organization:
    return Organization.objects.create(
        bin_iin=make_bin_iin(f"0801400{i:04d}"),
        name=f"ТОО «Фирма № {i}»",
        legal_address="Астана",
        region=cast.astana,
    )


def at_commission(cast, occupations, i: int, *, prefix: str) -> Application:
    """The i-th employer's generalized application before the Astana Commission (two lines)."""
    app = make_application(
        cast,
        org=make_org(cast, i),
        number=f"{prefix}-{i:02d}",
        lines=[("3", occupations.o2142, 2), ("4", occupations.o7212, 3)],
    )
    generalize(app, cast.akimat_officer)
    return app


def test_the_akimats_inbox(cast, occupations):
    def add(i):
        app = make_application(
            cast,
            org=make_org(cast, i),
            status=S.UNDER_REVIEW,
            number=f"IN-{i:02d}",
            lines=[("3", occupations.o2142, 2), ("4", occupations.o7212, 3)],
        )
        generalize(app, cast.akimat_officer)  # each row shows its generalization's state
        return app.registration_number

    client = cast.client(cast.akimat_officer)
    assert_same_query_count(
        add, lambda: client.get("/commissions/"), label="akimat inbox /commissions/"
    )


def test_the_labour_market_figures(cast):
    def add(i):
        occupation = Occupation.objects.create(
            code=f"93{i:02d}",
            name_ru=f"Профессия № {i}",
            name_kk=f"Мамандық № {i}",
            name_en=f"Occupation {i}",
        )
        services.figure_save(
            actor=cast.akimat_officer,
            region=cast.astana,
            campaign=cast.campaign,
            occupation=occupation,
            values={"jobseekers": i, "labour_demand": 3},
        )
        return f"93{i:02d}"

    client = cast.client(cast.akimat_officer)
    assert_same_query_count(
        add,
        lambda: client.get("/commissions/labour-market/"),
        label="labour-market figures /commissions/labour-market/",
    )
    assert LabourMarketFigure.objects.filter(region=cast.astana).count() == 10


def test_the_violations(cast):
    def add(i):
        Violation.objects.create(
            region=cast.astana,
            organization=make_org(cast, i),
            ground="2",
            year=2026,
            description=f"Нарушение № {i:02d}",
            recorded_by=cast.akimat_officer,
        )
        return f"Нарушение № {i:02d}"

    client = cast.client(cast.akimat_officer)
    assert_same_query_count(
        add,
        lambda: client.get("/commissions/violations/"),
        label="violations /commissions/violations/",
    )


def test_the_commissions_members(cast):
    commission = services.commission_for(cast.astana)

    def add(i):
        services.member_save(
            actor=cast.secretary,
            commission=commission,
            data={
                "full_name": f"Член комиссии № {i:02d}",
                "position": "Специалист",
                "body": "labour",
                "role": Member.Role.MEMBER,
                "user": None,
                "is_active": True,
            },
        )
        return f"Член комиссии № {i:02d}"

    client = cast.client(cast.secretary)
    assert_same_query_count(
        add,
        lambda: client.get("/commissions/commission/"),
        label="Commission members /commissions/commission/",
    )


def test_the_sessions_list(cast, occupations):
    commission, _members = full_commission(cast.astana, users={1: cast.secretary})

    def add(i):
        at_commission(cast, occupations, i, prefix="SL")
        services.session_create(
            actor=cast.secretary,
            commission=commission,
            campaign=cast.campaign,
            date=SESSION_DAY,
            place=f"Зал заседаний № {i:02d}",
        )
        return f"Зал заседаний № {i:02d}"

    client = cast.client(cast.secretary)
    assert_same_query_count(
        add, lambda: client.get("/commissions/sessions/"), label="sessions /commissions/sessions/"
    )


def test_the_session_page_with_its_agenda_and_decisions(cast, occupations):
    commission, members = full_commission(cast.astana, users={1: cast.secretary})
    state = {}

    def add(i):
        app = at_commission(cast, occupations, i, prefix="AG")
        # A violation of each employer is shown against its item (Rules p.10(2)).
        Violation.objects.create(
            region=cast.astana,
            organization=app.organization,
            ground="2",
            year=2026,
            description="Нарушение",
            recorded_by=cast.akimat_officer,
        )
        if "session" not in state:
            state["session"] = services.session_create(
                actor=cast.secretary,
                commission=commission,
                campaign=cast.campaign,
                date=SESSION_DAY,
                place="Астана",
            )
            services.attendance_set(
                actor=cast.secretary, session=state["session"], present_ids={m.pk for m in members}
            )
        else:
            services.agenda_refresh(actor=cast.secretary, session=state["session"])
        item = state["session"].items.get(application=app)
        services.conflict_declare(
            actor=cast.secretary, item=item, member=members[6], reason="Родственник"
        )
        services.decision_record(
            actor=cast.secretary, item=item, lines=all_approved(app), votes=votes_for(members[:6])
        )
        return app.registration_number

    client = cast.client(cast.secretary)
    assert_same_query_count(
        add,
        lambda: client.get(f"/commissions/sessions/{state['session'].pk}/"),
        label="session page (agenda) /commissions/sessions/<pk>/",
    )


def test_the_notices(cast, occupations):
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})

    def add(i):
        app = at_commission(cast, occupations, i, prefix="NT")
        session = services.session_create(
            actor=cast.secretary,
            commission=commission,
            campaign=cast.campaign,
            date=SESSION_DAY,
            place="Астана",
        )
        services.attendance_set(
            actor=cast.secretary, session=session, present_ids={m.pk for m in members}
        )
        services.decision_record(
            actor=cast.secretary,
            item=session.items.get(),
            lines=all_approved(app),
            votes=votes_for(members),
        )
        services.session_sign(actor=cast.secretary, session=session)
        services.session_sign(actor=cast.member, session=session, as_chair=True)
        return app.registration_number

    client = cast.client(cast.akimat_officer)
    assert_same_query_count(
        add, lambda: client.get("/commissions/notices/"), label="notices /commissions/notices/"
    )


def test_the_ministrys_dashboard_panel(cast, occupations):
    from quota_portal.core.models import Region

    regions = list(Region.objects.order_by("code"))

    def add(i):
        region = regions[i]
        app = make_application(
            cast,
            org=make_org(cast, i),
            region=region,
            status=S.UNDER_REVIEW,
            number=f"MP-{i:02d}",
            lines=[("3", occupations.o2142, 2)],
        )
        generalize(app, cast.akimat_officer)
        return region.name_ru

    client = cast.client(cast.analyst)
    assert_same_query_count(
        add, lambda: client.get("/dashboard/"), label="Ministry's dashboard panel /dashboard/"
    )
