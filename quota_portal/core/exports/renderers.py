"""One renderer per format: an `Exporter` to XLSX, CSV or JSON.

XLSX is written with openpyxl's write-only mode (`Workbook(write_only=True)`): each row goes to a
temporary file as it is appended, so memory stays flat however many rows the exporter yields.
A write-only sheet takes its view (frozen panes) and column widths before its first row and its
merged cells, filters and page setup at the end; `SheetWriter` holds the few rows of a header
until the data starts, so that a layout can write them in any order it likes.

CSV: UTF-8 with a byte order mark (Excel then reads Cyrillic and Kazakh letters right), ";"
between fields (the list separator of Excel in the Russian and Kazakh locales, so that a
double-click opens it in columns; Python reads it with `csv.reader(f, delimiter=";")`), the
column headers in the reader's language on the first line, numbers in the C locale (12.5, no
thousands separator), dates as ISO 8601. JSON: a list of objects keyed by the columns' keys,
numbers as JSON numbers, dates as ISO 8601, text as stored (no formula guard: it is data, not a
sheet). Neither carries a totals row.
"""
from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from .base import Column, Exporter
from .safety import cell_text, csv_text, is_formula_like

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
CSV_DELIMITER = ";"

NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "percent": "0.0%", "date": "DD.MM.YYYY",
                  "text": "General"}
DEFAULT_WIDTHS = {"text": 28, "int": 12, "decimal": 14, "percent": 10, "date": 12}

_THIN = Side(style="thin", color="333333")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F5")


@dataclass(frozen=True)
class CellStyle:
    """A named look a layout gives a cell; `SheetWriter` turns each into openpyxl styles once."""

    font: Font = field(default_factory=Font)
    border: Border = field(default_factory=Border)
    fill: PatternFill = field(default_factory=PatternFill)
    alignment: Alignment = field(default_factory=Alignment)


