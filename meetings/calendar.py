"""
Weeks, months and free time: the arithmetic behind the calendar and the booking page, and how
calendars and lists show a meeting.

Meetings are proposed on working days (tyokyky/workdays.py) between 8 and 16, Helsinki time.
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from consents.policy import clients_banned_for
from consents.shown import shown_clients
from tyokyky.workdays import is_working_day

from .models import MeetingParticipant

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


def as_seen_by(user, meetings) -> list:
    """
    Meetings as a calendar or a list may show them: to their participants and to those who may
    know of the client, with the client as the user may see them (`meeting.shown_client`); to
    anyone else only as a busy time (`meeting.busy`) that tells nothing of whose it is.
    """
    meetings = list(meetings)
    shown = shown_clients(user, [m.client_id for m in meetings])
    invited = set(MeetingParticipant.objects.filter(
        meeting__in=[m.pk for m in meetings], user=user).values_list("meeting_id", flat=True))
    banned = set(clients_banned_for(user).filter(
        client_id__in=[m.client_id for m in meetings]).values_list("client_id", flat=True))
    for meeting in meetings:
        meeting.shown_client = shown.get(meeting.client_id)
        meeting.busy = meeting.client_id in banned or (
            meeting.shown_client is None and meeting.pk not in invited)
    return meetings
