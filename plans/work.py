"""What plans put on people's work (work/due.py): feedback discussions after a meeting, plan
actions and follow-up dates that have come. The due dates come from plans/due.py."""

from datetime import date

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from clients.models import CaseManagerAssignment, Client, ClientStatus
from consents.policy import team_case_managers
from meetings.models import Meeting, MeetingDecision, MeetingStatus
from teams.deadlines import deadlines_for_record
from work.due import (
    Due,
    changed_since,
    managed_by,
    not_reminded,
    rule,
    team_case_managers_of,
)
from work.models import ReminderKind, ReminderStage

from .due import (
    actions_overdue,
    discussion_due_on,
    follow_up_periods_noticed_by,
    meeting_day,
    meetings_due_for_discussion,
)
from .models import (
    OPEN_ACTION_STATUSES,
    FeedbackDiscussion,
    FollowUp,
    PlanAction,
    PlanStatus,
    SupportPlan,
)


@rule
def feedback_discussions(today: date, *, for_sweep=False, users=None, until=None,
                         since=None) -> list[Due]:
    """Every team meeting is followed by a feedback discussion held or booked by its due day
    (plans/due.py); otherwise its holder — the case managers when none was named — is
    reminded."""
    meetings = (
        Meeting.objects.filter(meetings_due_for_discussion(today),
                               client__status=ClientStatus.ACTIVE)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(Exists(FeedbackDiscussion.objects.filter(meeting=OuterRef("pk"))))
        .select_related("decision")
        .annotate(client_municipality_id=F("client__municipality"))
    )
    if users is not None:
        meetings = meetings.filter(
            Q(decision__feedback_discussion_holder__in=users)
            | Q(decision__feedback_discussion_holder__isnull=True) & Q(managed_by(users)),
            pk__in=_meetings_of(users),
        )
    if since is not None:
        meetings = meetings.filter(pk__in=_meetings_since(today, since))
    if for_sweep:
        meetings = meetings.filter(not_reminded(ReminderKind.FEEDBACK_DISCUSSION))
    meetings = list(meetings)
    managers = team_case_managers_of({m.client_id for m in meetings})
    items = []
    for meeting in meetings:
        due_on = discussion_due_on(meeting_day(meeting), deadlines_for_record(meeting))
        decision = getattr(meeting, "decision", None)
        holders = ([decision.feedback_discussion_holder_id]
                   if decision and decision.feedback_discussion_holder_id
                   else managers.get(meeting.client_id, []))
        # Straight to the form that books or records the discussion: the reminder is the task.
        url = f"{reverse('plans:discussion_create', args=[meeting.client_id])}?meeting={meeting.pk}"
        items += [Due(ReminderKind.FEEDBACK_DISCUSSION, meeting.pk, user_id, meeting.client_id,
                      due_on, url) for user_id in holders if users is None or user_id in users]
    return items


def _meetings_of(users) -> set[int]:
    """The meetings whose discussion may be the users' (they hold it, or manage the client):
    from their own rows' indexes, for My work, instead of every meeting held."""
    managed = team_case_managers().filter(user__in=users).values("client_id")
    return {
        *MeetingDecision.objects.filter(feedback_discussion_holder__in=users).values_list(
            "meeting_id", flat=True),
        *Meeting.objects.filter(client__in=managed).values_list("pk", flat=True),
    }


def _own(rows, users) -> set[int]:
    """Rows (actions, follow-ups) the users do, or whose plan they manage: from their own
    rows' indexes, for My work."""
    return {
        *rows.filter(responsible__in=users).values_list("pk", flat=True),
        *rows.filter(plan__case_managers__in=users).values_list("pk", flat=True),
    }


def _meetings_since(today, since) -> set[int]:
    """Meetings whose discussion came due since the last sweep's day, or that changed since it
    began: the meeting, its decisions (the holder), a discussion of it (one removed), the case
    managers on its client's team (holders when none was named)."""
    came = meetings_due_for_discussion(today) & ~meetings_due_for_discussion(since.day)
    new_managers = CaseManagerAssignment.objects.current().filter(
        started_on__gte=since.day).values("client_id")
    discussions = FeedbackDiscussion.history.filter(
        history_date__gte=since.at, meeting__isnull=False).values("meeting_id")
    return {
        *Meeting.objects.filter(came).values_list("pk", flat=True),
        *changed_since(Meeting, since).values_list("id", flat=True),
        *changed_since(MeetingDecision, since).values_list("meeting_id", flat=True),
        *discussions.values_list("meeting_id", flat=True),
        *Meeting.objects.filter(client__in=new_managers, starts_at__lt=timezone.now()
                                ).values_list("pk", flat=True),
    }


@rule
def plan_actions(today: date, *, for_sweep=False, users=None, until=None,
                 since=None) -> list[Due]:
    """Open plan actions that have come due (and overdue once the client's deadline in working
    days has passed, plans/due.py): to whoever does them, or to the plan's case managers when
    someone outside Työkyky does."""
    until = until or today
    actions = PlanAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lte=until, plan__status=PlanStatus.ACTIVE,
        plan__client__status=ClientStatus.ACTIVE,
    ).select_related("plan")
    if users is not None:
        actions = actions.filter(Q(responsible__in=users) | Q(
            responsible__isnull=True, plan__case_managers__in=users),
            pk__in=_own(PlanAction.objects.filter(status__in=OPEN_ACTION_STATUSES), users),
        ).distinct()
    if since is not None:
        actions = actions.filter(pk__in=_actions_since(today, since))
    stages = [ReminderStage.DUE]
    if for_sweep:
        stages.append(ReminderStage.OVERDUE)
    items = []
    for stage in stages:
        selected = actions
        if stage == ReminderStage.OVERDUE:
            selected = selected.filter(actions_overdue(today))
        if for_sweep:
            selected = selected.filter(not_reminded(ReminderKind.ACTION, stage))
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


