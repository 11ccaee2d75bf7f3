"""
The end of a story (service path, step 9) and what it leaves behind: the client who has gone
on, the bell's notifications of the last weeks, and the access log of who handled the data.
"""

from datetime import date, timedelta

from clients.models import ClientStatus, ClosingReason
from consents.models import Action
from plans.models import ActionStatus, PlanStatus
from referrals.models import ReferralStatus
from work.models import ReminderKind

from .draws import Weights, between, one_of, weighted
from .stories import (
    EMPLOYMENT_DATA,
    ClientStory,
    DiscussionStory,
    Drawing,
    FollowUpStory,
    PlanStory,
)
from .team_work import FOLLOWS_OWN_AFFAIRS

CLOSING_REASONS = Weights({
    ClosingReason.EMPLOYED: 30, ClosingReason.STUDYING: 14, ClosingReason.REHABILITATION: 20,
    ClosingReason.PENSION: 10, ClosingReason.MOVED: 9, ClosingReason.OTHER: 17,
})
FINISHED_REFERRALS = {ReferralStatus.ACKNOWLEDGED, ReferralStatus.GIVEN_TO_CLIENT,
                      ReferralStatus.CANCELLED}
# How many rows of the access log a client has (some of the moments they were handled).
ACCESS_LOG_ROWS = Weights({0: 25, 1: 50, 2: 20, 3: 5})
NOTIFICATION_DAYS = 42


def maybe_close(drawing: Drawing, story: ClientStory) -> None:
    """About half of the clients who came long enough ago have gone on (step 9)."""
    rng = drawing.rng
    if (story.entered_on > drawing.today - timedelta(days=90) or rng.random() >= 0.55
            or any(r.status not in FINISHED_REFERRALS for r in story.referrals)):
        return
    closed = drawing.calendar.add(story.last_day, between(rng, 5, 60))
    if closed >= drawing.today:
        return
    story.status = ClientStatus.CLOSED
    story.closed_on = closed
    story.closing_reason = weighted(rng, CLOSING_REASONS)
    for manager in story.case_managers:
        manager.ended_on = closed
    manager = story.case_managers[0]
    story.discussions.append(DiscussionStory(
        organisation=manager.organisation, holder=manager.user,
        created_at=drawing.moment(closed), scheduled_for=None,
        held_on=closed, is_final=True,
        follows_own_affairs=weighted(rng, FOLLOWS_OWN_AFFAIRS),
    ))
    story.touches.append((drawing.moment(closed), manager.user, Action.CLOSE_CLIENT,
                          EMPLOYMENT_DATA))
    if story.plan:
        _end_plan(drawing, story.plan, closed)


def _end_plan(drawing: Drawing, plan: PlanStory, closed: date) -> None:
    """Open actions are settled, and follow-ups after the closing never happened."""
    rng = drawing.rng
    plan.status = PlanStatus.ENDED
    for action in plan.actions:
        if action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
            done = rng.random() < 0.5
            action.status = ActionStatus.DONE if done else ActionStatus.CANCELLED
            action.done_on = max(min(action.due_on, closed), plan.created_on) if done else None
        elif action.done_on and action.done_on > closed:
            action.done_on = closed
    plan.follow_ups = [
        FollowUpStory(f.due_on, min(f.done_on, closed), f.done_by, f.notes)
        for f in plan.follow_ups if f.due_on <= closed and f.done_on
    ]


def draw_notifications(drawing: Drawing, story: ClientStory) -> None:
    """The bell's rows for what came due in the last six weeks, read or not."""
    rng = drawing.rng
    for user, kind, due, target, settled in _came_due(drawing, story):
        read = settled or rng.random() < 0.5
        story.notifications.append((user, kind, due, target, read))


def _came_due(drawing: Drawing, story: ClientStory) -> list[tuple]:
    """(user, kind, due, target, settled) of each reminder due in the last six weeks."""
    since, today = drawing.today - timedelta(days=NOTIFICATION_DAYS), drawing.today
    found = _plan_reminders(story.plan, since, today) if story.plan else []
    for discussion in story.discussions:
        if discussion.meeting and since <= discussion.scheduled_for.date() <= today:
            found.append((discussion.holder, ReminderKind.FEEDBACK_DISCUSSION,
                          discussion.scheduled_for.date(), "discussion",
                          discussion.held_on is not None))
    for referral in story.referrals:
        check = referral.check
        if check and story.status == ClientStatus.ACTIVE:
            due = check.performed_on + timedelta(days=365)
            if since <= due <= today:
                found.append((story.case_managers[0].user, ReminderKind.HEALTH_CHECK, due,
                              "client", False))
    return found


def _plan_reminders(plan: PlanStory, since: date, today: date) -> list[tuple]:
    found = []
    for action in plan.actions:
        if action.responsible and since <= action.due_on <= today:
            found.append((action.responsible, ReminderKind.ACTION, action.due_on, "plan",
                          action.status in (ActionStatus.DONE, ActionStatus.CANCELLED)))
    for follow_up in plan.follow_ups:
        if since <= follow_up.due_on <= today:
            found.append((plan.created_by, ReminderKind.FOLLOW_UP, follow_up.due_on, "plan",
                          follow_up.done_on is not None))
    return found


def draw_access_log(drawing: Drawing, story: ClientStory) -> None:
    """Some of the moments someone handled the client's data, as the log keeps them."""
    rng, now = drawing.rng, drawing.now
    touches = [touch for touch in story.touches if touch[0] <= now]
    count = weighted(rng, ACCESS_LOG_ROWS)
    for _ in range(count if touches else 0):
        at, user, action, categories = one_of(rng, touches)
        story.access_log.append((min(at + timedelta(minutes=between(rng, 0, 90)), now),
                                 user, action, categories))
