"""
What is due, and for whom: the rules behind both the reminder sweep and the My work page.

Each rule returns Due items — the object, the person responsible, the day it falls due. The
due dates come from the apps that own what falls due (referrals/due.py, plans/deadlines.py,
consents/due.py), so the worklist flags, the client page and the dashboard count the same days;
each query selects by the date bound its rule gives. A rule asked for the sweep leaves out what
has already been reminded at that stage, in SQL, so a sweep over hundreds of thousands of plans
only handles what is new.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from clients.models import CaseManagerAssignment, Client, ClientStatus
from consents.due import expiring_by
from consents.models import Consent
from consents.policy import team_case_managers
from meetings.models import Meeting, MeetingStatus
from referrals.due import feedback_due_by, feedback_due_on, next_check_due_by, next_check_due_on
from referrals.models import HealthCheck, Referral
from referrals.models import ReferralStatus as RS
from teams.models import Membership

from .deadlines import (
    actions_overdue_by,
    discussion_due_on,
    meeting_day,
    meetings_due_for_discussion_by,
)
from .models import (
    OPEN_ACTION_STATUSES,
    FeedbackDiscussion,
    FollowUp,
    PlanAction,
    PlanStatus,
    Reminder,
    ReminderKind,
    ReminderStage,
    SupportPlan,
)


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    user_id: int
    client_id: int
    due_on: date
    url: str
    stage: str = ReminderStage.DUE


def _not_reminded(kind, stage=ReminderStage.DUE) -> Q:
    return ~Q(Exists(Reminder.objects.filter(kind=kind, object_id=OuterRef("pk"), stage=stage)))


def _managed_by(users) -> Exists:
    """The outer row's client has one of `users` as a case manager on their team."""
    return Exists(team_case_managers().filter(client_id=OuterRef("client_id"), user__in=users))


def _case_managers(client_ids) -> dict[int, list[int]]:
    """The case managers on the clients' teams (named by an organisation keeping the card):
    one query. An organisation's own case manager for its own work is not reminded of the
    team's meetings, which are not its data."""
    managers: dict[int, list[int]] = {}
    for client_id, user_id in team_case_managers().filter(
        client_id__in=client_ids
    ).values_list("client_id", "user_id"):
        managers.setdefault(client_id, []).append(user_id)
    return managers


def feedback_discussions(today: date, *, for_sweep=False, users=None) -> list[Due]:
    """Every team meeting is followed by a feedback discussion held or booked by its due day
    (plans/deadlines.py); otherwise its holder — the case managers when none was named — is
    reminded."""
    meetings = (
        Meeting.objects.filter(starts_at__lt=meetings_due_for_discussion_by(today),
                               client__status=ClientStatus.ACTIVE)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(Exists(FeedbackDiscussion.objects.filter(meeting=OuterRef("pk"))))
        .select_related("decision")
    )
    if users is not None:
        meetings = meetings.filter(
            Q(decision__feedback_discussion_holder__in=users)
            | Q(decision__feedback_discussion_holder__isnull=True) & Q(_managed_by(users))
        )
    if for_sweep:
        meetings = meetings.filter(_not_reminded(ReminderKind.FEEDBACK_DISCUSSION))
    meetings = list(meetings)
    managers = _case_managers({m.client_id for m in meetings})
    items = []
    for meeting in meetings:
        due_on = discussion_due_on(meeting_day(meeting))
        decision = getattr(meeting, "decision", None)
        holders = ([decision.feedback_discussion_holder_id]
                   if decision and decision.feedback_discussion_holder_id
                   else managers.get(meeting.client_id, []))
        # Straight to the form that books or records the discussion: the reminder is the task.
        url = f"{reverse('plans:discussion_create', args=[meeting.client_id])}?meeting={meeting.pk}"
        items += [Due(ReminderKind.FEEDBACK_DISCUSSION, meeting.pk, user_id, meeting.client_id,
                      due_on, url) for user_id in holders if users is None or user_id in users]
    return items


