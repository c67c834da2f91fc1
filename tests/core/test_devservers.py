"""The embedded servers used by `make run`/`make test` when DATABASE_URL / REDIS_URL are unset."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quota_portal.devservers import celery_broker_url

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_celery_broker_url_spells_a_unix_socket_the_kombu_way():
    assert celery_broker_url("unix:///srv/qp/var/redis.sock?db=0") == "redis+socket:///srv/qp/var/redis.sock"
    assert celery_broker_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


@pytest.mark.skipif(os.environ.get("QP_SKIP_EMBEDDED") == "1", reason="embedded servers disabled")
def test_embedded_postgresql_and_redis_start_once_and_are_reused(tmp_path):
    var = Path("/tmp") / f"qp-embedded-{os.getpid()}"  # short: Unix socket paths are limited
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env["QP_VAR_DIR"] = str(var)
    probe = (
        "import os, psycopg, redis, dj_database_url;"
        "from quota_portal.devservers import ensure_services; ensure_services();"
        "db = dj_database_url.parse(os.environ['DATABASE_URL']);"
        "c = psycopg.connect(host=db['HOST'], user=db['USER'], dbname=db['NAME']);"
        "print(c.execute('select current_database()').fetchone()[0]);"
        "print(redis.Redis.from_url(os.environ['REDIS_URL']).ping());"
        "print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"
    )
    try:
        procs = [subprocess.Popen([sys.executable, "-c", probe], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outputs = [p.communicate(timeout=120) for p in procs]
        for (out, err), p in zip(outputs, procs, strict=True):
            assert p.returncode == 0, err
            lines = out.split("\n")
            assert lines[0] == "quota_portal" and lines[1] == "True"
        assert len({out for out, _err in outputs}) == 1  # all three share one server of each kind
        redis_servers = subprocess.run(["pgrep", "-fc", f"unixsocket:{var}/redis.sock"],
                                       capture_output=True, text=True).stdout.strip()
        assert redis_servers == "1"
    finally:
        subprocess.run([sys.executable, "-m", "quota_portal.devservers", "stop"], cwd=ROOT, env=env,
                       capture_output=True)
        subprocess.run(["rm", "-rf", str(var)])
