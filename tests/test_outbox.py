"""
Nothing lost, nothing twice: e-mail through the outbox under faults — a worker killed with
kill -9 mid-delivery, a refused recipient, a server that answers "try later" or not at all,
the broker down while a meeting is booked, moved and cancelled, a client closed while
reminders about them still wait. The SMTP server is real (tests/mailserver.py).
"""

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from consents.services import record_disclosure_ban
from meetings.models import Meeting
from plans.services import close_client
from tests.mailserver import free_port
from tests.meetings.meeting_steps import book, next_tuesday
from tests.plans.story import jaakkos_meeting
from tests.utils import log_in
from work import outbox
from work.models import MessageState, Notification, OutboxMessage, Reminder, ReminderState
from work.reminders import collect_due, deliver_pending, sweep

REPOSITORY = Path(__file__).resolve().parent.parent
LATER = timedelta(hours=1)  # past any lease and backoff of the first attempts


def duplicates(server) -> int:
    return sum(count - 1 for count in Counter(server.message_ids()).values())


def in_a_worker_process(server, code: str) -> subprocess.Popen:
    """A separate Python process on this test's database and SMTP server, as a worker is."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                        f"/{database['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
        "DJANGO_SETTINGS_MODULE": "tyokyky.settings",
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPOSITORY, env=environment)


@pytest.mark.postgres
def test_a_worker_killed_mid_delivery_repeats_at_most_the_message_in_flight(
        transactional_db, demo, smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share; CI runs PostgreSQL")
    for days in range(15, 27):
        jaakkos_meeting(demo, ended_days_ago=days)
    smtp_server.received.clear()  # the bookings' invitations went already
    worker = None

    def kill_on_the_fifth(count):
        # Before the server answers "250": the worker can never know the fifth went.
        if count == 5:
            os.kill(worker.pid, signal.SIGKILL)

    smtp_server.on_accept = kill_on_the_fifth
    # What beat starts: the sweep, which queues, then the outbox's task, which sends.
    worker = in_a_worker_process(smtp_server, "from work.tasks import deliver_outbox, "
                                              "sweep_reminders; sweep_reminders(); "
                                              "deliver_outbox()")
    assert worker.wait(timeout=60) == -signal.SIGKILL
    smtp_server.on_accept = None

    # The next sweep, once the killed worker's lease has run out.
    collect_due()
    deliver_pending()
    outbox.deliver(now=timezone.now() + LATER)

    # Jaakko's twelve (the demo's standing proposals of a health check went too).
    assert Reminder.objects.filter(state=ReminderState.SENT,
                                   kind="feedback_discussion").count() == 12
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
    reminders = OutboxMessage.objects.filter(attachment_name="")
    assert {m.message_id for m in reminders} == set(smtp_server.message_ids())
    assert len(smtp_server.received) >= 12
    assert duplicates(smtp_server) <= 1


def test_a_refused_recipient_is_parked_and_holds_up_nobody(demo, smtp_server):
    jaakkos_meeting(demo, ended_days_ago=20)
    jaakkos_meeting(demo, ended_days_ago=21, case_manager="nurse")
    refused, other = demo["typ_expert"].email, demo["nurse"].email
    smtp_server.refuse[refused] = "550 5.1.1 Mailbox unavailable"

    sweep()
    # The bell never waits for e-mail; the other reminder and invitations went.
    assert Notification.objects.filter(user=demo["typ_expert"]).count() == 1
    assert Notification.objects.filter(user=demo["nurse"]).count() == 1
    assert not Reminder.objects.filter(state=ReminderState.PENDING).exists()
    assert any("muistutus" in m.subject.lower() for m in smtp_server.to(other))
    assert smtp_server.to(refused) == []
    parked = OutboxMessage.objects.filter(to=refused)
    assert parked.count() >= 2  # the reminder and the invitations
    assert {m.state for m in parked} == {MessageState.PARKED}
    assert all(m.last_error.startswith("550") for m in parked)
    assert not OutboxMessage.objects.filter(state=MessageState.PENDING).exists()

    accepted = len(smtp_server.received)
    sweep()
    outbox.deliver(now=timezone.now() + timedelta(days=2))
    assert len(smtp_server.received) == accepted  # nothing again, to anyone


def test_a_temporary_refusal_is_tried_again_later(demo, smtp_server):
    jaakkos_meeting(demo, ended_days_ago=20)
    address = demo["typ_expert"].email
    smtp_server.refuse[address] = "451 4.3.0 Try again later"
    sweep()
    waiting = OutboxMessage.objects.filter(to=address)
    assert {m.state for m in waiting} == {MessageState.PENDING}
    assert all(m.next_attempt_at > timezone.now() and m.last_error.startswith("451")
               for m in waiting)

    del smtp_server.refuse[address]
    outbox.deliver()
    assert smtp_server.to(address) == []  # not before its time
    outbox.deliver(now=timezone.now() + LATER)
    assert len(smtp_server.to(address)) == waiting.count()
    assert set(waiting.values_list("state", flat=True)) == {MessageState.SENT}
    assert duplicates(smtp_server) == 0


def test_a_server_that_does_not_answer_loses_nothing(demo, smtp_server, settings):
    jaakkos_meeting(demo, ended_days_ago=20)
    settings.EMAIL_PORT = free_port()  # nobody listens there
    assert outbox.deliver() == 0
    waiting = OutboxMessage.objects.filter(state=MessageState.PENDING)
    assert waiting.exists() and all(m.attempts == 0 for m in waiting)

    settings.EMAIL_PORT = smtp_server.port
    sent = outbox.deliver(now=timezone.now() + LATER)
    assert sent == len(smtp_server.received) == OutboxMessage.objects.count()


def test_booking_moving_and_cancelling_work_with_the_broker_down(
        client, demo, broker_down, smtp_server, django_capture_on_commit_callbacks):
    response = book(client, demo, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(reverse("meetings:reschedule", args=[meeting.pk]), {
            "date": next_tuesday().isoformat(), "start": "13:00", "duration": "60",
            "mode": "phone", "room": "", "video_link": "", "phone_details": "Soitan"})
        cancelled = client.post(reverse("meetings:cancel", args=[meeting.pk]))
    assert (moved.status_code, cancelled.status_code) == (302, 302)
    assert smtp_server.received == []
    waiting = OutboxMessage.objects.filter(state=MessageState.PENDING)
    assert waiting.count() == 3 * 5  # request, update, cancel for the five invited

    # The broker is back: the beat's delivery sends everything, in order.
    outbox.deliver()
    subjects = [m.subject.split(":")[0] for m in smtp_server.to(demo["nurse"].email)]
    assert subjects == ["Kutsu", "Muutos", "Peruttu"]
    assert len(smtp_server.received) == 15


def test_closing_a_client_cancels_what_still_waits_about_them(demo, smtp_server):
    jaakko = Client.objects.get(first_name="Jaakko")
    sweep()  # the demo's standing proposals of a health check, about other clients, went
    smtp_server.received.clear()
    jaakkos_meeting(demo, ended_days_ago=20)
    collect_due()
    assert Reminder.objects.filter(state=ReminderState.PENDING).exists()
    assert OutboxMessage.objects.filter(client=jaakko, state=MessageState.PENDING).exists()

    close_client(client=jaakko, by=demo["typ_expert"], organisation=jaakko.organisation,
                 reason="employed", closed_on=timezone.localdate(),
                 final_discussion={"holder": demo["typ_expert"], "reviewed": "Töihin"})
    sweep()
    assert set(Reminder.objects.filter(client=jaakko).values_list("state", flat=True)) == {
        ReminderState.CANCELLED}
    assert not Notification.objects.filter(client=jaakko).exists()
    assert smtp_server.received == []
    assert set(OutboxMessage.objects.filter(client=jaakko).values_list("state", flat=True)) == {
        MessageState.CANCELLED}


def test_every_message_says_its_stable_message_id(demo, smtp_server):
    jaakkos_meeting(demo, ended_days_ago=20)
    sweep()
    assert set(smtp_server.message_ids()) == {
        m.message_id for m in OutboxMessage.objects.all()}


def test_the_administrator_sees_why_a_message_was_parked_and_sends_it_again(
        client, demo, smtp_server):
    jaakkos_meeting(demo, ended_days_ago=20)
    address = demo["typ_expert"].email
    smtp_server.refuse[address] = "550 5.1.1 Mailbox unavailable"
    sweep()
    log_in(client, demo["admin"])
    listing = client.get(reverse("admin:work_outboxmessage_changelist"),
                         {"state": "parked"}).content.decode()
    assert "550 5.1.1 Mailbox unavailable" in listing and address in listing

    del smtp_server.refuse[address]
    parked = OutboxMessage.objects.filter(state=MessageState.PARKED)
    count = parked.count()
    client.post(reverse("admin:work_outboxmessage_changelist"), {
        "action": "send_again", "_selected_action": [m.pk for m in parked]})
    outbox.deliver()
    assert len(smtp_server.to(address)) == count


def test_a_care_worker_does_not_see_the_outgoing_mail(client, demo):
    log_in(client, demo["nurse"])
    response = client.get(reverse("admin:work_outboxmessage_changelist"))
    assert response.status_code in (302, 403)


@pytest.mark.postgres
def test_two_workers_at_once_send_each_message_once(transactional_db, demo, smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; CI runs this there.")
    # Queued without a nudge: the two workers below are the only senders.
    OutboxMessage.objects.bulk_create(outbox.message(
        to=f"u{n}@tyokyky.invalid", subject="Muistutus", body="Avaa Työkyky.")
        for n in range(60))
    barrier = threading.Barrier(2)
    sent = []

    def worker():
        try:
            barrier.wait()
            sent.append(outbox.deliver(batch=5))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 60 and all(sent)
    assert len(smtp_server.received) == 60 and duplicates(smtp_server) == 0


def test_a_message_leased_but_not_yet_sent_is_not_sent_after_closing(demo, smtp_server):
    """The worker has taken the batch; the client is closed before it reaches the message."""
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakkos_meeting(demo, ended_days_ago=20)
    leased = outbox._claim(batch=100)
    assert leased
    close_client(client=jaakko, by=demo["typ_expert"], organisation=jaakko.organisation,
                 reason="employed", closed_on=timezone.localdate(),
                 final_discussion={"holder": demo["typ_expert"], "reviewed": "Töihin"})
    assert outbox._send_batch(leased) == (0, True)
    assert smtp_server.received == []


def test_a_disclosure_ban_withholds_the_invitation_still_waiting(demo, smtp_server):
    """Jaakko forbids disclosure to health care before his meeting's invitations have gone:
    the nurse's is not sent; the others' are."""
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakkos_meeting(demo, ended_days_ago=20)
    health = demo["nurse"].memberships.get().organisation
    record_disclosure_ban(client=jaakko, by=demo["typ_expert"], organisation=health)
    outbox.deliver()
    assert smtp_server.to(demo["nurse"].email) == []
    assert smtp_server.to(demo["typ_expert"].email)


def test_a_disclosure_ban_cancels_a_parked_invitation_so_it_cannot_be_sent_again(demo):
    """The nurse's invitation was refused by the server and parked; Jaakko then forbids
    disclosure to health care: the administrator's "send again" no longer applies to it."""
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakkos_meeting(demo, ended_days_ago=20)
    to_nurse = OutboxMessage.objects.filter(client=jaakko, to=demo["nurse"].email)
    to_nurse.update(state=MessageState.PARKED, last_error="550 mailbox unavailable")
    health = demo["nurse"].memberships.get().organisation
    record_disclosure_ban(client=jaakko, by=demo["typ_expert"], organisation=health)
    assert set(to_nurse.values_list("state", flat=True)) == {MessageState.CANCELLED}
