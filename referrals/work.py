"""What referrals put on people's work (work/due.py, work/my_work.py): the next health check,
feedback still to give, referrals to book and feedback to acknowledge. The due dates come from
referrals/due.py."""

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import CaseManagerAssignment, Client, ClientStatus
from consents.policy import care_organisation_ids, clients_banned_for
from teams.models import Membership
from work.due import Due, not_reminded, rule
from work.models import ReminderKind
from work.my_work import WorkItem, item_source

from .due import (
    booking_due_on,
    feedback_due_by,
    feedback_due_on,
    next_check_due_by,
    next_check_due_on,
)
from .models import Feedback, HealthCheck, Referral
from .models import ReferralStatus as RS


@rule
def health_checks(today: date, *, for_sweep=False, users=None, until=None) -> list[Due]:
    """A year after the last unemployed health check the next is due — unless a newer check or
    an open referral exists: to the own nurse, else the case managers — of the organisation
    that did the check, whose data it is; nobody else learns of it from a reminder."""
    checks = (
        HealthCheck.objects.filter(performed_on__lte=next_check_due_by(today),
                                   client__status=ClientStatus.ACTIVE)
        .exclude(Exists(HealthCheck.objects.filter(client=OuterRef("client"),
                                                   performed_on__gt=OuterRef("performed_on"))))
        .exclude(Exists(Referral.objects.filter(
            client=OuterRef("client"), created_at__date__gt=OuterRef("performed_on"),
        ).exclude(status=RS.CANCELLED)))
        .select_related("client")
    )
    if users is not None:
        # The user's own clients first, a few hundred ids read by index, so that the database
        # starts from them and not from every health check; the exact rule after.
        theirs = {*Client.objects.filter(own_nurse__in=users).values_list("pk", flat=True),
                  *CaseManagerAssignment.objects.filter(user__in=users, ended_on__isnull=True)
                  .values_list("client_id", flat=True)}
        checks = checks.filter(client_id__in=theirs)
    if for_sweep:
        checks = checks.filter(not_reminded(ReminderKind.HEALTH_CHECK))
    checks = list(checks)
    managers = _case_managers_in({c.client_id for c in checks})
    nurses = _members({(c.client.own_nurse_id, c.organisation_id) for c in checks
                       if c.client.own_nurse_id})
    items = []
    for check in checks:
        due_on = next_check_due_on(check)
        nurse = check.client.own_nurse_id
        people = ([nurse] if (nurse, check.organisation_id) in nurses
                  else managers.get((check.client_id, check.organisation_id), []))
        items += [Due(ReminderKind.HEALTH_CHECK, check.pk, user_id, check.client_id, due_on,
                      reverse("clients:detail", args=[check.client_id]))
                  for user_id in people if users is None or user_id in users]
    return items


def _case_managers_in(client_ids) -> dict[tuple[int, int], list[int]]:
    """The current case managers of the clients by (client, their organisation), one query."""
    managers: dict[tuple[int, int], list[int]] = {}
    for client_id, organisation_id, user_id in CaseManagerAssignment.objects.current().filter(
        client_id__in=client_ids
    ).values_list("client_id", "organisation_id", "user_id"):
        managers.setdefault((client_id, organisation_id), []).append(user_id)
    return managers


def _members(pairs) -> set[tuple[int, int]]:
    """Which (user, organisation) pairs are active care memberships, in one query."""
    if not pairs:
        return set()
    users, organisations = {u for u, _o in pairs}, {o for _u, o in pairs}
    return set(Membership.objects.active().care().filter(
        user_id__in=users, organisation_id__in=organisations,
    ).values_list("user_id", "organisation_id")) & set(pairs)


@rule
def referral_feedback(today: date, *, for_sweep=False, users=None, until=None) -> list[Due]:
    """A check whose feedback is due (referrals/due.py) and still none: to the nurse who did
    the check."""
    referrals = Referral.objects.filter(
        status=RS.DONE, health_check__performed_on__lte=feedback_due_by(today),
        client__status=ClientStatus.ACTIVE,
    ).select_related("health_check")
    if users is not None:
        referrals = referrals.filter(health_check__nurse__in=users)
    if for_sweep:
        referrals = referrals.filter(not_reminded(ReminderKind.REFERRAL_FEEDBACK))
    return [
        Due(ReminderKind.REFERRAL_FEEDBACK, referral.pk, referral.health_check.nurse_id,
            referral.client_id, feedback_due_on(referral.health_check),
            reverse("referrals:detail", args=[referral.pk]))
        for referral in referrals
    ]


@item_source
def referrals_to_handle(user, today, week_end) -> list[WorkItem]:
    """Incoming referrals to book and checks booked this week; feedback to acknowledge."""
    organisations, banned = care_organisation_ids(user), clients_banned_for(user)
    items = []
    if user.has_perm("referrals.handle_referral"):
        waiting = Referral.objects.filter(recipient__in=organisations,
                                          client__status=ClientStatus.ACTIVE).exclude(
            client__in=banned).filter(
            Q(status__in=[RS.SENT, RS.RECEIVED])
            | Q(status=RS.BOOKED, booked_for__date__lte=week_end)
        )
        for referral in waiting:
            if referral.status == RS.BOOKED:
                day = timezone.localtime(referral.booked_for).date()
                label = _("Unemployed health check booked")
            else:
                day = booking_due_on(referral)  # the worklist flags it the day after
                label = _("Book the health check of a referral")
            if day <= week_end:
                items.append(WorkItem(day, label, reverse("referrals:detail",
                                                          args=[referral.pk]),
                                      referral.client_id))
    for feedback in Feedback.objects.filter(recipient__in=organisations,
                                            acknowledged_at__isnull=True,
                                            client__status=ClientStatus.ACTIVE).exclude(
            client__in=banned):
        items.append(WorkItem(feedback.given_on, _("Acknowledge the feedback of a referral"),
                              reverse("referrals:detail", args=[feedback.referral_id]),
                              feedback.client_id))
    return items
