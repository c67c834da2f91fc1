"""Issue 9: input an attacker shapes never answers 500 on the Annex 1 pages; a crafted workbook is
one clean error and changes nothing."""
from __future__ import annotations

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from applications import services
from applications.models import Application, Attachment, Line
from tests import xlsx_files

from .conftest import form_data, make_pdf, make_xlsx_bytes

pytestmark = pytest.mark.django_db

# Digits to str.isdigit() (the first two) or to int() (the rest), never to a person typing 0-9.
NOT_DIGITS = ["²", "①", "٣", "１", "9" * 30]


def lines_of(app):
    return sorted(Line.objects.filter(application=app).values_list("category", "occupation__code", "specialty",
                                                                    "count"))


# --- ?compare= and action=remove- -------------------------------------------------------------

@pytest.mark.parametrize("raw", NOT_DIGITS)
def test_comparing_versions_with_a_number_that_is_not_0_to_9_shows_the_version_alone(cast, submitted, raw):
    response = cast.client(cast.employer).get(f"/applications/{submitted.pk}/versions/1/", {"compare": raw})
    assert response.status_code == 200 and response.context["compare"] is None


@pytest.mark.parametrize("raw", NOT_DIGITS)
def test_the_remove_button_with_a_crafted_id_saves_the_draft_and_removes_nothing(cast, occupations, draft, raw):
    services.attachment_add(actor=cast.employer, application=draft, name="Договор.pdf", content=make_pdf())
    draft.refresh_from_db()
    data = form_data(draft, [("3", "2142", "", "7")], justification="Сохранено", action=f"remove-{raw}")
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data)
    assert response.status_code == 302
    assert Attachment.objects.filter(application=draft).count() == 1
    assert Application.objects.get(pk=draft.pk).justification == "Сохранено"


# --- the number of workers -----------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["²", "①", "٣", "１", "--5", "3_0"])
def test_a_count_not_typed_with_0_to_9_is_a_translated_field_error(cast, occupations, draft, raw):
    before = lines_of(draft)
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/",
                                               form_data(draft, [("3", "2142", "", raw)]))
    assert response.status_code == 200
    errors = response.context["lines"].forms[0].errors["count"]
    assert errors == [f"The number of workers must be a whole number, not “{raw}”."]
    assert lines_of(draft) == before


def test_a_huge_count_is_told_the_limit(cast, occupations, draft):
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/",
                                               form_data(draft, [("3", "2142", "", "9" * 19)]))
    assert "the limit is 10000" in response.context["lines"].forms[0].errors["count"][0]


def test_control_characters_typed_in_the_form_are_not_stored(cast, occupations, draft):
    data = form_data(draft, [("3", "2142", "сварка\x0b", "7")], justification="Проект\x01 «Нурлы Жол»\x1b",
                     signer_name="Иванов\x08 И.И.")
    assert cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data).status_code == 302
    app = Application.objects.get(pk=draft.pk)
    assert (app.justification, app.signer_name) == ("Проект «Нурлы Жол»", "Иванов И.И.")
    assert lines_of(draft) == [("3", "2142", "сварка", 7)]


def test_the_annex1_xlsx_and_the_lines_template_are_written_even_with_stored_control_characters(cast, draft):
    # Text stored before the forms removed control characters (or typed in the admin).
    Application.objects.filter(pk=draft.pk).update(justification="Проект\x01", signer_name="Иванов\x1f")
    Line.objects.filter(application=draft, category="4").update(specialty="сварка\x02")
    client = cast.client(cast.employer)
    response = client.get(f"/applications/{draft.pk}/annex1.xlsx")
    assert response.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if c]
    assert "Проект" in cells
    assert client.get(f"/applications/{draft.pk}/lines/template.xlsx").status_code == 200


# --- crafted workbooks for the lines upload -----------------------------------------------------

def good_lines() -> bytes:
    return make_xlsx_bytes([["3", "2142", "", 3], ["S", "9211", "", 40]])


