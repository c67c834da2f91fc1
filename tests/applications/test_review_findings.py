"""Defects found by the browser review: each test fails without its fix."""
from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import services
from applications.models import Application, Project
from tests.conftest import almaty

from .conftest import fill, form_data, make_pdf, make_xlsx_bytes


def settings_static():
    from pathlib import Path

    return Path(django_settings.BASE_DIR) / "static"


def _russian(cast, user, settings):
    c = cast.client(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return c


def test_re_saving_a_draft_in_russian_keeps_the_project_date(cast, occupations, draft, settings):
    c = _russian(cast, cast.employer, settings)
    data = form_data(draft, [("3", "2142", "", "5")], projects=[("ЖК «Нурлы Жол»", "17/2026", "2026-06-27", "BI")])
    assert c.post(f"/applications/{draft.pk}/edit/", data).status_code == 302
    html = c.get(f"/applications/{draft.pk}/edit/").content.decode()
    value = re.search(r'name="projects-0-date" value="([^"]*)"', html).group(1)
    assert value == "2026-06-27"
    draft.refresh_from_db()
    # Re-save exactly what the page shows.
    data = form_data(draft, [("3", "2142", "", "5")], projects=[("ЖК «Нурлы Жол»", "17/2026", value, "BI")])
    assert c.post(f"/applications/{draft.pk}/edit/", data).status_code == 302
    assert list(Project.objects.filter(application=draft).values_list("date", flat=True)) == [
        datetime.date(2026, 6, 27)]


# --- 4: no formula from user text in any XLSX export ---------------------------------------------

INJECTIONS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_user_text_in_the_annex1_xlsx_is_never_a_formula(cast, occupations, draft):
    fill(draft, cast.employer, occupations, justification=INJECTIONS[0], signer_position=INJECTIONS[1],
         signer_name=INJECTIONS[3],
         lines=[{"category": "3", "occupation": occupations.o2142, "specialty": INJECTIONS[2], "count": 5}])
    content = cast.client(cast.employer).get(f"/applications/{draft.pk}/annex1.xlsx").content
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert INJECTIONS[0] in values and INJECTIONS[1] in values and INJECTIONS[3] in values


def test_user_text_in_the_lines_template_is_never_a_formula(cast, occupations, draft):
    lines = [{"category": "3", "occupation": occupations.o2142, "specialty": text, "count": i + 1}
             for i, text in enumerate(INJECTIONS[:4])]
    fill(draft, cast.employer, occupations, lines=lines)
    content = cast.client(cast.employer).get(f"/applications/{draft.pk}/lines/template.xlsx").content
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert set(INJECTIONS[:4]) <= {c.value for c in cells}


# --- 8: the authorities never see an unsubmitted draft -------------------------------------------

AUTHORITY_VIEWS = ["", "review/", "edit/", "withdraw/", "annex1.pdf", "annex1.xlsx", "lines/template.xlsx",
                   "versions/1/", "receipt/1/", "receipt/1/pdf/", "attachments/{att}/"]


@pytest.fixture
def withdrawn(cast, submitted):
    services.application_withdraw(actor=cast.employer, application=submitted, reason="Уточнить число",
                                  expected_revision=submitted.revision)
    submitted.refresh_from_db()
    att = services.attachment_add(actor=cast.employer, application=submitted, name="contract.pdf",
                                  content=make_pdf())
    submitted.refresh_from_db()
    return submitted, att


@pytest.mark.parametrize("path", AUTHORITY_VIEWS)
@pytest.mark.parametrize("who", ["akimat_officer", "analyst"])
def test_the_authorities_get_404_on_a_draft_and_its_attachments(cast, withdrawn, path, who):
    app, att = withdrawn
    response = cast.client(getattr(cast, who)).get(f"/applications/{app.pk}/" + path.format(att=att.pk))
    assert response.status_code == 404
    assert cast.client(cast.employer).get(f"/applications/{app.pk}/" + path.format(att=att.pk)).status_code == 200


def test_the_authorities_see_the_application_again_once_it_is_resubmitted(cast, withdrawn):
    app, att = withdrawn
    services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    for user in (cast.akimat_officer, cast.analyst):
        c = cast.client(user)
        assert c.get(f"/applications/{app.pk}/").status_code == 200
        assert c.get(f"/applications/{app.pk}/attachments/{att.pk}/").status_code == 200
        assert c.get(f"/applications/{app.pk}/versions/2/").status_code == 200


# --- 3: attaching a file or uploading lines never loses what was typed ----------------------------

def test_attaching_a_file_first_saves_what_was_typed(cast, occupations, draft):
    data = form_data(draft, [("3", "2142", "", "7")], justification="Новый текст обоснования", action="attach")
    data["attachment-file"] = SimpleUploadedFile("Договор.pdf", make_pdf())
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{draft.pk}/edit/")
    draft.refresh_from_db()
    assert draft.justification == "Новый текст обоснования"
    assert list(draft.lines.values_list("count", flat=True)) == [7]
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["Договор.pdf"]


def test_uploading_lines_first_saves_what_was_typed_and_then_replaces_the_lines(cast, occupations, draft):
    data = form_data(draft, [("3", "2142", "", "7")], justification="Обоснование до загрузки", action="upload")
    data["upload-file"] = SimpleUploadedFile("lines.xlsx", make_xlsx_bytes([["S", "9211", "", 40]]))
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.justification == "Обоснование до загрузки"
    assert list(draft.lines.values_list("category", "count")) == [("S", 40)]


def test_a_bad_upload_keeps_the_typed_data_saved_and_lists_the_rows(cast, occupations, draft):
    data = form_data(draft, [("3", "2142", "", "7")], justification="Сохранено", action="upload")
    data["upload-file"] = SimpleUploadedFile("lines.xlsx", make_xlsx_bytes([["4", "7212", "", 0]]))
    html = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data).content.decode()
    assert 'data-testid="upload-errors"' in html
    draft.refresh_from_db()
    assert draft.justification == "Сохранено"
    assert list(draft.lines.values_list("count", flat=True)) == [7]


