"""Issue 9: the akimat's review and the Commission's pages take crafted numbers, ids, text and
workbooks with a field error or a clean refusal, never a 500, and change nothing."""
from __future__ import annotations

import functools
import io

import pytest
import time_machine
from openpyxl import load_workbook

from applications.models import Application
from commissions.models import Attendance, Decision, Generalization, LabourMarketFigure, Vote
from tests import xlsx_files
from tests.conftest import almaty

from .conftest import all_approved, make_application

S = Application.Status
pytestmark = pytest.mark.django_db

NOT_DIGITS = ["²", "①", "٣", "１", "9" * 30]


@pytest.fixture(autouse=True)
def _english(settings, monkeypatch):
    """Assertions read the English msgids."""
    from django.utils import translation

    from tests.conftest import Cast

    settings.LANGUAGE_CODE = "en"
    original = Cast.client

    def client(self, user):
        c = original(self, user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    monkeypatch.setattr(Cast, "client", client)
    with translation.override("en"):
        yield


# --- the generalization (Rules p.7) -------------------------------------------------------------

def generalization_form(line, **changes):
    data = {"version": 0, f"recommended_{line.pk}": 3, f"note_{line.pk}": "Есть выпускники",
            "note_demand": "Спрос 120", "note_forecast": "Безработных 40", "note_domestic": "Частично",
            "note_effectiveness": "Использовано 80%"}
    data.update(changes)
    return data


@pytest.mark.parametrize("raw", NOT_DIGITS)
def test_a_recommended_count_not_typed_with_0_to_9_is_a_field_error(cast, occupations, raw):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/",
                                                     generalization_form(line, **{f"recommended_{line.pk}": raw}))
    assert response.status_code == 200
    assert response.context["error_field"] == f"recommended_{line.pk}"
    assert not Generalization.objects.exists()


@pytest.mark.parametrize("raw", NOT_DIGITS)
def test_a_crafted_generalization_version_is_no_server_error(cast, occupations, raw):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/",
                                                     generalization_form(line, version=raw))
    # A version that is not 0-9 cannot be checked against anyone else's save: a conflict (409).
    assert response.status_code == 409
    assert not Generalization.objects.exists()


def test_control_characters_in_the_generalization_notes_are_not_stored(cast, occupations):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/", generalization_form(
        line, note_demand="Спрос\x01 120", **{f"note_{line.pk}": "Есть\x1b выпускники"}))
    assert response.status_code == 302
    gen = Generalization.objects.get()
    assert gen.note_demand == "Спрос 120" and gen.lines.get().note == "Есть выпускники"


# --- attendance, the decision, votes ---------------------------------------------------------------

def test_attendance_with_crafted_ids_keeps_the_real_ones_and_ignores_the_rest(cast, astana_case):
    first = astana_case.members[0]
    response = cast.client(cast.secretary).post(f"/commissions/sessions/{astana_case.session.pk}/attendance/",
                                                {"present": [*NOT_DIGITS, "0", "-1", str(first.pk)]})
    assert response.status_code == 302
    assert set(Attendance.objects.filter(session=astana_case.session, present=True)
               .values_list("member_id", flat=True)) == {first.pk}


@pytest.mark.parametrize("raw", NOT_DIGITS)
def test_a_crafted_approved_count_vote_key_or_version_is_refused_and_records_nothing(cast, astana_case, raw):
    url = f"/commissions/items/{astana_case.item.pk}/decision/"
    l1, l2 = astana_case.lines
    client = cast.client(cast.secretary)
    base = {f"approved_{l1.pk}": 5, f"approved_{l2.pk}": 10, "version": 0}
    response = client.post(url, {**base, f"approved_{l1.pk}": raw})
    assert response.status_code == 200 and response.context["error_field"] == f"approved_{l1.pk}"
    response = client.post(url, {**base, "version": raw})
    assert response.status_code == 409
    assert not Decision.objects.exists()
    # A vote keyed by a crafted member id is not a vote of anyone.
    assert client.post(url, {**base, f"vote_{raw}": "for"}).status_code == 302
    assert not Vote.objects.exists()


def test_a_vote_or_a_conflict_for_a_crafted_member_id_is_404_or_a_message(cast, astana_case):
    from commissions import services

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app), votes={})
    decision = Decision.objects.get()
    client = cast.client(cast.secretary)
    for raw in NOT_DIGITS:
        assert client.post(f"/commissions/decisions/{decision.pk}/vote/",
                           {"member": raw, "choice": "for"}).status_code == 404
        assert client.post(f"/commissions/items/{astana_case.item.pk}/conflict/",
                           {"member": raw, "reason": "Родственник"}).status_code == 302
    assert not decision.votes.exists() and not astana_case.item.conflicts.exists()


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 30, "-1"])
def test_the_inbox_takes_a_crafted_page_number(cast, raw):
    assert cast.client(cast.akimat_officer).get("/commissions/", {"page": raw}).status_code == 200


# --- the labour-market figures: the form and the import ------------------------------------------

def test_a_figures_note_longer_than_an_imported_one_may_be_is_a_field_error(cast, occupations):
    from commissions.models import LabourMarketFigure as F

    data = {"occupation": occupations.o2142.pk, **dict.fromkeys(F.NUMBER_FIELDS, 0), "note": "x" * 2001}
    response = cast.client(cast.akimat_officer).post("/commissions/labour-market/new/", data)
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert not F.objects.exists()


