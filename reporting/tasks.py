from celery import shared_task

from . import facts


# Beat counts the months that can have changed every 15 minutes and right after a month
# closes, and everything at night (reporting/facts.py). Two at once wait for each other.
@shared_task(acks_late=True, ignore_result=True)
def refresh_statistics(everything: bool = False) -> None:
    facts.refresh(everything=everything)
