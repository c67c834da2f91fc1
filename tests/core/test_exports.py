"""The export layer (quota_portal/core/exports): every file is read back and checked cell by cell."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from quota_portal.core.exports import (
    Column,
    Exporter,
    Filled,
    LegalFormLayout,
    Paragraph,
    TableLayout,
    iter_csv,
    render_csv,
    render_json,
    render_xlsx,
    write_xlsx,
)

INJECTIONS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


class Sample(Exporter):
    """Annex 2's shape in small: a text column, a number column, grouped categories, a date."""

    identifier = "sample"

    def __init__(self, rows=None, totals=None):
        self._rows = rows if rows is not None else [
            [1, "ТОО «Құрылыс», Астана", 12, 1, 0, 5, dt.date(2026, 6, 27)],
            [2, "АО «Самрук»", 3, None, 7, 20, None],
        ]
        self._totals = totals
        self.calls = 0

    def title(self):
        return "Заявка [2028]"

    def columns(self):
        return [Column("no", "№", "int", width=6, number=1),
                Column("organization", "Организация", width=30, number=2),
                Column("current_year", "Текущий год", "int", number=3),
                Column("cat_1", "1-я категория", "int", group="Потребность на 2028 год", number=4),
                Column("cat_2", "2-я категория", "int", group="Потребность на 2028 год", number=5),
                Column("cat_3", "3-я категория", "int", group="Потребность на 2028 год", number=6),
                Column("signed", "Дата", "date", number=7)]

    def rows(self):
        self.calls += 1
        if self.calls > 1:
            raise AssertionError("rows() was consumed twice")
        yield from self._rows

    def totals(self):
        return self._totals


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def values(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def form_layout():
    return LegalFormLayout(
        title="Заявка на привлечение иностранной рабочей силы на 2028 год",
        annex_label=["Приложение 2", "к Правилам установления квоты", Paragraph("Форма", bold=True)],
        addressee_lines=["В Министерство труда и социальной защиты населения Республики Казахстан"],
        sender_lines=[Filled("от Акимата города Астаны", "(полное наименование местного исполнительного органа)")],
        after=[Paragraph("Обоснование:", bold=True), "Текст обоснования"],
        signature_block=[Filled("Аким", "(должность)"), Filled("", "(подпись)"), Filled("Иванов И.И.", "(Ф.И.О.)")],
        signature_note="Место печати")


# --- XLSX ---------------------------------------------------------------------------------------

def test_a_plain_table_has_its_header_frozen_numbers_as_numbers_and_a_filter_without_the_totals():
    exporter = Sample(totals=["Итого", None, 15, 1, 7, 25, None])
    ws = workbook(render_xlsx(exporter)).active
    rows = values(ws)
    assert ws.title == "Заявка  2028"  # Excel refuses [ ] in a sheet's name
    assert rows[0][:4] == ["№", "Организация", "Текущий год", "Потребность на 2028 год"]
    assert rows[1][3:6] == ["1-я категория", "2-я категория", "3-я категория"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:A2", "B1:B2", "C1:C2", "D1:F1", "G1:G2"}
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:G4"  # rows 3-4; the totals on row 5 stay put when sorted
    assert rows[2][:6] == [1, "ТОО «Құрылыс», Астана", 12, 1, 0, 5]
    assert rows[4][:6] == ["Итого", None, 15, 1, 7, 25]
    for row in ws.iter_rows(min_row=3):
        for cell in row[2:6]:
            assert cell.value is None or (cell.data_type == "n" and isinstance(cell.value, int)), cell.coordinate
    assert ws["G3"].is_date and ws["G3"].value.date() == dt.date(2026, 6, 27)
    assert ws["G3"].number_format == "DD.MM.YYYY" and ws["C3"].number_format == "#,##0"


def test_the_legal_form_has_the_title_block_merged_header_and_numbered_row():
    ws = workbook(render_xlsx(Sample(totals=["Итого", None, 15, 1, 7, 25, None]), form_layout())).active
    rows = values(ws)
    merged = {str(r) for r in ws.merged_cells.ranges}
    # The annex label at the right (columns D-G of 7), as the seed prints it.
    assert rows[0][3] == "Приложение 2" and "D1:G1" in merged
    assert rows[2][3] == "Форма" and ws["D3"].font.b
    assert rows[5][3].startswith("от Акимата") and rows[6][3].startswith("(полное")
    title_row = next(i for i, r in enumerate(rows, 1) if r[0] == "Заявка на привлечение иностранной рабочей силы "
                                                                 "на 2028 год")
    assert f"A{title_row}:G{title_row}" in merged
    head = title_row + 2
    assert rows[head - 1][:4] == ["№", "Организация", "Текущий год", "Потребность на 2028 год"]
    assert {f"A{head}:A{head + 1}", f"D{head}:F{head}", f"G{head}:G{head + 1}"} <= merged
    assert rows[head + 1] == [1, 2, 3, 4, 5, 6, 7]  # the numbered header row
    assert ws.freeze_panes == f"A{head + 3}"
    assert ws.print_title_rows == f"${head}:${head + 2}"
    data = rows[head + 2:head + 5]
    assert data[0][:6] == [1, "ТОО «Құрылыс», Астана", 12, 1, 0, 5] and data[2][:6] == ["Итого", None, 15, 1, 7, 25]
    after = [r[0] for r in rows[head + 5:] if r[0]]
    assert after == ["Обоснование:", "Текст обоснования", "Аким", "(должность)", "Место печати"]
    signature_row = next(i for i, r in enumerate(rows, 1) if r[0] == "Аким")
    # 7 columns shared by 3 parts: A-C, D-E, F-G.
    assert rows[signature_row - 1][5] == "Иванов И.И." and rows[signature_row][3] == "(подпись)"
    assert {f"A{signature_row}:C{signature_row}", f"D{signature_row + 1}:E{signature_row + 1}"} <= merged
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_header_cells_under_a_merge_carry_the_borders():
    ws = workbook(render_xlsx(Sample(), form_layout())).active
    head = next(r[0].row for r in ws.iter_rows() if r[0].value == "№")
    # The covered cells of "A{head}:A{head+1}" and "D{head}:F{head}" are written, bordered.
    assert ws.cell(row=head + 1, column=1).border.left.style == "thin"
    assert ws.cell(row=head, column=5).border.top.style == "thin"


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_that_a_spreadsheet_would_run_is_stored_as_text_in_xlsx(text):
    exporter = Sample(rows=[[1, text, 1, 2, 3, 4, None]])
    for content in (render_xlsx(exporter), render_xlsx(Sample(rows=[[1, text, 1, 2, 3, 4, None]]), form_layout())):
        cells = [c for row in workbook(content).active.iter_rows() for c in row if c.value == text]
        assert cells, text
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
        assert not [c for row in workbook(content).active.iter_rows() for c in row if c.data_type == "f"]


def test_ordinary_text_gets_no_quote_prefix_and_control_characters_are_dropped():
    ws = workbook(render_xlsx(Sample(rows=[[1, "Проект\x01 «Нурлы Жол»", 1, 2, 3, 4, None]]))).active
    assert ws["B3"].value == "Проект «Нурлы Жол»" and not ws["B3"].quotePrefix


def test_a_number_column_refuses_text_in_a_data_row_and_leaves_no_temporary_file(tmp_path):
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = list(ALL_TEMP_FILES)
    with pytest.raises(TypeError, match="cat_1"):
        write_xlsx(tmp_path / "x.xlsx", Sample(rows=[[1, "x", 1, "2142 Инженеры — 5", 3, 4, None]]))
    assert before == ALL_TEMP_FILES


def test_decimals_and_percentages_are_numbers_with_their_formats():
    class Rates(Exporter):
        identifier = "rates"

        def title(self):
            return "Rates"

        def columns(self):
            return [Column("amount", "Amount", "decimal"), Column("share", "Share", "percent")]

        def rows(self):
            yield [Decimal("12.50"), 0.25]

    ws = workbook(render_xlsx(Rates())).active
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].number_format) == (12.5, "n", "#,##0.00")
    assert (ws["B2"].value, ws["B2"].number_format) == (0.25, "0.0%")
    assert json.loads(render_json(Rates())) == [{"amount": 12.5, "share": 0.25}]


