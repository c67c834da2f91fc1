"""A local test CA and signing certificate for PDF signatures (`make_signing_cert`).

Only for development and tests: production uses a key and certificate issued by a real CA,
configured with QP_SIGNING_KEY / QP_SIGNING_CERT (see README). Imports nothing from Django, so
that the settings modules can call it before apps are loaded.

The CA's private key is never written: it signs the one leaf certificate and is discarded, so
the test CA can vouch for nothing else. `--force` makes a new CA and a new leaf.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_FILE = "key.pem"
CERT_FILE = "cert.pem"
CA_FILE = "ca.pem"
SIGNER_SUBJECT = "CN=Quota Portal (local test),O=Quota Portal,C=KZ"
VALIDITY = dt.timedelta(days=730)
# A local test certificate starts well before today: `seed_demo` tells its story on past dates
# (the 2026 quota published in December 2025) and signs its documents at those moments.
BACKDATE = dt.timedelta(days=3 * 365)
# RSA rather than EC: every PDF reader verifies RSA, and so does NCA RK's RSA profile that a
# production certificate is likely to use. 3072 bits is the NIST level for use past 2030.
KEY_BITS = 3072


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    ca: Path

    @classmethod
    def in_dir(cls, directory: Path | str) -> SigningFiles:
        directory = Path(directory)
        return cls(key=directory / KEY_FILE, cert=directory / CERT_FILE, ca=directory / CA_FILE)

    def exist(self) -> bool:
        return self.key.is_file() and self.cert.is_file() and self.ca.is_file()


def _name(common_name: str) -> x509.Name:
    # DER order C, O, CN: printed as RFC 4514 it reads "CN=...,O=...,C=KZ".
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Quota Portal"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        # content_commitment is X.509's nonRepudiation, which PDF validators expect of a signer.
        digital_signature=signing, content_commitment=signing,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=not signing, crl_sign=not signing, encipher_only=False, decipher_only=False,
    )


def generate_signing_cert(
    directory: Path | str,
    *,
    force: bool = False,
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
) -> tuple[SigningFiles, bool]:
    """Write ca.pem, cert.pem and key.pem (0600) into `directory` unless all three exist.

    Returns the paths and whether new files were written. Validity: from three years ago (the
    demo's past dates, and clock skew) for two years ahead, unless `valid_from`/`valid_until` say
    otherwise (the test settings widen it, because tests freeze the clock on any date).
    """
    files = SigningFiles.in_dir(directory)
    if files.exist() and not force:
        return files, False
    now = dt.datetime.now(dt.UTC)
    not_before = valid_from or now - BACKDATE
    not_after = valid_until or now + VALIDITY

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    ca_name = _name("Quota Portal local test CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Quota Portal (local test)")).issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # The key first and the CA last: `exist()` is true only once all three are complete.
    _write_atomically(files.key, key_pem, mode=0o600)
    _write_atomically(files.cert, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write_atomically(files.ca, ca_cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return files, True


def _write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
