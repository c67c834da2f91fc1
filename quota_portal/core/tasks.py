"""Thin Celery tasks: reload, call one service, own the retries."""
from celery import shared_task
from django.utils import timezone

from .scoping import system_scope


@shared_task(name="core.deliver_outbox", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
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
