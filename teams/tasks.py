from celery import shared_task

from .invitations import send_invitations
from .models import Meeting


@shared_task
def send_meeting_invitations(meeting_id: int, kind: str) -> int:
    """Re-read the meeting and send its invitations: the state at sending time wins."""
    meeting = Meeting.objects.select_related("room", "client").get(pk=meeting_id)
    return send_invitations(meeting, kind)
