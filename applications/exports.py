"""Annex 1 as PDF and XLSX, the submission receipt, and the bulk-lines spreadsheet (template and
import). Each document is a pure function of its data; the caller activates the reader's language."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from quota_portal.core.exports import (
    Column,
    Exporter,
    Filled,
    LegalFormLayout,
    Paragraph,
    cell_row,
    render_xlsx,
    workbook_bytes,
)
from quota_portal.core.models import Category, Occupation
from quota_portal.core.pdf import render_pdf
from quota_portal.core.scoping import system_scope
from quota_portal.core.uploads import cell_digits, read_xlsx

from .models import Application, Line, Project, Version
from .services import LineInput

MAX_UPLOAD_LINES = 2000
# Annex 1's columns 3-7, in the form's order (Rules, Annex 1).
CATEGORY_KEYS = {Category.CAT1: "cat_1", Category.CAT2: "cat_2", Category.CAT3: "cat_3", Category.CAT4: "cat_4",
                 Category.SEASONAL: "seasonal"}


def _category_columns(year: int, *, numbered: bool, width: float) -> list[Column]:
    need = _("Need for foreign labour for %(year)s") % {"year": year}
    headers = [_("Category 1 (by profession and specialty)"), _("Category 2 (by profession and specialty)"),
               _("Category 3 (by profession and specialty)"), _("Category 4 (by profession and specialty)"),
               _("Seasonal foreign workers")]
    return [Column(key, header, "int", width=width, group=need, number=3 + i if numbered else None)
            for i, (key, header) in enumerate(zip(CATEGORY_KEYS.values(), headers, strict=False))]


def _lines(application: Application):
    return Line.objects.filter(application=application).select_related("occupation")


def _by_category(application: Application) -> list[int]:
    """The requested workers per category, in the form's column order (one query)."""
    sums = dict(Line.objects.filter(application=application).values_list("category").annotate(n=Sum("count")))
    return [sums.get(category, 0) for category in CATEGORY_KEYS]


class Annex1Exporter(Exporter):
    """Annex 1's table, columns 1-7: one row for the employer, every cell a number.

    The form asks for each category "by profession and specialty": the numbers here are the
    category's totals, summable down every column, and the breakdown (one row per need line, its
    count under its category) is `Annex1BreakdownExporter`, the workbook's second sheet and the
    lists inside the PDF's category cells. Rules, Annex 1.
    """

    identifier = "annex1"

    def __init__(self, application: Application):
        self.application = application
        self._sums: list[int] | None = None

    def title(self) -> str:
        return _("Annex 1")

    def heading(self) -> str:
        return _("Employer's application for attracting foreign labour for %(year)s") % {
            "year": self.application.campaign.year}

    def columns(self) -> list[Column]:
        return [Column("no", _("No."), "int", width=6, number=1),
                Column("current_year", _("Foreign workers attracted in the current year (units)"), "int",
                       width=18, number=2),
                *_category_columns(self.application.campaign.year, numbered=True, width=21)]

    def sums(self) -> list[int]:
        if self._sums is None:
            self._sums = _by_category(self.application)
        return self._sums

    def rows(self):
        yield [1, self.application.current_year_count, *self.sums()]

    def totals(self) -> list:
        # The label under column 1, the current-year count under 2, each category's total under 3-7.
        return [_("Total"), self.application.current_year_count, *self.sums()]

    def filename(self, ext: str) -> str:
        return f"annex1-{self.application.registration_number or self.application.pk}.{ext}"


class Annex1BreakdownExporter(Exporter):
    """Annex 1 by profession and specialty: one row per need line, its count in its category's
    column (the others empty), so that each category column sums to Annex 1's figure."""

    identifier = "annex1-breakdown"

    def __init__(self, application: Application):
        self.application = application

    def title(self) -> str:
        return _("By profession and specialty")

    def columns(self) -> list[Column]:
        return [Column("no", _("No."), "int", width=6), Column("occupation_code", _("Occupation code"), width=11),
                Column("occupation", _("Occupation"), width=40), Column("specialty", _("Specialty"), width=24),
                *_category_columns(self.application.campaign.year, numbered=False, width=14)]

    def rows(self):
        for i, line in enumerate(_lines(self.application).iterator(chunk_size=500), start=1):
            yield [i, line.occupation.code, line.occupation.name, line.specialty,
                   *[line.count if line.category == category else None for category in CATEGORY_KEYS]]

    def totals(self) -> list:
        return [_("Total"), None, None, None, *_by_category(self.application)]

    def filename(self, ext: str) -> str:
        return f"annex1-{self.application.registration_number or self.application.pk}-lines.{ext}"


