"""Booking Petri's team meeting through the views, as the coordinator does."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from meetings.models import Room
from teams.models import Team
from tests.utils import log_in


def next_tuesday():
    today = timezone.localdate()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def booking_data(demo, **overrides):
    return {
        "action": "book", "team": Team.objects.get().pk,
        "date": next_tuesday().isoformat(), "start": "10:00", "duration": "90",
        "mode": "in_person", "room": Room.objects.get(municipality__name="Kajaani").pk,
        "video_link": "", "phone_details": "", "agenda": "Työkyvyn arvio ja tavoite",
        "participants": [demo[name].pk for name in ("nurse", "te_expert", "kela_expert")],
        "needs_support": "on", "wants_to_work": "on", "not_solved_by_basic_services": "on",
        "client_motivated": "on",
        "externals-TOTAL_FORMS": "2", "externals-INITIAL_FORMS": "0",
        "externals-MIN_NUM_FORMS": "0", "externals-MAX_NUM_FORMS": "1000",
        "externals-0-name": "Outi Ojala", "externals-0-organisation_name": "Kuntoutuskeskus",
        "externals-0-role": "toimintaterapeutti", "externals-0-email": "outi@example.fi",
        **overrides,
    }


def book(client, demo, capture, person=None, **overrides):
    person = person or Client.objects.get(first_name="Petri")
    log_in(client, demo["coordinator"])
    with capture(execute=True):
        return client.post(reverse("meetings:book", args=[person.pk]),
                           booking_data(demo, **overrides))
