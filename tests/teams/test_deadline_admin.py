"""
Administrators set the deadlines (teams.DeadlineSettings) in the admin: for the whole county
and per team, checked with Finnish messages, each change in the administration log; nobody
else may.
"""

import pytest
from django.urls import reverse

from teams.deadlines import deadlines_for_team
from teams.models import AdministrationLogEntry, DeadlineSettings, Team
from tests.utils import log_in

FIELDS = ["booking_working_days", "urgent_booking_working_days", "feedback_working_days",
          "discussion_working_days", "action_overdue_working_days", "consent_warning_days",
          "check_interval_months"]
ADD = reverse("admin:teams_deadlinesettings_add")


def form(team="", **numbers):
    return {"team": team, **{name: "" for name in FIELDS}, **{
        name: str(value) for name, value in numbers.items()}, "_save": "Tallenna"}


@pytest.fixture
def admin(demo, client):
    log_in(client, demo["admin"])
    return demo["admin"]


def test_the_admin_sets_the_countys_deadlines_and_the_log_says_who_and_what(client, admin):
    response = client.post(ADD, form(feedback_working_days=12))
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = DeadlineSettings.objects.get(team=None)
    assert deadlines_for_team(None).feedback_working_days == 12
    entry = AdministrationLogEntry.objects.get(subject="deadlinesettings", object_id=str(row.pk))
    assert (entry.actor, entry.action) == (admin, "created")
    assert entry.changes["feedback_working_days"] == [None, 12]

    client.post(reverse("admin:teams_deadlinesettings_change", args=[row.pk]),
                form(feedback_working_days=8))
    changed = AdministrationLogEntry.objects.filter(subject="deadlinesettings",
                                                    action="changed").get()
    assert changed.changes["feedback_working_days"] == [12, 8]


def test_a_teams_row_overrides_the_county_for_that_team_only(client, admin):
    team, other = Team.objects.create(name="Kajaanin tiimi"), Team.objects.create(name="Muu")
    client.post(ADD, form(discussion_working_days=7))
    client.post(ADD, form(team=team.pk, discussion_working_days=4))
    assert deadlines_for_team(team).discussion_working_days == 4
    assert deadlines_for_team(other).discussion_working_days == 7
    page = client.get(reverse("admin:teams_deadlinesettings_changelist")).content.decode()
    # Each row's deadlines in effect, with their units.
    assert "palautekeskustelu 7, toimenpide myöhässä 5 arkipäivää" in page
    assert "palautekeskustelu 4, toimenpide myöhässä 5 arkipäivää" in page


@pytest.mark.parametrize(("numbers", "message"), [
    ({"feedback_working_days": 0}, "Anna positiivinen luku."),
    ({"urgent_booking_working_days": 21}, "Enintään 20."),
    ({"consent_warning_days": 400}, "Enintään 365."),
])
def test_a_deadline_of_nothing_or_beyond_reason_is_refused_in_finnish(
    client, admin, numbers, message
):
    response = client.post(ADD, form(**numbers))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DeadlineSettings.objects.exists()


def test_the_county_has_one_row(client, admin):
    client.post(ADD, form(feedback_working_days=12))
    response = client.post(ADD, form(feedback_working_days=9))
    assert "Näillä määräajoilla on jo oma rivinsä." in response.content.decode()
    assert DeadlineSettings.objects.get().feedback_working_days == 12


@pytest.mark.parametrize("username", ["coordinator", "manager", "nurse", "tietosuoja"])
def test_nobody_but_the_admin_sets_deadlines(client, demo, username):
    log_in(client, demo[username])
    response = client.post(ADD, form(feedback_working_days=1))
    assert response.status_code in (302, 403)
    assert not DeadlineSettings.objects.exists()
    assert client.get(reverse("admin:teams_deadlinesettings_changelist")).status_code in (
        302, 403)
