"""The layout of Annexes 2-4 as files (what a look at the rendered pages found): the PDF table fits
the landscape page, starts on the first page and repeats its header on every page, one page holds
several organizations, counts are grouped by thousands; the XLSX keeps the form's merged header,
number formats and print settings, and its rows grow with their wrapped text."""
from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from allocation import submissions as services
from allocation.submission_exports import annex_pdf, write_annex_xlsx
from quota_portal.core.models import Country
from tests.conftest import almaty

from .submission_helpers import decide, make_app, make_org

BEFORE_DEADLINE = almaty(2026, 10, 28, 12)
LONG_NAME = ("Товарищество с ограниченной ответственностью «Шымкентский нефтеперерабатывающий и химический "
             "комбинат имени {i}»")
JUSTIFICATION = ("Отсутствие квалифицированных специалистов на внутреннем рынке труда; вакансии размещены на "
                 "портале Enbek.kz в течение 30 дней, кандидатов не найдено; маркер {marker}")
ORGS = 14


@pytest.fixture
def big_version(cast, occupations):
    """A sent version of Astana with 14 organizations: long names, long p.7 justifications, counts in
    the thousands, a treaty country for Annex 4."""
    o = occupations
    for i in range(ORGS):
        org = make_org(cast.astana, 100 + i)
        org.name = LONG_NAME.format(i=i)
        org.legal_address = "Республика Казахстан, город Астана, район Есиль, проспект Мангилик Ел, дом " + str(i)
        org.save()
        app = make_app(cast, org, lines=[("1", o.o1120, 1000 + i, ""), ("3", o.o2142, 2345, "мосты и тоннели"),
                                         ("4", o.o7212, 7, "")], current_year_count=12000 + i)
        app.generalization.note_domestic = JUSTIFICATION.format(marker=f"{9000 + i}")
        app.generalization.save()
        decide(cast, app)
    country = Country.objects.filter(name_en="Uzbekistan").first() or Country.objects.create(
        name_ru="Узбекистан", name_en="Uzbekistan")
    Country.objects.filter(pk=country.pk).update(name_kk="Өзбекстан", has_ratified_treaty=True,
                                                 is_eaeu_member=False, treaty_reference="Соглашение 2023",
                                                 treaty_ratified_on=datetime.date(2023, 6, 1))
    s = services.submission_get_or_create(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana)
    with time_machine.travel(almaty(2026, 10, 5, 10), tick=False):
        s = services.labour_immigrants_update(actor=cast.akimat_officer, submission=s, revision=s.revision, data={
            "li_current_year_count": 12345, "li_need": 23456, "li_justification": "Няни и сиделки",
            "li_demand_figure": 60, "li_demand_note": "спрос", "li_unemployment_figure": 35,
            "li_unemployment_note": "безработные", "li_effectiveness_figure": 14, "li_effectiveness_note": "итог"})
        country.refresh_from_db()
        services.country_forecast_save(actor=cast.akimat_officer, submission=s, country=country, data={
            "forecast_figure": 1500, "forecast_note": "прогноз", "cat3": 4000, "cat4": 9, "seasonal": 2})
    s.refresh_from_db()
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        return services.submission_send(actor=cast.akimat_officer, submission=s)


def _pdf(version, annex: str, language: str = "ru") -> bytes:
    with translation.override(language):
        return annex_pdf(version, annex)


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return [" ".join(p.replace("\u00a0", " ").split()) for p in text.split("\f") if p.strip()]


def _page_size(pdf: bytes) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(w), float(h)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_annex2_pdf_is_landscape_starts_on_page_one_and_repeats_its_header(cast, big_version, language):
    pdf = _pdf(big_version, "2", language)
    width, height = _page_size(pdf)
    assert width > height  # A4 landscape, as the nine columns need
    pages = _pages(pdf)
    # The table once pushed every organization onto a page of its own (and the title onto another):
    # now a page holds several, and the table starts under the title on page 1.
    assert len(pages) < ORGS / 2
    first = pages[0]
    title = ("Заявка на привлечение иностранной рабочей силы на 2027 год" if language == "ru"
             else "2027 жылға шетелдік жұмыс күшін тартуға өтінім")
    assert title in first
    assert first.index(title) < first.index("1 2 3 4 5 6 7 8 9") < first.index("9000")
    for page in pages:
        if any(f"{9000 + i}" in page for i in range(ORGS)):
            assert "1 2 3 4 5 6 7 8 9" in page  # the numbered header row repeats on every page
    text = " ".join(pages)
    # No cut column: each organization's p.7 justification (the last column) is there to its end,
    # in the order of the rows.
    order = [int(name.rsplit(" ", 1)[1].rstrip("»")) for name in
             big_version.annex2_rows.order_by("position").values_list("organization_name", flat=True)]
    positions = [re.search(rf"\b{9000 + i}\b", text).start() for i in order]
    assert len(order) == ORGS and positions == sorted(positions)
    # Counts grouped by thousands (column 3 and the category totals).
    assert "12 000" in text and "2 345" in text
    assert f"{sum(12000 + i for i in range(ORGS)):,}".replace(",", " ") in text


