"""Tenant scoping: the forgotten filter raises instead of leaking.

Every tenant-owned model uses `ScopedManager` as its default manager and defines
`scope_q(tenant) -> Q`, the rows a tenant may see. The acting tenant is activated once per
request by `TenantMiddleware` (from the user's acting membership); Celery tasks, management
commands and the admin run inside `system_scope()`. A query on a scoped model with no active
scope raises `ScopeError`.

Services read and write through `.objects`, under the caller's scope. Where one must see beyond
the caller's tenant, it says so and why: `Model.objects.unscoped("reason")` for one query, or
`with unscoped("reason"):` for a block. `_base_manager` is never used outside core (a test in
tests/core/test_unscoped_check.py runs tools/check_unscoped.py, which fails on it).

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
from django.db.models import sql


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


def _check_reason(reason: str) -> None:
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("unscoped() needs the reason why the caller must see beyond its tenant.")


@contextlib.contextmanager
def unscoped(reason: str) -> Iterator[Tenant]:
    """Run a block in the system scope: the code must see rows beyond the caller's tenant.

    `reason` is required and says why (it is what `grep -rn 'unscoped("'` lists for review). Only
    querysets *evaluated* inside the block are unfiltered: one built inside and evaluated after it
    is filtered for the tenant active then. For one query, `Model.objects.unscoped(reason)`.
    Background jobs, commands and the admin use `system_scope()` for the whole job instead.
    """
    _check_reason(reason)
    with activate(SYSTEM) as tenant:
        yield tenant


class ScopedQuery(sql.Query):
    """The SQL query of a scoped queryset. It carries the pending scope itself, so that the scope
    follows it wherever Django takes the query without the queryset: `Subquery(qs)` and
    `Exists(qs)` keep only `qs.query`, and `qs1 | qs2` merges `qs2.query` into `qs1`'s.
    `Query.clone()` copies the instance's attributes, so every chained queryset keeps the flag."""

    scope_pending = False

    def apply_scope(self) -> None:
        """Filter by the tenant active now (nothing for the system); ScopeError if none is."""
        if not self.scope_pending:
            return
        tenant = _current.get()
        if tenant is None:
            raise ScopeError(
                f"{self.model.__name__} queried outside a tenant scope; "
                "use the request's scope or system_scope()."
            )
        self.scope_pending = False
        if not tenant.is_system:
            self.add_q(self.model.scope_q(tenant))

    def resolve_expression(self, query, *args, **kwargs):
        # Used as a subquery: filter(pk__in=qs), Subquery(qs), Exists(qs). Django resolves the
        # query (QuerySet.resolve_expression delegates here; Subquery resolves its query).
        if self.scope_pending:
            scoped = self.clone()
            scoped.apply_scope()
            return super(ScopedQuery, scoped).resolve_expression(query, *args, **kwargs)
        return super().resolve_expression(query, *args, **kwargs)

    def combine(self, rhs, connector):
        # qs1 | qs2 (and &, ^): a pending rhs merged into a query that is already filtered would
        # bring its rows in unfiltered. When both are pending, the scope applied later to the
        # combined query covers both.
        if getattr(rhs, "scope_pending", False) and not self.scope_pending:
            rhs = rhs.clone()
            rhs.apply_scope()
        return super().combine(rhs, connector)


class ScopedQuerySet(models.QuerySet):
    """A tenant-owned queryset. Built under a tenant, it is filtered at once. Built with no tenant
    (a ModelForm's foreign-key field made at import time) or in the system scope, its filter is
    pending: evaluation (or use as a subquery) applies the filter of the tenant active *then*, and
    raises ScopeError if none is. So a queryset built once and reused shows each request only its
    own tenant's rows. (TenantMiddleware imports every view and form outside any scope.)

    Every way Django runs a query without `_fetch_all()` is overridden here, each pinned by a test
    in tests/core/test_scoping_internals.py that fails when the override stops being needed or
    stops being called. `Model.save()` (and so the save of `update_or_create`) writes through
    `_base_manager`, a plain manager: an instance once fetched through the scope is saved as it
    is; `bulk_update()` goes through `update()`.
    """

    def _scoped(self) -> ScopedQuerySet:
        """This queryset, or, when its scope is pending, a copy filtered for the tenant active now.
        The queryset itself stays pending: one built once and reused (a module-level or a form
        field's queryset) is never captured by the first tenant that runs it."""
        query = self.query  # the property: applies a related manager's deferred filter first
        if not getattr(query, "scope_pending", False):
            return self
        clone = self._chain()
        clone.query.apply_scope()
        return clone

    def _fetch_all(self):
        if self._result_cache is None:
            scoped = self._scoped()
            if scoped is not self:
                # Rows cached on the queryset, as Django does; its query stays pending.
                scoped._fetch_all()
                self._result_cache, self._prefetch_done = scoped._result_cache, scoped._prefetch_done
                return
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        return super(ScopedQuerySet, self._scoped()).iterator(*args, **kwargs)

    def aiterator(self, *args, **kwargs):
        # Not `async def`: the scope is applied when the iteration is set up, in the caller's context.
        return super(ScopedQuerySet, self._scoped()).aiterator(*args, **kwargs)

    def count(self):
        return super(ScopedQuerySet, self._scoped()).count()

    def exists(self):
        return super(ScopedQuerySet, self._scoped()).exists()

    def aggregate(self, *args, **kwargs):
        return super(ScopedQuerySet, self._scoped()).aggregate(*args, **kwargs)

    def update(self, **kwargs):
        scoped = self._scoped()
        self._result_cache = None
        return super(ScopedQuerySet, scoped).update(**kwargs)

    def delete(self):
        scoped = self._scoped()
        self._result_cache = None
        return super(ScopedQuerySet, scoped).delete()

    def explain(self, **options):
        return super(ScopedQuerySet, self._scoped()).explain(**options)

    def _combinator_query(self, combinator, *other_qs, all=False):
        # union/intersection/difference compile each combined query directly: scope each first.
        others = [other._scoped() if isinstance(other, ScopedQuerySet) else other for other in other_qs]
        return super(ScopedQuerySet, self._scoped())._combinator_query(combinator, *others, all=all)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of tenant-owned models: filters by the active tenant, or raises on use."""

    def get_queryset(self):
        qs = self._queryset_class(model=self.model, query=ScopedQuery(self.model), using=self._db,
                                  hints=self._hints)
        tenant = _current.get()
        if tenant is None or tenant.is_system:
            qs.query.scope_pending = True
        else:
            qs = qs.filter(self.model.scope_q(tenant))
        return qs

    def unscoped(self, reason: str) -> ScopedQuerySet:
        """Every row, whatever the active tenant: for a service or selector that must see beyond
        the caller's tenant. `reason` (required) says why; `grep -rn 'unscoped("'` lists them all."""
        _check_reason(reason)
        return super().get_queryset()
