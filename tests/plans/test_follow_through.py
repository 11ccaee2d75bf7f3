"""
Issue 16: what Petri's team meeting decides is followed through. A feedback-discussion time
agreed in the meeting books the discussion for its holder and replaces the two-week reminder;
a booked discussion not recorded as held reminds its holder again; who follows up gets the
follow-up dates and their reminders, on their own organisation's plan — or, while it has none,
from the decision itself until the plan is written. Everything through the views; the
reminders through the sweep.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from meetings.models import Meeting
from plans.due import decided_follow_up_due_on
from plans.models import FeedbackDiscussion, FollowUp, SupportPlan
from tests.meetings.meeting_steps import book
from tests.utils import log_in
from tyokyky.workdays import add_working_days
from work.models import Notification, ReminderKind
from work.reminders import sweep

# Markers of what only the TE organisation wrote: the follow-up person of another organisation
# must not read them.
TE_PLAN_GOAL = "Rakennusalan-uudelleenkoulutus-TE-MERKKI"


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


def local(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def held_meeting(client, demo, capture, **decisions):
    """Petri's meeting booked by the coordinator, and its decisions recorded an hour after its
    start through the decisions page: TE's Tuomas the case manager."""
    book(client, demo, capture)
    meeting = Meeting.objects.get()
    with time_machine.travel(meeting.starts_at + timedelta(hours=1), tick=False):
        log_in(client, demo["coordinator"])
        response = client.post(reverse("meetings:decisions", args=[meeting.pk]), {
            "minutes": "Käytiin läpi tilanne", "realistic_goal": "Ammatinvaihto",
            "case_managers": [demo["te_expert"].pk], **decisions})
    assert response.status_code == 302, response.content.decode()[:2000]
    return meeting


def agreed_time(starts_at, days=7):
    """`days` (a week) after the meeting starting at `starts_at`, at 13.00."""
    return local(timezone.localdate(starts_at) + timedelta(days=days), 13)


def form_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).exclude(
        kind=ReminderKind.FIRST_HEALTH_CHECK).values_list("kind", flat=True))


def my_work_labels(client, user) -> list[str]:
    log_in(client, user)
    work = client.get(reverse("home")).context["work"]
    return [item.label for item in [*work.overdue, *work.today, *work.week]]


def test_a_time_agreed_in_the_meeting_books_the_discussion_instead_of_the_reminder(
        client, demo, petri, django_capture_on_commit_callbacks):
    booked = agreed_time(meeting_time(demo), days=25)
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           feedback_discussion_holder=demo["te_expert"].pk,
                           feedback_discussion_at=form_time(booked))
    discussion = FeedbackDiscussion.objects.get(meeting=meeting)
    assert discussion.scheduled_for == booked
    assert discussion.holder == demo["te_expert"]
    assert discussion.held_on is None
    # The holder's organisation's record: Tuomas records it held.
    assert discussion.organisation == demo["te_expert"].memberships.get().organisation
    # Three weeks on the two-week reminder would have come; the booking replaced it, and the
    # booked time has not yet come.
    with time_machine.travel(meeting.starts_at + timedelta(days=21), tick=False):
        sweep()
        assert kinds_of(demo["te_expert"]) == []
        assert str(ReminderKind.FEEDBACK_DISCUSSION.label) not in my_work_labels(
            client, demo["te_expert"])


def meeting_time(demo):
    """When `book` puts Petri's meeting: next Tuesday at 10.00 (tests/meetings)."""
    from tests.meetings.meeting_steps import next_tuesday

    return local(next_tuesday(), 10)


def test_without_an_agreed_time_the_two_week_reminder_still_comes(
        client, demo, petri, django_capture_on_commit_callbacks):
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           feedback_discussion_holder=demo["te_expert"].pk)
    assert not FeedbackDiscussion.objects.exists()
    with time_machine.travel(meeting.starts_at + timedelta(days=21), tick=False):
        sweep()
    assert kinds_of(demo["te_expert"]) == ["feedback_discussion"]


