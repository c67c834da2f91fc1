"""Thin Celery tasks: reload, call one service, own the retries.

Messages carry JSON only (settings: CELERY_ACCEPT_CONTENT); each task is acknowledged after it has
finished (acks_late) and given back if its worker dies, so each may run more than once: each is
idempotent (the outbox claims rows, the sweeps claim theirs).
"""
from celery import shared_task
from django.utils import timezone

from .scoping import system_scope

# Delivery failing as a whole (database or SMTP unreachable): try again after 2, 4, 8... seconds,
# at most 10 minutes apart, with jitter so that workers do not retry in step.
DELIVERY_RETRY = {"autoretry_for": (Exception,), "retry_backoff": 2, "retry_backoff_max": 600,
                  "retry_jitter": True, "max_retries": 8}


@shared_task(name="core.deliver_outbox", **DELIVERY_RETRY)
def deliver_outbox() -> int:
    from .delivery import deliver_pending

    with system_scope():
        return deliver_pending()


@shared_task(name="core.beat_heartbeat")
def beat_heartbeat() -> None:
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})


@shared_task(name="core.deadline_sweep")
def deadline_sweep() -> dict:
    """Idempotent sweep of every app's deadline work (reminders, status moves, due notices)."""
    from .deadlines import run_sweeps

    with system_scope():
        return run_sweeps()


@shared_task(name="core.probe_health")
def probe_health() -> str:
    """Record the portal's health; a failure longer than QP_OUTAGE_MINUTES becomes an Outage."""
    from .health import probe

    with system_scope():
        return probe()
