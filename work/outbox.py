"""
Everything that leaves Työkyky by e-mail goes through here.

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
"""

import enum
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from tyokyky.celery import publish_once

from .models import MessageState, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the backoff below, about a day before giving up
BATCH = 50


def message(*, to: str, subject: str, body: str, client_id=None,
            attachment=None) -> OutboxMessage:
    """One e-mail, not yet queued; `attachment` is (name, bytes, mimetype)."""
    name, content, mimetype = attachment or ("", b"", "")
    return OutboxMessage(to=to, subject=subject, body=body, client_id=client_id,
                         attachment_name=name, attachment=content, attachment_type=mimetype)


def from_templates(name: str, context: dict, *, to: str, client_id=None,
                   attachment=None) -> OutboxMessage:
    """One e-mail from `name`_subject.txt and `name`.txt, in the language now active (the
    caller's `translation.override` of the recipient's)."""
    return message(to=to, subject=render_to_string(f"{name}_subject.txt", context).strip(),
                   body=render_to_string(f"{name}.txt", context), client_id=client_id,
                   attachment=attachment)


def enqueue(messages: list[OutboxMessage]) -> None:
    """Queue the e-mails in the current transaction; a worker is nudged once it commits."""
    if messages:
        OutboxMessage.objects.bulk_create(messages, batch_size=500)
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
    """Send what is due, a leased batch at a time; returns how many were accepted. Stops at
    the first sign that the server itself is unreachable: the rest wait for the next run."""
    accepted = 0
    while messages := _claim(batch, now):
        sent, reachable = _send_batch(messages)
        accepted += sent
        if not reachable:
            break
    return accepted


def _claim(batch, now=None) -> list[OutboxMessage]:
    now = now or timezone.now()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=MessageState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:batch]
        )
        lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        for message in messages:
            message.attempts += 1
            message.next_attempt_at = lease
        OutboxMessage.objects.bulk_update(messages, ["attempts", "next_attempt_at"])
    return messages


def _send_batch(messages) -> tuple[int, bool]:
    """(how many were accepted, whether the server could still be reached)."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _not_tried(messages, error)
        return 0, False
    accepted = 0
    try:
        for index, message in enumerate(messages):
            outcome = _send_one(message, connection)
            if outcome is Outcome.UNREACHABLE:
                _not_tried(messages[index + 1:])
                return accepted, False
            accepted += outcome is Outcome.SENT
    finally:
        _close_quietly(connection)
    return accepted, True


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_SENT = "not sent"
    UNREACHABLE = "unreachable"


def _send_one(message, connection) -> Outcome:
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
        try:
            _email(message, connection).send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            _failed(message, error)  # this message's own answer; the session goes on
            return Outcome.NOT_SENT
        except (smtplib.SMTPException, OSError) as error:
            _failed(message, error)
            return Outcome.UNREACHABLE
        _sent(message)
    return Outcome.SENT


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
    """A 5xx reply is the server's final word; 4xx and lost connections may pass."""
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
