"""
The feedback discussion and a plan action's overdue day, each counted once (plans/due.py) in
working days (ten and five by default, teams/deadlines.py): the reminder, My work and the
dashboard agree on the day.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models.functions import TruncDate

from meetings.models import Meeting, MeetingMode
from plans import work as plan_work
from plans.due import discussion_deadline, discussion_due_on, due_date_case, meeting_day
from plans.models import FeedbackDiscussion
from plans.services import add_action, create_plan
from reporting.reports import Period, build
from teams.deadlines import DEFAULTS
from teams.models import Role, Team
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff
from tests.reporting.conftest import count_facts_on_read

from .story import jaakkos_meeting

HELSINKI = ZoneInfo("Europe/Helsinki")
MIDSUMMER_FRIDAY = date(2026, 6, 5)  # its tenth working day: Midsummer Eve is a holiday
ITS_DUE_DAY = date(2026, 6, 22)  # the Monday after


@pytest.fixture(autouse=True)
def facts_counted_on_read(monkeypatch):
    """The dashboard's facts counted whenever it reads them (tests/reporting/conftest.py)."""
    count_facts_on_read(monkeypatch)


class World:
    def __init__(self):
        self.municipality = MunicipalityFactory(name="Kajaani", code="205")
        self.health = OrganisationFactory(name="Kainuun hyvinvointialue")
        self.nurse = staff(Role.NURSE, self.health)
        self.team = Team.objects.create(name="Kajaanin työkykytiimi")

    def meeting(self, day: date, *, at=time(10), client=None, discussed_on=None) -> Meeting:
        client = client or ClientFactory(municipality=self.municipality,
                                         organisations=[self.health])
        starts_at = datetime.combine(day, at, tzinfo=HELSINKI)
        meeting = Meeting.objects.create(
            client=client, organisation=self.health, created_by=self.nurse, team=self.team,
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), mode=MeetingMode.VIDEO)
        if discussed_on:
            FeedbackDiscussion.objects.create(
                client=client, organisation=self.health, created_by=self.nurse,
                meeting=meeting, holder=self.nurse, held_on=discussed_on)
        return meeting


@pytest.fixture
def world(db):
    return World()


def test_the_reminder_of_a_discussion_due_on_midsummer_eve_comes_on_monday(demo):
    with time_machine.travel(datetime(2026, 5, 20, 9, tzinfo=HELSINKI)):
        meeting = jaakkos_meeting(demo, when=datetime.combine(MIDSUMMER_FRIDAY, time(9),
                                                              tzinfo=HELSINKI))
    assert discussion_due_on(meeting_day(meeting), DEFAULTS) == ITS_DUE_DAY
    assert plan_work.feedback_discussions(date(2026, 6, 19)) == []
    assert {item.due_on for item in plan_work.feedback_discussions(ITS_DUE_DAY)} == {ITS_DUE_DAY}


def test_a_discussion_on_the_monday_after_midsummer_counts_as_in_time_on_the_dashboard(world):
    for discussed_on in [ITS_DUE_DAY] * 5 + [ITS_DUE_DAY + timedelta(days=1)] * 5:
        world.meeting(MIDSUMMER_FRIDAY, discussed_on=discussed_on)
    figures = {f.key: f for f in build(Period.parse("2026-06"), today=date(2026, 6, 30)).figures}
    assert figures["meetings"].current == 10
    assert figures["meetings_discussed"].current == 50  # on the due day, not the day after


def test_the_dashboards_deadline_is_the_reminders_due_day_on_every_day_of_two_years(world):
    """Meetings just after midnight in Helsinki, when it is still the day before in UTC; both
    the PostgreSQL expression and the one for other databases."""
    client = ClientFactory(municipality=world.municipality, organisations=[world.health])
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(730)]
    meetings = [world.meeting(day, at=time(0, 30), client=client) for day in days]
    expected = {m.pk: discussion_due_on(meeting_day(m), DEFAULTS) for m in meetings}
    due_dates = [discussion_due_on(day, DEFAULTS) for day in days]
    for expression in (discussion_deadline(days),
                       due_date_case(TruncDate("starts_at"), days, due_dates)):
        assert dict(Meeting.objects.annotate(deadline=expression)
                    .values_list("pk", "deadline")) == expected


def test_an_action_a_week_late_on_midsummer_eve_is_overdue_on_monday(demo):
    from clients.models import Client

    jaakko = Client.objects.get(first_name="Jaakko")
    typ = demo["typ_expert"]
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=HELSINKI)):
        plan = create_plan(client=jaakko, by=typ,
                           organisation=typ.memberships.get().organisation,
                           case_managers=[typ], short_term_goals="Työkokeilu")
        add_action(plan=plan, by=typ, what="Hae työkokeilupaikka", responsible=demo["nurse"],
                   due_on=date(2026, 6, 12))  # the fifth working day on: Midsummer Eve off

    def stages(today):
        return {item.stage for item in plan_work.plan_actions(today, for_sweep=True)}

    assert stages(date(2026, 6, 19)) == {"due"}
    assert stages(ITS_DUE_DAY) == {"due", "overdue"}


def test_the_dashboard_counts_an_action_overdue_from_the_reminders_day(demo):
    """Five actions due a week before Midsummer Eve: overdue on the Monday after it (the fifth
    working day), as their reminder says, and not yet on the Eve."""
    from clients.models import Client

    typ = demo["typ_expert"]
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=HELSINKI)):
        plan = create_plan(client=Client.objects.get(first_name="Jaakko"), by=typ,
                           organisation=typ.memberships.get().organisation,
                           case_managers=[typ], short_term_goals="Työkokeilu")
        for number in range(5):
            add_action(plan=plan, by=typ, what=f"Tehtävä {number}", responsible=typ,
                       due_on=date(2026, 6, 12))

    def overdue_at(end):
        [figure] = [f for f in build(Period.parse("2026-06"), today=end).figures
                    if f.key == "overdue_actions"]
        return figure.current

    assert overdue_at(date(2026, 6, 19)) == 0  # none (published in fives)
    assert overdue_at(ITS_DUE_DAY) == 5