def test_removing_an_attachment_first_saves_what_was_typed(cast, occupations, draft):
    att = services.attachment_add(actor=cast.employer, application=draft, name="a.pdf", content=make_pdf())
    draft.refresh_from_db()
    data = form_data(draft, [("3", "2142", "", "7")], justification="Перед удалением", action=f"remove-{att.pk}")
    assert cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.justification == "Перед удалением" and not draft.attachments.exists()


def test_a_file_is_not_processed_when_the_typed_data_cannot_be_saved(cast, occupations, draft):
    data = form_data(draft, [("3", "2142", "", "-1")], justification="Не сохранится", action="attach")
    data["attachment-file"] = SimpleUploadedFile("a.pdf", make_pdf())
    html = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", data).content.decode()
    assert "Не сохранится" in html and "choose the file again" in html
    assert not draft.attachments.exists()


def test_the_edit_page_warns_before_leaving_with_unsaved_changes(cast, draft):
    html = cast.client(cast.employer).get(f"/applications/{draft.pk}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="attachment-file"' in html
    js = (settings_static() / "js" / "applications.js").read_text()
    assert "beforeunload" in js


# --- 7: the Annex 1 PDF has the form's columns and totals under their own columns ----------------

def test_the_annex1_pdf_has_the_columns_in_the_forms_order_and_totals_under_their_columns(cast, draft):
    content = cast.client(cast.employer).get(f"/applications/{draft.pk}/annex1.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    headers = ["No.", "Foreign workers attracted in the current year (units)", "Category 1", "Category 2",
               "Category 3", "Category 4", "Seasonal foreign workers", "1 2 3 4 5 6 7"]
    positions = [text.index(h) for h in headers]
    assert positions == sorted(positions)
    # No "Total: 25" spanning columns 1-2: the label, then column 2's count, then columns 3-7.
    assert "Total:" not in text
    assert "Total 12 0 0 5 20 0" in text


# --- 6: the version diff speaks the reader's language --------------------------------------------

def test_the_version_diff_shows_translated_labels_projects_and_attachments(cast, occupations, submitted, settings):
    c = cast.client(cast.employer)
    services.application_withdraw(actor=cast.employer, application=submitted, reason="Уточнение",
                                  expected_revision=submitted.revision)
    submitted.refresh_from_db()
    c.post(f"/applications/{submitted.pk}/edit/", form_data(
        submitted, [("3", "2142", "", "9")], justification="Другое обоснование",
        projects=[("Новый договор", "5/2026", "2026-06-27", "АО «Самрук»")]))
    services.attachment_add(actor=cast.employer, application=submitted, name="смета.pdf", content=make_pdf())
    submitted.refresh_from_db()
    services.application_submit(actor=cast.employer, application=submitted, expected_revision=submitted.revision)
    html = _russian(cast, cast.employer, settings).get(
        f"/applications/{submitted.pk}/versions/2/?compare=1").content.decode()
    diff = html[html.index('data-testid="diff"'):]
    assert "current_year_count" not in diff.replace('data-field="current_year_count"', "")
    assert ">justification<" not in diff
    assert "<strong>Количество привлекаемой иностранной рабочей силы в текущем году</strong>" in diff
    assert "<strong>Обоснование</strong>" in diff
    projects = diff[diff.index('data-testid="diff-projects"'):]
    assert "ЖК «Нурлы Жол»" in projects and "Новый договор" in projects and "27.06.2026" in projects
    assert "+ смета.pdf" in diff
    assert "смета.pdf" in html[html.index('data-testid="version-attachments"'):]


# --- 9: after the deadline nothing looks editable ---------------------------------------------------

DEADLINE = {
    "en": "The deadline has passed: employers file applications closed on 1 October 2026, 00:00 "
          "(Asia/Almaty time), Rules p.6.",
    "ru": "Срок истёк: работодатели подают заявки — срок закрылся 1 октября 2026 г. 0:00 (время Астаны), "
          "п. 6 Правил.",
    "kk": "Мерзімі өтті: жұмыс берушілер өтінімдер береді — мерзім 1 қазан 2026, 00:00 жабылды (Астана уақыты), "
          "Қағидалардың 6-тармағы.",
}


def _client(cast, user, settings, lang):
    c = cast.client(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return c


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_draft_after_the_deadline_sends_edit_to_the_detail_page_naming_the_deadline(cast, draft_2027, settings,
                                                                                        lang):
    response = _client(cast, cast.employer, settings, lang).get(f"/applications/{draft_2027.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/applications/{draft_2027.pk}/", 302)]
    text = _text(response)
    assert DEADLINE[lang] in text
    assert 'name="justification"' not in text


def test_a_submitted_application_sends_edit_to_the_detail_page_saying_withdraw_first(cast, submitted, settings):
    response = _client(cast, cast.employer, settings, "ru").get(f"/applications/{submitted.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/applications/{submitted.pk}/", 302)]
    assert ("Заявка в статусе «Подана»; изменять можно только черновик. Сначала отзовите её (это возможно до "
            "истечения срока подачи, п. 6 Правил).") in _text(response)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_withdraw_page_refuses_on_get_after_the_deadline(cast, occupations, settings, lang):
    with time_machine.travel(almaty(2026, 9, 15, 10, 0, 0), tick=False):
        app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.campaign,
                                         region=cast.astana)
        app = fill(app, cast.employer, occupations)
        services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 1), tick=False):
        response = _client(cast, cast.employer, settings, lang).get(f"/applications/{app.pk}/withdraw/")
    text = _text(response)
    assert response.status_code == 200 and DEADLINE[lang] in text
    assert 'name="reason"' not in text


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_starting_for_a_closed_campaign_cites_p6_not_an_invalid_choice(cast, settings, lang):
    response = _client(cast, cast.employer, settings, lang).post(
        "/applications/new/", {"campaign": cast.campaign.pk, "region": cast.atyrau.pk})
    text = _text(response)
    assert response.status_code == 200 and DEADLINE[lang] in text
    assert "valid choice" not in text
    assert not Application.objects.filter(campaign=cast.campaign, region=cast.atyrau).exists()


