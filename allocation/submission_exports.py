"""Annexes 2, 3 and 4 as the Rules print them, in XLSX (the shared export layer) and PDF
(WeasyPrint), from a frozen SubmissionVersion, in Russian or Kazakh. Numbers are numbers. Each
XLSX reproduces its form: the annex label, the addressee, the sender (the akimat's full name), the
title with the year, the columns in the form's order under merged headers and the numbered header
row (1-9, 1-3, 1-7). Annex 2's category cells are "by profession and specialty": the numbers on the
first sheet are each category's totals, and the breakdown (one row per profession line, its count
under its category) is the workbook's second sheet and the lists inside the PDF's cells."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from quota_portal.core.exports import (
    Column,
    Exporter,
    Filled,
    LegalFormLayout,
    Paragraph,
    TableLayout,
    write_xlsx,
)
from quota_portal.core.pdf import render_pdf

from .models import Annex2Line, Annex2Row, Annex4Row, SubmissionVersion
from .submission_selectors import CATEGORY_FIELDS

# Verbatim from the forms (Annexes 2-4): "В Министерство труда и социальной защиты населения Республики Казахстан".
ADDRESSEE = gettext_noop(
    "To the Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan")
PROGRESS_EVERY = 500


def rules_label(annex: int) -> list:
    return [_("Annex %(n)s") % {"n": annex},
            _("to the Rules for establishing the quota for attracting foreign labour to the Republic of Kazakhstan "
              "and its distribution among oblasts, cities of republican significance and the capital"),
            Paragraph(_("Form"), bold=True)]


def sender(version: SubmissionVersion) -> str:
    if translation.get_language() == "kk" and version.sender_name_kk:
        return version.sender_name_kk
    return version.sender_name_ru


def _category_columns(year: int, *, first_number: int | None, group: str, width: float) -> list[Column]:
    headers = [_("Category 1 (by profession and specialty)"), _("Category 2 (by profession and specialty)"),
               _("Category 3 (by profession and specialty)"), _("Category 4 (by profession and specialty)"),
               _("Seasonal foreign workers")]
    return [Column(key, header, "int", width=width, group=group,
                   number=first_number + i if first_number is not None else None)
            for i, (key, header) in enumerate(zip(CATEGORY_FIELDS.values(), headers, strict=True))]


def _sent_line(version: SubmissionVersion) -> str:
    text = _("Version %(n)s, sent %(at)s by %(name)s") % {
        "n": version.number, "at": date_format(timezone.localtime(version.sent_at), "d.m.Y H:i"),
        "name": version.sent_by_name}
    if version.is_late:
        text += " · " + _("sent late: %(reason)s") % {"reason": version.late_reason}
    if version.reason:
        text += " · " + _("reason for the new version: %(reason)s") % {"reason": version.reason}
    return text


# --- Annex 2 ------------------------------------------------------------------------------------

class Annex2Exporter(Exporter):
    """Annex 2, columns 1-9: one row per organization, from the frozen rows of a version."""

    identifier = "annex2"

    def __init__(self, version: SubmissionVersion, *, progress: Callable[[int], None] | None = None):
        self.version, self.progress = version, progress

    def title(self) -> str:
        return _("Annex 2")

    def heading(self) -> str:
        return _("Application for attracting foreign labour for %(year)s") % {"year": self.version.campaign.year}

    def columns(self) -> list[Column]:
        year = self.version.campaign.year
        return [Column("no", _("No."), "int", width=6, number=1),
                Column("organization", _("Organization (full name, legal address)"), width=34, number=2),
                Column("current_year", _("Foreign labour attracted in the current year (units)"), "int", width=15,
                       number=3),
                *_category_columns(year, first_number=4, width=17, group=_(
                    "Need for foreign labour by category of foreign workers for %(year)s") % {"year": year}),
                Column("justification", _("Justification of the need, taking into account the requirements of "
                                          "point 7 of the Rules"), width=46, number=9)]

    def rows(self):
        rows = (Annex2Row.objects.filter(version=self.version).order_by("position")
                .values_list("position", "organization_name", "legal_address", "current_year_count", "cat1", "cat2",
                             "cat3", "cat4", "seasonal", "justification"))
        for i, (position, name, address, *numbers, justification) in enumerate(rows.iterator(chunk_size=5000),
                                                                                start=1):
            if self.progress and i % PROGRESS_EVERY == 0:
                self.progress(i)
            yield [position, f"{name}\n{address}", *numbers, justification]

    def totals(self) -> list:
        v = self.version
        return [None, _("Total"), v.total_current_year, v.total_cat1, v.total_cat2, v.total_cat3, v.total_cat4,
                v.total_seasonal, None]

    def filename(self, ext: str) -> str:
        return f"annex2-{self.version.region.code}-{self.version.campaign.year}-v{self.version.number}.{ext}"


def occupation_name(line) -> str:
    if translation.get_language() == "kk" and line.occupation_name_kk:
        return line.occupation_name_kk
    return line.occupation_name_ru


class Annex2BreakdownExporter(Exporter):
    """Annex 2 by profession and specialty: one row per line, its count under its category, so each
    category column sums to the first sheet's figure."""

    identifier = "annex2-breakdown"

    def __init__(self, version: SubmissionVersion):
        self.version = version

    def title(self) -> str:
        return _("By profession and specialty")

    def columns(self) -> list[Column]:
        year = self.version.campaign.year
        return [Column("no", _("No."), "int", width=6), Column("organization", _("Organization"), width=34),
                Column("occupation_code", _("Occupation code"), width=11),
                Column("occupation", _("Occupation"), width=36), Column("specialty", _("Specialty"), width=22),
                *_category_columns(year, first_number=None, width=17, group=_(
                    "Need for foreign labour by category of foreign workers for %(year)s") % {"year": year})]

    def rows(self):
        # Tuples, not model instances, and the language asked once (per line, both cost more than
        # writing the cells: bench/annex2.py).
        name_field = "occupation_name_kk" if translation.get_language() == "kk" else "occupation_name_ru"
        lines = (Annex2Line.objects.filter(version=self.version)
                 .order_by("row__position", "category", "occupation_code", "pk")
                 .values_list("row__position", "row__organization_name", "occupation_code", name_field,
                              "occupation_name_ru", "specialty", "category", "count"))
        empty = dict.fromkeys(CATEGORY_FIELDS)
        for position, organization, code, name, name_ru, specialty, category, count in lines.iterator(
                chunk_size=5000):
            counts = {**empty, category: count}
            yield [position, organization, code, name or name_ru, specialty, *counts.values()]

    def totals(self) -> list:
        v = self.version
        return [None, _("Total"), None, None, None, v.total_cat1, v.total_cat2, v.total_cat3, v.total_cat4,
                v.total_seasonal]


