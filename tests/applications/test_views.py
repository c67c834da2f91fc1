"""The Annex 1 pages through HTTP: access for every role, form refusals that keep the input,
submission, receipt, withdrawal, versions, exports, attachments and the bulk-lines import."""
from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import services
from applications.models import Application, Attachment, Line, Version
from tests.conftest import almaty

from .conftest import form_data, make_pdf, make_xlsx_bytes, make_zip_bomb

S = Application.Status
XSS = "<script>alert(1)</script>"


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- access ------------------------------------------------------------------------------------

READ_VIEWS = ["detail", "review", "annex1_pdf", "annex1_xlsx", "lines_template"]


@pytest.mark.parametrize("name", READ_VIEWS + ["edit", "withdraw"])
@pytest.mark.parametrize("who", ["employer2", "akimat_officer_atyrau", "central_officer", "outsider"])
def test_others_get_404_on_an_application(cast, submitted, name, who):
    response = cast.client(getattr(cast, who)).get(f"/applications/{submitted.pk}/" + {
        "detail": "", "review": "review/", "annex1_pdf": "annex1.pdf", "annex1_xlsx": "annex1.xlsx",
        "lines_template": "lines/template.xlsx", "edit": "edit/", "withdraw": "withdraw/"}[name])
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["", "new/", "{pk}/", "{pk}/edit/", "{pk}/review/", "{pk}/annex1.pdf"])
def test_anonymous_visitors_are_sent_to_login(cast, draft, path):
    response = cast.client(None).get("/applications/" + path.format(pk=draft.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_employers_application_by_url_is_404(cast, draft):
    c = cast.client(cast.employer2)
    assert c.get(f"/applications/{draft.pk}/").status_code == 404
    assert c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision}).status_code == 404
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_the_regions_akimat_and_the_ministry_read_the_application(cast, submitted):
    for user in (cast.akimat_officer, cast.analyst):
        assert cast.client(user).get(f"/applications/{submitted.pk}/").status_code == 200
    assert cast.client(cast.akimat_officer).get(f"/applications/{submitted.pk}/edit/").status_code == 404


def test_a_viewer_reads_but_cannot_change(cast, draft):
    c = cast.client(cast.employer_viewer)
    assert c.get(f"/applications/{draft.pk}/").status_code == 200
    assert c.get(f"/applications/{draft.pk}/edit/").status_code == 404
    assert c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision}).status_code == 404
    assert c.get("/applications/new/").status_code == 404
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


# --- the form ----------------------------------------------------------------------------------

def test_an_employer_starts_and_saves_a_draft(cast, occupations):
    c = cast.client(cast.employer)
    page = c.get("/applications/new/")
    assert "p.2" in page.content.decode()
    response = c.post("/applications/new/", {"campaign": cast.next_campaign.pk, "region": cast.astana.pk})
    app = Application.objects.get(organization=cast.org, campaign=cast.next_campaign, region=cast.astana)
    assert response.status_code == 302 and response["Location"] == f"/applications/{app.pk}/edit/"
    response = c.post(f"/applications/{app.pk}/edit/", form_data(
        app, [("3", "2142", "", "4"), ("S", "9211", "сбор урожая", "25")],
        projects=[("Договор поставки", "5", "2026-10-01", "ТОО «Агро»")]))
    assert response.status_code == 302
    assert sorted(Line.objects.filter(application=app).values_list("count", flat=True)) == [4, 25]


@pytest.mark.parametrize("count, fragment", [
    ("-3", "at least 1"), ("0", "at least 1"), ("2.5", "whole number"), ("9999999", "not plausible")])
def test_a_refused_save_keeps_what_was_typed_and_says_what_to_fix(cast, occupations, draft, count, fragment):
    before = list(Line.objects.filter(application=draft).values_list("count", flat=True))
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "2142", "монолит", count)], justification="Мой текст обоснования"))
    html = response.content.decode()
    assert response.status_code == 200
    assert fragment in html
    assert f'value="{count}"' in html and "Мой текст обоснования" in html and 'value="монолит"' in html
    assert list(Line.objects.filter(application=draft).values_list("count", flat=True)) == before


