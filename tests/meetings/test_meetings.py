"""
Petri's team meeting: booked with the nurse, the employment expert, the Kela expert and an
occupational therapist from outside; invitations with valid calendar files; decisions that
name the case managers; the doctor's summary with only what the doctor's organisation may see.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from cases.services import add_note
from clients.models import Client
from consents.models import AccessLogEntry, Action
from consents.services import record_consent
from meetings.models import Meeting
from teams.models import Organisation, Sector
from tests.utils import log_in

from .meeting_steps import book, booking_data, next_tuesday


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


def calendars(outbox):
    return [Calendar.from_ical(message.attachments[0][1]) for message in outbox]


def test_booking_invites_everyone_with_a_valid_calendar_file(client, demo, petri,
                                                             django_capture_on_commit_callbacks):
    response = book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    # The coordinator, three experts, the therapist — and the client, who gets no e-mail.
    assert meeting.participants.count() == 6
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["coordinator@tyokyky.invalid", "nurse@tyokyky.invalid",
                                 "te_expert@tyokyky.invalid", "kela_expert@tyokyky.invalid",
                                 "outi@example.fi"])
    for message, calendar in zip(mail.outbox, calendars(mail.outbox), strict=True):
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert event["UID"] == f"{meeting.uid}@tyokyky"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == meeting.starts_at
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"


def test_no_client_information_travels_by_email(client, demo, petri,
                                                django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    for message in mail.outbox:
        text = message.subject + message.body + message.attachments[0][1]
        for secret in (petri.first_name, petri.last_name, petri.hetu, "Työkyvyn arvio"):
            assert secret not in text
        assert reverse("meetings:detail", args=[Meeting.objects.get().pk]) in message.body


def test_invitations_are_in_the_recipients_language(client, demo, petri,
                                                    django_capture_on_commit_callbacks):
    demo["kela_expert"].language = "sv"
    demo["kela_expert"].save()
    book(client, demo, django_capture_on_commit_callbacks)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["kela_expert@tyokyky.invalid"].startswith("Inbjudan:")
    assert subjects["nurse@tyokyky.invalid"].startswith("Kutsu:")


def test_moving_and_cancelling_update_the_calendars(client, demo, petri,
                                                     django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    mail.outbox.clear()
    later = {"date": next_tuesday().isoformat(), "start": "13:00", "duration": "60",
             "mode": "video", "room": "", "video_link": "https://video.example.fi/abc",
             "phone_details": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:reschedule", args=[meeting.pk]), later)
    updates = calendars(mail.outbox)
    assert {str(c.walk("VEVENT")[0]["SEQUENCE"]) for c in updates} == {"1"}
    assert all(c.walk("VEVENT")[0]["UID"] == f"{meeting.uid}@tyokyky" for c in updates)
    assert all(m.subject.startswith("Muutos:") for m in mail.outbox if "@tyokyky" in m.to[0])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:cancel", args=[meeting.pk]))
    cancellations = calendars(mail.outbox)
    assert len(cancellations) == 5
    assert {c["METHOD"] for c in cancellations} == {"CANCEL"}
    assert {str(c.walk("VEVENT")[0]["STATUS"]) for c in cancellations} == {"CANCELLED"}


def test_cancelling_asks_first(client, demo, petri, django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    page = client.get(reverse("meetings:cancel", args=[meeting.pk])).content.decode()
    assert "Perutaanko tapaaminen" in page
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


DECISIONS = {
    "minutes": "Käytiin läpi tilanne", "realistic_goal": "Ammatinvaihto kiinteistöalalle",
    "support": "Ammatillinen kuntoutusselvitys", "financial_support": "Kuntoutusraha",
    "information_for_doctor": "Selkä- ja käsivaivat, lukivaikeus",
    "questions_for_doctor": "Voiko B-lausunnon kirjoittaa kuntoutusta varten?",
    "doctor": "", "doctor_appointment": "Joulukuussa", "feedback_discussion_holder": "",
    "feedback_discussion_at": "", "follow_up": "Kuukauden välein puhelimitse",
    "follow_up_by": "",
}


def record_decisions(client, demo, meeting, **overrides):
    """As the coordinator, once the meeting has begun (decisions are not recorded before)."""
    data = {**DECISIONS, "case_managers": [demo["te_expert"].pk], "doctor": demo["doctor"].pk,
            **overrides}
    with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
        log_in(client, demo["coordinator"])
        return client.post(reverse("meetings:decisions", args=[meeting.pk]), data)


def test_decisions_name_the_case_managers_with_history(client, demo, petri,
                                                       django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    response = record_decisions(client, demo, meeting)
    assert response.status_code == 302
    current = [a.user for a in petri.case_manager_assignments.current()]
    assert current == [demo["te_expert"]]  # the coordinator's period ended
    ended = petri.case_manager_assignments.get(user=demo["coordinator"])
    assert ended.history.latest().history_user == demo["coordinator"]
    assert meeting.decision.feedback_discussion_holder == demo["te_expert"]


def test_decisions_need_a_case_manager(client, demo, petri, django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    response = record_decisions(client, demo, meeting, case_managers=[])
    assert "Tämä kenttä vaaditaan." in response.content.decode()
    assert not hasattr(Meeting.objects.get(), "decision")


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_doctors_summary_holds_the_decisions_and_only_what_the_doctor_may_see(
    client, demo, petri, django_capture_on_commit_callbacks
):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    kela = Organisation.objects.get(sector=Sector.KELA)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    add_note(client=petri, by=demo["te_expert"], organisation=employment,
             category="employment", text="Yrittäjänä 30 vuotta rakennusalalla")
    add_note(client=petri, by=demo["kela_expert"], organisation=kela,
             category="benefits", text="Kuntoutusrahahakemus vireillä")
    record_consent(client=petri, by=demo["te_expert"], categories=["employment"],
                   organisations=[health], purpose="Lääkärin arvio", method="written",
                   valid_from="2026-01-01")
    log_in(client, demo["coordinator"])
    record_decisions(client, demo, meeting)

    response = client.get(reverse("meetings:doctor_summary_pdf", args=[meeting.pk]))
    text, reader = pdf_text(response)
    assert "Ammatinvaihto kiinteistöalalle" in text          # the decisions
    assert "Voiko B-lausunnon kirjoittaa" in text            # the question for the doctor
    assert "Yrittäjänä 30 vuotta" in text                    # employment: consented
    assert "Kuntoutusrahahakemus" not in text                # benefits: no consent for health
    assert "te_expert@tyokyky.invalid" in text               # the case manager's contacts
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]    # tagged for accessibility
    assert AccessLogEntry.objects.filter(user=demo["coordinator"],
                                         action=Action.DOCTOR_SUMMARY_PDF).exists()


def test_participants_are_on_the_clients_team_for_30_days_after(
    client, demo, petri, django_capture_on_commit_callbacks
):
    book(client, demo, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    kela_page = reverse("clients:detail", args=[petri.pk])
    log_in(client, demo["kela_expert"])
    assert client.get(kela_page).status_code == 200  # coming: Kela prepares
    for days, status in ((29, 200), (31, 404)):
        with time_machine.travel(meeting.ends_at + timedelta(days=days)):
            log_in(client, demo["kela_expert"])
            assert client.get(kela_page).status_code == status, days


def test_the_booking_warns_of_organisations_without_consent(client, demo, petri):
    log_in(client, demo["coordinator"])
    content = client.post(reverse("meetings:book", args=[petri.pk]),
                          booking_data(demo, action="preview")).content.decode()
    warning = content.split("Joidenkin osallistujien organisaatioilla ei ole suostumusta")[1]
    warning = warning.split("</div>")[0]
    assert "Kela, Kainuun palvelut" in warning
    assert "terveyspalvelut" not in warning  # the client's own organisations need none
    assert reverse("consents:create", args=[petri.pk]) in warning
    assert not Meeting.objects.exists()  # showing the week books nothing
