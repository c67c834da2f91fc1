"""Apportionment: share a whole number of places among keys in proportion to their weights.

Used when the requests exceed the quota (Rules p.20: the Ministry distributes the quota "according
to the akimats' applications"): the weights are the requested numbers, the total is the quota, and
a cap (usually the request itself) keeps a key from receiving more than it asked for.

    apportion(total, weights, *, caps=None, method="webster") -> dict[key, int]

Pure Python, no Django: importable and testable without settings or a database. All arithmetic is
exact (integers; a float only orders claims whose exact ratios it orders the same way, the
exact ratio decides when two floats are equal); no float ever decides a seat.

Methods (``METHODS``)
---------------------
- ``"webster"`` (default): Webster / Sainte-Laguë, divisors s + 1/2.
- ``"dhondt"``: D'Hondt / Jefferson, divisors s + 1 (favours large keys).
- ``"huntington_hill"``: Huntington-Hill / equal proportions, divisors sqrt(s(s + 1)). The divisor
  at 0 seats is 0, so every positive-weight key gets a first seat before any key gets a second.
  When the total is smaller than the number of positive-weight keys, the keys with the largest
  weights get one seat each (ties by the rule below) and the others get none.
- ``"hamilton"``: Hamilton / largest remainder (Hare quota): each key gets the floor of its exact
  quota total * w / W, the seats left over go one each to the largest remainders.

A divisor method is the seat-by-seat rule "the next seat goes to the key with the largest
w / d(s), s being the seats it already has". The code does not loop seat by seat: it starts from
the counts at a well-chosen divisor (the jump-start) and moves the last few seats with a heap, so
the work grows with the number of keys, not with the total. The result is exactly the
seat-by-seat result, ties included (the tests compare the two).

Caps
----
``caps`` maps a key to the most it may receive; a key missing from ``caps`` is uncapped; a key in
``caps`` must also be in ``weights``. Divisor methods: a key at its cap stops receiving seats and
the next one goes to the best key below its cap. Hamilton: keys whose share exceeds their cap are
fixed at the cap and the rest is apportioned again among the others, until no share exceeds a cap.

Sum
---
The result sums to ``min(total, capacity)``, where capacity is the sum of the caps and is
unlimited as soon as one key has no cap. Without caps the result therefore sums to ``total``.

Zero weights
------------
A key of weight 0 receives nothing while a positive-weight key can still take a seat. Only when
every positive-weight key is at its cap (or there is none: all weights are 0) do the seats that
remain go to the zero-weight keys, apportioned among them by the same method as if their weights
were all equal (so an all-zero ``weights`` is split equally, the remainder by the tie rule). This
keeps the sum rule above. An empty ``weights`` with ``total > 0`` raises ValueError: there is no
key to give the seats to.

Ties
----
When two keys have an equal claim on a seat (equal w / d(s) for a divisor method, equal remainder
for Hamilton), the key with the larger weight gets it; between equal weights, the key that sorts
first (``sorted(weights)``) gets it. Keys must therefore be mutually orderable (all str, all int,
all tuples of those...). The result does not depend on the order of ``weights``'s items.

House monotonicity
------------------
For the divisor methods, with or without caps, raising the total never lowers any key (a result
is the seat-by-seat greedy's prefix). Hamilton is not house monotone (the Alabama paradox: 6, 6, 2
get 4, 4, 2 of 10 seats but 5, 5, 1 of 11); without caps it satisfies the quota rule instead: each
key gets the floor or the ceiling of its exact quota.

Errors
------
ValueError, with a message naming the argument: a total, weight or cap that is not an int (bool
and float are refused, 1.5 as much as 2.0) or is negative; an unknown method (the message lists the
valid ones); caps for a key that has no weight; keys that cannot be sorted; a positive total
among no keys.
"""
from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping
from types import MappingProxyType
from typing import TypeVar

__all__ = ["DEFAULT_METHOD", "DIVISOR_METHODS", "METHODS", "apportion"]

K = TypeVar("K", bound=Hashable)


def gettext_noop(message: str) -> str:
    """Mark a label for makemessages without importing Django; apportion_labels translates it."""
    return message


# Method name -> English label (the msgid; allocation/apportion_labels.py gives the translation).
METHODS: Mapping[str, str] = MappingProxyType({
    "webster": gettext_noop("Webster (Sainte-Laguë) method"),
    "hamilton": gettext_noop("Hamilton (largest remainder) method"),
    "dhondt": gettext_noop("D'Hondt (Jefferson) method"),
    "huntington_hill": gettext_noop("Huntington–Hill (equal proportions) method"),
})
DIVISOR_METHODS = frozenset({"webster", "dhondt", "huntington_hill"})
DEFAULT_METHOD = "webster"

_INFINITY = float("inf")  # Huntington-Hill's priority for a first seat (divisor 0), as a float


