"""
The three rules of unusual access, on log rows written at chosen times, with their thresholds'
edges; the hourly task's idempotence, its query count at two log sizes, and its e-mail.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import ClientRelationship, RelationshipBasis
from consents.models import Action
from oversight import flags
from oversight.models import (
    AccessFlag,
    FlagKind,
    FlagRun,
    FlagState,
    OfficerPreference,
    UsualHours,
)
from teams.models import Role
from tests.factories import ClientFactory
from tests.oversight.conftest import at, log_reads
from work.models import OutboxMessage

pytestmark = pytest.mark.usefixtures("postgres")


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.OVERSIGHT_UNRELATED_CLIENTS_PER_DAY = 3
    settings.OVERSIGHT_OFF_HOURS_SHARE = 0.01
    settings.OVERSIGHT_OFF_HOURS_MIN_HISTORY = 100
    settings.OVERSIGHT_HISTORY_DAYS = 60
    settings.OVERSIGHT_EXPORT_BURST_COUNT = 10
    settings.OVERSIGHT_EXPORT_BURST_MINUTES = 10


def found(since, until, kind=None):
    candidates = flags.find(since, until)
    return [c for c in candidates if kind is None or c.kind == kind]


@pytest.fixture
def strangers(world):
    """Four clients of employment services' only: health care has no relationship with them."""
    return [ClientFactory(organisations=[world.employment]) for _ in range(4)]


# --- a) Many clients in a day without a relationship -------------------------------------------

DAY = (at(2026, 3, 4), at(2026, 3, 5))  # a Wednesday


def test_three_unrelated_clients_in_a_day_are_flagged(world, strangers):
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 10, n) for n in range(3)])
    [flag] = found(*DAY, FlagKind.UNRELATED_CLIENTS)
    assert (flag.user_id, flag.organisation_id, flag.count) == (world.nurse.pk,
                                                                world.health.pk, 3)
    assert (flag.window_start, flag.window_end) == DAY


def test_two_are_not_and_reading_one_twice_counts_once(world, strangers):
    log_reads(world.nurse, world.health, [strangers[0], strangers[1], strangers[0]],
              [at(2026, 3, 4, 10, n) for n in range(3)])
    assert found(*DAY, FlagKind.UNRELATED_CLIENTS) == []


def test_clients_the_organisation_serves_do_not_count(world, strangers):
    log_reads(world.nurse, world.health, [*strangers[:2], world.own_client],
              [at(2026, 3, 4, 10, n) for n in range(3)])
    assert found(*DAY, FlagKind.UNRELATED_CLIENTS) == []


def test_lists_that_name_clients_do_not_count(world, strangers):
    log_reads(world.nurse, world.health, strangers, [at(2026, 3, 4, 10)] * 4,
              action=Action.CLIENT_LIST)
    assert found(*DAY, FlagKind.UNRELATED_CLIENTS) == []


def test_a_relationship_counts_on_the_days_it_is_in_force(world, strangers):
    """Begun later that day: served that day. Ended the day before: not served any more."""
    ClientRelationship.objects.create(client=strangers[0], organisation=world.health,
                                      basis=RelationshipBasis.REFERRAL,
                                      started_at=at(2026, 3, 4, 16))
    ClientRelationship.objects.create(client=strangers[1], organisation=world.health,
                                      basis=RelationshipBasis.VISIT,
                                      started_at=at(2026, 1, 1), ends_at=at(2026, 3, 3, 12))
    log_reads(world.nurse, world.health, strangers, [at(2026, 3, 4, 10, n) for n in range(4)])
    [flag] = found(*DAY, FlagKind.UNRELATED_CLIENTS)
    assert flag.count == 3  # all but the one served from 16.00 on


def test_days_end_at_midnight_in_helsinki(world, strangers):
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 23, 58), at(2026, 3, 4, 23, 59), at(2026, 3, 5, 0, 1)])
    assert found(at(2026, 3, 4), at(2026, 3, 6), FlagKind.UNRELATED_CLIENTS) == []


# --- b) Reads outside the user's usual hours ----------------------------------------------------

def test_without_history_a_read_after_six_in_the_evening_is_flagged(world):
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 4, 17, 59), at(2026, 3, 4, 18, 0), at(2026, 3, 4, 18, 30)])
    [flag] = found(at(2026, 3, 4), at(2026, 3, 5), FlagKind.OFF_HOURS)
    assert (flag.window_start, flag.window_end, flag.count) == (
        at(2026, 3, 4, 18), at(2026, 3, 4, 19), 2)


