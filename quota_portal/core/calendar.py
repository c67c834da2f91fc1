"""Working days and deadlines: all deadline arithmetic of the portal lives here.

Working days follow Kazakhstan's Labour Code: Monday to Friday, except public holidays and
their observed days (the `holidays` package), except days moved by government decree. The
editable `CalendarException` table overrides both ways (an extra day off, a weekend day made
working), because decrees come every year and the package can lag behind.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ALMATY = ZoneInfo("Asia/Almaty")


@lru_cache(maxsize=32)
def _package_calendar(year: int):
    return holidays.KZ(years=year)


def _no_source() -> dict[dt.date, bool]:
    raise RuntimeError("the calendar's exceptions are read once Django is set up (CoreConfig.ready)")


# Where the Ministry's exceptions come from: {day: is a working day}. models.py builds on this
# module (a campaign's deadlines), so this module does not import models; CoreConfig.ready()
# points it at the CalendarException table.
_exception_source: Callable[[], dict[dt.date, bool]] = _no_source


def set_exception_source(source: Callable[[], dict[dt.date, bool]]) -> None:
    global _exception_source
    _exception_source = source


def _exceptions() -> dict[dt.date, bool]:
    return _exception_source()


def is_working_day(day: dt.date, *, exceptions: dict[dt.date, bool] | None = None) -> bool:
    """True when `day` is a working day in Kazakhstan."""
    if exceptions is None:
        exceptions = _exceptions()
    if day in exceptions:
        return exceptions[day]
    cal = _package_calendar(day.year)
    if day in cal.weekend_workdays:
        return True
    if day in cal:
        return False
    return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (the day itself is not counted).

    Rules p.11: "within 5 working days from the day of the decision" -> add_working_days(decision, 5).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    exceptions = _exceptions()
    current = day
    counted = 0
    while counted < n:
        current += dt.timedelta(days=1)
        if is_working_day(current, exceptions=exceptions):
            counted += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    exceptions = _exceptions()
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, exceptions=exceptions):
            count += 1
    return count


def closes_at(day: dt.date, kind: str) -> dt.datetime:
    """The moment a deadline closes, Asia/Almaty time.

    "until D" (до) closes at 00:00 on D; "no later than D" (не позднее) closes at 24:00 on D.
    """
    midnight = dt.datetime.combine(day, dt.time.min, tzinfo=ALMATY)
    if kind == "until":
        return midnight
    if kind == "no_later_than":
        return midnight + dt.timedelta(days=1)
    raise ValueError(f"unknown deadline kind {kind!r}")


def last_day(day: dt.date, kind: str) -> dt.date:
    """The last whole day on which a deadline can be met: the day before D for "until D" (до),
    D itself for "no later than D" (не позднее)."""
    return (closes_at(day, kind) - dt.timedelta(seconds=1)).date()


def days_left(moment: dt.datetime, now: dt.datetime | None = None) -> int:
    """Whole days left until `moment` (0 once it has passed): the days part of the live countdown
    (static/js/countdown.js shows the same number, then hours, minutes and seconds). For a deadline
    closing at midnight it is the number of days from today to its last day."""
    from django.utils import timezone

    seconds = (moment - (now or timezone.now())).total_seconds()
    return max(0, int(seconds // 86400))


def local_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