def test_the_start_form_offers_only_open_campaigns(cast):
    html = cast.client(cast.employer).get("/applications/new/").content.decode()
    assert f'<option value="{cast.next_campaign.pk}"' in html
    assert f'<option value="{cast.campaign.pk}"' not in html


# --- 10: the template speaks the reader's language; errors name the column letter -----------------

def test_the_lines_template_has_translated_sheets_and_a_filled_russian_template_loads(cast, occupations, draft,
                                                                                      settings):
    c = _client(cast, cast.employer, settings, "ru")
    wb = load_workbook(io.BytesIO(c.get(f"/applications/{draft.pk}/lines/template.xlsx").content))
    assert wb.sheetnames == ["Строки", "Справочники"]
    formulas = [dv.formula1 for dv in wb["Строки"].data_validations.dataValidation]
    assert "='Справочники'!$A$2:$A$6" in formulas
    ws = wb["Строки"]
    ws.delete_rows(2, ws.max_row)
    ws.append(["S", "9211", "", 40])
    buf = io.BytesIO()
    wb.save(buf)
    draft.refresh_from_db()
    c.post(f"/applications/{draft.pk}/lines/upload/", {"file": SimpleUploadedFile("строки.xlsx", buf.getvalue())})
    assert list(draft.lines.values_list("category", "count")) == [("S", 40)]


