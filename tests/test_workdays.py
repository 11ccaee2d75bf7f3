"""The one calendar of due dates, and the date bounds that queries select by."""

from datetime import date, timedelta

import pytest

from referrals.due import CHECK_INTERVAL
from tyokyky.workdays import due_after, latest_start_due_by, previous_working_day


def test_the_last_working_day_up_to_a_holiday_weekend():
    assert previous_working_day(date(2026, 6, 22)) == date(2026, 6, 22)  # a Monday
    assert previous_working_day(date(2026, 6, 21)) == date(2026, 6, 18)  # Midsummer: Thursday


def test_a_year_from_29_february_is_due_on_the_last_day_of_february():
    assert due_after(date(2024, 2, 29), CHECK_INTERVAL) == date(2025, 2, 28)


@pytest.mark.parametrize("after", [14, 7, 3, -30, CHECK_INTERVAL])
def test_the_query_bound_is_exactly_the_starts_already_due(after):
    """Every day of 2025-2026, holidays and a leap year's end of February included: the bound
    is the last start whose due date has come, found here the slow way."""
    for offset in range(730):
        today = date(2025, 1, 1) + timedelta(days=offset)
        start = today + timedelta(days=40)
        while due_after(start, after) > today:
            start -= timedelta(days=1)
        assert latest_start_due_by(today, after) == start, today
