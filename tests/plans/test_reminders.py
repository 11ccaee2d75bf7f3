"""
Reminders: each due item notified once, however many sweeps, workers or beat restarts; on
working days only; in-app and by e-mail without client information.
"""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from consents.services import record_consent
from plans.services import add_action, add_follow_up, create_plan, record_feedback_discussion
from tyokyky.workdays import due_after
from work.models import Notification, Reminder, ReminderKind, ReminderState
from work.reminders import collect_due, deliver_pending, sweep

from .story import discussion_url, jaakkos_meeting

HELSINKI = ZoneInfo("Europe/Helsinki")


# The demo's employment-services case managers know of no health check of their clients, so
# the first sweep proposes one for each (referrals/check_proposals.py): standing reminders of
# the world, left out of these stories about the reminders the stories make.
PROPOSALS = [ReminderKind.FIRST_HEALTH_CHECK]


def notifications():
    return Notification.objects.exclude(kind__in=PROPOSALS)


def reminders():
    return Reminder.objects.exclude(kind__in=PROPOSALS)


def reminder_mails():
    """What the sweep e-mailed besides the meetings' invitations (which carry a calendar) and
    the standing proposals (which lead to the referral form)."""
    return [message for message in mail.outbox if not message.attachments
            and "/referrals/new/?reason=" not in message.body]


def test_jaakkos_case_manager_is_reminded_once_and_then_no_more(demo, settings):
    meeting = jaakkos_meeting(demo)
    for _run in range(3):
        sweep()
    theirs = notifications().filter(user=demo["typ_expert"])
    assert theirs.count() == 1
    assert theirs.get().kind == "feedback_discussion"
    assert [m.to for m in reminder_mails()] == [["typ_expert@tyokyky.invalid"]]

    record_feedback_discussion(
        client=meeting.client, by=demo["typ_expert"],
        organisation=demo["typ_expert"].memberships.get().organisation,
        meeting=meeting, holder=demo["typ_expert"], held_on=timezone.localdate(),
        reviewed="Tavoite ja tuki käyty läpi",
    )
    sweep()
    assert notifications().count() == 1
    assert len(reminder_mails()) == 1


def test_the_email_says_nothing_about_the_client(demo):
    meeting = jaakkos_meeting(demo)
    sweep()
    [message] = reminder_mails()
    for secret in (meeting.client.first_name, meeting.client.last_name, meeting.client.hetu):
        assert secret not in message.subject + message.body
    assert discussion_url(meeting) in message.body
    assert message.subject == "Työkyvyn muistutus: Palautekeskustelu on ajankohtainen"


def test_the_email_is_in_the_recipients_language(demo):
    demo["typ_expert"].language = "sv"
    demo["typ_expert"].save()
    jaakkos_meeting(demo)
    sweep()
    assert reminder_mails()[0].subject.startswith("Påminnelse från Työkyky")


def test_a_booked_discussion_counts(demo):
    meeting = jaakkos_meeting(demo)
    record_feedback_discussion(
        client=meeting.client, by=demo["typ_expert"],
        organisation=demo["typ_expert"].memberships.get().organisation, meeting=meeting,
        holder=demo["typ_expert"], scheduled_for=timezone.now() + timedelta(days=3),
    )
    sweep()
    assert not notifications().exists()


def test_not_before_14_days_after_the_meeting(demo):
    jaakkos_meeting(demo, ended_days_ago=10)
    sweep()
    assert not reminders().exists()


def test_a_sweep_that_crashes_midway_leaves_the_reminder_for_the_next(demo, monkeypatch):
    """A worker killed mid-task: nothing half-sent, and the next sweep sends exactly once."""
    jaakkos_meeting(demo)

    def crash(*args, **kwargs):
        raise ConnectionError("the worker died here")

    monkeypatch.setattr("work.reminders._email", crash)
    with pytest.raises(ConnectionError):
        sweep()
    assert reminders().get().state == ReminderState.PENDING
    assert not notifications().exists()
    monkeypatch.undo()
    sweep()
    sweep()
    assert notifications().count() == 1
    assert len(reminder_mails()) == 1


def test_a_restarted_beat_adds_nothing_new(demo):
    jaakkos_meeting(demo)
    assert collect_due() >= 1  # the discussion's, and the world's standing proposals
    assert collect_due() == 0
    assert reminders().count() == 1


@pytest.mark.postgres
def test_two_workers_racing_deliver_each_reminder_once(transactional_db, demo):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; CI runs this there.")
    for days in range(15, 25):
        jaakkos_meeting(demo, ended_days_ago=days)
    collect_due()
    barrier = threading.Barrier(2)
    delivered = []

    def worker():
        try:
            barrier.wait()
            delivered.append(deliver_pending(batch=2))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(delivered) == Reminder.objects.count() == Notification.objects.count()
    assert notifications().count() == 10
    # The meetings' invitations went out too (committed for real); reminders have no calendar.
    assert len(reminder_mails()) == 10


