"""Issue 8, totals: every table of counts of the review and the Commission has a total row equal
to the sum of its rows: the inbox, the decision form, the protocol and notice PDFs, the Ministry's
table of regions."""
from __future__ import annotations

import re

import pytest

from applications.models import Application
from commissions.pdf import notice_pdf, protocol_pdf
from tests.commissions.test_views import pdf_text, signed_case  # noqa: F401  (fixture)

from .conftest import generalize, make_application

pytestmark = pytest.mark.django_db


def cell(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}"[^>]*>\s*([^<]*)<', html).group(1).strip()


def test_the_inbox_totals_the_requested_column_over_every_application(cast, astana_case, occupations):
    other = make_application(cast, org=cast.org2, status=Application.Status.SUBMITTED, number="AST-2027-0002",
                             lines=[("3", occupations.o3112, 7), ("S", occupations.o9211, 30)])
    generalize(other, cast.akimat_officer)
    html = cast.client(cast.akimat_officer).get("/commissions/").content.decode()
    assert cell(html, "inbox-requested-total") == str(5 + 10 + 7 + 30)
    assert re.search(r'data-testid="inbox-total".*?Итого, 2 заявки', html, re.S)


def test_the_decision_form_totals_requested_and_approved(cast, astana_case):
    l1, l2 = astana_case.lines
    html = cast.client(cast.secretary).get(f"/commissions/items/{astana_case.item.pk}/decision/").content.decode()
    assert cell(html, "total-requested") == "15" and cell(html, "total-approved") == "15"
    html = cast.client(cast.secretary).post(f"/commissions/items/{astana_case.item.pk}/decision/", {
        f"approved_{l1.pk}": 5, f"approved_{l2.pk}": 3, "version": 0}).content.decode()
    assert cell(html, "total-requested") == "15" and cell(html, "total-approved") == "8"  # as typed


def test_the_protocol_and_the_notice_total_requested_and_approved(signed_case):  # noqa: F811
    # Lines 5 -> 5 and 10 -> 4: requested 15, approved 9.
    protocol = " ".join(pdf_text(protocol_pdf(signed_case.session)).split())
    assert "Итого 15 9" in protocol
    notice = " ".join(pdf_text(notice_pdf(signed_case.notice)).split())
    assert "Итого 15 9" in notice


def test_the_ministrys_table_of_regions_has_a_total_row(cast, astana_case, occupations):
    make_application(cast, org=cast.org2, region=cast.atyrau, status=Application.Status.SUBMITTED,
                     number="ATY-2027-0001", lines=[("4", occupations.o7212, 3)])
    html = cast.client(cast.analyst).get("/dashboard/").content.decode()
    footer = re.search(r'<tfoot><tr class="fw-semibold qp-total" data-testid="ministry-regions-total">(.*?)</tr>',
                       html, re.S).group(1)
    numbers = [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', footer)]
    body = re.search(r'data-testid="commissions-ministry-panel".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = [[int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', tr)]
            for tr in re.findall(r"<tr.*?</tr>", body, re.S)]
    assert len(rows) == 2 and numbers == [sum(col) for col in zip(*rows, strict=True)]
    assert numbers[0] == 2
