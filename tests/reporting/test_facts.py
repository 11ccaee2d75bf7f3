"""
The dashboard's facts (reporting/facts.py): the page sums them and nothing else, and every
number it shows equals the number counted straight from the records the old way (oracle.py,
the dashboard as it was before the facts), for months, quarters and years, running and ended,
of every municipality and each one, with the rule's real starts.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import (
    Client,
    ClientStatus,
    ClosingReason,
    EmploymentSituation,
    IncomeSource,
    JobseekerStatus,
)
from meetings.models import Meeting, MeetingFeedback
from plans.models import ActionStatus, FeedbackDiscussion, FollowUp, PlanAction, SupportPlan
from referrals.models import Conclusion, DoctorAssessment, Feedback, HealthCheck, Referral
from reporting import facts, reports
from reporting.models import MonthlyCount, StatisticsRefresh
from reporting.reports import Period
from teams.models import Role
from tests.factories import MunicipalityFactory, staff
from tests.reporting import oracle
from tests.reporting.world import World
from tests.utils import log_in

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 4, 15)
PERIODS = ["2026-03", "2026-04", "2026-Q1", "2026-Q2", "2026", "2025-12", "2025-Q4", "2025"]
SOURCES = [HealthCheck, Referral, Feedback, DoctorAssessment, Meeting, MeetingFeedback,
           FeedbackDiscussion, Client, EmploymentSituation, SupportPlan, PlanAction, FollowUp]


@pytest.fixture(autouse=True)
def april_2026():
    with time_machine.travel(datetime(2026, 4, 15, 9, tzinfo=HELSINKI)):
        yield


@pytest.fixture(autouse=True)
def facts_as_refreshed(monkeypatch):
    """The page reads the facts as the last refresh left them: none counted on reading."""
    monkeypatch.undo()


def _spread(n: int, modulo: int) -> int:
    """A fixed scatter of `n` in 0 … modulo - 1, so that the world is the same every run."""
    return (n * 7919 + 13) % modulo


@pytest.fixture
def world(db):
    """Kajaani, Sotkamo and a former municipality (no longer active) from October 2025 to
    April 2026: referrals checked and fed back after scattered days, self-referrals, meetings
    discussed in time and late and cancelled, assessments, clients closed, answers to the
    feedback questions, plan actions and follow-ups overdue on various days, employment
    situations."""
    w = World()
    w.former = MunicipalityFactory(name="Vuolijoki", code="785", is_active=False)
    places = [w.kajaani] * 5 + [w.sotkamo] * 3 + [w.former]
    start = date(2025, 10, 1)
    clients = []
    for n in range(190):
        place = places[n % len(places)]
        sent = start + timedelta(days=_spread(n, 196))
        checked = None if n % 11 == 0 else _spread(n, 23)
        fed_back = None if checked is None or n % 4 == 0 else _spread(n + 3, 17)
        client, check = w.referral(sent, checked_after=checked, feedback_after=fed_back,
                                   municipality=place, self_referral=n % 9 == 0)
        clients.append(client)
        if n % 2 == 0:
            w.meeting(client, sent + timedelta(days=_spread(n, 20)),
                      discussed_after=None if n % 10 == 0 else _spread(n, 19),
                      cancelled=n % 14 == 0)
        if check is not None and n % 3 == 0:
            w.assessment(client, check.performed_on + timedelta(days=_spread(n, 9)),
                         conclusion=Conclusion.SICK if n % 2 else Conclusion.UNEMPLOYED,
                         check=check)
        if n % 6 == 1:
            client.status, client.closed_on = ClientStatus.CLOSED, sent + timedelta(days=40)
            client.closing_reason = [ClosingReason.EMPLOYED, ClosingReason.STUDYING][n % 2]
            client.save()
        if n % 5 == 2:
            w.record(EmploymentSituation, client,
                     income_source=list(IncomeSource.values)[n % len(IncomeSource.values)],
                     jobseeker_status=list(JobseekerStatus.values)[
                         n % len(JobseekerStatus.values)])
    for n, meeting in enumerate(Meeting.objects.order_by("pk")):
        if n % 3 != 2:
            MeetingFeedback.objects.create(
                client=meeting.client, meeting=meeting, heard=1 + n % 5,
                knows_next_steps=1 + _spread(n, 5), useful=5 - n % 3,
                submitted_at=meeting.starts_at + timedelta(days=_spread(n, 12)))
    for n, client in enumerate(clients[:24]):
        plan = w.record(SupportPlan, client, short_term_goals="Työkokeilu")
        for m in range(4):
            due = start + timedelta(days=_spread(n * 4 + m, 190))
            done = due + timedelta(days=_spread(m + n, 30)) if (n + m) % 3 == 0 else None
            PlanAction.objects.create(
                plan=plan, what="Tehtävä", due_on=due, done_on=done,
                status=ActionStatus.DONE if done else ActionStatus.PLANNED)
            FollowUp.objects.create(plan=plan, due_on=due + timedelta(days=m),
                                    done_on=done)
    return w


def _seen(dashboard) -> dict:
    """Every number of a dashboard as the page and its exports show them."""
    return {
        "figures": [(f.key, str(f.label), f.current, f.previous) for f in dashboard.figures],
        "tables": {key: [[str(cell) for cell in row] for row in rows]
                   for key, rows in dashboard.tables.items()},
        "months": dashboard.months,
        "by_municipality": dashboard.by_municipality,
        "as_of": dashboard.as_of,
    }


def test_every_number_summed_from_the_facts_equals_the_full_count(world):
    facts.refresh(everything=True)
    shown = 0
    for key in PERIODS:
        for place in [None, world.kajaani, world.sotkamo]:
            counted = _seen(oracle.build(Period.parse(key), place))
            summed = _seen(reports.build(Period.parse(key), place))
            assert summed == counted, (key, place)
            shown += sum(isinstance(f[2], int) and f[2] > 0 for f in summed["figures"])
    assert shown > 50  # the world is big enough to publish numbers, not only zeros and "–"


def test_the_page_shows_the_full_count_and_reads_only_the_facts(client, world):
    facts.refresh(everything=True)
    manager = staff(Role.MANAGER, world.health)
    log_in(client, manager)
    source_tables = [model._meta.db_table for model in SOURCES]
    for key, place in [("2026-Q1", None), ("2026-03", world.sotkamo), ("2026", world.kajaani)]:
        params = {"period": key, **({"municipality": place.pk} if place else {})}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reporting:dashboard"), params)
        assert response.status_code == 200
        assert _seen(response.context["dashboard"]) == _seen(
            oracle.build(Period.parse(key), place))
        read = [query["sql"] for query in queries
                if any(f'"{table}"' in query["sql"] for table in source_tables)]
        assert read == []
        assert any('"reporting_monthlycount"' in query["sql"] for query in queries)


def test_the_page_says_when_the_numbers_were_counted(client, world):
    log_in(client, staff(Role.MANAGER, world.health))
    response = client.get(reverse("reporting:dashboard"))
    assert str(reports.updated(response.context["dashboard"])) in response.content.decode()
    assert response.context["dashboard"].computed_at is None  # never counted: all zeros
    refreshed = facts.refresh()
    response = client.get(reverse("reporting:dashboard"))
    assert response.context["dashboard"].computed_at == refreshed.finished_at
    assert str(reports.updated(response.context["dashboard"])) in response.content.decode()


def test_a_refresh_counts_the_month_running_the_one_before_and_late_feedback(world):
    facts.refresh(everything=True)
    december = Period.parse("2025-12")
    before = _seen(reports.build(december, world.kajaani))
    # Referrals of December fed back in April, and a check done in March.
    for n in range(6):
        world.referral(date(2025, 12, 3 + n), checked_after=100, feedback_after=0)
    world.check(date(2026, 3, 20))
    refreshed = facts.refresh()
    assert set(refreshed.months.split()) == {"2025-12", "2026-03", "2026-04"}
    assert _seen(reports.build(december, world.kajaani)) != before
    for key in ["2025-12", "2025-Q4", "2026-03", "2026"]:
        assert _seen(reports.build(Period.parse(key), world.kajaani)) == _seen(
            oracle.build(Period.parse(key), world.kajaani))


def test_an_older_change_waits_for_the_full_refresh(world):
    """A check recorded today for January is counted by the night's full refresh."""
    facts.refresh(everything=True)
    january = Period.parse("2026-01")
    for day in range(5):
        world.check(date(2026, 1, 10 + day), world.sotkamo)
    facts.refresh()
    assert _seen(reports.build(january, world.sotkamo)) != _seen(
        oracle.build(january, world.sotkamo))
    facts.refresh(everything=True)
    assert _seen(reports.build(january, world.sotkamo)) == _seen(
        oracle.build(january, world.sotkamo))
    assert StatisticsRefresh.objects.count() == 3


