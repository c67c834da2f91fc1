"""The labour-force import (Rules p.4: the quota is a percentage of the labour force): an XLSX or CSV
file with the columns

    region   KATO code of the region, 000000000 for the whole country
    persons  the labour force, persons (a whole number)
    source   where the figure comes from (a statistics release, its address)
    as_of    the date the figure refers to (a date cell, 2026-02-15 or 15.02.2026)

read all or nothing: every problem is reported with its row and column, and nothing is recorded
unless the whole file is right. The file goes through the checks every upload shares
(quota_portal/core/uploads.py: name, size, zip bomb, workbook parts, formula and error cells).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _

from quota_portal.core.errors import DomainError
from quota_portal.core.models import Region
from quota_portal.core.parsing import clean_text, parse_int
from quota_portal.core.uploads import MAX_CELL_TEXT, Row, cell_digits, check_name, check_size, read_xlsx

from .quota_models import MAX_LABOUR_FORCE
from .scenario_services import MAX_SOURCE, LabourForceRow

COLUMNS = ("region", "persons", "source", "as_of")
NATIONAL = "000000000"
MAX_ROWS = 100
MAX_UPLOAD = 1024 * 1024
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def column_labels() -> dict[str, str]:
    return {"region": _("region (KATO code)"), "persons": _("persons"), "source": _("source"),
            "as_of": _("as of")}


def template_csv() -> bytes:
    """An example file: the header and the national row."""
    return ("region,persons,source,as_of\r\n"
            "000000000,9720000,https://stat.gov.kz/,2026-02-15\r\n").encode("utf-8-sig")


def _csv_rows(name: str, content: bytes) -> list[Row]:
    check_name(name)
    check_size(name, content, max_size=MAX_UPLOAD)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The CSV file is not in UTF-8: save it as “CSV UTF-8” and upload it again."),
                          field="file", code="bad_encoding") from None
    if "\x00" in text:
        raise DomainError(_("The file holds NUL characters: it is not a text CSV file."), field="file",
                          code="bad_csv")
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if not any(v.strip() for v in values):
                continue
            for column, value in enumerate(values, start=1):
                if len(value) > MAX_CELL_TEXT:
                    raise DomainError(_("Row %(row)s, column %(col)s: the text is longer than %(max)s characters.")
                                      % {"row": number, "col": column, "max": MAX_CELL_TEXT}, field="file",
                                      code="text_too_long")
            rows.append(Row(number, [clean_text(v) for v in values][:len(COLUMNS)]
                            + [None] * max(0, len(COLUMNS) - len(values))))
            if len(rows) > MAX_ROWS + 1:
                raise DomainError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}, field="file",
                                  code="too_many")
    except csv.Error:
        raise DomainError(_("The CSV file cannot be read: check its quotes and separators."), field="file",
                          code="bad_csv") from None
    return rows


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if m := _ISO.fullmatch(text):
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            if m := _DOTTED.fullmatch(text):
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


def parse_labour_force(name: str, content: bytes) -> list[LabourForceRow]:
    """The file's rows, or DomainError / a list of errors (field "file") naming rows and columns."""
    if name.lower().endswith(".csv"):
        rows = _csv_rows(name, content)
    elif name.lower().endswith(".xlsx"):
        rows = read_xlsx(name, content, max_cols=len(COLUMNS), max_rows=MAX_ROWS, data_from=2,
                         max_size=MAX_UPLOAD)
    else:
        raise DomainError(_("Upload an .xlsx or .csv file."), field="file", code="bad_type")
    if not rows:
        raise DomainError(_("The file has no data rows."), field="file", code="empty")
    header = [str(v or "").strip().lower() for v in rows[0].values]
    if header[:len(COLUMNS)] != list(COLUMNS):
        raise DomainError(_("Row 1 must name the columns region, persons, source, as_of (in this order)."),
                          field="file", code="bad_header")
    labels = column_labels()
    regions = {r.code: r for r in Region.objects.all()}
    errors: list[str] = []
    out: list[LabourForceRow] = []

    def problem(row: int, column: str, message: str) -> None:
        errors.append(_("Row %(row)s, column “%(col)s”: %(message)s") % {
            "row": row, "col": labels[column], "message": message})

    for row in rows[1:]:
        values = dict(zip(COLUMNS, row.values, strict=False))
        code = str(cell_digits(values["region"], width=9) or "").strip()
        region = None
        if code != NATIONAL:
            region = regions.get(code)
            if region is None:
                problem(row.number, "region", _("unknown KATO code “%(code)s” (000000000 is the whole country).")
                        % {"code": code[:20]})
        raw = values["persons"]
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        persons = parse_int(raw if isinstance(raw, (int, str)) else None, min_value=1, max_value=MAX_LABOUR_FORCE)
        if persons is None:
            problem(row.number, "persons", _("enter a whole number from 1 to %(max)s, with the digits 0-9.")
                    % {"max": MAX_LABOUR_FORCE})
        source = str(values["source"] or "").strip()
        if not source:
            problem(row.number, "source", _("state where the figure comes from."))
        elif len(source) > MAX_SOURCE:
            problem(row.number, "source", _("at most %(max)s characters.") % {"max": MAX_SOURCE})
        as_of = _date(values["as_of"])
        if as_of is None:
            problem(row.number, "as_of", _("enter a date such as 2026-02-15 or 15.02.2026."))
        if persons is not None and source and len(source) <= MAX_SOURCE and as_of is not None \
                and (region is not None or code == NATIONAL):
            out.append(LabourForceRow(region=region, persons=persons, source=source, as_of=as_of))
    if errors:
        raise ImportErrors(errors)
    if not out:
        raise DomainError(_("The file has no data rows."), field="file", code="empty")
    return out


class ImportErrors(DomainError):
    """Every problem of the file, each naming its row and column; nothing was recorded."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0], field="file", code="bad_rows")
        self.messages = errors
