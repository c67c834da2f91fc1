"""Audit completeness (issue 13): every model of the portal's apps is tracked by pghistory or
exempted here with its reason, and for every tracked model each way Django writes a row - save()
of a new and of an existing object, queryset .update(), bulk_create, bulk_update, delete() and
queryset .delete() - leaves an event naming the acting user and the request (URL, method, request
id) that did it.

The writes are made inside real HTTP requests through the whole middleware stack (a test view per
operation, as in tests/core/test_audit.py), so what is proved is what production records; one test
also drives a real view of the portal. Objects are built by a generic builder that fills the
required fields, reusing an existing row for each foreign key where one exists.
"""
from __future__ import annotations

import datetime as dt
import decimal
import itertools
import types

import pytest
from django.apps import apps
from django.db import models
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from pghistory.models import Event

from quota_portal.core.audit import history_for
from quota_portal.core.models import Organization, ReminderMute
from quota_portal.core.scoping import system_scope

PROJECT_APPS = {"core", "applications", "commissions", "allocation"}

# Models of the portal's apps that are deliberately not tracked, each with the reason. Everything
# else must be tracked for insert, update and delete.
EXEMPT = {
    # The mail queue: its status and attempt counters change on every delivery try, written by the
    # Celery worker, not by a person. What queued a mail is the audited state change itself (its
    # outbox row is written in the same transaction), and a person's retry is core.OutboxRetry.
    "core.Outbox": "delivery bookkeeping written by the worker",
    # Liveness of the worker and beat, rewritten every minute.
    "core.Heartbeat": "liveness ping, rewritten every minute",
    # One row per run of a deadline sweep: it is itself the log of the machine's runs.
    "core.SweepRun": "a log of sweep runs, itself the record",
    # The last health check's result, overwritten on each check.
    "core.HealthState": "overwritten health-check cache",
    # The last registration sequence per campaign and region, bumped under FOR UPDATE; the number it
    # issues is recorded on the application's own events (registration_number).
    "applications.RegistrationCounter": "counter; the number it issues is in the application's history",
}


def _event_models() -> dict[type[models.Model], type[Event]]:
    events = {}
    for model in apps.get_models():
        if issubclass(model, Event) and getattr(model, "pgh_tracked_model", None) is not None:
            events.setdefault(model.pgh_tracked_model, []).append(model)
    return events


def _labels(event_model) -> set[str]:
    return {tracker.label for tracker in getattr(event_model, "pgh_trackers", None) or []}


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models()
            if m._meta.app_label in PROJECT_APPS and not issubclass(m, Event)
            and not m._meta.proxy and m._meta.managed]


TRACKED = sorted((m for m in _project_models() if m._meta.label not in EXEMPT), key=lambda m: m._meta.label)


def not_audited(exempt: dict[str, str]) -> list[str]:
    """Each model of the portal's apps that is neither tracked for insert, update and delete nor in
    `exempt`, with what it lacks."""
    events = _event_models()
    missing_models = []
    for model in _project_models():
        if model._meta.label in exempt:
            continue
        labels = set().union(*(_labels(e) for e in events.get(model, [])))
        missing = {"insert", "update", "delete"} - labels
        if missing:
            missing_models.append(f"{model._meta.label} (no {', '.join(sorted(missing))} event)")
    return missing_models


def test_every_model_of_the_portal_is_tracked_for_insert_update_and_delete_or_exempted_with_a_reason():
    untracked = not_audited(EXEMPT)
    assert not untracked, ("Not audited: " + "; ".join(untracked) + ". Decorate the model with "
                           "@pghistory.track(InsertEvent(), UpdateEvent(), DeleteEvent()) or list it in EXEMPT "
                           "with the reason.")
    labels = {m._meta.label for m in _project_models()}
    assert set(EXEMPT) <= labels, "EXEMPT names a model that no longer exists"
    tracked_and_exempt = [m._meta.label for m in _event_models() if m._meta.label in EXEMPT]
    assert not tracked_and_exempt, f"tracked, so remove from EXEMPT: {tracked_and_exempt}"


def test_the_walk_names_a_model_that_is_neither_tracked_nor_exempt():
    exempt = {label: reason for label, reason in EXEMPT.items() if label != "core.Heartbeat"}
    assert not_audited(exempt) == ["core.Heartbeat (no delete, insert, update event)"]


# --- A generic builder ---------------------------------------------------------------------------

_counter = itertools.count(1)