def annex1_table(application: Application) -> dict:
    """Annex 1's table for the PDF, from the exporters the XLSX is written from (one source of
    the numbers): the columns, the row, the totals, and in each category cell its breakdown."""
    form, breakdown = Annex1Exporter(application), Annex1BreakdownExporter(application)
    columns = form.columns()
    lines: dict[str, list[dict]] = {key: [] for key in CATEGORY_KEYS.values()}
    for row in breakdown.rows():
        _no, code, name, specialty, *counts = row
        label = f"{code} {name}" + (f" ({specialty})" if specialty else "")
        for key, count in zip(CATEGORY_KEYS.values(), counts, strict=False):
            if count is not None:
                lines[key].append({"label": label, "count": count})
    rows = [[{"value": v, "lines": lines.get(c.key, [])} for c, v in zip(columns, row, strict=False)]
            for row in form.rows()]
    return {"columns": columns, "rows": rows, "totals": form.totals()}


def annex1_context(application: Application) -> dict:
    return {
        "app": application,
        "org": application.organization,
        "akimat": getattr(application.region, "akimat", None),
        "table": annex1_table(application),
        "projects": list(Project.objects.filter(application=application)),
        "generated_at": timezone.now(),
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


def _save(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


_HEAD = PatternFill("solid", fgColor="EEF2F5")


def annex1_layout(application: Application) -> LegalFormLayout:
    """Annex 1's form around its table: the annex label, the akimat it goes to, the employer, the
    title; under the table the justification, the projects and the signer (Rules, Annex 1)."""
    org = application.organization
    akimat = getattr(application.region, "akimat", None)
    projects = [" · ".join(x for x in [p.name, p.number, date_format(p.date, "d.m.Y") if p.date else "",
                                       p.counterparty] if x)
                for p in Project.objects.filter(application=application)]
    return LegalFormLayout(
        annex_label=[_("Annex 1"), _("to the Rules for establishing the quota for attracting foreign labour to the "
                                     "Republic of Kazakhstan and its distribution among oblasts, cities of "
                                     "republican significance and the capital"), Paragraph(_("Form"), bold=True)],
        addressee_lines=[Filled(str(akimat or application.region), _(
            "(name of the authorized body of the oblast, city of republican significance, capital)"))],
        sender_lines=[Filled(f"{_('from')} {org.name}, {_('BIN/IIN')} {org.bin_iin}, {org.legal_address}", _(
            "(full name of the legal entity or full name of the natural person, legal address)"))],
        title=Annex1Exporter(application).heading(),
        after=[Paragraph(_("Justification for attracting foreign workers, naming the projects to be carried out "
                           "under the employer's contracts for works, services or production of goods:"), bold=True),
               application.justification, *projects],
        signature_block=[Filled(application.signer_position, _("(position of the head of the employer organization)")),
                         Filled("", _("(signature)")), Filled(application.signer_name, _("(full name)"))],
        signature_note=_("Place of the seal (except for private business entities that have no seal under the "
                         "legislation of the Republic of Kazakhstan)"),
    )


def annex1_xlsx(application: Application) -> bytes:
    """Annex 1 in a spreadsheet: the form's columns 1-7 with the numbered header row, numbers as
    numbers; the second sheet breaks each category down by profession and specialty."""
    return render_xlsx(Annex1Exporter(application), annex1_layout(application),
                       sheets=[Annex1BreakdownExporter(application)])


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
        for line in Line.objects.filter(application=application).select_related("occupation"):
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
    for col, w in zip("ABCD", (24, 18, 40, 18), strict=True):
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
        category = cell_digits(category)
        code = cell_digits(code, width=4)  # a spreadsheet drops the leading zero of "0110"
        rows.append(LineInput(category=_text(category), occupation_code=_text(code), specialty=_text(specialty),
                              count=count, row=row.number))
    return rows


def _text(value) -> str:
    """A cell as the text a line field takes (a date or a number cell becomes its text, to be refused)."""
    return "" if value is None else str(value)
