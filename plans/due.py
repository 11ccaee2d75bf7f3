"""
When plan work falls due: the feedback discussion after a team meeting, and a plan action that
has stayed open past its date.

One function per rule, counted with one calendar (tyokyky.workdays.due_after: the days, then on
to a working day), and used alike by the reminders and My work (plans/work.py) and the dashboard
(reporting/reports.py). Each rule also gives what its queries need, derived from the rule itself.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Case, DateField, DurationField, Func, Value, When
from django.db.models.functions import Cast, TruncDate
from django.db.models.lookups import In
from django.utils import timezone

from tyokyky.workdays import due_after, latest_start_due_by

# A feedback discussion is held or booked within two weeks of the team meeting.
FEEDBACK_DISCUSSION_DAYS = 14
# An action still open a week after its date is overdue: a second reminder.
ACTION_OVERDUE_DAYS = 7


def meeting_day(meeting) -> date:
    """The day a team meeting is held on, in Helsinki: the discussion is counted from it."""
    return timezone.localdate(meeting.starts_at)


def discussion_due_on(meeting_on: date) -> date:
    """The day by which the feedback discussion of a meeting held on `meeting_on` is due."""
    return due_after(meeting_on, FEEDBACK_DISCUSSION_DAYS)


def meetings_due_for_discussion_by(today: date) -> datetime:
    """Meetings starting before this moment have their feedback discussion due by `today`."""
    last_day = latest_start_due_by(today, FEEDBACK_DISCUSSION_DAYS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def discussion_deadline(days: list[date], starts_at="starts_at") -> Func:
    """`discussion_due_on(meeting_day(…))` as an SQL expression over the meeting's `starts_at`,
    exact for meetings held on `days` (consecutive: the days a dashboard counts): the database
    is handed the rule's due dates, never its number of days."""
    meeting_on = TruncDate(starts_at)
    due_dates = [discussion_due_on(day) for day in days]
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


def action_overdue_on(due_on: date) -> date:
    """The day an action still open after its date `due_on` becomes overdue."""
    return due_after(due_on, ACTION_OVERDUE_DAYS)


def actions_overdue_by(today: date) -> date:
    """Open actions due on or before this day are overdue by `today`."""
    return latest_start_due_by(today, ACTION_OVERDUE_DAYS)


def follow_ups_overdue_by(today: date) -> date:
    """Follow-ups dated on or before this day, and not done, are overdue by `today`: the day
    after the date, when the reminder of the date has come and gone."""
    return today - timedelta(days=1)