# Field values a model needs beyond "any valid value" (its check constraints).
# A callable is called with the build's number.
OVERRIDES = {
    "core.Region": {"code": lambda n: f"{n:09d}"},
    "core.Organization": {"bin_iin": lambda n: f"{n:012d}"},
    "core.Authority": {"kind": "central"},
    "core.Membership": {"role": "employer_owner", "organization": lambda n: _related(Organization, fresh=False)},
    "core.DeadlineExtension": {"old_date": lambda n: _day(n), "new_date": lambda n: _day(n + 1)},
    "commissions.Violation": {"ground": "2", "year": 2026},
    "allocation.DistributionCell": {"component": "immigrants", "category": ""},
}


def _day(n: int) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=n)


def _value(field: models.Field, n: int):
    if field.choices:
        return field.choices[0][0] if not isinstance(field.choices[0][1], (list, tuple)) else field.choices[0][1][0][0]
    if isinstance(field, models.EmailField):
        return f"audit{n}@example.kz"
    if isinstance(field, (models.CharField, models.TextField, models.SlugField)):
        limit = field.max_length or 100
        return f"a{n}"[-limit:] if limit < 6 else f"audit {n}"[:limit]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField):
        return 1000 + n % 30000
    if isinstance(field, models.IntegerField | models.BigIntegerField):
        return 1000 + n
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return _day(n)
    if isinstance(field, models.JSONField):
        return {"audit": n}
    if isinstance(field, models.FileField):
        return f"audit/{n}.txt"
    if isinstance(field, models.UUIDField):
        import uuid

        return uuid.uuid4()
    raise NotImplementedError(f"{field.model._meta.label}.{field.name}: no generic value for {type(field).__name__}")


def _related(model, *, fresh: bool):
    if not fresh:
        existing = model._default_manager.order_by("pk").first()
        if existing is not None:
            return existing
    obj = build(model)
    obj.save()
    return obj


def _varies(field) -> bool:
    """Whether the builder gives this field a different value on each build."""
    return (not field.is_relation and not field.choices and not field.has_default() and not field.null
            and not field.blank
            and not isinstance(field, models.BooleanField | models.DateTimeField | models.DecimalField))


