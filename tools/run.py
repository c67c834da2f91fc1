"""`make run`: prepare the database and serve the portal with a Celery worker and beat.

One command, one Ctrl-C: starts the embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are
unset (their URLs are exported to every child), migrates, loads the demo data (idempotent),
collects static files, then supervises runserver, the worker and beat. When any of them exits,
or on Ctrl-C/SIGTERM, all are stopped.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
ADDRESS = os.environ.get("QP_ADDRESS", "127.0.0.1:8000")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.local")
    os.environ.setdefault("DEBUG", "true")
    from quota_portal.devservers import ensure_services, var_dir

    ensure_services()
    for step in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        print(f"==> manage.py {' '.join(step)}", flush=True)
        subprocess.run([PY, "manage.py", *step], cwd=ROOT, check=True)

    beat_schedule = var_dir() / "celerybeat-schedule"
    commands = {
        "web": [PY, "manage.py", "runserver", ADDRESS],
        "worker": [PY, "-m", "celery", "-A", "quota_portal", "worker", "-l", "info", "--concurrency", "2"],
        "beat": [PY, "-m", "celery", "-A", "quota_portal", "beat", "-l", "info", "-s", str(beat_schedule)],
    }
    children = {name: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True) for name, cmd in commands.items()}
    print(f"==> Quota Portal at http://{ADDRESS}/ (worker and beat running). Ctrl-C stops all.", flush=True)

    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"==> {name} exited with {proc.returncode}; stopping the others", flush=True)
                    exit_code = proc.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for proc in children.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        print("==> stopped", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
