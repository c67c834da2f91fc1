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
    # The table cites the grounds by point; the Rules' text is quoted once below it.
    assert "п.10(1), п.10(3)" in text
    assert text.count("неустраненных нарушений трудового законодательства") == 1
    notice = Notice.objects.get()
    expected_words = {"ru": ("Уведомление о решении Комиссии", "Причина:", "Председатель Комиссии",
                             "п.10(1), п.10(3)", "Основания (п.10 Правил)"),
                      "kk": ("Комиссия шешімі туралы хабарлама", "Себебі:", "Комиссия төрағасы",
                             "10-т.(1), 10-т.(3)")}
    verbatim = {"ru": ("возможности удовлетворения потребности в рабочей силе", "трудового законодательства"),
                "kk": ("еңбек ресурстары есебінен", "еңбек заңнамасын")}
    for lang in ("ru", "kk"):
        notice.organization.language = lang  # the notice follows the organization's language
        content = notice_pdf(notice)
        (ARTIFACTS / f"commission-notice-{lang}.pdf").write_bytes(content)
        assert len(PdfReader(io.BytesIO(content)).pages) == 1
        text = flat(content)
        assert cast.org.name in text and notice.number in text
        for expected in expected_words[lang]:
            assert expected in text, (lang, expected)
        for quoted in verbatim[lang]:
            assert text.count(quoted) == 1, (lang, quoted)
        assert "нарушений порядка выдачи" not in text and "ұзарту тәртібін" not in text  # p.10(2) not cited
