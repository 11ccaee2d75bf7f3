"""
A meeting's participants are on the client's team (consents.policy): from the invitation until
PARTICIPATION_DAYS after the meeting, unless they declined or the meeting was cancelled. Only
someone who sees the client's card books a meeting, so an invitation is a ground of its own.

The ground is one of the access rules' conclusions (consents/reach.py): a meeting or a
participant saved or deleted rewrites the client's rows, and the participants booked in bulk
are rewritten by the booking (meetings/services.py).
"""

from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from consents import reach

from .models import Answer, Meeting, MeetingParticipant, MeetingStatus


@reach.team_ground
def meeting_participants(client_ids, now):
    """(client, person, until) for each invited person of the clients' meetings."""
    since = now - timedelta(days=Meeting.PARTICIPATION_DAYS)
    rows = (
        MeetingParticipant.objects.filter(meeting__client_id__in=client_ids, user__isnull=False,
                                          meeting__ends_at__gte=since)
        .exclude(meeting__status=MeetingStatus.CANCELLED).exclude(answer=Answer.DECLINED)
        .values_list("meeting__client_id", "user_id", "meeting__ends_at")
    )
    return [(client_id, user_id, ends_at + timedelta(days=Meeting.PARTICIPATION_DAYS))
            for client_id, user_id, ends_at in rows]


def refresh_client_of(meeting_id) -> None:
    """Rewrite the access rows of the meeting's client (a row of the meeting changed)."""
    if meeting_id:
        reach.refresh(Meeting.objects.filter(pk=meeting_id).values_list(
            "client_id", flat=True).first())


@receiver([post_save, post_delete], sender=Meeting, dispatch_uid="reach-meeting")
def _meeting_changed(sender, instance, **kwargs):
    reach.refresh(instance.client_id)


@receiver([post_save, post_delete], sender=MeetingParticipant, dispatch_uid="reach-participant")
def _participant_changed(sender, instance, **kwargs):
    if instance.user_id:
        refresh_client_of(instance.meeting_id)
