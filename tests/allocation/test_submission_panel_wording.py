"""The akimat dashboard's "Annexes 2-4" panel (review of issue 8): the Rules are cited in the
reader's language and at their own points (Annex 2 p.12, Annex 3 p.16), the deadline is printed with
its kind and its plain meaning, and the panel follows the akimat's year switch like the others."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _panel(body: str) -> str:
    start = body.index('data-testid="submission-panel"')
    return body[start:body.index("</div></div>", start)]


def test_the_panel_cites_p12_and_p16_in_russian_with_the_deadline_kind(cast):
    client = cast.client(cast.akimat_officer)
    client.cookies["qp_language"] = "ru"
    body = client.get("/dashboard/?campaign=2027").content.decode()
    panel = _panel(body)
    assert "Rules p." not in panel
    assert "12, 16" in panel
    assert "01.11.2026" not in panel
    assert "до 1 ноября 2026" in panel
    assert "31 октября" in panel  # "until 1 November" means the last day is 31 October


def test_the_panel_follows_the_year_switch(cast):
    client = cast.client(cast.akimat_officer)
    body = client.get("/dashboard/?campaign=2028").content.decode()
    assert "/allocation/submissions/2028/" in body
    body = client.get("/dashboard/?campaign=2027").content.decode()
    assert "/allocation/submissions/2027/" in body