def _fresh_relations(model) -> set[str]:
    """Foreign keys inside a unique constraint that no other field of it makes unique: each build
    needs its own related row there."""
    fresh = set()
    groups = [c.fields for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    groups += [tuple(g) for g in model._meta.unique_together]
    for names in groups:
        fields = [model._meta.get_field(name) for name in names]
        if not any(_varies(f) for f in fields):
            fresh |= {f.name for f in fields if f.is_relation}
    return fresh


def build(model) -> models.Model:
    """An unsaved instance of `model` with every required field filled."""
    n = next(_counter)
    values = {name: value(n) if callable(value) else value
              for name, value in OVERRIDES.get(model._meta.label, {}).items()}
    fresh = _fresh_relations(model)
    for field in model._meta.concrete_fields:
        if field.name in values or field.primary_key or getattr(field, "auto_now", False) \
                or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            if field.null:
                continue
            values[field.name] = _related(field.related_model, fresh=field.one_to_one or field.name in fresh)
            continue
        if field.has_default() or field.null or (field.blank and not field.unique):
            continue
        values[field.name] = _value(field, n)
    return model(**values)


def _editable(model) -> str:
    """A recorded field the tests change: a plain text field when there is one, else a number, a
    flag or a choice."""
    excluded = set()
    for event_model in _event_models().get(model, []):
        excluded |= {f.name for f in model._meta.concrete_fields} - {f.name for f in event_model._meta.fields}
    candidates = [f for f in model._meta.concrete_fields
                  if not f.primary_key and not f.is_relation and f.name not in excluded and not f.unique
                  and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
                  and not isinstance(f, models.EmailField | models.FileField)]
    preference = ((models.TextField, models.CharField), (models.IntegerField,), (models.BooleanField,), (models.Field,))
    for kinds in preference:
        for field in candidates:
            if isinstance(field, kinds) and (not field.choices or kinds == (models.Field,)):
                return field.name
    raise AssertionError(f"{model._meta.label}: no field the audit test can change")


def _other(model, name: str, current):
    """A valid value of the field that differs from `current`."""
    field = model._meta.get_field(name)
    n = next(_counter)
    if field.choices:
        return next(value for value, _label in field.flatchoices if value != current)
    if isinstance(field, models.BooleanField):
        return not current
    if isinstance(field, models.IntegerField):
        return (current or 0) + 1
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 100
        return f"b{n}"[-limit:] if limit < 6 else f"changed {n}"[:limit]
    if isinstance(field, models.JSONField):
        return {"changed": n}
    raise AssertionError(f"{model._meta.label}.{name}: no other value")


# --- Each write inside a real request --------------------------------------------------------------

@pytest.fixture
def through_a_request(cast, settings, client):
    """run(name, fn): POST /audit/<name>/ as the ministry analyst, the view calling fn(); returns
    what fn returned. The whole middleware stack runs, HistoryMiddleware included."""
    results = {}
    operations = {}

    def view(request, name):
        with system_scope():
            results[name] = operations[name]()
        return HttpResponse("ok")

    urls = types.ModuleType("audit_completeness_urls")
    urls.urlpatterns = [path("audit/<str:name>/", view)]
    settings.ROOT_URLCONF = urls
    client.force_login(cast.analyst)

    def run(name, fn):
        operations[name] = fn
        response = client.post(f"/audit/{name}/", HTTP_X_REQUEST_ID=f"req-{name}")
        assert response.status_code == 200
        return results[name]

    return run


def _events(model, pk, label):
    found = []
    for event_model in _event_models()[model]:
        found += list(event_model.objects.filter(pgh_obj_id=pk, pgh_label=label)
                      .select_related("pgh_context").order_by("pgh_id"))
    return found


def _assert_recorded(model, pks, label, name, cast):
    for pk in pks:
        events = _events(model, pk, label)
        assert events, f"{model._meta.label} #{pk}: no {label} event for {name}"
        context = events[-1].pgh_context
        assert context is not None, f"{model._meta.label} #{pk}: the {label} event of {name} has no context"
        metadata = context.metadata
        assert metadata.get("user") == cast.analyst.pk, f"{model._meta.label}: {name} recorded no acting user"
        assert metadata.get("url") == f"/audit/{name}/", f"{model._meta.label}: {name} recorded no URL"
        assert metadata.get("method") == "POST" and metadata.get("request_id") == f"req-{name}", \
            f"{model._meta.label}: {name} recorded no method or request id"


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m._meta.label)
def test_every_write_of_a_tracked_model_is_recorded_with_the_user_and_the_request(model, cast, through_a_request):
    manager = model._default_manager
    field = _editable(model)

    def create():
        obj = build(model)
        obj.save()
        return obj

    obj = through_a_request("create", create)
    _assert_recorded(model, [obj.pk], "insert", "create", cast)

    before = getattr(obj, field)
    value = _other(model, field, before)

    def save():
        setattr(obj, field, value)
        obj.save()

    through_a_request("save", save)
    _assert_recorded(model, [obj.pk], "update", "save", cast)
    # What changed, before and after, is readable from the events (pghistory's diff).
    change = history_for(obj)[-1]["changes"][field]
    assert (change["before"], change["after"]) == (before, value)

    other = _other(model, field, value)
    through_a_request("queryset_update", lambda: manager.filter(pk=obj.pk).update(**{field: other}))
    _assert_recorded(model, [obj.pk], "update", "queryset_update", cast)

    def bulk_create():
        return manager.bulk_create([build(model), build(model)])

    made = through_a_request("bulk_create", bulk_create)
    pks = [o.pk for o in made]
    _assert_recorded(model, pks, "insert", "bulk_create", cast)

    def bulk_update():
        for o in made:
            setattr(o, field, _other(model, field, getattr(o, field)))
        manager.bulk_update(made, [field])

    through_a_request("bulk_update", bulk_update)
    _assert_recorded(model, pks, "update", "bulk_update", cast)

    pk = obj.pk  # delete() clears it
    through_a_request("delete", obj.delete)
    _assert_recorded(model, [pk], "delete", "delete", cast)
    assert not manager.filter(pk=pk).exists()

    through_a_request("queryset_delete", lambda: manager.filter(pk__in=pks).delete())
    _assert_recorded(model, pks, "delete", "queryset_delete", cast)
    assert not manager.filter(pk__in=pks).exists()


def test_a_real_view_records_the_user_and_the_request_on_the_rows_it_changes(cast, client):
    """The portal's own reminder settings page (no test view): muting every reminder writes
    ReminderMute rows, each recorded with the user who posted, the URL, the method and the request id."""
    user = cast.analyst
    client.force_login(user)
    assert not ReminderMute.objects.filter(user=user).exists()
    response = client.post("/profile/reminders/", {}, HTTP_X_REQUEST_ID="real-view-1")
    assert response.status_code == 302
    mutes = list(ReminderMute.objects.filter(user=user))
    assert mutes, "the analyst has no reminder type to mute; pick a user who has"
    for mute in mutes:
        event = history_for(mute)[-1]
        assert event["event_label"] and event["user"] == user
        assert event["url"] == "/profile/reminders/"
        assert event["action"] == "reminders_mute_set"
        context = _events(ReminderMute, mute.pk, "insert")[-1].pgh_context.metadata
        assert context["method"] == "POST" and context["request_id"] == "real-view-1"
