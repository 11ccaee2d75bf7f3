"""
Issue 16: the meeting's decisions are recorded only from its start; the client's interpreter
need shows when booking, is stored with the meeting as booked or not ("Tulkki puuttuu"), and
the staff's invitations say the interpreter's language.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from clients.models import Client
from meetings.models import Meeting, MeetingDecision
from tests.utils import log_in

from .meeting_steps import book

# Markers of the page, whatever the language: the refusal names the start's time, the warning
# ("Tulkki puuttuu") has its own id.
MISSING = 'id="interpreter-missing"'


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


@pytest.fixture
def petri_needs_interpreter(petri):
    Client.objects.filter(pk=petri.pk).update(interpreter_language="arabia")
    petri.refresh_from_db()
    return petri


def decision_data(demo):
    return {"minutes": "Käytiin läpi tilanne", "realistic_goal": "Ammatinvaihto",
            "case_managers": [demo["te_expert"].pk], "doctor": demo["doctor"].pk}


def test_decisions_are_refused_before_the_meeting_starts(client, demo, petri,
                                                         django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    url = reverse("meetings:decisions", args=[meeting.pk])
    case_managers = set(petri.case_manager_assignments.current().values_list("user", flat=True))
    with time_machine.travel(meeting.starts_at - timedelta(minutes=1)):
        log_in(client, demo["coordinator"])
        page = client.get(url)
        assert page.status_code == 200
        content = page.content.decode()
        assert page.context["not_yet"] in content
        assert "10.00" in page.context["not_yet"]  # the start in Helsinki time
        assert 'name="realistic_goal"' not in content  # no form to fill in
        detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert f'href="{url}"' not in detail
        response = client.post(url, decision_data(demo))
        assert response.context["not_yet"] in response.content.decode()
    assert not MeetingDecision.objects.exists()
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    assert set(petri.case_manager_assignments.current().values_list("user", flat=True)) == (
        case_managers)
    assert demo["coordinator"].pk in case_managers  # the decisions would have ended this


@pytest.mark.parametrize("after", [timedelta(0), timedelta(hours=3)])
def test_decisions_are_recorded_from_the_start(client, demo, petri, after,
                                               django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    url = reverse("meetings:decisions", args=[meeting.pk])
    with time_machine.travel(meeting.starts_at + after, tick=False):
        log_in(client, demo["coordinator"])
        detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert f'href="{url}"' in detail
        page = client.get(url)
        assert 'name="realistic_goal"' in page.content.decode()
        assert "not_yet" not in page.context
        assert client.post(url, decision_data(demo)).status_code == 302
    assert MeetingDecision.objects.get().realistic_goal == "Ammatinvaihto"


def test_the_rule_is_the_meetings_start(demo, petri, client,
                                        django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    assert not meeting.decisions_open(meeting.starts_at - timedelta(seconds=1))
    assert meeting.decisions_open(meeting.starts_at)
    assert meeting.starts_at.utcoffset() is not None  # aware, not naive Helsinki time


def test_the_booking_page_shows_the_interpreter_need(client, demo, petri_needs_interpreter):
    log_in(client, demo["coordinator"])
    content = client.get(reverse("meetings:book", args=[petri_needs_interpreter.pk])
                         ).content.decode()
    assert 'id="interpreter-need"' in content and "arabia" in content
    assert 'name="interpreter_booked"' in content


def test_a_booked_interpreter_is_stored(client, demo, petri_needs_interpreter,
                                        django_capture_on_commit_callbacks):
    response = book(client, demo, django_capture_on_commit_callbacks,
                    person=petri_needs_interpreter, interpreter_booked="on")
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.interpreter_booked
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert MISSING not in detail
    assert "arabia" in detail


def test_without_the_interpreter_the_meeting_is_booked_with_a_warning(
        client, demo, petri_needs_interpreter, django_capture_on_commit_callbacks):
    response = book(client, demo, django_capture_on_commit_callbacks,
                    person=petri_needs_interpreter)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert not meeting.interpreter_booked
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert MISSING in detail
    # Marked booked when moving the meeting, the warning goes.
    reschedule = reverse("meetings:reschedule", args=[meeting.pk])
    assert 'id="interpreter-need"' in client.get(reschedule).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reschedule, {
            "date": (meeting.starts_at + timedelta(days=7)).date().isoformat(),
            "start": "10:00", "duration": "90", "mode": "phone", "room": "",
            "video_link": "", "phone_details": "", "interpreter_booked": "on"})
    assert response.status_code == 302
    assert Meeting.objects.get().interpreter_booked
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert MISSING not in detail


def test_a_client_without_interpreter_need_shows_no_warning(client, demo, petri,
                                                            django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert MISSING not in detail
    assert 'id="interpreter-need"' not in client.get(
        reverse("meetings:book", args=[petri.pk])).content.decode()


def test_the_staff_invitation_names_the_interpreters_language(
        client, demo, petri_needs_interpreter, django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks, person=petri_needs_interpreter)
    bodies = {message.to[0]: message for message in mail.outbox}
    coordinators = bodies["coordinator@tyokyky.invalid"]
    assert "arabia" in coordinators.body
    assert "arabia" not in coordinators.subject
    assert "arabia" not in coordinators.attachments[0][1]  # not in the calendar file
    # The occupational therapist from outside Työkyky is not told.
    assert "arabia" not in bodies["outi@example.fi"].body
    for message in mail.outbox:
        for secret in (petri_needs_interpreter.first_name, petri_needs_interpreter.last_name,
                       petri_needs_interpreter.hetu):
            assert secret not in message.body
