"""Text in a spreadsheet that must stay text: the one formula-injection guard of the portal.

Every XLSX and CSV the portal writes passes its text through here, whether a renderer of this
package writes it (write-only cells) or an import template builds a normal workbook
(`workbook_bytes`). A cell whose text begins with "=", "+", "-", "@", a tab or a carriage return
is run as a formula (or a DDE command) by a spreadsheet program when the file is opened or the
cell edited (OWASP "CSV Injection"): in XLSX such a cell is stored as a string with Excel's quote
prefix, in CSV it is written after an apostrophe.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Text a spreadsheet would read as a formula (or a DDE payload) when the file is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def cell_text(value):
    """A value a cell can hold: openpyxl refuses text with control characters (XML cannot carry
    them), which would fail the whole download; stored text from before the forms removed them,
    or typed in the admin, is written without them."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def cell_row(values) -> list:
    return [cell_text(v) for v in values]


def csv_text(value: str) -> str:
    """Text for a CSV field: an apostrophe before text a spreadsheet would run as a formula."""
    return "'" + value if is_formula_like(value) else value


def inert_cells(wb: Workbook) -> Workbook:
    """Store every text cell of a normal-mode workbook as text: user input such as
    "=HYPERLINK(...)" must never become a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """A normal-mode workbook (an import template) as XLSX bytes, with user text made inert."""
    buf = io.BytesIO()
    inert_cells(wb).save(buf)
    return buf.getvalue()
