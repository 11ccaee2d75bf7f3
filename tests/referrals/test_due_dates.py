"""
Each referral due rule counted once (referrals/due.py): booking and feedback in working days
(ten, three when urgent, by default; teams/deadlines.py), the next check a year on, moved to a
working day. The worklist flag, the reminder, My work and the client page agree on the day, over
Christmas and Midsummer too.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from clients.models import CaseManagerAssignment
from referrals import check_proposals
from referrals import work as referral_work
from referrals.due import booking_due_on, feedback_due_on
from referrals.models import Referral
from referrals.services import record_health_check, send_referral
from tests.factories import ClientFactory
from work.my_work import work_for


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/Helsinki"))


def refer(world, sent_on: date, urgency="normal") -> Referral:
    with time_machine.travel(at(sent_on)):
        person = ClientFactory(organisations=[world["employment"]],
                               municipality=world["municipality"])
        return send_referral(client=person, by=world["te_expert"],
                             organisation=world["employment"], recipient=world["health"],
                             reason="other", urgency=urgency)


def check(world, referral, performed_on: date):
    with time_machine.travel(at(performed_on)):
        return record_health_check(
            referral=referral, by=world["nurse"], organisation=world["health"],
            nurse=world["nurse"], performed_on=performed_on, work_ability=5,
            nurse_view="unclear", next_steps="Lääkäri",
        )


def my_work_on(user, today: date):
    with time_machine.travel(at(today)):
        return work_for(user, today=today)


def test_feedback_ten_working_days_over_christmas_is_due_on_monday_for_flag_reminder_my_work(
    world,
):
    referral = refer(world, date(2026, 12, 1))
    check(world, referral, date(2026, 12, 10))  # a Thursday: Christmas holidays fall between
    referral = Referral.objects.select_related("health_check").get()
    detail = reverse("referrals:detail", args=[referral.pk])
    assert feedback_due_on(referral.health_check) == date(2026, 12, 28)

    assert referral_work.referral_feedback(date(2026, 12, 24)) == []
    [reminder] = referral_work.referral_feedback(date(2026, 12, 28))
    assert (reminder.due_on, reminder.user_id) == (date(2026, 12, 28), world["nurse"].pk)

    # The flag and My work's overdue list: after the due day, not before.
    assert not referral.feedback_overdue(today=date(2026, 12, 28))
    assert referral.feedback_overdue(today=date(2026, 12, 29))
    assert [item.url for item in my_work_on(world["nurse"], date(2026, 12, 28)).today] == [
        detail]
    assert [item.url for item in my_work_on(world["nurse"], date(2026, 12, 29)).overdue] == [
        detail]


def test_an_urgent_referral_three_working_days_over_christmas_is_due_on_monday(world):
    referral = refer(world, date(2026, 12, 21), urgency="urgent")  # Monday: 22, 23, then 28
    detail = reverse("referrals:detail", args=[referral.pk])
    assert booking_due_on(referral) == date(2026, 12, 28)

    assert not referral.booking_overdue(today=date(2026, 12, 28))
    assert referral.booking_overdue(today=date(2026, 12, 29))
    assert detail in [item.url for item in my_work_on(world["nurse"], date(2026, 12, 28)).today]
    assert detail in [item.url for item in
                      my_work_on(world["nurse"], date(2026, 12, 29)).overdue]


def test_the_next_check_after_midsummer_eve_is_due_on_monday_on_the_page_and_reminder(world):
    referral = refer(world, date(2025, 6, 2))
    health_check = check(world, referral, date(2025, 6, 19))  # a year on is Midsummer Eve
    CaseManagerAssignment.objects.create(
        client=health_check.client, user=world["te_expert"], organisation=world["employment"],
        assigned_by_organisation=world["employment"], started_on=date(2025, 6, 2))
    assert health_check.next_due == date(2026, 6, 22)

    assert check_proposals.health_checks(date(2026, 6, 19)) == []
    [reminder] = check_proposals.health_checks(date(2026, 6, 22))
    assert (reminder.due_on, reminder.user_id) == (date(2026, 6, 22), world["te_expert"].pk)
