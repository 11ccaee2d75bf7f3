"""
Weeks, months and free time: the arithmetic behind the calendar and the booking page.

Meetings are proposed on working days (tyokyky/workdays.py) between 8 and 16, Helsinki time.
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tyokyky.workdays import is_working_day

WORKDAY_START = time(8, 0)
WORKDAY_END = time(16, 0)
SLOT_STEP = timedelta(minutes=30)


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def month_weeks(day: date) -> list[list[date]]:
    """The weeks (Monday first) that show the month of `day`."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last`, as aware Helsinki times."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def free_slots(*, days, duration: timedelta, busy, now=None, limit=8) -> list[datetime]:
    """
    The first starting times on working days when nobody in `busy` — (start, end) pairs of
    everyone chosen and the room — has anything overlapping a meeting of `duration`.
    """
    now = now or timezone.now()
    slots = []
    for day in days:
        if not is_working_day(day):
            continue
        start = timezone.make_aware(datetime.combine(day, WORKDAY_START))
        day_end = timezone.make_aware(datetime.combine(day, WORKDAY_END))
        while start + duration <= day_end and len(slots) < limit:
            end = start + duration
            if start >= now and not any(b_start < end and b_end > start
                                        for b_start, b_end in busy):
                slots.append(start)
            start += SLOT_STEP
    return slots
