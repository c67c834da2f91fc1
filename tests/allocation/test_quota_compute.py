"""allocation/quota_compute.py: the arithmetic of a scenario (pure, no database) and the selector
that gathers its inputs (on the database, a fixed number of queries)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.quota_compute import Adjustment, Picture, ScenarioInputs, compute, percent_of, unclaimed
from quota_portal.core.errors import DomainError

A, B, C = 1, 2, 3  # region ids


def picture(**kwargs) -> Picture:
    base = {"year": 2027, "labour_force": 9_720_000,
            "approved": {(A, "3"): 600, (A, "4"): 300, (B, "3"): 100, (B, "S"): 50},
            "proposals": {(A, "4"): 100, (C, "1"): 10},
            "immigrants": {A: 400, B: 100},
            "countries": {(A, 77): 30, (B, 78): 10}}
    base.update(kwargs)
    return Picture(**base)


def test_the_total_is_the_rounded_percentage_of_the_labour_force():
    assert percent_of(Decimal("0.25"), 9_720_000) == 24_300
    assert percent_of(Decimal("0.001"), 50_000) == 1  # 0.5 rounds half up
    assert percent_of(Decimal("0"), 9_720_000) == 0
    figures = compute(ScenarioInputs(permits_percent=Decimal("0.01")), picture())
    assert figures.permits_computed == figures.permits_total == 972


def test_the_sums_hold_and_nobody_gets_more_than_asked_for_when_requests_exceed_the_quota():
    p = picture()
    figures = compute(ScenarioInputs(permits_percent=Decimal("0.01"), reserve=72,
                                     immigrants_percent=Decimal("0.004"), countries_percent=Decimal("0.0002")), p)
    figures.check()
    assert sum(figures.permits.values()) == 900 and figures.reserve == 72
    weights = p.weights()
    assert all(figures.permits[k] <= weights[k] for k in figures.permits)
    assert weights[(A, "4")] == 400  # Annex 2 + agreed proposals
    assert sum(figures.immigrants.values()) == figures.immigrants_total == 389
    assert all(figures.immigrants[r] <= p.immigrants[r] for r in figures.immigrants)
    assert sum(figures.countries.values()) == figures.countries_total == 19


def test_what_nobody_asked_for_goes_to_the_reserve():
    inputs = ScenarioInputs(permits_percent=Decimal("0.25"), reserve=100)
    figures = compute(inputs, picture())
    figures.check()
    assert figures.permits == picture().weights()  # everyone gets all they asked for
    assert figures.reserve == 24_300 - 1160
    assert unclaimed(inputs, figures) == 24_300 - 1160 - 100


def test_immigrants_beyond_the_need_are_shared_in_proportion_to_it():
    figures = compute(ScenarioInputs(immigrants_percent=Decimal("0.01")), picture())
    assert figures.immigrants_total == 972 and sum(figures.immigrants.values()) == 972
    assert figures.immigrants[A] > figures.immigrants[B] >= 100


@pytest.mark.parametrize("method", ["webster", "hamilton", "dhondt", "huntington_hill"])
def test_each_method_gives_a_valid_distribution(method):
    figures = compute(ScenarioInputs(method=method, permits_percent=Decimal("0.005"), reserve=6), picture())
    figures.check()
    assert figures.method == method and sum(figures.permits.values()) == 480


def test_the_methods_differ_where_they_should():
    p = picture(approved={(A, "3"): 70, (B, "3"): 20, (C, "3"): 10}, proposals={})
    inputs = ScenarioInputs(permits_total_override=10, permits_override_reason="Как в приказе")
    dhondt = compute(replace(inputs, method="dhondt"), p).permits
    hh = compute(replace(inputs, method="huntington_hill"), p).permits
    assert dhondt[(A, "3")] >= hh[(A, "3")] and hh[(C, "3")] >= 1


def test_an_override_replaces_the_computed_number_and_needs_its_reason():
    inputs = ScenarioInputs(permits_percent=Decimal("0.01"), permits_total_override=1000)
    figures = compute(inputs, picture())
    assert (figures.permits_computed, figures.permits_total) == (972, 1000)
    with pytest.raises(DomainError) as refused:
        figures.check()
    assert refused.value.field == "override_reason"
    compute(replace(inputs, permits_override_reason="Как опубликовано"), picture()).check()


def test_adjustments_keep_the_total_by_moving_through_the_reserve():
    base = ScenarioInputs(permits_percent=Decimal("0.01"), reserve=72)
    before = compute(base, picture())
    after = compute(replace(base, adjustments=(Adjustment(B, "3", 20, "Новый завод"),
                                               Adjustment(A, "3", -5, "Проверка"))), picture())
    after.check()
    assert after.permits_total == before.permits_total
    assert after.permits[(B, "3")] == before.permits[(B, "3")] + 20
    assert after.permits[(A, "3")] == before.permits[(A, "3")] - 5
    assert after.reserve == before.reserve - 15


def test_an_adjustment_beyond_the_reserve_or_below_zero_is_refused():
    base = ScenarioInputs(permits_percent=Decimal("0.01"), reserve=10)
    with pytest.raises(DomainError) as short:
        compute(replace(base, adjustments=(Adjustment(B, "3", 11, "x"),)), picture())
    assert short.value.field == "adjustments"
    with pytest.raises(DomainError) as negative:
        compute(replace(base, adjustments=(Adjustment(C, "2", -1, "x"),)), picture())
    assert negative.value.field == "adjustments"


def test_a_reserve_above_the_total_holds_everything_back():
    figures = compute(ScenarioInputs(permits_percent=Decimal("0.001"), reserve=5000), picture())
    figures.check()
    assert figures.permits == {} and figures.reserve == figures.permits_total == 97


def test_zero_and_empty_inputs_do_not_crash():
    empty = Picture(year=2027)
    figures = compute(ScenarioInputs(permits_percent=Decimal("0.25"), reserve=3), empty)
    figures.check()
    assert (figures.permits_total, figures.reserve, figures.permits) == (0, 0, {})
    lf_only = Picture(year=2027, labour_force=9_720_000)
    figures = compute(ScenarioInputs(permits_percent=Decimal("0.25")), lf_only)
    figures.check()
    assert figures.reserve == 24_300 and figures.permits == {}
    compute(ScenarioInputs(), picture(labour_force=0)).check()


def test_a_component_nobody_asked_for_can_only_be_zero():
    with pytest.raises(DomainError) as refused:
        compute(ScenarioInputs(immigrants_percent=Decimal("1")), picture(immigrants={}))
    assert refused.value.field == "immigrants_percent"
    with pytest.raises(DomainError) as refused:
        compute(ScenarioInputs(countries_percent=Decimal("1")), picture(countries={}))
    assert refused.value.field == "countries_percent"


cells = st.dictionaries(st.tuples(st.integers(1, 20), st.sampled_from(["1", "2", "3", "4", "S"])),
                        st.integers(0, 5000), max_size=30)


@settings(max_examples=150, deadline=None)
@given(approved=cells, proposals=cells, percent=st.decimals(0, 2, places=5), reserve=st.integers(0, 100_000),
       lf=st.integers(0, 10_000_000), method=st.sampled_from(["webster", "hamilton", "dhondt", "huntington_hill"]))
def test_any_inputs_give_figures_that_add_up(approved, proposals, percent, reserve, lf, method):
    p = Picture(year=2027, labour_force=lf, approved=approved, proposals=proposals)
    figures = compute(ScenarioInputs(method=method, permits_percent=percent, reserve=reserve), p)
    figures.check()
    weights = p.weights()
    assert all(0 < n <= weights[k] for k, n in figures.permits.items())
    assert figures.reserve >= min(reserve, figures.permits_total)