def test_a_booked_discussion_not_held_reminds_its_holder_the_next_working_day_once(
        client, demo, petri, django_capture_on_commit_callbacks):
    booked = agreed_time(meeting_time(demo))
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           feedback_discussion_holder=demo["te_expert"].pk,
                           feedback_discussion_at=form_time(booked))
    label = str(ReminderKind.DISCUSSION_NOT_HELD.label)
    with time_machine.travel(booked + timedelta(hours=5), tick=False):  # that evening
        sweep()
        assert kinds_of(demo["te_expert"]) == []
        assert label not in my_work_labels(client, demo["te_expert"])
    next_day = local(add_working_days(timezone.localdate(booked), 1), 8)
    with time_machine.travel(next_day, tick=False):
        for _run in range(3):
            sweep()
        assert kinds_of(demo["te_expert"]) == ["discussion_not_held"]
        notification = Notification.objects.get(user=demo["te_expert"],
                                                kind="discussion_not_held")
        assert notification.url == (f"{reverse('plans:discussion_create', args=[petri.pk])}"
                                    f"?meeting={meeting.pk}")
        assert label in my_work_labels(client, demo["te_expert"])
        # Tuomas records it held from the reminder's form: nothing more is due.
        response = client.post(notification.url, {
            "meeting": meeting.pk, "holder": demo["te_expert"].pk,
            "held_on": timezone.localdate().isoformat(), "client_present": "on",
            "reviewed": "Tavoite ja tuki käyty läpi"})
        assert response.status_code == 302
        assert FeedbackDiscussion.objects.get().held_on == timezone.localdate()
        assert label not in my_work_labels(client, demo["te_expert"])
        sweep()
    assert kinds_of(demo["te_expert"]) == ["discussion_not_held"]
    for message in mail.outbox:
        for secret in (petri.first_name, petri.last_name, petri.hetu):
            assert secret not in message.subject + message.body


def test_a_discussion_booked_again_reminds_again_when_that_time_passes(
        client, demo, petri, django_capture_on_commit_callbacks):
    booked = agreed_time(meeting_time(demo))
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           feedback_discussion_holder=demo["te_expert"].pk,
                           feedback_discussion_at=form_time(booked))
    url = f"{reverse('plans:discussion_create', args=[petri.pk])}?meeting={meeting.pk}"
    again = booked + timedelta(days=7)
    with time_machine.travel(booked + timedelta(days=2), tick=False):
        sweep()
        log_in(client, demo["te_expert"])
        response = client.post(url, {"meeting": meeting.pk, "holder": demo["te_expert"].pk,
                                     "scheduled_for": form_time(again), "client_present": "on"})
        assert response.status_code == 302
    with time_machine.travel(again + timedelta(days=2), tick=False):
        sweep()
    assert kinds_of(demo["te_expert"]) == ["discussion_not_held", "discussion_not_held"]


def test_the_follow_up_person_gets_the_dates_on_their_plan_and_the_reminders(
        client, demo, petri, django_capture_on_commit_callbacks):
    log_in(client, demo["te_expert"])
    response = client.post(reverse("plans:plan_edit", args=[petri.pk]), {
        "short_term_goals": TE_PLAN_GOAL, "follow_up_weeks": "6",
        "case_managers": [demo["te_expert"].pk, demo["coordinator"].pk]})
    assert response.status_code == 302
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           follow_up="Soitto kuukauden päästä", follow_up_by=demo["te_expert"].pk)
    due_on = decided_follow_up_due_on(timezone.localdate(meeting.starts_at))
    follow_up = FollowUp.objects.get()
    assert (follow_up.plan, follow_up.responsible, follow_up.due_on) == (
        SupportPlan.objects.get(), demo["te_expert"], due_on)
    log_in(client, demo["te_expert"])
    page = client.get(reverse("plans:plan", args=[petri.pk])).content.decode()
    assert f"{due_on.day}.{due_on.month}.{due_on.year}" in page
    assert str(demo["te_expert"]) in page
    with time_machine.travel(local(due_on, 8), tick=False):
        sweep()
        # To the person the meeting named, not to every case manager of the plan.
        assert kinds_of(demo["te_expert"]).count("follow_up") == 1
        assert "follow_up" not in kinds_of(demo["coordinator"])
        # Recording it done sets the next date, Tuomas's too.
        log_in(client, demo["te_expert"])
        client.post(reverse("plans:follow_up_done", args=[follow_up.pk]), {"notes": "Soitettu"})
    follow_up, following = FollowUp.objects.order_by("due_on")
    assert follow_up.done_on is not None
    assert following.responsible == demo["te_expert"] and following.due_on > due_on


