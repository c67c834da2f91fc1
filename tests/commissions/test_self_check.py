"""The employer's self-check (Rules p.10(1)) reads the region's latest labour-market figures."""
from applications.models import Application
from commissions.models import LabourMarketFigure
from commissions.selectors import labour_market_warnings
from quota_portal.core.scoping import Tenant, TenantKind, activate

from .conftest import make_application


def test_a_draft_for_next_year_is_warned_by_last_cycles_figures_while_its_own_are_not_in(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      jobseekers=40)
    draft = make_application(cast, campaign=cast.next_campaign, status=Application.Status.DRAFT,
                             lines=[("4", occupations.o7212, 39), ("3", occupations.o2142, 5)])

    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org.pk)):
        warnings = labour_market_warnings(application=draft)

    assert [(w["occupation"].code, w["jobseekers"], w["requested"], w["year"]) for w in warnings] == [
        ("7212", 40, 39, 2027)]


def test_the_campaigns_own_figures_win_over_last_cycles(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      jobseekers=40)
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.next_campaign, occupation=occupations.o7212,
                                      jobseekers=3)
    draft = make_application(cast, campaign=cast.next_campaign, status=Application.Status.DRAFT,
                             lines=[("4", occupations.o7212, 39)])

    assert labour_market_warnings(application=draft) == []


def test_figures_of_another_region_never_warn(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.atyrau, campaign=cast.campaign, occupation=occupations.o7212,
                                      jobseekers=400)
    draft = make_application(cast, campaign=cast.next_campaign, status=Application.Status.DRAFT,
                             lines=[("4", occupations.o7212, 39)])

    assert labour_market_warnings(application=draft) == []


def test_the_employers_review_page_warns_and_says_which_years_figures_it_used(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      jobseekers=40)
    draft = make_application(cast, campaign=cast.next_campaign, status=Application.Status.DRAFT,
                             lines=[("4", occupations.o7212, 39)])
    client = cast.client(cast.employer)
    client.cookies["qp_language"] = "en"

    body = client.get(f"/applications/{draft.pk}/review/").content.decode()

    assert "40 registered local jobseekers in the region for 39 requested workers" in body
    assert "labour-market figures for quota 2027" in body
