"""Writes the protocol and a notice (ru and kk) to test-artifacts/ for a person to look at."""
from __future__ import annotations

import pytest

from commissions import services
from commissions.models import Notice
from commissions.pdf import notice_pdf, protocol_pdf
from tests.browser.conftest import ARTIFACTS

from .test_views import pdf_text, signed_case  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_protocol_and_the_notices_render_to_files(cast, signed_case):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    signed_case.session.refresh_from_db()
    (ARTIFACTS / "commission-protocol.pdf").write_bytes(protocol_pdf(signed_case.session))
    notice = Notice.objects.get()
    for lang in ("ru", "kk"):
        notice.language = lang
        content = notice_pdf(notice)
        (ARTIFACTS / f"commission-notice-{lang}.pdf").write_bytes(content)
        assert cast.org.name in pdf_text(content)
    _unused = services
