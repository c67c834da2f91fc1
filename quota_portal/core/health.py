"""The portal's health: what /healthz answers, and the beat's probe that records an outage when
the portal has been unhealthy for longer than QP_OUTAGE_MINUTES.

The probe keeps its state in the database (HealthState), so that it survives restarts and any
worker continues it. A failure the probe cannot write down (the database itself down, or beat
not running) shows afterwards as a gap: the first healthy probe after more than
QP_OUTAGE_MINUTES without one records the gap as an outage.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

STATE = "healthz"


def _error(part: str, exc: Exception) -> str:
    """The failure as the public page shows it: its kind only. The message (server addresses, the
    database's name and user) goes to the log, for the operator."""
    log.warning("healthz: %s failed: %s", part, exc)
    return f"error: {type(exc).__name__}"


def health_status() -> dict[str, str]:
    """{"database": "ok", "redis": "ok", "beat": "ok"}, or "error: <kind>" for a failing part."""
    from .models import Heartbeat

    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["database"] = _error("database", exc)
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = _error("redis", exc)
    try:
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is None:
            status["beat"] = "error: no heartbeat yet"
        elif (timezone.now() - beat.at).total_seconds() > settings.BEAT_HEARTBEAT_MAX_AGE:
            status["beat"] = f"error: last heartbeat at {beat.at.isoformat()}"
        else:
            status["beat"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["beat"] = _error("beat", exc)
    return status


def outage_threshold() -> dt.timedelta:
    return dt.timedelta(minutes=settings.QP_OUTAGE_MINUTES)


def probe(status: dict[str, str] | None = None, *, now: dt.datetime | None = None) -> str:
    """One probe: record what /healthz says, and open or close the automatic outage.

    Returns what it did: "ok", "failing", "outage_opened", "outage_closed", "gap_recorded".
    """
    from .models import HealthState, Outage

    now = now or timezone.now()
    status = health_status() if status is None else status
    healthy = all(value == "ok" for value in status.values())
    threshold = outage_threshold()
    with transaction.atomic():
        state, _created = HealthState.objects.select_for_update().get_or_create(name=STATE)
        result = "ok" if healthy else "failing"
        # No probe ran for longer than the threshold (database or beat down): the silence counts as
        # failing, from the last probe that did run.
        gap = state.checked_at is not None and now - state.checked_at > threshold
        if healthy:
            open_outage = Outage.objects.filter(source=Outage.Source.HEALTH_CHECK, ended_at__isnull=True).first()
            if open_outage is not None:
                Outage.objects.filter(pk=open_outage.pk).update(ended_at=now)
                result = "outage_closed"
            elif gap:
                Outage.objects.create(source=Outage.Source.HEALTH_CHECK, ended_at=now, note="no health probe ran",
                                      started_at=state.checked_at)
                result = "gap_recorded"
            state.last_ok_at = now
            state.failing_since = None
        else:
            if state.failing_since is None:
                state.failing_since = state.checked_at if gap else now
            failing_for = now - state.failing_since
            if failing_for > threshold:
                try:
                    with transaction.atomic():
                        Outage.objects.create(source=Outage.Source.HEALTH_CHECK, started_at=state.failing_since,
                                              note=", ".join(f"{k}: {v}" for k, v in status.items() if v != "ok"))
                    result = "outage_opened"
                except IntegrityError:
                    pass  # already open (one_open_automatic_outage)
        state.checked_at = now
        state.last_status = status
        state.save()
    return result
