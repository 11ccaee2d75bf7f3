"""
Support plans, feedback discussions and closing a client (service path steps 7-9), as
operations views and tasks share.
"""

from datetime import UTC, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.services import set_case_managers
from clients.models import ClientStatus, ClosingReason
from consents.policy import organisation_of
from meetings.models import MeetingDecision, MeetingStatus
from tyokyky.versions import check_version, lock
from work import outbox
from work.models import Reminder, ReminderKind
from work.reminders import cancel_for_client as cancel_reminders

from .due import decided_follow_up_due_on, follow_up_period_until, meeting_day
from .models import (
    ActionStatus,
    FeedbackDiscussion,
    FollowUp,
    Goal,
    GoalNote,
    GoalProgress,
    PlanAction,
    PlanStatus,
    SupportPlan,
)

# Closing for these reasons may keep a follow-up period before the file is finally closed.
FOLLOWED_UP_REASONS = {ClosingReason.EMPLOYED, ClosingReason.GOAL_REACHED}


def _save(record, by):
    record._history_user = by
    record.full_clean()
    record.save()
    return record


def _not_before_case_managers(closed_on, assignments) -> None:
    """Closing ends the case managers' periods on the closing date: not before they began."""
    began = assignments.aggregate(latest=Max("started_on"))["latest"]
    if began and closed_on < began:
        raise ValidationError({"closed_on": _(
            "The closing date cannot be before the current case managers were named "
            "(%(date)s).") % {"date": formats.date_format(began, "SHORT_DATE_FORMAT")}})


def current_plan(client, organisation) -> SupportPlan | None:
    """The organisation's own plan in use for the client."""
    return SupportPlan.objects.filter(client=client, organisation=organisation,
                                      status=PlanStatus.ACTIVE).first()


@transaction.atomic
def create_plan(*, client, by, organisation, case_managers, short_term_goals,
                long_term_goals="", plain_language="", follow_up_weeks=None,
                first_follow_up=None, version=None) -> SupportPlan:
    """
    Step 8: the plan written with the client; the first follow-up date goes in with it. From a
    form opened when there was no plan (`version` 0), a plan written meanwhile by a colleague
    is shown to the user instead of a second one (tyokyky.versions).
    """
    lock(client)  # two writing the client's first plan at once: the second waits, then sees it
    existing = current_plan(client, organisation)
    if existing is not None:
        check_version(existing, version)
        raise ValidationError(_("The client already has a plan in use. Update it instead."))
    if not case_managers:
        raise ValidationError({"case_managers": _("Name the coordinating case managers.")})
    plan = _save(SupportPlan(
        client=client, organisation=organisation, created_by=by,
        short_term_goals=short_term_goals, long_term_goals=long_term_goals,
        plain_language=plain_language, follow_up_weeks=follow_up_weeks,
    ), by)
    plan.case_managers.set(case_managers)
    if first_follow_up:
        add_follow_up(plan=plan, by=by, due_on=first_follow_up)
    take_on_agreed_follow_ups(plan=plan, by=by)
    return plan


@transaction.atomic
def update_plan(*, plan, by, case_managers, version=None, **fields) -> SupportPlan:
    """A new version of the plan: the old one stays in its history. Not over a version saved
    after the form's `version`: the user sees that one first."""
    if not case_managers:
        raise ValidationError({"case_managers": _("Name the coordinating case managers.")})
    lock(plan)
    check_version(plan, version)
    for name, value in fields.items():
        setattr(plan, name, value)
    _save(plan, by)
    if set(plan.case_managers.all()) != set(case_managers):
        plan.case_managers.set(case_managers)
    return plan


def add_action(*, plan, by, what, responsible=None, responsible_other="", due_on=None,
               client_responsible=False):
    if responsible is None and not responsible_other and not client_responsible:
        raise ValidationError({"responsible": _("Say who does it: a user or someone else.")})
    return _save(PlanAction(plan=plan, what=what, responsible=responsible,
                            responsible_other=responsible_other, due_on=due_on,
                            client_responsible=client_responsible), by)


@transaction.atomic
def set_action_status(*, action, by, status, version=None) -> PlanAction:
    """How far the action is; not over a change saved after the form's `version`."""
    lock(action)
    check_version(action, version)
    action.status = status
    action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
    return _save(action, by)


@transaction.atomic
def mark_own_action_done(*, action) -> PlanAction:
    """
    The client marks an action of their own done in Oma Työkyky (step 9: follow-up is primarily
    the client's own). Only an open action the plan gives to the client; the history records
    the change with no staff user and "by the client" as its reason.
    """
    lock(action)
    if not action.client_responsible:
        raise ValidationError(_("Only the client's own actions can be marked done by the "
                                "client."))
    if not action.is_open:
        raise ValidationError(_("This action is already marked done or cancelled."))
    action._change_reason = "by the client"
    return set_action_status(action=action, by=None, status=ActionStatus.DONE)


def add_goal(*, plan, by, text) -> Goal:
    """A goal of the plan, often an interim one on the way (välitavoite): not started yet."""
    return _save(Goal(plan=plan, text=text), by)