def apportion(
    total: int,
    weights: Mapping[K, int],
    *,
    caps: Mapping[K, int] | None = None,
    method: str = DEFAULT_METHOD,
) -> dict[K, int]:
    """Apportion ``total`` seats among the keys of ``weights`` by ``method``; see the module doc.

    Returns a dict with every key of ``weights`` (in its order) mapped to a non-negative int, none
    above its cap, summing to min(total, sum of caps), i.e. to ``total`` when some key is uncapped.
    """
    _check_count("total", total)
    if not isinstance(method, str) or method not in METHODS:
        valid = ", ".join(repr(name) for name in METHODS)
        raise ValueError(f"unknown apportionment method {method!r}; choose one of: {valid}")
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a mapping of key -> int, got {type(weights).__name__}")
    if not _all_counts(weights.values()):  # the message names the first bad one
        for key, weight in weights.items():
            _check_count(f"weight of {key!r}", weight)
    if caps is None:
        caps = {}
    elif not isinstance(caps, Mapping):
        raise ValueError(f"caps must be a mapping of key -> int or None, got {type(caps).__name__}")
    if not (caps.keys() <= weights.keys() and _all_counts(caps.values())):
        for key, cap in caps.items():
            if key not in weights:
                raise ValueError(f"caps names {key!r}, which has no weight")
            _check_count(f"cap of {key!r}", cap)
    if not weights:
        if total:
            raise ValueError(f"cannot apportion a total of {total} among no keys")
        return {}
    try:
        ordered = sorted(weights)
    except TypeError as error:
        raise ValueError(
            "the keys of weights must be mutually orderable (ties are broken by their sort order): "
            f"{error}"
        ) from None
    rank = {key: position for position, key in enumerate(ordered)}

    result = dict.fromkeys(weights, 0)
    positive = [key for key in ordered if weights[key] > 0]
    zero = [key for key in ordered if weights[key] == 0]
    remaining = total
    # Positive weights first; zero-weight keys share, as equals, only what the others cannot take.
    for group, weight_of in ((positive, weights.__getitem__), (zero, lambda key: 1)):
        if not group or not remaining:
            continue
        cap_list = [min(caps.get(key, remaining), remaining) for key in group]
        seats = min(remaining, sum(cap_list))
        if not seats:
            continue
        shares = _apportion_group(
            seats, [weight_of(key) for key in group], cap_list, [rank[key] for key in group], method
        )
        for key, share in zip(group, shares, strict=True):
            result[key] = share
        remaining -= seats
    return result


def _all_counts(values) -> bool:
    """Every value a plain non-negative int: one pass, for the common case (a what-if grid calls
    apportion 84 times with the same 100 weights); `_check_count` then words the refusal."""
    return all(type(value) is int and value >= 0 for value in values)


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        kind = type(value).__name__
        raise ValueError(f"{name} must be a non-negative int, got {value!r} ({kind})")
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value}")


def _apportion_group(
    total: int, weights: list[int], caps: list[int], ranks: list[int], method: str
) -> list[int]:
    """Shares for positive ``weights`` with finite ``caps``, 0 < total <= sum(caps)."""
    if method == "hamilton":
        return _hamilton(total, weights, caps, ranks)
    return _divisor(total, weights, caps, ranks, method)


def _hamilton(total: int, weights: list[int], caps: list[int], ranks: list[int]) -> list[int]:
    shares = [0] * len(weights)
    active = list(range(len(weights)))
    remaining = total
    while True:
        weight_sum = sum(weights[i] for i in active)
        remainders = {}
        for i in active:
            # The quota is remaining * w / weight_sum; with one denominator the integer remainders
            # compare exactly as the fractional parts do.
            shares[i], remainders[i] = divmod(remaining * weights[i], weight_sum)
        left_over = remaining - sum(shares[i] for i in active)
        by_claim = sorted(active, key=lambda i: (-remainders[i], -weights[i], ranks[i]))
        for i in by_claim[:left_over]:
            shares[i] += 1
        over = [i for i in active if shares[i] > caps[i]]
        if not over:
            return shares
        # Since remaining <= the active caps' sum, some key always stays below its cap.
        for i in over:
            shares[i] = caps[i]
            remaining -= caps[i]
        fixed = set(over)
        active = [i for i in active if i not in fixed]


