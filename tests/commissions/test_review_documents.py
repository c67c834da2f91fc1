"""The akimat's review page shows the employer's documents, read-only and scoped to the region."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile

from applications.models import Application, Attachment, Project

from .conftest import generalize, make_application

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def documented(cast, occupations):
    app = make_application(cast, status=Application.Status.UNDER_REVIEW,
                           lines=[("3", occupations.o2142, 5)])
    att = Attachment(application=app, original_name="Договор подряда.pdf", content_type="application/pdf",
                     size=len(PDF), sha256="0" * 64, uploaded_by=cast.employer)
    att.file.save("contract.pdf", ContentFile(PDF), save=False)
    att.save()
    Project.objects.create(application=app, name="ЖК «Нурлы Жол»", number="ГП-17", date=dt.date(2026, 3, 1),
                           counterparty="ТОО «Заказчик»")
    return app, att


def test_the_review_page_links_the_annex1_attachments_projects_and_signer(cast, documented):
    app, att = documented
    client = cast.client(cast.akimat_officer)
    body = client.get(f"/commissions/applications/{app.pk}/").content.decode()
    assert 'data-testid="employer-documents"' in body
    assert "ЖК «Нурлы Жол»" in body and "ГП-17" in body and "ТОО «Заказчик»" in body
    assert "Директор" in body and "Иванов И.И." in body
    annex = re.search(r'href="([^"]+annex1\.pdf)"', body).group(1)
    attachment = re.search(r'href="([^"]+/attachments/\d+/)"', body).group(1)
    response = client.get(annex)
    assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")
    response = client.get(attachment)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # Another region's akimat: the same 404 as for a missing object.
    other = cast.client(cast.akimat_officer_atyrau)
    assert other.get(f"/commissions/applications/{app.pk}/").status_code == 404
    assert other.get(annex).status_code == 404
    assert other.get(attachment).status_code == 404


def test_read_only_notes_are_text_not_disabled_textareas(cast, documented):
    app, _att = documented
    gen = generalize(app, cast.akimat_officer)
    gen.note_demand = "Спрос подтверждён центром занятости"
    gen.save()
    body = cast.client(cast.secretary).get(f"/commissions/applications/{app.pk}/").content.decode()
    assert "disabled" not in body
    assert "<textarea" not in body
    assert "Спрос подтверждён центром занятости" in body
