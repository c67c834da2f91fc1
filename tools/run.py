"""`make run` / `make dev`: prepare the database and serve the portal with a Celery worker and beat.

`make run` serves the portal as a user sees it (DEBUG off: the portal's own error pages, static
files from WhiteNoise); `make dev` is the same with DEBUG on (Django's technical error pages, with
credentials hidden). SITE_URL, the address every mailed link is built on, defaults to the address
served (QP_ADDRESS).

One command, one Ctrl-C: starts the embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are
unset (their URLs are exported to every child), creates the local test key for PDF signatures
under var/signing/ when it is missing, migrates, loads the demo data (idempotent),
collects static files, then supervises runserver, the worker and beat. When any of them exits,
or on Ctrl-C/SIGTERM (also during the preparation steps), all are stopped, and so are the
embedded servers that this run started. Embedded servers that were already running (another
`make run`, a test run, `python -m quota_portal.devservers start`) are left running: something
else may be using them. `make stop-services` stops those.
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


def prepare_environment(environ, address: str) -> None:
    """The settings `make run` passes to every child: DEBUG off unless asked for, mail links on the
    address served (unless SITE_URL is set), and that address's host allowed."""
    environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.local")
    environ.setdefault("DEBUG", "false")
    environ.setdefault("SITE_URL", f"http://{address}")
    host = address.rsplit(":", 1)[0].strip("[]")
    if "ALLOWED_HOSTS" not in environ and host not in ("127.0.0.1", "localhost"):
        environ["ALLOWED_HOSTS"] = f"127.0.0.1,localhost,{host}"


def main() -> int:
    prepare_environment(os.environ, ADDRESS)
    from quota_portal import devservers

    # Which embedded servers will this run start (and so stop at the end)?
    start_postgres = not os.environ.get("DATABASE_URL") and not devservers.postgres_running()
    start_redis = not os.environ.get("REDIS_URL") and not devservers.redis_running()
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True
        if not children:  # still preparing: interrupt the current step
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        devservers.ensure_services()
        steps = (
            ["make_signing_cert"],  # the local test key that signs PDFs; kept when it exists
            ["migrate", "--noinput"],
            ["seed_demo"],
            ["collectstatic", "--noinput", "-v0"],
        )
        for step in steps:
            print(f"==> manage.py {' '.join(step)}", flush=True)
            # seed_demo (known passwords) runs only where DEBUG may be on: this demo machine.
            env = {**os.environ, "DEBUG": "true"} if step[0] == "seed_demo" else None
            subprocess.run([PY, "manage.py", *step], cwd=ROOT, check=True, start_new_session=True, env=env)

        beat_schedule = devservers.var_dir() / "celerybeat-schedule"
        commands = {
            "web": [PY, "manage.py", "runserver", ADDRESS],
            "worker": [PY, "-m", "celery", "-A", "quota_portal", "worker", "-l", "info", "--concurrency", "2"],
            "beat": [PY, "-m", "celery", "-A", "quota_portal", "beat", "-l", "info", "-s", str(beat_schedule)],
        }
        for name, cmd in commands.items():
            children[name] = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
        mode = "DEBUG on" if os.environ["DEBUG"].lower() in ("1", "true", "yes", "on") else "DEBUG off"
        print(f"==> Quota Portal at http://{ADDRESS}/ ({mode}; worker and beat running; mail links on "
              f"{os.environ['SITE_URL']}). Ctrl-C stops all.", flush=True)
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"==> {name} exited with {proc.returncode}; stopping the others", flush=True)
                    exit_code = proc.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    except KeyboardInterrupt:
        exit_code = 130
    except subprocess.CalledProcessError as exc:
        exit_code = exc.returncode or 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        _stop_children(children)
        if start_redis and devservers.stop_redis():
            print("==> embedded Redis stopped", flush=True)
        if start_postgres and devservers.stop_postgres():
            print("==> embedded PostgreSQL stopped", flush=True)
        print("==> stopped", flush=True)
    return exit_code


def _stop_children(children: dict[str, subprocess.Popen]) -> None:
    for proc in children.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in children.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
