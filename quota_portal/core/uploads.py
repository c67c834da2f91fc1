"""Checking uploaded files before anything reads them, and reading an XLSX workbook safely.

Every upload of the portal goes through here: the attachments of an application (stored as they
are) and the two spreadsheet imports, the Annex 1 lines and the labour-market figures (parsed).
They share the name check, the size limit and the zip checks (structure, part names, total size
once unpacked, compression ratio: a "zip bomb"). A workbook is then read completely inside one
`try`: openpyxl reads lazily, so a broken part (a shared-string index out of range, bad XML, a
wrong number) would otherwise fail later, outside any error handling. Whatever goes wrong is one
translated error naming the file, the row or the column, and nothing has been changed yet.
"""
from __future__ import annotations

import contextlib
import io
import math
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .downloads import safe_filename, unsafe_characters
from .errors import DomainError
from .parsing import clean_text

MAX_FILE_SIZE = 10 * 1024 * 1024
# An Office file unpacks to a few times its size; a bomb unpacks to thousands of times.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
# A workbook the portal parses is a filled template: a few hundred kilobytes once unpacked.
MAX_WORKBOOK_UNCOMPRESSED = 30 * 1024 * 1024
MAX_RATIO = 100
# Below this a part is too small to be a bomb, whatever its ratio (an empty sheet packs 50:1).
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 2000
# The longest text the portal takes from any cell of an imported workbook.
MAX_CELL_TEXT = 2000

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The parts an XLSX workbook is made of (OOXML part names are case-insensitive).
WORKBOOK_PARTS = ("xl/", "_rels/", "docprops/", "customxml/", "docmetadata/", "[trash]/")


def check_name_characters(name: str) -> None:
    """Refuse a name with invisible, control or direction characters: U+202E RIGHT-TO-LEFT OVERRIDE
    shows "invoice\u202efdp.exe" as "invoiceexe.pdf" to whoever downloads it."""
    found = unsafe_characters(name or "")
    if found:
        raise DomainError(
            _("The file name “%(name)s” contains invisible or text-direction characters (%(chars)s); "
              "rename the file and upload it again.")
            % {"name": safe_filename(name)[:100], "chars": ", ".join(dict.fromkeys(found))},
            field="file", code="bad_name")


def check_name(name: str) -> str:
    """The file's own name; refuse anything that looks like a path or hides characters."""
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise DomainError(
            _("The file name “%(name)s” contains a path or “..”; rename the file and upload it again.")
            % {"name": (name or "")[:100].replace("\x00", "")}, field="file", code="bad_name")
    check_name_characters(name)
    return name[:200]


def check_size(name: str, content: bytes, *, max_size: int = MAX_FILE_SIZE) -> None:
    if len(content) > max_size:
        raise DomainError(
            _("The file “%(name)s” is %(size)s MB; the limit is %(max)s MB per file.")
            % {"name": name, "size": round(len(content) / 1024 / 1024, 1), "max": round(max_size / 1024 / 1024)},
            field="file", code="too_big")
    if not content:
        raise DomainError(_("The file “%(name)s” is empty.") % {"name": name}, field="file", code="empty")