def test_the_published_numbers_are_carried_from_january_whatever_months_are_counted(world):
    """Counting some months again gives the cells the very numbers counting all of them does."""
    facts.refresh(everything=True)
    everything = set(MonthlyCount.objects.values_list(
        "month", "municipality", "category", "count", "published"))
    with time_machine.travel(datetime(2026, 3, 31, 9, tzinfo=HELSINKI)):
        facts.refresh()  # February and March, counted up to the 31st
    facts.refresh()  # March and April
    assert set(MonthlyCount.objects.values_list(
        "month", "municipality", "category", "count", "published")) == everything


def test_a_percentile_of_a_histogram_is_postgresqls_nearest_rank(db):
    durations = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3,
                 8, 3, 2, 7]  # thirty: 0.9 * 30 is not exactly 27 in floating point
    histogram = [(days, durations.count(days)) for days in set(durations)]
    with connection.cursor() as cursor:
        for fraction in (0.5, 0.9):
            cursor.execute("SELECT percentile_disc(%s) WITHIN GROUP (ORDER BY d) "
                           "FROM unnest(%s::int[]) AS d", [fraction, durations])
            assert reports.percentile(histogram, fraction) == cursor.fetchone()[0]
    assert reports.percentile([(1, 4)], 0.5) is None  # fewer than five
