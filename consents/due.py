"""
When a consent is about to end: the warning on the client page (Consent.is_expiring) and the
reminder to whoever recorded it (work/due.py) come from this one rule. The warning is a notice
period, not a deadline to act, so it is counted in calendar days (the client's
`consent_warning_days`, teams/deadlines.py; 30 by default) before the consent's last day, moved
on to a working day (tyokyky.workdays.due_after).
"""

from datetime import date

from django.db.models import Q

from teams.deadlines import Deadlines, deadlines_for_record, where
from tyokyky.workdays import latest_start_due_by


def expiring_by(today: date, deadlines: Deadlines) -> date:
    """Consents in force whose last day is on or before this day are warned of by `today`."""
    return latest_start_due_by(today, -deadlines.consent_warning_days)


def is_warned_of(consent, today: date) -> bool:
    """The warning of the consent's end has come by `today`, by its client's notice period."""
    return consent.valid_until <= expiring_by(today, deadlines_for_record(consent))


def expiring(today: date, valid_until="valid_until", municipality="client__municipality") -> Q:
    """Consents whose warning has come by `today`, each by its client's notice period."""
    return where("consent_warning_days", municipality, lambda days: Q(**{
        f"{valid_until}__lte": latest_start_due_by(today, -days)}))
