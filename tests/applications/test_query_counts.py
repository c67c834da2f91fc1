"""The employer's list pages run as many queries with ten applications as with one."""

from __future__ import annotations

import pytest

from applications import services
from quota_portal.core.models import Region
from tests.queries import assert_same_query_count

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_application(cast, occupations):
    """The i-th submitted application of cast.org for quota 2028, each in its own region."""
    regions = list(Region.objects.order_by("code"))

    def add(i: int) -> str:
        app = services.application_start(
            actor=cast.employer,
            organization=cast.org,
            campaign=cast.next_campaign,
            region=regions[i],
        )
        app = fill(app, cast.employer, occupations)
        services.application_submit(
            actor=cast.employer, application=app, expected_revision=app.revision
        )
        app.refresh_from_db()
        return app.registration_number

    return add


@pytest.mark.parametrize("url", ["/applications/", "/dashboard/"])
def test_the_employers_application_lists_run_the_same_queries_for_one_and_ten_rows(
    cast, add_application, url
):
    client = cast.client(cast.employer)
    assert_same_query_count(add_application, lambda: client.get(url), label=f"employer {url}")
