"""The application's pages show what later stages register for them (quota_portal.core.registry):
the applications app never imports those stages."""
from __future__ import annotations

import time_machine
from django.template import Template

from quota_portal.core import registry
from tests.conftest import almaty

FILING_2027 = almaty(2026, 9, 20, 10, 0, 0)


def probe_check(request, application):
    return Template('<li class="list-group-item" data-testid="probe-check">{{ block.n }}</li>'), {
        "n": f"Probe check of {application.pk}"}


def probe_block(request, application):
    return Template('<div data-testid="probe-block">{{ block.n }}</div>'), {"n": f"Probe block of {application.pk}"}


def test_a_check_registered_for_the_review_page_is_an_item_of_the_self_check(cast, draft_2027):
    url = f"/applications/{draft_2027.pk}/review/"
    with time_machine.travel(FILING_2027, tick=False):
        client = cast.client(cast.employer)
        page = client.get(url).content.decode()
        assert 'data-testid="probe-check"' not in page and "No violations on record" in page
        with registry.registered(registry.PageBlock(page="application_review", key="probe", render=probe_check)):
            page = client.get(url).content.decode()
        start = page.index('data-testid="self-check"')
        self_check = page[start:page.index("</ul>", start)]
        assert f"Probe check of {draft_2027.pk}" in self_check
        assert "No violations on record" not in page  # the all-clear only when no check has anything to say
        assert 'data-testid="probe-check"' not in client.get(url).content.decode()


def test_a_block_registered_for_the_detail_page_shows_above_the_application_for_every_reader(cast, draft_2027):
    url = f"/applications/{draft_2027.pk}/"
    with time_machine.travel(FILING_2027, tick=False):
        with registry.registered(registry.PageBlock(page="application_detail", key="probe", render=probe_block)):
            page = cast.client(cast.employer).get(url).content.decode()
            assert page.index('data-testid="probe-block"') < page.index('data-testid="timeline"')
            # Outsiders still get the same 404: the block never runs for a page they cannot open.
            assert cast.client(cast.employer2).get(url).status_code == 404
        assert 'data-testid="probe-block"' not in cast.client(cast.employer).get(url).content.decode()
