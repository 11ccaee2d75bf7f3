"""Nobody double booked, clear Finnish messages, free times on working days only."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from meetings.calendar import free_slots
from meetings.models import Meeting, MeetingParticipant, Room
from meetings.services import DoubleBooking, answer_invitation, book_meeting
from teams.models import Team
from tests.utils import log_in
from tyokyky.workdays import is_working_day

from .meeting_steps import book, booking_data, next_tuesday


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=hour, minutes=minute
    )


def direct_booking(demo, person, start, end, users=(), room=None, by="coordinator"):
    return book_meeting(
        client=person, team=Team.objects.get(), by=demo[by],
        organisation=demo[by].memberships.get().organisation, starts_at=start, ends_at=end,
        mode="in_person" if room else "phone", room=room, users=users,
    )


def test_a_person_cannot_be_in_two_meetings_at_once(client, demo,
                                                   django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)
    tiina = Client.objects.get(first_name="Tiina")
    response = book(client, demo, django_capture_on_commit_callbacks, person=tiina,
                    room="", mode="phone", participants=[demo["nurse"].pk], start="10:30",
                    **{f"externals-0-{name}": "" for name in (
                        "name", "organisation_name", "role", "email")})
    content = response.content.decode()
    assert "Jo varattu tuona aikana: Katja Heikkinen, Nina Korhonen. Valitse toinen aika." in (
        content
    )
    assert Meeting.objects.count() == 1


def test_a_room_cannot_be_booked_twice(demo):
    day = next_tuesday()
    room = Room.objects.get(municipality__name="Kajaani")
    petri, tiina = (Client.objects.get(first_name=n) for n in ("Petri", "Tiina"))
    direct_booking(demo, petri, at(day, 9), at(day, 10), room=room)
    with pytest.raises(DoubleBooking) as error:
        direct_booking(demo, tiina, at(day, 9, 30), at(day, 10, 30), room=room, by="nurse")
    assert str(room) in error.value.busy


def test_back_to_back_meetings_fit(demo):
    day = next_tuesday()
    petri, tiina = (Client.objects.get(first_name=n) for n in ("Petri", "Tiina"))
    direct_booking(demo, petri, at(day, 9), at(day, 10), users=[demo["nurse"]])
    direct_booking(demo, tiina, at(day, 10), at(day, 11), users=[demo["nurse"]])
    assert Meeting.objects.count() == 2


def test_declining_frees_the_time(demo):
    day = next_tuesday()
    petri, tiina = (Client.objects.get(first_name=n) for n in ("Petri", "Tiina"))
    first = direct_booking(demo, petri, at(day, 9), at(day, 10), users=[demo["nurse"]])
    answer_invitation(meeting=first, user=demo["nurse"], answer="declined")
    direct_booking(demo, tiina, at(day, 9), at(day, 10), users=[demo["nurse"]], by="te_expert")
    assert MeetingParticipant.objects.filter(user=demo["nurse"], blocks_calendar=True).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2020-01-07"}, "Aika on mennyt. Valitse tuleva aika."),
        ({"room": ""}, "Valitse huone tapaamiselle, joka pidetään paikan päällä."),
        ({"mode": "video", "room": ""}, "Anna videotapaamisen linkki."),
        ({"start": "25:00"}, "Syötä oikea kellonaika."),
    ],
)
def test_bad_booking_input_gets_a_finnish_error(client, demo, overrides, message,
                                                django_capture_on_commit_callbacks):
    response = book(client, demo, django_capture_on_commit_callbacks, **overrides)
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_free_slot_fills_the_time_without_booking(client, demo):
    petri = Client.objects.get(first_name="Petri")
    log_in(client, demo["coordinator"])
    slot = at(next_tuesday(), 13, 30).isoformat()
    data = booking_data(demo, action="", slot=slot)
    page = client.post(reverse("meetings:book", args=[petri.pk]), data)
    assert page.context["form"]["start"].value() == "13:30"
    assert not Meeting.objects.exists()


def test_no_free_times_on_midsummer_eve_or_at_weekends():
    assert not is_working_day(date(2026, 6, 19))   # Midsummer Eve, a Friday
    assert not is_working_day(date(2026, 12, 24))  # Christmas Eve
    assert not is_working_day(date(2026, 6, 20))   # Saturday
    assert is_working_day(date(2026, 6, 18))
    days = [date(2026, 6, 18) + timedelta(days=n) for n in range(4)]
    slots = free_slots(days=days, duration=timedelta(hours=1), busy=[],
                       now=at(date(2026, 6, 1), 0), limit=100)
    assert {timezone.localtime(slot).date() for slot in slots} == {date(2026, 6, 18)}
    assert timezone.localtime(slots[0]).hour == 8 and timezone.localtime(slots[-1]).hour == 15


def test_free_times_avoid_everyones_meetings():
    day = date(2026, 6, 18)
    busy = [(at(day, 8), at(day, 11))]
    slots = free_slots(days=[day], duration=timedelta(hours=1), busy=busy,
                       now=at(date(2026, 6, 1), 0))
    assert timezone.localtime(slots[0]).hour == 11


@pytest.mark.postgres
def test_two_coordinators_booking_the_same_slot_at_once_one_wins(transactional_db, demo):
    """Two connections, two threads: the database's exclusion constraint decides."""
    if connection.vendor != "postgresql":
        pytest.skip("The exclusion constraint is PostgreSQL's; CI runs this there.")
    day = next_tuesday()
    petri, tiina = (Client.objects.get(first_name=n) for n in ("Petri", "Tiina"))
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(person, by):
        try:
            barrier.wait()
            direct_booking(demo, person, at(day, 9), at(day, 10), users=[demo["nurse"]], by=by)
            outcomes.append("booked")
        except DoubleBooking as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(petri, "coordinator")),
               threading.Thread(target=attempt, args=(tiina, "te_expert"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    refused = next(outcome for outcome in outcomes if outcome != "booked")
    assert "Jo varattu tuona aikana" in refused
    assert MeetingParticipant.objects.filter(user=demo["nurse"], blocks_calendar=True).count() == 1
