"""
Team meetings as operations: book, reschedule, cancel, answer, decide (service path step 5).

Nobody is booked twice at once. The check here runs inside the booking's transaction and
names who is busy; on PostgreSQL an exclusion constraint stands behind it, so that of two
coordinators booking the same slot at the same moment exactly one succeeds and the other
gets the same clear message. Invitations are queued in the same transaction and the outbox
sends them after the commit, also when the broker is down (work/outbox.py).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cases.services import serve, set_case_managers
from clients.models import RelationshipBasis
from consents import reach
from consents.policy import banned, consent_for_sending, keeps_card, own_card

from .doctor import tell_named_doctor
from .intake import answer_requests
from .invitations import queue_invitations
from .models import (
    Answer,
    Attendance,
    Meeting,
    MeetingDecision,
    MeetingMode,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
)
from .signals import decisions_recorded


class DoubleBooking(ValidationError):
    """Someone, or the room, already has a meeting at that time."""

    def __init__(self, busy: list[str]):
        super().__init__(
            _("Already booked at that time: %(busy)s. Choose another time.")
            % {"busy": ", ".join(busy)},
            code="double_booking",
        )
        self.busy = busy


def busy_at(*, starts_at, ends_at, users=(), room=None, client=None, emails=(),
            exclude_meeting=None) -> list[str]:
    """
    Who of `users`, whether the room and the client, and which people from outside (by their
    e-mail) already have a meeting overlapping the time. The client is named "the client" and
    an outsider by the e-mail the coordinator typed: the other meeting, which the coordinator
    may not see, tells nothing of itself.
    """
    overlapping = Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
    participations = MeetingParticipant.objects.filter(
        overlapping, user__in=users, blocks_calendar=True
    ).select_related("user")
    wanted = {email.lower() for email in emails if email}
    outsiders = MeetingParticipant.objects.annotate(address=Lower("email")).filter(
        overlapping, user__isnull=True, blocks_calendar=True, address__in=wanted)
    meetings = Meeting.objects.filter(overlapping).exclude(status=MeetingStatus.CANCELLED)
    if exclude_meeting is not None:
        participations = participations.exclude(meeting=exclude_meeting)
        outsiders = outsiders.exclude(meeting=exclude_meeting)
        meetings = meetings.exclude(pk=exclude_meeting.pk)
    busy = sorted({str(participation.user) for participation in participations})
    if room is not None and meetings.filter(room=room).exists():
        busy.append(str(room))
    if client is not None and meetings.filter(client=client).exists():
        busy.append(_("the client"))
    if wanted:
        busy += sorted(set(outsiders.values_list("address", flat=True)))
    return busy


def _check_when_and_where(*, starts_at, ends_at, mode, room, video_link, now=None):
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if starts_at < now:
        raise ValidationError(_("The time is in the past. Choose a coming time."))
    if mode == MeetingMode.IN_PERSON and room is None:
        raise ValidationError({"room": _("Choose a room for a meeting held in person.")})
    if mode == MeetingMode.VIDEO and not video_link:
        raise ValidationError({"video_link": _("Give the link of the video meeting.")})


def _notify(meeting, kind):
    """Queued in the change's own transaction: committed together, or not at all."""
    queue_invitations(meeting, kind)


