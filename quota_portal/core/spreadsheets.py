"""Shared spreadsheet safety for every XLSX the portal writes (openpyxl)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Text a spreadsheet would read as a formula (or a DDE payload) when the file is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A value a cell can hold: openpyxl refuses text with control characters (XML cannot carry
    them), which would fail the whole download; stored text from before the forms removed them,
    or typed in the admin, is written without them."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def cell_row(values) -> list:
    return [cell_text(v) for v in values]


def inert_cells(wb: Workbook) -> Workbook:
    """Store every text cell as text: user input such as "=HYPERLINK(...)" must never become a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as XLSX bytes, with user text made inert."""
    buf = io.BytesIO()
    inert_cells(wb).save(buf)
    return buf.getvalue()