def test_without_history_working_hours_are_seven_to_eighteen_on_working_days(world):
    log_reads(world.nurse, world.health, [world.own_client], [
        at(2026, 3, 4, 7, 0),  # Wednesday morning: working hours
        at(2026, 3, 4, 6, 59),  # before seven
        at(2026, 3, 7, 10),  # a Saturday
        at(2026, 5, 1, 10),  # a Friday, but May Day
    ])
    flagged = {c.window_start for c in found(at(2026, 3, 1), at(2026, 5, 2),
                                             FlagKind.OFF_HOURS)}
    assert flagged == {at(2026, 3, 4, 6), at(2026, 3, 7, 10), at(2026, 5, 1, 10)}


def _history(world, hours, per_day=2, days=50, user=None):
    """Reads on each of `days` days before 4 March, `per_day` in each of the given hours."""
    times = [at(2026, 3, 4, hour, minute) - timedelta(days=day)
             for day in range(1, days + 1) for hour in hours for minute in range(per_day)]
    log_reads(user or world.nurse, world.health, [world.own_client], times)


def test_with_history_the_users_own_hours_decide(world):
    """A night nurse: 22.00 is her usual hour, 10.00 in the morning is not."""
    _history(world, hours=[22, 23])
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 4, 22, 30), at(2026, 3, 4, 10, 30)])
    flagged = [c.window_start for c in found(at(2026, 3, 4), at(2026, 3, 5),
                                             FlagKind.OFF_HOURS)]
    assert flagged == [at(2026, 3, 4, 10)]


def test_an_hour_at_the_share_is_usual_and_below_it_is_not(world):
    """200 reads of history at 9.00, and 2 of them at 20.00: 20.00 holds exactly 1 % (usual);
    21.00 holds none (unusual)."""
    times = [at(2026, 3, 4, 9, minute % 60) - timedelta(days=1 + minute // 60)
             for minute in range(198)]
    times += [at(2026, 3, 2, 20, 0), at(2026, 3, 2, 20, 1)]
    log_reads(world.nurse, world.health, [world.own_client], times)
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 4, 20, 30), at(2026, 3, 4, 21, 30)])
    flagged = [c.window_start for c in found(at(2026, 3, 4, 12), at(2026, 3, 5),
                                             FlagKind.OFF_HOURS)]
    assert flagged == [at(2026, 3, 4, 21)]


def test_too_little_history_falls_back_to_working_hours(world):
    """99 reads of history, all at 22.00: not enough to trust, so 22.00 is off hours."""
    times = [at(2026, 3, 4, 22, n % 60) - timedelta(days=1 + n // 60) for n in range(99)]
    log_reads(world.nurse, world.health, [world.own_client], times)
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 4, 22, 30)])
    assert [c.window_start for c in found(at(2026, 3, 4, 22), at(2026, 3, 4, 23),
                                          FlagKind.OFF_HOURS)] == [at(2026, 3, 4, 22)]
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 1, 22, 59)])  # the hundredth
    UsualHours.objects.all().delete()  # written into the past: measure the day again
    assert found(at(2026, 3, 4, 22), at(2026, 3, 4, 23), FlagKind.OFF_HOURS) == []


def test_history_older_than_the_window_does_not_count(world, settings):
    settings.OVERSIGHT_HISTORY_DAYS = 30
    _history(world, hours=[22], per_day=4, days=60)  # 240 reads, only 120 within 30 days
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 4, 22, 30)])
    assert found(at(2026, 3, 4, 22), at(2026, 3, 4, 23), FlagKind.OFF_HOURS) == []
    settings.OVERSIGHT_OFF_HOURS_MIN_HISTORY = 121
    UsualHours.objects.all().delete()
    assert len(found(at(2026, 3, 4, 22), at(2026, 3, 4, 23), FlagKind.OFF_HOURS)) == 1


def test_the_usual_hours_are_measured_once_a_day(world):
    """The hourly runs of a day reuse the day's measure: the log is only appended to at the
    time of each read, so the days before do not change."""
    _history(world, hours=[22, 23])
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 4, 10, 30)])
    assert len(found(at(2026, 3, 4, 10), at(2026, 3, 4, 11), FlagKind.OFF_HOURS)) == 1
    measure = UsualHours.objects.get(user=world.nurse)
    assert (measure.day.isoformat(), measure.total, measure.counts[22]) == ("2026-03-04", 200,
                                                                             100)
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 4, 22, 30)])
    assert found(at(2026, 3, 4, 22), at(2026, 3, 4, 23), FlagKind.OFF_HOURS) == []
    assert UsualHours.objects.get(user=world.nurse).pk == measure.pk