STYLES: dict[str, CellStyle] = {
    "plain": CellStyle(),
    "wrap": CellStyle(alignment=Alignment(wrap_text=True, vertical="top")),
    "title": CellStyle(font=Font(bold=True, size=12),
                       alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    "bold": CellStyle(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top")),
    "right": CellStyle(alignment=Alignment(wrap_text=True, vertical="top", horizontal="left")),
    "filled": CellStyle(border=_UNDERLINE, alignment=Alignment(wrap_text=True, vertical="bottom")),
    "caption": CellStyle(font=Font(size=8, italic=True, color="555555"),
                         alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)),
    "header": CellStyle(font=Font(bold=True), border=_BORDER, fill=_HEAD_FILL,
                        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    "plain_header": CellStyle(font=Font(bold=True), fill=_HEAD_FILL,
                              alignment=Alignment(vertical="top", wrap_text=True)),
    "numbers": CellStyle(border=_BORDER, fill=_HEAD_FILL, alignment=Alignment(horizontal="center")),
    "cell": CellStyle(border=_BORDER, alignment=Alignment(vertical="top", wrap_text=True)),
    "total": CellStyle(font=Font(bold=True), border=_BORDER, alignment=Alignment(vertical="top")),
    "plain_total": CellStyle(font=Font(bold=True)),
}


class SheetWriter:
    """A write-only worksheet as a layout sees it: rows of values, merged ranges, row heights.

    Rows are numbered from 1 as written. Until `start_data()` rows are held back (a header is a
    few rows): the frozen panes and print titles a layout asks for go into the sheet's view,
    which openpyxl writes before the first row.
    """

    def __init__(self, ws, columns: Sequence[Column], *, bordered: bool):
        self.ws = ws
        # Every value this writer appends is a finished cell (or None): openpyxl's own
        # `_values_to_row` would first try each cell as a value, fail (formatting an error message
        # with the cell's repr) and make a fresh cell, which costs a third of the write.
        ws._values_to_row = _finished_cells
        self.columns = list(columns)
        self.bordered = bordered
        self.last_row = 0
        self.freeze_row: int | None = None
        self.freeze_columns = 0
        self.header_rows: tuple[int, int] | None = None
        self.last_data_row = 0
        self._pending: list[list] | None = []
        self._styles: dict[tuple, StyleArray] = {}

    @property
    def width(self) -> int:
        return len(self.columns)

    # --- cells -----------------------------------------------------------------------------

    def _style(self, name: str, number_format: str = "General", quote: bool = False) -> StyleArray:
        key = (name, number_format, quote)
        style = self._styles.get(key)
        if style is None:
            # Styles are registered with the workbook once; each cell then copies nine integers.
            spec = STYLES[name]
            proto = WriteOnlyCell(self.ws)
            proto.font, proto.border, proto.fill, proto.alignment = (spec.font, spec.border, spec.fill,
                                                                     spec.alignment)
            proto.number_format = number_format
            proto.quotePrefix = quote
            style = self._styles[key] = proto._style
        return style

    def cell(self, value: Any = None, style: str = "plain", *, kind: str = "text") -> Cell:
        """A cell of `value` as `kind` (a column kind) in `style`; text is made inert."""
        value = _xlsx_value(value, kind)
        quote = is_formula_like(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if quote:
            cell.data_type = "s"  # "=..." would otherwise be stored as a formula
        cell._style = StyleArray(self._style(style, NUMBER_FORMATS.get(kind, "General")
                                             if not isinstance(value, str) else "General", quote))
        return cell

    # --- rows ------------------------------------------------------------------------------

    def append(self, cells: Sequence, *, height: float | None = None) -> int:
        """Write a row of cells (`cell()` results or plain values); returns its number."""
        self.last_row += 1
        if height is not None:
            self.ws.row_dimensions[self.last_row].height = height
        row = [c if isinstance(c, Cell) else self.cell(c) for c in cells]
        if self._pending is not None:
            self._pending.append(row)
        else:
            self.ws.append(row)
        return self.last_row

    def blank(self) -> int:
        return self.append([])

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merged_cells.add(f"{get_column_letter(first_col)}{first_row}:"
                                     f"{get_column_letter(last_col)}{last_row}")

    def start_data(self) -> None:
        """Fix the view (frozen header, print titles) and write the rows held back."""
        if self._pending is None:
            return
        if self.freeze_row is not None or self.freeze_columns:
            self.ws.freeze_panes = f"{get_column_letter(self.freeze_columns + 1)}{(self.freeze_row or 0) + 1}"
        if self.header_rows:
            self.ws.print_title_rows = f"{self.header_rows[0]}:{self.header_rows[1]}"
        pending, self._pending = self._pending, None
        for row in pending:
            self.ws.append(row)

    def data_row(self, values: Sequence, *, total: bool = False) -> int:
        """A row of the exporter's table: each value as its column's kind.

        A data row's number column takes only numbers (or None): text where the form wants a
        number is a bug of the exporter, refused here. The totals row may carry its label as text.
        """
        if len(values) != self.width:
            raise ValueError(f"{len(values)} values for {self.width} columns")
        style = ("total" if total else "cell") if self.bordered else ("plain_total" if total else "plain")
        cells = []
        for column, value in zip(self.columns, values):
            if column.is_number and value is not None and not _is_number(value):
                if not (total and isinstance(value, str)):
                    raise TypeError(f"Column {column.key!r} ({column.kind}) got {type(value).__name__}: "
                                    f"{value!r}")
                cells.append(self.cell(value, style))
                continue
            if column.kind == "text" and value is not None and not isinstance(value, str):
                value = str(value)
            cells.append(self.cell(value, style, kind=column.kind))
        row = self.append(cells)
        if not total:
            self.last_data_row = row
        return row


def _finished_cells(values, row_idx: int):
    for col_idx, cell in enumerate(values, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _xlsx_value(value, kind: str):
    if value is None or value == "":
        return None  # an empty text is no cell, as in a sheet typed by hand
    if isinstance(value, str):
        return cell_text(value)
    if isinstance(value, datetime.datetime):
        # openpyxl refuses aware datetimes; the reader wants the local (Almaty) date.
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date() if kind == "date" else value.replace(tzinfo=None)
    if _is_number(value) or isinstance(value, datetime.date):
        return value
    return cell_text(str(value))  # a lazy translation


# --- XLSX ---------------------------------------------------------------------------------------

def write_xlsx(target: str | IO[bytes], exporter: Exporter, layout=None, *, sheets: Sequence = ()) -> None:
    """Write the exporter as an XLSX workbook to `target` (a path or a binary file), row by row.

    `layout` lays out the first sheet (default: `TableLayout()`); `sheets` are further sheets of
    the workbook, each an exporter or an (exporter, layout) pair.
    """
    wb = Workbook(write_only=True)
    try:
        for spec in [(exporter, layout), *sheets]:
            sheet_exporter, sheet_layout = spec if isinstance(spec, tuple) else (spec, None)
            _write_sheet(wb, sheet_exporter, sheet_layout)
    except BaseException:
        _abandon(wb)
        raise
    wb.save(target)


def _abandon(wb: Workbook) -> None:
    """Close the sheets' streams and remove their temporary files after a failure (left to the
    garbage collector, the half-written XML streams close out of order and complain)."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            if ws._rows is not None:
                ws._rows.close()
        writer = ws._writer
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
            with contextlib.suppress(Exception):
                writer.cleanup()


def render_xlsx(exporter: Exporter, layout=None, *, sheets: Sequence = ()) -> bytes:
    buf = io.BytesIO()
    write_xlsx(buf, exporter, layout, sheets=sheets)
    return buf.getvalue()


def _write_sheet(wb: Workbook, exporter: Exporter, layout) -> None:
    from .layouts import TableLayout

    layout = layout or TableLayout()
    columns = exporter.columns()
    ws = wb.create_sheet(exporter.sheet_title())
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width or DEFAULT_WIDTHS[column.kind]
    sheet = SheetWriter(ws, columns, bordered=layout.bordered)
    layout.setup(sheet, exporter)
    layout.write_head(sheet, exporter)
    sheet.start_data()
    for values in exporter.rows():
        sheet.data_row(values)
    totals = exporter.totals()
    if totals is not None:
        sheet.data_row(totals, total=True)
    layout.write_tail(sheet, exporter)


# --- CSV ----------------------------------------------------------------------------------------

def _csv_value(value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat() if column.kind == "date" else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if _is_number(value):
        return str(value)
    return csv_text(cell_text(str(value)))


def csv_header(column: Column) -> str:
    """A column's header on CSV's one header line: its group's label before it, if any."""
    return f"{column.group} — {column.header}" if column.group else str(column.header)


def iter_csv(exporter: Exporter, *, delimiter: str = CSV_DELIMITER, chunk_rows: int = 500) -> Iterator[bytes]:
    """The CSV as chunks of bytes, for a `StreamingHttpResponse` or a file a task writes."""
    columns = exporter.columns()
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([csv_text(cell_text(csv_header(c))) for c in columns])
    pending = 1
    first = True
    for values in exporter.rows():
        writer.writerow([_csv_value(v, c) for v, c in zip(values, columns)])
        pending += 1
        if pending >= chunk_rows:
            yield _take(buf, first)
            first, pending = False, 0
    yield _take(buf, first)


def _take(buf: io.StringIO, first: bool) -> bytes:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return ("\ufeff" + text if first else text).encode("utf-8")


def render_csv(exporter: Exporter, *, delimiter: str = CSV_DELIMITER) -> bytes:
    return b"".join(iter_csv(exporter, delimiter=delimiter))


# --- JSON ---------------------------------------------------------------------------------------

def _json_value(value, column: Column):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat() if column.kind == "date" else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def iter_json(exporter: Exporter) -> Iterator[bytes]:
    """A JSON array of one object per row, streamed an object at a time."""
    columns = exporter.columns()
    keys = [c.key for c in columns]
    yield b"["
    separator = b""
    for values in exporter.rows():
        record = {k: _json_value(v, c) for k, v, c in zip(keys, values, columns)}
        yield separator + json.dumps(record, ensure_ascii=False).encode("utf-8")
        separator = b",\n"
    yield b"]"


def render_json(exporter: Exporter) -> bytes:
    return b"".join(iter_json(exporter))


RENDERERS = {"xlsx": (render_xlsx, XLSX_CONTENT_TYPE), "csv": (render_csv, CSV_CONTENT_TYPE),
             "json": (render_json, JSON_CONTENT_TYPE)}


def render(fmt: str, exporter: Exporter, layout=None, *, sheets: Sequence = ()) -> tuple[bytes, str]:
    """(bytes, content type) of the exporter in `fmt` ("xlsx", "csv" or "json"); the layout and
    further sheets apply to XLSX only."""
    if fmt == "xlsx":
        return render_xlsx(exporter, layout, sheets=sheets), XLSX_CONTENT_TYPE
    renderer, content_type = RENDERERS[fmt]
    return renderer(exporter), content_type
