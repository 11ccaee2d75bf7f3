"""What meetings put on My work (work/my_work.py): the user's meetings this week, and for a
coordinator the team's coming meetings."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.policy import clients_banned_for
from work.my_work import WorkItem, item_source, panel

from .calendar import as_seen_by
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