def annex2_layout(version: SubmissionVersion) -> LegalFormLayout:
    after = []
    if version.covering_justification:
        after += [Paragraph(_("Covering justification of the region:"), bold=True), version.covering_justification]
    after.append(_sent_line(version))
    return LegalFormLayout(
        annex_label=rules_label(2), addressee_lines=[_(ADDRESSEE)],
        sender_lines=[Filled(f"{_('from')} {sender(version)}", _("(full name of the local executive body)"))],
        title=Annex2Exporter(version).heading(), after=after)


# --- Annex 3 ------------------------------------------------------------------------------------

class Annex3Exporter(Exporter):
    """Annex 3, columns 1-3 (the form has no row number)."""

    identifier = "annex3"

    def __init__(self, version: SubmissionVersion):
        self.version = version

    def title(self) -> str:
        return _("Annex 3")

    def heading(self) -> str:
        return _("Application for attracting labour immigrants for %(year)s") % {"year": self.version.campaign.year}

    def columns(self) -> list[Column]:
        return [Column("current_year", _("Labour immigrants attracted in the current year (units)"), "int", width=30,
                       number=1),
                Column("need", _("Need for labour immigrants for %(year)s") % {"year": self.version.campaign.year},
                       "int", width=30, number=2),
                Column("justification", _("Justification of the need"), width=60, number=3)]

    def rows(self):
        v = self.version
        yield [v.li_current_year_count, v.li_need, v.li_justification]

    def filename(self, ext: str) -> str:
        return f"annex3-{self.version.region.code}-{self.version.campaign.year}-v{self.version.number}.{ext}"


def annex3_factors(version: SubmissionVersion) -> list[dict]:
    return [
        {"label": _("p.15(1): labour demand in the region, incl. planned jobs"),
         "figure": version.li_demand_figure, "note": version.li_demand_note},
        {"label": _("p.15(2): forecast unemployed people and expected releases"),
         "figure": version.li_unemployment_figure, "note": version.li_unemployment_note},
        {"label": _("p.15(3): labour immigrants attracted last year, and the forecast need"),
         "figure": version.li_effectiveness_figure, "note": version.li_effectiveness_note},
    ]


def annex3_layout(version: SubmissionVersion) -> LegalFormLayout:
    after = [Paragraph(_("The need was determined taking into account (Rules p.15):"), bold=True)]
    after += [f"{f['label']}: {f['figure']}. {f['note']}".strip() for f in annex3_factors(version)]
    after.append(_sent_line(version))
    return LegalFormLayout(
        annex_label=rules_label(3), addressee_lines=[_(ADDRESSEE)],
        sender_lines=[Filled(f"{_('from')} {sender(version)}", _("(full name of the local executive body)"))],
        title=Annex3Exporter(version).heading(), after=after, landscape=False)


# --- Annex 4 ------------------------------------------------------------------------------------

def country_name(row: Annex4Row) -> str:
    return row.country_name_kk if translation.get_language() == "kk" and row.country_name_kk else row.country_name_ru


