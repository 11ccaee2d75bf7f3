from celery import shared_task

from .reminders import queue_reminders


# Beat runs it every few minutes. Safe to repeat and to run twice at once: each message's key is
# unique in the outbox (oma/reminders.py); the outbox's own task sends them after the commit.
@shared_task(acks_late=True, ignore_result=True)
def sweep_client_reminders() -> int:
    return queue_reminders()
