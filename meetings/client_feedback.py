"""
The client's feedback after a team meeting (issue 17), given in Oma Työkyky.

The rule, in one place for the client's pages and the service:

    A client may give feedback on a meeting of theirs that was held — not cancelled, begun —
    and that they took part in (their attendance recorded as attended), once: one answer per
    client and meeting, which the database guarantees too.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    FEEDBACK_QUESTIONS,
    Attendance,
    Meeting,
    MeetingFeedback,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
)

ALREADY_GIVEN = _("You have already given feedback on this meeting. Thank you! Feedback can be "
                  "given only once.")
NOT_OPEN = _("You can give feedback only on a meeting that has been held and that you took "
             "part in.")


def meetings_for_feedback(now=None) -> QuerySet[Meeting]:
    """Meetings held, that their client took part in: the ones the client may give feedback
    on (whether they already did is `feedback_given`)."""
    took_part = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"), kind=ParticipantKind.CLIENT, attendance=Attendance.ATTENDED)
    return Meeting.objects.filter(Q(Exists(took_part)), starts_at__lte=now or timezone.now()
                                  ).exclude(status=MeetingStatus.CANCELLED)


def with_feedback_given(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings annotated `feedback_given`: has their client answered already?"""
    return meetings.annotate(feedback_given=Exists(MeetingFeedback.objects.filter(
        meeting=OuterRef("pk"), client=OuterRef("client"))))


def give_meeting_feedback(*, client, meeting: Meeting, comment: str = "",
                          **answers) -> MeetingFeedback:
    """The client answers the questionnaire on a meeting, once. A second answer — from
    another tab, or at the same moment — is refused with the same message."""
    if not meetings_for_feedback().filter(pk=meeting.pk, client=client).exists():
        raise ValidationError(NOT_OPEN, code="not_open")
    feedback = MeetingFeedback(client=client, meeting=meeting, comment=comment,
                               **{name: answers.get(name) for name, _q in FEEDBACK_QUESTIONS})
    try:
        feedback.full_clean(validate_constraints=False)
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ValidationError(ALREADY_GIVEN, code="already_given") from None
    return feedback


def already_given(client, meeting) -> bool:
    return MeetingFeedback.objects.filter(client=client, meeting=meeting).exists()
