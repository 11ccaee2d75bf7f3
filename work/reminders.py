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
"""

import logging

from django.db import transaction
from django.utils import timezone, translation

from tyokyky.urls_absolute import absolute
from work import outbox

from .due import due_items
from .models import Notification, Reminder, ReminderState

log = logging.getLogger(__name__)

BATCH = 200


def collect_due(today=None) -> int:
    """Add a Reminder row for every newly due item; returns how many were new."""
    today = today or timezone.localdate()
    items = due_items(today, for_sweep=True)
    created = Reminder.objects.bulk_create(
        [Reminder(kind=item.kind, object_id=item.object_id, stage=item.stage,
                  user_id=item.user_id, client_id=item.client_id, due_on=item.due_on,
                  url=item.url) for item in items],
        ignore_conflicts=True, batch_size=500,
    )
    return len(created)


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


def sweep(today=None) -> dict:
    """One sweep: record what is newly due, notify and queue what is pending, then send the
    e-mails (after those commits, each on its own)."""
    found = collect_due(today)
    delivered = deliver_pending()
    emailed = outbox.deliver()
    log.info("reminder sweep: %s new, %s delivered, %s e-mailed", found, delivered, emailed)
    return {"new": found, "delivered": delivered, "emailed": emailed}
