"""`manage.py verify_backup DIR`: restore a backup into a scratch database and compare it with its
manifest and with the live database; exit 1 on any difference that means the backup is not sound."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quota_portal.core.backup import BackupError, backup_verify


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into a scratch database (qp_verify_<random>, dropped "
            "afterwards), compare row counts, submitted versions' hashes and media files with the manifest and "
            "with the live database. Exits 1 when the backup does not match.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup directory (with manifest.json, db.dump, media.tar.gz).")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database for inspection.")

    def handle(self, *args, directory, keep=False, **options):
        source = Path(directory)
        if not source.is_dir():
            raise CommandError(f"{source} is not a directory.")
        try:
            report = backup_verify(source=source, keep=keep, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        checked = ", ".join(f"{count} {what}" for what, count in report.checked.items())
        if report.notes:
            self.stdout.write("Changed in the live database since the backup (expected as the portal runs):")
            for note in report.notes:
                self.stdout.write(f"  - {note}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: the backup restores and matches its manifest ({checked})."))
            return
        for failure in report.failures:
            self.stderr.write(f"  - {failure}")
        raise CommandError(f"FAILED: {len(report.failures)} difference(s) in {source} (listed above).")
