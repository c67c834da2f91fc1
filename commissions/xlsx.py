"""The labour-market figures template (XLSX) and its all-or-nothing parser (Rules p.7)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.errors import DomainError
from quota_portal.core.exports import render_xlsx
from quota_portal.core.models import Occupation
from quota_portal.core.parsing import parse_int
from quota_portal.core.uploads import cell_digits, read_xlsx

from .exports import FIGURES_LAYOUT, FiguresExporter
from .models import MAX_FIGURE, LabourMarketFigure

MAX_ROWS = 2000
MAX_UPLOAD = 2 * 1024 * 1024
# The longest note a cell (or the form) may hold.
MAX_NOTE = 2000


def columns() -> list[tuple[str, str]]:
    """(key, header) of the template's columns: the exporter's, so that the file written and
    the file read agree."""
    return [(c.key, str(c.header)) for c in FiguresExporter(region=None, campaign=None).columns()]


def figures_template(*, region, campaign) -> bytes:
    """The region's figures as the import template: headers, the row of keys, one row per occupation."""
    return render_xlsx(FiguresExporter(region=region, campaign=campaign), FIGURES_LAYOUT)


def parse_figures(file) -> tuple[list[dict], list[str]]:
    """Rows and the errors found (each naming the row and the column). Reads by the machine row.

    The file goes through the checks every upload shares (size, zip bomb, workbook parts) and is
    read completely, every cell, before a row is looked at: a crafted workbook is one clean error.
    """
    try:
        content = file.read()
        sheet = read_xlsx(getattr(file, "name", "") or "labour-market.xlsx", content, max_cols=len(columns()),
                          max_rows=MAX_ROWS, data_from=3, max_size=MAX_UPLOAD, max_text=MAX_NOTE)
    except DomainError as error:
        return [], [error.message]
    errors: list[str] = []
    by_number = {row.number: row.values for row in sheet}
    if 2 not in by_number:
        return [], [_("The file has no header rows: use the template.")]
    header = [str(c).strip() if c is not None else "" for c in by_number[2]]
    expected = [name for name, _label in columns()]
    if header[:len(expected)] != expected:
        return [], [_("Row 2 must hold the template's column keys: download the template again.")]
    occupations = {o.code: o for o in Occupation.objects.all()}
    labels = dict(columns())
    out, seen = [], set()
    for row in sheet:
        if row.number < 3:
            continue
        index, values = row.number, dict(zip(expected, row.values, strict=False))
        code = cell_digits(values.get("occupation"), width=4)  # a spreadsheet drops the leading zero of "0110"
        code = str(code or "").strip()[:20]
        occupation = occupations.get(code)
        if occupation is None:
            errors.append(_("Row %(row)s, %(col)s: unknown occupation code “%(code)s”.")
                          % {"row": index, "col": labels["occupation"], "code": code})
            continue
        if code in seen:
            errors.append(_("Row %(row)s: occupation %(code)s appears twice.") % {"row": index, "code": code})
            continue
        seen.add(code)
        row_out = {"occupation": occupation, "note": str(values.get("note") or "").strip()}
        for name in LabourMarketFigure.NUMBER_FIELDS:
            number = _whole_number(values.get(name))
            if number is None:
                errors.append(_("Row %(row)s, %(col)s: enter a whole number from 0 to %(max)s.")
                              % {"row": index, "col": labels[name], "max": MAX_FIGURE})
                continue
            row_out[name] = number
        out.append(row_out)
    if not out and not errors:
        errors.append(_("The file has no data rows."))
    return out, errors


def _whole_number(value) -> int | None:
    """A figure cell: empty is 0; a whole number (typed with 0-9 if it is text) from 0 to MAX_FIGURE."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, str)):
        return parse_int(value, min_value=0, max_value=MAX_FIGURE)
    return None  # a date, a boolean, a fraction
