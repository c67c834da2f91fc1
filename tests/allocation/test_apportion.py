"""allocation/apportion.py: properties (hypothesis), textbook examples, documented rules, errors.

No database: the module is pure Python. The properties are checked against a slow, independent
reference written here from the definitions (seat by seat for the divisor methods, exact Fraction
quotas for Hamilton), and for large totals against the divisor criterion itself.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.apportion import DIVISOR_METHODS, METHODS, apportion

ALL_METHODS = sorted(METHODS)
DIVISORS = sorted(DIVISOR_METHODS)
ROOT = Path(__file__).resolve().parents[2]

# No deadline: a slow CI machine must not fail a correct test. No example database: nothing is
# written into the work tree; a failure prints the example and a reproduce blob instead.
PROPERTY = settings(deadline=None, database=None, print_blob=True, max_examples=200)
MANY = settings(PROPERTY, max_examples=500)


# The reference: the definitions, written as plainly as possible, with no shortcut.

def reference(total, weights, caps, method):
    caps = caps or {}
    ordered = sorted(weights)
    result = dict.fromkeys(weights, 0)
    remaining = total
    positive = [key for key in ordered if weights[key] > 0]
    zero = [key for key in ordered if weights[key] == 0]
    for group, weight in ((positive, weights), (zero, dict.fromkeys(zero, 1))):
        if not group:
            continue
        group_weights = {key: weight[key] for key in group}
        if method == "hamilton":
            shares = reference_hamilton(remaining, group_weights, caps, ordered)
        else:
            shares = reference_seat_by_seat(remaining, group_weights, caps, ordered, method)
        result.update(shares)
        remaining -= sum(shares.values())
    return result


def priority(method, weight, seats):
    """w / d(s) as something that orders exactly (Huntington-Hill: its square, first seat first)."""
    if method == "webster":
        return (0, Fraction(weight) / (seats + Fraction(1, 2)))
    if method == "dhondt":
        return (0, Fraction(weight, seats + 1))
    assert method == "huntington_hill"
    return (1, 0) if seats == 0 else (0, Fraction(weight * weight, seats * (seats + 1)))


def claim(method, weight, seats, key, ordered):
    """The order of claims on a seat: priority, then the larger weight, then the first key."""
    return (priority(method, weight, seats), weight, -ordered.index(key))


def reference_seat_by_seat(total, weights, caps, ordered, method):
    shares = dict.fromkeys(weights, 0)
    for _ in range(total):
        open_keys = [key for key in weights if shares[key] < caps.get(key, math.inf)]
        if not open_keys:
            break
        best = max(open_keys,
                   key=lambda key: claim(method, weights[key], shares[key], key, ordered))
        shares[best] += 1
    return shares


def reference_hamilton(total, weights, caps, ordered):
    seats = min(total, sum(caps.get(key, math.inf) for key in weights))
    fixed = {}
    while True:
        active = [key for key in weights if key not in fixed]
        house = seats - sum(fixed.values())
        weight_sum = sum(weights[key] for key in active)
        quota = {key: Fraction(house * weights[key], weight_sum) for key in active}
        shares = {key: math.floor(quota[key]) for key in active}
        left_over = house - sum(shares.values())
        by_remainder = sorted(active, key=lambda key: (-(quota[key] - shares[key]), -weights[key],
                                                       ordered.index(key)))
        for key in by_remainder[:left_over]:
            shares[key] += 1
        over = [key for key in active if shares[key] > caps.get(key, math.inf)]
        if not over:
            return {**fixed, **shares}
        for key in over:
            fixed[key] = caps[key]


def capacity(weights, caps):
    caps = caps or {}
    return sum(caps.get(key, math.inf) for key in weights)


# Strategies: a few keys of one kind (str, int or (region, category) tuples), weights with many
# small values so that ties happen, and caps on some of the keys.

KEY_KINDS = [
    st.text(alphabet="abcdefghij", min_size=1, max_size=2),
    st.integers(-5, 30),
    st.tuples(st.sampled_from(["710000000", "230000000", "750000000"]),
              st.sampled_from(["1", "2", "3", "4", "seasonal"])),
]
WEIGHTS = st.one_of(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 10]), st.integers(0, 5_000))


@st.composite
def problems(draw, max_total=60, caps=None, min_weight=0):
    keys = draw(st.sampled_from(KEY_KINDS))
    weights = draw(st.dictionaries(keys, WEIGHTS.filter(lambda w: w >= min_weight),
                                   min_size=1, max_size=12))
    total = draw(st.integers(0, max_total))
    if caps is None:
        caps = draw(st.booleans())
    cap_map = None
    if caps:
        capped = draw(st.lists(st.sampled_from(sorted(weights)), unique=True))
        cap_map = {key: draw(st.integers(0, max(2, max_total // 3))) for key in capped}
    return total, weights, cap_map


# Properties.

@pytest.mark.parametrize("method", ALL_METHODS)
@MANY
@given(problem=problems(max_total=1_000_000))
def test_shares_are_non_negative_ints_within_caps_summing_to_total_or_capacity(method, problem):
    total, weights, caps = problem
    shares = apportion(total, weights, caps=caps, method=method)
    assert list(shares) == list(weights)
    assert all(type(share) is int and share >= 0 for share in shares.values())
    assert all(shares[key] <= cap for key, cap in (caps or {}).items())
    assert sum(shares.values()) == min(total, capacity(weights, caps))
    if caps is None:
        assert sum(shares.values()) == total


@pytest.mark.parametrize("method", ALL_METHODS)
@MANY
@given(problem=problems(max_total=60))
def test_it_agrees_with_the_slow_reference_for_small_totals(method, problem):
    total, weights, caps = problem
    assert apportion(total, weights, caps=caps, method=method) == reference(total, weights, caps,
                                                                          method)


@pytest.mark.parametrize("method", DIVISORS)
@PROPERTY
@given(problem=problems(max_total=1_000_000), grow=st.sampled_from([1, 1, 1, 2, 7, 1_000]))
def test_divisor_methods_never_lower_a_key_when_the_total_grows(method, problem, grow):
    total, weights, caps = problem  # with caps in about half of the examples
    before = apportion(total, weights, caps=caps, method=method)
    after = apportion(total + grow, weights, caps=caps, method=method)
    assert all(after[key] >= before[key] for key in weights), (before, after)


@PROPERTY
@given(problem=problems(max_total=1_000_000, caps=False))
def test_hamilton_gives_each_key_the_floor_or_the_ceiling_of_its_quota(problem):
    total, weights, _ = problem
    shares = apportion(total, weights, method="hamilton")
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        # All weights 0: shared as equals.
        quota = Fraction(total * weight, weight_sum) if weight_sum else Fraction(total, len(weights))
        assert math.floor(quota) <= shares[key] <= math.ceil(quota)


@pytest.mark.parametrize("method", ALL_METHODS)
@PROPERTY
@given(data=st.data())
def test_the_order_of_the_mappings_changes_nothing(method, data):
    total, weights, caps = data.draw(problems(max_total=10_000))
    shuffled = dict(data.draw(st.permutations(list(weights.items()))))
    shuffled_caps = None if caps is None else dict(data.draw(st.permutations(list(caps.items()))))
    assert apportion(total, shuffled, caps=shuffled_caps, method=method) == apportion(
        total, weights, caps=caps, method=method)


@pytest.mark.parametrize("method", DIVISORS)
@PROPERTY
@given(problem=problems(max_total=10**9, min_weight=1))
def test_divisor_results_for_large_totals_meet_the_divisor_criterion(method, problem):
    # Too large for the seat-by-seat reference: check the definition directly instead. Every seat
    # given has a better claim than every seat that a key below its cap could still take.
    total, weights, caps = problem
    caps = caps or {}
    ordered = sorted(weights)
    shares = apportion(total, weights, caps=caps, method=method)
    given_claims = [claim(method, weights[key], shares[key] - 1, key, ordered)
                    for key in weights if shares[key] > 0]
    open_claims = [claim(method, weights[key], shares[key], key, ordered)
                   for key in weights if shares[key] < caps.get(key, math.inf)]
    if given_claims and open_claims:
        assert min(given_claims) > max(open_claims)


@pytest.mark.parametrize("method", ALL_METHODS)
@PROPERTY
@given(problem=problems(max_total=10_000))
def test_zero_weight_keys_get_seats_only_once_every_positive_key_is_full(method, problem):
    total, weights, caps = problem
    caps = caps or {}
    shares = apportion(total, weights, caps=caps, method=method)
    if any(shares[key] for key, weight in weights.items() if weight == 0):
        assert all(shares[key] == caps.get(key, math.inf) for key, w in weights.items() if w > 0)


# Textbook examples.

WIKIPEDIA_VOTES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_matches_the_worked_example():
    # Wikipedia, "D'Hondt method": 8 seats; quotients 100, 80, 50, 40, 33.3, 30, 26.7, 25 (x1000)
    # take the seats; D's 20 does not.
    assert apportion(8, WIKIPEDIA_VOTES, method="dhondt") == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_matches_the_worked_example():
    # Wikipedia, "Sainte-Laguë method", the same votes: divisors 1, 3, 5, ...; quotients 100, 80,
    # 33.3, 30, 26.7, 20 (A), 20 (D), 16 (x1000) take the 8 seats.
    assert apportion(8, WIKIPEDIA_VOTES) == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert apportion(8, WIKIPEDIA_VOTES, method="webster") == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_hamilton_matches_the_largest_remainder_example():
    # Wikipedia, "Largest remainder method", Hare quota 10,000: quotas 4.7, 1.6, 1.58, 1.2, 0.61,
    # 0.31; the 3 seats left after the floors go to .70, .61 and .60.
    votes = {"a": 47_000, "b": 16_000, "c": 15_800, "d": 12_000, "e": 6_100, "f": 3_100}
    assert apportion(10, votes, method="hamilton") == {"a": 5, "b": 2, "c": 1, "d": 1, "e": 1,
                                                       "f": 0}


def test_hamilton_shows_the_alabama_paradox():
    # Wikipedia, "Apportionment paradox": populations 6, 6, 2. 10 seats: quotas 4.29, 4.29, 1.43
    # -> 4, 4, 2. 11 seats: quotas 4.71, 4.71, 1.57 -> 5, 5, 1: C loses a seat as the house grows.
    populations = {"A": 6, "B": 6, "C": 2}
    assert apportion(10, populations, method="hamilton") == {"A": 4, "B": 4, "C": 2}
    assert apportion(11, populations, method="hamilton") == {"A": 5, "B": 5, "C": 1}
    # The divisor methods do not do that.
    for method in DIVISORS:
        ten, eleven = (apportion(n, populations, method=method) for n in (10, 11))
        assert all(eleven[key] >= ten[key] for key in populations)


def test_the_four_methods_differ_as_computed_by_hand():
    # Weights 11, 30, 91 (sum 132), 7 seats.
    # Webster, w / (s + 1/2): 182 c, 60.7 c, 60 b, 36.4 c, 26 c, 22 a, 20.2 c | 20 b.
    # D'Hondt, w / (s + 1): 91 c, 45.5 c, 30.3 c, 30 b, 22.8 c, 18.2 c, 15.2 c | 15 b.
    # Huntington-Hill: a first seat each, then w / sqrt(s(s + 1)): 64.3 c, 37.2 c, 26.3 c, 21.2 b
    # | 20.3 c. Hamilton: quotas 0.58, 1.59, 4.83; floors 0, 1, 4; the 2 left to .83 c and .59 b.
    weights = {"a": 11, "b": 30, "c": 91}
    assert apportion(7, weights) == {"a": 1, "b": 1, "c": 5}
    assert apportion(7, weights, method="webster") == {"a": 1, "b": 1, "c": 5}
    assert apportion(7, weights, method="dhondt") == {"a": 0, "b": 1, "c": 6}
    assert apportion(7, weights, method="huntington_hill") == {"a": 1, "b": 2, "c": 4}
    assert apportion(7, weights, method="hamilton") == {"a": 0, "b": 2, "c": 5}


def test_huntington_hill_gives_every_key_a_first_seat_before_any_second():
    # 7 and 3, two seats: D'Hondt gives both to 7 (7, then 3.5 > 3); Huntington-Hill one each.
    assert apportion(2, {"A": 7, "B": 3}, method="huntington_hill") == {"A": 1, "B": 1}
    assert apportion(2, {"A": 7, "B": 3}, method="dhondt") == {"A": 2, "B": 0}
    # The Wikipedia votes: one seat each, then 70.7 (A), 56.6 (B), 40.8 (A), 32.7 (B) (x1000).
    assert apportion(8, WIKIPEDIA_VOTES, method="huntington_hill") == {"A": 3, "B": 3, "C": 1,
                                                                       "D": 1}


def test_huntington_hill_with_fewer_seats_than_keys_serves_the_largest_weights():
    weights = {"a": 5, "b": 9, "c": 9, "d": 1}
    assert apportion(2, weights, method="huntington_hill") == {"a": 0, "b": 1, "c": 1, "d": 0}
    assert apportion(3, weights, method="huntington_hill") == {"a": 1, "b": 1, "c": 1, "d": 0}
    # equal weights: the keys that sort first
    assert apportion(2, {"c": 5, "a": 5, "b": 5}, method="huntington_hill") == {"c": 0, "a": 1,
                                                                                "b": 1}


# The documented rules.

@pytest.mark.parametrize(("method", "total", "weights", "expected"), [
    # Webster: after b's first seat, b's 3/1.5 equals a's 1/0.5.
    ("webster", 2, {"a": 1, "b": 3}, {"a": 0, "b": 2}),
    # Hamilton: quotas 0.5 and 1.5, equal remainders.
    ("hamilton", 2, {"a": 1, "b": 3}, {"a": 0, "b": 2}),
    # D'Hondt: 3, 1.5, then b's 3/3 equals a's 1/1.
    ("dhondt", 3, {"a": 1, "b": 3}, {"a": 0, "b": 3}),
    # Huntington-Hill: a first seat each, b's next 7 seats (36/2 ... 36/56), then a's 1/(1*2)
    # equals b's 36/(8*9) (squares compared).
    ("huntington_hill", 10, {"a": 1, "b": 6}, {"a": 1, "b": 9}),
])
def test_equal_claims_go_to_the_larger_weight(method, total, weights, expected):
    assert apportion(total, weights, method=method) == expected
    assert reference(total, weights, None, method) == expected


@pytest.mark.parametrize("method", ALL_METHODS)
def test_between_equal_weights_the_key_that_sorts_first_wins_whatever_the_dict_order(method):
    assert apportion(1, {"y": 5, "x": 5}, method=method) == {"y": 0, "x": 1}
    assert apportion(3, {("B", "2"): 4, ("A", "9"): 4}, method=method) == {("B", "2"): 1,
                                                                            ("A", "9"): 2}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_all_zero_weights_are_shared_as_equal_weights(method):
    assert apportion(7, {"c": 0, "b": 0, "a": 0}, method=method) == {"c": 2, "b": 2, "a": 3}
    assert apportion(0, {"a": 0, "b": 0}, method=method) == {"a": 0, "b": 0}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_zero_weight_key_gets_nothing_beside_an_uncapped_positive_key(method):
    assert apportion(100, {"a": 1, "b": 0}, method=method) == {"a": 100, "b": 0}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_what_capped_positive_keys_cannot_take_goes_to_the_zero_weight_keys(method):
    shares = apportion(5, {"a": 10, "b": 0, "c": 0}, caps={"a": 2, "c": 1}, method=method)
    assert shares == {"a": 2, "b": 2, "c": 1}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_with_every_key_capped_the_sum_stops_at_the_caps(method):
    weights = {"a": 5, "b": 0, "c": 3}
    caps = {"a": 1, "b": 1, "c": 4}
    assert apportion(1_000, weights, caps=caps, method=method) == caps
    assert apportion(0, weights, caps=caps, method=method) == {"a": 0, "b": 0, "c": 0}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_capped_keys_surplus_goes_to_the_others_by_the_same_method(method):
    weights = {"big": 1_000, "x": 60, "y": 40}
    shares = apportion(20, weights, caps={"big": 10}, method=method)
    assert shares == {"big": 10, "x": 6, "y": 4}
    assert apportion(10, {"x": 60, "y": 40}, method=method) == {"x": 6, "y": 4}


def test_a_key_that_reaches_its_cap_among_the_last_seats_stops_there():
    # Webster's jump-start (divisor 140/10 = 14) gives big 7 and the small ones none (4/14 < 1/2);
    # the last three seats would all go to big (13.3, 11.8, 10.5 against 8), but its cap is 8.
    weights = {"big": 100, **{f"s{i}": 4 for i in range(10)}}
    assert apportion(10, weights)["big"] == 10
    shares = apportion(10, weights, caps={"big": 8})
    assert shares == {"big": 8, "s0": 1, "s1": 1, **{f"s{i}": 0 for i in range(2, 10)}}
    assert shares == reference(10, weights, {"big": 8}, "webster")


@pytest.mark.parametrize("method", ALL_METHODS)
def test_empty_caps_mean_no_caps(method):
    assert apportion(9, {"a": 1, "b": 2}, caps={}, method=method) == apportion(9, {"a": 1, "b": 2},
                                                                                method=method)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_huge_totals_cost_no_more_than_small_ones(method):
    # A seat-by-seat loop would not return; the jump-start does at once.
    weights = {region: 1_000 + 37 * region for region in range(20)}
    shares = apportion(10**15, weights, caps={0: 3}, method=method)
    assert sum(shares.values()) == 10**15 and shares[0] == 3


def test_empty_weights_give_an_empty_result_for_a_zero_total():
    assert apportion(0, {}) == {}
    assert apportion(0, {}, caps={}) == {}


# Errors.

@pytest.mark.parametrize(("arguments", "message"), [
    ({"total": -1}, "total must be non-negative, got -1"),
    ({"total": 1.5}, "total must be a non-negative int, got 1.5 (float)"),
    ({"total": 2.0}, "total must be a non-negative int, got 2.0 (float)"),
    ({"total": True}, "total must be a non-negative int, got True (bool)"),
    ({"total": "5"}, "total must be a non-negative int, got '5' (str)"),
    ({"weights": {"a": -3}}, "weight of 'a' must be non-negative, got -3"),
    ({"weights": {"a": 1.5}}, "weight of 'a' must be a non-negative int, got 1.5 (float)"),
    ({"weights": {"a": False}}, "weight of 'a' must be a non-negative int, got False (bool)"),
    ({"weights": [("a", 1)]}, "weights must be a mapping of key -> int, got list"),
    ({"caps": {"a": -1}}, "cap of 'a' must be non-negative, got -1"),
    ({"caps": {"a": 0.5}}, "cap of 'a' must be a non-negative int, got 0.5 (float)"),
    ({"caps": {"a": True}}, "cap of 'a' must be a non-negative int, got True (bool)"),
    ({"caps": {"z": 1}}, "caps names 'z', which has no weight"),
    ({"caps": [1]}, "caps must be a mapping of key -> int or None, got list"),
    ({"method": "sainte_lague"}, "unknown apportionment method 'sainte_lague'; choose one of: "
                                 "'webster', 'hamilton', 'dhondt', 'huntington_hill'"),
    ({"method": None}, "unknown apportionment method None; choose one of: "),
    ({"weights": {}}, "cannot apportion a total of 5 among no keys"),
    ({"weights": {1: 1, "a": 1}}, "the keys of weights must be mutually orderable"),
])
def test_bad_arguments_raise_a_value_error_that_says_what_is_wrong(arguments, message):
    call = {"total": 5, "weights": {"a": 1, "b": 2}, **arguments}
    total, weights = call.pop("total"), call.pop("weights")
    with pytest.raises(ValueError) as error:
        apportion(total, weights, **call)
    assert str(error.value).startswith(message)


# Packaging: Django-free module, translated labels.

def test_the_module_imports_without_django_settings_and_without_django():
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    script = ("import sys; from allocation.apportion import apportion; "
              "assert apportion(3, {'a': 1, 'b': 2}) == {'a': 1, 'b': 2}; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_method_has_a_label_in_russian_and_kazakh():
    from django.utils import translation

    from allocation.apportion_labels import METHOD_CHOICES, METHOD_LABELS

    assert list(METHOD_LABELS) == list(METHODS) == [name for name, _ in METHOD_CHOICES]
    with translation.override("en"):
        assert str(METHOD_LABELS["webster"]) == "Webster (Sainte-Laguë) method"
    with translation.override("ru"):
        assert str(METHOD_LABELS["webster"]) == "Метод Уэбстера (Сент-Лагю)"
        assert str(METHOD_LABELS["dhondt"]) == "Метод д’Ондта (Джефферсона)"
    with translation.override("kk"):
        assert str(METHOD_LABELS["hamilton"]) == "Гамильтон (ең үлкен қалдық) әдісі"
        assert str(METHOD_LABELS["huntington_hill"]) == "Хантингтон — Хилл (тең пропорциялар) әдісі"
