"""
When the client is reminded of a coming appointment (oma/reminders.py): the one rule, here.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from tyokyky.workdays import previous_working_day

# From this hour on the reminder day: no text message in the night.
REMINDER_HOUR = 9
# Longer than any run of days off in Finland (Christmas, Easter), so that an appointment after
# one is looked at before its reminder day.
LOOKAHEAD = timedelta(days=10)


def client_reminder_from(starts_at: datetime) -> datetime:
    """The client is reminded from 9.00 (Helsinki) on the last working day before the day of
    the appointment: Monday's on Friday, the Tuesday after Easter's on the Thursday before it.
    The working day, not 24 hours, because the client may need to arrange the day (care of
    children, a day off, a ride) during office hours, and may call to move the time."""
    day = previous_working_day(timezone.localdate(starts_at) - timedelta(days=1))
    return timezone.make_aware(datetime.combine(day, time(REMINDER_HOUR)))
