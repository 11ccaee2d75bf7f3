"""Team meetings on the client's timeline, as far as the user may see them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from clients.timeline import Event, register

from .models import Meeting, MeetingStatus


@register
def meeting_events(client) -> list:
    events = []
    meetings = client.records(Meeting.objects.select_related("decision")
                              .prefetch_related("participants"))
    for meeting in meetings:
        url = reverse("meetings:detail", args=[meeting.pk])
        label = (_("Team meeting (cancelled)") if meeting.status == MeetingStatus.CANCELLED
                 else _("Team meeting"))
        events.append(Event(at=meeting.starts_at, label=label, url=url, record=meeting))
        # Whether the client came is the meeting's content: shown as its category allows
        # (and asked of the policy, and so logged, only when there is a no-show to show).
        if meeting.client_missed and client.fields(meeting).client_missed is True:
            events.append(Event(at=meeting.starts_at,
                                label=_("The client did not arrive at the team meeting"),
                                url=url, record=meeting))
        decision = getattr(meeting, "decision", None)
        if decision is not None:
            events.append(Event(at=decision.updated_at, label=_("Meeting decisions recorded"),
                                url=url, record=meeting))
    return events
