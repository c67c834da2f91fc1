"""Annex 1 as PDF and XLSX, the submission receipt, and the bulk-lines spreadsheet (template and
import). Each document is a pure function of its data; the caller activates the reader's language."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from quota_portal.core.models import Category, Occupation
from quota_portal.core.pdf import render_pdf
from quota_portal.core.scoping import system_scope
from quota_portal.core.spreadsheets import cell_row, cell_text, workbook_bytes
from quota_portal.core.uploads import read_xlsx

from .models import Application, Line, Project, Version
from .services import LineInput

CATEGORY_COLUMNS = ["1", "2", "3", "4", "S"]
MAX_UPLOAD_LINES = 2000


def annex1_rows(application: Application) -> dict:
    """Annex 1's table: one row per need line, its occupation in its category's column (3-7)."""
    lines = list(Line._base_manager.filter(application=application).select_related("occupation"))
    rows = []
    totals = {c: 0 for c in CATEGORY_COLUMNS}
    for i, line in enumerate(lines, start=1):
        label = f"{line.occupation.code} {line.occupation.name}"
        if line.specialty:
            label += f" ({line.specialty})"
        rows.append({"no": i, "cells": [{"label": label, "count": line.count} if c == line.category else None
                                        for c in CATEGORY_COLUMNS]})
        totals[line.category] += line.count
    return {"rows": rows, "totals": [totals[c] for c in CATEGORY_COLUMNS], "total": sum(totals.values())}


def annex1_context(application: Application) -> dict:
    return {
        "app": application,
        "org": application.organization,
        "akimat": getattr(application.region, "akimat", None),
        "table": annex1_rows(application),
        "projects": list(Project._base_manager.filter(application=application)),
        "generated_at": timezone.now(),
        "category_headers": [_("Category 1 (by profession and specialty)"),
                             _("Category 2 (by profession and specialty)"),
                             _("Category 3 (by profession and specialty)"),
                             _("Category 4 (by profession and specialty)"),
                             _("Seasonal foreign workers")],
    }


def annex1_pdf(application: Application) -> bytes:
    return render_pdf("applications/pdf/annex1.html", annex1_context(application))


def receipt_pdf(version: Version) -> bytes:
    app = version.application
    return render_pdf("applications/pdf/receipt.html", {
        "version": version, "app": app, "snap": version.snapshot,
        "submitted_at": timezone.localtime(version.submitted_at),
        "akimat": getattr(app.region, "akimat", None),
        "categories": dict(Category.choices),
    })


def receipt_attachment(version_id: int) -> tuple[str, bytes, str]:
    """Outbox attachment renderer: (filename, bytes, mimetype) of a receipt."""
    with system_scope():
        version = Version.objects.select_related("application__organization", "application__region",
                                                 "application__campaign").get(pk=version_id)
        return (f"receipt-{version.registration_number}-v{version.number}.pdf", receipt_pdf(version),
                "application/pdf")


# A spreadsheet program runs text beginning with these as a formula (or a DDE command).
def _save(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


_THIN = Side(style="thin", color="333333")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="EEF2F5")


def annex1_xlsx(application: Application) -> bytes:
    """Annex 1 in a spreadsheet: the same columns 1-7 with the numbered header row."""
    ctx = annex1_context(application)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Annex 1")[:31]
    org = application.organization
    ws["A1"] = _("Annex 1 to the Rules for establishing the quota for attracting foreign labour")
    ws["A2"] = _("To: %(akimat)s") % {"akimat": ctx["akimat"] or application.region}
    ws["A3"] = cell_text(_("From: %(name)s, BIN/IIN %(bin)s, %(address)s") % {
        "name": org.name, "bin": org.bin_iin, "address": org.legal_address})
    ws["A5"] = _("Employer's application for attracting foreign labour for %(year)s") % {
        "year": application.campaign.year}
    ws["A5"].font = Font(bold=True, size=12)
    header = [_("No."), _("Foreign workers attracted in the current year (units)")] + [
        str(h) for h in ctx["category_headers"]]
    ws.append([])
    ws.append(["", "", _("Need for foreign labour for %(year)s") % {"year": application.campaign.year}])
    ws.merge_cells(start_row=7, start_column=3, end_row=7, end_column=7)
    ws.append(header)
    ws.append(list(range(1, 8)))
    # Columns 1-2 span both header rows, as on the printed form.
    ws.cell(row=7, column=1, value=header[0])
    ws.cell(row=7, column=2, value=header[1])
    ws.merge_cells("A7:A8")
    ws.merge_cells("B7:B8")
    for r in (7, 8, 9):
        for c in range(1, 8):
            cell = ws.cell(row=r, column=c)
            cell.border = _BORDER
            cell.fill = _HEAD
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.font = Font(bold=r != 9)
    for i, row in enumerate(ctx["table"]["rows"]):
        values = [row["no"], application.current_year_count if i == 0 else ""]
        for cell in row["cells"]:
            values.append(f"{cell['label']} — {cell['count']}" if cell else "")
        ws.append(cell_row(values))
    ws.append([_("Total"), application.current_year_count] + ctx["table"]["totals"])
    for r in range(10, ws.max_row + 1):
        for c in range(1, 8):
            ws.cell(row=r, column=c).border = _BORDER
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    ws.append([_("Justification for attracting foreign workers, naming the projects to be carried out under the "
                 "employer's contracts for works, services or production of goods:")])
    ws.append(cell_row([application.justification]))
    for p in ctx["projects"]:
        day = date_format(p.date, "SHORT_DATE_FORMAT") if p.date else ""
        ws.append(cell_row([" · ".join(x for x in [p.name, p.number, day, p.counterparty] if x)]))
    ws.append([])
    ws.append(cell_row([application.signer_position, "", "", application.signer_name]))
    ws.append([_("(position of the head of the employer organization)"), "", "", _("(full name)")])
    widths = [6, 18, 30, 30, 30, 30, 24]
    for idx, w in enumerate(widths):
        ws.column_dimensions["ABCDEFG"[idx]].width = w
    return _save(wb)


# --- bulk lines ------------------------------------------------------------------------------

TEMPLATE_HEADERS = ("category", "occupation code", "specialty", "number of workers")


def lines_template_xlsx(application: Application | None = None) -> bytes:
    """The bulk-lines template: a sheet to fill, with the category and occupation lists as validations."""
    wb = Workbook()
    ws = wb.active
    ws.title = pgettext("sheet name", "Lines")[:31]
    ws.append([_("Category (1, 2, 3, 4 or S)"), _("Occupation code"), _("Specialty (optional)"),
               _("Number of workers")])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = _HEAD
    if application is not None:
        for line in Line._base_manager.filter(application=application).select_related("occupation"):
            ws.append(cell_row([line.category, line.occupation.code, line.specialty, line.count]))
    lists_title = pgettext("sheet name", "Lists")[:31]
    lists = wb.create_sheet(lists_title)
    lists.append([_("Category"), _("Meaning"), _("Occupation code"), _("Occupation")])
    cats = list(Category.choices)
    occs = list(Occupation.objects.filter(is_active=True).order_by("code").values_list("code", "name_ru", "name_kk",
                                                                                        "name_en"))
    lang = (translation.get_language() or "ru")[:2]
    for i in range(max(len(cats), len(occs))):
        row = [cats[i][0], str(cats[i][1])] if i < len(cats) else ["", ""]
        if i < len(occs):
            code, ru, kk, en = occs[i]
            row += [code, {"kk": kk, "en": en}.get(lang) or ru]
        lists.append(row)
    lists.column_dimensions["B"].width = 45
    lists.column_dimensions["D"].width = 60
    dv_cat = DataValidation(type="list", formula1=f"='{lists_title}'!$A$2:$A${len(cats) + 1}", allow_blank=True,
                            showErrorMessage=True)
    dv_cat.error = _("Choose a category from the list: 1, 2, 3, 4 or S.")
    dv_occ = DataValidation(type="list", formula1=f"='{lists_title}'!$C$2:$C${max(len(occs), 1) + 1}", allow_blank=True,
                            showErrorMessage=True)
    dv_occ.error = _("Choose an occupation code from the list on the “%(sheet)s” sheet.") % {"sheet": lists_title}
    dv_count = DataValidation(type="whole", operator="between", formula1="1", formula2="10000", allow_blank=True,
                              showErrorMessage=True)
    dv_count.error = _("Enter a whole number from 1 to 10000.")
    for dv, col in ((dv_cat, "A"), (dv_occ, "B"), (dv_count, "D")):
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}1000")
    for col, w in zip("ABCD", (24, 18, 40, 18)):
        ws.column_dimensions[col].width = w
    return _save(wb)


def _lines_sheet_names() -> list[str]:
    """The lines sheet's title in every interface language (a template downloaded in any of them)."""
    names = ["Lines"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.append(pgettext("sheet name", "Lines")[:31])
    return names


def parse_lines_xlsx(name: str, content: bytes) -> list[LineInput]:
    """Read the filled template's rows (the shared XLSX checks first, every cell read before any is
    used); empty rows are skipped. A problem of the file raises DomainError; a bad row is left to
    `check_lines`, which names it."""
    rows = []
    for row in read_xlsx(name, content, max_cols=4, max_rows=MAX_UPLOAD_LINES, sheet_names=_lines_sheet_names()):
        if row.number < 2:
            continue
        category, code, specialty, count = row.values
        if isinstance(category, (int, float)) and not isinstance(category, bool) and float(category).is_integer():
            category = str(int(category))
        if isinstance(code, (int, float)) and not isinstance(code, bool) and float(code).is_integer():
            code = str(int(code)).zfill(4)  # a spreadsheet drops the leading zero of "0110"
        rows.append(LineInput(category=_text(category), occupation_code=_text(code), specialty=_text(specialty),
                              count=count, row=row.number))
    return rows


def _text(value) -> str:
    """A cell as the text a line field takes (a date or a number cell becomes its text, to be refused)."""
    return "" if value is None else str(value)
