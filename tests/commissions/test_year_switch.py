"""The akimat's year switch: every akimat page shows one quota year, chosen with ?campaign=<year>
and kept in the session, by default the working campaign; every figure is for that year, and the
dashboard's counts are for the year of its countdown."""
from __future__ import annotations

import pytest

from applications.models import Application
from commissions import services
from commissions.models import LabourMarketFigure, Notice, Session, Violation

from .conftest import all_approved, make_application, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(cast, occupations, astana_case):
    """2027 (filing closed): astana_case's application, decided, with a session and a notice;
    2028 (filing open): one submitted application of the second employer, in Astana."""
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    open_app = make_application(cast, org=cast.org2, status=S.SUBMITTED, campaign=cast.next_campaign,
                                lines=[("3", occupations.o3112, 2)], number="2028-OPEN-1")
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o2142,
                                      jobseekers=11)
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.next_campaign,
                                      occupation=occupations.o9211, jobseekers=22)
    Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2025,
                             description="нарушение 2025", recorded_by=cast.akimat_officer)
    Violation.objects.create(region=cast.astana, organization=cast.org, ground="3", year=2027,
                             description="нарушение 2027", recorded_by=cast.akimat_officer)
    assert Notice.objects.count() == 1 and Session.objects.count() == 1
    return astana_case.app, open_app


def _switch(body: str) -> bool:
    return 'data-testid="campaign-switch"' in body or 'data-testid="inbox-campaigns"' in body


def test_every_akimat_page_has_the_switch_and_defaults_to_the_working_campaign(cast, two_years):
    client = cast.client(cast.akimat_officer)
    for url in ("/commissions/", "/commissions/labour-market/", "/commissions/sessions/", "/commissions/notices/",
                "/commissions/violations/", "/dashboard/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _switch(response.content.decode()), url


def test_the_inbox_shows_the_open_campaign_and_keeps_the_choice(cast, two_years):
    closed_app, open_app = two_years
    client = cast.client(cast.akimat_officer)
    assert [a.pk for a in client.get("/commissions/").context["applications"]] == [closed_app.pk]
    assert [a.pk for a in client.get("/commissions/?campaign=2028").context["applications"]] == [open_app.pk]
    # Kept in the session for the next pages.
    assert [a.pk for a in client.get("/commissions/").context["applications"]] == [open_app.pk]
    assert client.get("/commissions/labour-market/").context["campaign"] == cast.next_campaign


def test_labour_market_figures_are_per_year(cast, two_years):
    client = cast.client(cast.akimat_officer)
    body = client.get("/commissions/labour-market/").content.decode()
    assert "2142" in body and "9211" not in body
    body = client.get("/commissions/labour-market/?campaign=2028").content.decode()
    assert "9211" in body and "2142" not in body


def test_sessions_and_notices_are_per_year(cast, two_years):
    client = cast.client(cast.secretary)
    assert len(client.get("/commissions/sessions/").context["sessions"]) == 1
    assert len(client.get("/commissions/sessions/?campaign=2028").context["sessions"]) == 0
    officer = cast.client(cast.akimat_officer)
    assert len(officer.get("/commissions/notices/").context["notices"]) == 1
    assert len(officer.get("/commissions/notices/?campaign=2028").context["notices"]) == 0


def test_violations_are_those_that_count_for_the_year(cast, two_years):
    client = cast.client(cast.akimat_officer)
    body = client.get("/commissions/violations/").content.decode()
    assert "нарушение 2025" in body and "нарушение 2027" not in body  # quota 2027: 2025 and 2026
    body = client.get("/commissions/violations/?campaign=2028").content.decode()
    assert "нарушение 2027" in body and "нарушение 2025" not in body  # quota 2028: 2026 and 2027


def test_the_dashboard_counts_the_year_of_its_countdown(cast, two_years):
    client = cast.client(cast.akimat_officer)
    response = client.get("/dashboard/?campaign=2028")
    panel = next(ctx for _t, ctx in response.context["panels"] if "counts" in ctx)
    assert panel["campaign"] == cast.next_campaign
    assert panel["counts"]["submitted"] == 1 and panel["counts"]["decided"] == 0
    assert response.context["next_deadline"]["campaign"] == cast.next_campaign
    # The working campaign (2027): its counts, and no countdown of another year.
    response = client.get("/dashboard/?campaign=2027")
    panel = next(ctx for _t, ctx in response.context["panels"] if "counts" in ctx)
    assert panel["campaign"] == cast.campaign and panel["counts"]["submitted"] == 0
    deadline = response.context["next_deadline"]
    assert deadline is None or deadline["campaign"] == cast.campaign
