"""Regional submissions (Rules p.12, p.14-17; issue 10): Annex 2 from the signed decisions, the
reconciliation, sending as one frozen version, versions and their diff, lateness, the exports."""
from __future__ import annotations

import datetime
import io
import subprocess

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from allocation import submission_selectors as selectors
from allocation import submissions as services
from allocation.models import Annex2Line, SubmissionFile, SubmissionVersion
from allocation.submission_writer import submission_file_write
from commissions.models import Decision
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Country
from tests.conftest import almaty

from .submission_helpers import decide, make_app, make_org

BEFORE_DEADLINE = almaty(2026, 10, 28, 12)


@pytest.fixture(autouse=True)
def _russian():
    """The messages below are matched in Russian, whatever an earlier test left active."""
    with translation.override("ru"):
        yield


@pytest.fixture
def region_case(cast, occupations):
    """Astana: two employers with signed decisions (one corrected), one application still undecided."""
    o = occupations
    org_a, org_b, org_c = make_org(cast.astana, 1), make_org(cast.astana, 2), make_org(cast.astana, 3)
    app_a = make_app(cast, org_a, lines=[("1", o.o1120, 2, ""), ("3", o.o2142, 5, "мосты"), ("4", o.o7212, 10, "")],
                     current_year_count=4)
    app_b = make_app(cast, org_b, lines=[("3", o.o3112, 6, ""), ("S", o.o9211, 20, "")], current_year_count=7)
    undecided = make_app(cast, org_c, lines=[("4", o.o7212, 3, "")], status="at_commission")
    first = decide(cast, app_a)
    lines_a = {li.category: li for li in app_a.lines.all()}
    # A correction cuts the welders from 10 to 6: the annex uses it.
    decide(cast, app_a, {lines_a["4"].pk: 6}, supersedes=first)
    lines_b = {li.category: li for li in app_b.lines.all()}
    decide(cast, app_b, {lines_b["S"].pk: 15})
    # An unsigned correction of B (cut to 0) does not count yet.
    decide(cast, app_b, {lines_b["S"].pk: 0}, signed=False)
    submission = services.submission_get_or_create(actor=cast.akimat_officer, campaign=cast.campaign,
                                                   region=cast.astana)
    return type("Case", (), {"submission": submission, "app_a": app_a, "app_b": app_b, "undecided": undecided,
                             "org_a": org_a, "org_b": org_b})


EXPECTED = {"cat1": 2, "cat2": 0, "cat3": 11, "cat4": 6, "seasonal": 15}


def test_annex2_is_built_from_the_signed_and_corrected_decisions(cast, region_case):
    rows = selectors.annex2_draft_rows(campaign=cast.campaign, region=cast.astana)
    assert [r["organization_name"] for r in rows] == [region_case.org_a.name, region_case.org_b.name]
    a, b = rows
    assert (a["cat1"], a["cat3"], a["cat4"], a["seasonal"], a["current_year_count"]) == (2, 5, 6, 0, 4)
    assert (b["cat3"], b["seasonal"], b["current_year_count"]) == (6, 15, 7)
    assert "1) спрос" in a["justification"] and "4) эффективно" in a["justification"]
    assert {(li["category"], li["specialty"], li["count"]) for li in a["lines"]} == {
        ("1", "", 2), ("3", "мосты", 5), ("4", "", 6)}
    totals = selectors.rows_totals(rows)
    assert {k: totals[k] for k in EXPECTED} == EXPECTED


def test_reconciliation_matches_and_a_broken_annex_is_caught(cast, region_case):
    rows = selectors.annex2_draft_rows(campaign=cast.campaign, region=cast.astana)
    assert all(r["ok"] for r in selectors.reconciliation(campaign=cast.campaign, region=cast.astana, rows=rows))
    rows[0]["cat4"] += 1  # broken on purpose: the annex no longer equals the decisions
    result = {r["category"]: r for r in selectors.reconciliation(campaign=cast.campaign, region=cast.astana,
                                                                 rows=rows)}
    assert not result["4"]["ok"] and result["4"]["annex"] == 7 and result["4"]["decisions"] == 6
    assert not result["total"]["ok"] and result["3"]["ok"]


