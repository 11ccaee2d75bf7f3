"""
Issue 16: the client takes part in their own team meeting, and from the meeting's start
whoever records its decisions records who came. When the client did not arrive (ei saapunut)
the meeting says so, and whoever booked it is prompted — on My work and behind the bell — to
book a new one, until one is booked. Whether the client came is the meeting's content: shown
only as the policy allows.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext as _

from clients.models import Client
from consents.services import record_disclosure_ban
from meetings.models import Attendance, Meeting, MeetingParticipant, ParticipantKind
from teams.models import Organisation, Sector
from tests.utils import log_in
from work.models import Notification, Reminder, ReminderKind
from work.reminders import collect_due, deliver_pending

from .meeting_steps import book

# Markers of the page, whatever the language.
DID_NOT_ARRIVE = 'id="client-did-not-arrive"'
REBOOK = 'id="rebook-prompt"'


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


@pytest.fixture
def meeting(client, demo, petri, django_capture_on_commit_callbacks):
    """Petri's meeting next Tuesday, booked by the coordinator with the nurse, the TE expert,
    the Kela expert and an occupational therapist from outside."""
    book(client, demo, django_capture_on_commit_callbacks)
    return Meeting.objects.get()


def attendance_data(meeting, *, the_client, others=Attendance.ATTENDED):
    return {f"participant-{p.pk}": the_client if p.is_client else others
            for p in meeting.participants.all()}


def record(client, user, meeting, **attendance):
    log_in(client, user)
    return client.post(reverse("meetings:attendance", args=[meeting.pk]),
                       attendance_data(meeting, **attendance))


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def detail(client, meeting) -> str:
    return page(client, reverse("meetings:detail", args=[meeting.pk]))


def test_the_client_takes_part_without_their_name_copied(client, demo, petri, meeting):
    row = meeting.participants.get(kind=ParticipantKind.CLIENT)
    assert (row.user, row.name, row.email) == (None, "", "")
    assert row.attendance == Attendance.UNKNOWN
    externals = meeting.participants.filter(user__isnull=True).exclude(pk=row.pk)
    assert [p.kind for p in externals] == [ParticipantKind.EXTERNAL]
    # The page names the client from the card the coordinator may see.
    assert f"<tr><td>{petri.full_name}</td>" in detail(client, meeting)


def test_attendance_is_not_recorded_before_the_meeting_starts(client, demo, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    with time_machine.travel(meeting.starts_at - timedelta(minutes=1), tick=False):
        log_in(client, demo["coordinator"])
        content = page(client, url)
        assert 'name="participant-' not in content
        assert f'href="{url}"' not in detail(client, meeting)
        response = record(client, demo["coordinator"], meeting,
                          the_client=Attendance.DID_NOT_ATTEND)
        assert response.status_code == 200
        assert response.context["not_yet"] in response.content.decode()
    assert not MeetingParticipant.objects.exclude(attendance=Attendance.UNKNOWN).exists()


def test_a_client_who_did_not_arrive_is_rebooked(client, demo, petri, meeting,
                                                  django_capture_on_commit_callbacks):
    coordinator = demo["coordinator"]
    url = reverse("meetings:attendance", args=[meeting.pk])
    book_url = reverse("meetings:book", args=[petri.pk])
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        log_in(client, coordinator)
        assert f'href="{url}"' in detail(client, meeting)
        form = page(client, url)
        assert petri.full_name in form and 'type="radio"' in form
        response = record(client, coordinator, meeting, the_client=Attendance.DID_NOT_ATTEND)
        assert response.status_code == 302
        assert meeting.client_missed
        content = detail(client, meeting)
        assert DID_NOT_ARRIVE in content and REBOOK in content
        assert f'href="{book_url}"' in content
        # My work asks to book again, and so does the bell after the reminder sweep.
        assert f'href="{book_url}"' in page(client, reverse("home"))
        collect_due()
        deliver_pending()
        notification = Notification.objects.get(user=coordinator,
                                                 kind=ReminderKind.REBOOK_MEETING)
        assert notification.url == book_url and notification.client_id == petri.pk
        # The nurse, who was there, is not asked to book.
        assert not Notification.objects.filter(kind=ReminderKind.REBOOK_MEETING).exclude(
            user=coordinator).exists()
        # A new meeting is booked: the prompt goes, the missed meeting stays marked.
        assert book(client, demo, django_capture_on_commit_callbacks).status_code == 302
        assert Meeting.objects.count() == 2
        content = detail(client, meeting)
        assert DID_NOT_ARRIVE in content and REBOOK not in content
        assert f'href="{book_url}"' not in page(client, reverse("home"))
        collect_due()
        assert Reminder.objects.filter(kind=ReminderKind.REBOOK_MEETING).count() == 1
    events = page(client, reverse("clients:detail", args=[petri.pk]))
    assert _("The client did not arrive at the team meeting") in events


def test_a_client_who_came_needs_no_new_meeting(client, demo, petri, meeting):
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        assert record(client, demo["coordinator"], meeting,
                      the_client=Attendance.ATTENDED).status_code == 302
        content = detail(client, meeting)
        assert DID_NOT_ARRIVE not in content and REBOOK not in content
        collect_due()
        assert not Reminder.objects.filter(kind=ReminderKind.REBOOK_MEETING).exists()
    assert set(meeting.participants.values_list("attendance", flat=True)) == {
        Attendance.ATTENDED}


def test_a_meeting_with_attendance_is_not_moved(client, demo, meeting,
                                                django_capture_on_commit_callbacks):
    starts_at = meeting.starts_at
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        record(client, demo["coordinator"], meeting, the_client=Attendance.DID_NOT_ATTEND)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("meetings:reschedule", args=[meeting.pk]), {
                "date": (starts_at + timedelta(days=7)).date().isoformat(), "start": "10:00",
                "duration": "60", "mode": "phone", "room": "", "video_link": "",
                "phone_details": ""})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.starts_at == starts_at and meeting.client_missed


def test_an_invalid_choice_saves_nothing(client, demo, meeting):
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        data = attendance_data(meeting, the_client=Attendance.DID_NOT_ATTEND)
        data[next(iter(data))] = "maybe"
        log_in(client, demo["coordinator"])
        response = client.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not MeetingParticipant.objects.exclude(attendance=Attendance.UNKNOWN).exists()


# --- Attackers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [
    ("social_worker", 404),  # an organisation with no relationship to Petri
    ("admin", 404),  # reads no client data
    ("nurse", 403),  # invited, but does not run the meeting
    ("kela_expert", 403),  # invited from another organisation without a consent
])
def test_only_the_organiser_records_attendance(client, demo, meeting, who, status):
    url = reverse("meetings:attendance", args=[meeting.pk])
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        log_in(client, demo[who])
        assert client.get(url).status_code == status
        assert client.post(url, attendance_data(
            meeting, the_client=Attendance.DID_NOT_ATTEND)).status_code == status
    assert not MeetingParticipant.objects.exclude(attendance=Attendance.UNKNOWN).exists()


def test_a_participant_without_consent_does_not_learn_the_client_missed(client, demo, petri,
                                                                        meeting):
    """The Kela expert is invited but has no consent to Petri's employment information:
    the meeting's time shows, not whether the client came."""
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        record(client, demo["coordinator"], meeting, the_client=Attendance.DID_NOT_ATTEND)
        log_in(client, demo["kela_expert"])
        content = detail(client, meeting)
        assert DID_NOT_ARRIVE not in content and REBOOK not in content
        assert str(Attendance.DID_NOT_ATTEND.label) not in content
        assert _("The client did not arrive at the team meeting") not in content
        assert f'href="{reverse("meetings:book", args=[petri.pk])}"' not in page(
            client, reverse("home"))
        # The nurse of the organisation that booked it sees it.
        log_in(client, demo["nurse"])
        assert DID_NOT_ARRIVE in detail(client, meeting)


def test_a_disclosure_ban_hides_the_meeting_and_its_attendance(client, demo, petri, meeting):
    kela = Organisation.objects.get(sector=Sector.KELA)
    record_disclosure_ban(client=petri, by=demo["coordinator"], organisation=kela)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=20), tick=False):
        record(client, demo["coordinator"], meeting, the_client=Attendance.DID_NOT_ATTEND)
        log_in(client, demo["kela_expert"])
        assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meetings:attendance", args=[meeting.pk])
                          ).status_code == 404
