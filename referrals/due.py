"""
When referral work falls due: booking the health check, feedback after it, the next check.

One function per rule, counted with one calendar (tyokyky.workdays.due_after: the span, then on
to a working day), and used alike by the worklist flags (referrals.models), the reminders and
My work (work/due.py, referrals/work.py) and the client page. Each rule also gives the date bound
its query selects by (`…_due_by(today)`), derived from the rule itself.

No model is imported here, so that referrals.models can use these rules.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tyokyky.workdays import due_after, latest_start_due_by

# Days from sending to booking the health check, by urgency (referrals.models.Urgency).
BOOKING_DUE_DAYS = {"normal": 14, "urgent": 3}
# Feedback should reach the referrer within two weeks of the check.
FEEDBACK_DUE_DAYS = 14
# The next unemployed health check is due a year after the last one.
CHECK_INTERVAL = relativedelta(months=12)


def booking_due_on(referral) -> date:
    """The day by which a sent referral's health check should be booked."""
    sent_on = timezone.localdate(referral.created_at)
    return due_after(sent_on, BOOKING_DUE_DAYS[referral.urgency])


def feedback_due_on(check) -> date:
    """The day by which feedback of the health check should reach the referrer."""
    return due_after(check.performed_on, FEEDBACK_DUE_DAYS)


def feedback_due_by(today: date) -> date:
    """Checks performed on or before this day have their feedback due by `today`."""
    return latest_start_due_by(today, FEEDBACK_DUE_DAYS)


def next_check_due_on(check) -> date:
    """The day the client's next unemployed health check is due after this one."""
    return due_after(check.performed_on, CHECK_INTERVAL)


def next_check_due_by(today: date) -> date:
    """After a check performed on or before this day, the next is due by `today`."""
    return latest_start_due_by(today, CHECK_INTERVAL)