@pytest.mark.parametrize("lang, column, message", [
    ("en", "D (Number of workers)", "The number of workers must be at least 1 (you entered 0)."),
    ("ru", "D (Количество работников)", "Количество работников должно быть не меньше 1 (вы ввели 0)."),
    ("kk", "D (Қызметкерлер саны)", "Қызметкерлер саны кемінде 1 болуы тиіс (сіз 0 енгіздіңіз)."),
])
def test_upload_errors_name_the_row_the_column_letter_and_what_is_wrong(cast, occupations, draft, settings, lang,
                                                                       column, message):
    c = _client(cast, cast.employer, settings, lang)
    content = make_xlsx_bytes([["3", "2142", "", 5], ["4", "7212", "", 0], ["X", "2142", "", 1]])
    html = c.post(f"/applications/{draft.pk}/lines/upload/",
                  {"file": SimpleUploadedFile("lines.xlsx", content)}).content.decode()
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert rows[0][:2] == ("3", column)
    assert rows[0][2] == message
    assert rows[1][:2] == ("4", {"en": "A (Category)", "ru": "A (Категория)", "kk": "A (Санат)"}[lang])


# --- 12: what the employer sees of the authorities' work -------------------------------------------

def _at_commission(cast, app):
    from applications.sweeps import close_filing
    from applications.workflow import transition

    with time_machine.travel(almaty(2027, 10, 1, 0, 5, 0), tick=False):
        close_filing()
        app.refresh_from_db()
        transition(app, Application.Status.AT_COMMISSION, actor=cast.akimat_officer,
                   note="Внутренняя заметка: проверить задолженность", expected_revision=app.revision)
    app.refresh_from_db()
    return app


def test_the_employers_timeline_names_the_authority_not_its_staff_and_hides_their_notes(cast, submitted):
    app = _at_commission(cast, submitted)
    with time_machine.travel(almaty(2027, 10, 2, 10, 0, 0), tick=False):
        html = cast.client(cast.employer).get(f"/applications/{app.pk}/").content.decode()
    timeline = html[html.index('data-testid="timeline"'):html.index("Submitted versions")]
    assert "akimat.astana@example.kz" not in html
    assert "Внутренняя заметка" not in html
    assert str(cast.akimat_astana) in timeline
    assert "Automatically, on the server clock" in timeline and "Filing deadline passed (Rules p.6)" in timeline
    # The stages still to come are listed, greyed.
    upcoming = re.findall(r'data-testid="upcoming-stage"><i class="bi bi-circle"></i> ([^<]+)</li>', timeline)
    assert upcoming == ["Decided", "Notice sent"]


def test_the_akimat_still_sees_its_own_notes_and_staff(cast, submitted):
    app = _at_commission(cast, submitted)
    with time_machine.travel(almaty(2027, 10, 2, 10, 0, 0), tick=False):
        html = cast.client(cast.akimat_officer).get(f"/applications/{app.pk}/").content.decode()
    assert "Внутренняя заметка" in html and "akimat.astana@example.kz" in html


def test_a_draft_shows_every_stage_still_to_come(cast, draft):
    html = cast.client(cast.employer).get(f"/applications/{draft.pk}/").content.decode()
    assert html.count('data-testid="upcoming-stage"') == 5


def test_the_category_select_uses_short_labels(cast, draft):
    html = cast.client(cast.employer).get(f"/applications/{draft.pk}/edit/").content.decode()
    assert '<option value="1">1 — Heads and deputies</option>' in html
    assert '<option value="S">S — Seasonal workers</option>' in html


@pytest.mark.parametrize("who", ["akimat_officer", "analyst"])
def test_the_authorities_get_404_on_a_never_submitted_draft(cast, draft, who):
    att = services.attachment_add(actor=cast.employer, application=draft, name="a.pdf", content=make_pdf())
    c = cast.client(getattr(cast, who))
    for path in ["", "annex1.pdf", "annex1.xlsx", f"attachments/{att.pk}/"]:
        assert c.get(f"/applications/{draft.pk}/{path}").status_code == 404, path
