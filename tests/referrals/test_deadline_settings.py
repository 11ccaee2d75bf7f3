"""
Deadlines as settings (teams/deadlines.py): a team's own numbers hold for the clients of the
municipalities it serves, and only for them — on the worklist flag, My work, the reminder and
the referral's page alike — while another team's clients keep the county's or the defaults.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import work as referral_work
from referrals.models import Referral
from referrals.services import record_health_check, send_referral
from teams.deadlines import deadlines_for_municipality, one_reading
from teams.models import DeadlineSettings, Municipality, Team
from tests.factories import ClientFactory
from tests.utils import log_in

HELSINKI = ZoneInfo("Europe/Helsinki")
CHECKED_ON = date(2026, 6, 1)  # a Monday; no holiday in the two weeks after it
THURSDAY, FRIDAY = date(2026, 6, 4), date(2026, 6, 5)  # the 3rd and 4th working day after
KAJAANI_FLAG = "Ei palautetta 3 arkipäivään tarkastuksesta"
DEFAULT_FLAG = "Ei palautetta 10 arkipäivään tarkastuksesta"


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=HELSINKI)


@pytest.fixture
def teams(world):
    """Kajaani's team gives feedback within three working days; Sotkamo's team has no row of
    its own and keeps the defaults (ten)."""
    world["sotkamo"] = Municipality.objects.create(name="Sotkamo", code="765")
    world["health"].municipalities.add(world["sotkamo"])
    kajaani_team = Team.objects.create(name="Kajaanin työkykytiimi")
    kajaani_team.municipalities.add(world["municipality"])
    sotkamo_team = Team.objects.create(name="Sotkamon työkykytiimi")
    sotkamo_team.municipalities.add(world["sotkamo"])
    DeadlineSettings.objects.create(team=kajaani_team, feedback_working_days=3)
    return world


def checked_referral(world, municipality, last_name) -> Referral:
    """A referral of a client of `municipality`, its check done on CHECKED_ON, no feedback."""
    with time_machine.travel(at(CHECKED_ON)):
        person = ClientFactory(organisations=[world["employment"]], municipality=municipality,
                               last_name=last_name)
        referral = send_referral(client=person, by=world["te_expert"],
                                 organisation=world["employment"], recipient=world["health"],
                                 reason="other", urgency="normal")
        record_health_check(referral=referral, by=world["nurse"], organisation=world["health"],
                            nurse=world["nurse"], performed_on=CHECKED_ON, work_ability=5,
                            nurse_view="unclear", next_steps="Lääkäri")
    return referral


def worklist_rows(client, user, day) -> dict[str, str]:
    """The nurse's worklist on `day`, each row's text by the client's last name in it."""
    with time_machine.travel(at(day)):
        log_in(client, user)
        content = client.get(reverse("referrals:worklist")).content.decode()
    rows = content.split("<tr>")[1:]  # the header row has a class
    return {name: row for row in rows for name in ("Kajaaninen", "Sotkamoinen") if name in row}


def my_work_urls(client, user, day) -> tuple[list[str], list[str]]:
    with time_machine.travel(at(day)):
        log_in(client, user)
        work = client.get(reverse("home")).context["work"]
    return [item.url for item in work.overdue], [item.url for item in work.today]


def test_a_teams_own_deadline_flags_its_clients_while_another_team_keeps_the_default(
    client, teams
):
    kajaani = checked_referral(teams, teams["municipality"], "Kajaaninen")
    sotkamo = checked_referral(teams, teams["sotkamo"], "Sotkamoinen")
    kajaani_url = reverse("referrals:detail", args=[kajaani.pk])
    sotkamo_url = reverse("referrals:detail", args=[sotkamo.pk])
    nurse = teams["nurse"]

    # The third working day: due today for Kajaani, nothing yet for Sotkamo.
    rows = worklist_rows(client, nurse, THURSDAY)
    assert "Ei palautetta" not in rows["Kajaaninen"] + rows["Sotkamoinen"]
    overdue, today = my_work_urls(client, nurse, THURSDAY)
    assert (kajaani_url in today, sotkamo_url in today + overdue) == (True, False)

    # The day after: Kajaani's overdue, with its own number of working days on the flag.
    rows = worklist_rows(client, nurse, FRIDAY)
    assert KAJAANI_FLAG in rows["Kajaaninen"]
    assert "Ei palautetta" not in rows["Sotkamoinen"]
    overdue, today = my_work_urls(client, nurse, FRIDAY)
    assert kajaani_url in overdue and sotkamo_url not in overdue + today
    with time_machine.travel(at(FRIDAY)):
        log_in(client, nurse)
        assert KAJAANI_FLAG in client.get(kajaani_url).content.decode()
    assert [item.object_id for item in referral_work.referral_feedback(FRIDAY)] == [kajaani.pk]

    # Sotkamo keeps the default ten working days: flagged on the eleventh.
    rows = worklist_rows(client, nurse, date(2026, 6, 16))
    assert DEFAULT_FLAG in rows["Sotkamoinen"] and KAJAANI_FLAG in rows["Kajaaninen"]


def test_the_county_row_holds_where_no_team_sets_its_own_and_an_empty_field_follows_it(teams):
    kajaani_team = Team.objects.get(name__startswith="Kajaanin")
    DeadlineSettings.objects.create(team=None, feedback_working_days=8,
                                    action_overdue_working_days=2)
    DeadlineSettings.objects.filter(team=kajaani_team).update(action_overdue_working_days=None)
    kajaani = deadlines_for_municipality(teams["municipality"].pk)
    sotkamo = deadlines_for_municipality(teams["sotkamo"].pk)
    assert (kajaani.feedback_working_days, kajaani.action_overdue_working_days) == (3, 2)
    assert (sotkamo.feedback_working_days, sotkamo.action_overdue_working_days) == (8, 2)
    assert sotkamo.discussion_working_days == 10  # no row sets it: the default


def test_an_inactive_team_gives_its_municipalities_back_to_the_county(teams):
    Team.objects.filter(name__startswith="Kajaanin").update(is_active=False)
    assert deadlines_for_municipality(teams["municipality"].pk).feedback_working_days == 10


def test_the_reminder_rule_stays_one_query_however_many_teams_set_their_own(teams):
    """The deadlines are read once (one query) and each rule selects by an OR of the
    municipality groups' bounds: more teams with their own numbers add no query."""
    checked_referral(teams, teams["municipality"], "Kajaaninen")

    def queries():
        with CaptureQueriesContext(connection) as captured, one_reading():
            referral_work.referral_feedback(FRIDAY, for_sweep=True)
        return len(captured)

    with_one_team = queries()
    for number in range(5):
        place = Municipality.objects.create(name=f"Kunta {number}", code=f"9{number}0")
        team = Team.objects.create(name=f"Tiimi {number}")
        team.municipalities.add(place)
        DeadlineSettings.objects.create(team=team, feedback_working_days=4 + number)
    assert queries() == with_one_team