def test_further_sheets_go_into_one_workbook():
    wb = workbook(render_xlsx(Sample(), form_layout(), sheets=[Sample(), (Sample(), TableLayout(key_row=True))]))
    assert len(wb.worksheets) == 3
    assert values(wb.worksheets[2])[2] == ["no", "organization", "current_year", "cat_1", "cat_2", "cat_3", "signed"]


def test_an_exporter_without_rows_gives_a_header_only():
    ws = workbook(render_xlsx(Sample(rows=[]))).active
    assert ws.max_row == 2
    assert render_csv(Sample(rows=[])).decode("utf-8-sig").count("\r\n") == 1
    assert json.loads(render_json(Sample(rows=[]))) == []


# --- streaming ----------------------------------------------------------------------------------

class Many(Exporter):
    """n rows, made as they are asked for; consuming them twice is an error."""

    identifier = "many"

    def __init__(self, n):
        self.n, self.started = n, False

    def title(self):
        return "Many"

    def columns(self):
        return [Column("no", "No.", "int"), Column("name", "Name"), Column("count", "Count", "int"),
                Column("day", "Day", "date")]

    def rows(self):
        assert not self.started, "rows() materialised twice"
        self.started = True
        for i in range(self.n):
            yield [i, f"Организация {i}", i % 97, dt.date(2026, 1, 1 + i % 28)]


