"""Fixtures for the Annex 1 tests: drafts filled through the services, and form POST data."""
from __future__ import annotations

import io
import zipfile

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from applications import services
from applications.models import Application
from tests.conftest import Cast, almaty, assert_the_clock_is_travelling


@pytest.fixture(autouse=True)
def _english(settings, monkeypatch):
    """Assertions read the English msgids, whether or not the ru/kk catalogues are compiled."""
    settings.LANGUAGE_CODE = "en"
    cookie = settings.LANGUAGE_COOKIE_NAME
    original = Cast.client

    def client(self, user):
        c = original(self, user)
        c.cookies[cookie] = "en"
        return c

    monkeypatch.setattr(Cast, "client", client)
    with translation.override("en"):
        yield


@pytest.fixture
def client(settings):
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def fill(app: Application, actor, occupations, *, lines=None, **fields) -> Application:
    data = {"current_year_count": 12, "justification": "Строительство ЖК «Нурлы Жол», договор подряда",
            "signer_position": "Директор", "signer_name": "Садыкова Айгерим Маратовна"}
    data.update(fields)
    if lines is None:
        lines = [{"category": "3", "occupation": occupations.o2142, "specialty": "", "count": 5},
                 {"category": "4", "occupation": occupations.o7212, "specialty": "аргонная сварка", "count": 20}]
    app.refresh_from_db()
    return services.application_save_draft(actor=actor, application=app, expected_revision=app.revision,
                                           lines=lines, projects=[{"name": "ЖК «Нурлы Жол»", "number": "17/2026",
                                                                   "date": None, "counterparty": "ТОО «BI Group»"}],
                                           **data)


@pytest.fixture
def draft(cast, occupations):
    """A filled draft of cast.org for the 2028 campaign in Astana, started on TODAY (25 Nov 2026,
    tests/conftest.py), while that campaign's filing is open (until 1 Oct 2027)."""
    assert_the_clock_is_travelling()
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                     region=cast.astana)
    return fill(app, cast.employer, occupations)


@pytest.fixture
def draft_2027(cast, occupations):
    """A filled draft for the 2027 campaign, made while its filing was open (September 2026)."""
    with time_machine.travel(almaty(2026, 9, 15, 10, 0, 0), tick=False):
        app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.campaign,
                                         region=cast.astana)
        return fill(app, cast.employer, occupations)


@pytest.fixture
def submitted(cast, draft):
    services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    draft.refresh_from_db()
    return draft


def form_data(app: Application, lines: list[tuple], projects=(), **fields) -> dict:
    """POST data of the edit page: the main form plus the lines and projects formsets."""
    data = {"revision": app.revision, "current_year_count": 3, "justification": "Проект",
            "signer_position": "Директор", "signer_name": "Иванов И.И.", "action": "save",
            "lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 1000, "projects-TOTAL_FORMS": len(projects), "projects-INITIAL_FORMS": 0,
            "projects-MIN_NUM_FORMS": 0, "projects-MAX_NUM_FORMS": 1000}
    data.update(fields)
    for i, (category, occupation, specialty, count) in enumerate(lines):
        data.update({f"lines-{i}-category": category, f"lines-{i}-occupation": occupation,
                     f"lines-{i}-specialty": specialty, f"lines-{i}-count": count})
    for i, (name, number, date, counterparty) in enumerate(projects):
        data.update({f"projects-{i}-name": name, f"projects-{i}-number": number, f"projects-{i}-date": date,
                     f"projects-{i}-counterparty": counterparty})
    return data


def make_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_xlsx_bytes(rows: list[list], sheet: str = "Lines") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["category", "occupation", "specialty", "count"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_zip_bomb() -> bytes:
    """A zip named .xlsx with [Content_Types].xml and one entry unpacking to 200 MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                f.write(chunk)
    return buf.getvalue()
