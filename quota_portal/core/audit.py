"""Audit trail: database triggers (django-pghistory) record every insert, update and delete of
tracked models, bulk `.update()` included; services add who acted and why as context."""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid

import pghistory
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pghistory import runtime as pgh_runtime

from . import registry

_audit = threading.local()


@contextlib.contextmanager
def audited(actor, action: str, **extra):
    """Attach the acting user and the service name to every row change inside the block.

    pghistory groups every change made while any `pghistory.context` is open under ONE context
    row, whose metadata is whatever was set last; HistoryMiddleware opens such a context for each
    request. Two services in one request would then both be recorded under the second one's actor
    and action. So each outermost `audited()` block gets its own context id, carrying the outer
    context's metadata (the request URL) plus its own actor and action, and puts the outer context
    back afterwards. An `audited()` nested inside another (a service calling a service) records
    under the outer service, which is the one the user invoked.
    """
    if getattr(_audit, "active", False):
        yield
        return
    metadata = {"user": getattr(actor, "pk", None), "action": action, **extra}
    outer = getattr(pgh_runtime._tracker, "value", None)
    _audit.active = True
    try:
        if outer is None:
            with pghistory.context(**metadata):
                yield
        else:
            # The outer context's SQL hook stays installed and reads _tracker.value on each statement.
            pgh_runtime._tracker.value = pgh_runtime.Context(
                id=uuid.uuid4(), metadata={**outer.metadata, **metadata})
            try:
                yield
            finally:
                pgh_runtime._tracker.value = outer
    finally:
        _audit.active = False


# Each of core's services as the reader sees it in a history. Core registers these, and each app
# its own, from AppConfig.ready() (`registry.register_action_labels`); an unknown name is shown
# humanized rather than as code.
ACTION_LABELS: dict[str, str] = {
    # core and accounts
    "campaign_update": _("Deadlines changed"),
    "campaign_open": _("Campaign opened"),
    "campaign_record_distribution": _("Distribution of the quota recorded"),
    "calendar_exception_add": _("Calendar exception added"),
    "reminders_mute_set": _("Reminder settings changed"),
    "calendar_exception_remove": _("Calendar exception removed"),
    "country_set_treaty": _("Treaty status changed"),
    "outage_record": _("Outage recorded"),
    "deadline_extend": _("Deadline extended after an outage"),
    "outbox_retry_failed": _("Failed mails sent again"),
    "seed_demo": _("Demo data loaded"),
    "user_signup": _("Registration"),
    "user_confirm": _("Email confirmed"),
    "organization_create": _("Organization registered"),
    "invitation_create": _("Invitation sent"),
    "invitation_accept": _("Invitation accepted"),
    "invitation_revoke": _("Invitation revoked"),
    "member_change_role": _("Member's role changed"),
    "member_remove": _("Member removed"),
    "two_factor_enroll": _("Two-factor login enrolled"),
    "two_factor_recovery_issue": _("Recovery codes issued"),
    "two_factor_recovery_use": _("Recovery code used"),
    "two_factor_disable": _("Two-factor login turned off"),
    "two_factor_reset": _("Two-factor login reset by the Ministry"),
    "two_factor_locked": _("Code entry locked after wrong codes"),
}

EVENT_LABELS = {"insert": pgettext_lazy("history event", "Creation"),
                "update": pgettext_lazy("history event", "Change"),
                "delete": pgettext_lazy("history event", "Deletion")}