def _peak(render) -> int:
    tracemalloc.start()
    try:
        render()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_rows_are_streamed_memory_stays_flat_as_rows_grow(tmp_path):
    # Write-only mode: 10 times the rows must not take anywhere near 10 times the memory (a normal
    # workbook holds every cell: its peak grows with the rows). bench/exports.py measures it.
    small = _peak(lambda: write_xlsx(tmp_path / "small.xlsx", Many(2_000)))
    large = _peak(lambda: write_xlsx(tmp_path / "large.xlsx", Many(20_000)))
    assert large < small * 2, (small, large)
    ws = load_workbook(tmp_path / "large.xlsx", read_only=True).active
    assert sum(1 for _ in ws.iter_rows()) == 20_001


def test_csv_is_streamed_in_chunks_with_one_byte_order_mark():
    chunks = list(iter_csv(Many(1_200), chunk_rows=500))
    assert len(chunks) == 3
    assert chunks[0].startswith("\ufeff".encode()) and not any(c.startswith("\ufeff".encode()) for c in chunks[1:])
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1_201 and rows[1_200] == ["1199", "Организация 1199", str(1199 % 97), "2026-01-24"]


def test_a_renderer_consumes_rows_once():
    exporter = Many(3)
    render_xlsx(exporter)
    with pytest.raises(AssertionError, match="twice"):
        render_csv(exporter)


# --- CSV and JSON -------------------------------------------------------------------------------

def test_csv_round_trips_with_headers_in_the_readers_language_and_no_totals():
    content = render_csv(Sample(totals=["Итого", None, 15, 1, 7, 25, None]))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["№", "Организация", "Текущий год", "Потребность на 2028 год — 1-я категория",
                       "Потребность на 2028 год — 2-я категория", "Потребность на 2028 год — 3-я категория", "Дата"]
    assert rows[1:] == [["1", "ТОО «Құрылыс», Астана", "12", "1", "0", "5", "2026-06-27"],
                        ["2", "АО «Самрук»", "3", "", "7", "20", ""]]


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe_in_csv(text):
    rows = list(csv.reader(io.StringIO(render_csv(Sample(rows=[[1, text, 1, 2, 3, 4, None]])).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][1] == "'" + text


def test_a_negative_number_is_a_number_in_csv_not_neutralised_text():
    rows = list(csv.reader(io.StringIO(render_csv(Sample(rows=[[1, "x", -3, 2, 3, 4, None]])).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][2] == "-3"


def test_json_is_a_list_of_objects_keyed_by_column_with_numbers_as_numbers():
    data = json.loads(render_json(Sample(totals=["Итого", None, 15, 1, 7, 25, None])))
    assert data == [
        {"no": 1, "organization": "ТОО «Құрылыс», Астана", "current_year": 12, "cat_1": 1, "cat_2": 0, "cat_3": 5,
         "signed": "2026-06-27"},
        {"no": 2, "organization": "АО «Самрук»", "current_year": 3, "cat_1": None, "cat_2": 7, "cat_3": 20,
         "signed": None},
    ]
    assert "Құрылыс".encode() in render_json(Sample())  # ensure_ascii=False: letters, not \\u escapes


def test_json_keeps_text_as_stored():
    data = json.loads(render_json(Sample(rows=[[1, INJECTIONS[0], 1, 2, 3, 4, None]])))
    assert data[0]["organization"] == INJECTIONS[0]


def test_a_column_kind_is_checked():
    with pytest.raises(ValueError, match="kind"):
        Column("x", "X", "money")
