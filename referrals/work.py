"""What referrals put on people's work (work/due.py, work/my_work.py): feedback still to give,
referrals to book and feedback to acknowledge. The due dates come from referrals/due.py. The next
health check is proposed to the client's employment-services case manager
(referrals/check_proposals.py)."""

from datetime import date

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import ClientStatus
from consents.policy import care_organisation_ids, clients_banned_for
from teams.deadlines import deadlines_for_record
from work.due import Due, changed_since, not_reminded, rule
from work.models import ReminderKind
from work.my_work import WorkItem, item_source

from .due import (
    booking_due_on,
    feedback_due_on,
    feedback_is_due,
)
from .models import Feedback, HealthCheck, MissedAppointment, Referral
from .models import ReferralStatus as RS


@rule
def referral_feedback(today: date, *, for_sweep=False, users=None, until=None,
                      since=None) -> list[Due]:
    """A check whose feedback is due (referrals/due.py) and still none: to the nurse who did
    the check."""
    referrals = Referral.objects.filter(
        feedback_is_due(today, "health_check__performed_on"),
        status=RS.DONE, client__status=ClientStatus.ACTIVE,
    ).select_related("health_check").annotate(client_municipality_id=F("client__municipality"))
    if users is not None:
        referrals = referrals.filter(health_check__nurse__in=users)
    if since is not None:
        referrals = referrals.filter(pk__in=_referrals_since(today, since))
    if for_sweep:
        referrals = referrals.filter(not_reminded(ReminderKind.REFERRAL_FEEDBACK))
    return [
        Due(ReminderKind.REFERRAL_FEEDBACK, referral.pk, referral.health_check.nurse_id,
            referral.client_id,
            feedback_due_on(referral.health_check, deadlines_for_record(referral)),
            reverse("referrals:detail", args=[referral.pk]))
        for referral in referrals
    ]


def _referrals_since(today, since) -> set[int]:
    """Referrals whose feedback came due since the last sweep's day (the checks' date index),
    or that were saved, or whose check was, since it began."""
    came = (feedback_is_due(today) & ~feedback_is_due(since.day))
    return {
        *HealthCheck.objects.filter(came, referral__isnull=False).values_list(
            "referral_id", flat=True),
        *changed_since(Referral, since).values_list("id", flat=True),
        *HealthCheck.history.filter(history_date__gte=since.at, referral__isnull=False
                                    ).values_list("referral_id", flat=True),
    }


def _last_missed() -> Subquery:
    """When the client last did not arrive at the referral's health check (ei saapunut)."""
    return Subquery(MissedAppointment.objects.filter(referral=OuterRef("pk"))
                    .order_by("-booked_for").values("booked_for")[:1])


@item_source
def referrals_to_handle(user, today, week_end) -> list[WorkItem]:
    """Incoming referrals to book and checks booked this week; feedback to acknowledge."""
    organisations, banned = care_organisation_ids(user), clients_banned_for(user)
    items = []
    if user.has_perm("referrals.handle_referral"):
        waiting = Referral.objects.filter(recipient__in=organisations,
                                          client__status=ClientStatus.ACTIVE).annotate(
            client_municipality_id=F("client__municipality")).exclude(
            client__in=banned).annotate(last_missed=_last_missed()).filter(
            Q(status__in=[RS.SENT, RS.RECEIVED])
            | Q(status=RS.BOOKED, booked_for__date__lte=week_end)
        )
        for referral in waiting:
            if referral.status == RS.BOOKED:
                day = timezone.localtime(referral.booked_for).date()
                label = _("Unemployed health check booked")
            elif referral.last_missed is not None:
                # The client did not arrive: a new time is due from that day on.
                day = timezone.localtime(referral.last_missed).date()
                label = _("The client did not arrive: book a new time for the health check")
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
