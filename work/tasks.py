from celery import shared_task

from .reminders import sweep


# acks_late: a worker killed mid-sweep leaves the message to be run again, which is safe —
# the sweep is idempotent (work/reminders.py).
@shared_task(acks_late=True)
def sweep_reminders() -> dict:
    return sweep()
