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

    from .models import User

    events = list(Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))
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
