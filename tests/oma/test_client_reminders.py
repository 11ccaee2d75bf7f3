"""
Tiina is reminded of her coming appointments — her team meeting, her feedback discussion and
her health check — by e-mail and SMS, in her language, on the working day before, once however
often the sweep runs, and with nothing in the message but the time and where to look.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clients.models import Client
from meetings.models import Answer, MeetingParticipant, MeetingStatus, ParticipantKind
from meetings.services import book_meeting
from oma.due import client_reminder_from
from oma.reminders import queue_reminders
from oma.tasks import sweep_client_reminders
from plans.services import record_feedback_discussion
from referrals.services import start_self_referral
from teams.models import Team, User
from tests.stories import AGENDA, ALL_MARKERS, PHONE_DETAILS
from tyokyky.workdays import next_working_day
from work import outbox
from work.models import Channel, MessageState, OutboxMessage

ADDRESS = "tiina.leinonen@example.invalid"
FINNISH = ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai"]
SWEDISH = ["måndag", "tisdag", "onsdag", "torsdag", "fredag"]


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def day():
    """A working day far enough ahead that its reminder day is still to come."""
    return next_working_day(timezone.localdate() + timedelta(days=8))


@pytest.fixture
def tiina(story):
    tiina = story.tiina
    tiina.email, tiina.phone = ADDRESS, "040 123 4567"
    tiina.save()
    return tiina


def her_meeting(demo, tiina, day):
    coordinator = demo["coordinator"]
    return book_meeting(
        client=tiina, team=Team.objects.get(), by=coordinator,
        organisation=coordinator.memberships.get().organisation, starts_at=at(day, 10),
        ends_at=at(day, 11), mode="phone", phone_details=PHONE_DETAILS, agenda=AGENDA,
        users=[demo["nurse"], demo["te_expert"]])


def her_discussion(demo, tiina, day):
    expert = demo["te_expert"]
    return record_feedback_discussion(
        client=tiina, by=expert, organisation=expert.memberships.get().organisation,
        holder=expert, scheduled_for=at(day, 13))


def her_health_check(demo, tiina, day):
    nurse = demo["nurse"]
    return start_self_referral(client=tiina, by=nurse,
                               organisation=nurse.memberships.get().organisation,
                               booked_for=at(day, 15))


@pytest.fixture
def appointments(demo, tiina, day):
    return (her_meeting(demo, tiina, day), her_discussion(demo, tiina, day),
            her_health_check(demo, tiina, day))


def reminder_day(day):
    return client_reminder_from(at(day, 10))


def hers():
    return OutboxMessage.objects.filter(key__startswith="client-reminder:",
                                        client__first_name="Tiina")


def test_the_rule_is_the_working_day_before_from_nine():
    monday = date(2026, 12, 7)
    assert client_reminder_from(at(monday, 10)) == at(date(2026, 12, 4), 9)  # Friday
    # Easter 2027: Good Friday 26.3. and Easter Monday 29.3. are days off.
    assert client_reminder_from(at(date(2027, 3, 30), 8)) == at(date(2027, 3, 25), 9)


def test_each_appointment_is_reminded_once_by_email_and_sms_however_often_the_sweep_runs(
        appointments, day):
    now = reminder_day(day) + timedelta(minutes=5)
    assert queue_reminders(now) == 6
    assert queue_reminders(now) == 0
    assert queue_reminders(now + timedelta(hours=3)) == 0
    messages = hers()
    assert sorted(messages.values_list("channel", flat=True)) == [Channel.EMAIL] * 3 + [
        Channel.SMS] * 3
    assert {m.to for m in messages if m.channel == Channel.SMS} == {"+358401234567"}
    assert {m.to for m in messages if m.channel == Channel.EMAIL} == {ADDRESS}
    # To the client themself: work/admin.py masks their address and number.
    assert all(message.to_client for message in messages)


def test_nothing_is_reminded_before_the_reminder_day_nor_after_the_start(appointments, day):
    assert queue_reminders(reminder_day(day) - timedelta(minutes=1)) == 0
    assert queue_reminders(at(day, 16)) == 0  # all three have started
    assert not hers().exists()


def test_the_task_beat_runs_queues_the_reminders(appointments, day, time_machine):
    assert settings.CELERY_BEAT_SCHEDULE["sweep-client-reminders"]["task"] == (
        "oma.tasks.sweep_client_reminders")
    time_machine.move_to(reminder_day(day) + timedelta(hours=1), tick=False)
    assert sweep_client_reminders.delay().get() == 6


def test_the_email_reaches_the_client_over_smtp_without_anything_sensitive(
        appointments, day, demo, smtp_server):
    queue_reminders(reminder_day(day) + timedelta(minutes=5))
    outbox.deliver()
    received = smtp_server.to(ADDRESS)
    assert len(received) == 3
    texts = [m.subject + m.body for m in received] + [m.body for m in hers().filter(
        channel=Channel.SMS)]
    assert set(hers().values_list("state", flat=True)) == {MessageState.SENT}
    staff_names = {part for user in User.objects.all()
                   for part in (user.first_name, user.last_name) if part}
    organisations = {m.organisation.name for user in User.objects.all()
                     for m in user.memberships.all()}
    for text in texts:
        assert f"{day.day}.{day.month}.{day.year}" in text
        assert f"{settings.SITE_URL}/oma/" in text
        for forbidden in [*ALL_MARKERS, *staff_names, *organisations, "Tiina", "Leinonen",
                          "terveys", "Terveys", "lääkär", "health", "Health"]:
            assert forbidden not in text
    assert all(FINNISH[day.weekday()] in m.body for m in received)


def test_a_swedish_speaking_client_is_reminded_in_swedish(appointments, day, tiina):
    tiina.language = "sv"
    tiina.save()
    queue_reminders(reminder_day(day) + timedelta(minutes=5))
    messages = hers()
    assert len(messages) == 6
    for message in messages:  # the weekday as Django's own Swedish catalogue names it
        assert SWEDISH[day.weekday()] in message.body
        assert FINNISH[day.weekday()] not in message.body


def test_a_finnish_speaking_client_is_reminded_in_finnish(appointments, day):
    queue_reminders(reminder_day(day) + timedelta(minutes=5))
    assert all(FINNISH[day.weekday()] in message.body for message in hers())


def test_a_closed_client_gets_no_reminders(appointments, day, tiina):
    Client.objects.filter(pk=tiina.pk).update(status="closed")
    assert queue_reminders(reminder_day(day) + timedelta(minutes=5)) == 0


def test_a_client_without_address_or_mobile_number_gets_only_what_reaches_them(
        appointments, day, tiina):
    tiina.email, tiina.phone = "", "ei puhelinta"
    tiina.save()
    assert queue_reminders(reminder_day(day) + timedelta(minutes=5)) == 0


def test_a_cancelled_meeting_a_declined_one_and_a_held_discussion_are_not_reminded(
        demo, tiina, day):
    meeting = her_meeting(demo, tiina, day)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    other = her_meeting(demo, tiina, day + timedelta(days=7))
    MeetingParticipant.objects.filter(meeting=other, kind=ParticipantKind.CLIENT).update(
        answer=Answer.DECLINED)
    discussion = her_discussion(demo, tiina, day)
    discussion.held_on = timezone.localdate()
    discussion.save()
    assert queue_reminders(reminder_day(day) + timedelta(minutes=5)) == 0
    assert queue_reminders(reminder_day(day + timedelta(days=7)) + timedelta(minutes=5)) == 0


def test_a_moved_appointment_is_reminded_of_its_new_time(demo, tiina, day):
    meeting = her_meeting(demo, tiina, day)
    assert queue_reminders(reminder_day(day) + timedelta(minutes=5)) == 2
    later = next_working_day(day + timedelta(days=1))
    meeting.starts_at, meeting.ends_at = at(later, 10), at(later, 11)
    meeting.save()
    assert queue_reminders(reminder_day(later) + timedelta(minutes=5)) == 2
    assert hers().count() == 4


def test_nothing_is_queued_when_the_transaction_rolls_back(appointments, day):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_reminders(reminder_day(day) + timedelta(minutes=5))
        raise RuntimeError("the sweep's worker died")
    assert not hers().exists()
    assert queue_reminders(reminder_day(day) + timedelta(minutes=5)) == 6


def test_two_sweeps_racing_still_queue_each_message_once(appointments, day, monkeypatch):
    """The second sweep did not see the first's rows (both read before either committed): the
    outbox's unique key keeps the second's copies out."""
    now = reminder_day(day) + timedelta(minutes=5)
    queue_reminders(now)
    monkeypatch.setattr("oma.reminders._queued_keys", lambda appointments: set())
    queue_reminders(now)
    assert hers().count() == 6