# --- c) A burst of prints and exports -----------------------------------------------------------

def _exports(world, times, action=Action.SUMMARY_PDF, user=None):
    return log_reads(user or world.doctor, world.health, [world.own_client], times,
                     action=action, role=Role.DOCTOR)


START = at(2026, 3, 4, 10)


def test_ten_exports_in_ten_minutes_are_a_burst(world):
    _exports(world, [START + timedelta(minutes=n) for n in range(10)])
    [flag] = found(START, START + timedelta(hours=1), FlagKind.EXPORT_BURST)
    assert (flag.user_id, flag.count, flag.window_start, flag.window_end) == (
        world.doctor.pk, 10, START, START + timedelta(minutes=9))


def test_nine_are_not(world):
    _exports(world, [START + timedelta(minutes=n) for n in range(9)])
    assert found(START, START + timedelta(hours=1), FlagKind.EXPORT_BURST) == []


def test_ten_within_exactly_ten_minutes_are_and_ten_seconds_more_are_not(world):
    spread = [START + timedelta(seconds=600 * n / 9) for n in range(10)]  # 0 … 600 s
    _exports(world, spread)
    assert len(found(START, START + timedelta(hours=1), FlagKind.EXPORT_BURST)) == 1
    later = START + timedelta(days=1)
    _exports(world, [later + timedelta(seconds=610 * n / 9) for n in range(10)])
    assert [c.window_start for c in found(START, later + timedelta(hours=1),
                                          FlagKind.EXPORT_BURST)] == [START]


def test_csv_exports_count_and_page_views_do_not(world):
    _exports(world, [START + timedelta(minutes=n) for n in range(5)], action=Action.NOTES_CSV)
    _exports(world, [START + timedelta(minutes=n, seconds=30) for n in range(5)],
             action=Action.CONSENT_PDF)
    _exports(world, [START + timedelta(minutes=n, seconds=15) for n in range(20)],
             action=Action.CLIENT_PAGE)
    [flag] = found(START, START + timedelta(hours=1), FlagKind.EXPORT_BURST)
    assert flag.count == 10


def test_a_slow_trickle_is_no_burst(world):
    _exports(world, [START + timedelta(minutes=11 * n) for n in range(30)])
    assert found(START, START + timedelta(hours=6), FlagKind.EXPORT_BURST) == []


def test_the_burst_is_the_whole_run_of_exports(world):
    """Twelve in twelve minutes, then a pause, then one more: one flag of twelve."""
    _exports(world, [*(START + timedelta(minutes=n) for n in range(12)),
                     START + timedelta(minutes=40)])
    [flag] = found(START, START + timedelta(hours=1), FlagKind.EXPORT_BURST)
    assert flag.count == 12


# --- The task -----------------------------------------------------------------------------------

def test_a_burst_split_by_two_runs_is_one_flag(world):
    _exports(world, [START + timedelta(minutes=n) for n in range(6)])
    FlagRun.objects.create(checked_from=START - timedelta(hours=1), checked_until=START)
    flags.run(now=START + timedelta(minutes=5, seconds=30))
    assert not AccessFlag.objects.filter(kind=FlagKind.EXPORT_BURST).exists()
    _exports(world, [START + timedelta(minutes=n) for n in range(6, 12)])
    flags.run(now=START + timedelta(minutes=30))
    flag = AccessFlag.objects.get(kind=FlagKind.EXPORT_BURST)
    assert (flag.count, flag.window_start) == (12, START)


def test_a_run_repeated_changes_nothing(world, strangers):
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 22, n) for n in range(3)])
    _exports(world, [START + timedelta(minutes=n) for n in range(10)])
    first = flags.check(at(2026, 3, 4), at(2026, 3, 5))
    assert {f.kind for f in first.new} == set(FlagKind.values)
    rows = list(AccessFlag.objects.values_list("pk", "kind", "count").order_by("pk"))
    history = AccessFlag.history.count()
    again = flags.check(at(2026, 3, 4), at(2026, 3, 5))
    assert (again.new, again.updated, again.reopened) == ([], [], [])
    assert list(AccessFlag.objects.values_list("pk", "kind", "count").order_by("pk")) == rows
    assert AccessFlag.history.count() == history


