"""PDF signatures with the portal's key: PAdES baseline B-B (pyHanko), invisible.

The signature lets anyone check that a published document was not altered: Adobe Reader, Okular,
`pdfsig`, `pyhanko sign validate`. Key and certificate come from settings (QP_SIGNING_KEY,
QP_SIGNING_CERT, QP_SIGNING_KEY_PASSWORD, QP_SIGNING_CA_CERTS; README "Configuration").

`sign_pdf` and `verify_pdf` are functions of their bytes and the configured key material: no
database, no network (no timestamp authority, no revocation fetching). pyHanko's synchronous API
runs its own event loop (asyncio.run); where the calling thread already runs one, the call goes to
a worker thread, so both work from sync and async code alike.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SigningNotConfigured(ImproperlyConfigured):
    """The signing key or certificate is missing, unreadable or unusable."""


@dataclass(frozen=True)
class VerificationResult:
    intact: bool  # the signed bytes hash to the digest that was signed
    valid: bool  # intact, cryptographically sound, and the signer chains to our trust roots
    signer_subject: str  # RFC 4514, e.g. "CN=Quota Portal (local test),O=Quota Portal,C=KZ"
    signed_at: dt.datetime | None  # the signing time the signer put in the signature (UTC)
    covers_whole_document: bool  # nothing was appended after the signature
    problem: str = ""  # why not, in English, for logs and operators

    @property
    def ok(self) -> bool:
        """The document is exactly what the portal signed."""
        return self.intact and self.valid and self.covers_whole_document

    @classmethod
    def failed(cls, problem: str) -> VerificationResult:
        return cls(intact=False, valid=False, signer_subject="", signed_at=None,
                   covers_whole_document=False, problem=problem)


@dataclass(frozen=True)
class SigningMaterial:
    key: object  # a cryptography private key
    cert: x509.Certificate
    ca_certs: list[x509.Certificate]

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        # The CA when there is one: pyHanko does not check the validity period of a trust anchor,
        # so pinning the signing certificate itself would accept it after it expired.
        return self.ca_certs or [self.cert]


def load_signing_material() -> SigningMaterial:
    """Read the configured key and certificates; SigningNotConfigured names what is wrong."""
    key_path, cert_path = settings.QP_SIGNING_KEY, settings.QP_SIGNING_CERT
    named = (("QP_SIGNING_KEY", key_path), ("QP_SIGNING_CERT", cert_path))
    if missing := [name for name, value in named if not value]:
        raise SigningNotConfigured(
            f"{' and '.join(missing)} not set: PDF documents cannot be signed.")
    password = settings.QP_SIGNING_KEY_PASSWORD
    data = _read("QP_SIGNING_KEY", key_path)
    try:
        load = serialization.load_pem_private_key if b"-----BEGIN" in data else serialization.load_der_private_key
        key = load(data, password=password.encode() if password else None)
    except (TypeError, ValueError) as exc:  # wrong or missing password, not a key
        raise SigningNotConfigured(
            f"QP_SIGNING_KEY {key_path}: cannot read the private key ({exc}).") from exc
    certs = _certs("QP_SIGNING_CERT", cert_path)
    if len(certs) != 1:
        raise SigningNotConfigured(
            f"QP_SIGNING_CERT {cert_path}: expected one certificate, found {len(certs)}.")
    ca_certs = [ca for path in settings.QP_SIGNING_CA_CERTS
                for ca in _certs("QP_SIGNING_CA_CERTS", path)]
    return SigningMaterial(key=key, cert=certs[0], ca_certs=ca_certs)


def _read(setting: str, path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningNotConfigured(
            f"{setting} {path}: cannot read the file ({exc.strerror}).") from exc


def _certs(setting: str, path: str | Path) -> list[x509.Certificate]:
    data = _read(setting, path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise SigningNotConfigured(f"{setting} {path}: not a certificate ({exc}).") from exc


def signing_problems(material: SigningMaterial, *, now: dt.datetime | None = None) -> list[str]:
    """What would make a signature by `material` fail verification (empty when nothing)."""
    now = now or dt.datetime.now(dt.UTC)
    cert, problems = material.cert, []
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if (material.key.public_key().public_bytes(serialization.Encoding.DER, spki)
            != cert.public_key().public_bytes(serialization.Encoding.DER, spki)):
        problems.append("QP_SIGNING_KEY does not belong to the certificate in QP_SIGNING_CERT.")
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        problems.append(
            f"The signing certificate is valid from {cert.not_valid_before_utc:%Y-%m-%d} to "
            f"{cert.not_valid_after_utc:%Y-%m-%d}, not now.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        non_repudiation = usage.content_commitment
    except x509.ExtensionNotFound:
        non_repudiation = True  # no keyUsage extension: every usage is allowed
    if not non_repudiation:
        # pyHanko, like most PDF validators, accepts document signatures only from such keys.
        problems.append(
            "The signing certificate lacks the nonRepudiation (contentCommitment) key usage.")
    if material.ca_certs and not any(_issued_by(cert, ca) for ca in material.ca_certs):
        problems.append(
            "The signing certificate is not issued by any certificate in QP_SIGNING_CA_CERTS.")
    return problems


def _issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _outside_event_loop(func, *args):
    """Call `func(*args)`, on a worker thread if this thread runs an event loop (asyncio.run(),
    which pyHanko's sync API uses, refuses to start inside a running loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-signing") as pool:
        return pool.submit(func, *args).result()


def _asn1(cert: x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str = "Astana",
             field_name: str = "QuotaPortal") -> bytes:
    """Return `pdf_bytes` with an invisible PAdES signature by the portal's key appended.

    The original bytes are kept as they are (an incremental update), so the document renders
    exactly as before. Raises SigningNotConfigured when the key material is missing or would
    produce a signature that does not verify, ValueError when `pdf_bytes` is not a PDF.
    """
    from asn1crypto import keys as asn1_keys
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    material = load_signing_material()
    if problems := signing_problems(material):
        raise SigningNotConfigured(" ".join(problems))
    pkcs8 = material.key.private_bytes(serialization.Encoding.DER,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=_asn1(material.cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(pkcs8),
        # The chain goes into the signature: a verifier holding only the root can check it.
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in material.ca_certs]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason, location=location,
        subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    except PdfError as exc:
        raise ValueError(f"Not a PDF document: {exc}") from exc
    return _outside_event_loop(signers.PdfSigner(meta, signer=signer).sign_pdf, writer).getvalue()


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Check the document's last signature against the configured trust roots.

    The trust roots are QP_SIGNING_CA_CERTS, or the signing certificate itself when no CA is
    configured. Validation is at the current time and offline (no revocation fetching). Any
    unreadable input gives a failed result, never an exception; SigningNotConfigured when the
    trust roots cannot be read.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    material = load_signing_material()
    try:
        signatures = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a verifier of arbitrary bytes answers "not intact", never crashes
        return VerificationResult.failed(f"Not a readable PDF document: {exc}")
    if not signatures:
        return VerificationResult.failed("The document has no signature.")
    context = ValidationContext(trust_roots=[_asn1(c) for c in material.trust_roots],
                                allow_fetching=False)
    try:
        status = _outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception as exc:  # noqa: BLE001 - whatever pyHanko raises, the signature is not valid (logged)
        logger.warning("PDF signature could not be validated: %s", exc)
        return VerificationResult.failed(f"The signature could not be validated: {exc}")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer = x509.load_der_x509_certificate(status.signing_cert.dump())
    problem = ""
    if not status.intact:
        problem = "The document was changed after it was signed."
    elif not status.valid:
        problem = "The signature value is not valid."
    elif not status.bottom_line:
        problem = "The signer is not trusted: {}.".format(
            status.trust_problem_indic.name if status.trust_problem_indic else "unknown")
    elif not whole:
        problem = "Something was appended to the document after it was signed."
    return VerificationResult(
        intact=status.intact,
        valid=status.intact and status.valid and status.bottom_line,
        signer_subject=signer.subject.rfc4514_string(),
        signed_at=status.signer_reported_dt and status.signer_reported_dt.astimezone(dt.UTC),
        covers_whole_document=whole,
        problem=problem,
    )
