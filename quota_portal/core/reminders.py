"""Reminders: notices a user may mute, each sent once per user and occasion.

A reminder type is registered by the app that sends it (`registry.register_reminder_type`); the
profile page lists the types of the user's roles and lets them mute any. Legal notices (the
Commission's decision and written notice, Rules p.11; overdue alerts to the office responsible)
are sent through `notifications.notify` directly and are never filtered here, so no mute can
stop them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from . import registry
from .audit import audited
from .errors import DomainError
from .models import ReminderMute, User
from .notifications import notify


def reminder_threshold(closes_at: dt.datetime, now: dt.datetime, days: Sequence[int]) -> int | None:
    """Which of the "N days before" reminders is due now: the smallest N with the deadline at most
    N days away (a sweep that missed the 30-day one sends the 7-day one, not both); None while it
    is further than the largest N, or once it has passed."""
    if now >= closes_at:
        return None
    left = closes_at - now
    due = [n for n in days if left <= dt.timedelta(days=n)]
    return min(due) if due else None


def days_list(days: Sequence[int]) -> str:
    """30, 7, 1 as the profile shows a schedule."""
    return ", ".join(str(n) for n in sorted(days, reverse=True))


def muted_kinds(user: User) -> set[str]:
    return set(ReminderMute.objects.filter(user=user).values_list("kind", flat=True))


def types_for(user: User) -> list[registry.ReminderType]:
    """The reminder types the user's roles receive, in the registry's order."""
    from .registry import role_group

    groups = {role_group(m) for m in user.memberships.all()}
    return [t for t in registry.reminder_types() if t.roles & groups]


def remind(*, kind: str, event_key: str, recipients: Iterable[User], subject, body, url: str = "") -> int:
    """`notify` for a reminder of type `kind`: users who muted it are skipped. The event key names
    the occasion (which deadline, how many days before), so each user gets it once."""
    if kind not in {t.key for t in registry.reminder_types()}:
        raise ValueError(f"unknown reminder type {kind!r}")
    recipients = list(recipients)
    muted = set(ReminderMute.objects.filter(kind=kind, user__in=recipients).values_list("user_id", flat=True))
    return notify(event_key=event_key, recipients=[u for u in recipients if u.pk not in muted],
                  subject=subject, body=body, url=url)


def reminders_mute_set(*, actor: User, muted: Iterable[str]) -> set[str]:
    """Set which of their reminder types the actor mutes (the others are received)."""
    from django.utils.translation import gettext as _

    allowed = {t.key for t in types_for(actor)}
    muted = set(muted)
    if muted - allowed:
        raise DomainError(_("Choose among your own reminder types."), field="muted")
    with transaction.atomic(), audited(actor, "reminders_mute_set"):
        ReminderMute.objects.filter(user=actor).exclude(kind__in=muted).delete()
        for kind in sorted(muted):
            ReminderMute.objects.get_or_create(user=actor, kind=kind)
    return muted
