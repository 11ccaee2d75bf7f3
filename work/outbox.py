"""
Everything that leaves Työkyky by e-mail or text message (SMS) goes through here.

`enqueue` writes each message as a row inside the caller's transaction: if the booking or the
reminder rolls back, so does its e-mail, and nothing is sent from inside a transaction that
can still roll back. After the commit a Celery task is nudged; the beat's sweep picks up
whatever a nudge missed (the broker down, a worker killed), so the rows are the truth and the
broker only says "work is waiting".

`deliver` claims a few waiting rows by leasing them (SKIP LOCKED, committed at once), then
sends each message on its own and records the outcome in its own short transaction:

- accepted: sent, never tried again;
- refused for good (an SMTP 5xx reply, an address the server will not take): parked with the
  server's reason, for an administrator to see, and the queue goes on;
- a temporary failure (4xx, the server unreachable): tried again later, backing off, parked
  after MAX_ATTEMPTS.

After a crash the lease runs out and the message is tried again. The one case where it can go
twice is a worker dying between the SMTP server's "250 accepted" and the commit that records it:
SMTP cannot tell us whether the message went, so we would rather send it once more than lose
it. Each worker has at most one message in that window; the stable Message-ID lets the
recipient's mail client recognise the repeat.

Text messages are rows of the same table (`channel` "sms", `to` a phone number) and go through
the same claim, states and backoff; only the transport differs: the SMS backend
(tyokyky/sms.py) instead of SMTP, its "refused" (a 4xx from the gateway) parking the message
and its "unavailable" (5xx, no connection) trying again later. Each channel is delivered on its
own, so a mail server that is down holds up no text message, nor the other way round. An SMS
gateway, like SMTP, cannot tell whether a message it took before a crash was recorded: the same
one repeat.

A message may stop being true while it waits: a reminder of an appointment that was cancelled
or moved after it was queued (the gateway down, the row waiting for its retry). The app that
writes such messages registers, for the prefix of their `key`, a check of whether the message
is still true (`register_still_due`; oma registers its reminders'). Just before sending, under
the row's lock, the outbox asks it: a message no longer true is cancelled with the check's
reason and never sent. Messages without a key, or with a key no check claims, go as before.
The outbox knows no appointments: it only asks (it sits below the apps that know them).
"""

import enum
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from tyokyky import sms
from tyokyky.celery import publish_once

from .models import Channel, MessageState, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the backoff below, about a day before giving up
BATCH = 50

# key prefix -> check(message) giving "" while the message is still true, else the reason it
# is not (stored on the cancelled row).
_STILL_DUE: dict[str, Callable[[OutboxMessage], str]] = {}


def register_still_due(prefix: str, check: Callable[[OutboxMessage], str]) -> None:
    """Before a message whose key starts with `prefix` is sent, `check(message)` is asked
    whether it is still true: "" sends it, a reason cancels it. Registered by the app that
    knows what the key names (in its AppConfig.ready); registering again replaces."""
    _STILL_DUE[prefix] = check


def no_longer_due(message: OutboxMessage) -> str:
    """Why the message is no longer true ("" if it is, or if no check claims its key)."""
    for prefix, check in _STILL_DUE.items():
        if message.key and message.key.startswith(prefix):
            return check(message)
    return ""


def message(*, to: str, subject: str, body: str, client_id=None,
            attachment=None, key=None, to_client=False) -> OutboxMessage:
    """One e-mail, not yet queued; `attachment` is (name, bytes, mimetype); `key` see
    `enqueue_once`; `to_client` when the recipient is the client themself."""
    name, content, mimetype = attachment or ("", b"", "")
    return OutboxMessage(to=to, subject=subject, body=body, client_id=client_id,
                         attachment_name=name, attachment=content, attachment_type=mimetype,
                         key=key, to_client=to_client)


