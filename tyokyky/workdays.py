"""
Working days in Finland: not at weekends, not on public holidays (the `holidays` library).
Due dates of reminders and proposed meeting times both follow them.

Deadlines to act (booking the health check, feedback, the feedback discussion, an action
overdue) are counted in working days: `add_working_days(day, n)` is the n-th working day after
`day`, and `latest_start_by_working_days(today, n)` the date bound a query selects by. Notice
periods and intervals (the consent warning, the next check a year on) are calendar spans moved on
to a working day: `due_after`, with `latest_start_due_by` as its bound. The numbers themselves
are settings (teams/deadlines.py); the rules live with what falls due (referrals/due.py,
plans/due.py, consents/due.py).
"""

from bisect import bisect_left, bisect_right
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


@lru_cache(maxsize=64)
def _working_ordinals(year: int) -> tuple[int, ...]:
    """The working days of `year` as ordinals, in order: counting on them is a lookup."""
    day, days = date(year, 1, 1), []
    while day.year == year:
        if is_working_day(day):
            days.append(day.toordinal())
        day += ONE_DAY
    return tuple(days)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` (`day` itself not counted), or before it for a negative
    n; for 0 the day itself moved on to a working day. Friday and one is Monday; ten from a
    Monday is the Monday two weeks on when no holiday falls between."""
    if n == 0:
        return next_working_day(day)
    year, ordinal = day.year, day.toordinal()
    if n > 0:
        index = bisect_right(_working_ordinals(year), ordinal) + n - 1
        while index >= len(_working_ordinals(year)):
            index -= len(_working_ordinals(year))
            year += 1
    else:
        index = bisect_left(_working_ordinals(year), ordinal) + n
        while index < 0:
            year -= 1
            index += len(_working_ordinals(year))
    return date.fromordinal(_working_ordinals(year)[index])


def latest_start_by_working_days(today: date, n: int) -> date:
    """The last start day whose `add_working_days(start, n)` is `today` or earlier: the exact
    date bound for a query. That day has come once n working days lie in (start, today], so the
    bound is the day before the n-th working day counted back from today, today included."""
    if n < 0:
        raise ValueError("a deadline counts working days forwards")
    if n == 0:  # the day itself, moved on to a working day: as due_after
        return latest_start_due_by(today, 0)
    nth_back = add_working_days(today + ONE_DAY, -n)
    return nth_back - ONE_DAY


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
