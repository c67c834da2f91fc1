"""Tenant scoping: the forgotten filter raises instead of leaking.

Every tenant-owned model uses `ScopedManager` as its default manager and defines
`scope_q(tenant) -> Q`, the rows a tenant may see. The acting tenant is activated once per
request by `TenantMiddleware` (from the user's acting membership); Celery tasks, management
commands and the admin run inside `system_scope()`. A query on a scoped model with no active
scope raises `ScopeError`.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from typing import Iterator

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
    pass


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of tenant-owned models: filters by the active tenant, or raises."""

    def get_queryset(self):
        qs = super().get_queryset()
        tenant = _current.get()
        if tenant is None:
            raise ScopeError(
                f"{self.model.__name__} queried outside a tenant scope; "
                "use the request's scope or system_scope()."
            )
        if tenant.is_system:
            return qs
        return qs.filter(self.model.scope_q(tenant))
