"""A meeting the client took part in, for the tests of the feedback after it (Oma Työkyky)."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Attendance, Meeting, MeetingParticipant
from meetings.services import book_meeting
from teams.models import Team


def held_meeting(story, person=None, *, attendance=Attendance.ATTENDED, days_ago=1):
    """A meeting of `person` (Tiina) that was held `days_ago`, their attendance recorded. Moved
    straight in the database, as the booking rightly refuses times in the past."""
    person = person or story.tiina
    start = timezone.now() + timedelta(days=30 + days_ago)  # a free time for each
    meeting = book_meeting(client=person, team=Team.objects.get(),
                           by=story.users["coordinator"], organisation=story.health,
                           starts_at=start, ends_at=start + timedelta(hours=1), mode="phone",
                           users=[story.users["nurse"]])
    past = {"starts_at": timezone.now() - timedelta(days=days_ago),
            "ends_at": timezone.now() - timedelta(days=days_ago) + timedelta(hours=1)}
    Meeting.objects.filter(pk=meeting.pk).update(**past)
    MeetingParticipant.objects.filter(meeting=meeting).update(**past)
    MeetingParticipant.objects.filter(meeting=meeting, kind="client").update(
        attendance=attendance)
    return meeting
