"""Writes the protocol and a notice (ru and kk) to test-artifacts/ for a person to look at, and
checks their page count and key texts."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from commissions.models import Notice
from commissions.pdf import notice_pdf, protocol_pdf
from tests.browser.conftest import ARTIFACTS

from .test_views import pdf_text, signed_case  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def flat(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def test_the_protocol_and_the_notices_render_to_files(cast, signed_case):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    signed_case.session.refresh_from_db()
    protocol = protocol_pdf(signed_case.session)
    (ARTIFACTS / "commission-protocol.pdf").write_bytes(protocol)
    assert len(PdfReader(io.BytesIO(protocol)).pages) in (1, 2)
    text = flat(protocol)
    for expected in ("ПРОТОКОЛ № 1", "Акимат города Астаны", "Присутствовали", "Повестка", "Решения",
                     "Председатель Комиссии", "Секретарь Комиссии", cast.org.name):
        assert expected in text, expected
    notice = Notice.objects.get()
    expected_words = {"ru": ("Уведомление о решении Комиссии", "Причина:", "Председатель Комиссии"),
                      "kk": ("Комиссия шешімі туралы хабарлама", "Себебі:", "Комиссия төрағасы")}
    for lang in ("ru", "kk"):
        notice.organization.language = lang  # the notice follows the organization's language
        content = notice_pdf(notice)
        (ARTIFACTS / f"commission-notice-{lang}.pdf").write_bytes(content)
        assert len(PdfReader(io.BytesIO(content)).pages) == 1
        text = flat(content)
        assert cast.org.name in text and notice.number in text
        for expected in expected_words[lang]:
            assert expected in text, (lang, expected)
