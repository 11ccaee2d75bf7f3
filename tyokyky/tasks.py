from celery import shared_task

from . import outbox


# Nudged after each commit that queues e-mail, and run by beat for whatever a nudge missed.
# Two at once are safe: each message is leased to one worker (tyokyky/outbox.py).
@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    return outbox.deliver()
