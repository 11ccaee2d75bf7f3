"""
The client's coming booked times — team meetings, feedback discussions, health checks — and the
client's request to move one (MoveRequest).

Who holds a time is who is told: the coordinator who booked the meeting, the holder of the
feedback discussion, the nurse who booked the health check. They are told on their bell
(work.Notification), which names the kind of request and the client, never the reason the
client wrote: that may be about their health. The reason and the suiting times stay in the
MoveRequest row.
A request stays open while the time is as it was when the client asked; once the time is moved,
the old request counts as handled and the client may ask again.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting, MeetingStatus
from plans.models import FeedbackDiscussion
from referrals.models import Referral, ReferralStatus
from work.models import Notification, ReminderKind

from .models import MoveKind, MoveRequest

# The URL's word for each kind (Finnish, like Oma Työkyky's other paths).
SLUGS = {"tapaaminen": MoveKind.MEETING, "palautekeskustelu": MoveKind.DISCUSSION,
         "terveystarkastus": MoveKind.HEALTH_CHECK}
SLUG_OF = {kind: slug for slug, kind in SLUGS.items()}


@dataclass
class BookedTime:
    """One coming time of the client's, as their own pages show it."""

    kind: str
    record: object
    starts_at: datetime
    ends_at: datetime | None
    holder: object  # the staff member who holds it, or None
    organisation: object
    mode: str = ""
    place: str = ""
    video_link: str = ""
    phone_details: str = ""
    asked_on: datetime | None = None  # an open request to move it

    @property
    def slug(self) -> str:
        return SLUG_OF[self.kind]

    @property
    def label(self) -> str:
        return MoveKind(self.kind).label

    @property
    def holder_url(self) -> str:
        """Where the holder finds the event (the staff pages, behind their own policy)."""
        return {
            MoveKind.MEETING: lambda: reverse("meetings:detail", args=[self.record.pk]),
            MoveKind.DISCUSSION: lambda: reverse("plans:discussion", args=[self.record.pk]),
            MoveKind.HEALTH_CHECK: lambda: reverse("referrals:detail", args=[self.record.pk]),
        }[self.kind]()


def _coming_meetings(own, now):
    return own.own(Meeting.objects.filter(ends_at__gte=now).exclude(
        status=MeetingStatus.CANCELLED).select_related("room", "created_by", "organisation"))


def _coming_discussions(own, now):
    return own.own(FeedbackDiscussion.objects.filter(
        held_on__isnull=True, scheduled_for__gte=now).select_related("holder", "organisation"))


def _coming_checks(own, now):
    return own.own(Referral.objects.filter(
        status=ReferralStatus.BOOKED, booked_for__gte=now).select_related("received_by",
                                                                          "recipient"))


def _meeting(meeting) -> BookedTime:
    room = meeting.room
    return BookedTime(
        kind=MoveKind.MEETING, record=meeting, starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, holder=meeting.created_by, organisation=meeting.organisation,
        mode=meeting.get_mode_display(),
        place=", ".join(filter(None, [room.name, room.address])) if room else "",
        video_link=meeting.video_link, phone_details=meeting.phone_details)


def _discussion(discussion) -> BookedTime:
    return BookedTime(kind=MoveKind.DISCUSSION, record=discussion,
                      starts_at=discussion.scheduled_for, ends_at=None, holder=discussion.holder,
                      organisation=discussion.organisation)


def _check(referral) -> BookedTime:
    return BookedTime(kind=MoveKind.HEALTH_CHECK, record=referral, starts_at=referral.booked_for,
                      ends_at=None, holder=referral.received_by, organisation=referral.recipient)


def is_open(request, time: BookedTime) -> bool:
    """The one rule for an open request, for the client's pages and the holder's alike: not
    marked handled, and the time still as it was when the client asked — moving the time
    handles the request (the row is marked when the client next asks, see ask_to_move)."""
    return (request is not None and request.handled_at is None
            and request.booked_for == time.starts_at)


def coming_times(own, now=None) -> list[BookedTime]:
    """The client's coming meetings, booked discussions and booked health checks, soonest
    first, handed out for the access log, each with the client's open request to move it."""
    now = now or timezone.now()
    meetings = list(_coming_meetings(own, now))
    discussions = list(_coming_discussions(own, now))
    checks = list(_coming_checks(own, now))
    for rows in (meetings, discussions, checks):
        own.hand_out(rows)
    times = ([_meeting(m) for m in meetings] + [_discussion(d) for d in discussions]
             + [_check(r) for r in checks])
    asked = {(request.kind, request.object_id): request
             for request in MoveRequest.objects.filter(client_id=own.pk,
                                                       handled_at__isnull=True)}
    for time in times:
        request = asked.get((time.kind, time.record.pk))
        time.asked_on = request.created_at if is_open(request, time) else None
    return sorted(times, key=lambda time: (time.starts_at, time.kind, time.record.pk))


def coming_time(own, slug, pk, now=None) -> BookedTime | None:
    """One coming time of the client's own by its URL's kind and id; None for anything else
    (another client's, a past or cancelled one, no such kind): the view answers 404."""
    kind = SLUGS.get(slug)
    now = now or timezone.now()
    found = {
        MoveKind.MEETING: lambda: (_coming_meetings(own, now), _meeting),
        MoveKind.DISCUSSION: lambda: (_coming_discussions(own, now), _discussion),
        MoveKind.HEALTH_CHECK: lambda: (_coming_checks(own, now), _check),
    }.get(kind)
    if found is None:
        return None
    rows, wrap = found()
    row = rows.filter(pk=pk).first()
    if row is None:
        return None
    own.hand_out([row])
    return wrap(row)


class AlreadyAsked(ValidationError):
    """The client has already asked to move this time, and it has not been moved yet."""


def _already_asked() -> AlreadyAsked:
    return AlreadyAsked(_("You have already asked to move this time. The person who booked it "
                          "will contact you."))


@transaction.atomic
def ask_to_move(*, client_id, time: BookedTime, reason, preferred_times="") -> MoveRequest:
    """
    The client asks to move a coming time: a row, and a notification to who holds it. One open
    request per time (the database's constraint; the message when it says no). A request for
    the time as it was before it was moved is handled by the moving.
    """
    now = timezone.now()
    MoveRequest.objects.filter(kind=time.kind, object_id=time.record.pk,
                               handled_at__isnull=True).exclude(
        booked_for=time.starts_at).update(handled_at=now)
    try:
        with transaction.atomic():
            request = MoveRequest.objects.create(
                client_id=client_id, kind=time.kind, object_id=time.record.pk,
                booked_for=time.starts_at, reason=reason, preferred_times=preferred_times)
    except IntegrityError:
        raise _already_asked() from None
    if time.holder is not None and time.holder.is_active:
        Notification.objects.create(user=time.holder, kind=ReminderKind.MOVE_REQUEST,
                                    client_id=client_id, url=time.holder_url,
                                    due_on=timezone.localdate())
    return request
