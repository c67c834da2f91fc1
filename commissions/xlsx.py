"""The labour-market figures template (XLSX) and its all-or-nothing parser (Rules p.7)."""
from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from quota_portal.core.models import Occupation
from quota_portal.core.spreadsheets import workbook_bytes

from .models import MAX_FIGURE, LabourMarketFigure

MAX_ROWS = 2000


def columns() -> list[tuple[str, str]]:
    fields = {f.name: f for f in LabourMarketFigure._meta.fields}
    return ([("occupation", _("occupation code"))]
            + [(name, str(fields[name].verbose_name)) for name in LabourMarketFigure.NUMBER_FIELDS]
            + [("note", _("note"))])


def figures_template(*, region, campaign, figures) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "labour_market"
    cols = columns()
    ws.append([label for _name, label in cols])
    ws.append([name for name, _label in cols])  # machine row: the parser reads the columns by it
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 60
    for fig in figures:
        ws.append([fig.occupation.code, *[getattr(fig, n) for n in LabourMarketFigure.NUMBER_FIELDS], fig.note])
    for i in range(1, len(cols) + 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 16
    ws.freeze_panes = "B3"
    return workbook_bytes(wb)


def parse_figures(file) -> tuple[list[dict], list[str]]:
    """Rows and the errors found (each naming the row and the column). Reads by the machine row."""
    errors: list[str] = []
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is the same error for the user
        return [], [_("The file cannot be read as XLSX.")]
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    if len(rows) < 2:
        return [], [_("The file has no header rows: use the template.")]
    header = [str(c).strip() if c is not None else "" for c in rows[1]]
    expected = [name for name, _label in columns()]
    if header[:len(expected)] != expected:
        return [], [_("Row 2 must hold the template's column keys: download the template again.")]
    occupations = {o.code: o for o in Occupation.objects.all()}
    labels = dict(columns())
    out, seen = [], set()
    for index, raw in enumerate(rows[2:], start=3):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        values = dict(zip(expected, raw))
        code = str(values.get("occupation") or "").strip()
        if code.endswith(".0"):
            code = code[:-2]
        occupation = occupations.get(code)
        if occupation is None:
            errors.append(_("Row %(row)s, %(col)s: unknown occupation code “%(code)s”.")
                          % {"row": index, "col": labels["occupation"], "code": code})
            continue
        if code in seen:
            errors.append(_("Row %(row)s: occupation %(code)s appears twice.") % {"row": index, "code": code})
            continue
        seen.add(code)
        row = {"occupation": occupation, "note": str(values.get("note") or "").strip()}
        for name in LabourMarketFigure.NUMBER_FIELDS:
            value = values.get(name)
            if value in (None, ""):
                value = 0
            try:
                number = int(value)
                if number != float(value) or number < 0 or number > MAX_FIGURE:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(_("Row %(row)s, %(col)s: enter a whole number from 0 to %(max)s.")
                              % {"row": index, "col": labels[name], "max": MAX_FIGURE})
                continue
            row[name] = number
        out.append(row)
    if len(rows) > MAX_ROWS + 2:
        errors.append(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    if not out and not errors:
        errors.append(_("The file has no data rows."))
    return out, errors
