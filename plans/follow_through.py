"""
What a team meeting's decisions start (service path steps 5, 7 and 9): the feedback discussion
at the time agreed in the meeting is booked for its holder, and the person named to follow up
gets the follow-up dates and their reminders.

Meetings sit below plans: they tell through `meetings.signals.decisions_recorded`, sent inside
the decisions' transaction, and this module writes the plans' records in it. The rules here
remind of what those decisions leave open (work/due.py); their due dates come from
plans/due.py.

Where the follow-up lives: a follow-up date belongs to a support plan, and each organisation
writes its own. The follow-up goes on the plan in use of the follow-up person's organisation;
while that organisation has none, the reminder is read from the decision itself, and the
follow-up goes into the plan when the plan is written (services.take_on_agreed_follow_ups).
"""

from datetime import date

from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.urls import reverse

from clients.models import ClientStatus
from consents.policy import organisation_of
from meetings.models import MeetingDecision, MeetingStatus
from meetings.signals import decisions_recorded
from work.due import Due, not_reminded, rule
from work.models import ReminderKind

from . import services
from .due import (
    decided_follow_up_due_on,
    discussion_not_held_on,
    discussions_not_held_by,
    meeting_day,
    meetings_due_for_follow_up_by,
)
from .models import FeedbackDiscussion, FollowUp


@receiver(decisions_recorded, dispatch_uid="plans.follow_through")
def follow_through(sender, *, decision, by, **kwargs):
    book_agreed_discussion(decision=decision, by=by)
    start_follow_up(decision=decision, by=by)


def book_agreed_discussion(*, decision, by) -> FeedbackDiscussion | None:
    """
    Step 7: "the case manager invites the client unless the time was already set in the
    meeting". A time agreed in the meeting books the discussion for its holder, as the
    holder's organisation's record (only the writing organisation edits it: the holder records
    it held). The booking replaces the reminder of the discussion being due (plans/work.py);
    one that has been held already is left as it is.
    """
    if decision.feedback_discussion_at is None:
        return None
    meeting, holder = decision.meeting, decision.feedback_discussion_holder
    organisation = organisation_of(holder) or meeting.organisation
    existing = FeedbackDiscussion.objects.filter(meeting=meeting,
                                                 organisation=organisation).first()
    if existing is not None and existing.held_on is not None:
        return existing
    return services.record_feedback_discussion(
        client=meeting.client, by=by, organisation=organisation, holder=holder,
        meeting=meeting, scheduled_for=decision.feedback_discussion_at,
    )


def start_follow_up(*, decision, by) -> FollowUp | None:
    """
    Step 5 decides "how the situation is followed up and by whom": the named person gets the
    first follow-up date on their organisation's plan in use (plans/due.py), and its
    reminders. Saving the decisions again moves a follow-up not yet done to the person named
    now; one already done stays done.
    """
    agreed = FollowUp.objects.filter(decision=decision)
    person = decision.follow_up_by
    open_ones = agreed.filter(done_on__isnull=True)
    if person is None:
        open_ones.delete()  # nobody follows up any more by this decision
        return None
    organisation = organisation_of(person)
    plan = services.current_plan(decision.meeting.client, organisation) if organisation else None
    current = open_ones.filter(plan=plan).first() if plan else None
    open_ones.exclude(pk=current.pk if current else None).delete()
    if current is not None:
        if current.responsible_id != person.pk:
            current.responsible = person
            current._history_user = by
            current.save(update_fields=["responsible"])
        return current
    if plan is None or agreed.filter(done_on__isnull=False).exists():
        return None  # read from the decision until the plan is written (decided_follow_ups)
    return services.add_follow_up(
        plan=plan, by=by, responsible=person, decision=decision,
        due_on=decided_follow_up_due_on(meeting_day(decision.meeting)))


@rule
def decided_follow_ups(today: date, *, for_sweep=False, users=None, until=None,
                       since=None) -> list[Due]:
    """A follow-up the team meeting agreed, while the follow-up person's organisation has no
    plan in use to put it on: the person is reminded on its first date, and led to the plan,
    which takes it on when written."""
    decisions = (
        MeetingDecision.objects.filter(
            follow_up_by__isnull=False,
            meeting__starts_at__lt=meetings_due_for_follow_up_by(until or today),
            meeting__client__status=ClientStatus.ACTIVE,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(Exists(FollowUp.objects.filter(decision=OuterRef("pk"))))
        .select_related("meeting")
    )
    if users is not None:
        decisions = decisions.filter(follow_up_by__in=users)
    if for_sweep:
        decisions = decisions.filter(not_reminded(ReminderKind.DECIDED_FOLLOW_UP))
    return [
        Due(ReminderKind.DECIDED_FOLLOW_UP, decision.pk, decision.follow_up_by_id,
            decision.meeting.client_id, decided_follow_up_due_on(meeting_day(decision.meeting)),
            reverse("plans:plan", args=[decision.meeting.client_id]))
        for decision in decisions
    ]


@rule
def discussions_not_held(today: date, *, for_sweep=False, users=None, until=None,
                         since=None) -> list[Due]:
    """A booked feedback discussion whose time has passed without it being recorded held: its
    holder is reminded from the next working day (plans/due.py), to record it or book again.
    Not in advance: until the time has passed, nothing is missing."""
    discussions = FeedbackDiscussion.objects.filter(
        held_on__isnull=True, scheduled_for__lt=discussions_not_held_by(today),
        client__status=ClientStatus.ACTIVE,
    )
    if users is not None:
        discussions = discussions.filter(holder__in=users)
    if for_sweep:
        discussions = discussions.filter(not_reminded(ReminderKind.DISCUSSION_NOT_HELD))
    return [
        Due(ReminderKind.DISCUSSION_NOT_HELD, discussion.pk, discussion.holder_id,
            discussion.client_id, discussion_not_held_on(discussion.scheduled_for),
            _record_url(discussion))
        for discussion in discussions
    ]


def _record_url(discussion) -> str:
    """The form that records the discussion held (or books it again), else the discussion."""
    if discussion.meeting_id:
        return (f"{reverse('plans:discussion_create', args=[discussion.client_id])}"
                f"?meeting={discussion.meeting_id}")
    return reverse("plans:discussion", args=[discussion.pk])
