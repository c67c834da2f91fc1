import datetime as dt

import pytest

from quota_portal.core.calendar import ALMATY, add_working_days, closes_at, is_working_day, working_days_between
from quota_portal.core.models import CalendarException

pytestmark = pytest.mark.django_db


def test_a_notice_decided_on_monday_20_october_2025_is_due_on_tuesday_28_october():
    # 25 Oct 2025 (Republic Day) falls on a Saturday and is observed on Monday 27 Oct.
    assert add_working_days(dt.date(2025, 10, 20), 5) == dt.date(2025, 10, 28)


def test_public_holidays_and_their_observed_days_are_not_working_days():
    assert not is_working_day(dt.date(2025, 12, 16))  # Independence Day, a Tuesday
    assert not is_working_day(dt.date(2025, 10, 27))  # Republic Day observed
    assert not is_working_day(dt.date(2026, 3, 23))  # Nauryz
    assert is_working_day(dt.date(2025, 10, 24))


def test_weekends_are_days_off_unless_a_decree_moved_them():
    assert not is_working_day(dt.date(2026, 11, 28))  # an ordinary Saturday
    assert is_working_day(dt.date(2025, 1, 5))  # Sunday worked for Friday 3 Jan 2025 (in the holidays package)


def test_nauryz_week_pushes_a_five_day_period_past_the_holidays():
    # Thursday 19 Mar 2026: Fri 20, then 21-25 Mar holidays and the weekend, Thu 26, Fri 27, Mon 30, Tue 31.
    assert add_working_days(dt.date(2026, 3, 19), 5) == dt.date(2026, 3, 31)


def test_a_calendar_exception_makes_a_weekend_day_working_and_a_weekday_a_day_off():
    saturday, monday = dt.date(2026, 11, 28), dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 26), 2) == dt.date(2026, 11, 30)
    CalendarException.objects.create(day=saturday, is_working_day=True, reason="Постановление о переносе")
    CalendarException.objects.create(day=monday, is_working_day=False, reason="Постановление о переносе")
    assert is_working_day(saturday)
    assert not is_working_day(monday)
    # Thursday 26 Nov: Fri 27, Sat 28 (worked) -> 2 working days end on Saturday; Monday is skipped after.
    assert add_working_days(dt.date(2026, 11, 26), 2) == saturday
    assert add_working_days(dt.date(2026, 11, 26), 3) == dt.date(2026, 12, 1)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(dt.date(2025, 10, 20), dt.date(2025, 10, 28)) == 5
    assert working_days_between(dt.date(2025, 10, 28), dt.date(2025, 10, 20)) == 0


def test_zero_working_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(dt.date(2025, 10, 20), 0) == dt.date(2025, 10, 20)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2025, 10, 20), -1)


def test_until_closes_at_midnight_starting_the_day_and_no_later_than_at_midnight_ending_it():
    day = dt.date(2026, 10, 1)
    assert closes_at(day, "until") == dt.datetime(2026, 10, 1, 0, 0, tzinfo=ALMATY)
    assert closes_at(day, "no_later_than") == dt.datetime(2026, 10, 2, 0, 0, tzinfo=ALMATY)
    with pytest.raises(ValueError):
        closes_at(day, "whenever")
