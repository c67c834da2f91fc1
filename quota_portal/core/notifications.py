"""Notices: an outbox row per (event, recipient, channel), written in the caller's transaction.

Delivery happens in Celery (`core.deliver_outbox`, which runs `delivery.deliver_pending`),
enqueued on commit; the unique key makes a notice go out once even if the event is recorded
twice or the task runs twice.
"""
from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from .models import Outbox, User
from .tasks import deliver_outbox

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send `task` once the transaction commits (never, if it rolls back).

    If the broker cannot be reached, the change stands: what the task works on is in the database
    (an outbox row), and the beat's periodic run of the task picks it up once Redis is back.
    """

    def send():
        try:
            task.delay(*args)
        except OperationalError:  # the broker is down: the committed rows wait for the periodic run
            log.warning("could not enqueue %s; the periodic run will pick it up", task.name, exc_info=True)

    transaction.on_commit(send)


def notify(*, event_key: str, recipients, subject, body, url: str = "",
           attachment_renderer: str = "", attachment_object_id: int | None = None,
           channels=(Outbox.Channel.EMAIL, Outbox.Channel.INBOX)) -> int:
    """Record a notice for each recipient and channel once; return how many rows were new.

    `subject` and `body` may be lazy translations or callables taking the recipient's language;
    they are rendered in each recipient's language.
    """
    created = 0
    for user in recipients:
        with translation.override(user.language or "ru"):
            subj = str(subject(user) if callable(subject) else subject)
            text = str(body(user) if callable(body) else body)
        for channel in channels:
            try:
                with transaction.atomic():
                    Outbox.objects.create(
                        event_key=event_key, recipient=user, channel=channel, subject=subj[:300],
                        body=text, url=url, attachment_renderer=attachment_renderer,
                        attachment_object_id=attachment_object_id,
                        status=Outbox.Status.SENT if channel == Outbox.Channel.INBOX else Outbox.Status.PENDING,
                        sent_at=timezone.now() if channel == Outbox.Channel.INBOX else None,
                    )
                    created += 1
            except IntegrityError:
                continue  # already recorded: a notice goes out once per event and recipient
    if created:
        enqueue_on_commit(deliver_outbox)
    return created


def unread_count(user: User) -> int:
    return Outbox.objects.filter(recipient=user, channel=Outbox.Channel.INBOX, read_at__isnull=True).count()
