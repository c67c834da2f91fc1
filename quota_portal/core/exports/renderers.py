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
from decimal import Decimal
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .base import Column, Exporter
from .safety import cell_text, csv_text
from .sheet import DEFAULT_WIDTHS, SheetWriter, _is_number  # noqa: F401

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
CSV_DELIMITER = ";"

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
    from .layouts import TableLayout  # the default layout; layouts write through .sheet, never here

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
        writer.writerow([_csv_value(v, c) for v, c in zip(values, columns, strict=False)])
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
        record = {k: _json_value(v, c) for k, v, c in zip(keys, values, columns, strict=False)}
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
