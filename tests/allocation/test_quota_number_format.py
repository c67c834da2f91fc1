"""Numbers on the quota's pages as Russian and Kazakh readers write them: thousands grouped by a
non-breaking space and a decimal comma (Kazakh had Django's defaults: "9720000", "0.25")."""
from __future__ import annotations

import pytest
from django.utils import formats, translation

from allocation.quota_services import distribution_approve, distribution_propose, distribution_publish
from tests.allocation.quota_helpers import small_figures
from tests.allocation.redistribution_helpers import publish_version_1
from tests.allocation.test_publication import _pdf_text

NBSP = "\xa0"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_number_is_grouped_and_a_decimal_has_a_comma_in_either_language(lang):
    with translation.override(lang):
        assert formats.number_format(9_720_000, force_grouping=True) == f"9{NBSP}720{NBSP}000"
        assert formats.number_format("0.25") == "0,25"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_ministrys_distribution_page_groups_the_thousands(cast, lang):
    cast.approver.language = lang
    cast.approver.save(update_fields=["language"])
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast),
                                    reason="From the regions' annexes")
    html = cast.client(cast.approver).get(
        f"/ministry/quota/{cast.campaign.year}/distribution/{proposal.pk}/").content.decode()
    assert f'qp-num">9{NBSP}720{NBSP}000</dd>' in html
    assert 'qp-num">9720000<' not in html


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_public_page_writes_the_labour_force_and_the_percentage_as_the_reader_does(cast, lang):
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign,
                                    figures=small_figures(cast, atyrau=2000), reason="From the regions' annexes")
    distribution_publish(actor=cast.approver, distribution=distribution_approve(actor=cast.approver,
                                                                                distribution=proposal))
    client = cast.client(None)
    client.cookies["qp_language"] = lang
    html = client.get(f"/public/quota/{cast.campaign.year}/").content.decode()
    assert f'lang="{lang}"' in html
    assert f">9{NBSP}720{NBSP}000<" in html
    assert "0,25 %" in html and "0.25 %" not in html
    assert html.count(f">2{NBSP}005</text>") == 2  # Atyrau's bar in the wide and the narrow chart


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_decision_pdf_writes_the_labour_force_grouped_and_the_percentage_with_a_comma(cast, lang):
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast),
                                    reason="From the regions' annexes")
    distribution_publish(actor=cast.approver, distribution=distribution_approve(actor=cast.approver,
                                                                                distribution=proposal))
    pdf = cast.client(None).get(f"/public/quota/{cast.campaign.year}.pdf?lang={lang}")
    text = _pdf_text(pdf.content).replace(NBSP, " ")
    assert "9 720 000" in text and "9720000" not in text
    assert "0,25 %" in text and "0.25 %" not in text


def test_the_use_of_the_quota_groups_the_thousands_of_each_region_and_year(cast):
    publish_version_1(cast, atyrau=2000)
    html = cast.client(cast.analyst).get(f"/ministry/quota/{cast.campaign.year}/use/").content.decode()
    assert f'qp-num">2{NBSP}000</td>' in html  # Atyrau's category 3, distributed
    assert f">2{NBSP}110</td>" in html and ">2110<" not in html  # the year's distributed permits
