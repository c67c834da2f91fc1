"""Measure the export layer against bare openpyxl on a large sheet: peak memory and time.

    .venv/bin/python bench/exports.py [--rows 100000] [--repeat 3]

An exporter of N rows x 9 columns (Annex 2's shape: No., organization, current-year count, the
five categories, a date) is written four ways, each to a temporary file:

  layer xlsx       render through quota_portal.core.exports (write-only, styles, formula guard,
                   number checks, a legal-form layout with a merged, numbered header)
  bare write-only  openpyxl `Workbook(write_only=True)` appending plain values: the floor
  bare normal      openpyxl `Workbook()` (every cell held in memory): what write-only avoids
  layer csv        `iter_csv` streamed to the file

Peak memory is tracemalloc's peak of Python allocations during the write (a separate run, as
tracemalloc slows the code); time is the best of --repeat runs without tracemalloc. Needs no
database. Memory and speed are measured here, never in tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.test")

import django

django.setup()

from openpyxl import Workbook  # noqa: E402 - Django is set up first

from quota_portal.core.exports import Column, Exporter, Filled, LegalFormLayout, iter_csv, write_xlsx  # noqa: E402


def values(n: int):
    for i in range(n):
        yield [i + 1, f"ТОО «Организация {i}», г. Астана, ул. Абая, {i % 300}", i % 50, i % 3, i % 5, i % 11,
               i % 17, i % 7, dt.date(2026, 1 + i % 12, 1 + i % 28)]


class Annex2Like(Exporter):
    identifier = "bench"

    def __init__(self, n: int):
        self.n = n

    def title(self):
        return "Bench"

    def columns(self):
        need = "Потребность на 2028 год"
        return [Column("no", "№", "int", width=6, number=1), Column("org", "Организация", width=40, number=2),
                Column("current", "Текущий год", "int", number=3),
                *[Column(f"cat_{k}", f"{k}-я категория", "int", group=need, number=3 + k) for k in range(1, 5)],
                Column("seasonal", "Сезонные", "int", group=need, number=8),
                Column("date", "Дата", "date", number=9)]

    def rows(self):
        return values(self.n)


def layer_xlsx(n: int, path: str) -> None:
    write_xlsx(path, Annex2Like(n), LegalFormLayout(title="Заявка", annex_label=["Приложение 2"],
                                                   sender_lines=[Filled("от акимата", "(наименование)")]))


def bare_write_only(n: int, path: str) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Bench")
    ws.append(["№", "Организация", "Текущий год", "1", "2", "3", "4", "Сезонные", "Дата"])
    for row in values(n):
        ws.append(row)
    wb.save(path)


def bare_normal(n: int, path: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["№", "Организация", "Текущий год", "1", "2", "3", "4", "Сезонные", "Дата"])
    for row in values(n):
        ws.append(row)
    wb.save(path)


def layer_csv(n: int, path: str) -> None:
    with open(path, "wb") as fh:
        fh.writelines(iter_csv(Annex2Like(n)))


def measure(fn, n: int, repeat: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out")
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            fn(n, path)
            best = min(best, time.perf_counter() - start)
        size = os.path.getsize(path)
        tracemalloc.start()
        fn(n, path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return best, peak / 2**20, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.rows:,} rows x 9 columns, best of {args.repeat}")
    print(f"{'':18}{'time s':>9}{'peak MiB':>10}{'file MiB':>10}")
    for name, fn in [("layer xlsx", layer_xlsx), ("bare write-only", bare_write_only),
                     ("bare normal", bare_normal), ("layer csv", layer_csv)]:
        seconds, peak, size = measure(fn, args.rows, args.repeat)
        print(f"{name:18}{seconds:9.2f}{peak:10.1f}{size / 2**20:10.1f}")


if __name__ == "__main__":
    main()
