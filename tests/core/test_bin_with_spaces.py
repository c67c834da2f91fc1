"""A BIN/IIN typed with spaces is accepted with the spaces stripped."""
from __future__ import annotations

import pytest

from quota_portal.core.accounts_forms import OrganizationForm

pytestmark = pytest.mark.django_db


def _spaced(bin_iin: str) -> str:
    return f" {bin_iin[:6]} {bin_iin[6:]}\u00a0"


def test_the_organization_form_strips_the_spaces(cast):
    form = OrganizationForm(data={"kind": "legal", "bin_iin": _spaced(cast.org2.bin_iin[:0] + "180540003215"),
                                  "name": "ТОО «Тест»", "legal_address": "Астана", "region": cast.astana.pk})
    form.is_valid()
    assert "bin_iin" not in form.errors, form.errors
    assert form.cleaned_data["bin_iin"] == "180540003215"


def test_the_akimat_records_a_violation_by_a_bin_typed_with_spaces(cast):
    from commissions.models import Violation

    response = cast.client(cast.akimat_officer).post("/commissions/violations/", {
        "bin_iin": _spaced(cast.org.bin_iin), "ground": "2", "year": "2026", "description": "нарушение"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Violation.objects.get().organization == cast.org
