"""The plans' events on the client's timeline — each plan and its versions, goals reached,
feedback discussions — as far as the user may see them: only the plans and discussions the
policy hands out, and their history."""

from django.urls import reverse
from django.utils.translation import gettext as _

from clients.timeline import Event, day_event, register

from .models import FeedbackDiscussion, GoalProgress, PlanStatus, SupportPlan


@register
def plan_events(client) -> list:
    events = []
    plans = client.records(SupportPlan.objects.prefetch_related("goals"))
    versions = _versions_by_plan(plans)
    for plan in plans:
        url = reverse("plans:plan", args=[client.pk])
        events.append(Event(at=plan.created_at, label=_("Support plan written"), url=url,
                            record=plan))
        previous = None
        for version in versions.get(plan.pk, []):
            if previous is not None:
                events.append(Event(at=version.history_date, label=_version_label(
                    previous, version), url=url, record=plan))
            previous = version
        for goal in plan.goals.all():
            if goal.progress == GoalProgress.REACHED and goal.reached_on:
                events.append(day_event(goal.reached_on, _("Goal reached: %(goal)s")
                                        % {"goal": goal.text}, url, plan))
    return events


def _versions_by_plan(plans) -> dict[int, list]:
    """Each plan's saved versions, oldest first, in one query: what was written, not who the
    case managers were (a change of those alone is the same version)."""
    history = SupportPlan.history.filter(id__in=[plan.pk for plan in plans]).order_by(
        "history_date", "history_id").only(
        "id", "history_date", "history_type", "status", "short_term_goals", "long_term_goals",
        "plain_language", "follow_up_weeks")
    versions: dict[int, list] = {}
    for version in history:
        rows = versions.setdefault(version.id, [])
        if not rows or _content(rows[-1]) != _content(version):
            rows.append(version)
    return versions


def _content(version) -> tuple:
    return (version.status, version.short_term_goals, version.long_term_goals,
            version.plain_language, version.follow_up_weeks)


def _version_label(previous, version) -> str:
    if version.status == PlanStatus.ENDED and previous.status != PlanStatus.ENDED:
        return _("Support plan ended")
    return _("Support plan updated (new version)")


@register
def discussion_events(client) -> list:
    events = []
    for discussion in client.records(FeedbackDiscussion.objects.all()):
        url = reverse("plans:discussion", args=[discussion.pk])
        if discussion.held_on:
            label = (_("Final feedback discussion held") if discussion.is_final
                     else _("Feedback discussion held"))
            events.append(day_event(discussion.held_on, label, url, discussion))
        elif discussion.scheduled_for:
            events.append(Event(at=discussion.scheduled_for,
                                label=_("Feedback discussion booked"), url=url,
                                record=discussion))
    return events
