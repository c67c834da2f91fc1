"""Audit trail: database triggers (django-pghistory) record every insert, update and delete of
tracked models, bulk `.update()` included; services add who acted and why as context."""
from __future__ import annotations

import contextlib

import pghistory
from django.db import models


@contextlib.contextmanager
def audited(actor, action: str, **extra):
    """Attach the acting user and the service name to every row change inside the block."""
    with pghistory.context(user=getattr(actor, "pk", None), action=action, **extra):
        yield


def history_for(obj: models.Model) -> list[dict]:
    """Readable history of one object: each event with who, when, the action and the diff."""
    from pghistory.models import Events

    return _readable(Events.objects.tracks(obj))


def history_for_model(event_model: str, limit: int = 100) -> list[dict]:
    """Readable history of every object of one model (deleted ones included), newest first.

    `event_model` is the pghistory event model, e.g. "core.CalendarExceptionEvent".
    """
    from pghistory.models import Events

    return _readable(Events.objects.across(event_model), newest_first=True, limit=limit)


def _readable(queryset, *, newest_first: bool = False, limit: int | None = None) -> list[dict]:
    from .models import User

    order = ("-pgh_created_at", "-pgh_id") if newest_first else ("pgh_created_at", "pgh_id")
    queryset = queryset.order_by(*order)
    events = list(queryset[:limit] if limit else queryset)
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context} - {None}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    rows = []
    for e in events:
        ctx = e.pgh_context or {}
        diff = e.pgh_diff or {}
        rows.append({
            "at": e.pgh_created_at,
            "label": e.pgh_label,
            "model": e.pgh_model,
            "user": users.get(ctx.get("user")),
            "action": ctx.get("action") or ctx.get("url", ""),
            "changes": {k: {"before": v[0], "after": v[1]} for k, v in diff.items()},
            "data": e.pgh_data,
        })
    return rows