def test_the_form_rejects_an_unknown_occupation_and_duplicates(cast, occupations, draft):
    c = cast.client(cast.employer)
    html = c.post(f"/applications/{draft.pk}/edit/", form_data(draft, [("3", "0001", "", "2")])).content.decode()
    assert "Unknown occupation code" in html
    html = c.post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "2142", "", "2"), ("3", "2142", "", "3")])).content.decode()
    assert "already in row 1" in html


def test_html_in_text_fields_is_shown_inert(cast, occupations, draft):
    c = cast.client(cast.employer)
    c.post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "2142", XSS, "2")], justification=XSS, signer_name=XSS, projects=[(XSS, "", "", XSS)]))
    for path in ("", "review/"):
        html = c.get(f"/applications/{draft.pk}/{path}").content.decode()
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS in pdf_text(c.get(f"/applications/{draft.pk}/annex1.pdf").content)


def test_the_review_page_lists_what_is_missing_and_the_self_check(cast, occupations):
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                     region=cast.astana)
    html = cast.client(cast.employer).get(f"/applications/{app.pk}/review/").content.decode()
    assert 'data-testid="problems"' in html and 'data-testid="submit"' not in html
    assert "p.10(1)" in html and "p.10(2)" in html


def test_the_self_check_cites_violations_and_jobseekers(cast, draft):
    from commissions.models import LabourMarketFigure, Violation

    Violation.objects.create(**_violation_fields(cast, Violation))
    LabourMarketFigure.objects.create(**_figure_fields(cast, draft, LabourMarketFigure))
    html = cast.client(cast.employer).get(f"/applications/{draft.pk}/review/").content.decode()
    assert "p.10(3)" in html and "p.10(1)" in html and "list-group-item-warning" in html


def _violation_fields(cast, model):
    fields = {f.name for f in model._meta.get_fields()}
    data = {"organization": cast.org, "ground": "3", "year": 2026, "description": "Задолженность по зарплате"}
    for name in ("recorded_by", "created_by"):
        if name in fields:
            data[name] = cast.akimat_officer
    if "region" in fields:
        data["region"] = cast.astana
    return data


def _figure_fields(cast, app, model):
    fields = {f.name for f in model._meta.get_fields()}
    line = app.lines.get(category="3")
    data = {"region": cast.astana, "campaign": app.campaign, "occupation": line.occupation, "jobseekers": 500}
    for name in ("recorded_by", "created_by", "updated_by"):
        if name in fields:
            data[name] = cast.akimat_officer
    return data


# --- submission, receipt, withdrawal, versions -----------------------------------------------

def test_submit_shows_the_receipt_and_its_pdf(cast, draft):
    c = cast.client(cast.employer)
    response = c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision, "declaration": "on"},
                      follow=True)
    html = response.content.decode()
    assert "2028-710000000-000001" in html
    pdf = c.get(f"/applications/{draft.pk}/receipt/1/pdf/")
    assert pdf["Content-Disposition"].startswith("attachment")
    text = pdf_text(pdf.content)
    assert "2028-710000000-000001" in text and Version.objects.get(application=draft).sha256 in text.replace(" ", "")


def test_a_double_click_on_submit_over_http_makes_one_version(cast, draft):
    c = cast.client(cast.employer)
    first = c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision, "declaration": "on"})
    second = c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision, "declaration": "on"})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Version.objects.filter(application=draft).count() == 1


def test_a_submit_after_the_deadline_is_refused_naming_the_deadline_and_p6(cast, draft_2027):
    c = cast.client(cast.employer)
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 0), tick=False):
        response = c.post(f"/applications/{draft_2027.pk}/submit/",
                          {"revision": draft_2027.revision, "declaration": "on"}, follow=True)
    html = " ".join(response.content.decode().split())
    assert ("The deadline has passed: employers file applications closed on 1 October 2026, 00:00 "
            "(Asia/Almaty time), Rules p.6.") in html
    assert Application.objects.get(pk=draft_2027.pk).status == S.DRAFT


