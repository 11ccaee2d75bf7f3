"""
When a consent is about to end: the warning on the client page (Consent.is_expiring) and the
reminder to whoever recorded it (work/due.py) come from this one rule, on the calendar of every
other due date (tyokyky.workdays.due_after): the warning comes 30 days before the consent's last
day, moved on to a working day.
"""

from datetime import date

from tyokyky.workdays import latest_start_due_by

# A consent ending within 30 days is to be asked for again.
CONSENT_WARNING_DAYS = 30


def expiring_by(today: date) -> date:
    """Consents in force whose last day is on or before this day are warned of by `today`."""
    return latest_start_due_by(today, -CONSENT_WARNING_DAYS)