def test_an_undecided_application_blocks_sending_until_left_out_with_a_reason(cast, region_case):
    s = region_case.submission
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        with pytest.raises(DomainError, match="подписанного решения"):
            services.submission_send(actor=cast.akimat_officer, submission=s)
        assert not SubmissionVersion.objects.exists()
        with pytest.raises(DomainError):
            services.submission_exclude(actor=cast.akimat_officer, submission=s, application=region_case.undecided,
                                        reason="   ")
        services.submission_exclude(actor=cast.akimat_officer, submission=s, application=region_case.undecided,
                                    reason="Рассмотрение перенесено")
        s.refresh_from_db()
        version = services.submission_send(actor=cast.akimat_officer, submission=s, revision=s.revision)
    assert version.number == 1 and not version.is_late and version.sent_by_name == cast.akimat_officer.full_name
    assert version.exclusions.get().reason == "Рассмотрение перенесено"
    assert (version.total_cat1, version.total_cat3, version.total_cat4, version.total_seasonal) == (2, 11, 6, 15)
    assert Annex2Line.objects.filter(version=version).count() == 5
    assert version.annex4_no_treaty


def _send(cast, case, **kwargs):
    s = case.submission
    services.submission_exclude(actor=cast.akimat_officer, submission=s, application=case.undecided, reason="позже")
    s.refresh_from_db()
    return services.submission_send(actor=cast.akimat_officer, submission=s, **kwargs)


def test_a_second_click_with_the_same_revision_is_refused(cast, region_case):
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        s = region_case.submission
        services.submission_exclude(actor=cast.akimat_officer, submission=s, application=region_case.undecided,
                                    reason="позже")
        s.refresh_from_db()
        revision = s.revision
        services.submission_send(actor=cast.akimat_officer, submission=s, revision=revision)
        with pytest.raises(ConcurrentUpdate):
            services.submission_send(actor=cast.akimat_officer, submission=s, revision=revision, reason="again")
    assert SubmissionVersion.objects.count() == 1


def test_only_the_regions_officer_sends(cast, region_case):
    for actor in (cast.akimat_officer_atyrau, cast.secretary, cast.analyst, cast.employer, cast.central_officer):
        with pytest.raises(DomainError) as e:
            services.submission_send(actor=actor, submission=region_case.submission)
        assert e.value.code == "forbidden"


def test_after_the_deadline_sending_needs_a_reason_and_shows_late(cast, region_case):
    # "Today" (25 Nov 2026) is after 1 Nov.
    with pytest.raises(DomainError, match="п.12 Правил"):
        _send(cast, region_case)
    version = services.submission_send(actor=cast.akimat_officer, submission=region_case.submission,
                                       late_reason="Протокол подписан поздно")
    assert version.is_late and version.late_reason == "Протокол подписан поздно"
    status = {r["region"].pk: r["status"] for r in selectors.region_status(cast.campaign)}
    assert status[cast.astana.pk] == "late" and status[cast.atyrau.pk] == "not_started"


def test_a_new_version_needs_a_reason_and_the_diff_shows_rows_and_totals(cast, region_case, occupations):
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        v1 = _send(cast, region_case)
        s = region_case.submission
        s.refresh_from_db()
        with pytest.raises(DomainError, match="причину новой версии"):
            services.submission_send(actor=cast.akimat_officer, submission=s)
        # A third employer's decision signed after v1, and a correction of B.
        org_d = make_org(cast.astana, 4)
        decide(cast, make_app(cast, org_d, lines=[("2", occupations.o1120, 1, "")]))
        lines_b = {li.category: li for li in region_case.app_b.lines.all()}
        decide(cast, region_case.app_b, {lines_b["S"].pk: 12}, supersedes=Decision.objects.filter(
            application=region_case.app_b, signed_at__isnull=False).latest("pk"))
        v2 = services.submission_send(actor=cast.akimat_officer, submission=s, reason="Новое решение Комиссии")
    assert (v2.number, v2.reason) == (2, "Новое решение Комиссии")
    diff = selectors.version_diff(v1, v2)
    assert [r.organization_name for r in diff["added"]] == [org_d.name]
    changed = {c["new"].organization_name: c for c in diff["changed"]}
    assert {"field": "seasonal", "old": 15, "new": 12} in changed[region_case.org_b.name]["fields"]
    totals = {t["field"]: t for t in diff["totals"]}
    assert totals["total_cat2"]["delta"] == 1 and totals["total_seasonal"]["delta"] == -3
    status = {r["region"].pk: r["status"] for r in selectors.region_status(cast.campaign)}
    assert status[cast.astana.pk] == "resent"
    national = {r["region"].pk: r for r in selectors.national_totals(cast.campaign)}
    assert national[cast.astana.pk]["version"].number == 2 and national[cast.astana.pk]["seasonal"] == 12