def test_saving_the_decisions_again_moves_the_follow_up_to_the_person_named_now(
        client, demo, petri, django_capture_on_commit_callbacks):
    log_in(client, demo["te_expert"])
    client.post(reverse("plans:plan_edit", args=[petri.pk]), {
        "short_term_goals": TE_PLAN_GOAL, "case_managers": [demo["te_expert"].pk]})
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           follow_up="Soitto", follow_up_by=demo["te_expert"].pk)
    assert FollowUp.objects.get().responsible == demo["te_expert"]
    with time_machine.travel(meeting.starts_at + timedelta(hours=2), tick=False):
        log_in(client, demo["coordinator"])
        client.post(reverse("meetings:decisions", args=[meeting.pk]), {
            "minutes": "Käytiin läpi tilanne", "realistic_goal": "Ammatinvaihto",
            "case_managers": [demo["te_expert"].pk], "follow_up": "Soitto",
            "follow_up_by": demo["kela_expert"].pk})
    # Kela has no plan of its own: the follow-up waits in the decision for Kela's plan.
    assert not FollowUp.objects.exists()


def test_without_a_plan_the_follow_up_person_is_reminded_and_their_plan_takes_it_on(
        client, demo, petri, django_capture_on_commit_callbacks):
    log_in(client, demo["te_expert"])
    client.post(reverse("plans:plan_edit", args=[petri.pk]), {
        "short_term_goals": TE_PLAN_GOAL, "case_managers": [demo["te_expert"].pk]})
    kela = demo["kela_expert"]
    meeting = held_meeting(client, demo, django_capture_on_commit_callbacks,
                           follow_up="Kuntoutuksen seuranta", follow_up_by=kela.pk)
    assert not FollowUp.objects.exists()  # not on TE's plan: Kela follows up
    due_on = decided_follow_up_due_on(timezone.localdate(meeting.starts_at))
    label = str(ReminderKind.DECIDED_FOLLOW_UP.label)
    with time_machine.travel(local(due_on, 8), tick=False):
        sweep()
        sweep()
        assert kinds_of(kela) == ["decided_follow_up"]
        assert kinds_of(demo["te_expert"]).count("follow_up") == 0
        notification = Notification.objects.get(user=kela, kind="decided_follow_up")
        assert notification.url == reverse("plans:plan", args=[petri.pk])
        assert label in my_work_labels(client, kela)
        # The link leads Kela to Petri's plan page: TE's plan is not Kela's to read.
        page = client.get(notification.url)
        assert page.status_code == 200
        assert TE_PLAN_GOAL not in page.content.decode()
        # Kela writes its own plan: the agreed follow-up goes into it, Kela following up.
        response = client.post(reverse("plans:plan_edit", args=[petri.pk]), {
            "short_term_goals": "Kelan kuntoutuskurssi", "case_managers": [kela.pk]})
        assert response.status_code == 302
        follow_up = FollowUp.objects.get()
        assert follow_up.plan.organisation == kela.memberships.get().organisation
        assert (follow_up.responsible, follow_up.due_on) == (kela, due_on)
        assert label not in my_work_labels(client, kela)
    for message in mail.outbox:
        for secret in (petri.first_name, petri.last_name, petri.hetu, TE_PLAN_GOAL):
            assert secret not in message.subject + message.body