@transaction.atomic
def follow_goal(*, goal, by, progress, text="", written_on=None) -> GoalNote:
    """
    The goal followed up with the client: where it stands, in a dated note, and the goal's
    progress with it. Service path: the case manager follows the client's goal and interim
    goals together with the client (workshop cases, 004).
    """
    lock(goal)
    written_on = written_on or timezone.localdate()
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("The date cannot be in the future.")})
    note = GoalNote(goal=goal, written_on=written_on, progress=progress, text=text,
                    written_by=by)
    note.full_clean()
    note.save()
    if goal.progress != progress:
        goal.progress = progress
        goal.reached_on = written_on if progress == GoalProgress.REACHED else None
        _save(goal, by)
    return note


def add_follow_up(*, plan, by, due_on, responsible=None, decision=None) -> FollowUp:
    """A follow-up date of the plan; `responsible` and `decision` when a team meeting named who
    follows up (plans/follow_through.py)."""
    return _save(FollowUp(plan=plan, due_on=due_on, responsible=responsible,
                          decision=decision), by)


def take_on_agreed_follow_ups(*, plan, by) -> list[FollowUp]:
    """
    A follow-up a team meeting agreed for someone of the plan's organisation while it had no
    plan in use goes into the plan when the plan is written: the reminder read from the
    decision (plans/follow_through.py) becomes a follow-up date done on the plan.
    """
    decisions = (MeetingDecision.objects.filter(meeting__client_id=plan.client_id,
                                                follow_up_by__isnull=False)
                 .exclude(meeting__status=MeetingStatus.CANCELLED)
                 .exclude(Exists(FollowUp.objects.filter(decision=OuterRef("pk"))))
                 .select_related("meeting", "follow_up_by"))
    return [add_follow_up(plan=plan, by=by, responsible=decision.follow_up_by,
                          decision=decision,
                          due_on=decided_follow_up_due_on(meeting_day(decision.meeting)))
            for decision in decisions
            if organisation_of(decision.follow_up_by) == plan.organisation]


@transaction.atomic
def complete_follow_up(*, follow_up, by, notes="") -> FollowUp:
    """Done; with a follow-up interval in the plan, the next date is set at once."""
    lock(follow_up)
    if follow_up.done_on is not None:
        raise ValidationError(_("The follow-up has already been marked done."))
    follow_up.done_on = timezone.localdate()
    follow_up.done_by = by
    follow_up.notes = notes
    _save(follow_up, by)
    plan = follow_up.plan
    if plan.follow_up_weeks:
        # Whoever the meeting named goes on following up: the next date is theirs too.
        add_follow_up(plan=plan, by=by,
                      due_on=follow_up.done_on + timedelta(weeks=plan.follow_up_weeks),
                      responsible=follow_up.responsible, decision=follow_up.decision)
    return follow_up


@transaction.atomic
def record_feedback_discussion(*, client, by, organisation, holder, meeting=None,
                               scheduled_for=None, held_on=None, is_final=False, version=None,
                               invite=(), **fields) -> FeedbackDiscussion:
    """
    Step 7: book or record the feedback discussion; every team meeting is followed by one.
    A booked discussion counts for the reminder; recording it held completes it. The
    organisation has one discussion per meeting: from the form, not over one saved after the
    form's `version` (0: there was none yet). The support network's people in `invite` (as
    the user may see them) are invited to a booked time by e-mail.
    """
    if held_on is None and scheduled_for is None:
        raise ValidationError(_("Give the date it was held, or book a time."))
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A discussion cannot be held in the future.")})
    # The organisation's own discussion of the meeting: only the writing organisation edits.
    # The meeting's row is locked so that two writing it at once do not make two.
    if meeting is not None:
        lock(meeting)
    existing = FeedbackDiscussion.objects.filter(
        meeting=meeting, organisation=organisation).first() if meeting else None
    check_version(existing, version)
    discussion = existing or FeedbackDiscussion(client=client, organisation=organisation,
                                                created_by=by, meeting=meeting)
    if existing and existing.scheduled_for != scheduled_for and held_on is None:
        # A new time: if that one too passes without the discussion, the holder is reminded
        # again (the reminder's key is the discussion; what was sent stays in the bell).
        Reminder.objects.filter(kind=ReminderKind.DISCUSSION_NOT_HELD,
                                object_id=existing.pk).delete()
    for name, value in {"holder": holder, "scheduled_for": scheduled_for, "held_on": held_on,
                        "is_final": is_final, **fields}.items():
        setattr(discussion, name, value)
    messages = _invitations(discussion, invite)
    _save(discussion, by)
    outbox.enqueue(messages)
    return discussion