def from_templates(name: str, context: dict, *, to: str, client_id=None,
                   attachment=None, key=None, to_client=False) -> OutboxMessage:
    """One e-mail from `name`_subject.txt and `name`.txt, in the language now active (the
    caller's `translation.override` of the recipient's)."""
    return message(to=to, subject=render_to_string(f"{name}_subject.txt", context).strip(),
                   body=render_to_string(f"{name}.txt", context), client_id=client_id,
                   attachment=attachment, key=key, to_client=to_client)


def text_message(*, to: str, text: str, client_id=None, key=None,
                 to_client=False) -> OutboxMessage:
    """One SMS to the phone number `to` (as tyokyky.sms.phone_number gives it), not yet
    queued."""
    return OutboxMessage(channel=Channel.SMS, to=to, body=text, client_id=client_id, key=key,
                         to_client=to_client)


def enqueue(messages: list[OutboxMessage]) -> None:
    """Queue the e-mails in the current transaction; a worker is nudged once it commits."""
    if messages:
        OutboxMessage.objects.bulk_create(messages, batch_size=500)
        transaction.on_commit(nudge)


def enqueue_once(messages: list[OutboxMessage]) -> None:
    """Queue the messages like `enqueue`, but a message whose `key` is already in the outbox
    (in any state) is left out: a sweep run twice, or two at once, queues each message once."""
    if messages:
        OutboxMessage.objects.bulk_create(messages, batch_size=500, ignore_conflicts=True)
        transaction.on_commit(nudge)


def nudge() -> None:
    """Ask a worker to deliver now. With the broker down the sweep delivers later, so a
    failure here is logged and swallowed: the user's change has already been committed."""
    from .tasks import deliver_outbox

    if not publish_once(deliver_outbox):
        log.warning("outbox: the broker is unreachable; the sweep will deliver")


def cancel_for_client(client, *, to=None, reason="client closed") -> int:
    """What still waits about the client (to the addresses `to` only) is not sent: the client
    was closed, or forbade disclosure to the recipients. Parked messages too, so that nobody
    sends them again by hand. A message a worker is handing to the server this very moment is
    waited for, and then it has gone."""
    waiting = OutboxMessage.objects.filter(
        client=client, state__in=[MessageState.PENDING, MessageState.PARKED])
    if to is not None:
        waiting = waiting.filter(to__in=to)
    return waiting.update(state=MessageState.CANCELLED, last_error=reason)


def deliver(batch: int = BATCH, now=None) -> int:
    """Send what is due, e-mail and then text messages; returns how many were accepted."""
    return sum(_deliver_channel(channel, batch, now) for channel in Channel)


def _deliver_channel(channel, batch, now) -> int:
    """One channel's messages, a leased batch at a time. Stops at the first sign that its
    server itself is unreachable: the rest wait for the next run."""
    accepted = 0
    while messages := _claim(batch, now, channel):
        sent, reachable = _send_batch(messages)
        accepted += sent
        if not reachable:
            break
    return accepted


def _claim(batch, now=None, channel=Channel.EMAIL) -> list[OutboxMessage]:
    now = now or timezone.now()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=MessageState.PENDING, next_attempt_at__lte=now, channel=channel)
            .order_by("next_attempt_at", "pk")[:batch]
        )
        lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        for message in messages:
            message.attempts += 1
            message.next_attempt_at = lease
        OutboxMessage.objects.bulk_update(messages, ["attempts", "next_attempt_at"])
    return messages


class EmailTransport:
    """E-mail over one SMTP connection (Django's EMAIL_BACKEND) for a batch."""

    # This message's own answer (the session goes on), and a failure of the server itself.
    own_answer = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)
    failure = (smtplib.SMTPException, OSError)

    def __init__(self):
        self.connection = get_connection()

    def open(self):
        self.connection.open()

    def send(self, message):
        _email(message, self.connection).send()

    def close(self):
        _close_quietly(self.connection)


class SmsTransport:
    """Text messages through the SMS backend (tyokyky/sms.py), one request each."""

    own_answer = (sms.Refused,)
    failure = (sms.SmsError,)

    def __init__(self):
        self.backend = sms.get_backend()

    def open(self):
        pass

    def send(self, message):
        self.backend.send(to=message.to, text=message.body)

    def close(self):
        pass