def test_due_dates_skip_midsummer_and_christmas():
    assert due_after(date(2026, 6, 5), 14) == date(2026, 6, 22)    # Midsummer Eve → Monday
    assert due_after(date(2026, 12, 10), 14) == date(2026, 12, 28)  # Christmas Eve → Monday
    assert due_after(date(2026, 6, 1), 14) == date(2026, 6, 15)     # an ordinary Monday


def test_no_reminder_on_midsummer_eve_but_on_the_next_working_day(demo):
    meeting_start = timezone.make_aware(timezone.datetime(2026, 6, 5, 9, 0))
    with time_machine.travel(meeting_start - timedelta(days=30)):
        jaakkos_meeting(demo, when=meeting_start)
    for day, expected in ((19, 0), (20, 0), (21, 0), (22, 1)):
        with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 6, day, 8))):
            sweep()
        assert notifications().count() == expected, day


def test_a_plan_action_reminds_its_doer_when_due_and_again_when_overdue(demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    typ = demo["typ_expert"]
    plan = create_plan(client=jaakko, by=typ, organisation=typ.memberships.get().organisation,
                       case_managers=[typ], short_term_goals="Työkokeilu")
    add_action(plan=plan, by=typ, what="Hae työkokeilupaikka", responsible=demo["nurse"],
               due_on=timezone.localdate())
    sweep()
    assert list(notifications().values_list("user__username", "stage")) == [
        ("nurse", "due")]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        sweep()
    assert sorted(notifications().values_list("stage", flat=True)) == ["due", "overdue"]


def test_a_follow_up_date_reminds_the_case_managers(demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    typ = demo["typ_expert"]
    plan = create_plan(client=jaakko, by=typ, organisation=typ.memberships.get().organisation,
                       case_managers=[typ], short_term_goals="Työkokeilu")
    add_follow_up(plan=plan, by=typ, due_on=timezone.localdate() + timedelta(days=1))
    sweep()
    assert not notifications().exists()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        sweep()
    assert notifications().get().user == typ


def test_the_health_check_a_year_later(demo):
    from referrals.services import record_health_check, send_referral

    tiina = Client.objects.get(first_name="Tiina")
    health = demo["nurse"].memberships.get().organisation
    employment = demo["te_expert"].memberships.get().organisation
    referral = send_referral(client=tiina, by=demo["te_expert"], organisation=employment,
                             recipient=health, reason="other", urgency="normal")
    record_health_check(referral=referral, by=demo["nurse"], organisation=health,
                        nurse=demo["nurse"], performed_on=timezone.localdate(),
                        work_ability=6, nurse_view="unemployed", next_steps="Uravalmennus")
    kinds = lambda: set(notifications().values_list("kind", flat=True))  # noqa: E731
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        sweep()
    assert kinds() == {"referral_feedback"}  # no feedback two weeks after the check
    with time_machine.travel(timezone.now() + timedelta(days=370)):
        sweep()
    # Proposed to employment services, whose trigger it is: Tiina's TE case manager, one click
    # from the referral form; her own nurse is not asked to refer.
    proposal = notifications().get(kind="health_check")
    assert proposal.user == demo["te_expert"]
    assert proposal.url == reverse("referrals:create", args=[tiina.pk]) + (
        "?reason=year_since_check")


def test_a_consent_about_to_expire_reminds_who_recorded_it(demo):
    tiina = Client.objects.get(first_name="Tiina")
    kela = demo["kela_expert"].memberships.get().organisation
    # An ordinary Monday, ending on a Wednesday: the warning, 30 days before, is on a Monday
    # (consents/due.py; the weekend and holiday cases are tests/consents/test_due_dates.py).
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=HELSINKI)):
        today = timezone.localdate()
        record_consent(client=tiina, by=demo["nurse"], categories=["health"],
                       organisations=[kela], purpose="Kuntoutus", method="written",
                       valid_from=today, valid_until=today + timedelta(days=44))
        sweep()
    assert not notifications().exists()
    with time_machine.travel(datetime(2027, 3, 16, 9, tzinfo=HELSINKI)):
        sweep()
    assert notifications().get().kind == "consent_expiring"


def test_closed_clients_get_no_reminders(demo):
    meeting = jaakkos_meeting(demo)
    meeting.client.status = "closed"
    meeting.client.save()
    sweep()
    assert not reminders().exists()


def test_the_bell_counts_unread_and_opening_marks_read(client, demo):
    from tests.utils import log_in

    jaakkos_meeting(demo)
    sweep()
    log_in(client, demo["typ_expert"])
    page = client.get(reverse("work:notifications")).content.decode()
    assert "1<span class=\"visually-hidden\"> lukematonta" in page.replace("\n", "")
    notification = notifications().get()
    response = client.post(reverse("work:notification_open", args=[notification.pk]))
    assert response.url == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