def _actions_since(today, since) -> set[int]:
    """Open actions that came due or overdue since the last sweep's day (the due-date index on
    open actions), or were saved, or whose plan was, since it began: not the whole backlog of
    open actions long reminded."""
    open_actions = PlanAction.objects.filter(status__in=OPEN_ACTION_STATUSES)
    came = (Q(due_on__gt=since.day, due_on__lte=today)
            | actions_overdue(today) & ~actions_overdue(since.day))
    return {
        *open_actions.filter(came).values_list("pk", flat=True),
        *open_actions.filter(pk__in=changed_since(PlanAction, since).values("id")).values_list(
            "pk", flat=True),
        *open_actions.filter(plan__in=changed_since(SupportPlan, since).values("id")).values_list(
            "pk", flat=True),
    }


def _plan_case_managers(plan_ids) -> dict[int, list[int]]:
    managers: dict[int, list[int]] = {}
    rows = SupportPlan.case_managers.through.objects.filter(supportplan_id__in=plan_ids)
    for plan_id, user_id in rows.values_list("supportplan_id", "user_id"):
        managers.setdefault(plan_id, []).append(user_id)
    return managers


@rule
def follow_ups(today: date, *, for_sweep=False, users=None, until=None,
               since=None) -> list[Due]:
    """Follow-up dates that have come: to whoever the team meeting named to follow up
    (plans/follow_through.py), else to the plan's coordinating case managers."""
    due = FollowUp.objects.filter(
        done_on__isnull=True, due_on__lte=until or today, plan__status=PlanStatus.ACTIVE,
        plan__client__status=ClientStatus.ACTIVE,
    ).select_related("plan")
    if users is not None:
        due = due.filter(Q(responsible__in=users) | Q(
            responsible__isnull=True, plan__case_managers__in=users),
            pk__in=_own(FollowUp.objects.filter(done_on__isnull=True), users),
        ).distinct()
    if for_sweep:
        due = due.filter(not_reminded(ReminderKind.FOLLOW_UP))
    due = list(due)
    managers = _plan_case_managers({f.plan_id for f in due if not f.responsible_id})
    return [
        Due(ReminderKind.FOLLOW_UP, follow_up.pk, user_id, follow_up.plan.client_id,
            follow_up.due_on, reverse("plans:plan", args=[follow_up.plan.client_id]))
        for follow_up in due
        for user_id in ([follow_up.responsible_id] if follow_up.responsible_id
                        else managers.get(follow_up.plan_id, []))
        if users is None or user_id in users
    ]


@rule
def follow_up_periods(today: date, *, for_sweep=False, users=None, until=None,
                      since=None) -> list[Due]:
    """A client closed as employed or with the goal reached, followed until a day: the case
    managers at the closing are reminded near its end (plans/due.py) and on its last day, to
    call the client and reopen the file if they need support again. After that day the file is
    finally closed and nothing more falls due. My work shows it from the notice until the end."""
    noticed_by = follow_up_periods_noticed_by(today)
    clients = Client.objects.filter(status=ClientStatus.CLOSED, follow_up_until__gte=today,
                                    follow_up_until__lte=max(noticed_by, until or today))
    if users is not None:
        clients = clients.filter(Exists(CaseManagerAssignment.objects.filter(
            client=OuterRef("pk"), ended_on=OuterRef("closed_on"), user__in=users)))
    # Near the end (the reminder, and My work until the day), and on the last day (the
    # reminder only: My work already shows the period ending today).
    kinds = [ReminderKind.FOLLOW_UP_PERIOD]
    if for_sweep:
        kinds.append(ReminderKind.FOLLOW_UP_PERIOD_ENDED)
    items = []
    for kind in kinds:
        selected = clients
        if kind == ReminderKind.FOLLOW_UP_PERIOD_ENDED:
            selected = selected.filter(follow_up_until=today)
        elif for_sweep:
            selected = selected.filter(follow_up_until__lte=noticed_by)
        if for_sweep:
            selected = selected.filter(not_reminded(kind))
        selected = list(selected.values_list("pk", "closed_on", "follow_up_until"))
        managers = _last_case_managers(selected)
        for client_id, _closed_on, follow_up_until in selected:
            url = reverse("clients:detail", args=[client_id])
            items += [Due(kind, client_id, user_id, client_id, follow_up_until, url)
                      for user_id in managers.get(client_id, [])
                      if users is None or user_id in users]
    return items


def _last_case_managers(closed) -> dict[int, list[int]]:
    """The case managers whose periods ended with each client's closing: one query."""
    if not closed:
        return {}
    closings = Q()
    for client_id, closed_on, _until in closed:
        closings |= Q(client_id=client_id, ended_on=closed_on)
    managers: dict[int, list[int]] = {}
    for client_id, user_id in CaseManagerAssignment.objects.filter(closings).values_list(
            "client_id", "user_id").order_by("pk"):
        managers.setdefault(client_id, []).append(user_id)
    return managers