def test_the_task_starts_where_it_stopped(world):
    FlagRun.objects.create(checked_from=START - timedelta(hours=2),
                           checked_until=START - timedelta(hours=1))
    run = flags.run(now=START)
    assert (run.checked_from, run.checked_until) == (START - timedelta(hours=1), START)
    assert flags.run(now=START) is None  # nothing new to look at


def test_a_day_that_grows_updates_its_flag_and_reopens_a_reviewed_one(world, strangers):
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 9, n) for n in range(3)])
    flags.check(at(2026, 3, 4, 9), at(2026, 3, 4, 10))
    flag = AccessFlag.objects.get(kind=FlagKind.UNRELATED_CLIENTS)
    flag.state, flag.reviewed_by, flag.reviewed_at = (FlagState.REVIEWED, world.officer,
                                                      timezone.now())
    flag.note = "Työtehtävä"
    flag.save()
    log_reads(world.nurse, world.health, strangers[3:], [at(2026, 3, 4, 13)])
    saved = flags.check(at(2026, 3, 4, 13), at(2026, 3, 4, 14))
    assert [f.pk for f in saved.reopened] == [flag.pk]
    flag.refresh_from_db()
    assert (flag.count, flag.state, flag.note) == (4, FlagState.OPEN, "Työtehtävä")
    assert flag.reopened


def _pattern(world, strangers, filler):
    """The same three flags, among `filler` ordinary reads in the same day's working hours."""
    log_reads(world.coach, world.employment, [world.other_client],
              [at(2026, 3, 4, 9) + timedelta(seconds=10 * n) for n in range(filler)],
              role="employment_expert")
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 22, n) for n in range(3)])
    _exports(world, [START + timedelta(minutes=n) for n in range(10)])


def _task_queries(now) -> int:
    with CaptureQueriesContext(connection) as queries:
        flags.run(now=now)
    return len(queries)


def test_the_tasks_queries_do_not_grow_with_the_log(world, strangers):
    OfficerPreference.objects.create(user=world.officer, email_flags=True)
    FlagRun.objects.create(checked_from=at(2026, 3, 3), checked_until=at(2026, 3, 4))
    _pattern(world, strangers, filler=10)
    small = _task_queries(at(2026, 3, 5))
    assert AccessFlag.objects.count() == 3
    FlagRun.objects.all().delete()
    FlagRun.objects.create(checked_from=at(2026, 3, 3), checked_until=at(2026, 3, 4))
    AccessFlag.objects.all().delete()
    _pattern(world, strangers, filler=2000)
    assert _task_queries(at(2026, 3, 5)) == small
    assert AccessFlag.objects.count() == 3


# --- E-mail -------------------------------------------------------------------------------------

def test_an_officer_who_asked_gets_one_email_with_counts_and_no_client_data(world, strangers):
    OfficerPreference.objects.create(user=world.officer, email_flags=True)
    OfficerPreference.objects.create(user=world.other_officer, email_flags=True)
    FlagRun.objects.create(checked_from=at(2026, 3, 3), checked_until=at(2026, 3, 4))
    log_reads(world.nurse, world.health, strangers[:3],
              [at(2026, 3, 4, 22, n) for n in range(3)])
    _exports(world, [START + timedelta(minutes=n) for n in range(10)])
    run = flags.run(now=at(2026, 3, 5))
    assert run.emailed == 1
    message = OutboxMessage.objects.get()
    assert message.to == world.officer.email  # employment services had nothing: no mail
    assert message.client_id is None
    for kind, count in ((FlagKind.UNRELATED_CLIENTS, 1), (FlagKind.EXPORT_BURST, 1)):
        assert f"{FlagKind(kind).label}: {count}" in message.body
    assert "/oversight/" in message.body
    for secret in (*(c.last_name for c in strangers), world.own_client.last_name,
                   world.own_client.hetu, "Hoitajamerkki"):
        assert secret not in message.body + message.subject
    # The same period again: nothing new, nothing sent.
    FlagRun.objects.all().delete()
    FlagRun.objects.create(checked_from=at(2026, 3, 3), checked_until=at(2026, 3, 4))
    flags.run(now=at(2026, 3, 5))
    assert OutboxMessage.objects.count() == 1


def test_an_officer_who_did_not_ask_gets_no_email(world, strangers):
    OfficerPreference.objects.create(user=world.officer, email_flags=False)
    FlagRun.objects.create(checked_from=at(2026, 3, 3), checked_until=at(2026, 3, 4))
    _exports(world, [START + timedelta(minutes=n) for n in range(10)])
    assert flags.run(now=at(2026, 3, 5)).found >= 1
    assert not OutboxMessage.objects.exists()
