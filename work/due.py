"""
What is due, and for whom: the rules behind both the reminder sweep and the My work page.

Each rule returns Due items — the object, the person responsible, the day it falls due. The
apps that own what falls due register their rules here (plans/work.py, referrals/work.py; the
consent rule is this module's, consents being below it), and take the due dates from their own
due.py (referrals/due.py, plans/due.py, consents/due.py), so the worklist flags, the client
page and the dashboard count the same days; each query selects by the date bound its rule
gives. A rule asked for the sweep leaves out what has already been reminded at that stage, in
SQL, so a sweep over hundreds of thousands of plans only handles what is new.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from clients.models import ClientStatus
from consents.due import expiring
from consents.models import Consent
from consents.policy import team_case_managers
from teams.deadlines import one_reading

from .models import Reminder, ReminderKind, ReminderStage

# Each `rule(today, *, for_sweep=False, users=None, until=None, since=None) -> list[Due]`: what
# is due by today, or for My work by `until` (the end of the week) where a rule can know it in
# advance. `since` (a Since, the sweep only): a rule whose full reading grows with every client
# rather than with the open items may read only what became due or changed since then; the
# nightly sweep passes None and reads everything.
RULES = []


@dataclass(frozen=True)
class Since:
    """The last sweep (work.models.SweepMark): its day, and the moment it started."""

    day: date
    at: datetime


def rule(function):
    """Register a rule of what falls due, for the reminder sweep and My work alike."""
    RULES.append(function)
    return function


def due_items(today: date, **options) -> list:
    """Every rule's items; the deadlines (teams/deadlines.py) read once for all of them."""
    with one_reading():
        return [item for function in RULES for item in function(today, **options)]


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    user_id: int
    client_id: int
    due_on: date
    url: str
    stage: str = ReminderStage.DUE


def changed_since(model, since: Since):
    """The change history of `model` since the last sweep began, read by its date index: every
    saved change (and removal) leaves a row there, with the row's id and fields."""
    return model.history.filter(history_date__gte=since.at)


def not_reminded(kind, stage=ReminderStage.DUE) -> Q:
    return ~Q(Exists(Reminder.objects.filter(kind=kind, object_id=OuterRef("pk"), stage=stage)))


def managed_by(users) -> Exists:
    """The outer row's client has one of `users` as a case manager on their team."""
    return Exists(team_case_managers().filter(client_id=OuterRef("client_id"), user__in=users))


def team_case_managers_of(client_ids) -> dict[int, list[int]]:
    """The case managers on the clients' teams (named by an organisation keeping the card):
    one query. An organisation's own case manager for its own work is not reminded of the
    team's meetings, which are not its data."""
    managers: dict[int, list[int]] = {}
    for client_id, user_id in team_case_managers().filter(
        client_id__in=client_ids
    ).values_list("client_id", "user_id"):
        managers.setdefault(client_id, []).append(user_id)
    return managers


@rule
def expiring_consents(today: date, *, for_sweep=False, users=None, until=None,
                      since=None) -> list[Due]:
    """A consent whose end is near (consents/due.py): to whoever recorded it, to ask the
    client again."""
    consents = Consent.objects.valid_on(today).filter(
        expiring(today), client__status=ClientStatus.ACTIVE,
        recorded_by__isnull=False,  # one the client gave themself has no recorder to remind
    )
    if users is not None:
        consents = consents.filter(recorded_by__in=users)
    if for_sweep:
        consents = consents.filter(not_reminded(ReminderKind.CONSENT_EXPIRING))
    return [
        Due(ReminderKind.CONSENT_EXPIRING, consent.pk, consent.recorded_by_id, consent.client_id,
            consent.valid_until, reverse("consents:detail", args=[consent.pk]))
        for consent in consents
    ]


