"""Permits issued against a region's quota (Rules p.5: "распределенная квота является предельной
для региона"): an akimat officer records them by category, by hand or from an XLSX file (all or
nothing). The ceiling is the region's cell of the version in force (the latest published); a record
that would pass it is refused, one that reaches 90 % of it is recorded with a warning.

Race-safe: every record, and every move out of the region (redistribution_approve), takes the
region's advisory lock for the campaign first, then reads what is used and the ceiling.
"""
from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from quota_portal.core import calendar
from quota_portal.core.audit import audited
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign, Category, Region, Role, User
from quota_portal.core.parsing import clean_text, parse_int
from quota_portal.core.permissions import forbidden, holds_membership
from quota_portal.core.uploads import cell_digits, read_xlsx

from .quota_models import MAX_QUOTA, PermitUse
from .quota_services import current_version
from .redistribution_services import CATEGORIES, lock_region_quota, permits_cells, used_permits

WARN_SHARE = 0.9
MAX_REFERENCE = 200
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_SIZE = 2 * 1024 * 1024
COLUMNS = ("category", "count", "issued_on", "reference")


@dataclass(frozen=True)
class PermitInput:
    category: str
    count: object
    issued_on: object
    reference: str = ""
    row: int | None = None


@dataclass(frozen=True)
class Room:
    """One category's ceiling (the version in force) and what is used of it."""

    category: str
    ceiling: int
    used: int

    @property
    def label(self) -> str:
        return Category(self.category).label

    @property
    def left(self) -> int:
        return self.ceiling - self.used

    @property
    def near(self) -> bool:
        return self.ceiling > 0 and self.used >= WARN_SHARE * self.ceiling

    @property
    def share(self) -> int:
        return round(100 * self.used / self.ceiling) if self.ceiling else 0


def ensure_region_officer(actor: User, region: Region) -> None:
    if not holds_membership(actor, {Role.AKIMAT_OFFICER}, authority__region_id=region.pk):
        raise forbidden(_("Only an officer of the region's akimat records the permits it issued."))


def room(campaign: Campaign, region: Region) -> list[Room]:
    """The region's ceiling and use in each category (no version in force: no ceiling)."""
    cells = permits_cells(current_version(campaign))
    return [Room(c, cells.get((region.pk, c), 0), used_permits(campaign, region.pk, c)) for c in CATEGORIES]


def _row_error(row: int | None, column: str, message: str) -> DomainError:
    if row is None:
        return DomainError(message, field=column)
    return DomainError(_("Row %(row)s, column “%(col)s”: %(message)s")
                       % {"row": row, "col": column_label(column), "message": message}, field="file")


def column_label(key: str) -> str:
    return {"category": _("Category"), "count": _("Number of permits"), "issued_on": _("Issued on"),
            "reference": _("Reference")}[key]


def _category(value, row) -> str:
    value = str(cell_digits(value) or "").strip().upper()
    if value in ("С", "C"):  # Cyrillic Es and Latin C typed for "seasonal"
        value = "S"
    if value not in CATEGORIES:
        raise _row_error(row, "category", _("enter 1, 2, 3, 4 or S (seasonal)."))
    return value


def _count(value, row) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = parse_int(value, min_value=1, max_value=MAX_QUOTA) if isinstance(value, (int, str)) else None
    if number is None:
        raise _row_error(row, "count", _("enter a whole number from 1 to %(max)s with digits 0-9.")
                         % {"max": MAX_QUOTA})
    return number


def _date(value, row, campaign: Campaign) -> dt.date:
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                day = dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a calendar day, no time
                break
            except ValueError:
                continue
    if day is None:
        raise _row_error(row, "issued_on", _("enter a date as DD.MM.YYYY."))
    if day.year != campaign.year:
        raise _row_error(row, "issued_on", _("the permits of the quota %(year)s are issued in %(year)s.")
                         % {"year": campaign.year})
    if day > calendar.local_today():
        raise _row_error(row, "issued_on", _("the date is in the future."))
    return day


