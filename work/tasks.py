from celery import shared_task

from . import outbox
from .reminders import sweep


# acks_late: a worker killed mid-sweep leaves the message to be run again, which is safe —
# the sweep is idempotent (work/reminders.py).
@shared_task(acks_late=True)
def sweep_reminders(full=False) -> dict:
    """Every five minutes what became due or changed since the last sweep; nightly (`full`)
    everything, for what changed without a trace the rules can find. The e-mails go by
    `deliver_outbox`, nudged by each message queued."""
    return sweep(full=full, send=False)


# Nudged after each commit that queues e-mail, and run by beat for whatever a nudge missed.
# Two at once are safe: each message is leased to one worker (work/outbox.py).
@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    return outbox.deliver()
