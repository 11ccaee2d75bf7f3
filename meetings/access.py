"""
A meeting's participants are on the client's team (consents.policy): from the invitation until
PARTICIPATION_DAYS after the meeting, unless they declined or the meeting was cancelled. Only
someone who sees the client's card books a meeting, so an invitation is a ground of its own.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from consents.policy import team_ground

from .models import Answer, Meeting, MeetingParticipant, MeetingStatus


@team_ground("meeting__client_id")
def meeting_participants(user) -> QuerySet:
    since = timezone.now() - timedelta(days=Meeting.PARTICIPATION_DAYS)
    return (
        MeetingParticipant.objects.filter(user=user, meeting__ends_at__gte=since)
        .exclude(meeting__status=MeetingStatus.CANCELLED).exclude(answer=Answer.DECLINED)
    )
