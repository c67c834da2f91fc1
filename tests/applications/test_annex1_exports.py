"""Annex 1 through the export layer: the XLSX read back cell by cell against the database, and the
PDF's table from the same exporter (issue 7)."""
from __future__ import annotations

import io

import pytest
from django.db.models import Sum
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import exports
from applications.models import Line

from .conftest import fill

pytestmark = pytest.mark.django_db

LINES = [("1", "o1120", "главный инженер проекта", 1), ("3", "o2142", "", 5), ("3", "o3112", "", 2),
         ("4", "o7212", "аргонная сварка", 20), ("S", "o9211", "", 40)]


@pytest.fixture
def annex(cast, occupations, draft):
    lines = [{"category": c, "occupation": getattr(occupations, o), "specialty": s, "count": n} for c, o, s, n in LINES]
    return fill(draft, cast.employer, occupations, lines=lines, current_year_count=9)


def database_sums(app) -> list[int]:
    sums = dict(Line.objects.filter(application=app).values_list("category").annotate(n=Sum("count")))
    return [sums.get(c, 0) for c in ("1", "2", "3", "4", "S")]


def download(cast, app):
    response = cast.client(cast.employer).get(f"/applications/{app.pk}/annex1.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def header_row(ws) -> int:
    return next(row[0].row for row in ws.iter_rows() if row[0].value == "No.")


def test_every_number_cell_of_annex1_is_a_number_equal_to_the_database(cast, annex):
    ws = download(cast, annex).worksheets[0]
    head = header_row(ws)
    data, totals = ws[head + 3], ws[head + 4]
    expected = [1, 9, *database_sums(annex)]
    assert [c.value for c in data] == expected == [1, 9, 1, 0, 7, 20, 40]
    assert all(c.data_type == "n" for c in data)
    assert [c.value for c in totals] == ["Total", *expected[1:]]
    assert all(c.data_type == "n" for c in totals[1:])
    # No "label — count" text anywhere in the form's table.
    assert not [c.coordinate for row in ws.iter_rows(min_row=head + 3, max_row=head + 4) for c in row
                if isinstance(c.value, str) and c.value != "Total"]


def test_annex1_has_the_forms_header_merged_and_numbered(cast, annex):
    ws = download(cast, annex).worksheets[0]
    head = header_row(ws)
    rows = [list(r) for r in ws.iter_rows(min_row=head, max_row=head + 2, values_only=True)]
    assert rows[0][:3] == ["No.", "Foreign workers attracted in the current year (units)",
                           "Need for foreign labour for 2028"]
    assert rows[1][2:] == ["Category 1 (by profession and specialty)", "Category 2 (by profession and specialty)",
                           "Category 3 (by profession and specialty)", "Category 4 (by profession and specialty)",
                           "Seasonal foreign workers"]
    assert rows[2] == [1, 2, 3, 4, 5, 6, 7]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{head}:A{head + 1}", f"B{head}:B{head + 1}", f"C{head}:G{head}"} <= merged
    assert ws.freeze_panes == f"A{head + 3}"
    text = [c for row in ws.iter_rows(max_row=head - 1, values_only=True) for c in row if c]
    assert text[0] == "Annex 1" and "Form" in text
    assert "Employer's application for attracting foreign labour for 2028" in text
    assert any(t.startswith("from ТОО «Астана Құрылыс», BIN/IIN ") for t in text)


def test_the_breakdown_sheet_sums_to_the_forms_figures(cast, annex):
    wb = download(cast, annex)
    ws = wb.worksheets[1]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:4] == ["No.", "Occupation code", "Occupation", "Specialty"]
    data = rows[2:-1]
    assert [r[:4] for r in data] == [[1, "1120", "Managing directors and chief executives", "главный инженер проекта"],
                                     [2, "2142", "Civil engineers", None],
                                     [3, "3112", "Civil engineering technicians", None],
                                     [4, "7212", "Welders and flame cutters", "аргонная сварка"],
                                     [5, "9211", "Crop farm labourers", None]]
    for row, (category, _o, _s, count) in zip(data, LINES, strict=False):
        assert row[4:] == [count if c == category else None for c in ("1", "2", "3", "4", "S")]
    column_sums = [sum(r[i] or 0 for r in data) for i in range(4, 9)]
    assert column_sums == database_sums(annex) == rows[-1][4:]
    number_cells = [c for row in ws.iter_rows(min_row=3) for c in row[4:] if c.value is not None]
    assert number_cells and all(c.data_type == "n" for c in number_cells)


def test_the_annex1_pdf_and_xlsx_show_the_same_numbers(cast, annex):
    content = cast.client(cast.employer).get(f"/applications/{annex.pk}/annex1.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "Total 9 1 0 7 20 40" in text
    # The breakdown sits inside its category's cell, under the number.
    assert "3112 Civil engineering technicians — 2" in text and "9211 Crop farm labourers — 40" in text
    table = exports.annex1_table(annex)
    assert [cell["value"] for cell in table["rows"][0]] == [1, 9, *database_sums(annex)]


def test_annex1_xlsx_is_in_the_readers_language(cast, annex):
    with translation.override("ru"):
        content = exports.annex1_xlsx(annex)
    wb = load_workbook(io.BytesIO(content))
    text = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Приложение 1" in text and "Итого" in text
    assert "Заявка работодателя на привлечение иностранной рабочей силы на 2028 год" in text
    assert wb.worksheets[1]["C3"].value == "Руководители высшего звена"
