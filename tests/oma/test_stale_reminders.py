"""
A reminder that waited in the outbox (the mail server and the SMS gateway were down) is not
sent if its appointment was cancelled or moved meanwhile: the outbox asks oma, just before
sending, whether the appointment is still booked for that time (oma/reminders.py
`stale_reason`), and cancels the row if not. Over a real SMTP server and a real HTTP SMS
gateway, both running in the test.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from clients.models import Client
from meetings.services import cancel_meeting, reschedule_meeting
from oma.reminders import queue_reminders
from plans.services import record_feedback_discussion
from referrals.services import cancel_referral
from tests import test_sms as sms_tests
from tests.mailserver import free_port
from tests.oma import test_client_reminders as base
from tests.oma.test_client_reminders import ADDRESS, at, her_health_check, her_meeting, reminder_day
from tyokyky.workdays import next_working_day
from work import outbox
from work.models import MessageState, OutboxMessage

LATER = timedelta(hours=1)  # past any lease and the first backoffs
STALE = "appointment cancelled or moved"

# The fixtures of the reminders' own tests, and the real HTTP SMS gateway of the SMS tests.
day, tiina, gateway = base.day, base.tiina, sms_tests.gateway


@pytest.fixture
def servers(settings, smtp_server, gateway):
    """The mail server and the SMS gateway, first down (`down()`), then up again (`up()`)."""

    class Servers:
        mail, sms = smtp_server, gateway

        @staticmethod
        def down():
            settings.EMAIL_PORT = free_port()  # nobody listens there
            gateway.answers = [503]

        @staticmethod
        def up():
            settings.EMAIL_PORT = smtp_server.port
            gateway.answers = [202]

    return Servers


def reminders(kind=""):
    return OutboxMessage.objects.filter(key__startswith=f"client-reminder:{kind}")


def queued_while_down(servers, now):
    """The reminders are queued, and their first delivery fails: they wait for a retry."""
    queued = queue_reminders(now)
    servers.down()
    assert outbox.deliver() == 0
    assert set(reminders().values_list("state", flat=True)) == {MessageState.PENDING}
    servers.up()
    return queued


def texts_to_tiina(servers):
    return [request for request in servers.sms.requests if "+358401234567" in request["body"]]


def test_a_cancelled_meeting_s_waiting_reminders_are_cancelled_not_sent(
        demo, tiina, day, servers):
    meeting = her_meeting(demo, tiina, day)
    assert queued_while_down(servers, reminder_day(day) + timedelta(minutes=5)) == 2
    tried = len(texts_to_tiina(servers))
    cancel_meeting(meeting=meeting, by=demo["coordinator"])
    outbox.deliver(now=timezone.now() + LATER)
    assert servers.mail.to(ADDRESS) == []
    assert len(texts_to_tiina(servers)) == tried  # the gateway was not asked again
    for row in reminders():
        assert (row.state, row.last_error) == (MessageState.CANCELLED, STALE)
        assert row.sent_at is None
    # Nor does a later sweep or delivery bring it back.
    assert queue_reminders(reminder_day(day) + timedelta(minutes=10)) == 0
    outbox.deliver(now=timezone.now() + 2 * LATER)
    assert servers.mail.to(ADDRESS) == []


def test_a_moved_discussion_is_reminded_of_its_new_time_only_and_the_meeting_untouched(
        demo, tiina, day, servers):
    meeting = her_meeting(demo, tiina, day)
    expert = demo["te_expert"]
    book = {"client": tiina, "by": expert, "holder": expert, "meeting": meeting,
            "organisation": expert.memberships.get().organisation}
    record_feedback_discussion(**book, scheduled_for=at(day, 13))
    assert queued_while_down(servers, reminder_day(day) + timedelta(minutes=5)) == 4
    later = next_working_day(day + timedelta(days=1))
    record_feedback_discussion(**book, scheduled_for=at(later, 14))

    outbox.deliver(now=timezone.now() + LATER)
    assert {row.state for row in reminders("meeting")} == {MessageState.SENT}
    assert {(row.state, row.last_error) for row in reminders("discussion")} == {
        (MessageState.CANCELLED, STALE)}
    old_date = f"{day.day}.{day.month}.{day.year}"
    assert [old_date in m.body for m in servers.mail.to(ADDRESS)] == [True]

    # The sweep on the new time's reminder day queues the new time's reminders: they go.
    assert queue_reminders(reminder_day(later) + timedelta(minutes=5)) == 2
    assert outbox.deliver(now=timezone.now() + 2 * LATER) == 2
    new = reminders("discussion").filter(state=MessageState.SENT)
    assert new.count() == 2
    new_date = f"{later.day}.{later.month}.{later.year}"
    assert all(new_date in row.body for row in new)
    emails = servers.mail.to(ADDRESS)
    assert len(emails) == 2 and new_date in emails[-1].body
    assert new_date in texts_to_tiina(servers)[-1]["body"]


def test_an_untouched_appointment_s_waiting_reminders_are_sent(demo, tiina, day, servers):
    her_meeting(demo, tiina, day)
    queued_while_down(servers, reminder_day(day) + timedelta(minutes=5))
    outbox.deliver(now=timezone.now() + LATER)
    assert {row.state for row in reminders()} == {MessageState.SENT}
    assert len(servers.mail.to(ADDRESS)) == 1
    assert servers.sms.requests[-1]["body"].count("+358401234567") == 1


def test_a_cancelled_health_check_s_waiting_reminders_are_not_sent(demo, tiina, day, servers):
    referral = her_health_check(demo, tiina, day)
    queued_while_down(servers, reminder_day(day) + timedelta(minutes=5))
    cancel_referral(referral=referral, by=demo["nurse"], reason="Asiakas perui.")
    assert outbox.deliver(now=timezone.now() + LATER) == 0
    assert {(row.state, row.last_error) for row in reminders()} == {
        (MessageState.CANCELLED, STALE)}
    assert servers.mail.to(ADDRESS) == []


def test_a_client_closed_meanwhile_gets_no_waiting_reminder(demo, tiina, day, servers):
    her_meeting(demo, tiina, day)
    queued_while_down(servers, reminder_day(day) + timedelta(minutes=5))
    Client.objects.filter(pk=tiina.pk).update(status="closed")  # without the closing service
    outbox.deliver(now=timezone.now() + LATER)
    assert servers.mail.to(ADDRESS) == []
    assert {(row.state, row.last_error) for row in reminders()} == {
        (MessageState.CANCELLED, "client closed")}


def test_other_messages_go_as_before_and_a_forged_reminder_key_is_not_sent(
        db, tiina, servers):
    outbox.enqueue([
        outbox.message(to="someone@example.invalid", subject="s", body="b"),
        outbox.message(to="keyed@example.invalid", subject="s", body="b", key="invite:1"),
        outbox.message(to=ADDRESS, subject="s", body="b", client_id=tiina.pk,
                       key="client-reminder:meeting:nope:x:email"),
    ])
    assert outbox.deliver() == 2
    assert [m.to for m in servers.mail.received] == [["someone@example.invalid"],
                                                     ["keyed@example.invalid"]]
    forged = OutboxMessage.objects.get(to=ADDRESS)
    assert forged.state == MessageState.CANCELLED
    assert forged.attempts == 0


def test_a_rescheduled_meeting_s_waiting_reminders_are_not_sent(demo, tiina, day, servers):
    meeting = her_meeting(demo, tiina, day)
    queued_while_down(servers, reminder_day(day) + timedelta(minutes=5))
    later = next_working_day(day + timedelta(days=1))
    reschedule_meeting(meeting=meeting, by=demo["coordinator"], starts_at=at(later, 10),
                       ends_at=at(later, 11), mode=meeting.mode,
                       phone_details=meeting.phone_details)
    outbox.deliver(now=timezone.now() + LATER)
    assert servers.mail.to(ADDRESS) == []
    assert {(row.state, row.last_error) for row in reminders()} == {
        (MessageState.CANCELLED, STALE)}


def test_a_reminder_to_an_address_corrected_meanwhile_is_not_sent(demo, tiina, day, servers):
    """The old address or number may be someone else's now: nothing goes to it."""
    her_meeting(demo, tiina, day)
    queued_while_down(servers, reminder_day(day) + timedelta(minutes=5))
    Client.objects.filter(pk=tiina.pk).update(email="uusi.osoite@example.invalid",
                                              phone="040 999 8877")
    outbox.deliver(now=timezone.now() + LATER)
    assert servers.mail.to(ADDRESS) == []
    assert {(row.state, row.last_error) for row in reminders()} == {
        (MessageState.CANCELLED, "recipient changed")}
