"""Crafted XLSX files for the upload tests, built byte by byte from a real workbook.

openpyxl writes text as inline strings (<c t="inlineStr"><is><t>…</t></is></c>); the crafts edit the
first sheet's XML and zip it again, so each file is a workbook in every respect but the one flaw.
"""
from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: list[list], *, title: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(content: bytes, changes: dict[str, bytes | None], *, level: int = 9) -> bytes:
    """The same zip with parts replaced, added (name -> bytes) or removed (name -> None)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            if info.filename in changes:
                continue
            dst.writestr(info.filename, src.read(info.filename))
        for name, data in changes.items():
            if data is not None:
                dst.writestr(name, data)
    return out.getvalue()


def edit_cell(content: bytes, ref: str, new_cell_xml: str) -> bytes:
    """Replace the cell `ref` (e.g. "A2") of the first sheet by `new_cell_xml`."""
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(SHEET).decode()
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', re.DOTALL)
    assert pattern.search(sheet), f"no cell {ref} in the sheet"
    return rezip(content, {SHEET: pattern.sub(lambda _m: new_cell_xml, sheet, count=1).encode()})


def shared_string_out_of_range(content: bytes, ref: str) -> bytes:
    """The cell points at shared string 999 of a workbook that has none: openpyxl's lazy
    read-only reader raises IndexError only when the row is iterated."""
    return edit_cell(content, ref, f'<c r="{ref}" t="s"><v>999</v></c>')


def long_text(content: bytes, ref: str, size: int) -> bytes:
    """A cell of `size` letters (openpyxl itself cuts a cell at Excel's 32 767 characters)."""
    return edit_cell(content, ref, f'<c r="{ref}" t="inlineStr"><is><t>{"A" * size}</t></is></c>')


def huge_text_bomb(content: bytes, ref: str) -> bytes:
    """A cell of 20 MB of letters: the file stays ~20 KB, it unpacks to 20+ MB."""
    return long_text(content, ref, 20 * 1024 * 1024)


def number_cell(content: bytes, ref: str, raw: str) -> bytes:
    """A number cell with `raw` as its stored value (e.g. "1e999", read as infinity)."""
    return edit_cell(content, ref, f'<c r="{ref}" t="n"><v>{raw}</v></c>')


def with_part(content: bytes, name: str, data: bytes = b"MZ") -> bytes:
    return rezip(content, {name: data})


def not_a_zip() -> bytes:
    return b"%PDF-1.4\n% renamed to .xlsx\n" + bytes(range(256)) * 8
