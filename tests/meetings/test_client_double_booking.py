"""
The client, and a person from outside Työkyky known by their e-mail, is in one meeting at a
time (issue 13): the booking says so, naming the client only as "the client" — the other
meeting may be one the coordinator does not see — and on PostgreSQL an exclusion constraint
stands behind it, so that of two coordinators booking the same client at once one succeeds.
"""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from meetings.models import Meeting
from meetings.services import DoubleBooking, book_meeting, reschedule_meeting
from teams.models import Role, Team, TeamMember, TeamMemberKind
from tests.concurrency import meet_at, race
from tests.factories import staff
from tests.utils import log_in

from .meeting_steps import book, booking_data, next_tuesday


def at(hour, minute=0):
    day = datetime.combine(next_tuesday(), datetime.min.time())
    return timezone.make_aware(day) + timedelta(hours=hour, minutes=minute)


def direct_booking(demo, person, start, *, by, users=(), externals=()):
    return book_meeting(
        client=person, team=Team.objects.get(), by=demo[by],
        organisation=demo[by].memberships.get().organisation, starts_at=start,
        ends_at=start + timedelta(hours=1), mode="phone", users=users, externals=externals,
    )


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


def test_the_client_cannot_be_booked_into_two_meetings_at_once(
        client, demo, petri, django_capture_on_commit_callbacks):
    book(client, demo, django_capture_on_commit_callbacks)  # Petri's meeting at 10:00
    health = demo["coordinator"].memberships.get().organisation
    colleague = staff(Role.COORDINATOR, health, first_name="Kaisa", last_name="Koski")
    TeamMember.objects.create(team=Team.objects.get(), user=colleague,
                              kind=TeamMemberKind.COORDINATOR)
    log_in(client, colleague)
    response = client.post(reverse("meetings:book", args=[petri.pk]), booking_data(
        demo, start="10:30", room="", mode="phone", participants=[demo["doctor"].pk],
        **{f"externals-0-{name}": "" for name in ("name", "organisation_name", "role",
                                                   "email")}))
    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].non_field_errors()]
    assert errors == DoubleBooking([_("the client")]).messages
    assert Meeting.objects.count() == 1


def test_a_support_person_cannot_be_booked_into_two_meetings_at_once(demo, petri):
    tiina = Client.objects.get(first_name="Tiina")
    outi = {"name": "Outi Ojala", "organisation_name": "", "role": "tukihenkilö",
            "email": "outi@example.fi"}
    direct_booking(demo, petri, at(9), by="coordinator", externals=[outi])
    with pytest.raises(DoubleBooking) as refused:
        direct_booking(demo, tiina, at(9, 30), by="te_expert",
                       externals=[{**outi, "name": "Outi", "email": "Outi@Example.fi"}])
    assert refused.value.busy == ["outi@example.fi"]
    assert Meeting.objects.count() == 1


def test_a_meeting_cannot_be_moved_onto_the_clients_other_meeting(demo, petri):
    direct_booking(demo, petri, at(9), by="coordinator")
    later = direct_booking(demo, petri, at(13), by="te_expert")
    with pytest.raises(DoubleBooking) as refused:
        reschedule_meeting(meeting=later, by=demo["te_expert"], starts_at=at(9, 30),
                           ends_at=at(10, 30), mode="phone")
    assert refused.value.busy == [_("the client")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_booking_the_same_client_at_once_book_one_meeting(demo, petri):
    """Two connections, two threads, nobody else in common: the client decides."""
    if connection.vendor != "postgresql":
        pytest.skip("The exclusion constraint is PostgreSQL's; CI runs this there.")

    def attempt(by, users):
        try:
            return direct_booking(demo, petri, at(9), by=by, users=users)
        except DoubleBooking as refused:
            return refused

    with meet_at("meetings.models.Meeting.full_clean"):
        outcomes = race(lambda: attempt("coordinator", [demo["nurse"]]),
                        lambda: attempt("te_expert", [demo["kela_expert"]]))
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["DoubleBooking",
                                                                      "Meeting"]
    refused = next(outcome for outcome in outcomes if isinstance(outcome, DoubleBooking))
    assert refused.busy == [_("the client")]
    assert Meeting.objects.filter(client=petri).count() == 1
