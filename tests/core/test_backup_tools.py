"""Which pg_dump / pg_restore the backup commands run: the server's major version, never an older
one (it cannot read a newer server); `make run`'s embedded server is a different major than
Debian's clients."""
import sys

import pytest

from quota_portal.core.backup import BackupError, pg_tool, server_major


def fake_client(folder, name: str, major: int):
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {major}.1 (Fake)'\n")
    script.chmod(0o755)
    return script


def test_the_client_of_the_servers_major_version_is_chosen_over_a_newer_one(db, tmp_path, monkeypatch):
    major = server_major()
    newer = fake_client(tmp_path / "newer", "pg_dump", major + 1)
    same = fake_client(tmp_path / "same", "pg_dump", major)
    monkeypatch.setenv("QP_PG_BIN", str(newer.parent))
    monkeypatch.setenv("PATH", str(same.parent))
    monkeypatch.setitem(sys.modules, "pgserver", None)
    assert pg_tool("pg_dump") == str(same)


def test_only_an_older_client_is_refused_naming_both_versions(db, tmp_path, monkeypatch):
    major = server_major()
    older = fake_client(tmp_path / "old", "pg_restore", major - 1)
    monkeypatch.delenv("QP_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(older.parent))
    monkeypatch.setitem(sys.modules, "pgserver", None)
    with pytest.raises(BackupError, match=rf"No pg_restore for PostgreSQL {major} .*\(PostgreSQL {major - 1}\)"):
        pg_tool("pg_restore")