def test_withdraw_and_resubmit_then_compare_versions(cast, occupations, submitted):
    c = cast.client(cast.employer)
    response = c.post(f"/applications/{submitted.pk}/withdraw/", {"revision": submitted.revision, "reason": ""})
    assert response.status_code == 200 and Application.objects.get(pk=submitted.pk).status == S.SUBMITTED
    submitted.refresh_from_db()
    c.post(f"/applications/{submitted.pk}/withdraw/", {"revision": submitted.revision, "reason": "Ошибка в числе"})
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT
    c.post(f"/applications/{submitted.pk}/edit/", form_data(submitted, [("3", "2142", "", "9")]))
    submitted.refresh_from_db()
    c.post(f"/applications/{submitted.pk}/submit/", {"revision": submitted.revision, "declaration": "on"})
    html = c.get(f"/applications/{submitted.pk}/versions/2/?compare=1").content.decode()
    assert 'data-testid="diff"' in html and "7212" in html and "table-danger" in html
    detail = c.get(f"/applications/{submitted.pk}/").content.decode()
    assert "Ошибка в числе" in detail


# --- exports -----------------------------------------------------------------------------------

def test_the_annex1_pdf_has_the_forms_columns_and_the_signer(cast, draft):
    text = pdf_text(cast.client(cast.employer).get(f"/applications/{draft.pk}/annex1.pdf").content)
    assert "2142" in text and "Садыкова Айгерим Маратовна" in text and "Директор" in text
    assert "1 2 3 4 5 6 7" in text


def test_the_annex1_pdf_follows_the_users_language(cast, draft):
    cast.employer.language = "kk"
    cast.employer.save()
    c = cast.client(cast.employer)
    c.cookies["qp_language"] = "kk"
    text = pdf_text(c.get(f"/applications/{draft.pk}/annex1.pdf").content)
    assert "Азаматтық құрылыс инженерлері" in text


def test_the_annex1_xlsx_has_the_numbered_header_row(cast, draft):
    content = cast.client(cast.employer).get(f"/applications/{draft.pk}/annex1.xlsx").content
    wb = load_workbook(io.BytesIO(content))
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert [1, 2, 3, 4, 5, 6, 7] in rows
    # Issue 7: the category cells hold numbers; the occupations are on the breakdown sheet.
    assert [1, 12, 0, 0, 5, 20, 0] in rows
    breakdown = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert [1, "2142", "Civil engineers", None, None, None, 5, None, None] in breakdown


# --- bulk lines --------------------------------------------------------------------------------

def test_the_lines_template_has_validation_lists(cast, occupations, draft):
    content = cast.client(cast.employer).get(f"/applications/{draft.pk}/lines/template.xlsx").content
    wb = load_workbook(io.BytesIO(content))
    formulas = [dv.formula1 for dv in wb["Lines"].data_validations.dataValidation]
    assert any("'Lists'!$A$2" in f for f in formulas) and any("'Lists'!$C$2" in f for f in formulas)
    codes = [r[2] for r in wb["Lists"].iter_rows(min_row=2, values_only=True)]
    assert "2142" in codes


