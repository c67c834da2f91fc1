"""Start and stop the bench's gunicorn: production-like settings (quota_portal.settings.bench:
DEBUG off, Redis cache, WhiteNoise with the collected, compressed static files), on loopback.

    with gunicorn(port=8107, workers=3, threads=4) as base_url: ...

The worker layout is a parameter because the login figure compares layouts (bench/logins.py)."""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def bench_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "quota_portal.settings.bench",
        "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "QP_VAR_DIR": str(ROOT / "var" / "bench"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    })
    env.update(extra)
    return env


def collectstatic(env: dict) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)


@contextlib.contextmanager
def gunicorn(*, port: int, workers: int = 3, threads: int = 1, env_extra: dict | None = None):
    env = bench_env(**(env_extra or {}))
    static = ROOT / "var" / "bench" / "static" / "staticfiles.json"
    if not static.exists():
        collectstatic(env)
    cmd = [str(VENV_BIN / "gunicorn"), "quota_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--timeout", "120", "--log-level", "warning", "--backlog", "2048"]
    if threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {proc.returncode}") from None
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer in 120 s")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def static_path() -> str:
    """A real static file's URL as the pages link it (the hashed name WhiteNoise serves)."""
    import json

    manifest = json.loads((ROOT / "var" / "bench" / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/portal.css"] if "css/portal.css" in manifest["paths"] \
        else "/static/" + next(iter(manifest["paths"].values()))
