"""Portal-wide list pages (inbox, the organization's members, the Ministry's reference lists)
run as many queries with ten rows as with one."""

from __future__ import annotations

import datetime as dt

import pytest

from quota_portal.core import accounts_services, services
from quota_portal.core.models import Campaign, Country, Membership, Role
from quota_portal.core.notifications import notify
from tests.conftest import add_membership, make_user
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


def test_the_inbox(cast):
    def add(i):
        notify(
            event_key=f"test:{i}",
            recipients=[cast.employer],
            subject=f"Тема сообщения № {i:02d}",
            body="Текст",
            url="/applications/",
        )
        return f"Тема сообщения № {i:02d}"

    client = cast.client(cast.employer)
    assert_same_query_count(add, lambda: client.get("/inbox/"), label="inbox /inbox/")


def test_the_organizations_members(cast):
    def add(i):
        user = make_user(f"member{i:02d}@example.kz")
        add_membership(user, Role.EMPLOYER_VIEWER, organization=cast.org)
        accounts_services.invitation_create(
            actor=cast.employer,
            organization=cast.org,
            email=f"invited{i:02d}@example.kz",
            role=Role.EMPLOYER_EDITOR,
        )
        return f"invited{i:02d}@example.kz"

    client = cast.client(cast.employer)
    assert_same_query_count(
        add, lambda: client.get("/accounts/members/"), label="members /accounts/members/"
    )
    assert Membership.objects.filter(organization=cast.org).count() == 3 + 10


def test_the_campaigns(cast):
    def add(i):
        Campaign.for_year(2030 + i).save()
        return str(2030 + i)

    client = cast.client(cast.analyst)
    assert_same_query_count(
        add, lambda: client.get("/ministry/campaigns/"), label="campaigns /ministry/campaigns/"
    )


def test_the_calendar(cast):
    def add(i):
        day = dt.date(2027, 3, 1) + dt.timedelta(days=i)
        services.calendar_exception_add(
            actor=cast.analyst, day=day, is_working_day=False, reason=f"Постановление № {i:02d}"
        )
        return f"Постановление № {i:02d}"

    client = cast.client(cast.analyst)
    assert_same_query_count(
        add, lambda: client.get("/ministry/calendar/"), label="calendar /ministry/calendar/"
    )


def test_the_countries_with_a_treaty(cast):
    Country.objects.update(has_ratified_treaty=False, treaty_reference="")
    countries = list(Country.objects.filter(is_eaeu_member=False).order_by("alpha2")[:10])

    def add(i):
        services.country_set_treaty(
            actor=cast.analyst,
            country=countries[i],
            has_ratified_treaty=True,
            treaty_reference=f"Соглашение № {i:02d}",
            treaty_ratified_on=dt.date(2023, 6, 1),
        )
        return countries[i].name_ru

    client = cast.client(cast.analyst)
    assert_same_query_count(
        add,
        lambda: client.get("/ministry/countries/", {"treaty": "1"}),
        label="countries /ministry/countries/?treaty=1",
    )