def _invitations(discussion, contacts) -> list:
    """E-mails inviting the support network's people to the booked discussion — each once
    for each time (remembered on the discussion). They name no client: the contact knows whom
    it concerns. Written to the outbox with the booking, sent after it commits."""
    if discussion.held_on is not None or discussion.scheduled_for is None:
        return []
    when = discussion.scheduled_for.astimezone(UTC).isoformat()  # one instant, one key
    holder = discussion.holder
    organisation = organisation_of(holder) or discussion.organisation
    messages = []
    for contact in contacts:
        key = f"{contact.pk}@{when}"
        if not contact.email or key in discussion.invited:
            continue
        discussion.invited = [*discussion.invited, key]
        with translation.override(discussion.client.language):
            messages.append(outbox.from_templates("plans/email/discussion_invitation", {
                "starts_at": timezone.localtime(discussion.scheduled_for),
                "holder": holder.get_full_name() or holder.get_username(),
                "organisation": organisation.name if organisation else "",
                "holder_email": holder.email,
            }, to=contact.email, client_id=discussion.client_id))
    return messages


def _end_plans(client, organisation, by):
    """The organisation's own plans in use end; another organisation's are its to end."""
    for plan in SupportPlan.objects.filter(client=client, organisation=organisation,
                                           status=PlanStatus.ACTIVE):
        plan.status = PlanStatus.ENDED
        _save(plan, by)


@transaction.atomic
def end_relationship(*, client, by, organisation, reason, closed_on, final_discussion) -> None:
    """
    An organisation that knows the client by its own card ends its own client relationship:
    its final feedback discussion is recorded, its plan ends, the case managers it named leave,
    and it no longer serves the client. The client's card, and other organisations' work, are
    not its to close.
    """
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
    lock(client)  # of two ending it at once, the second waits and finds it ended
    if not client.relationships.in_force().filter(organisation=organisation).exists():
        raise ValidationError(_("Your organisation's relationship with the client has already "
                                "ended."))
    _not_before_case_managers(closed_on, client.case_manager_assignments.current().filter(
        assigned_by_organisation=organisation))
    record_feedback_discussion(client=client, by=by, organisation=organisation,
                               is_final=True, held_on=closed_on, **final_discussion)
    _end_plans(client, organisation, by)
    for assignment in client.case_manager_assignments.current().filter(
            assigned_by_organisation=organisation):
        assignment.ended_on = closed_on
        assignment._history_user = by
        assignment.save(update_fields=["ended_on"])
    for relationship in client.relationships.in_force().filter(organisation=organisation):
        relationship.ends_at = timezone.now()
        relationship.ended_reason = reason
        relationship._history_user = by
        relationship.save(update_fields=["ends_at", "ended_reason"])
    cancel_reminders(client, organisation=organisation)


@transaction.atomic
def close_client(*, client, by, organisation, reason, closed_on, final_discussion,
                 follow_up_months=None) -> None:
    """
    Step 9's end: the client goes on to work, studies, rehabilitation… The final feedback
    discussion is recorded, the plan ends, the case managers' periods end, and the client
    leaves every worklist and reminder. A client who found work or reached the goal may be
    followed for `follow_up_months` more (a long enough follow-up, also after the goal is
    reached): the last case managers are reminded before and when it ends (plans/work.py).
    """
    lock(client)  # of two closing at once, the second waits and finds the client closed
    if client.status == ClientStatus.CLOSED:
        raise ValidationError(_("The client has already been closed."))
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
    if follow_up_months and reason not in FOLLOWED_UP_REASONS:
        raise ValidationError({"follow_up_months": _(
            "A follow-up period is kept only for a client who found work or reached the "
            "goal.")})
    _not_before_case_managers(closed_on, client.case_manager_assignments.current())
    record_feedback_discussion(client=client, by=by, organisation=organisation,
                               is_final=True, held_on=closed_on, **final_discussion)
    _end_plans(client, organisation, by)
    client.status = ClientStatus.CLOSED
    client.closed_on = closed_on
    client.closing_reason = reason
    client.follow_up_until = (follow_up_period_until(closed_on, follow_up_months)
                              if follow_up_months else None)
    client._history_user = by
    client.save()
    set_case_managers(client=client, users=[], by=by, today=closed_on)
    # The client leaves every reminder: what is still waiting about them is not sent.
    cancel_reminders(client)
    outbox.cancel_for_client(client)



@transaction.atomic
def reopen_client(*, client, by, case_managers) -> None:
    """
    A closed client who comes back is reopened, not written in again: the earlier plans,
    discussions, case managers' periods and the closing stay as they were, in the client's
    history and on the timeline. The client is open again with the case managers named now
    (an open client always has one), and a new plan is written with them.
    """
    lock(client)  # of two reopening at once, the second finds the client open
    if client.status != ClientStatus.CLOSED:
        raise ValidationError(_("The client is not closed."))
    if not case_managers:
        raise ValidationError({"case_managers": _("Name the case managers.")})
    client.status = ClientStatus.ACTIVE
    client.closed_on = None
    client.closing_reason = ""
    client.follow_up_until = None
    client._history_user = by
    client.save()
    set_case_managers(client=client, users=case_managers, by=by)
    # The follow-up period of the last closing is over: its reminders are not sent now, and
    # their keys go, so that a later closing's period is reminded again (what was sent stays
    # in the notifications).
    cancel_reminders(client)
    Reminder.objects.filter(client=client, kind__in=[
        ReminderKind.FOLLOW_UP_PERIOD, ReminderKind.FOLLOW_UP_PERIOD_ENDED]).delete()
