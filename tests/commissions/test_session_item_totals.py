"""The session page's decided lines (review of issue 8): a table of counts, so it has a total row
("every table of counts has a total row"), and it becomes stacked cards on a phone (qp-stack) as the
decision form does; at 390 px in Kazakh its "Approved" column was cut off."""
from __future__ import annotations

import re

import pytest

from tests.commissions.test_views import signed_case  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_session_page_totals_each_items_lines_and_stacks_them(cast, signed_case):  # noqa: F811
    # Lines 5 -> 5 and 10 -> 4: requested 15, approved 9.
    html = cast.client(cast.secretary).get(f"/commissions/sessions/{signed_case.session.pk}/").content.decode()
    row = re.search(r'data-testid="agenda-item-total".*?</tr>', html, re.S).group(0)
    assert re.findall(r">\s*(\d+)\s*<", row) == ["15", "9"]
    table = html[html.rindex("<table", 0, html.index('data-testid="agenda-item-total"')):]
    assert "qp-stack" in table[:200]
