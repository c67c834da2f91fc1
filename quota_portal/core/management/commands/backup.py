"""`manage.py backup [DIR]`: the database (pg_dump, custom format), MEDIA_ROOT and a manifest to
check them by (README, "Backup and restore")."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quota_portal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database (pg_dump custom format), the media files (tar.gz) and a manifest of row "
            "counts and hashes into a new directory (default: var/backups/<UTC time>).")

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="A new or empty directory to write the backup into.")

    def handle(self, *args, directory=None, **options):
        if directory:
            target = Path(directory)
        else:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")  # ISO, for operators
            target = Path(settings.VAR_DIR) / "backups" / stamp
        try:
            manifest = backup_create(target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written to {target}: {len(manifest['counts'])} tables, "
            f"{sum(manifest['counts'].values())} rows, "
            f"{sum(len(rows) for rows in manifest['versions'].values())} submitted versions hashed, "
            f"{len(manifest['media'])} media files.\n"
            f"Check it with: python manage.py verify_backup {target}")