def book_meeting(*, client, team, by, organisation, starts_at, ends_at, mode, room=None,
                 video_link="", phone_details="", agenda="", users=(), externals=(),
                 **criteria) -> Meeting:
    """
    Book a team meeting for the client and invite the people its situation needs: users, and
    people outside Työkyky (a support person, an occupational therapist) by e-mail.
    """
    _check_when_and_where(starts_at=starts_at, ends_at=ends_at, mode=mode, room=room,
                          video_link=video_link)
    users = list(dict.fromkeys([by, *users]))  # the coordinator is there too
    _refuse_banned(client, users)
    meeting = Meeting(
        client=client, organisation=organisation, created_by=by, team=team,
        starts_at=starts_at, ends_at=ends_at, mode=mode,
        room=room if mode == MeetingMode.IN_PERSON else None,
        video_link=video_link, phone_details=phone_details, agenda=agenda, **criteria,
    )
    emails = [external.get("email", "") for external in externals]
    try:
        with transaction.atomic():
            busy = busy_at(starts_at=starts_at, ends_at=ends_at, users=users,
                           room=meeting.room, client=client, emails=emails)
            if busy:
                raise DoubleBooking(busy)
            meeting._history_user = by
            meeting.full_clean()
            meeting.save()
            bulk_create_with_history(
                [MeetingParticipant(meeting=meeting, user=user, starts_at=starts_at,
                                    ends_at=ends_at) for user in users]
                # The client takes part in their own meeting: a row without their name.
                + [MeetingParticipant(meeting=meeting, kind=ParticipantKind.CLIENT,
                                      starts_at=starts_at, ends_at=ends_at)]
                + [MeetingParticipant(meeting=meeting, starts_at=starts_at, ends_at=ends_at,
                                      **{"kind": ParticipantKind.EXTERNAL, **external})
                   for external in externals],
                MeetingParticipant, default_user=by,
            )
            reach.refresh(client.pk)  # the participants, saved in bulk, join the team
            _serve_on_invitation(meeting, users, by)
            # The requests waiting for the client are answered by this booking.
            answer_requests(meeting=meeting, by=by)
            _notify(meeting, "request")
    except IntegrityError:
        # The database's exclusion constraint: someone booked the same time a moment ago.
        raise DoubleBooking(busy_at(starts_at=starts_at, ends_at=ends_at, users=users,
                                    room=meeting.room, client=client, emails=emails)
                            or [_("someone invited")]) from None
    return meeting


class InvitationBanned(ValidationError):
    """The client has forbidden disclosing their data to an invited person's organisation."""

    def __init__(self, names):
        super().__init__(
            _("The client has forbidden disclosing their information to the organisation of: "
              "%(names)s. Leave them out of the meeting.") % {"names": ", ".join(names)},
            code="invitation_banned",
        )


def _refuse_banned(client, users):
    """A meeting discloses the client to everyone invited: never to a banned organisation."""
    names = sorted({str(user) for user in users
                    for membership in user.memberships.active().care()
                    .select_related("organisation")
                    if banned(client, membership.organisation)})
    if names:
        raise InvitationBanned(names)


def _serve_on_invitation(meeting, users, by):
    """The invitation is the basis on which the invited people's organisations serve the
    client while its participants are on the client's team; it opens none of the others' data
    by itself."""
    organisations = {m.organisation for user in users
                     for m in user.memberships.active().care().select_related("organisation")}
    until = meeting.ends_at + timedelta(days=Meeting.PARTICIPATION_DAYS)
    for organisation in organisations:
        serve(client=meeting.client, organisation=organisation,
              basis=RelationshipBasis.INVITATION, by=by, until=until)


def reschedule_meeting(*, meeting, by, starts_at, ends_at, mode, room=None, video_link="",
                       phone_details="", interpreter_booked=None) -> Meeting:
    """A new time or place: the invitations are updated (SEQUENCE bumped) for everyone."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be moved. Book a new one."))
    if meeting.participants.exclude(attendance=Attendance.UNKNOWN).exists():
        # Who came, or that the client did not, stays with the time it happened.
        raise ValidationError(_("Attendance has been recorded for this meeting: it cannot be "
                                "moved. Book a new meeting."))
    _check_when_and_where(starts_at=starts_at, ends_at=ends_at, mode=mode, room=room,
                          video_link=video_link)
    room = room if mode == MeetingMode.IN_PERSON else None
    invited = [p.user for p in meeting.participants.filter(user__isnull=False,
                                                          blocks_calendar=True)]
    emails = list(meeting.participants.filter(user__isnull=True, blocks_calendar=True)
                  .values_list("email", flat=True))
    try:
        with transaction.atomic():
            busy = busy_at(starts_at=starts_at, ends_at=ends_at, users=invited, room=room,
                           client=meeting.client, emails=emails, exclude_meeting=meeting)
            if busy:
                raise DoubleBooking(busy)
            for name, value in {"starts_at": starts_at, "ends_at": ends_at, "mode": mode,
                                "room": room, "video_link": video_link,
                                "phone_details": phone_details}.items():
                setattr(meeting, name, value)
            if interpreter_booked is not None:
                meeting.interpreter_booked = interpreter_booked
            meeting.sequence += 1
            meeting._history_user = by
            meeting.save()
            for participant in meeting.participants.all():
                participant.starts_at, participant.ends_at = starts_at, ends_at
                participant._history_user = by
                participant.save(update_fields=["starts_at", "ends_at"])
            _serve_on_invitation(meeting, invited, by)
            _notify(meeting, "update")
    except IntegrityError:
        raise DoubleBooking([_("someone invited")]) from None
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting, by) -> Meeting:
    """Cancelled: everyone's calendar is freed and a cancellation (METHOD:CANCEL) sent."""
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has already been cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting._history_user = by
    meeting.save()
    for participant in meeting.participants.all():
        participant.blocks_calendar = False
        participant._history_user = by
        participant.save(update_fields=["blocks_calendar"])
    _notify(meeting, "cancel")
    return meeting


