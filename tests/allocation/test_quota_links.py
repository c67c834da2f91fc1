"""The quota's three parts lead to each other and the public finds the published quota (issue 11, the
browser review): the scenarios page shows the redistribution part's block, the distribution list links
each year's pages, the Ministry's header has one "Quota" menu, the home page links the published quota."""
from __future__ import annotations

import pytest

from .redistribution_helpers import publish_version_1
from .scenario_data import scenario

pytestmark = pytest.mark.django_db


def test_the_scenarios_page_shows_the_redistribution_block_and_only_the_analyst_may_open_a_campaign(cast):
    scenario(cast)
    year = cast.campaign.year
    analyst = cast.client(cast.analyst).get(f"/ministry/quota/{year}/scenarios/").content.decode()
    assert 'data-testid="quota-use-links"' in analyst
    for href in (f"/ministry/quota/{year}/redistributions/", f"/ministry/quota/{year}/use/"):
        assert f'href="{href}"' in analyst, href
    assert 'data-testid="open-next-campaign"' in analyst
    approver = cast.client(cast.approver).get(f"/ministry/quota/{year}/scenarios/").content.decode()
    assert 'data-testid="quota-use-links"' in approver and 'data-testid="open-next-campaign"' not in approver


def test_the_distribution_list_links_each_years_parts(cast):
    publish_version_1(cast)
    year = cast.campaign.year
    page = cast.client(cast.approver).get("/ministry/quota/distribution/").content.decode()
    for href in (f"/ministry/quota/{year}/scenarios/", f"/ministry/quota/{year}/redistributions/",
                 f"/ministry/quota/{year}/use/"):
        assert f'href="{href}"' in page, href
    queue = cast.client(cast.analyst).get(f"/ministry/quota/{year}/redistributions/").content.decode()
    assert f'href="/public/quota/{year}/?version=1"' in queue


def test_the_ministrys_header_has_one_quota_menu_with_every_part(cast):
    page = cast.client(cast.analyst).get("/dashboard/").content.decode()
    assert page.count('data-testid="nav-quota"') == 1
    for href in ("/ministry/quota/", "/ministry/quota/distribution/", "/ministry/quota/redistributions/",
                 "/ministry/quota/use/", "/public/quota/"):
        assert f'href="{href}"' in page, href
    # The menu is marked as the current one on every page under /ministry/quota/.
    scenarios = cast.client(cast.analyst).get(f"/ministry/quota/{cast.campaign.year}/picture/").content.decode()
    assert 'dropdown-toggle active" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false" ' \
           'data-testid="nav-quota"' in scenarios


def test_the_home_page_leads_an_anonymous_visitor_to_the_published_quota(cast):
    anonymous = cast.client(None)
    assert 'data-testid="home-published-quota"' not in anonymous.get("/").content.decode()
    publish_version_1(cast)
    page = anonymous.get("/").content.decode()
    assert 'data-testid="home-published-quota"' in page
    assert f'href="/public/quota/{cast.campaign.year}/"' in page and 'href="/public/quota/"' in page
