from celery import shared_task

from . import flags


# Hourly from beat (tyokyky/settings.py). Idempotent: a run repeated finds the same flags, and
# two at once wait for each other (oversight/flags.py), so acks_late is safe.
@shared_task(acks_late=True)
def flag_unusual_access() -> dict:
    run = flags.run()
    if run is None:
        return {"found": 0, "updated": 0, "emailed": 0}
    return {"found": run.found, "updated": run.updated, "emailed": run.emailed}
