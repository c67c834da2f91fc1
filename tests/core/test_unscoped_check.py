"""Scoping is bypassed only where the code says so and why: tools/check_unscoped.py fails on any
`_base_manager` outside quota_portal/core and on an `unscoped()` without a literal reason; this
test runs it over the tree, so `make test` and CI fail with it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from applications.models import Application
from quota_portal.core.models import Organization
from quota_portal.core.scoping import ScopeError, Tenant, TenantKind, activate, unscoped
from tests.commissions.conftest import make_application

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = "_base_" + "manager"


def _checker():
    spec = importlib.util.spec_from_file_location("check_unscoped", ROOT / "tools" / "check_unscoped.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tree_bypasses_scoping_only_through_unscoped_with_a_reason():
    problems, uses = _checker().check()
    assert problems == []
    assert all(use.split(": ", 1)[1].strip() for use in uses)


def test_the_check_finds_a_base_manager_outside_core_and_a_reasonless_unscoped(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "services.py").write_text(
        f"def f(Model, unscoped, why):\n"
        f"    Model.{FORBIDDEN}.all()\n"
        f"    getattr(Model, '{FORBIDDEN}')\n"
        f"    Model.objects.unscoped('')\n"
        f"    Model.objects.unscoped(why)\n"
        f"    with unscoped('the registration counter is global'):\n"
        f"        pass\n")
    core = tmp_path / "quota_portal" / "core"
    core.mkdir(parents=True)
    (core / "scoping.py").write_text(f"def f(Model):\n    return Model.{FORBIDDEN}.all()\n")
    problems, uses = _checker().check(tmp_path)
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5"]
    assert all(p.startswith("app/services.py:") for p in problems)
    assert uses == ["app/services.py:6: the registration counter is global"]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_unscoped_needs_a_reason(db, reason):
    # Called through other names: the static check refuses a call of unscoped() without a literal.
    manager_unscoped, block = Organization.objects.unscoped, unscoped
    with pytest.raises(ValueError):
        manager_unscoped(reason)
    with pytest.raises(ValueError), block(reason):
        pass


def test_unscoped_sees_beyond_the_callers_tenant_and_only_where_it_says_so(cast):
    make_application(cast, org=cast.org, number="A-1")
    make_application(cast, org=cast.org2, number="A-2")
    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org.pk)):
        assert Application.objects.count() == 1
        assert Application.objects.unscoped("test: every employer's").count() == 2
        # An unscoped queryset stays unscoped when chained and evaluated later.
        chained = Application.objects.unscoped("test: every employer's").filter(status="at_commission")
    with activate(None):
        assert chained.count() == 2
        with pytest.raises(ScopeError):
            Application.objects.count()
        with unscoped("test: a block"):
            assert Application.objects.count() == 2
            built_inside = Application.objects.all()
        with pytest.raises(ScopeError):  # built inside, evaluated after: scoped again
            built_inside.count()
