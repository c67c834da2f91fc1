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