def action_label(name: str) -> str:
    if not name:
        return ""
    label = registry.action_label(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()


def history_for(obj: models.Model) -> list[dict]:
    """Readable history of one object: each event with who, when, the action and the diff."""
    from pghistory.models import Events

    return _readable(Events.objects.tracks(obj))


def history_for_all(objects, *, newest_first: bool = False, limit: int | None = None) -> list[dict]:
    """Readable history of several objects of one model (a queryset or a list), in one list."""
    from pghistory.models import Events

    objects = list(objects)
    if not objects:
        return []
    return _readable(Events.objects.tracks(objects), newest_first=newest_first, limit=limit)


def history_for_model(event_model: str, limit: int = 100) -> list[dict]:
    """Readable history of every object of one model (deleted ones included), newest first.

    `event_model` is the pghistory event model, e.g. "core.CalendarExceptionEvent".
    """
    from pghistory.models import Events

    return _readable(Events.objects.across(event_model), newest_first=True, limit=limit)


def _readable(queryset, *, newest_first: bool = False, limit: int | None = None) -> list[dict]:
    """Each event as a dict. `action`, `changes` (field -> raw before/after) and `data` keep the
    stored values for code; `action_label`, `event_label` and `rows` (field label, before, after,
    formatted in the active language and time zone) are for people."""
    from .models import User

    order = ("-pgh_created_at", "-pgh_id") if newest_first else ("pgh_created_at", "pgh_id")
    queryset = queryset.order_by(*order)
    events = list(queryset[:limit] if limit else queryset)
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context} - {None}
    # One query whether or not any event names a user, so a history costs the same at any size.
    users = {u.pk: u for u in User.objects.filter(pk__in=[*user_ids, 0])}
    formatter = _Formatter(events)
    rows = []
    for e in events:
        ctx = e.pgh_context or {}
        diff = e.pgh_diff or {}
        model = _tracked_model(e.pgh_obj_model)
        rows.append({
            "at": e.pgh_created_at,
            "label": e.pgh_label,
            "event_label": str(EVENT_LABELS.get(e.pgh_label, e.pgh_label)),
            "model": e.pgh_model,
            "model_label": str(model._meta.verbose_name) if model else "",
            "user": users.get(ctx.get("user")),
            "action": ctx.get("action") or ctx.get("url", ""),
            "action_label": action_label(ctx.get("action", "")),
            "url": ctx.get("url", ""),
            "changes": {k: {"before": v[0], "after": v[1]} for k, v in diff.items()},
            "rows": [formatter.row(model, k, v[0], v[1]) for k, v in diff.items() if k not in HIDDEN_FIELDS],
            "data": e.pgh_data,
        })
    return rows


# Bookkeeping columns that say nothing to a reader.
HIDDEN_FIELDS = {"id", "revision", "version", "updated_at", "created_at", "password", "search"}


def _tracked_model(label: str):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


class _Formatter:
    """Turns stored values into what the reader understands: choice labels, names of related
    records (one query per related model, through its scoped manager), local dates and times."""

    def __init__(self, events):
        self._names: dict[type, dict] = {}
        wanted: dict[type, set] = {}
        for e in events:
            model = _tracked_model(e.pgh_obj_model)
            for name, values in (e.pgh_diff or {}).items():
                field = _field(model, name)
                if field is not None and field.is_relation and field.many_to_one:
                    wanted.setdefault(field.related_model, set()).update(v for v in values if v is not None)
        for related, ids in wanted.items():
            self._names[related] = self._load(related, ids)

    @staticmethod
    def _load(related, ids) -> dict:
        from .scoping import ScopeError

        try:
            return {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        except ScopeError:
            return {}

    def row(self, model, name, before, after) -> dict:
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        return {"field": name, "label": label[:1].upper() + label[1:],
                "before": self.value(field, before), "after": self.value(field, after)}

    def value(self, field, value) -> str:
        if value is None or value == "":
            return "—"
        if field is None:
            return str(value)
        if field.is_relation and field.many_to_one:
            return self._names.get(field.related_model, {}).get(value) or f"#{value}"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(field, models.DateTimeField):
            parsed = parse_datetime(str(value))
            if parsed is not None:
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed, dt.UTC)
                return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
        elif isinstance(field, models.DateField):
            parsed = parse_date(str(value))
            if parsed is not None:
                return formats.date_format(parsed, "SHORT_DATE_FORMAT")
        return str(value)
