"""
The team's part of a story (service path, steps 5-7): the multi-professional team meeting,
the support plan with its actions and follow-ups, and the feedback discussion after the meeting.
"""

import uuid
from datetime import date, timedelta

from consents.models import Action
from meetings.models import MeetingStatus
from plans.models import ActionStatus, FollowUpAbility

from .draws import Weights, between, one_of, weighted
from .stories import (
    EMPLOYMENT_DATA,
    ActionStory,
    ClientStory,
    DiscussionStory,
    Drawing,
    FollowUpStory,
    MeetingStory,
    PlanStory,
)
from .words import ACTIONS, FOLLOW_UP_NOTES, RESPONSIBLE_OTHERS
from .world import TeamInfo

MEETING_HOURS = (8, 9, 10, 12, 13, 14)
# Meetings are booked at most two weeks ahead.
BOOKING_DAYS_AHEAD = 14
FOLLOW_UP_WEEKS = [4, 6, 8, 8, 12, None]
PAST_ACTION_STATUSES = Weights({ActionStatus.DONE: 65, ActionStatus.IN_PROGRESS: 15,
                                ActionStatus.PLANNED: 10, ActionStatus.CANCELLED: 10})
FOLLOWS_OWN_AFFAIRS = Weights({FollowUpAbility.YES: 50, FollowUpAbility.PARTLY: 35,
                               FollowUpAbility.NO: 15})


# The team meeting -----------------------------------------------------------------------------

def maybe_meeting(drawing: Drawing, story: ClientStory) -> None:
    """Most checks that found a need for the team lead to a meeting; a few clients go there
    without a check."""
    rng, calendar = drawing.rng, drawing.calendar
    checks = [r.check for r in story.referrals if r.check]
    if checks and checks[0].needs_meeting and rng.random() < 0.8:
        wanted = calendar.add(checks[0].performed_on, between(rng, 10, 35))
    elif rng.random() < 0.04:
        wanted = calendar.add(story.entered_on, between(rng, 15, 60))
    else:
        return
    if wanted <= drawing.today + timedelta(days=BOOKING_DAYS_AHEAD):
        draw_meeting(drawing, story, wanted, search_days=10)


def draw_meeting(drawing: Drawing, story: ClientStory, wanted: date, *,
                 search_days: int) -> None:
    """A meeting of one of the area's teams in a free hour on or after the wanted day."""
    rng, calendar = drawing.rng, drawing.calendar
    team = one_of(rng, story.area.teams)
    if not team.coordinators:
        return
    slot = _book(drawing, team, wanted, search_days)
    if slot is None:
        return
    day, hour = slot
    starts_at = calendar.at(day, hour * 60)
    coordinator = one_of(rng, team.coordinators)
    booked_on = max(calendar.add(day, -between(rng, 5, 15)), story.entered_on)
    booked_on = min(booked_on, drawing.today)
    status = MeetingStatus.CANCELLED if rng.random() < 0.04 else MeetingStatus.SCHEDULED
    past = starts_at < drawing.now
    participants = _participants(rng, team, coordinator, past=past)
    story.meeting = MeetingStory(
        team=team.id, organisation=drawing.world.organisation_of[coordinator],
        created_by=coordinator, created_at=drawing.moment(booked_on), day=day,
        starts_at=starts_at, status=status, participants=participants,
        mode="video" if rng.random() < 0.6 else "phone",
        uid=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
    )
    story.happened(day)
    if past:
        story.touches.append((starts_at, coordinator, Action.MEETING, EMPLOYMENT_DATA))


def _participants(rng, team: TeamInfo, coordinator: int, *, past: bool) -> list:
    """The coordinator, two or three standing members, often an expert: with their answers."""
    people = [coordinator, *rng.sample(team.standing, min(len(team.standing),
                                                          between(rng, 2, 3)))]
    if team.experts and rng.random() < 0.6:
        people.append(one_of(rng, team.experts))
    participants = []
    for user in dict.fromkeys(people):
        roll = rng.random()
        if past:
            answer = "accepted" if roll < 0.9 else "declined"
        else:
            answer = "accepted" if roll < 0.6 else "invited" if roll < 0.95 else "declined"
        participants.append((user, "accepted" if user == coordinator else answer))
    return participants


def _book(drawing: Drawing, team: TeamInfo, wanted: date, search_days: int):
    """A free hour of the team on the wanted working day or within the days after it."""
    rng, calendar = drawing.rng, drawing.calendar
    start = int(rng.random() * len(MEETING_HOURS))
    for offset in range(search_days):
        day = calendar.add(wanted, offset)
        base = calendar.day_number(day) * 24
        for n in range(len(MEETING_HOURS)):
            hour = MEETING_HOURS[(start + n) % len(MEETING_HOURS)]
            if base + hour not in team.busy:
                team.busy.add(base + hour)
                return day, hour
    return None