def plan_actions(today: date, *, for_sweep=False, users=None, until=None) -> list[Due]:
    """Open plan actions that have come due (and a week later, overdue): to whoever does them,
    or to the plan's case managers when someone outside Työkyky does."""
    until = until or today
    actions = PlanAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lte=until, plan__status=PlanStatus.ACTIVE,
        plan__client__status=ClientStatus.ACTIVE,
    ).select_related("plan")
    if users is not None:
        actions = actions.filter(Q(responsible__in=users) | Q(
            responsible__isnull=True, plan__case_managers__in=users)).distinct()
    stages = [ReminderStage.DUE]
    if for_sweep:
        stages.append(ReminderStage.OVERDUE)
    items = []
    for stage in stages:
        selected = actions
        if stage == ReminderStage.OVERDUE:
            selected = selected.filter(due_on__lte=actions_overdue_by(today))
        if for_sweep:
            selected = selected.filter(_not_reminded(ReminderKind.ACTION, stage))
        selected = list(selected)
        managers = _plan_case_managers({a.plan_id for a in selected if not a.responsible_id})
        for action in selected:
            people = [action.responsible_id] if action.responsible_id else managers.get(
                action.plan_id, [])
            url = reverse("plans:plan", args=[action.plan.client_id])
            items += [Due(ReminderKind.ACTION, action.pk, user_id, action.plan.client_id,
                          action.due_on, url, stage)
                      for user_id in people if users is None or user_id in users]
    return items


def _plan_case_managers(plan_ids) -> dict[int, list[int]]:
    managers: dict[int, list[int]] = {}
    rows = SupportPlan.case_managers.through.objects.filter(supportplan_id__in=plan_ids)
    for plan_id, user_id in rows.values_list("supportplan_id", "user_id"):
        managers.setdefault(plan_id, []).append(user_id)
    return managers


def follow_ups(today: date, *, for_sweep=False, users=None, until=None) -> list[Due]:
    """Follow-up dates that have come: to the plan's coordinating case managers."""
    due = FollowUp.objects.filter(
        done_on__isnull=True, due_on__lte=until or today, plan__status=PlanStatus.ACTIVE,
        plan__client__status=ClientStatus.ACTIVE,
    ).select_related("plan")
    if users is not None:
        due = due.filter(plan__case_managers__in=users).distinct()
    if for_sweep:
        due = due.filter(_not_reminded(ReminderKind.FOLLOW_UP))
    due = list(due)
    managers = _plan_case_managers({f.plan_id for f in due})
    return [
        Due(ReminderKind.FOLLOW_UP, follow_up.pk, user_id, follow_up.plan.client_id,
            follow_up.due_on, reverse("plans:plan", args=[follow_up.plan.client_id]))
        for follow_up in due for user_id in managers.get(follow_up.plan_id, [])
        if users is None or user_id in users
    ]


def health_checks(today: date, *, for_sweep=False, users=None) -> list[Due]:
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
        checks = checks.filter(_not_reminded(ReminderKind.HEALTH_CHECK))
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


def referral_feedback(today: date, *, for_sweep=False, users=None) -> list[Due]:
    """A check whose feedback is due (referrals/due.py) and still none: to the nurse who did
    the check."""
    referrals = Referral.objects.filter(
        status=RS.DONE, health_check__performed_on__lte=feedback_due_by(today),
        client__status=ClientStatus.ACTIVE,
    ).select_related("health_check")
    if users is not None:
        referrals = referrals.filter(health_check__nurse__in=users)
    if for_sweep:
        referrals = referrals.filter(_not_reminded(ReminderKind.REFERRAL_FEEDBACK))
    return [
        Due(ReminderKind.REFERRAL_FEEDBACK, referral.pk, referral.health_check.nurse_id,
            referral.client_id, feedback_due_on(referral.health_check),
            reverse("referrals:detail", args=[referral.pk]))
        for referral in referrals
    ]


def expiring_consents(today: date, *, for_sweep=False, users=None) -> list[Due]:
    """A consent whose end is near (consents/due.py): to whoever recorded it, to ask the
    client again."""
    consents = Consent.objects.valid_on(today).filter(
        valid_until__lte=expiring_by(today),
        client__status=ClientStatus.ACTIVE,
    )
    if users is not None:
        consents = consents.filter(recorded_by__in=users)
    if for_sweep:
        consents = consents.filter(_not_reminded(ReminderKind.CONSENT_EXPIRING))
    return [
        Due(ReminderKind.CONSENT_EXPIRING, consent.pk, consent.recorded_by_id, consent.client_id,
            consent.valid_until, reverse("consents:detail", args=[consent.pk]))
        for consent in consents
    ]


RULES = [feedback_discussions, plan_actions, follow_ups, health_checks, referral_feedback,
         expiring_consents]
