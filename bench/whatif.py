"""Figure 5: the what-if grid, 4 methods x 21 quota variants x 20 regions x 5 categories, with
allocation/apportion.py (capped at the requests), against the plain proportional floors of the
same 84 inputs (bench/apportion.py's baseline). Goal: the whole grid <= 200 ms. No database.

    .venv/bin/python bench/whatif.py [--repeat 7]
"""
from __future__ import annotations

import argparse

from apportion import TOTALS, best_of, requests  # bench/apportion.py
from common import report

from allocation.apportion import METHODS, apportion  # noqa: I001 - common puts the project on sys.path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    weights = requests(2026)

    def grid() -> None:
        for method in METHODS:
            for total in TOTALS:
                apportion(total, weights, caps=weights, method=method)

    def floors() -> None:
        for _method in METHODS:
            for total in TOTALS:
                weight_sum = sum(weights.values())
                {key: total * weight // weight_sum for key, weight in weights.items()}

    value, baseline = best_of(args.repeat, grid) * 1000, best_of(args.repeat, floors) * 1000
    report("5_whatif", title="What-if grid (4 methods x 21 variants x 100 cells)", value=value, unit="ms",
           baseline=baseline, goal="<= 200 ms", met=value <= 200,
           detail={"methods": len(METHODS), "variants": len(TOTALS), "cells": len(weights),
                   "baseline": "proportional floors total * w // W for the same 84 inputs"})


if __name__ == "__main__":
    main()
