"""`make run`'s mail backend: one .eml file per mail under var/mail/, one line on the terminal,
never the attachment's base64."""
from __future__ import annotations

import email
import io
import os

from django.conf import settings
from django.core.mail import EmailMessage

from quota_portal.core.mailfiles import FileLineBackend


def test_each_mail_is_a_file_and_one_printed_line_without_the_attachment(tmp_path):
    out = io.StringIO()
    backend = FileLineBackend(mail_dir=tmp_path / "mail", stream=out)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 200
    messages = [EmailMessage(subject="Решение Комиссии", body="Текст", to=["a@example.kz"]),
                EmailMessage(subject="Квитанция", body="Текст", to=["b@example.kz", "c@example.kz"])]
    messages[0].attach("notice.pdf", pdf, "application/pdf")
    assert backend.send_messages(messages) == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "a@example.kz" in lines[0] and "Решение Комиссии" in lines[0]
    assert "b@example.kz, c@example.kz" in lines[1] and "Квитанция" in lines[1]
    assert all(str(f) in out.getvalue() for f in files)
    assert len(out.getvalue()) < 500  # no base64 on the terminal
    parsed = [email.message_from_bytes(f.read_bytes()) for f in files]
    with_pdf = next(m for m in parsed if m.is_multipart())
    part = next(p for p in with_pdf.walk() if p.get_content_type() == "application/pdf")
    assert part.get_payload(decode=True) == pdf


def test_development_settings_use_it_and_production_does_not():
    from quota_portal.settings import base

    if "EMAIL_BACKEND" not in os.environ:
        assert base.EMAIL_BACKEND == "quota_portal.core.mailfiles.FileLineBackend"
    assert str(base.MAIL_DIR).endswith("var/mail")
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"  # tests keep locmem
