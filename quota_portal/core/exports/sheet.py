"""Writing one XLSX sheet cell by cell (openpyxl write-only): the styles, number formats and the
writer that renderers and layouts share."""
from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, TIME_TYPES
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .base import Column
from .safety import FORMULA_PREFIXES, cell_text

NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "percent": "0.0%", "date": "DD.MM.YYYY",
                  "text": "General"}
ROW_LINE_HEIGHT = 15.0  # points per line of 11-point text
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


class SheetCell:
    """A finished, styled write-only cell: what openpyxl's row writer reads of a cell and no more.

    openpyxl's `WriteOnlyCell` copies a style array into each cell and hashes it again when the
    row is written (the workbook's style id); a sheet of 100,000 rows spent more time there than
    in writing its XML. This cell carries the id of its look (`SheetWriter._style`, one per named
    look and number format) and the data type openpyxl would infer, so the file is the same.
    """

    __slots__ = ("_value", "column", "data_type", "parent", "row", "style_id")
    _comment = None
    hyperlink = None
    has_style = True

    def __init__(self, ws, value, style_id: int):
        self.parent, self.style_id = ws, style_id
        if value is None:
            self.data_type = "n"
        elif isinstance(value, str):
            value = value[:32767]  # openpyxl's limit of a cell's text
            # Text starting with "=" stays text (its look has the quote prefix); error codes are
            # typed as openpyxl types them.
            self.data_type = "e" if value in ERROR_CODES else "s"
        elif isinstance(value, bool):
            self.data_type = "b"
        elif isinstance(value, TIME_TYPES):
            self.data_type = "d"
        else:
            self.data_type = "n"
        self._value = value

    @property
    def value(self):
        return self._value

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


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
        self._styles: dict[tuple, int] = {}

    @property
    def width(self) -> int:
        return len(self.columns)

    # --- cells -----------------------------------------------------------------------------

    def _style(self, name: str, number_format: str = "General", quote: bool = False) -> int:
        """The workbook's id of a named look with a number format (registered once, as openpyxl
        would register it when writing the first cell that has it)."""
        key = (name, number_format, quote)
        style = self._styles.get(key)
        if style is None:
            spec = STYLES[name]
            proto = WriteOnlyCell(self.ws)
            proto.font, proto.border, proto.fill, proto.alignment = (spec.font, spec.border, spec.fill,
                                                                     spec.alignment)
            proto.number_format = number_format
            proto.quotePrefix = quote
            style = self._styles[key] = self.ws.parent._cell_styles.add(proto._style)
        return style

    def cell(self, value: Any = None, style: str = "plain", *, kind: str = "text") -> SheetCell:
        """A cell of `value` as `kind` (a column kind) in `style`; text is made inert."""
        value = _xlsx_value(value, kind)
        if isinstance(value, str):
            quote = value.startswith(FORMULA_PREFIXES)
            style_id = self._style(style, "General", quote)
        else:
            style_id = self._style(style, NUMBER_FORMATS.get(kind, "General"))
        return SheetCell(self.ws, value, style_id)

    # --- rows ------------------------------------------------------------------------------

    def append(self, cells: Sequence, *, height: float | None = None) -> int:
        """Write a row of cells (`cell()` results or plain values); returns its number."""
        self.last_row += 1
        if height is not None:
            # What openpyxl's RowDimension would give the row writer, without building one per row.
            self.ws.row_dimensions[self.last_row] = {"ht": f"{height:.16g}", "customHeight": "1"}
        row = [c if isinstance(c, SheetCell) else self.cell(c) for c in cells]
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
        cell = self.cell
        cells = []
        lines = 1
        for column, value in zip(self.columns, values, strict=False):
            if value is None:
                cells.append(cell(None, style, kind=column.kind))
                continue
            if column.is_number and not _is_number(value):
                if not (total and isinstance(value, str)):
                    raise TypeError(f"Column {column.key!r} ({column.kind}) got {type(value).__name__}: "
                                    f"{value!r}")
                cells.append(cell(value, style))
                continue
            if column.kind == "text":
                if not isinstance(value, str):
                    value = str(value)
                elif value and self.bordered:
                    # A form's row grows with its wrapped text (see `wrapped_lines`).
                    lines = max(lines, wrapped_lines(value, column.width or DEFAULT_WIDTHS["text"]))
            cells.append(cell(value, style, kind=column.kind))
        height = None
        if self.bordered and lines > 1:
            height = round(lines * ROW_LINE_HEIGHT + 3, 1)
        row = self.append(cells, height=height)
        if not total:
            self.last_data_row = row
        return row


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (a word longer than
    the line is broken, as spreadsheet programs do).

    Spreadsheet programs keep a written row at the default height (LibreOffice draws the next row
    over it), so a form's row height is set from these lines (cheap enough for 100,000 rows)."""
    per_line = max(1, int((width - 1) * 1.1))
    if len(text) <= per_line and "\n" not in text:
        return 1
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0
        for word in part.split():
            size = len(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                lines += 1
            lines += (size - 1) // per_line
            used = size % per_line or per_line
        total += lines
    return total


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

