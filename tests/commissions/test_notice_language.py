"""The written notice (Rules p.11) follows the organization's language on every path that renders
it, and its signature block never sits alone on a page."""
from __future__ import annotations

import re
import subprocess

import pytest
from django.core import mail

from commissions import services
from commissions.models import Notice
from commissions.pdf import notice_pdf
from quota_portal.core.delivery import deliver_pending
from quota_portal.core.models import Outbox

from .conftest import all_approved, votes_for

pytestmark = pytest.mark.django_db
RUSSIAN = ("Уведомление", "Председатель", "Одобрено", "Заявлено", "решение")
KAZAKH = "Комиссия төрағасы"


def pdftotext(content: bytes, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def page_count(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _assert_kazakh(content: bytes, where: str) -> None:
    assert content.startswith(b"%PDF"), where
    text = " ".join(pdftotext(content).split())
    assert KAZAKH in text, where
    for word in RUSSIAN:
        assert word not in text, (where, word)


def _decide_and_sign(cast, case, *, language_before_signing: str | None = None):
    services.decision_record(actor=cast.secretary, item=case.item, lines=all_approved(case.app),
                             votes=votes_for(case.members))
    if language_before_signing:
        # The employer changes the language of correspondence after the decision was recorded.
        cast.org.language = language_before_signing
        cast.org.save()
    services.session_sign(actor=cast.secretary, session=case.session)
    services.session_sign(actor=cast.member, session=case.session, as_chair=True)
    return Notice.objects.get()


@pytest.mark.parametrize("when", ["before the decision", "after the decision"])
def test_the_notice_is_kazakh_on_every_path_for_a_kazakh_organization(cast, astana_case, when):
    if when == "before the decision":
        cast.org.language = "kk"
        cast.org.save()
        notice = _decide_and_sign(cast, astana_case)
    else:
        notice = _decide_and_sign(cast, astana_case, language_before_signing="kk")
    # The email attachment, delivered to a recipient whose interface is Russian.
    mail.outbox.clear()
    assert deliver_pending() >= 1
    attachments = [a for m in mail.outbox for a in m.attachments if a[0].endswith(".pdf")]
    assert attachments
    for _name, content, _mime in attachments:
        _assert_kazakh(content, "email attachment")
    # The in-portal inbox's link, downloaded by the employer (Russian interface).
    row = Outbox.objects.filter(channel=Outbox.Channel.INBOX, recipient=cast.employer).exclude(url="").last()
    employer = cast.client(cast.employer)
    _assert_kazakh(employer.get(row.url).content, "inbox download")
    # The employer's application page links to it.
    page = employer.get(f"/applications/{astana_case.app.pk}/").content.decode()
    url = re.search(r'href="(/commissions/notices/\d+/pdf/)"', page).group(1)
    _assert_kazakh(employer.get(url).content, "application page")
    # The akimat's notices page (the officer reads Russian).
    akimat = cast.client(cast.akimat_officer)
    page = akimat.get("/commissions/notices/").content.decode()
    url = re.search(r'href="(/commissions/notices/\d+/pdf/)"', page).group(1)
    _assert_kazakh(akimat.get(url).content, "notices page")
    # Re-rendered.
    notice.refresh_from_db()
    _assert_kazakh(notice_pdf(notice), "re-render")


def _notice_with_lines(cast, astana_case, n: int) -> Notice:
    from applications.models import Line

    app = astana_case.app
    base = app.lines.count()
    for i in range(n - base):
        Line.objects.create(application=app, category="4", occupation=astana_case.lines[1].occupation,
                            specialty=f"Специализация {i + 1}", count=1, position=base + i)
    return _decide_and_sign(cast, astana_case)


def test_the_signature_block_of_a_long_notice_stays_with_the_last_rows(cast, astana_case):
    """Whatever the number of lines, the page that carries the chair's signature also carries the
    table's last row: the signature never sits alone on a page."""
    notice = _notice_with_lines(cast, astana_case, 2)
    from applications.models import Line

    app = astana_case.app
    checked_multi_page = 0
    for n in range(16, 30):
        for i in range(app.lines.count(), n):
            Line.objects.create(application=app, category="4", occupation=astana_case.lines[1].occupation,
                                specialty=f"Специализация {i + 1}", count=1, position=i)
        notice.decision.lines.all().delete()
        from commissions.models import LineDecision

        LineDecision.objects.bulk_create([LineDecision(decision=notice.decision, line=line, requested=line.count,
                                                       approved=line.count, grounds=[], reason="")
                                          for line in app.lines.all()])
        content = notice_pdf(notice)
        pages = page_count(content)
        last = pdftotext(content, pages)
        if pages > 1:
            checked_multi_page += 1
        assert "Председатель Комиссии" in last, n
        # The table's last row (numbered n) is on the signature's page.
        assert re.search(rf"^\s*{n}\s", last, re.MULTILINE), (n, last)
    assert checked_multi_page
