"""
Working days in Finland: not at weekends, not on public holidays (the `holidays` library).
Due dates of reminders and proposed meeting times both follow them.

Every due date counted from an event uses one calendar, `due_after`: the given span, then on to
the next working day. The rules themselves live with what falls due (referrals/due.py,
plans/due.py); `latest_start_due_by` turns a rule into the date bound a query selects by.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=16)
def finnish_holidays(year: int):
    return holidays.country_holidays("FI", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in finnish_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def previous_working_day(day: date) -> date:
    """The day itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def _span(after: int | relativedelta) -> timedelta | relativedelta:
    return timedelta(days=after) if isinstance(after, int) else after


def due_after(start: date, after: int | relativedelta) -> date:
    """`after` (days, or a relativedelta such as a year) after `start`, moved on to a working
    day: Midsummer Eve's due date is Monday."""
    return next_working_day(start + _span(after))


def latest_start_due_by(today: date, after: int | relativedelta) -> date:
    """The last start day whose `due_after(start, after)` is `today` or earlier: the exact date
    bound for a query, so that a rule's number is written once. A due date is a working day, so
    it has come exactly when start + after is on or before the last working day up to today."""
    last_working = previous_working_day(today)
    start = last_working - _span(after)
    # Month arithmetic clamps (29 February and a year is 28 February): a later start may fit.
    while start + ONE_DAY + _span(after) <= last_working:
        start += ONE_DAY
    return start