def upload(c, app, content, name="lines.xlsx"):
    return c.post(f"/applications/{app.pk}/lines/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True)


UNREADABLE = "The file is not a readable XLSX workbook"


@functools.cache
def crafted():
    """(name, file, words the refusal must contain)"""
    formula = make_xlsx_bytes([["3", "2142", "", "=2+3"]])
    long_text = xlsx_files.long_text(good_lines(), "C2", 100_000)
    bomb = xlsx_files.huge_text_bomb(good_lines(), "C2")
    return [
        ("shared string 999", xlsx_files.shared_string_out_of_range(good_lines(), "B2"), UNREADABLE),
        ("shared string 999, second row", xlsx_files.shared_string_out_of_range(good_lines(), "A3"), UNREADABLE),
        ("24 KB that unpacks to 20 MB", bomb, "zip bomb"),
        ("not a zip", xlsx_files.not_a_zip(), "not a valid Office document"),
        ("a formula", formula, "Row 2, column D holds a formula"),
        ("a 100 000 character cell", long_text, "Row 2, column C: the text is 100000 characters long"),
        ("an infinite number", xlsx_files.number_cell(good_lines(), "D2", "1e999"), "Row 2, column D"),
        ("a number openpyxl cannot read", xlsx_files.number_cell(good_lines(), "D2", "inf"), UNREADABLE),
        ("broken XML", xlsx_files.rezip(good_lines(), {xlsx_files.SHEET: b"<worksheet><sheetData><row>"}),
         UNREADABLE),
        ("a part outside the workbook", xlsx_files.with_part(good_lines(), "payload/run.exe"), "do not belong"),
        ("a path in a part name", xlsx_files.with_part(good_lines(), "xl/../../evil.xml"), "structure is wrong"),
        ("no sheet part", xlsx_files.rezip(good_lines(), {xlsx_files.SHEET: None}), UNREADABLE),
    ]


@pytest.mark.parametrize("case", range(len(crafted())), ids=[c[0] for c in crafted()])
def test_a_crafted_workbook_is_one_clean_error_and_the_lines_do_not_change(cast, occupations, draft, case):
    _name, content, words = crafted()[case]
    before = lines_of(draft)
    response = upload(cast.client(cast.employer), draft, content)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert lines_of(draft) == before


def test_the_bomb_is_small_on_the_wire():
    bomb = xlsx_files.huge_text_bomb(good_lines(), "C2")
    assert len(bomb) < 40 * 1024


def test_a_crafted_workbook_through_the_edit_forms_upload_button_is_a_clean_error(cast, occupations, draft):
    before = lines_of(draft)
    data = form_data(draft, [("3", "2142", "", "5"), ("4", "7212", "аргонная сварка", "20")], action="upload")
    data["upload-file"] = SimpleUploadedFile("lines.xlsx", xlsx_files.shared_string_out_of_range(good_lines(), "B2"))
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data, follow=True)
    assert response.status_code == 200 and UNREADABLE in response.content.decode()
    assert lines_of(draft) == before


def test_a_date_in_the_count_column_and_a_long_specialty_are_row_errors(cast, occupations, draft):
    import datetime as dt

    before = lines_of(draft)
    # A spreadsheet cell holds a naive date and time (Excel has no time zones).
    content = make_xlsx_bytes([["3", "2142", "", dt.datetime(2026, 5, 1)], ["4", "7212", "с" * 201, 3]])  # noqa: DTZ001
    html = upload(cast.client(cast.employer), draft, content).content.decode()
    assert 'data-testid="upload-errors"' in html
    assert "Enter a whole number of workers." in html
    assert "C (Specialty)" in html and "201 characters" in html
    assert lines_of(draft) == before


def test_a_good_workbook_still_loads(cast, occupations, draft):
    upload(cast.client(cast.employer), draft, good_lines())
    assert lines_of(draft) == [("3", "2142", "", 3), ("S", "9211", "", 40)]


def test_an_xlsx_attachment_with_a_zip_bomb_in_one_part_is_refused(cast, draft):
    """The attachment path shares the zip checks: a 20 MB part among small ones is a bomb too."""
    html = cast.client(cast.employer).post(
        f"/applications/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("report.xlsx", xlsx_files.huge_text_bomb(good_lines(), "C2"))},
        follow=True).content.decode()
    assert "zip bomb" in html
    assert not Attachment.objects.filter(application=draft).exists()


@pytest.mark.parametrize(("ref", "words"), [("A2", "Unknown category"), ("B2", "10000000000")])
def test_a_whole_number_beyond_a_float_in_the_category_or_code_column_is_a_row_error(cast, occupations, draft, ref,
                                                                                      words):
    """openpyxl reads a 400-digit cell as an int; float() of it raised OverflowError: a 500."""
    before = lines_of(draft)
    response = upload(cast.client(cast.employer), draft, xlsx_files.number_cell(good_lines(), ref, "1" + "0" * 400))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fix these rows in the file" in html and words in html
    assert lines_of(draft) == before