class Annex4Exporter(Exporter):
    """Annex 4, columns 1-7: one row per country of origin with a ratified treaty. The form has no
    country column: the country names the row (in column 1, after its number), as the Ministry's
    consolidated tables do."""

    identifier = "annex4"

    def __init__(self, version: SubmissionVersion):
        self.version = version

    def title(self) -> str:
        return _("Annex 4")

    def heading(self) -> str:
        return _("Application for attracting foreign labour by country of origin for %(year)s") % {
            "year": self.version.campaign.year}

    def columns(self) -> list[Column]:
        year = self.version.campaign.year
        return [Column("no", _("No., country of origin"), width=28, number=1),
                Column("total", _("Foreign labour to be attracted"), "int", width=16, number=2),
                *_category_columns(year, first_number=3, width=16, group=_(
                    "By category of foreign workers for %(year)s") % {"year": year})]

    def _rows(self):
        return list(Annex4Row.objects.filter(version=self.version).order_by("position"))

    def rows(self):
        for row in self._rows():
            yield [f"{row.position}. {country_name(row)}", row.total, row.cat1, row.cat2, row.cat3, row.cat4,
                   row.seasonal]

    def totals(self) -> list:
        rows = self._rows()
        sums = [sum(getattr(r, f) for r in rows) for f in CATEGORY_FIELDS.values()]
        return [_("Total"), sum(sums), *sums]

    def filename(self, ext: str) -> str:
        return f"annex4-{self.version.region.code}-{self.version.campaign.year}-v{self.version.number}.{ext}"


NO_TREATY = gettext_noop("No country has a ratified treaty recorded: Annex 4 is sent empty (Rules p.17).")


def annex4_layout(version: SubmissionVersion) -> LegalFormLayout:
    after = []
    if version.annex4_no_treaty:
        after.append(Paragraph(_(NO_TREATY), bold=True))
    else:
        rows = Annex4Row.objects.filter(version=version).order_by("position")
        after.append(Paragraph(_("Labour-market forecast made for the treaty (Rules p.17):"), bold=True))
        after += [f"{country_name(r)} ({r.treaty_reference}): {r.forecast_figure}. {r.forecast_note}".strip()
                  for r in rows]
    after.append(_sent_line(version))
    return LegalFormLayout(
        annex_label=rules_label(4), addressee_lines=[_(ADDRESSEE)],
        sender_lines=[Filled(f"{_('from')} {sender(version)}", _("(full name of the local executive body)"))],
        title=Annex4Exporter(version).heading(), after=after)


# --- writing ------------------------------------------------------------------------------------

def write_annex_xlsx(target, version: SubmissionVersion, annex: str, *,
                     progress: Callable[[int], None] | None = None) -> None:
    """Write one annex's workbook to `target` (a path or a binary file); the caller activates the
    language. Write-only mode: memory stays flat for 100,000 lines."""
    if annex == "2":
        write_xlsx(target, Annex2Exporter(version, progress=progress), annex2_layout(version),
                   sheets=[(Annex2BreakdownExporter(version), TableLayout(bordered=True, landscape=True))])
    elif annex == "3":
        write_xlsx(target, Annex3Exporter(version), annex3_layout(version))
    else:
        write_xlsx(target, Annex4Exporter(version), annex4_layout(version))


def _table(exporter: Exporter) -> dict:
    return {"columns": exporter.columns(), "rows": list(exporter.rows()), "totals": exporter.totals()}


def annex_context(version: SubmissionVersion, annex: str) -> dict:
    context = {"version": version, "sender": sender(version), "addressee": _(ADDRESSEE), "annex": annex,
               "sent_line": _sent_line(version)}
    if annex == "2":
        form = Annex2Exporter(version)
        lines: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for line in Annex2Line.objects.filter(version=version).select_related("row").order_by(
                "row__position", "category", "occupation_code", "pk"):
            label = f"{line.occupation_code} {occupation_name(line)}"
            label += f" ({line.specialty})" if line.specialty else ""
            lines[line.row.position][CATEGORY_FIELDS[line.category]].append({"label": label, "count": line.count})
        rows = []
        for values in form.rows():
            position = values[0]
            rows.append([{"value": v, "key": c.key, "lines": lines[position].get(c.key, [])}
                         for c, v in zip(form.columns(), values, strict=True)])
        context.update(heading=form.heading(), columns=form.columns(), rows=rows, totals=form.totals())
    elif annex == "3":
        form = Annex3Exporter(version)
        context.update(heading=form.heading(), factors=annex3_factors(version), **_table(form))
    else:
        form = Annex4Exporter(version)
        context.update(heading=form.heading(), no_treaty=version.annex4_no_treaty, no_treaty_text=_(NO_TREATY),
                       forecasts=[{"country": country_name(r), "treaty_reference": r.treaty_reference,
                                   "figure": r.forecast_figure, "note": r.forecast_note}
                                  for r in Annex4Row.objects.filter(version=version).order_by("position")],
                       **_table(form))
    return context


def annex_pdf(version: SubmissionVersion, annex: str) -> bytes:
    """The annex as PDF in the active language (a pure function of the frozen version)."""
    return render_pdf(f"allocation/submission_pdf/annex{annex}.html", annex_context(version, annex))


