"""Backup and restore check (README, "Backup and restore").

A backup is a directory holding
    db.dump        pg_dump custom format of the whole database
    media.tar.gz   MEDIA_ROOT (attachments, generated annexes, signed PDFs)
    manifest.json  what both must contain: row counts per table, the stored hash and a hash of the
                   whole row of every submitted version (every table with a *sha256 column), the
                   sha256 of every media file, and of the two files themselves.

`verify_backup` restores the dump into a scratch database, recomputes the same figures there and
compares them with the manifest and with the live database. Both are ops tools: their messages are
in English and every refusal says why.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "db.dump"
MEDIA = "media.tar.gz"
FORMAT = 1


class BackupError(Exception):
    """A backup or a check that cannot go on; the message says why, in English."""


# --- PostgreSQL client tools ----------------------------------------------------------------------

def _major(version_text: str) -> int:
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text)
    if not match:
        raise BackupError(f"Cannot read a PostgreSQL version from {version_text!r}.")
    return int(match.group(1))


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidate_dirs() -> list[Path | None]:
    dirs: list[Path | None] = []
    if os.environ.get("QP_PG_BIN"):
        dirs.append(Path(os.environ["QP_PG_BIN"]))
    dirs.append(None)  # PATH
    try:  # the embedded server of `make run` ships its own clients, of its own major version
        import pgserver

        dirs.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    return dirs


def pg_tool(name: str) -> str:
    """The pg_dump / pg_restore of the server's major version (QP_PG_BIN, PATH, then pgserver's),
    else a newer one; an older client cannot read a newer server, so that is refused."""
    major = server_major()
    found = []
    for directory in _candidate_dirs():
        path = shutil.which(name) if directory is None else str(directory / name)
        if not path or not os.access(path, os.X_OK):
            continue
        output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
        found.append((_major(output), path))
    for client_major, path in found:
        if client_major == major:
            return path
    newer = [(m, p) for m, p in found if m > major]
    if newer:
        return min(newer)[1]
    described = ", ".join(f"{p} (PostgreSQL {m})" for m, p in found) or "none found"
    raise BackupError(f"No {name} for PostgreSQL {major} (the server's version): {described}. Install the "
                      f"PostgreSQL {major} client tools or set QP_PG_BIN to their bin directory.")


def _conninfo(dbname: str | None = None) -> dict:
    db = settings.DATABASES["default"]
    return {"host": db.get("HOST") or "", "port": str(db.get("PORT") or ""), "user": db.get("USER") or "",
            "password": db.get("PASSWORD") or "", "dbname": dbname or db["NAME"]}


def _env(info: dict) -> dict:
    env = dict(os.environ)
    env.update({"PGHOST": info["host"], "PGPORT": info["port"], "PGUSER": info["user"], "PGDATABASE": info["dbname"]})
    if info["password"]:
        env["PGPASSWORD"] = info["password"]
    return {k: v for k, v in env.items() if v != ""}


def _run(args: list[str], info: dict) -> None:
    result = subprocess.run(args, env=_env(info), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _connect(info: dict) -> psycopg.Connection:
    kwargs = {k: v for k, v in info.items() if v}
    return psycopg.connect(autocommit=True, **kwargs)


# --- The figures a backup is checked by -----------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def database_figures(conn) -> dict:
    """Row counts of every table of the public schema, and for every table with a column whose
    name ends in sha256 (submitted application versions, regional submission versions, published
    distributions): per row, the stored hash and a sha256 of the whole row as PostgreSQL renders it."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                       "AND column_name LIKE '%sha256' ORDER BY table_name, column_name")
        hash_columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            # pghistory's event tables copy the hash column; the tracked rows are what was submitted.
            if not table.endswith("event"):
                hash_columns.setdefault(table, []).append(column)
        versions = {}
        for table, columns in hash_columns.items():
            stored = ", ".join(f'"{c}"' for c in columns)
            cursor.execute(f'SELECT id, {stored}, row_to_json(t)::text FROM "{table}" t ORDER BY id')
            versions[table] = {
                str(row[0]): {"stored": dict(zip(columns, row[1:-1], strict=True)),
                              "row": hashlib.sha256(row[-1].encode()).hexdigest()}
                for row in cursor.fetchall()}
    return {"counts": counts, "versions": versions}


def media_figures(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): sha256_file(path)
            for path in sorted(root.rglob("*")) if path.is_file()}


# --- Making a backup ---------------------------------------------------------------------------------

