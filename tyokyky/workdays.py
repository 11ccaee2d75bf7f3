"""
Working days in Finland: not at weekends, not on public holidays (the `holidays` library).
Due dates of reminders and proposed meeting times both follow them.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def finnish_holidays(year: int):
    return holidays.country_holidays("FI", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in finnish_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_after(start: date, days: int) -> date:
    """`days` after `start`, moved on to a working day: Midsummer Eve's due date is Monday."""
    return next_working_day(start + timedelta(days=days))