def _divisor(
    total: int, weights: list[int], caps: list[int], ranks: list[int], method: str
) -> list[int]:
    count = _COUNT[method]
    priority = _PRIORITY[method]
    n = len(weights)

    # Jump-start: find a divisor t close to the final one, re-estimating it once for the keys it
    # would push over their caps (their surplus goes to the others, so t must fall).
    fixed = [False] * n
    seats, weight_sum, free = total, sum(weights), n
    while True:
        if method == "dhondt":  # D'Hondt's counts run about half a seat per key below the quota
            t_num, t_den = 2 * weight_sum, 2 * seats + free
        else:
            t_num, t_den = weight_sum, seats
        newly = [i for i in range(n) if not fixed[i] and count(weights[i], t_num, t_den) >= caps[i]]
        if not newly:
            break
        for i in newly:
            fixed[i] = True
            seats -= caps[i]
            weight_sum -= weights[i]
            free -= 1
        if seats <= 0 or not free:
            break
    # Every slot of priority above t, capped: the first sum(shares) slots of the seat-by-seat order.
    shares = [min(caps[i], count(weights[i], t_num, t_den)) for i in range(n)]
    given = sum(shares)

    # A claim on a slot, as a heap entry: the best claim is the highest priority, then the larger
    # weight, then the key that sorts first (the documented tie rule). The priority is its float
    # (correctly rounded, so never out of order) followed by the exact ratio, which a tuple only
    # compares when the floats are equal: exact without building a Fraction per claim.
    def best_next(i: int) -> tuple:
        num, den = priority(weights[i], shares[i])
        return (-(num / den) if den else -_INFINITY, _Ratio(-num, den), -weights[i], ranks[i], i)

    def worst_last(i: int) -> tuple:
        num, den = priority(weights[i], shares[i] - 1)
        return (num / den if den else _INFINITY, _Ratio(num, den), weights[i], -ranks[i], i)

    if given < total:  # hand out the next best slots
        heap = [best_next(i) for i in range(n) if shares[i] < caps[i]]
        heapq.heapify(heap)
        for _ in range(total - given):
            i = heapq.heappop(heap)[-1]
            shares[i] += 1
            if shares[i] < caps[i]:
                heapq.heappush(heap, best_next(i))
    elif given > total:  # take back the worst slots given
        heap = [worst_last(i) for i in range(n) if shares[i] > 0]
        heapq.heapify(heap)
        for _ in range(given - total):
            i = heapq.heappop(heap)[-1]
            shares[i] -= 1
            if shares[i] > 0:
                heapq.heappush(heap, worst_last(i))
    return shares


class _Ratio:
    """num / den (den >= 0; den 0 is +-infinity by num's sign), ordered exactly by
    cross-multiplying: no gcd, unlike Fraction. Only compared when two priorities' floats tie."""

    __slots__ = ("den", "num")

    def __init__(self, num: int, den: int):
        self.num, self.den = num, den

    def __eq__(self, other: object) -> bool:
        return self.num * other.den == other.num * self.den

    def __lt__(self, other: _Ratio) -> bool:
        return self.num * other.den < other.num * self.den

    __hash__ = None


# Priority of the seat after s seats, w / d(s), as an exact ratio (num, den) that orders the same
# way; den 0 is an infinite priority.
def _webster_priority(w: int, s: int) -> tuple[int, int]:
    return 2 * w, 2 * s + 1  # w / (s + 1/2)


def _dhondt_priority(w: int, s: int) -> tuple[int, int]:
    return w, s + 1


def _huntington_hill_priority(w: int, s: int) -> tuple[int, int]:
    # (w / sqrt(s(s + 1)))^2 orders as w / sqrt(s(s + 1)) does, and stays rational; at s = 0 the
    # divisor is 0: infinite.
    return (1, 0) if s == 0 else (w * w, s * (s + 1))


# How many seats of weight w have a priority strictly above t = t_num / t_den (> 0).
def _webster_count(w: int, t_num: int, t_den: int) -> int:
    # 2w / (2s + 1) > t  <=>  2s + 1 < 2w t_den / t_num: the odd numbers below that bound.
    return (2 * w * t_den + t_num - 1) // (2 * t_num)


def _dhondt_count(w: int, t_num: int, t_den: int) -> int:
    # w / (s + 1) > t  <=>  s + 1 < w t_den / t_num: ceil(w t_den / t_num) - 1 of them.
    return (w * t_den + t_num - 1) // t_num - 1


def _huntington_hill_count(w: int, t_num: int, t_den: int) -> int:
    # w / sqrt(s(s + 1)) > t  <=>  s(s + 1) t_num^2 < (w t_den)^2, true at s = 0 and falling in s:
    # the answer is the first s where it fails, one or two steps above floor(w / t) - 1.
    a, b = w * t_den, t_num
    a2, b2 = a * a, b * b
    s = max(a // b - 1, 0)
    while s * (s + 1) * b2 < a2:
        s += 1
    return s


_PRIORITY = {
    "webster": _webster_priority,
    "dhondt": _dhondt_priority,
    "huntington_hill": _huntington_hill_priority,
}
_COUNT = {
    "webster": _webster_count,
    "dhondt": _dhondt_count,
    "huntington_hill": _huntington_hill_count,
}
