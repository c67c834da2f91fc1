"""The receipt speaks plainly: no "SHA-256" nor "Asia/Almaty", and says what happens next with the
campaign's own dates."""
from __future__ import annotations

import subprocess

import pytest

from applications import services

from .conftest import fill

pytestmark = pytest.mark.django_db


def _submitted(cast, occupations):
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                      region=cast.astana)
    app = fill(app, cast.employer, occupations)
    version = services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    return app, version


@pytest.mark.parametrize(("lang", "words"), [("ru", ("Цифровой отпечаток", "время Астаны", "Что дальше")),
                                              ("kk", ("цифрлық ізі", "Астана уақыты", "Әрі қарай не болады"))])
def test_the_receipt_page_and_pdf_use_plain_words_and_say_what_happens_next(cast, occupations, lang, words):
    from django.conf import settings

    app, version = _submitted(cast, occupations)
    client = cast.client(cast.employer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(f"/applications/{app.pk}/receipt/{version.number}/").content.decode()
    page = page.split('data-testid="receipt"')[1].split("<footer")[0]  # the receipt, not the page's footer
    pdf = b"".join(client.get(f"/applications/{app.pk}/receipt/{version.number}/pdf/"))
    pdf_text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                       check=True).stdout.decode().split())
    campaign = cast.next_campaign
    for text in (page, pdf_text):
        assert "SHA-256" not in text and "Asia/Almaty" not in text
        for word in words:
            assert word in text, (lang, word)
        assert campaign.generalization_deadline.strftime("%Y") in text
    assert 'data-testid="next-steps"' in page
    assert str(campaign.notice_working_days) in pdf_text