@transaction.atomic
def answer_invitation(*, meeting, user, answer) -> MeetingParticipant:
    """A participant accepts or declines; declining frees their calendar."""
    participant = meeting.participants.select_for_update().filter(user=user).first()
    if participant is None:
        raise ValidationError(_("You are not invited to this meeting."))
    participant.answer = answer
    participant.blocks_calendar = answer != Answer.DECLINED and not meeting.is_cancelled
    participant._history_user = user
    participant.save(update_fields=["answer", "blocks_calendar"])
    return participant


@transaction.atomic
def record_attendance(*, meeting, by, attendance: dict) -> Meeting:
    """
    Who came to the meeting, from its start on: `attendance` maps participant ids to an
    Attendance value; the participants not in it keep theirs. When the client did not arrive
    (ei saapunut) the meeting is marked so (Meeting.client_missed) and its booker is prompted
    to book a new one until one is booked (Meeting.to_rebook, meetings/work.py).
    """
    if not meeting.attendance_open():
        raise ValidationError(_("Attendance can be recorded from the start of a meeting that "
                                "was not cancelled."))
    participants = {p.pk: p for p in meeting.participants.select_for_update()}
    for participant_id, value in attendance.items():
        participant = participants.get(participant_id)
        if participant is None or value not in Attendance.values:
            raise ValidationError(_("Choose the attendance of the meeting's participants."))
        if participant.attendance != value:
            participant.attendance = value
            participant._history_user = by
            participant.save(update_fields=["attendance"])
    return meeting


@transaction.atomic
def record_decisions(*, meeting, by, minutes, case_managers, **decisions) -> MeetingDecision:
    """
    The minutes and decisions of the meeting. The named case managers become the client's
    case managers (their periods start, others' end, with history); the feedback discussion
    is held by the case manager unless the meeting named someone else.
    """
    if not case_managers:
        raise ValidationError({"case_managers": _("Name at least one case manager.")})
    meeting.minutes = minutes
    meeting._history_user = by
    meeting.save(update_fields=["minutes"])
    if decisions.get("feedback_discussion_holder") is None:
        decisions["feedback_discussion_holder"] = case_managers[0]
    decision = MeetingDecision.objects.filter(meeting=meeting).first() or MeetingDecision(
        meeting=meeting
    )
    doctor_before = decision.doctor_id
    for name, value in {**decisions, "decided_by": by}.items():
        setattr(decision, name, value)
    decision._history_user = by
    decision.save()
    decision.case_managers.set(case_managers)
    set_case_managers(client=meeting.client, users=case_managers, by=by)
    tell_named_doctor(decision, doctor_before=doctor_before)
    # The booked feedback discussion and who follows up: the plans app writes them (above us).
    decisions_recorded.send(sender=MeetingDecision, decision=decision, by=by)
    return decision


def organisations_without_consent(client, users) -> list:
    """
    The participants' organisations that would not see who the client is: they do not keep the
    client's card by their own right nor a card of their own, and no consent confirmed by the
    card's writer covers them. Booking warns and links to the consent.
    """
    missing = {}
    for user in users:
        for membership in user.memberships.active().care().select_related("organisation"):
            organisation = membership.organisation
            if organisation.pk in missing or keeps_card(client, organisation) or own_card(
                    client, organisation):
                continue
            writer = client.organisation
            if writer is None or consent_for_sending(client, organisation, "identity",
                                                     source=writer) is None:
                missing[organisation.pk] = organisation
    return list(missing.values())
