import json

import time_machine
from django.utils import timezone

from quota_portal.core.models import Heartbeat
from quota_portal.core.tasks import beat_heartbeat
from tests.conftest import almaty


def test_healthz_is_ok_when_database_redis_and_beat_are_alive(client, db):
    beat_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "redis": "ok", "beat": "ok"}


def test_healthz_reports_an_unreachable_redis_with_503(client, db, settings):
    beat_heartbeat()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"] == "ok" and body["beat"] == "ok"
    assert body["redis"].startswith("error:")
    assert "127.0.0.1" not in response.content.decode()  # a public page: no address of the servers


def test_healthz_reports_a_stale_or_missing_beat(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["beat"] == "error: no heartbeat yet"
    with time_machine.travel(almaty(2026, 11, 25, 10, 0, 0), tick=False):
        beat_heartbeat()
    with time_machine.travel(almaty(2026, 11, 25, 10, 5, 0), tick=False):
        assert Heartbeat.objects.get(name="beat").at < timezone.now()
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["beat"].startswith("error: last heartbeat at")


def test_healthz_reports_an_unreachable_database_with_503_instead_of_failing():
    """A separate process whose DATABASE_URL points at a closed port: the real connection fails."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django, json; django.setup(); from django.test import Client; "
            "r = Client().get('/healthz', HTTP_HOST='127.0.0.1'); print(r.status_code); print(r.content.decode())")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.test",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DJANGO_ALLOW_ASYNC_UNSAFE": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                            cwd=Path(__file__).resolve().parent.parent.parent)
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "503", result.stderr
    body = json.loads(body)
    assert body["database"].startswith("error:") and body["beat"].startswith("error:")
    assert body["redis"] == "ok"
    # A public page: the error's kind, never the servers' addresses, names or users (they go to the log).
    assert "127.0.0.1" not in json.dumps(body) and "nobody" not in json.dumps(body)
    assert "healthz: database failed: connection failed" in result.stderr  # logged for the operator


def test_the_site_icon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/favicon.svg")
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()
