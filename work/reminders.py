"""
The reminder sweep (service path: "reminder message!!!" next to the case manager).

What is due lives as rows in the database, never as countdown tasks in the broker (a long ETA
in Redis comes back after the visibility timeout, again and again). Beat starts the sweep every
few minutes; the sweep

1. records each newly due item as a Reminder row — its key (kind, object, stage, person) is
   unique, so running twice, two workers racing or beat restarting add nothing new;
2. claims pending rows with SELECT … FOR UPDATE SKIP LOCKED, makes the in-app notification,
   queues the e-mail in the outbox and marks the row sent, all in one transaction: a worker
   killed half-way leaves its rows pending for the next sweep, and no two workers take the
   same row. Nothing is sent from inside that transaction: the outbox sends each e-mail on its
   own after the commit (work/outbox.py), so one refused address holds up nobody and the
   bell never waits for e-mail.

What the sweep reads: the open items (plan actions not done, checks without feedback, meetings
without a discussion…) that came due since the last sweep's day, by their due-date indexes, and
those saved since it began, by their change history's date index — not the backlog of items long
reminded, which grows with every client. The mark (SweepMark) says how far the last sweep read.
What changes without leaving such a trace is read by the nightly sweep (`full`), which reads
everything, as does a sweep with no mark or for a day before it. The exactly-once keys above
are the same either way: reading more never sends twice, reading less only waits a night.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from tyokyky.urls_absolute import absolute
from work import outbox

from .due import Since, due_items
from .models import Notification, Reminder, ReminderState, SweepMark

log = logging.getLogger(__name__)

BATCH = 200


def collect_due(today=None, full=False) -> int:
    """Add a Reminder row for every newly due item; returns how many were new. Reads, where a
    rule can tell, only what became due or changed since the last sweep (`full`: everything,
    as the nightly sweep does, and any sweep with no earlier one of its day or before)."""
    today = today or timezone.localdate()
    started_at = timezone.now()
    items = due_items(today, for_sweep=True, since=None if full else _since(today))
    created = Reminder.objects.bulk_create(
        [Reminder(kind=item.kind, object_id=item.object_id, stage=item.stage,
                  user_id=item.user_id, client_id=item.client_id, due_on=item.due_on,
                  url=item.url) for item in items],
        ignore_conflicts=True, batch_size=500,
    )
    _advance(today, started_at)
    return len(created)


# A change committed after a sweep began may carry an earlier time than its start (a long
# transaction); the next sweep looks back this far before the mark, so none falls between.
SINCE_SLACK = timedelta(hours=1)


def _since(today) -> Since | None:
    """What the last sweep read up to; None (read everything) when there was none, or it was
    for a later day (a sweep run for an earlier day reads it whole)."""
    mark = SweepMark.objects.filter(pk=1).first()
    if mark is None or mark.day > today:
        return None
    return Since(day=mark.day, at=mark.started_at - SINCE_SLACK)


def _advance(today, started_at) -> None:
    """Move the mark on, never back: of two sweeps at once, the later start stays."""
    moved = SweepMark.objects.filter(pk=1, day__lte=today, started_at__lte=started_at).update(
        day=today, started_at=started_at)
    if not moved:
        SweepMark.objects.get_or_create(pk=1, defaults={"day": today, "started_at": started_at})


def deliver_pending(batch=BATCH) -> int:
    """Notify and queue the e-mail for pending reminders, a batch per transaction; returns how
    many."""
    delivered = 0
    while True:
        with transaction.atomic():
            reminders = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=ReminderState.PENDING).select_related("user")
                .order_by("created_at", "pk")[:batch]
            )
            if not reminders:
                return delivered
            Notification.objects.bulk_create(
                Notification(user_id=r.user_id, kind=r.kind, stage=r.stage,
                             client_id=r.client_id, url=r.url, due_on=r.due_on)
                for r in reminders
            )
            outbox.enqueue([_email(reminder) for reminder in reminders
                            if reminder.user.email])
            Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
                state=ReminderState.SENT, sent_at=timezone.now()
            )
            delivered += len(reminders)


def _email(reminder):
    """In the user's language, with a link and nothing about the client."""
    user = reminder.user
    with translation.override(user.language):
        return outbox.from_templates(
            "work/email/reminder", {"reminder": reminder, "url": absolute(reminder.url)},
            to=user.email, client_id=reminder.client_id)


def cancel_for_client(client, organisation=None) -> int:
    """Closing: what is still pending about the client is not delivered (to the members of
    `organisation` only, when it ends its own relationship)."""
    pending = Reminder.objects.filter(client=client, state=ReminderState.PENDING)
    if organisation is not None:
        pending = pending.filter(user__memberships__organisation=organisation)
    return Reminder.objects.filter(pk__in=pending.values("pk")).update(
        state=ReminderState.CANCELLED)


def sweep(today=None, full=False, send=True) -> dict:
    """One sweep: record what is newly due (`full`: reading everything, nightly), notify and
    queue what is pending, then send the e-mails (after those commits, each on its own).
    The scheduled sweep leaves the sending (`send=False`) to the outbox's own task, which
    each queued message nudges after its commit and beat runs every minute: a morning's
    thousands of e-mails at national scale go at the outbox's pace, not inside the sweep."""
    found = collect_due(today, full=full)
    delivered = deliver_pending()
    emailed = outbox.deliver() if send else 0
    log.info("reminder sweep: %s new, %s delivered, %s e-mailed", found, delivered, emailed)
    return {"new": found, "delivered": delivered, "emailed": emailed}
