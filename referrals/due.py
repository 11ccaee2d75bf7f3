"""
When referral work falls due: booking the health check, feedback after it, the next check.

One function per rule, used alike by the worklist flags (referrals.models), the reminders and
My work (work/due.py, referrals/work.py) and the client page. The numbers are the client's
deadlines (teams/deadlines.py: the team serving the client's municipality, else the county's):
booking and feedback in working days (tyokyky.workdays.add_working_days), the next check a
calendar span of months moved on to a working day (due_after). Each rule also gives the filter
its query selects by (`…_is_due(today)`), derived from the rule itself, one branch for each
distinct setting.

No model is imported here, so that referrals.models can use these rules.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from teams.deadlines import Deadlines, deadlines_for_record, where
from tyokyky.workdays import (
    add_working_days,
    due_after,
    latest_start_by_working_days,
    latest_start_due_by,
)


def booking_due_on(referral, deadlines: Deadlines | None = None) -> date:
    """The day by which a sent referral's health check should be booked: so many working days
    after sending, by its urgency."""
    deadlines = deadlines or deadlines_for_record(referral)
    sent_on = timezone.localdate(referral.created_at)
    return add_working_days(sent_on, deadlines.booking_working_days_for(referral.urgency))


def feedback_due_on(check, deadlines: Deadlines | None = None) -> date:
    """The day by which feedback of the health check should reach the referrer."""
    deadlines = deadlines or deadlines_for_record(check)
    return add_working_days(check.performed_on, deadlines.feedback_working_days)


def feedback_is_due(today: date, performed_on="performed_on",
                    municipality="client__municipality") -> Q:
    """Checks whose feedback is due by `today`, each by its client's deadline."""
    return where("feedback_working_days", municipality, lambda days: Q(**{
        f"{performed_on}__lte": latest_start_by_working_days(today, days)}))


def next_check_due_on(check, deadlines: Deadlines | None = None) -> date:
    """The day the client's next unemployed health check is due after this one."""
    deadlines = deadlines or deadlines_for_record(check)
    return due_after(check.performed_on, deadlines.check_interval)


def next_check_is_due(today: date, performed_on="performed_on",
                      municipality="client__municipality") -> Q:
    """Checks after which the next is due by `today`, each by its client's interval."""
    return where("check_interval_months", municipality, lambda months: Q(**{
        f"{performed_on}__lte": latest_start_due_by(today, Deadlines(
            check_interval_months=months).check_interval)}))


# A client with an employment-services case manager and no health check known to them is
# proposed one at once: from the day the case manager was named, on a working day.
FIRST_CHECK_PROPOSAL_WORKING_DAYS = 0


def first_check_proposed_on(case_manager_since: date) -> date:
    """The day a TE case manager named on `case_manager_since` is proposed the client's first
    unemployed health check (referrals/check_proposals.py)."""
    return add_working_days(case_manager_since, FIRST_CHECK_PROPOSAL_WORKING_DAYS)