def backup_create(*, target: Path) -> dict:
    """Write db.dump, media.tar.gz and manifest.json into `target` (created; must be empty)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new directory for each backup.")
    target.mkdir(parents=True, exist_ok=True)
    info = _conninfo()
    pg_dump = pg_tool("pg_dump")
    dump = target / DUMP
    # The figures and the dump come from one snapshot: pg_dump runs in its own REPEATABLE READ
    # transaction, so the figures are read in one too, and a change between them shows as a difference.
    with _connect(info) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run([pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}", info["dbname"]],
             info)
        figures = database_figures(conn)
        conn.execute("COMMIT")
    media_root = Path(settings.MEDIA_ROOT)
    media = media_figures(media_root)
    with tarfile.open(target / MEDIA, "w:gz") as tar:
        for name in media:
            tar.add(media_root / name, arcname=name)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": info["dbname"],
        "server_major": server_major(),
        "pg_dump": pg_dump,
        "files": {DUMP: sha256_file(dump), MEDIA: sha256_file(target / MEDIA)},
        "counts": figures["counts"],
        "versions": figures["versions"],
        "media": media,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# --- Checking a backup --------------------------------------------------------------------------------

@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def _compare_figures(report: Report, expected: dict, actual: dict, *, what: str, strict: bool) -> None:
    """Counts and version hashes of `actual` against `expected`. With strict=False (the live
    database, which has moved on since the backup) only a submitted version that changed fails."""
    add = report.failures.append if strict else report.notes.append
    for table in sorted(set(expected["counts"]) | set(actual["counts"])):
        want, got = expected["counts"].get(table), actual["counts"].get(table)
        if want != got:
            add(f"table {table}: {want if want is not None else 'absent'} rows in the backup's manifest, "
                f"{got if got is not None else 'absent'} in {what}")
    for table in sorted(set(expected["versions"]) | set(actual["versions"])):
        want_rows, got_rows = expected["versions"].get(table, {}), actual["versions"].get(table, {})
        for pk in sorted(set(want_rows) | set(got_rows), key=int):
            want, got = want_rows.get(pk), got_rows.get(pk)
            if want == got:
                continue
            if want is None:
                add(f"{table} #{pk}: in {what}, not in the backup's manifest")
            elif got is None:
                add(f"{table} #{pk}: in the backup's manifest, missing from {what}")
            elif want["stored"] != got["stored"]:
                report.failures.append(f"{table} #{pk}: stored hash {want['stored']} in the manifest, "
                                       f"{got['stored']} in {what}")
            else:
                report.failures.append(f"{table} #{pk}: the row's content differs between the manifest and {what} "
                                       f"(row sha256 {want['row'][:12]}... vs {got['row'][:12]}...)")


def backup_verify(*, source: Path, keep: bool = False, log=print) -> Report:
    """Restore `source` into a scratch database (qp_verify_<random>, dropped afterwards unless
    keep), and compare it with the manifest and with the live database."""
    report = Report()
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{manifest_path} does not exist: not a backup directory made by `manage.py backup`.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise BackupError(f"{manifest_path} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path}: unknown manifest format {manifest.get('format')!r} (expected {FORMAT}).")
    for name in (DUMP, MEDIA):
        path = source / name
        if not path.exists():
            report.failures.append(f"{name}: missing from {source}")
        elif sha256_file(path) != manifest["files"].get(name):
            report.failures.append(f"{name}: its sha256 differs from the manifest's (the file was changed or "
                                   f"truncated after the backup)")
    if not (source / DUMP).exists():
        return report

    info = _conninfo()
    scratch = f"qp_verify_{secrets.token_hex(4)}"
    with _connect(info) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    log(f"Restoring {source / DUMP} into the scratch database {scratch}...")
    try:
        _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(source / DUMP)],
             {**info, "dbname": scratch})
        with _connect({**info, "dbname": scratch}) as conn:
            restored = database_figures(conn)
    except BackupError as exc:
        report.failures.append(f"restore into {scratch} failed: {exc}")
        restored = None
    finally:
        if keep:
            log(f"Kept the scratch database {scratch} (--keep); drop it with: dropdb {scratch}")
        else:
            with _connect(info) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    if restored is not None:
        _compare_figures(report, manifest, restored, what="the restored database", strict=True)
        report.checked["tables"] = len(restored["counts"])
        report.checked["rows"] = sum(restored["counts"].values())
        report.checked["versions"] = sum(len(rows) for rows in restored["versions"].values())
        with _connect(info) as conn:
            live = database_figures(conn)
        _compare_figures(report, manifest, live, what="the live database", strict=False)

    media_root = Path(settings.MEDIA_ROOT)
    if (source / MEDIA).exists():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with tarfile.open(source / MEDIA, "r:gz") as tar:
                    tar.extractall(tmp, filter="data")
            except (tarfile.TarError, OSError, EOFError) as exc:
                report.failures.append(f"{MEDIA}: cannot be read ({exc})")
            else:
                restored_media = media_figures(Path(tmp))
                for name in sorted(set(manifest["media"]) | set(restored_media)):
                    want, got = manifest["media"].get(name), restored_media.get(name)
                    if got is None:
                        report.failures.append(f"media file {name}: in the manifest, missing from {MEDIA}")
                    elif want is None:
                        report.failures.append(f"media file {name}: in {MEDIA}, not in the manifest")
                    elif want != got:
                        report.failures.append(f"media file {name}: its sha256 differs from the manifest's")
                report.checked["media files"] = len(restored_media)
        live_media = media_figures(media_root)
        for name, digest in sorted(manifest["media"].items()):
            if name not in live_media:
                report.notes.append(f"media file {name}: in the backup, no longer in the live MEDIA_ROOT")
            elif live_media[name] != digest:
                report.notes.append(f"media file {name}: the live copy has changed since the backup")
    return report
