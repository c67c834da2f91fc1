"""PDF signatures with the portal's key (quota_portal/core/signing.py), make_signing_cert and the
signing system check. The test settings sign with var/test-signing (made by the same code as
make_signing_cert, valid 2000-2100)."""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import secrets
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from pypdf import PdfReader

from quota_portal.core.checks import check_signing_key
from quota_portal.core.pdf import render_pdf
from quota_portal.core.signing import SigningNotConfigured, sign_pdf, verify_pdf
from quota_portal.core.signing_certs import SIGNER_SUBJECT, SigningFiles, generate_signing_cert

ROOT = Path(__file__).resolve().parent.parent.parent
UTC = dt.UTC
DECISION = """{% extends "pdf/base.html" %}{% block content %}
<h1>Решение о квоте на 2027 год</h1><p>Шешім: Астана қаласына 1 250 шетелдік жұмыс күші.</p>
{% endblock %}"""


@pytest.fixture
def pdf(settings) -> bytes:
    """A one-page document rendered by the portal's own PDF renderer (WeasyPrint, pdf/base.html)."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "APP_DIRS": False, "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "loaders": [("django.template.loaders.locmem.Loader", {"test/decision.html": DECISION}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader"],
    }}]
    return render_pdf("test/decision.html", {})


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory) -> SigningFiles:
    """Someone else's CA and key, with the very same subject names as ours; valid 2000-2100 like
    ours, so that only the trust root tells them apart, on whatever day the test runs."""
    files, _ = generate_signing_cert(tmp_path_factory.mktemp("other-signing"),
                                     valid_from=dt.datetime(2000, 1, 1, tzinfo=UTC),
                                     valid_until=dt.datetime(2100, 1, 1, tzinfo=UTC))
    return files


def use(settings, files: SigningFiles, *, ca: bool = True) -> None:
    settings.QP_SIGNING_KEY, settings.QP_SIGNING_CERT = str(files.key), str(files.cert)
    settings.QP_SIGNING_CA_CERTS = [str(files.ca)] if ca else []


def ours(settings) -> SigningFiles:
    return SigningFiles(key=Path(settings.QP_SIGNING_KEY), cert=Path(settings.QP_SIGNING_CERT),
                        ca=Path(settings.QP_SIGNING_CA_CERTS[0]))


def signed_ranges(signed: bytes) -> tuple[int, int]:
    """End of the first signed range and start of the second (the /Contents hole between them)."""
    status = PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"][0]["/V"]
    start1, len1, start2, _ = status["/ByteRange"]
    return start1 + len1, start2


# --- sign and verify ---------------------------------------------------------------------------

def test_a_signed_weasyprint_pdf_verifies_as_intact_and_valid_with_the_portal_as_signer(pdf):
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, 0, tzinfo=UTC), tick=False):
        signed = sign_pdf(pdf, reason="Quota decision 2027")
        result = verify_pdf(signed)
    assert result.intact and result.valid and result.covers_whole_document and result.ok
    assert result.problem == ""
    assert result.signer_subject == "CN=Quota Portal (local test),O=Quota Portal,C=KZ"
    assert result.signed_at == dt.datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    # An incremental update: the document's own bytes are untouched, its text reads the same.
    assert signed.startswith(pdf)
    assert "Решение о квоте на 2027 год" in PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    sig = PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"][0]
    assert sig["/T"] == "QuotaPortal"
    assert sig["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7.detached
    assert sig["/V"]["/Reason"] == "Quota decision 2027" and sig["/V"]["/Location"] == "Astana"
    assert [float(x) for x in sig["/Rect"]] == [0, 0, 0, 0]  # invisible


def test_the_signing_time_is_reported_in_utc(pdf):
    # pyHanko writes the signing time in the process's zone (Asia/Almaty under Django).
    before = dt.datetime.now(UTC).replace(microsecond=0)
    result = verify_pdf(sign_pdf(pdf, reason="Quota decision 2027"))
    assert result.signed_at.utcoffset() == dt.timedelta(0)
    assert before <= result.signed_at <= dt.datetime.now(UTC)


def test_signing_and_verifying_work_while_an_event_loop_runs_in_the_thread(pdf):
    # pyHanko's sync API calls asyncio.run(), which refuses to run inside a running loop (an async
    # caller; Playwright's sync API leaves one running in the browser tests' thread).
    async def inside_a_loop():
        return verify_pdf(sign_pdf(pdf, reason="Quota decision 2027"))

    # A fresh thread: this one may already run Playwright's loop, where asyncio.run() fails too.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().ok


def test_flipping_one_signed_byte_makes_the_document_not_intact(pdf):
    signed = sign_pdf(pdf, reason="Quota decision 2027")
    hole_start, _ = signed_ranges(signed)
    at = signed.index(b"stream\n") + 20  # inside the page's content stream, well before the hole
    assert at < hole_start
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]
    result = verify_pdf(tampered)
    assert not result.intact and not result.valid and not result.ok
    assert result.problem == "The document was changed after it was signed."


def test_something_appended_after_the_signature_is_reported_as_not_covering_the_document(pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(pdf, reason="Quota decision 2027")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.intact and not result.covers_whole_document and not result.ok


def test_a_pdf_signed_by_another_key_is_not_valid_against_our_trust_root(settings, pdf, other_ca):
    mine = ours(settings)
    use(settings, other_ca)
    forged = sign_pdf(pdf, reason="Quota decision 2027")
    assert verify_pdf(forged).valid  # valid for its own CA...
    use(settings, mine)
    result = verify_pdf(forged)
    assert result.intact and not result.valid and not result.ok  # ...but not for ours
    assert result.signer_subject == SIGNER_SUBJECT  # the same name proves nothing
    assert result.problem.startswith("The signer is not trusted")
    use(settings, mine, ca=False)  # the signing certificate pinned instead of its CA: the same
    assert not verify_pdf(forged).valid
    assert verify_pdf(sign_pdf(pdf, reason="Quota decision 2027")).valid


def test_an_unsigned_pdf_or_other_bytes_are_neither_intact_nor_valid(pdf):
    cases = [(pdf, "The document has no signature."),
             (b"%PDF-1.7\nnonsense", "Not a readable PDF"), (b"", "Not a readable PDF")]
    for data, problem in cases:
        result = verify_pdf(data)
        assert not result.intact and not result.valid and not result.ok
        assert result.problem.startswith(problem)


def test_sign_pdf_refuses_bytes_that_are_not_a_pdf():
    with pytest.raises(ValueError):
        sign_pdf(b"not a pdf", reason="x")


def test_an_encrypted_key_signs_with_its_password(settings, pdf, tmp_path):
    key = serialization.load_pem_private_key(ours(settings).key.read_bytes(), password=None)
    encrypted = tmp_path / "key.pem"
    encrypted.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret pass")))
    settings.QP_SIGNING_KEY = str(encrypted)
    with pytest.raises(SigningNotConfigured, match="cannot read the private key"):
        sign_pdf(pdf, reason="x")
    settings.QP_SIGNING_KEY_PASSWORD = "s3cret pass"
    assert verify_pdf(sign_pdf(pdf, reason="x")).ok


def test_sign_pdf_refuses_a_key_that_would_not_verify(settings, pdf, other_ca, tmp_path):
    mine = ours(settings)
    settings.QP_SIGNING_KEY = ""
    with pytest.raises(SigningNotConfigured, match="QP_SIGNING_KEY not set"):
        sign_pdf(pdf, reason="x")
    settings.QP_SIGNING_KEY = str(tmp_path / "missing.pem")
    with pytest.raises(SigningNotConfigured, match="cannot read the file"):
        sign_pdf(pdf, reason="x")
    settings.QP_SIGNING_KEY = str(other_ca.key)  # another key with our certificate
    with pytest.raises(SigningNotConfigured, match="does not belong to the certificate"):
        sign_pdf(pdf, reason="x")
    use(settings, other_ca)
    settings.QP_SIGNING_CA_CERTS = [str(mine.ca)]  # a CA that did not issue it
    with pytest.raises(SigningNotConfigured, match="not issued by any certificate"):
        sign_pdf(pdf, reason="x")


def test_an_expired_certificate_signs_nothing(settings, pdf, tmp_path):
    expired, _ = generate_signing_cert(tmp_path, valid_from=dt.datetime(2020, 1, 1, tzinfo=UTC),
                                       valid_until=dt.datetime(2021, 1, 1, tzinfo=UTC))
    use(settings, expired)
    with pytest.raises(SigningNotConfigured, match="valid from 2020-01-01 to 2021-01-01, not now"):
        sign_pdf(pdf, reason="x")
    with time_machine.travel(dt.datetime(2020, 6, 1, tzinfo=UTC), tick=False):
        signed = sign_pdf(pdf, reason="x")
        assert verify_pdf(signed).ok
    assert not verify_pdf(signed).valid  # checked at the current time, as PDF readers do


# --- outside tools -----------------------------------------------------------------------------

def test_pyhanko_cli_judges_the_signature_valid_against_our_ca(settings, pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(pdf, reason="Quota decision 2027"))
    cmd = [sys.executable, "-m", "pyhanko", "sign", "validate", "--pretty-print", "--trust-replace",
           "--trust", str(ours(settings).ca), str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "The signer's certificate is trusted." in result.stdout
    assert "The signature covers the entire file." in result.stdout
    assert "The signature is judged VALID." in result.stdout
    path.write_bytes(path.read_bytes().replace(b"/Reason (Quota decision 2027)",
                                               b"/Reason (Quota decision 2028)"))
    tampered = subprocess.run(cmd, capture_output=True, text=True)
    assert tampered.returncode != 0 and "INVALID" in tampered.stdout


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler) not installed")
def test_pdfsig_lists_a_valid_pades_signature_over_the_whole_document(pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(pdf, reason="Quota decision 2027"))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature Field Name: QuotaPortal" in out
    assert f"Signer full Distinguished Name: {SIGNER_SUBJECT}" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Signing Hash Algorithm: SHA-256" in out
    assert "Total document signed" in out
    assert "Signature Validation: Signature is Valid." in out
    data = path.read_bytes()
    at = data.index(b"stream\n") + 20
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Digest Mismatch." in out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_the_signed_document_renders_exactly_as_the_unsigned_one(pdf, tmp_path):
    (tmp_path / "plain.pdf").write_bytes(pdf)
    (tmp_path / "signed.pdf").write_bytes(sign_pdf(pdf, reason="Quota decision 2027"))
    for name in ("plain", "signed"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
    assert (tmp_path / "plain-1.png").read_bytes() == (tmp_path / "signed-1.png").read_bytes()


# --- make_signing_cert -------------------------------------------------------------------------

def test_make_signing_cert_writes_a_ca_and_a_signing_certificate_for_two_years(tmp_path):
    with time_machine.travel(dt.datetime(2026, 5, 4, 12, 0, tzinfo=UTC), tick=False):
        call_command("make_signing_cert", "--dir", str(tmp_path), stdout=StringIO())
    files = SigningFiles.in_dir(tmp_path)
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    assert cert.subject.rfc4514_string() == SIGNER_SUBJECT
    cert.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    # From three years ago (the demo signs on its story's past dates) for two years ahead.
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=730 + 3 * 365)
    assert cert.not_valid_after_utc == dt.datetime(2028, 5, 3, 12, 0, tzinfo=UTC)
    assert cert.public_key().key_size == 3072
    assert files.key.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*ca*key*"))  # the CA's key is not kept


def test_make_signing_cert_is_idempotent_and_force_replaces_the_files(tmp_path):
    call_command("make_signing_cert", "--dir", str(tmp_path), stdout=StringIO())
    files = SigningFiles.in_dir(tmp_path)
    first = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (files.key, files.cert, files.ca)}
    out = StringIO()
    call_command("make_signing_cert", "--dir", str(tmp_path), stdout=out)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first} == first
    assert out.getvalue().startswith("Kept the existing test signing certificate")
    out = StringIO()
    call_command("make_signing_cert", "--dir", str(tmp_path), "--force", stdout=out)
    assert out.getvalue().startswith("Created test signing certificate")
    assert all(p.read_bytes() != first[p][0] for p in first)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.pem", "cert.pem", "key.pem"]


def test_make_signing_cert_writes_to_var_signing_where_local_settings_look(tmp_path):
    # Both the command and the check run in child processes, on one clock: the certificate is valid
    # from the day it is made, and this test's own clock is travelled (tests/conftest.py).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.local",
           "QP_VAR_DIR": str(tmp_path)}
    env.pop("QP_SIGNING_KEY", None)
    made = subprocess.run([sys.executable, "manage.py", "make_signing_cert"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert SigningFiles.in_dir(tmp_path / "signing").exist()
    code = ("from django.conf import settings as s; "
            "from quota_portal.core.checks import check_signing_key as check; "
            "print(s.QP_SIGNING_KEY, s.QP_SIGNING_CERT, *s.QP_SIGNING_CA_CERTS, check())")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    signing = tmp_path / "signing"
    expected = [str(signing / "key.pem"), str(signing / "cert.pem"), str(signing / "ca.pem"), "[]"]
    assert result.stdout.split() == expected, result.stderr


# --- the system check --------------------------------------------------------------------------

def test_the_check_passes_with_the_configured_key():
    assert check_signing_key() == []


def test_without_the_key_production_fails_the_check_and_development_is_warned(settings, tmp_path):
    settings.QP_SIGNING_KEY = settings.QP_SIGNING_CERT = ""
    settings.QP_SIGNING_REQUIRED = True
    [error] = check_signing_key()
    assert error.id == "qp.E001" and error.is_serious()
    assert error.msg == (
        "QP_SIGNING_KEY and QP_SIGNING_CERT not set: PDF documents cannot be signed.")
    settings.QP_SIGNING_REQUIRED = False
    [warning] = check_signing_key()
    assert warning.id == "qp.W001" and not warning.is_serious()
    settings.QP_SIGNING_REQUIRED = True
    expired, _ = generate_signing_cert(tmp_path, valid_from=dt.datetime(2020, 1, 1, tzinfo=UTC),
                                       valid_until=dt.datetime(2021, 1, 1, tzinfo=UTC))
    use(settings, expired)
    assert [(m.id, m.msg) for m in check_signing_key()] == [
        ("qp.E001", "The signing certificate is valid from 2020-01-01 to 2021-01-01, not now.")]


def _production(env: dict) -> subprocess.CompletedProcess:
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items()
            if k not in dropped and not k.startswith("QP_SIGNING")}
    full = {**base, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz",
            "REDIS_URL": "redis://127.0.0.1:6379/0", **env}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full,
                          capture_output=True, text=True)


def test_production_settings_without_the_signing_key_stop_manage_py_with_qp_e001(settings):
    missing = _production({})
    assert missing.returncode != 0
    assert "(qp.E001) QP_SIGNING_KEY and QP_SIGNING_CERT not set" in missing.stderr
    files = ours(settings)
    configured = _production({"QP_SIGNING_KEY": str(files.key), "QP_SIGNING_CERT": str(files.cert),
                              "QP_SIGNING_CA_CERTS": str(files.ca)})
    assert configured.returncode == 0, configured.stderr


def test_docker_compose_mounts_the_signing_key_read_only_and_git_ignores_it():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "./signing:/run/quota-portal/signing:ro" in compose
    assert "QP_SIGNING_KEY: /run/quota-portal/signing/key.pem" in compose
    for key in ("signing/key.pem", "var/signing/key.pem", "var/test-signing/key.pem"):
        ignored = subprocess.run(["git", "check-ignore", "-q", key], cwd=ROOT, check=False)
        assert ignored.returncode == 0, key
