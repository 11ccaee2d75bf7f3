"""What meetings put on My work (work/my_work.py): the user's meetings this week, for a
coordinator the team's coming meetings, and the meetings the client missed that still need a
new one (work/due.py: also a reminder behind the bell)."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import ClientStatus
from consents.policy import clients_banned_for
from consents.shown import shown_clients
from work.due import Due, not_reminded, rule
from work.models import ReminderKind
from work.my_work import WorkItem, item_source, panel

from .calendar import as_seen_by
from .due import request_booking_due_on, request_overdue
from .intake import intake_queue
from .models import Meeting, MeetingStatus


@item_source
def my_meetings(user, today, week_end) -> list[WorkItem]:
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


@rule
def meetings_to_rebook(today: date, *, for_sweep=False, users=None, until=None,
                       since=None) -> list[Due]:
    """The client did not arrive (ei saapunut) and no later meeting is booked: whoever booked
    the missed meeting is prompted to book a new one, on My work and behind the bell, from
    the day of the missed meeting until a new one is booked (Meeting.to_rebook)."""
    meetings = Meeting.objects.filter(Meeting.to_rebook(), client__status=ClientStatus.ACTIVE)
    if users is not None:
        meetings = meetings.filter(created_by__in=users)
    if for_sweep:
        meetings = meetings.filter(not_reminded(ReminderKind.REBOOK_MEETING))
    return [Due(ReminderKind.REBOOK_MEETING, meeting.pk, meeting.created_by_id,
                meeting.client_id, timezone.localdate(meeting.starts_at),
                reverse("meetings:book", args=[meeting.client_id]))
            for meeting in meetings.only("pk", "created_by", "client", "starts_at")]


@panel("team_meetings")
def team_meetings(user) -> list:
    if not user.has_perm("meetings.book_meeting"):
        return []
    soon = timezone.now() + timedelta(days=7)
    return as_seen_by(user, (
        Meeting.objects.filter(team__members__user=user, starts_at__gte=timezone.now(),
                               starts_at__lte=soon)
        .exclude(status=MeetingStatus.CANCELLED).distinct().order_by("starts_at")
    ))


# --- The coordinator's intake queue (meetings/intake.py) ----------------------------------------

INTAKE_PANEL_SIZE = 10  # the oldest on My work; the rest a click away (meetings:intake)


def queue_rows(user, requests) -> list:
    """Requests as queue rows: the client as the user may see them (consents.shown, for the
    access log), the day booking is due and whether it is overdue (meetings/due.py)."""
    requests = list(requests)
    shown = shown_clients(user, {r.client_id for r in requests})
    today = timezone.localdate()
    for meeting_request in requests:
        meeting_request.shown_client = shown.get(meeting_request.client_id)
        meeting_request.due_on = request_booking_due_on(meeting_request)
        meeting_request.overdue = request_overdue(meeting_request, today)
    return requests


@panel("intake_queue")
def intake_panel(user) -> list:
    """The oldest requests waiting for the coordinator, each one click from booking."""
    return queue_rows(user, intake_queue(user)[:INTAKE_PANEL_SIZE])
