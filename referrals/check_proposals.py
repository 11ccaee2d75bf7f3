"""
The unemployed health check proposed to employment services (service path step 2: "a year has
passed since the last check" is employment services' trigger to refer). The client's current
case manager in an employment-services (TE) organisation is reminded — when a year has passed
since the last check their organisation knows of, and when it knows of none — and led one
click to the referral form, filled in with the reason.

What the reminder may tell (consents.policy, DESIGN.md "Consent and data categories"): the
health check itself is health care's health data. The rule therefore counts only the checks
the TE organisation already knows of by its own records — checks done on a referral it sent
(its referral shows "health check done") and checks whose feedback was sent to it — and never
another organisation's check or referral. So the reminder, its date and its absence tell TE
nothing it did not know; a check TE has not heard of at most makes it propose one, which the
nurse then sees against the client's record. The e-mail names no client (work/reminders.py).
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse

from clients.models import CaseManagerAssignment, ClientStatus
from teams.models import Sector
from work.due import Due, rule
from work.models import Reminder, ReminderKind, ReminderStage

from .due import first_check_proposed_on, next_check_due_on, next_check_is_due
from .models import AWAITING_CHECK, HealthCheck, Referral, ReferralReason


def _known_to(organisation) -> Q:
    """Health checks an organisation knows of by its own records: on its referral, or with
    feedback sent to it (`organisation` an expression such as OuterRef)."""
    return Q(referral__organisation=organisation) | Q(referral__feedback__recipient=organisation)


def _te_case_managers(today, users, clients=None):
    """The current TE case managers of active clients, each with the last check their
    organisation knows of (`last_check`, `last_checked_on`), unless a referral their
    organisation sent is still waiting for its check; of `clients` only, when given."""
    known = HealthCheck.objects.filter(
        _known_to(OuterRef("organisation")), client=OuterRef("client"),
    ).order_by("-performed_on", "-pk")
    assignments = (
        CaseManagerAssignment.objects.current()
        .filter(organisation__sector=Sector.EMPLOYMENT, client__status=ClientStatus.ACTIVE)
        .exclude(Exists(Referral.objects.filter(
            client=OuterRef("client"), organisation=OuterRef("organisation"),
            status__in=AWAITING_CHECK)))
        .annotate(last_check=Subquery(known.values("pk")[:1]),
                  last_checked_on=Subquery(known.values("performed_on")[:1]),
                  client_municipality_id=F("client__municipality"))
    )
    if users is not None:
        assignments = assignments.filter(user__in=users)
    if clients is not None:
        assignments = assignments.filter(client__in=clients)
    return assignments


def _te_since(since) -> set[int]:
    """Clients with a TE case manager named since the last sweep (a new one, or the client
    reopened): their proposals may be new without any date having come."""
    return set(CaseManagerAssignment.objects.current().filter(
        started_on__gte=since.day, organisation__sector=Sector.EMPLOYMENT,
    ).values_list("client_id", flat=True))


def _checks_come_due(today, since) -> set[int]:
    """Clients with a check whose year (their interval) has come since the last sweep's day:
    the performed_on index reads a day's checks, not every TE client's last one."""
    return set(HealthCheck.objects.filter(
        next_check_is_due(today) & ~next_check_is_due(since.day),
    ).values_list("client_id", flat=True))


def _not_reminded(kind, object_field) -> Q:
    return ~Q(Exists(Reminder.objects.filter(kind=kind, stage=ReminderStage.DUE,
                                             object_id=OuterRef(object_field),
                                             user=OuterRef("user"))))


def referral_url(client_id, reason) -> str:
    """The referral form, its reason chosen: the one click from the reminder."""
    return f"{reverse('referrals:create', args=[client_id])}?{urlencode({'reason': reason})}"


@rule
def health_checks(today: date, *, for_sweep=False, users=None, until=None,
                  since=None) -> list[Due]:
    """A year (the client's deadline, referrals/due.py) after the last check the TE
    organisation knows of: its case manager is proposed the next one. After a sweep, only the
    clients whose check has come due or whose TE case manager is new since; a check told to TE
    later (feedback), or a waiting referral cancelled, is read by the nightly sweep."""
    clients = None if since is None else _checks_come_due(today, since) | _te_since(since)
    assignments = _te_case_managers(today, users, clients).filter(
        next_check_is_due(today, "last_checked_on"))
    if for_sweep:
        assignments = assignments.filter(_not_reminded(ReminderKind.HEALTH_CHECK, "last_check"))
    assignments = list(assignments)
    checks = HealthCheck.objects.in_bulk({a.last_check for a in assignments})
    items = []
    for assignment in assignments:
        check = checks[assignment.last_check]
        check.client_municipality_id = assignment.client_municipality_id
        items.append(Due(ReminderKind.HEALTH_CHECK, check.pk, assignment.user_id,
                         assignment.client_id, next_check_due_on(check),
                         referral_url(assignment.client_id, ReferralReason.YEAR_SINCE_CHECK)))
    return items


@rule
def first_health_checks(today: date, *, for_sweep=False, users=None, until=None,
                        since=None) -> list[Due]:
    """A client whose TE organisation knows of no health check at all: its case manager is
    proposed one from the day they were named. After a sweep, only the clients whose TE case
    manager is new since (the nightly sweep reads the rest)."""
    clients = None if since is None else _te_since(since)
    assignments = _te_case_managers(today, users, clients).filter(last_check__isnull=True)
    if for_sweep:
        assignments = assignments.filter(_not_reminded(ReminderKind.FIRST_HEALTH_CHECK,
                                                       "client_id"))
    return [Due(ReminderKind.FIRST_HEALTH_CHECK, assignment.client_id, assignment.user_id,
                assignment.client_id, first_check_proposed_on(assignment.started_on),
                referral_url(assignment.client_id, ReferralReason.OTHER))
            for assignment in assignments]
