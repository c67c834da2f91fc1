"""Import the occupation classifier (ISCO-08 based, 4-digit unit groups) from .csv or .xlsx.

    python manage.py import_occupations classifier.xlsx

Columns: code, name_en, name_ru, name_kk. All or nothing: a file with any bad row changes nothing
and every bad row is reported with its row number.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quota_portal.core.models import Occupation
from quota_portal.core.reference import OCCUPATIONS_FILE, ImportRejected, read_occupation_rows, save_occupations
from quota_portal.core.scoping import system_scope


class Command(BaseCommand):
    help = "Import the occupation classifier from a .csv or .xlsx file (code,name_en,name_ru,name_kk)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(OCCUPATIONS_FILE),
                            help="the file; defaults to the classifier shipped with the portal")

    def handle(self, *args, path, **options):
        path = Path(path)
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_occupation_rows(path)
        except ImportRejected as exc:
            raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.errors)) from None
        with system_scope(), transaction.atomic():
            created, updated = save_occupations(Occupation, rows)
        self.stdout.write(self.style.SUCCESS(
            f"{path.name}: {len(rows)} occupations ({created} new, {updated} updated)."))