def _file(cast, version, annex, fmt, language):
    f = services.submission_file_request(actor=cast.akimat_officer, version=version, annex=annex, fmt=fmt,
                                         language=language)
    f = submission_file_write(file_id=f.pk)
    assert f.status == SubmissionFile.Status.DONE and f.progress == 100
    with f.file.open("rb") as fh:
        return fh.read()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_annex2_xlsx_reproduces_the_form_and_every_number_matches_the_decisions(cast, region_case, language):
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        version = _send(cast, region_case)
    wb = load_workbook(io.BytesIO(_file(cast, version, "2", "xlsx", language)))
    ws = wb.worksheets[0]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row if v is not None]
    if language == "ru":
        assert "В Министерство труда и социальной защиты населения Республики Казахстан" in flat
        assert "Заявка на привлечение иностранной рабочей силы на 2027 год" in flat
        assert any("Акимат города Астаны" in v or "Астан" in v for v in flat if v.startswith("от "))
    numbered = next(i for i, row in enumerate(values) if list(row[:9]) == list(range(1, 10)))
    assert ws.merged_cells.ranges  # the merged header
    data = values[numbered + 1:numbered + 3]
    decided = {region_case.org_a.name: [4, 2, 0, 5, 6, 0], region_case.org_b.name: [7, 0, 0, 6, 0, 15]}
    for row in data:
        assert isinstance(row[0], int)
        name = row[1].split("\n")[0]
        assert list(row[2:8]) == decided[name]
        assert all(isinstance(v, int) for v in row[2:8])
    totals = values[numbered + 3]
    assert list(totals[2:8]) == [11, 2, 0, 11, 6, 15]
    breakdown = wb.worksheets[1]
    rows = [r for r in breakdown.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert sum(r[5 + 2] or 0 for r in rows) == 11  # category 3 column
    assert sum(sum(v or 0 for v in r[5:10]) for r in rows) == 34


def test_annex3_and_annex4_exports_and_pdf_text(cast, region_case):
    country = Country.objects.filter(name_en="Uzbekistan").first() or Country.objects.create(
        name_ru="Узбекистан", name_en="Uzbekistan")
    Country.objects.filter(pk=country.pk).update(has_ratified_treaty=True, is_eaeu_member=False,
                                                 treaty_reference="Соглашение 2023",
                                                 treaty_ratified_on=datetime.date(2023, 6, 1))
    s = region_case.submission
    with time_machine.travel(almaty(2026, 10, 5, 10), tick=False):
        s = services.labour_immigrants_update(actor=cast.akimat_officer, submission=s, revision=s.revision, data={
            "li_current_year_count": 14, "li_need": 25, "li_justification": "Няни и сиделки",
            "li_demand_figure": 60, "li_demand_note": "спрос", "li_unemployment_figure": 35,
            "li_unemployment_note": "безработные", "li_effectiveness_figure": 14, "li_effectiveness_note": "итог"})
        services.country_forecast_save(actor=cast.akimat_officer, submission=s, country=country, data={
            "forecast_figure": 500, "forecast_note": "прогноз", "cat3": 4, "cat4": 9, "seasonal": 2})
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        version = _send(cast, region_case)
    ws = load_workbook(io.BytesIO(_file(cast, version, "3", "xlsx", "ru"))).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    i = next(i for i, r in enumerate(values) if list(r[:3]) == [1, 2, 3])
    assert list(values[i + 1][:3]) == [14, 25, "Няни и сиделки"]
    ws = load_workbook(io.BytesIO(_file(cast, version, "4", "xlsx", "ru"))).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    i = next(i for i, r in enumerate(values) if list(r[:7]) == [1, 2, 3, 4, 5, 6, 7])
    assert list(values[i + 1][:7]) == [f"1. {country.name_ru}", 15, 0, 0, 4, 9, 2]
    for annex, expected in (("2", "Заявка на привлечение иностранной рабочей силы на 2027 год"),
                            ("3", "Заявка на привлечение трудовых иммигрантов на 2027 год"),
                            ("4", "по странам исхода")):
        text = _pdftext(_file(cast, version, annex, "pdf", "ru"))
        assert "В Министерство труда и социальной защиты населения" in text
        assert expected in " ".join(text.split())
    text = _pdftext(_file(cast, version, "3", "pdf", "kk"))
    assert "25" in text and "14" in text


def _pdftext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_with_no_treaty_country_annex4_is_sent_empty_and_says_so(cast, region_case):
    Country.objects.update(has_ratified_treaty=False)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        version = _send(cast, region_case)
    assert version.annex4_no_treaty and not version.annex4_rows.exists()
    text = _pdftext(_file(cast, version, "4", "pdf", "ru"))
    assert "ратифицированн" in text or "ratified" in text
