"""
Reminders to the client of their coming appointments, by e-mail and text message.

The client is reminded of each coming team meeting they take part in, each booked feedback
discussion and each booked health check, on the day `client_reminder_from` (oma/due.py) gives:
one e-mail if the card has an address, one SMS if it has a mobile number, in the client's
language of service. A closed client gets none.

What a reminder says is only that there is an appointment, its day and time, and that the
details are in Oma Työkyky: an e-mail or a text message can be read by someone else (a shared
phone, a work address), so it names no staff, no organisation and nothing about health or
social matters — a "health check" would already tell too much.

Each message is an outbox row (work/outbox.py) whose key names the appointment, its time and
the channel; the key is unique, so a sweep run twice, two sweeps at once or a crash between
queueing and sending never send a reminder twice. A moved appointment has a new time, so a new
key: the client is reminded of the new time.

A reminder still waiting in the outbox when its appointment is cancelled or moved (the SMS
gateway or the mail server was down) is not sent: just before sending, the outbox asks
`stale_reason` whether the appointment is still booked for the key's time, by the same
definition of "booked" (KINDS) that queued it, and cancels the row if not.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from clients.models import Client, ClientStatus
from meetings.models import Answer, Meeting, MeetingParticipant, MeetingStatus, ParticipantKind
from plans.models import FeedbackDiscussion
from referrals.models import Referral, ReferralStatus
from tyokyky import sms
from tyokyky.urls_absolute import absolute
from work import outbox
from work.models import Channel, OutboxMessage

from .due import LOOKAHEAD, client_reminder_from

log = logging.getLogger(__name__)

KEY_PREFIX = "client-reminder:"


@dataclass(frozen=True)
class Appointment:
    """A coming appointment of the client's, whatever its kind."""

    kind: str
    pk: int
    client_id: int
    starts_at: datetime

    def key(self, channel: str) -> str:
        """The message's idempotency key: one per appointment, time and channel."""
        return (f"{KEY_PREFIX}{self.kind}:{self.pk}:"
                f"{self.starts_at.astimezone(UTC):%Y%m%dT%H%M}:{channel}")


def coming_appointments(now: datetime) -> list[Appointment]:
    """Every appointment starting after `now` and within LOOKAHEAD, of every kind."""
    return [Appointment(kind, *row)
            for kind, (booked, field) in KINDS.items()
            for row in booked().filter(**{f"{field}__gt": now,
                                          f"{field}__lte": now + LOOKAHEAD})
            .values_list("pk", "client_id", field)]


def _booked_meetings():
    """Team meetings not cancelled whose participants include the client, not declined."""
    client_takes_part = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"), kind=ParticipantKind.CLIENT).exclude(answer=Answer.DECLINED)
    return Meeting.objects.exclude(status=MeetingStatus.CANCELLED).filter(
        Exists(client_takes_part))


def _booked_discussions():
    """Booked feedback discussions not yet recorded as held."""
    return FeedbackDiscussion.objects.filter(scheduled_for__isnull=False, held_on__isnull=True)


def _booked_health_checks():
    """Health checks booked on a referral that is still waiting for them."""
    return Referral.objects.filter(status=ReferralStatus.BOOKED, booked_for__isnull=False,
                                   cancelled_at__isnull=True)


# What the client is reminded of, the one definition of each kind: (its booked rows, the
# field of its time). The sweep reads it to queue reminders and `stale_reason` to check,
# when the outbox is about to send one, that the appointment is still booked for that time.
KINDS = {"meeting": (_booked_meetings, "starts_at"),
         "discussion": (_booked_discussions, "scheduled_for"),
         "health_check": (_booked_health_checks, "booked_for")}


def queue_reminders(now=None) -> int:
    """Queue the reminders now due and not yet queued, in one transaction (the outbox sends
    them after it commits); returns how many messages were offered to the outbox (a sweep
    racing another may offer some that the other queued: the unique key leaves them out)."""
    now = now or timezone.now()
    due = [a for a in coming_appointments(now) if client_reminder_from(a.starts_at) <= now]
    clients = Client.objects.filter(pk__in={a.client_id for a in due},
                                     status=ClientStatus.ACTIVE).in_bulk()
    queued = _queued_keys(due)
    messages = [message for appointment in due if appointment.client_id in clients
                for message in _messages(appointment, clients[appointment.client_id])
                if message.key not in queued]
    with transaction.atomic():
        outbox.enqueue_once(messages)
    log.info("client reminders: %s due, %s messages queued", len(due), len(messages))
    return len(messages)


def stale_reason(message: OutboxMessage) -> str:
    """Why a queued reminder is no longer true ("" while it is), asked by the outbox just
    before sending (registered in oma/apps.py): the appointment was cancelled, moved (its key
    has the old time), held or has started, or the client was closed meanwhile — the
    reminder may have waited hours for a gateway that was down."""
    try:
        _prefix, kind, pk, when, _channel = message.key.split(":")
        booked, field, pk = *KINDS[kind], int(pk)
        starts_at = datetime.strptime(when, "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except (ValueError, KeyError):
        log.warning("client reminders: unreadable key %r, not sent", message.key)
        return "unreadable reminder key"
    if starts_at <= timezone.now():
        return "appointment already started"
    client = Client.objects.filter(pk=message.client_id, status=ClientStatus.ACTIVE).first()
    if client is None:
        return "client closed"
    if message.to != _address(client, message.channel):
        # The address or number was corrected meanwhile: the old one may be someone else's.
        return "recipient changed"
    # The key's time is to the minute: the appointment is still at it within that minute.
    still = booked().filter(pk=pk, **{f"{field}__gte": starts_at,
                                      f"{field}__lt": starts_at + timedelta(minutes=1)})
    return "" if still.exists() else "appointment cancelled or moved"


def _address(client: Client, channel: str) -> str | None:
    """Where the client's reminders go on the channel, as their card says now."""
    return client.email if channel == Channel.EMAIL else sms.phone_number(client.phone)


def _queued_keys(appointments) -> set[str]:
    """The keys already in the outbox: their messages are not even rendered again."""
    keys = [a.key(channel) for a in appointments for channel in Channel]
    return set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))


def _messages(appointment: Appointment, client: Client) -> list[OutboxMessage]:
    """The e-mail and the SMS the client can receive, in their language of service."""
    context = {"starts_at": timezone.localtime(appointment.starts_at),
               "url": absolute(reverse("oma:home"))}
    messages = []
    with translation.override(client.language or "fi"):
        if client.email:
            messages.append(outbox.from_templates(
                "oma/email/reminder", context, to=client.email, client_id=client.pk,
                key=appointment.key(Channel.EMAIL), to_client=True))
        if number := sms.phone_number(client.phone):
            messages.append(outbox.text_message(
                to=number, text=render_to_string("oma/sms/reminder.txt", context).strip(),
                client_id=client.pk, key=appointment.key(Channel.SMS), to_client=True))
    return messages
