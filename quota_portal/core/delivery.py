"""Delivery of the outbox's email rows (the `core.deliver_outbox` task runs `deliver_pending`)."""
from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from .downloads import safe_filename
from .links import absolute_url
from .models import Outbox

log = logging.getLogger(__name__)


def claim_timeout() -> dt.timedelta:
    """How long a claimed row may stay SENDING before another worker takes it over."""
    return dt.timedelta(seconds=settings.QP_OUTBOX_CLAIM_SECONDS)


def deliver_pending(limit: int = 200) -> int:
    """Send pending email rows. Each row is claimed with a conditional update so that two
    workers never send the same row; one failure does not stop the rest."""
    sent = 0
    # A worker that died between claiming and finishing leaves rows in SENDING: retry them later.
    Outbox.objects.filter(channel=Outbox.Channel.EMAIL, status=Outbox.Status.SENDING,
                          claimed_at__lt=timezone.now() - claim_timeout()).update(status=Outbox.Status.PENDING)
    ids = list(Outbox.objects.filter(channel=Outbox.Channel.EMAIL, status=Outbox.Status.PENDING)
               .order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        claimed = Outbox.objects.filter(pk=pk, status=Outbox.Status.PENDING).update(
            status=Outbox.Status.SENDING, claimed_at=timezone.now())
        if not claimed:
            continue
        row = Outbox.objects.select_related("recipient").get(pk=pk)
        try:
            _send_email(row)
        except Exception as exc:  # noqa: BLE001 - any delivery failure is recorded and retried
            log.exception("outbox %s failed", pk)
            Outbox.objects.filter(pk=pk).update(
                status=Outbox.Status.PENDING if row.attempts < 4 else Outbox.Status.FAILED,
                attempts=row.attempts + 1, last_error=str(exc)[:2000])
            continue
        Outbox.objects.filter(pk=pk).update(status=Outbox.Status.SENT, sent_at=timezone.now(),
                                            attempts=row.attempts + 1)
        sent += 1
    return sent


def _send_email(row: Outbox) -> None:
    body = row.body
    if row.url:
        body = f"{body}\n\n{absolute_url(row.url)}"
    # One Message-ID per outbox row: if a worker dies between handing the mail over and recording
    # it as sent, the mail sent again carries the same id, which mail systems use to drop repeats.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "quota.gov.kz"
    message = EmailMessage(subject=row.subject, body=body, to=[row.recipient.email],
                           headers={"Message-ID": f"<outbox-{row.pk}@{domain}>"})
    if row.attachment_renderer:
        module_name, func_name = row.attachment_renderer.rsplit(".", 1)
        render = getattr(import_module(module_name), func_name)
        with translation.override(row.recipient.language or "ru"):
            filename, content, mimetype = render(row.attachment_object_id)
        message.attach(safe_filename(filename), content, mimetype)
    message.send()
