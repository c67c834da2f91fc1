"""Time the what-if use of allocation/apportion.py: 4 methods x 21 quota variants.

    .venv/bin/python bench/apportion.py [--repeat 7] [--seed 2026]

20 regions x 5 categories (cat. 1-4 and seasonal) = 100 keys, each requesting a few hundred to a
few thousand workers (the weight) and capped at its request. The 21 quota variants run from 5,000
to 105,000 in steps of 5,000, so the last ones exceed some regions' requests and the caps bite.
Prints the best of --repeat runs of all 84 apportionments, once with caps and once without, the
baseline (a plain loop computing the proportional floors total * w // W for the same 84 inputs)
and the ratio. Needs no database and no Django settings. Speed is measured here, never in tests.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from allocation.apportion import METHODS, apportion  # noqa: E402

REGIONS = 20
CATEGORIES = ("1", "2", "3", "4", "seasonal")
TOTALS = [5_000 * step for step in range(1, 22)]


def requests(seed: int) -> dict[tuple[int, str], int]:
    rng = random.Random(seed)
    return {
        (region, category): rng.randint(200, 3_000 if category != "1" else 600)
        for region in range(REGIONS)
        for category in CATEGORIES
    }


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    weights = requests(args.seed)

    def with_caps() -> None:
        for method in METHODS:
            for total in TOTALS:
                apportion(total, weights, caps=weights, method=method)

    def without_caps() -> None:
        for method in METHODS:
            for total in TOTALS:
                apportion(total, weights, method=method)

    def baseline() -> None:
        for _method in METHODS:
            for total in TOTALS:
                weight_sum = sum(weights.values())
                {key: total * weight // weight_sum for key, weight in weights.items()}

    runs = len(METHODS) * len(TOTALS)
    base = best_of(args.repeat, baseline)
    print(f"{len(weights)} keys, requests {sum(weights.values()):,} in all, "
          f"totals {TOTALS[0]:,}..{TOTALS[-1]:,}, {runs} apportionments, best of {args.repeat}")
    print(f"  baseline (proportional floors)  {base * 1000:8.2f} ms")
    for label, run in (("apportion, capped at requests", with_caps),
                       ("apportion, no caps", without_caps)):
        spent = best_of(args.repeat, run)
        print(f"  {label:<31} {spent * 1000:8.2f} ms  ({spent / base:5.1f} x baseline)")
    for method in METHODS:
        spent = best_of(args.repeat, lambda method=method: [apportion(t, weights, caps=weights, method=method)
                                              for t in TOTALS])
        print(f"    {method:<16} x {len(TOTALS)} capped    {spent * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
