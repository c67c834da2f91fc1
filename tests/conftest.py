"""The shared cast: two regions, two employers, akimat staff and a commission secretary per
region, a central body, a ministry analyst and approver, and an outsider.

Tests run against the real PostgreSQL (DATABASE_URL, or the embedded server). The test body runs
in the system scope so that arranging and asserting rows is not filtered; every HTTP request goes
through TenantMiddleware, which scopes it to the acting membership exactly as in production.

The clock. Almost everything the portal shows depends on the campaign phase (Campaign.phase,
is_open, filing_open, deadlines), which is computed from the clock. So EVERY test runs on a
travelled clock: the autouse fixture `_today` moves the process to TODAY, 25 November 2026, 10:00
in Asia/Almaty, before any other function-scoped fixture runs. On that day the cast's quota 2027
campaign has closed its filing (1 Oct 2026) and its Commission deadline, and the quota 2028
campaign is filing (until 1 Oct 2027). The clock ticks (tick=True) so that timeouts, `auto_now`
ordering and rate-limit windows behave as they do in production. A test that needs another moment
travels there itself (`with time_machine.travel(almaty(...), tick=False):`); time-machine nests
travels and puts TODAY back when the block ends. Browser tests are covered too: the live server
runs in a thread of this process, and time-machine patches the clock for every thread.

The suite must pass whatever the real date is: `make test-future` runs it with the whole process
(PostgreSQL's clock aside) moved to 2029 by libfaketime. `the_clock_is_travelling()` is asserted
by the fixtures that create phase-dependent state (`cast`, and through it every fixture that
starts applications), so a fixture that escapes the travelled clock fails loudly at once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client

from quota_portal.core.models import (
    Authority,
    Campaign,
    Membership,
    Organization,
    Region,
    Role,
    User,
)
from quota_portal.core.reference import load_reference
from quota_portal.core.scoping import system_scope
from quota_portal.core.validators import make_bin_iin

PASSWORD = "test-pass-2026"
ASTANA = "710000000"
ATYRAU = "230000000"


def almaty(*args) -> dt.datetime:
    """An aware datetime in Asia/Almaty, for time-machine: almaty(2026, 9, 30, 23, 59, 59)."""
    from quota_portal.core.calendar import ALMATY

    return dt.datetime(*args, tzinfo=ALMATY)


# "Today" for the whole suite (see the module docstring): quota 2027's filing is closed, 2028's open.
TODAY = almaty(2026, 11, 25, 10, 0, 0)


@pytest.fixture(autouse=True)
def _today():
    """Every test starts on TODAY, whatever the real date; tests travel elsewhere on their own."""
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def assert_the_clock_is_travelling() -> None:
    """Phase-dependent fixtures call this: state made on the real clock would rot with the date."""
    assert time_machine.escape_hatch.is_travelling(), (
        "This fixture creates campaign-phase dependent state but the clock is not travelled: keep "
        "the autouse `_today` fixture of tests/conftest.py, or wrap the code in time_machine.travel().")


@pytest.fixture(autouse=True)
def _system_scope():
    with system_scope():
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no request counted against the rate limits (core/ratelimit.py)."""
    from django.core.cache import cache

    cache.clear()
    yield


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=extra.pop("full_name", email), **extra)


def add_membership(user: User, role: str, *, organization=None, authority=None) -> Membership:
    return Membership.objects.create(user=user, role=role, organization=organization, authority=authority)


