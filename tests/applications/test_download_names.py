"""Issue 9: download names cannot carry direction or control characters; downloads are no-store."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.forms import AttachmentForm
from applications.models import Attachment
from quota_portal.core.downloads import content_disposition, safe_filename
from quota_portal.core.errors import DomainError

from .conftest import make_pdf

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "invoice\u202efdp.exe" shows as "invoiceexe.pdf"


@pytest.mark.parametrize("name, extension, expected", [
    (f"invoice{RLO}fdp.exe", "pdf", "invoicefdp.pdf"),
    (f"invoice{RLO}fdp.exe", None, "invoicefdp.exe"),
    ("Договор №5.PDF", None, "Договор №5.pdf"),
    ("a\u200eb\u2066c\u2069d\x00e\x1bf.pdf", None, "abcdef.pdf"),
    ('../../etc/"passwd"', None, "_.._etc__passwd_"),
    ("..\\..\\boot.ini", None, "_.._boot.ini"),
    ("photo.jpeg", "jpg", "photo.jpg"),
    ("  .hidden  ", None, "hidden"),
    (f"{RLO}\u200f", "pdf", "download.pdf"),
    ("report.tar\u202egz", None, "report.targz"),
])
def test_a_download_name_is_neutralised(name, extension, expected):
    assert safe_filename(name, extension=extension) == expected


def test_the_content_disposition_follows_rfc_6266_with_an_ascii_fallback():
    assert content_disposition("Договор 5.pdf") == (
        "attachment; filename=\"_______ 5.pdf\"; filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%205.pdf")
    assert content_disposition("annex1-5.pdf", inline=True).startswith('inline; filename="annex1-5.pdf"; ')


def test_an_attachment_named_with_a_right_to_left_override_is_offered_under_a_neutral_name(cast, draft):
    # A name stored before the upload check existed, or by a path other than the upload form.
    att = services.attachment_add(actor=cast.employer, application=draft, name="invoice.pdf", content=make_pdf())
    Attachment.objects.filter(pk=att.pk).update(original_name=f"invoice{RLO}fdp.exe")
    response = cast.client(cast.employer).get(f"/applications/{draft.pk}/attachments/{att.pk}/")
    header = response["Content-Disposition"]
    assert response.status_code == 200 and header.startswith("attachment; ")
    assert RLO not in header and "%E2%80%AE" not in header.upper()
    assert header == "attachment; filename=\"invoicefdp.pdf\"; filename*=UTF-8''invoicefdp.pdf"
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"


def test_an_upload_whose_name_hides_direction_characters_is_refused(cast, draft):
    form = AttachmentForm(files={"file": SimpleUploadedFile(f"invoice{RLO}fdp.pdf", make_pdf())})
    assert not form.is_valid() and form.has_error("file", code="unsafe_name")
    assert "U+202E" in form.errors["file"][0] and "rename the file" in form.errors["file"][0]
    with pytest.raises(DomainError) as exc:
        services.attachment_add(actor=cast.employer, application=draft, name=f"invoice{RLO}fdp.pdf",
                                content=make_pdf())
    assert exc.value.field == "file" and "U+202E" in exc.value.message
    assert not Attachment.objects.filter(application=draft).exists()


def test_every_application_download_goes_out_no_store_with_a_safe_header(cast, draft):
    client = cast.client(cast.employer)
    for url in (f"/applications/{draft.pk}/annex1.pdf", f"/applications/{draft.pk}/annex1.xlsx",
                f"/applications/{draft.pk}/lines/template.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "filename*=UTF-8''" in response["Content-Disposition"], url
        assert response["Cache-Control"] == "no-store", url
