"""Shared spreadsheet safety for every XLSX the portal writes (openpyxl)."""
from __future__ import annotations

import io

from openpyxl import Workbook

# Text a spreadsheet would read as a formula (or a DDE payload) when the file is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
