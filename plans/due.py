"""
When plan work falls due: the feedback discussion after a team meeting, and a plan action that
has stayed open past its date.

One function per rule, used alike by the reminders and My work (plans/work.py) and the
dashboard (reporting/reports.py). The numbers are the client's deadlines (teams/deadlines.py:
the team serving the client's municipality, else the county's), counted in working days
(tyokyky.workdays.add_working_days). Each rule also gives what its queries need, derived from
the rule itself: a filter with one branch for each distinct setting.
"""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Case, DateField, DurationField, Func, Q, Value, When
from django.db.models.functions import Cast, TruncDate
from django.db.models.lookups import In
from django.utils import timezone

from teams.deadlines import Deadlines, deadline_table, where
from tyokyky.workdays import (
    add_working_days,
    due_after,
    latest_start_by_working_days,
    latest_start_due_by,
)


def meeting_day(meeting) -> date:
    """The day a team meeting is held on, in Helsinki: the discussion is counted from it."""
    return timezone.localdate(meeting.starts_at)


def discussion_due_on(meeting_on: date, deadlines: Deadlines) -> date:
    """The day by which the feedback discussion of a meeting held on `meeting_on` is due: so
    many working days after it."""
    return add_working_days(meeting_on, deadlines.discussion_working_days)


def meetings_due_for_discussion(today: date, starts_at="starts_at",
                                municipality="client__municipality") -> Q:
    """Meetings whose feedback discussion is due by `today`, each by its client's deadline."""
    def started_by(days):
        last_day = latest_start_by_working_days(today, days)
        return Q(**{f"{starts_at}__lt": timezone.make_aware(
            datetime.combine(last_day + timedelta(days=1), time.min))})
    return where("discussion_working_days", municipality, started_by)


def discussion_deadline(days: list[date], starts_at="starts_at",
                        municipality="client__municipality"):
    """`discussion_due_on(meeting_day(…), the client's deadlines)` as an SQL expression over the
    meeting's `starts_at`, exact for meetings held on `days` (consecutive: the days a dashboard
    counts): the database is handed the rule's due dates, never its number of days; one CASE
    branch for each municipality group whose team counts differently."""
    (usual, _others), *groups = deadline_table().values_of("discussion_working_days")
    deadline = _deadline_of(days, starts_at, usual)
    if not groups:
        return deadline
    return Case(*[When(Q(**{f"{municipality}__in": ids}),
                       then=_deadline_of(days, starts_at, value)) for value, ids in groups],
                default=deadline, output_field=DateField())


def _deadline_of(days: list[date], starts_at, working_days: int):
    meeting_on = TruncDate(starts_at)
    deadlines = Deadlines(discussion_working_days=working_days)
    due_dates = [discussion_due_on(day, deadlines) for day in days]
    if connection.vendor == "postgresql":
        return DueDateByDay(meeting_on, first=days[0], due_dates=due_dates)
    return due_date_case(meeting_on, days, due_dates)


class DueDateByDay(Func):
    """PostgreSQL: the due date of the day `meeting_on`, read by index from the array of the due
    dates of consecutive days from `first` — one lookup a row, as cheap as adding days."""

    output_field = DateField()

    def __init__(self, meeting_on, *, first: date, due_dates: list[date]):
        super().__init__(meeting_on)
        self.first, self.due_dates = first, due_dates

    def as_sql(self, compiler, connection, **extra_context):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        return (f"(%s::date[])[{day_sql} - %s::date + 1]",
                (self.due_dates, *day_params, self.first))


def due_date_case(meeting_on, days: list[date], due_dates: list[date]) -> Cast:
    """Elsewhere (SQLite in development): a CASE over the days, grouped by how long after them
    the due date comes, the most common wait the default."""
    days_by_wait = defaultdict(list)
    for day, due_on in zip(days, due_dates, strict=True):
        days_by_wait[due_on - day].append(day)
    usual = max(days_by_wait, key=lambda wait: len(days_by_wait[wait]))
    wait = Case(*[When(In(meeting_on, moved), then=Value(wait))
                  for wait, moved in days_by_wait.items() if wait != usual],
                default=Value(usual), output_field=DurationField())
    return Cast(meeting_on + wait, DateField())


def action_overdue_on(due_on: date, deadlines: Deadlines) -> date:
    """The day an action still open after its date `due_on` becomes overdue."""
    return add_working_days(due_on, deadlines.action_overdue_working_days)


def actions_overdue(today: date, due_on="due_on",
                    municipality="plan__client__municipality") -> Q:
    """Open actions overdue by `today`, each by its client's deadline."""
    return where("action_overdue_working_days", municipality, lambda days: Q(**{
        f"{due_on}__lte": latest_start_by_working_days(today, days)}))


def follow_ups_overdue_by(today: date) -> date:
    """Follow-ups dated on or before this day, and not done, are overdue by `today`: the day
    after the date, when the reminder of the date has come and gone."""
    return today - timedelta(days=1)


# After closing as employed or with the goal reached, the client may be followed for a while
# (DESIGN.md: "a long enough follow-up, also after the goal is reached"): these many months.
FOLLOW_UP_PERIOD_MONTHS = (3, 6, 12)
DEFAULT_FOLLOW_UP_PERIOD_MONTHS = 6
# The case managers are reminded this many days before the follow-up period ends, and again
# on its last day.
FOLLOW_UP_PERIOD_NOTICE_DAYS = 14


def follow_up_period_until(closed_on: date, months: int) -> date:
    """The last day of a follow-up period of `months` months from the closing day: the same
    day of the month, or the month's last day when it is shorter (31.8. + 6 months = 28.2.)."""
    month_index = closed_on.month - 1 + months
    year, month = closed_on.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(closed_on.day, calendar.monthrange(year, month)[1]))


def follow_up_period_notice_on(until: date) -> date:
    """The day the case managers are first reminded that the follow-up ending `until` ends."""
    return until - timedelta(days=FOLLOW_UP_PERIOD_NOTICE_DAYS)


def follow_up_periods_noticed_by(today: date) -> date:
    """Follow-up periods ending on or before this day have had their first reminder by
    `today`."""
    return today + timedelta(days=FOLLOW_UP_PERIOD_NOTICE_DAYS)


# A follow-up agreed in a team meeting first falls due four weeks after the meeting: after the
# feedback discussion, with time for the first actions to start.
DECIDED_FOLLOW_UP_DAYS = 28
# A booked feedback discussion not recorded as held reminds its holder the next working day.
DISCUSSION_NOT_HELD_WORKING_DAYS = 1


def decided_follow_up_due_on(meeting_on: date) -> date:
    """The first follow-up date of the follow-up a meeting held on `meeting_on` agreed."""
    return due_after(meeting_on, DECIDED_FOLLOW_UP_DAYS)


def meetings_due_for_follow_up_by(today: date) -> datetime:
    """Meetings starting before this moment have their agreed follow-up due by `today`."""
    last_day = latest_start_due_by(today, DECIDED_FOLLOW_UP_DAYS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def discussion_not_held_on(scheduled_for: datetime) -> date:
    """The day the holder is reminded of a discussion booked for `scheduled_for` that is not
    recorded as held: the next working day."""
    return add_working_days(timezone.localdate(scheduled_for), DISCUSSION_NOT_HELD_WORKING_DAYS)


def discussions_not_held_by(today: date) -> datetime:
    """Discussions booked before this moment, and not recorded as held, are due a reminder by
    `today`."""
    last_day = latest_start_by_working_days(today, DISCUSSION_NOT_HELD_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
