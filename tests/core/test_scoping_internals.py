"""quota_portal/core/scoping.py relies on private parts of Django's ORM: which methods a queryset
runs its SQL through, and where Django takes a query without its queryset (a subquery, `|`). A
queryset whose scope is pending (built outside any scope or in the system scope, e.g. a form
field's queryset made at import time) must be filtered by the tenant active when it runs.

For every overridden method there is a probe, run twice:
- with the override: the operation is scoped (filtered for the tenant; ScopeError with none). If a
  Django upgrade stops calling the override, this fails.
- with the override removed: the operation leaks. If a Django upgrade routes the operation
  through another override, so that this one is no longer needed, this fails too, and the
  override (and its probe) should go.
A last test fails when an override is added without a probe.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery, sql

from commissions.models import LabourMarketFigure
from quota_portal.core.models import Organization
from quota_portal.core.scoping import (
    ScopedManager,
    ScopedQuery,
    ScopedQuerySet,
    ScopeError,
    Tenant,
    TenantKind,
    activate,
)


def pending(model=Organization, **lookups):
    """A queryset built outside any scope: its filter is applied when it runs."""
    with activate(None):
        return model.objects.filter(**lookups)


def raises_outside_a_scope(operation: Callable) -> bool:
    with activate(None):
        try:
            operation()
        except ScopeError:
            return True
    return False


@pytest.fixture
def world(cast, occupations):
    """Two employers (cast.org, cast.org2) and a labour-market figure in each of two regions."""
    figures = [LabourMarketFigure.objects.create(region=region, campaign=cast.campaign, occupation=occupations.o2142,
                                                 jobseekers=1) for region in (cast.astana, cast.atyrau)]
    return cast, figures


def as_employer(cast):
    return activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org.pk))


def as_astana(cast):
    return activate(Tenant(kind=TenantKind.AKIMAT, region_id=cast.astana.pk))


# --- the probes: each returns whether the operation was scoped --------------------------------

def fetch_all(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        seen = [
            [o.pk for o in pending()] == [cast.org.pk],
            len(pending()) == 1 and bool(pending(pk=cast.org2.pk)) is False,
            pending().first() == cast.org and pending(pk=cast.org2.pk).last() is None,
            list(pending().values_list("pk", flat=True)) == [cast.org.pk],
            set(pending().in_bulk([cast.org.pk, cast.org2.pk])) == {cast.org.pk},
        ]
        try:
            pending().get(pk=cast.org2.pk)
            seen.append(False)
        except Organization.DoesNotExist:
            seen.append(True)
    # get_or_create and update_or_create look the row up through _fetch_all (their save writes
    # through the plain _base_manager: an instance once fetched through the scope is saved as is).
    seen.append(raises_outside_a_scope(lambda: pending().get_or_create(bin_iin=cast.org2.bin_iin)))
    seen.append(raises_outside_a_scope(
        lambda: pending().update_or_create(bin_iin=cast.org2.bin_iin, defaults={"phone": "+7 700"})))
    return seen


def iterator(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        return [[o.pk for o in pending().iterator()] == [cast.org.pk],
                [o.pk for o in pending().iterator(chunk_size=1)] == [cast.org.pk]]


def aiterator(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        iteration = pending().aiterator()  # set up here, in the tenant's context; run by an event loop
    runs_on = iteration.ag_frame.f_locals["self"]  # the queryset the async iteration will run
    with activate(Tenant(kind=TenantKind.SYSTEM)):
        rows = [o.pk for o in runs_on]
    return [raises_outside_a_scope(lambda: pending().aiterator()), rows == [cast.org.pk]]


def count(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        return [pending().count() == 1, raises_outside_a_scope(lambda: pending().count()) is True]


def exists(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        return [pending(pk=cast.org2.pk).exists() is False]


def aggregate(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        return [pending().aggregate(n=Count("pk"))["n"] == 1]


def update(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        updated = pending().update(phone="+7 701")
        # bulk_update runs filter(pk__in=...).update() on the queryset it is called on.
        other = Organization(pk=cast.org2.pk, phone="+7 702")
        bulk = pending().bulk_update([other], ["phone"])
    with activate(Tenant(kind=TenantKind.SYSTEM)):
        untouched = Organization.objects.get(pk=cast.org2.pk).phone == ""
    return [updated == 1, bulk == 0, untouched]


def delete(world) -> list[bool]:
    cast, figures = world
    with as_astana(cast):
        pending(LabourMarketFigure).delete()
    with activate(Tenant(kind=TenantKind.SYSTEM)):
        left = list(LabourMarketFigure.objects.values_list("pk", flat=True))
    return [left == [figures[1].pk]]


def explain(world) -> list[bool]:
    return [raises_outside_a_scope(lambda: pending().explain())]


def combinator_query(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        union = pending(name__startswith="ТОО").union(pending())
        both = pending().intersection(pending(name__startswith="ТОО"))
        return [sorted(o.pk for o in union) == [cast.org.pk], [o.pk for o in both] == [cast.org.pk]]


def resolve_expression(world) -> list[bool]:
    cast, _figures = world
    everyone = Organization.objects.unscoped("test: the outer query sees every employer")
    with as_employer(cast):
        return [
            list(everyone.filter(pk__in=pending().values("pk"))) == [cast.org],
            list(everyone.filter(pk__in=Subquery(pending().values("pk")))) == [cast.org],
            list(everyone.filter(Exists(pending(pk=OuterRef("pk"))))) == [cast.org],
        ]


def combine(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        own = Organization.objects.filter(pk=cast.org.pk)  # built in the scope: already filtered
        return [sorted(o.pk for o in own | pending()) == [cast.org.pk],
                list(own ^ pending()) == []]


def get_queryset(world) -> list[bool]:
    cast, _figures = world
    with as_employer(cast):
        return [list(Organization.objects.all()) == [cast.org]]


PROBES = {
    (ScopedQuerySet, "_fetch_all"): fetch_all,
    (ScopedQuerySet, "iterator"): iterator,
    (ScopedQuerySet, "aiterator"): aiterator,
    (ScopedQuerySet, "count"): count,
    (ScopedQuerySet, "exists"): exists,
    (ScopedQuerySet, "aggregate"): aggregate,
    (ScopedQuerySet, "update"): update,
    (ScopedQuerySet, "delete"): delete,
    (ScopedQuerySet, "explain"): explain,
    (ScopedQuerySet, "_combinator_query"): combinator_query,
    (ScopedQuery, "resolve_expression"): resolve_expression,
    (ScopedQuery, "combine"): combine,
    (ScopedManager, "get_queryset"): get_queryset,
}
IDS = [f"{cls.__name__}.{name}" for cls, name in PROBES]


@pytest.mark.parametrize("override", PROBES, ids=IDS)
def test_the_override_scopes_the_operation(world, override):
    assert all(PROBES[override](world))


@pytest.mark.parametrize("override", PROBES, ids=IDS)
def test_without_the_override_the_operation_leaks(world, override, monkeypatch):
    cls, name = override
    monkeypatch.delattr(cls, name)
    assert not any(PROBES[override](world))


def test_every_override_has_its_probe():
    parents = {ScopedQuerySet: models.QuerySet, ScopedQuery: sql.Query, ScopedManager: models.Manager}
    overrides = {(cls, name) for cls, parent in parents.items() for name, value in vars(cls).items()
                 if callable(value) and hasattr(parent, name) and name not in ("__init__",)}
    assert overrides == set(PROBES)


def test_a_pending_queryset_is_not_captured_by_the_first_tenant_that_runs_it(cast):
    """A queryset built once (a module-level or a form field's) is filtered for each tenant that
    runs it, in turn: running it never turns it into the first tenant's queryset."""
    shared = pending()
    for org in (cast.org, cast.org2, cast.org):
        with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=org.pk)):
            assert shared.count() == 1 and shared.exists()
            assert [o.pk for o in shared.iterator()] == [org.pk]
            assert [o.pk for o in shared.all()] == [org.pk]
            assert [o.pk for o in shared.union(shared)] == [org.pk]
            assert shared.aggregate(n=Count("pk"))["n"] == 1
    assert raises_outside_a_scope(lambda: shared.count())