def check_zip(content: bytes, *, field: str = "file", max_uncompressed: int = MAX_UNCOMPRESSED) -> zipfile.ZipFile:
    """Open an Office (OOXML) file safely: a real zip, with [Content_Types].xml, plain part names,
    and no bomb (in total, or hidden in one part beside incompressible ones)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise DomainError(_("The file is damaged: it is not a valid Office document."), field=field,
                          code="bad_zip") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or len(infos) > MAX_PARTS or any(
            not n or n.startswith("/") or "\\" in n or "\x00" in n or ".." in n.split("/") for n in names):
        raise DomainError(_("The file is not an Office document (XLSX or DOCX): its structure is wrong."),
                          field=field, code="bad_zip")
    total = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos) or 1
    bomb = any(i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if bomb or total > max_uncompressed or total / compressed > MAX_RATIO:
        raise DomainError(_("The file unpacks to an abnormal size (a “zip bomb”); it was refused."),
                          field=field, code="zip_bomb")
    return archive


def office_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


@dataclass
class Row:
    number: int  # the spreadsheet's own row number, for messages
    values: list


def _cell_ref(row: int, column: int) -> dict:
    return {"row": row, "col": get_column_letter(column)}


def _cell_value(cell, row: int, column: int, max_text: int):
    kind = getattr(cell, "data_type", "n")
    value = cell.value
    if kind == "f":
        raise DomainError(_("Row %(row)s, column %(col)s holds a formula: enter the value itself (copy the "
                            "cells and paste them as values), then upload the file again.")
                          % _cell_ref(row, column), field="file", code="formula")
    if kind == "e":
        raise DomainError(_("Row %(row)s, column %(col)s holds a spreadsheet error (%(value)s): correct the "
                            "cell and upload the file again.") % {**_cell_ref(row, column), "value": str(value)[:20]},
                          field="file", code="cell_error")
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > max_text:
            raise DomainError(ngettext("Row %(row)s, column %(col)s: the text is %(length)s character long; the "
                                       "limit is %(max)s.",
                                       "Row %(row)s, column %(col)s: the text is %(length)s characters long; the "
                                       "limit is %(max)s.", len(value))
                              % {**_cell_ref(row, column), "length": len(value), "max": max_text},
                              field="file", code="text_too_long")
    elif isinstance(value, float) and not math.isfinite(value):
        raise DomainError(_("Row %(row)s, column %(col)s does not hold a number that can be read.")
                          % _cell_ref(row, column), field="file", code="bad_number")
    return value


def cell_digits(value, *, width: int = 0):
    """A cell that holds a whole number, as its digits padded with zeros to `width` (a spreadsheet
    stores a code such as "0110" as the number 110); any other value unchanged. Never through
    float(): openpyxl reads a 400-digit cell as an int, which float() cannot hold (OverflowError)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(width)
    return value


def read_xlsx(name: str, content: bytes, *, max_cols: int, max_rows: int, data_from: int = 2, sheet_names=(),
              max_size: int = MAX_FILE_SIZE, max_text: int = MAX_CELL_TEXT) -> list[Row]:
    """The non-empty rows of one sheet (the first of `sheet_names` present, else the first sheet),
    each padded to `max_cols` values. Raises DomainError (field "file") for any problem of the file:
    name, size, zip, not a workbook, unreadable, a formula or error cell, a text over `max_text`
    characters, more than `max_rows` non-empty rows from row `data_from` on."""
    check_name(name)
    check_size(name, content, max_size=max_size)
    archive = check_zip(content, max_uncompressed=MAX_WORKBOOK_UNCOMPRESSED)
    if office_kind(archive) != XLSX:
        raise DomainError(_("The file is not an XLSX workbook; download the template and fill it in."),
                          field="file", code="bad_type")
    if any(not n.lower().startswith(WORKBOOK_PARTS) and n != "[Content_Types].xml" for n in archive.namelist()):
        raise DomainError(_("The file holds parts that do not belong to an XLSX workbook; save it again as "
                            "an Excel workbook (.xlsx) and upload it."), field="file", code="bad_parts")
    rows: list[Row] = []
    data_rows = 0
    wb = None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
        ws = next((wb[s] for s in sheet_names if s in wb.sheetnames), None) or wb.worksheets[0]
        # Every cell is read here, inside the try: openpyxl parses a read-only sheet as it is iterated.
        for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=max_cols), start=1):
            values = [_cell_value(cell, number, column, max_text) for column, cell in enumerate(cells, start=1)]
            values += [None] * (max_cols - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            rows.append(Row(number, values))
            if number >= data_from:
                data_rows += 1
                if data_rows > max_rows:
                    raise DomainError(ngettext("The file has more than %(n)s row.",
                                               "The file has more than %(n)s rows.", max_rows) % {"n": max_rows},
                                      field="file",
                                      code="too_many")
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl, zipfile and the XML parser raise anything on a crafted file
        raise DomainError(_("The file is not a readable XLSX workbook: download the template, fill it in and "
                            "upload it again."), field="file", code="bad_xlsx") from None
    finally:
        if wb is not None:
            # Closing a broken archive must not hide the real error.
            with contextlib.suppress(Exception):
                wb.close()
    return rows
