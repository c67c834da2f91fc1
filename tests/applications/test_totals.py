"""Issue 8, totals: the Annex 1 lines carry a total row on the edit page, the check page, the
application's page and the receipt PDF, equal to the sum of the Number column."""
from __future__ import annotations

import re

import pytest

from applications import services
from applications.models import Line, Version
from tests.applications.test_views import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast, occupations):
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                     region=cast.astana)
    for i, (cat, occ, n) in enumerate([("3", occupations.o2142, 5), ("4", occupations.o7212, 12),
                                       ("S", occupations.o9211, 40)]):
        Line.objects.create(application=app, category=cat, occupation=occ, count=n, position=i)
    return app


def total_in(html: str) -> str:
    row = re.search(r'data-testid="lines-total">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r">\s*(\d+)\s*<", row)[-1]


def test_the_edit_page_totals_the_lines_and_keeps_what_was_typed(cast, draft):
    client = cast.client(cast.employer)
    assert total_in(client.get(f"/applications/{draft.pk}/edit/").content.decode()) == "57"
    html = client.post(f"/applications/{draft.pk}/edit/", {
        "revision": draft.revision, "action": "save", "current_year_count": "x",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
        "lines-0-category": "3", "lines-0-occupation": "2142", "lines-0-count": "6",
        "lines-1-category": "4", "lines-1-occupation": "7212", "lines-1-count": "9",
        "projects-TOTAL_FORMS": "0", "projects-INITIAL_FORMS": "0"}).content.decode()
    assert total_in(html) == "15"


def test_the_check_page_the_detail_page_and_the_receipt_total_the_lines(cast, draft):
    client = cast.client(cast.employer)
    assert total_in(client.get(f"/applications/{draft.pk}/review/").content.decode()) == "57"
    assert total_in(client.get(f"/applications/{draft.pk}/").content.decode()) == "57"
    draft.justification, draft.signer_name, draft.signer_position = "Стройка", "Иванов И.И.", "Директор"
    draft.save()
    services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    version = Version.objects.get(application=draft)
    content = client.get(f"/applications/{draft.pk}/receipt/{version.number}/pdf/").content
    assert re.search(r"(Итого|Барлығы|Total) 57\b", " ".join(pdf_text(content).split()))
