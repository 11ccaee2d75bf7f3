from celery import shared_task

from . import services


# Once a night (tyokyky/settings.py, CELERY_BEAT_SCHEDULE). acks_late: a worker killed mid-run
# leaves the message to be run again, which is safe — each destruction is one transaction, a
# proposal is made once per file, and a run repeated finds nothing more to do.
@shared_task(acks_late=True)
def propose_and_destroy() -> dict:
    """What the leaders approved is destroyed first, then what has become due is proposed."""
    return {**services.destroy_approved(), **services.propose_due()}