@dataclass
class Cast:
    astana: Region
    atyrau: Region
    akimat_astana: Authority
    akimat_atyrau: Authority
    ministry: Authority
    central_body: Authority
    campaign: Campaign  # quota 2027: filing until 1 Oct 2026 (closed on "today" 25 Nov 2026)
    next_campaign: Campaign  # quota 2028: filing until 1 Oct 2027
    org: Organization
    org2: Organization
    employer: User
    employer_editor: User
    employer_viewer: User
    employer2: User
    akimat_officer: User
    secretary: User
    member: User
    akimat_officer_atyrau: User
    secretary_atyrau: User
    central_officer: User
    analyst: User
    approver: User
    outsider: User

    def client(self, user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c


@pytest.fixture
def cast(db, _today) -> Cast:
    assert_the_clock_is_travelling()
    load_reference(Region, Authority)
    astana = Region.objects.get(code=ASTANA)
    atyrau = Region.objects.get(code=ATYRAU)
    ministry = Authority.objects.get(kind=Authority.Kind.MINISTRY)
    central_body = Authority.objects.filter(kind=Authority.Kind.CENTRAL).order_by("pk").first()
    campaign = Campaign.for_year(2027)
    campaign.save()
    next_campaign = Campaign.for_year(2028)
    next_campaign.save()
    org = Organization.objects.create(
        bin_iin=make_bin_iin("05014000012"), name="ТОО «Астана Құрылыс»",
        legal_address="г. Астана, пр. Мангилик Ел, 55", region=astana)
    org2 = Organization.objects.create(
        bin_iin=make_bin_iin("10034000078"), name="ТОО «Атырау Мунай Сервис»",
        legal_address="г. Атырау, ул. Сатпаева, 1", region=atyrau)
    c = Cast(
        astana=astana, atyrau=atyrau, akimat_astana=astana.akimat, akimat_atyrau=atyrau.akimat,
        ministry=ministry, central_body=central_body, campaign=campaign, next_campaign=next_campaign,
        org=org, org2=org2,
        employer=make_user("owner@example.kz"), employer_editor=make_user("editor@example.kz"),
        employer_viewer=make_user("viewer@example.kz"), employer2=make_user("owner2@example.kz"),
        akimat_officer=make_user("akimat.astana@example.kz"), secretary=make_user("secretary.astana@example.kz"),
        member=make_user("member.astana@example.kz"),
        akimat_officer_atyrau=make_user("akimat.atyrau@example.kz"),
        secretary_atyrau=make_user("secretary.atyrau@example.kz"),
        central_officer=make_user("central@example.kz"), analyst=make_user("analyst@example.kz"),
        approver=make_user("approver@example.kz"), outsider=make_user("outsider@example.kz"),
    )
    add_membership(c.employer, Role.EMPLOYER_OWNER, organization=org)
    add_membership(c.employer_editor, Role.EMPLOYER_EDITOR, organization=org)
    add_membership(c.employer_viewer, Role.EMPLOYER_VIEWER, organization=org)
    add_membership(c.employer2, Role.EMPLOYER_OWNER, organization=org2)
    add_membership(c.akimat_officer, Role.AKIMAT_OFFICER, authority=c.akimat_astana)
    add_membership(c.secretary, Role.COMMISSION_SECRETARY, authority=c.akimat_astana)
    add_membership(c.member, Role.COMMISSION_MEMBER, authority=c.akimat_astana)
    add_membership(c.akimat_officer_atyrau, Role.AKIMAT_OFFICER, authority=c.akimat_atyrau)
    add_membership(c.secretary_atyrau, Role.COMMISSION_SECRETARY, authority=c.akimat_atyrau)
    add_membership(c.central_officer, Role.CENTRAL_OFFICER, authority=central_body)
    add_membership(c.analyst, Role.MINISTRY_ANALYST, authority=ministry)
    add_membership(c.approver, Role.MINISTRY_APPROVER, authority=ministry)
    return c


@pytest.fixture
def occupations(db):
    """A handful of occupations (ISCO-08 unit groups) for lines."""
    from quota_portal.core.models import Occupation

    rows = [("2142", "Инженеры по гражданскому строительству", "Азаматтық құрылыс инженерлері", "Civil engineers"),
            ("7212", "Сварщики и газорезчики", "Дәнекерлеушілер және газбен кесушілер", "Welders and flame cutters"),
            ("1120", "Руководители высшего звена", "Жоғары буын басшылары", "Managing directors and chief executives"),
            ("3112", "Техники по гражданскому строительству", "Азаматтық құрылыс техниктері",
             "Civil engineering technicians"),
            ("9211", "Подсобные рабочие в растениеводстве", "Өсімдік шаруашылығындағы көмекші жұмысшылар",
             "Crop farm labourers")]
    out = {}
    for code, ru, kk, en in rows:
        out[code], _ = Occupation.objects.update_or_create(
            code=code, defaults={"name_ru": ru, "name_kk": kk, "name_en": en})
    return SimpleNamespace(**{f"o{k}": v for k, v in out.items()}, all=out)
