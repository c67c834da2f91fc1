"""Backup and restore (issue 13): `manage.py backup` then `manage.py verify_backup` on the real
PostgreSQL, with a submitted application (its version's sha256) and a media file; and each kind of
damage - a row count, a stored hash, the dump file, a media file, a submitted version changed in the
live database - fails with a message naming what differs.

Here rather than under tests/core because it needs a submitted application (this app's fixtures).
The tests commit (pg_dump reads from its own connection), so they run transactionally.
"""
from __future__ import annotations

import json
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from applications.models import Version
from quota_portal.core.backup import sha256_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def backup(submitted, tmp_path):
    default_storage.save("attachments/1/contract.pdf", ContentFile(b"%PDF-1.4 a contract"))
    target = tmp_path / "backup"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    assert "Backup written to" in out.getvalue()
    return target


def verify(target: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_backup", str(target), stdout=out, stderr=err)
    except CommandError as exc:
        return "failed", err.getvalue() + str(exc)
    return "ok", out.getvalue()


def scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'qp_verify_%%'")
        return [row[0] for row in cursor.fetchall()]


def edit_manifest(target: Path, change) -> None:
    path = target / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_a_backup_holds_the_dump_the_media_and_a_manifest_of_counts_and_hashes(backup, submitted):
    manifest = json.loads((backup / "manifest.json").read_text())
    version = Version.objects.get(application=submitted)
    assert manifest["versions"]["applications_version"][str(version.pk)]["stored"] == {"sha256": version.sha256}
    assert manifest["counts"]["applications_application"] == 1
    assert manifest["media"] == {"attachments/1/contract.pdf": sha256_file(
        Path(default_storage.path("attachments/1/contract.pdf")))}
    assert manifest["files"]["db.dump"] == sha256_file(backup / "db.dump")
    with tarfile.open(backup / "media.tar.gz") as tar:
        assert tar.getnames() == ["attachments/1/contract.pdf"]


def test_a_fresh_backup_restores_into_a_scratch_database_and_matches(backup):
    before = scratch_databases()
    result, output = verify(backup)
    assert result == "ok", output
    assert "OK: the backup restores and matches its manifest" in output
    assert "1 media files" in output and "versions" in output
    assert scratch_databases() == before, "the scratch database was not dropped"


def test_a_changed_row_count_in_the_manifest_fails_naming_the_table(backup):
    edit_manifest(backup, lambda m: m["counts"].update(applications_application=2))
    result, output = verify(backup)
    assert result == "failed"
    assert "table applications_application: 2 rows in the backup's manifest, 1 in the restored database" in output


def test_a_changed_hash_of_a_submitted_version_fails_naming_the_version(backup, submitted):
    pk = str(Version.objects.get(application=submitted).pk)
    edit_manifest(backup, lambda m: m["versions"]["applications_version"][pk]["stored"].update(sha256="0" * 64))
    result, output = verify(backup)
    assert result == "failed"
    assert f"applications_version #{pk}: stored hash" in output and "in the restored database" in output


def test_a_damaged_dump_fails(backup):
    with open(backup / "db.dump", "r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    result, output = verify(backup)
    assert result == "failed"
    assert "db.dump: its sha256 differs from the manifest's" in output


def test_a_media_file_missing_from_the_archive_fails_naming_the_file(backup):
    (backup / "media.tar.gz").unlink()
    with tarfile.open(backup / "media.tar.gz", "w:gz"):
        pass
    edit_manifest(backup, lambda m: m["files"].update({"media.tar.gz": sha256_file(backup / "media.tar.gz")}))
    result, output = verify(backup)
    assert result == "failed"
    assert "media file attachments/1/contract.pdf: in the manifest, missing from media.tar.gz" in output


def test_a_submitted_version_changed_in_the_live_database_fails(backup, submitted):
    version = Version.objects.get(application=submitted)
    Version.objects.filter(pk=version.pk).update(snapshot={"tampered": True})
    result, output = verify(backup)
    assert result == "failed"
    assert (f"applications_version #{version.pk}: the row's content differs between the manifest and the live "
            f"database") in output


def test_a_directory_without_a_manifest_is_refused_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match="manifest.json does not exist"):
        call_command("verify_backup", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("verify_backup", str(tmp_path / "nowhere"), stdout=StringIO())


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, db):
    (tmp_path / "old").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path), stdout=StringIO())
    shutil.rmtree(tmp_path)
