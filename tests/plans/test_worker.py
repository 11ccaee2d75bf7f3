"""
The sweep run by a real Celery worker through the broker — Redis in CI, the embedded
file-system broker in development — not in eager mode.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from tyokyky.celery import app
from work.models import Notification, Reminder, ReminderState
from work.tasks import sweep_reminders

from .story import jaakkos_meeting


@pytest.fixture
def real_broker():
    """Tasks through the configured broker: Redis in CI, the tests' queue folder otherwise."""
    app.conf.task_always_eager = False
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def wait_until(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_worker_sweeps_three_times_and_notifies_once(transactional_db, demo, real_broker):
    jaakkos_meeting(demo)
    for _run in range(3):
        sweep_reminders.delay()
    assert wait_until(lambda: Reminder.objects.filter(state=ReminderState.SENT).exists())
    # Let the other two sweeps run through too before counting.
    time.sleep(2)
    assert Notification.objects.filter(user=demo["typ_expert"]).count() == 1
    # The meeting's invitations went through the same worker; reminders carry no calendar.
    # (The demo's standing proposals of a health check lead to the referral form: not his.)
    reminders = [message for message in mail.outbox if not message.attachments
                 and "/referrals/new/?reason=" not in message.body]
    assert [message.to for message in reminders] == [["typ_expert@tyokyky.invalid"]]
