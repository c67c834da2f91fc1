"""Tenant scoping: the forgotten filter raises instead of leaking.

Every tenant-owned model uses `ScopedManager` as its default manager and defines
`scope_q(tenant) -> Q`, the rows a tenant may see. The acting tenant is activated once per
request by `TenantMiddleware` (from the user's acting membership); Celery tasks, management
commands and the admin run inside `system_scope()`. A query on a scoped model with no active
scope raises `ScopeError`.

What scoping does NOT cover: the filter is applied to the queryset of a scoped model, never to
the rows a join reaches from an unscoped one. An aggregate that starts from an unscoped model
and walks into a tenant-owned one counts every tenant's rows:

    Region.objects.annotate(n=Count("applications"))        # WRONG: all employers' applications

Start such aggregates from the scoped model, so its scope filters the rows before they are
grouped:

    Application.objects.values("region").annotate(n=Count("id"))   # only the tenant's rows

or filter the join with a scoped subquery
(`Count("applications", filter=Q(applications__in=Application.objects.all()))`).
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models


class ScopeError(RuntimeError):
    """A tenant-owned model was queried with no tenant scope active."""


class TenantKind(models.TextChoices):
    EMPLOYER = "employer"
    AKIMAT = "akimat"
    CENTRAL = "central"
    MINISTRY = "ministry"
    PUBLIC = "public"
    SYSTEM = "system"


@dataclass(frozen=True)
class Tenant:
    """Whom the current code acts for. Exactly the ids its kind needs are set."""

    kind: str
    organization_id: int | None = None
    region_id: int | None = None
    authority_id: int | None = None

    @property
    def is_system(self) -> bool:
        return self.kind == TenantKind.SYSTEM

    @property
    def is_ministry(self) -> bool:
        return self.kind in (TenantKind.MINISTRY, TenantKind.SYSTEM)


SYSTEM = Tenant(kind=TenantKind.SYSTEM)
PUBLIC = Tenant(kind=TenantKind.PUBLIC)

_current: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar("qp_tenant", default=None)


def current_tenant() -> Tenant | None:
    return _current.get()


@contextlib.contextmanager
def activate(tenant: Tenant) -> Iterator[Tenant]:
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)


def system_scope():
    """Unscoped access for background jobs, commands, migrations' data steps and the admin."""
    return activate(SYSTEM)


NOTHING = models.Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    """A tenant-owned queryset. Built under a tenant, it is filtered at once. Built with no tenant
    (a ModelForm's foreign-key field made at import time) or in the system scope, its filter is
    pending: evaluation (or use as a subquery) applies the filter of the tenant active *then*, and
    raises ScopeError if none is. So a queryset built once and reused shows each request only its
    own tenant's rows. (TenantMiddleware imports every view and form outside any scope.)
    """

    _scope_pending = False

    def _clone(self):
        clone = super()._clone()
        clone._scope_pending = self._scope_pending
        return clone

    def _apply_scope(self) -> None:
        if not self._scope_pending:
            return
        tenant = _current.get()
        if tenant is None:
            raise ScopeError(
                f"{self.model.__name__} queried outside a tenant scope; "
                "use the request's scope or system_scope()."
            )
        self._scope_pending = False
        if not tenant.is_system:
            self.query.add_q(self.model.scope_q(tenant))

    def _fetch_all(self):
        self._apply_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._apply_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._apply_scope()
        return super().count()

    def exists(self):
        self._apply_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._apply_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._apply_scope()
        return super().update(**kwargs)

    def _update(self, values):
        self._apply_scope()
        return super()._update(values)

    def delete(self):
        self._apply_scope()
        return super().delete()

    def explain(self, **options):
        self._apply_scope()
        return super().explain(**options)

    def _combinator_query(self, combinator, *other_qs, all=False):
        self._apply_scope()
        for other in other_qs:
            if isinstance(other, ScopedQuerySet):
                other._apply_scope()
        return super()._combinator_query(combinator, *other_qs, all=all)

    def resolve_expression(self, *args, **kwargs):
        self._apply_scope()  # used as a subquery: filter(pk__in=Scoped.objects.all())
        return super().resolve_expression(*args, **kwargs)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of tenant-owned models: filters by the active tenant, or raises on use."""

    def get_queryset(self):
        qs = super().get_queryset()
        tenant = _current.get()
        if tenant is None or tenant.is_system:
            qs._scope_pending = True
        else:
            qs = qs.filter(self.model.scope_q(tenant))
        return qs
