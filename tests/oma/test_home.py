"""Oma Työkyky's front page: the next booked time and what waits for the client, each a link —
and nothing of anyone else's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consents.models import AccessLogEntry
from tests.oma.path_world import path_world
from tests.utils import log_in_as_client

pytestmark = pytest.mark.django_db


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d.%-m.%Y}"


def test_the_front_page_shows_the_next_time_and_what_waits(client, story):
    world = path_world(story)
    log_in_as_client(client, world.tiina)
    page = client.get(reverse("oma:home")).content.decode()
    # Her next time is the health check in three days; her own action waits in the plan.
    assert _day(world.booked.booked_for) in page
    assert reverse("oma:plan") in page and "1 oma tehtävä" in page
    entry = AccessLogEntry.objects.filter(client=world.tiina, by_client=True).latest("at")
    assert set(entry.categories) >= {"employment", "health"}


def test_another_clients_front_page_shows_none_of_it(client, story):
    world = path_world(story)
    log_in_as_client(client, world.petri)
    page = client.get(reverse("oma:home")).content.decode()
    assert "oma tehtävä" not in page
    assert _day(world.booked.booked_for) not in page
    assert "Sinulla ei ole tulevia aikoja" in page
