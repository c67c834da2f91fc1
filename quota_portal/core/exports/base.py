"""What an exporter is: columns it declares and rows it yields (pretix's `ListExporter` shape).

An exporter knows nothing of file formats; the renderers (`renderers.py`) turn it into XLSX, CSV
or JSON, and a layout (`layouts.py`) puts a legal form's title block and numbered header around
its table in XLSX.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.functional import Promise

KINDS = ("text", "int", "decimal", "date", "percent")
# Characters Excel refuses in a sheet's name.
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of an export.

    key     the name a JSON object and a machine reader use ("cat_3"); stable across languages
    header  the label the reader sees (a lazy translation is resolved when the file is written)
    kind    what every non-empty data cell of the column holds:
              "text"    str (neutralised against formula injection in XLSX and CSV)
              "int"     int                 -> a number cell, format "0"
              "decimal" Decimal/int/float   -> a number cell, format "0.00"
              "date"    date or datetime    -> a date cell "dd.mm.yyyy"; ISO text in CSV/JSON
              "percent" a fraction (0.25)   -> a number cell shown as "25.0%"
    width   the column's width in XLSX (characters); None: from the header's length
    group   the merged super-header the column sits under (adjacent columns with an equal group
            share one merged cell; a column without one spans both header rows)
    number  the column's number in a legal form's numbered header row (Annex 1: 1..7)
    """

    key: str
    header: str | Promise
    kind: str = "text"
    width: float | None = None
    group: str | Promise | None = None
    number: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.key!r}: kind must be one of {KINDS}, not {self.kind!r}")

    @property
    def is_number(self) -> bool:
        return self.kind in ("int", "decimal", "percent")


class Exporter(ABC):
    """A table: its columns and a generator of its rows.

    `rows()` yields one sequence per row, a value per column in the order of `columns()`, None for
    an empty cell. It is a generator over a queryset's `.iterator()` or a list it already has:
    the renderers consume it once, row by row, and never keep the rows, so an export of 100,000
    rows is written in bounded memory (bench/exports.py). `totals()` is the row written under the
    data in XLSX (and in a form's PDF); CSV and JSON carry the data rows only, so that a program
    summing them does not count a total twice.
    """

    identifier: ClassVar[str]

    @abstractmethod
    def title(self) -> str:
        """The export's name in the reader's language (the sheet's title, a form's heading)."""

    @abstractmethod
    def columns(self) -> list[Column]:
        ...

    @abstractmethod
    def rows(self) -> Iterable[Sequence[Any]]:
        ...

    def totals(self) -> Sequence[Any] | None:
        """The totals row (its first cell usually the label "Total"), or None for none."""
        return None

    def filename(self, ext: str) -> str:
        """The download's name; `attachment_response` makes it safe."""
        return f"{self.identifier}.{ext}"

    def sheet_title(self) -> str:
        """The worksheet's name: the title without the characters Excel refuses, 31 at most."""
        return _SHEET_UNSAFE.sub(" ", str(self.title())).strip()[:31] or self.identifier[:31]