@pytest.mark.parametrize("raw", ["٣", "²", "１", "1e3", "-0"])
def test_a_figure_not_typed_with_0_to_9_is_a_field_error(cast, occupations, raw):
    data = {"occupation": occupations.o2142.pk, **dict.fromkeys(LabourMarketFigure.NUMBER_FIELDS, 0),
            "jobseekers": raw}
    with time_machine.travel(almaty(2026, 10, 5, 10, 0), tick=False):
        response = cast.client(cast.akimat_officer).post("/commissions/labour-market/new/", data)
    assert response.context["form"].errors["jobseekers"] == ["Enter the number with digits 0-9."]
    assert not LabourMarketFigure.objects.exists()


def template_with_row(cast, row: list) -> bytes:
    template = cast.client(cast.akimat_officer).get("/commissions/labour-market/template.xlsx").content
    wb = load_workbook(io.BytesIO(template))
    wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_ROW = ["2142", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ok"]
UNREADABLE = "The file is not a readable XLSX workbook"


@functools.cache
def crafted(good: bytes):
    """(name, file, words of the refusal); row 3 is the data row, L its note, B its first number."""
    return [
        ("shared string 999", xlsx_files.shared_string_out_of_range(good, "A3"), UNREADABLE),
        ("24 KB that unpacks to 20 MB", xlsx_files.huge_text_bomb(good, "L3"), "zip bomb"),
        ("not a zip", xlsx_files.not_a_zip(), "This is not an XLSX file"),
        ("a formula", xlsx_files.edit_cell(good, "B3", '<c r="B3"><f>1+1</f><v>2</v></c>'),
         "Row 3, column B holds a formula"),
        ("a 100 000 character note", xlsx_files.long_text(good, "L3", 100_000),
         "Row 3, column L: the text is 100000 characters long"),
        ("an infinite number", xlsx_files.number_cell(good, "B3", "1e999"), "Row 3, column B"),
        ("an error cell", xlsx_files.edit_cell(good, "B3", '<c r="B3" t="e"><v>#DIV/0!</v></c>'), "#DIV/0!"),
        ("a part outside the workbook", xlsx_files.with_part(good, "payload/run.exe"), "do not belong"),
    ]


CASES = ["shared string 999", "24 KB that unpacks to 20 MB", "not a zip", "a formula", "a 100 000 character note",
         "an infinite number", "an error cell", "a part outside the workbook"]


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_figures_workbook_is_one_clean_error_and_changes_nothing(cast, occupations, case):
    existing = LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign,
                                                 occupation=occupations.o2142, jobseekers=4, note="before")
    good = template_with_row(cast, GOOD_ROW)
    _name, content, words = next(c for c in crafted(good) if c[0] == case)
    upload = io.BytesIO(content)
    upload.name = "figures.xlsx"
    response = cast.client(cast.akimat_officer).post("/commissions/labour-market/import/", {"file": upload})
    assert response.status_code == 200
    assert any(words in str(e) for e in response.context["errors"] + list(response.context["form"].errors.get(
        "file", []))), (response.context["errors"], response.context["form"].errors)
    assert list(LabourMarketFigure.objects.values_list("pk", "jobseekers", "note")) == [(existing.pk, 4, "before")]


@pytest.mark.parametrize("value", [True, "٣", "²", "1e3", 2.5])
def test_a_figure_cell_that_is_not_a_whole_number_is_a_row_error(cast, occupations, value):
    row = list(GOOD_ROW)
    row[1] = value
    upload = io.BytesIO(template_with_row(cast, row))
    upload.name = "figures.xlsx"
    response = cast.client(cast.akimat_officer).post("/commissions/labour-market/import/", {"file": upload})
    assert any("Row 3" in e for e in response.context["errors"])
    assert not LabourMarketFigure.objects.exists()


def test_the_good_figures_workbook_still_imports(cast, occupations):
    upload = io.BytesIO(template_with_row(cast, [2142, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ok"]))
    upload.name = "figures.xlsx"
    assert cast.client(cast.akimat_officer).post("/commissions/labour-market/import/",
                                                 {"file": upload}).status_code == 302
    assert LabourMarketFigure.objects.get().jobseekers == 9


def test_the_figures_template_is_written_even_with_a_stored_control_character(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o2142,
                                      jobseekers=4, note="Данные\x01 центра")
    response = cast.client(cast.akimat_officer).get("/commissions/labour-market/template.xlsx")
    assert response.status_code == 200
    assert "Данные центра" in [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True) for c in row]


def test_a_whole_number_beyond_a_float_in_the_occupation_column_is_a_row_error(cast, occupations):
    """openpyxl reads a 400-digit cell as an int; float() of it raised OverflowError: a 500."""
    good = template_with_row(cast, GOOD_ROW)
    upload = io.BytesIO(xlsx_files.number_cell(good, "A3", "1" + "0" * 400))
    upload.name = "figures.xlsx"
    response = cast.client(cast.akimat_officer).post("/commissions/labour-market/import/", {"file": upload})
    assert response.status_code == 200
    assert any("Row 3" in e and "unknown occupation code" in e for e in response.context["errors"])
    assert not LabourMarketFigure.objects.exists()
