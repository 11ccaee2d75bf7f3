"""
My work (Omat tehtävät): what is overdue, due today and coming this week for one person,
across referrals, meetings, feedback discussions, plan actions and follow-ups — from the same
rules as the reminders (plans/due.py), each one click from its record.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import CaseManagerAssignment, ClientStatus
from consents.policy import care_organisation_ids, clients_banned_for, consents_to_confirm
from consents.shown import shown_clients
from meetings.calendar import as_seen_by
from meetings.models import Meeting, MeetingStatus
from referrals.due import booking_due_on
from referrals.models import Feedback, Referral
from referrals.models import ReferralStatus as RS

from . import due
from .models import ReminderKind, ReminderStage


@dataclass
class WorkItem:
    day: date
    label: str
    url: str
    client_id: int | None = None
    shown_client: object = field(default=None, compare=False)  # consents.shown.ShownClient


@dataclass
class MyWork:
    overdue: list
    today: list
    week: list
    team_meetings: list
    my_clients: list
    to_confirm: list
    clients: list  # the clients the page names, as the user may see them (for the access log)


def _due_items(user, today, week_end) -> list[WorkItem]:
    users = {user.pk}
    found = [
        *due.feedback_discussions(today, users=users),
        *due.plan_actions(today, users=users, until=week_end),
        *due.follow_ups(today, users=users, until=week_end),
        *due.health_checks(today, users=users),
        *due.referral_feedback(today, users=users),
        *[item for item in due.expiring_consents(today, users=users)
          if item.due_on <= week_end],
    ]
    return [WorkItem(item.due_on, str(ReminderKind(item.kind).label), item.url, item.client_id)
            for item in found if item.stage == ReminderStage.DUE]


def _my_meetings(user, today, week_end) -> list[WorkItem]:
    start = timezone.make_aware(datetime.combine(today, time.min))
    meetings = Meeting.objects.filter(
        participants__user=user, starts_at__gte=start,
        starts_at__lt=start + timedelta(days=(week_end - today).days + 1),
    ).exclude(status=MeetingStatus.CANCELLED).exclude(
        client__in=clients_banned_for(user)).distinct()
    return [WorkItem(timezone.localtime(m.starts_at).date(),
                     _("Team meeting at %(time)s") % {
                         "time": timezone.localtime(m.starts_at).strftime("%H.%M")},
                     reverse("meetings:detail", args=[m.pk]), m.client_id) for m in meetings]


def _referrals(user, today, week_end) -> list[WorkItem]:
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


def work_for(user, today=None) -> MyWork:
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday()) if today.weekday() < 5 else (
        today + timedelta(days=7)
    )
    items = [*_due_items(user, today, week_end), *_my_meetings(user, today, week_end),
             *_referrals(user, today, week_end)]
    team_meetings = []
    if user.has_perm("meetings.book_meeting"):
        soon = timezone.now() + timedelta(days=7)
        team_meetings = as_seen_by(user, (
            Meeting.objects.filter(team__members__user=user, starts_at__gte=timezone.now(),
                                   starts_at__lte=soon)
            .exclude(status=MeetingStatus.CANCELLED).distinct().order_by("starts_at")
        ))
    my_clients = list(
        CaseManagerAssignment.objects.current().filter(user=user,
                                                       client__status=ClientStatus.ACTIVE)
        .order_by("client__last_name")
    )
    to_confirm = list(consents_to_confirm(user).select_related("recorded_by_organisation"))
    shown = shown_clients(user, {i.client_id for i in items} | {a.client_id for a in my_clients}
                          | {c.client_id for c in to_confirm})
    for row in [*items, *my_clients, *to_confirm]:
        row.shown_client = shown.get(row.client_id)
    items.sort(key=lambda item: (item.day, item.label))
    return MyWork(
        overdue=[i for i in items if i.day < today],
        today=[i for i in items if i.day == today],
        week=[i for i in items if today < i.day <= week_end],
        team_meetings=team_meetings,
        my_clients=my_clients,
        to_confirm=to_confirm,
        clients=[*shown.values(), *(m.shown_client for m in team_meetings if m.shown_client)],
    )