def _reference(value, row) -> str:
    text = clean_text(value if value is not None else "").strip()
    if "\x00" in text:
        raise _row_error(row, "reference", _("the text holds a NUL character."))
    if len(text) > MAX_REFERENCE:
        raise _row_error(row, "reference", _("at most %(max)s characters.") % {"max": MAX_REFERENCE})
    return text


def _checked(campaign: Campaign, rows: list[PermitInput]) -> list[dict]:
    out = []
    for r in rows:
        out.append({"category": _category(r.category, r.row), "count": _count(r.count, r.row),
                    "issued_on": _date(r.issued_on, r.row, campaign), "reference": _reference(r.reference, r.row)})
    if not out:
        raise DomainError(_("The file has no data rows."), field="file")
    return out


def _record(*, actor: User, campaign: Campaign, region: Region, rows: list[dict], action: str
            ) -> tuple[list[PermitUse], list[Room]]:
    with transaction.atomic(), audited(actor, action):
        lock_region_quota(campaign.pk, region.pk)
        version = current_version(campaign)
        if version is None:
            raise DomainError(_("The quota of %(year)s is not published yet: there is no ceiling to record permits "
                                "against.") % {"year": campaign.year}, field="campaign", code="unpublished")
        cells = permits_cells(version)
        adding: dict[str, int] = defaultdict(int)
        for r in rows:
            adding[r["category"]] += r["count"]
        after = []
        for category, n in adding.items():
            ceiling = cells.get((region.pk, category), 0)
            used = used_permits(campaign, region.pk, category)
            if used + n > ceiling:
                raise DomainError(
                    _("%(category)s: %(used)s permits are recorded and the region's quota (Rules p.5) is "
                      "%(ceiling)s; %(n)s more would pass it by %(over)s.")
                    % {"category": Category(category).label, "used": used, "ceiling": ceiling, "n": n,
                       "over": used + n - ceiling}, field="count", code="ceiling")
            after.append(Room(category, ceiling, used + n))
        created = PermitUse.objects.bulk_create([
            PermitUse(campaign=campaign, region=region, recorded_by=actor, **r) for r in rows])
    return created, [a for a in after if a.near]


def permit_record(*, actor: User, campaign: Campaign, region: Region, category: str, count, issued_on,
                  reference: str = "") -> tuple[PermitUse, list[Room]]:
    """Record permits issued in one category; returns the record and the categories now at 90 % or more."""
    ensure_region_officer(actor, region)
    rows = _checked(campaign, [PermitInput(category, count, issued_on, reference)])
    created, near = _record(actor=actor, campaign=campaign, region=region, rows=rows, action="permit_record")
    return created[0], near


def parse_permits_xlsx(name: str, content: bytes) -> list[PermitInput]:
    """The rows of an import file (row 1 the headers, data from row 2): category, count, issued on,
    reference. Any problem of the file is a DomainError naming it, the row and the column."""
    sheet = read_xlsx(name or "permits.xlsx", content, max_cols=len(COLUMNS), max_rows=MAX_IMPORT_ROWS,
                      data_from=2, max_size=MAX_IMPORT_SIZE, max_text=MAX_REFERENCE + 50)
    return [PermitInput(*row.values[:4], row=row.number) for row in sheet if row.number >= 2]


def permits_import(*, actor: User, campaign: Campaign, region: Region, name: str, content: bytes
                   ) -> tuple[list[PermitUse], list[Room]]:
    """All or nothing: every row is checked, then every category's ceiling, then all are recorded."""
    ensure_region_officer(actor, region)
    rows = _checked(campaign, parse_permits_xlsx(name, content))
    return _record(actor=actor, campaign=campaign, region=region, rows=rows, action="permits_import")


def permits_template() -> bytes:
    """An empty import file with the column headers (row 1) and an example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "permits"
    ws.append([str(column_label(c)) for c in COLUMNS])
    for column, width in zip("ABCD", (12, 18, 14, 40), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