def upload(c, app, content, name="lines.xlsx"):
    return c.post(f"/applications/{app.pk}/lines/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_an_upload_with_a_bad_row_changes_nothing_and_lists_every_bad_row(cast, occupations, draft):
    before = sorted(Line.objects.filter(application=draft).values_list("count", flat=True))
    html = upload(cast.client(cast.employer), draft, make_xlsx_bytes(
        [["3", "2142", "", 3], ["4", "0000", "", 2], ["X", "7212", "", 1.5]])).content.decode()
    assert 'data-testid="upload-errors"' in html
    assert "<td>3</td>" in html and "<td>4</td>" in html and "0000" in html and "whole number" in html
    assert sorted(Line.objects.filter(application=draft).values_list("count", flat=True)) == before


def test_a_valid_upload_replaces_the_lines(cast, occupations, draft):
    upload(cast.client(cast.employer), draft, make_xlsx_bytes([[3, 2142, "", 3], ["S", "9211", "", 40]]))
    assert sorted(Line.objects.filter(application=draft).values_list("category", "count")) == [("3", 3), ("S", 40)]


def test_a_zip_bomb_disguised_as_xlsx_is_refused_for_lines(cast, occupations, draft):
    html = upload(cast.client(cast.employer), draft, make_zip_bomb()).content.decode()
    assert "zip bomb" in html
    assert Line.objects.filter(application=draft).count() == 2


# --- attachments -------------------------------------------------------------------------------

def attach(c, app, name, content):
    return c.post(f"/applications/{app.pk}/attachments/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_an_attachment_is_stored_by_content_hash_and_served_as_a_download(cast, draft):
    c = cast.client(cast.employer)
    attach(c, draft, "Договор.pdf", make_pdf())
    att = Attachment.objects.get(application=draft)
    assert att.content_type == "application/pdf" and att.sha256 in att.file.name
    response = c.get(f"/applications/{draft.pk}/attachments/{att.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision + 1)
    assert cast.client(cast.akimat_officer).get(f"/applications/{draft.pk}/attachments/{att.pk}/").status_code == 200
    assert cast.client(cast.analyst).get(f"/applications/{draft.pk}/attachments/{att.pk}/").status_code == 200
    for user in (cast.employer2, cast.akimat_officer_atyrau, cast.central_officer, cast.outsider):
        assert cast.client(user).get(f"/applications/{draft.pk}/attachments/{att.pk}/").status_code == 404


def test_an_attachment_of_the_wrong_type_by_content_is_refused(cast, draft):
    html = attach(cast.client(cast.employer), draft, "scan.pdf", b"MZ\x90\x00 this is an exe").content.decode()
    assert "by its content" in html
    assert not Attachment.objects.filter(application=draft).exists()


def test_an_attachment_with_a_path_in_its_name_is_refused(cast, draft):
    from applications.uploads import check_name
    from quota_portal.core.errors import DomainError

    for name in ("../etc/passwd.pdf", "a/b.pdf", "a\\b.pdf", "..pdf"):
        with pytest.raises(DomainError):
            check_name(name)
    with pytest.raises(DomainError):
        services.attachment_add(actor=cast.employer, application=draft, name="../x.pdf", content=make_pdf())
    assert not Attachment.objects.filter(application=draft).exists()


def test_an_attachment_over_10_mb_is_refused(cast, draft):
    big = make_pdf() + b"0" * (10 * 1024 * 1024)
    html = attach(cast.client(cast.employer), draft, "big.pdf", big).content.decode()
    assert "10 MB" in html
    assert not Attachment.objects.filter(application=draft).exists()


def test_attachments_over_50_mb_per_application_are_refused(cast, draft):
    from quota_portal.core.errors import DomainError

    chunk = make_pdf() + b"0" * (9 * 1024 * 1024)
    for i in range(5):
        services.attachment_add(actor=cast.employer, application=draft, name=f"{i}.pdf", content=chunk + bytes([i]))
    with pytest.raises(DomainError) as exc:
        services.attachment_add(actor=cast.employer, application=draft, name="6.pdf", content=chunk + b"6")
    assert "50 MB" in exc.value.message
    assert Attachment.objects.filter(application=draft).count() == 5


def test_a_zip_bomb_disguised_as_xlsx_is_refused_as_an_attachment(cast, draft):
    html = attach(cast.client(cast.employer), draft, "report.xlsx", make_zip_bomb()).content.decode()
    assert "zip bomb" in html
    assert not Attachment.objects.filter(application=draft).exists()


def test_a_real_xlsx_is_accepted_as_an_attachment(cast, draft):
    attach(cast.client(cast.employer), draft, "штат.xlsx", make_xlsx_bytes([[1, 2, 3, 4]]))
    assert Attachment.objects.get(application=draft).content_type.endswith("spreadsheetml.sheet")


# --- search, dashboard, copy ---------------------------------------------------------------------

@pytest.mark.parametrize("q, code", [("2142", "2142"), ("свар", "7212"), ("Дәнекер", "7212"), ("welder", "7212")])
def test_occupations_are_searchable_by_code_or_title_in_ru_kk_en(cast, occupations, q, code):
    data = cast.client(cast.employer).get("/applications/occupations/", {"q": q}).json()
    assert code in [r["code"] for r in data["results"]]


def test_the_dashboard_lists_every_application_with_status_and_countdown(cast, draft, draft_2027):
    html = cast.client(cast.employer).get("/dashboard/").content.decode()
    assert 'data-testid="applications-panel"' in html
    assert html.count(f"/applications/{draft.pk}/") >= 1 and f"/applications/{draft_2027.pk}/" in html


def test_copy_from_the_detail_page(cast, occupations, draft_2027):
    c = cast.client(cast.employer)
    response = c.post(f"/applications/{draft_2027.pk}/copy/", {"campaign": cast.next_campaign.pk})
    new = Application.objects.get(organization=cast.org, campaign=cast.next_campaign, region=cast.astana)
    assert response["Location"] == f"/applications/{new.pk}/edit/"
    assert new.lines.count() == 2


# --- every view, tried by everyone who must not use it ------------------------------------------

def _urls(app, version_no=1, att=None):
    gets = ["", "edit/", "review/", "withdraw/", f"receipt/{version_no}/", f"receipt/{version_no}/pdf/",
            f"versions/{version_no}/", "annex1.pdf", "annex1.xlsx", "lines/template.xlsx"]
    posts = ["submit/", "withdraw/", "copy/", "lines/upload/", "attachments/"]
    if att is not None:
        gets.append(f"attachments/{att}/")
        posts.append(f"attachments/{att}/remove/")
    return [("get", f"/applications/{app.pk}/{p}") for p in gets] + [("post", f"/applications/{app.pk}/{p}")
                                                                    for p in posts]


def test_every_application_view_is_404_for_outsiders_and_a_login_redirect_for_anonymous(cast, draft):
    att = services.attachment_add(actor=cast.employer, application=draft, name="a.pdf", content=make_pdf())
    draft.refresh_from_db()
    services.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
    for method, url in _urls(draft, att=att.pk):
        for who in ("employer2", "akimat_officer_atyrau", "central_officer", "outsider"):
            response = getattr(cast.client(getattr(cast, who)), method)(url)
            assert response.status_code == 404, (who, method, url, response.status_code)
        response = getattr(cast.client(None), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (method, url)
    assert Version.objects.filter(application=draft).count() == 1
    assert Attachment.objects.filter(application=draft).count() == 1
    assert Application.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_the_occupation_search_needs_a_login(cast, occupations):
    response = cast.client(None).get("/applications/occupations/", {"q": "2142"})
    assert response.status_code == 302


def test_a_save_after_the_deadline_is_refused_naming_p6_and_keeps_the_input(cast, occupations, draft_2027):
    c = cast.client(cast.employer)
    with time_machine.travel(almaty(2026, 10, 1, 0, 0, 1), tick=False):
        response = c.post(f"/applications/{draft_2027.pk}/edit/", form_data(
            draft_2027, [("3", "2142", "", "77")], justification="Поздняя правка"))
    html = " ".join(response.content.decode().split())
    assert response.status_code == 200 and "Поздняя правка" in html and 'value="77"' in html
    assert ("The deadline has passed: employers file applications closed on 1 October 2026, 00:00 "
            "(Asia/Almaty time), Rules p.6.") in html
    assert not Line.objects.filter(application=draft_2027, count=77).exists()


def test_the_receipt_attachment_renderer_returns_the_receipt_pdf(cast, submitted):
    from applications.exports import receipt_attachment

    version = Version.objects.get(application=submitted)
    name, content, mime = receipt_attachment(version.pk)
    assert name.endswith(".pdf") and mime == "application/pdf"
    assert version.registration_number in pdf_text(content)
