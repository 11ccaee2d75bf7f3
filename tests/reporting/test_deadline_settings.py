"""
The dashboard counts a feedback discussion in time by the deadline of the team serving the
client's municipality (teams/deadlines.py), as the reminders do, and its label says which number
of working days it counted by.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reporting import reports
from teams.models import DeadlineSettings, Role, Team
from tests.factories import staff
from tests.utils import log_in

from .conftest import page_tables
from .world import World

MONDAY = date(2026, 3, 2)  # each meeting's discussion on Friday, the fourth working day after
IN_TIME_KAJAANI = "Tapaamiset, joita seurasi palautekeskustelu 3 arkipäivän kuluessa, %"
IN_TIME_SOTKAMO = "Tapaamiset, joita seurasi palautekeskustelu 10 arkipäivän kuluessa, %"
IN_TIME_ALL = "Tapaamiset, joita seurasi palautekeskustelu tiimin määräajassa (arkipäivää), %"


@pytest.fixture(autouse=True)
def april_2026(monkeypatch, settings):
    monkeypatch.setattr(reports, "offset", lambda *args: 0)
    settings.DASHBOARD_CACHE_SECONDS = 0
    with time_machine.travel(datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Europe/Helsinki"))):
        yield


@pytest.fixture
def world(db):
    """Kajaani's team holds its discussions within three working days; Sotkamo keeps ten. Five
    meetings in each discussed four working days later, and five more in Kajaani the next
    day."""
    w = World()
    kajaani_team = Team.objects.create(name="Kajaanin oma tiimi")
    kajaani_team.municipalities.add(w.kajaani)
    DeadlineSettings.objects.create(team=kajaani_team, discussion_working_days=3)
    for municipality in (w.kajaani, w.sotkamo):
        for _n in range(5):
            w.meeting(w.client(municipality), MONDAY, discussed_after=4)
    for _n in range(5):
        w.meeting(w.client(w.kajaani), MONDAY, discussed_after=1)
    return w


def discussed_in_time(client, world, municipality=None) -> dict[str, list[str]]:
    log_in(client, staff(Role.MANAGER, world.health))
    params = {"kind": "month", "period": "2026-03"}
    if municipality:
        params["municipality"] = municipality.pk
    page = client.get(reverse("reporting:dashboard"), params).content.decode()
    return {row[0]: row[1] for row in page_tables(page)["figures"]
            if row[0].startswith("Tapaamiset, joita seurasi")}


def test_a_discussion_late_by_the_teams_own_deadline_is_late_only_there(client, world):
    assert discussed_in_time(client, world, world.kajaani) == {IN_TIME_KAJAANI: "50"}
    assert discussed_in_time(client, world, world.sotkamo) == {IN_TIME_SOTKAMO: "100"}
    assert discussed_in_time(client, world) == {IN_TIME_ALL: "67"}  # 10 of 15