TRANSPORTS = {Channel.EMAIL: EmailTransport, Channel.SMS: SmsTransport}


def _send_batch(messages) -> tuple[int, bool]:
    """(how many were accepted, whether the server could still be reached). The messages are
    of one channel, as `_claim` leases them."""
    transport = TRANSPORTS[messages[0].channel]()
    try:
        transport.open()
    except transport.failure as error:
        _not_tried(messages, error)
        return 0, False
    accepted = 0
    try:
        for index, message in enumerate(messages):
            outcome = _send_one(message, transport)
            if outcome is Outcome.UNREACHABLE:
                _not_tried(messages[index + 1:])
                return accepted, False
            accepted += outcome is Outcome.SENT
    finally:
        transport.close()
    return accepted, True


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_SENT = "not sent"
    UNREACHABLE = "unreachable"


def _send_one(message, transport) -> Outcome:
    """
    The row is locked while its message is sent, so that closing the client either cancels
    it first (and it is not sent) or waits the moment until it has gone. The transaction only
    holds that lock: a crash inside it leaves the message to be tried again after its lease,
    the same one repeat that SMTP cannot tell apart.
    """
    with transaction.atomic():
        # Waits for a moment's lock (closing, another worker's claim), then reads the state.
        if not OutboxMessage.objects.select_for_update().filter(
                pk=message.pk, state=MessageState.PENDING).exists():
            return Outcome.NOT_SENT  # cancelled meanwhile
        if reason := no_longer_due(message):
            _cancel_stale(message, reason)
            return Outcome.NOT_SENT
        try:
            transport.send(message)
        except transport.own_answer as error:
            _failed(message, error)  # this message's own answer; the session goes on
            return Outcome.NOT_SENT
        except transport.failure as error:
            _failed(message, error)
            return Outcome.UNREACHABLE
        _sent(message)
    return Outcome.SENT


def _cancel_stale(message, reason):
    """Not sent, and never to be: what it says is no longer true. Not an attempt either."""
    log.info("outbox: message %s cancelled: %s", message.pk, reason)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=MessageState.CANCELLED, last_error=reason[:500], attempts=F("attempts") - 1)


def _sent(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENT, sent_at=timezone.now(), last_error="")


def _not_tried(messages, error=None):
    """Released for the next run without counting an attempt they never had."""
    fields = {"last_error": _reason(error)[:500]} if error else {}
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        attempts=F("attempts") - 1, next_attempt_at=timezone.now() + backoff(1), **fields)


def _close_quietly(connection):
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        log.info("outbox: the SMTP connection was already gone")


def _email(message: OutboxMessage, connection) -> EmailMessage:
    email = EmailMessage(message.subject, message.body, to=[message.to],
                         connection=connection, headers={"Message-ID": message.message_id})
    if message.attachment_name:
        email.attach(message.attachment_name, bytes(message.attachment),
                     message.attachment_type)
    return email


def _failed(message: OutboxMessage, error: Exception) -> None:
    reason = _reason(error)
    if _permanent(error) or message.attempts >= MAX_ATTEMPTS:
        fields = {"state": MessageState.PARKED}
        log.warning("outbox: message %s parked: %s", message.pk, reason)
    else:
        fields = {"next_attempt_at": timezone.now() + backoff(message.attempts)}
    OutboxMessage.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
        last_error=reason[:500], **fields)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most four hours: a server down for a while is not hammered."""
    return timedelta(minutes=min(2 ** (attempts - 1), 240))


def _permanent(error: Exception) -> bool:
    """A 5xx reply is the server's final word; 4xx and lost connections may pass. An SMS
    gateway's refusal (tyokyky/sms.py: a 4xx) is final too."""
    if isinstance(error, sms.Refused):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {text.decode(errors='replace')}"
                         for code, text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"
