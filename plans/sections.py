"""The client page's feedback discussions, and the meetings still waiting for one."""

from django.utils import timezone

from cases.sections import section
from meetings.models import Meeting, MeetingStatus

from .models import FeedbackDiscussion


@section
def feedback_discussions(request, client) -> dict:
    held = client.visible(FeedbackDiscussion.objects.filter(held_on__isnull=False))
    return {
        "discussions": client.records(FeedbackDiscussion.objects.select_related("holder")),
        "pending_meetings": client.records(
            Meeting.objects.filter(ends_at__lt=timezone.now())
            .exclude(status=MeetingStatus.CANCELLED).exclude(pk__in=held.values("meeting_id"))),
    }