def test_annex3_pdf_is_portrait_and_annex4_landscape_with_the_country_in_the_readers_language(cast, big_version):
    annex3 = _pdf(big_version, "3")
    width, height = _page_size(annex3)
    assert width < height
    text = " ".join(_pages(annex3))
    assert "12 345" in text and "23 456" in text
    annex4 = _pdf(big_version, "4", "kk")
    width, height = _page_size(annex4)
    assert width > height
    pages = _pages(annex4)
    assert len(pages) == 1
    # The forecast list names the country in Kazakh too (it printed the Russian name).
    assert "Өзбекстан (Соглашение 2023): 1 500" in pages[0]
    assert "Узбекистан" not in pages[0]


def _workbook(version, annex: str, language: str = "ru"):
    buf = io.BytesIO()
    with translation.override(language):
        write_annex_xlsx(buf, version, annex)
    buf.seek(0)
    return load_workbook(buf)


def test_annex2_xlsx_keeps_the_forms_header_numbers_and_print_settings(cast, big_version):
    wb = _workbook(big_version, "2")
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    numbered = next(i for i, r in enumerate(rows) if list(r[:9]) == list(range(1, 10))) + 1  # 1-based
    top = numbered - 2
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Columns 1-3 and 9 span both header rows; the category group spans columns 4-8 on the first.
    for col in "ABCI":
        assert f"{col}{top}:{col}{top + 1}" in merged
    assert f"D{top}:H{top}" in merged
    assert ws.print_title_rows == f"${top}:${numbered}"  # the header repeats on every printed page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    first = numbered + 1
    for col in "CDEFGH":
        cell = ws[f"{col}{first}"]
        assert isinstance(cell.value, int) and cell.number_format == "#,##0"
    assert ws[f"C{first}"].value == 12000
    # A row of long text is as tall as its wrapped lines (LibreOffice drew the next row over it).
    assert ws[f"B{first}"].alignment.wrap_text and ws[f"I{first}"].alignment.wrap_text
    assert ws.row_dimensions[first].height >= 4 * 15
    # The breakdown sheet prints too: a grid, wrapped cells, rows as tall as their text.
    breakdown = wb.worksheets[1]
    assert breakdown.page_setup.orientation == "landscape"
    data = next(r for r in breakdown.iter_rows(min_row=1) if isinstance(r[0].value, int))
    assert data[1].alignment.wrap_text and data[1].border.left.style == "thin"
    assert breakdown.row_dimensions[data[0].row].height >= 3 * 15
    assert data[5].number_format == "#,##0"


def test_annex3_xlsx_is_portrait_and_annex4_landscape_with_numbers_as_numbers(cast, big_version):
    ws = _workbook(big_version, "3", "kk").worksheets[0]
    assert ws.page_setup.orientation == "portrait"
    rows = list(ws.iter_rows(values_only=True))
    i = next(i for i, r in enumerate(rows) if list(r[:3]) == [1, 2, 3])
    assert list(rows[i + 1][:2]) == [12345, 23456]
    assert ws.cell(row=i + 2, column=1).number_format == "#,##0"
    ws = _workbook(big_version, "4", "kk").worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    rows = list(ws.iter_rows(values_only=True))
    i = next(i for i, r in enumerate(rows) if list(r[:7]) == [1, 2, 3, 4, 5, 6, 7])
    assert list(rows[i + 1][:7]) == ["1. Өзбекстан", 4011, 0, 0, 4000, 9, 2]
    top = i + 1 - 2
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{top}:A{top + 1}", f"B{top}:B{top + 1}", f"C{top}:G{top}"} <= merged