# The support plan -----------------------------------------------------------------------------

def maybe_plan(drawing: Drawing, story: ClientStory) -> None:
    """A support plan soon after most held meetings; a few clients get one without."""
    rng, calendar = drawing.rng, drawing.calendar
    meeting = story.meeting
    held = meeting and meeting.status == MeetingStatus.SCHEDULED and meeting.day < drawing.today
    if held and rng.random() < 0.8:
        day = calendar.add(meeting.day, between(rng, 0, 8))
    elif not meeting and rng.random() < 0.06:
        day = calendar.add(story.entered_on, between(rng, 15, 60))
    else:
        return
    if day <= drawing.today:
        story.plan = _plan(drawing, story, day)


def _plan(drawing: Drawing, story: ClientStory, day: date) -> PlanStory:
    rng = drawing.rng
    manager = story.case_managers[0]
    managers = [m.user for m in story.case_managers if m.started_on <= day]
    weeks = one_of(rng, FOLLOW_UP_WEEKS)
    plan = PlanStory(
        organisation=manager.organisation, created_by=manager.user, created_on=day,
        created_at=drawing.moment(day), follow_up_weeks=weeks,
        case_managers=managers, actions=[], follow_ups=[],
    )
    for _ in range(between(rng, 2, 4)):
        plan.actions.append(_action(drawing, plan, managers))
    for number in range(1, between(rng, 1, 3) + 1):
        plan.follow_ups.append(_follow_up(drawing, plan, number, manager.user))
    story.happened(day)
    story.touches.append((plan.created_at, manager.user, Action.PLAN, EMPLOYMENT_DATA))
    return plan


def _action(drawing: Drawing, plan: PlanStory, managers: list[int]) -> ActionStory:
    rng, today = drawing.rng, drawing.today
    due = drawing.calendar.add(plan.created_on, between(rng, 10, 120))
    roll = rng.random()
    responsible, other = (one_of(rng, managers), "") if roll < 0.7 else (
        None, one_of(rng, RESPONSIBLE_OTHERS))
    if due < today:
        status = weighted(rng, PAST_ACTION_STATUSES)
    else:
        status = ActionStatus.PLANNED if rng.random() < 0.7 else ActionStatus.IN_PROGRESS
    done_on = min(due + timedelta(days=between(rng, -10, 5)), today) \
        if status == ActionStatus.DONE else None
    done_on = max(done_on, plan.created_on) if done_on else None
    return ActionStory(one_of(rng, ACTIONS), responsible, other, due, status, done_on)


def _follow_up(drawing: Drawing, plan: PlanStory, number: int, manager: int) -> FollowUpStory:
    rng, today = drawing.rng, drawing.today
    due = drawing.calendar.add(
        plan.created_on + timedelta(weeks=(plan.follow_up_weeks or 8) * number), 0)
    if due <= today and rng.random() < 0.9:
        done = min(due + timedelta(days=between(rng, 0, 5)), today)
        return FollowUpStory(due, done, manager, one_of(rng, FOLLOW_UP_NOTES))
    return FollowUpStory(due, None, None, "")


# The feedback discussion ----------------------------------------------------------------------

def maybe_discussion(drawing: Drawing, story: ClientStory) -> None:
    """The feedback discussion after a held team meeting (step 7)."""
    rng, calendar, today = drawing.rng, drawing.calendar, drawing.today
    meeting = story.meeting
    if not (meeting and meeting.status == MeetingStatus.SCHEDULED
            and meeting.day < today and rng.random() < 0.75):
        return
    day = calendar.add(meeting.day, between(rng, 3, 12))
    manager = story.case_managers[0]
    held = day <= today and rng.random() < 0.92
    story.discussions.append(DiscussionStory(
        organisation=manager.organisation, holder=manager.user,
        created_at=drawing.moment(min(meeting.day + timedelta(days=1), today)),
        scheduled_for=calendar.at(day, 480 + 30 * int(rng.random() * 14)),
        held_on=day if held else None, is_final=False,
        follows_own_affairs=weighted(rng, FOLLOWS_OWN_AFFAIRS) if held else "",
        meeting=meeting,
    ))
    if held:
        story.happened(day)
        story.touches.append((drawing.moment(day), manager.user,
                              Action.FEEDBACK_DISCUSSION, EMPLOYMENT_DATA))
