"""
Meeting invitations: e-mail with an iCalendar attachment (RFC 5545, the icalendar library), in
the recipient's language. Nothing of the client travels by e-mail or calendar feed: the meeting
number, the time, the room's name (or how it is held) and a link that needs a login — never
free text such as the phone details or the video link, which may name the client and are shown
in Työkyky to those invited.

One exception, for the staff invited (users of Työkyky) only (issue 16): the language the
client needs an interpreter for, and whether one is booked, so that the meeting is arranged
with the interpreter — to those who may see it on the client's card in Työkyky (the card's
`interpreter_language`, through consents.shown). Without the client's name it identifies
nobody; it is never in the calendar file, the subject, a cancellation or an outsider's
invitation.
"""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from consents.policy import clients_banned_for
from consents.shown import shown_clients
from tyokyky.urls_absolute import absolute
from work import outbox

METHODS = {"request": "REQUEST", "update": "REQUEST", "cancel": "CANCEL"}


def meeting_title(meeting) -> str:
    """The meeting as e-mails and calendars name it: a number, never the client."""
    return _("Work-ability support meeting no. %(number)s") % {"number": meeting.pk}


def place(meeting) -> str:
    """Where, as invitations and feeds say it: the room's name, or "by phone" / "by video"."""
    if meeting.room_id:
        return meeting.room.name
    return str(meeting.get_mode_display())


def meeting_url(meeting) -> str:
    return absolute(reverse("meetings:detail", args=[meeting.pk]))


def calendar_event(meeting, summary: str, *, method: str, attendees=()) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@tyokyky")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", summary)
    event.add("location", place(meeting))
    event.add("description", meeting_url(meeting))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText("Työkyky")
    event.add("organizer", organizer)
    for email in attendees:
        event.add("attendee", vCalAddress(f"mailto:{email}"))
    return event


def invitation_calendar(meeting, kind: str, email: str) -> bytes:
    method = METHODS[kind]
    calendar = Calendar()
    calendar.add("prodid", "-//Työkyky//Team meetings//FI")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(
        calendar_event(meeting, meeting_title(meeting), method=method, attendees=[email])
    )
    return calendar.to_ical()


def _recipients(meeting):
    """(e-mail, language) of everyone invited who has an address and has not declined —
    and whose organisation the client has not banned since the invitation."""
    for participant in meeting.participants.select_related("user"):
        if participant.user_id:
            user = participant.user
            if user.email and participant.answer != "declined" and not (
                    clients_banned_for(user).filter(client_id=meeting.client_id).exists()):
                yield user.email, user.language, _interpreter_shown_to(user, meeting)
        elif participant.email:
            # People outside Työkyky get the client's language: the support person, often.
            yield participant.email, meeting.client.language, ""


def queue_invitations(meeting, kind: str) -> int:
    """Queue the booking, update or cancellation for every participant, in the caller's
    transaction; returns how many."""
    messages = [_invitation(meeting, kind, email, language,
                            interpreter="" if kind == "cancel" else interpreter)
                for email, language, interpreter in _recipients(meeting)]
    outbox.enqueue(messages)
    return len(messages)


def _interpreter_shown_to(user, meeting) -> str:
    """The language the client needs an interpreter for, as far as the user may see the
    client's card; empty when they may not or the client needs none."""
    shown = shown_clients(user, [meeting.client_id]).get(meeting.client_id)
    return (shown.interpreter_language or "") if shown is not None else ""


def _invitation(meeting, kind, email, language, *, interpreter=""):
    with translation.override(language):
        context = {"kind": kind, "title": meeting_title(meeting),
                   "place": place(meeting), "url": meeting_url(meeting),
                   "starts_at": timezone.localtime(meeting.starts_at),
                   "ends_at": timezone.localtime(meeting.ends_at),
                   "interpreter_language": interpreter,
                   "interpreter_booked": meeting.interpreter_booked}
        calendar = ("kutsu.ics", invitation_calendar(meeting, kind, email),
                    f"text/calendar; charset=utf-8; method={METHODS[kind]}")
        return outbox.from_templates("meetings/email/invitation", context, to=email,
                                     client_id=meeting.client_id, attachment=calendar)
