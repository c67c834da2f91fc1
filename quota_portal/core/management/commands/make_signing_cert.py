"""A local test CA and signing certificate for PDF signatures (run by `make run`).

`python manage.py make_signing_cert [--force] [--dir var/signing]` writes ca.pem, cert.pem and
key.pem (mode 0600) unless all three are there already: idempotent. `--force` makes new ones
(documents signed before then no longer verify against the new CA). For development and tests
only: production signs with a key issued by a real CA (README, Configuration).
"""
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.management.base import BaseCommand

from quota_portal.core.signing_certs import generate_signing_cert


class Command(BaseCommand):
    help = "Create a local test CA and PDF signing certificate (idempotent; --force replaces them)."
    # The signing check would warn that the files it is about to create are missing.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None,
                            help="where to write ca.pem, cert.pem, key.pem (default: var/signing)")
        parser.add_argument("--force", action="store_true", help="replace existing files")

    def handle(self, *args, dir=None, force=False, **options):
        directory = dir or Path(settings.VAR_DIR) / "signing"
        files, created = generate_signing_cert(directory, force=force)
        cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
        what = "Created" if created else "Kept the existing"
        self.stdout.write(
            f"{what} test signing certificate {cert.subject.rfc4514_string()} "
            f"(valid until {cert.not_valid_after_utc:%Y-%m-%d}): {files.cert}, key {files.key}, "
            f"CA {files.ca}")
