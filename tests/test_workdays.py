"""The one calendar of due dates, and the date bounds that queries select by: working days for
deadlines to act, calendar spans moved on to a working day for notice periods and intervals."""

import random
from datetime import date, timedelta

import pytest

from teams.deadlines import DEFAULTS
from tyokyky.workdays import (
    add_working_days,
    due_after,
    is_working_day,
    latest_start_by_working_days,
    latest_start_due_by,
    previous_working_day,
)

ONE_DAY = timedelta(days=1)


def counted_day_by_day(day: date, n: int) -> date:
    """The slow way: step a day at a time, counting the working days passed."""
    if n == 0:
        while not is_working_day(day):
            day += ONE_DAY
        return day
    step, counted = (ONE_DAY if n > 0 else -ONE_DAY), 0
    while counted < abs(n):
        day += step
        counted += is_working_day(day)
    return day


def test_the_last_working_day_up_to_a_holiday_weekend():
    assert previous_working_day(date(2026, 6, 22)) == date(2026, 6, 22)  # a Monday
    assert previous_working_day(date(2026, 6, 21)) == date(2026, 6, 18)  # Midsummer: Thursday


def test_a_year_from_29_february_is_due_on_the_last_day_of_february():
    assert due_after(date(2024, 2, 29), DEFAULTS.check_interval) == date(2025, 2, 28)


def test_working_days_skip_weekends_and_finnish_holidays():
    assert add_working_days(date(2026, 6, 5), 1) == date(2026, 6, 8)  # Friday → Monday
    # Ten working days from Thursday 10 December: Christmas Eve, Christmas and Boxing Day off.
    assert add_working_days(date(2026, 12, 10), 10) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 28), -1) == date(2026, 12, 23)
    assert add_working_days(date(2026, 6, 20), 0) == date(2026, 6, 22)  # Midsummer Day


def test_adding_working_days_agrees_with_counting_them_day_by_day():
    """Every day of three years (a leap year, year ends, every Finnish holiday), and a seeded
    sample of far starts and long spans, forwards and backwards."""
    for offset in range(3 * 366):
        day = date(2024, 1, 1) + timedelta(days=offset)
        for n in (0, 1, 2, 3, 5, 10, 20, -1, -5, -10):
            assert add_working_days(day, n) == counted_day_by_day(day, n), (day, n)
    sample = random.Random(16)  # noqa: S311 (a fixed sample to test against, not a secret)
    for _ in range(300):
        day = date(2000, 1, 1) + timedelta(days=sample.randrange(365 * 60))
        n = sample.randrange(-600, 600)
        assert add_working_days(day, n) == counted_day_by_day(day, n), (day, n)


@pytest.mark.parametrize("n", [1, 3, 5, 10, 20, 60])
def test_the_working_day_bound_is_exactly_the_starts_already_due(n):
    """The bound is the last start whose n-th working day after it has come, found here the
    slow way, on every day of 2025-2026."""
    for offset in range(730):
        today = date(2025, 1, 1) + timedelta(days=offset)
        start = today + timedelta(days=40)
        while counted_day_by_day(start, n) > today:
            start -= ONE_DAY
        assert latest_start_by_working_days(today, n) == start, today


@pytest.mark.parametrize("after", [-30, -1, DEFAULTS.check_interval])
def test_the_calendar_bound_is_exactly_the_starts_already_due(after):
    """Every day of 2025-2026, holidays and a leap year's end of February included: the bound
    is the last start whose due date has come, found here the slow way."""
    for offset in range(730):
        today = date(2025, 1, 1) + timedelta(days=offset)
        start = today + timedelta(days=40)
        while due_after(start, after) > today:
            start -= ONE_DAY
        assert latest_start_due_by(today, after) == start, today
