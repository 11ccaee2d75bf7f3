"""
The differencing attack, replayed as a manager would: every period the form offers, for all
municipalities and for each one, on the page and in the CSV, yesterday and today.

The world (tests/reporting/world.py, on the factories): Kajaani and Sotkamo with ten clients
each. Sotkamo had 4 health checks in January 2026, 4 in February and 2 in March, and one of
its clients was assessed sick in March. Kajaani had 1 check in January, 2 in February, 5 in
March, and one more today, 15 April 2026. Before the dashboard's rule a manager read 7 checks
for March in all, 5 for Kajaani, and so 2 for Sotkamo; today's count less yesterday's gave
today's one check; a quarter less its months, and a municipality less the total, gave the
rest. (Each number rounded on its own would not add up here: Kajaani's first quarter of 8.)

Two tests: every count published is a multiple of five and the tables add up exactly along
every line an attacker subtracts along; and the world in which every municipality's monthly
count is replaced by the number published for it - every group empty or five and more - shows
exactly the same page and CSV, so no subtraction can tell the two apart.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from referrals.models import Conclusion, DoctorAssessment, HealthCheck, Referral
from teams.deadlines import DEFAULTS
from tests.utils import log_in

from .conftest import csv_rows, csv_tables, page_tables

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY, YESTERDAY = date(2026, 4, 15), date(2026, 4, 14)
RUNNING = ("2026-04", "2026-Q2", "2026")  # the periods that count up to the day
NOT_COUNTS = {gettext(label).format(days=DEFAULTS.discussion_working_days) for label in (
    "Referrals that got feedback, %",
    "Meetings followed by a feedback discussion within {days} working days, %",
    "Meetings followed by a feedback discussion within their team's deadline in working days, %",
    "Days from referral to check, median", "Days from referral to check, 90th percentile",
    "Days from check to feedback, median", "Days from check to feedback, 90th percentile",
)}
CHECKS = gettext("Unemployed health checks done")
SICK = gettext("Doctor's assessments: sick")
STATES = {gettext("Plan actions overdue at the end of the period"),
          gettext("Follow-ups overdue at the end of the period")}


def on(day: date):
    return time_machine.travel(datetime.combine(day, datetime.min.time(), HELSINKI)
                               + timedelta(hours=12))


@pytest.fixture
def counted_once(settings):
    """The page and its CSV share one counting, as they do in service (a cache of the test's
    own): what is published is what is served."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "reporting-differencing"}}
    settings.DASHBOARD_CACHE_SECONDS = 600
    yield
    cache.clear()


@pytest.fixture
def pools(world):
    return {municipality: [world.client(municipality) for _n in range(10)]
            for municipality in (world.kajaani, world.sotkamo)}


@pytest.fixture
def attacked(world, pools):
    """The events of the docstring, each for one of the municipality's ten clients."""
    kajaani, sotkamo = pools[world.kajaani], pools[world.sotkamo]
    for month, count in ((1, 4), (2, 4), (3, 2)):
        for n in range(count):
            world.check(date(2026, month, 3 + n), client=sotkamo[n])
    world.assessment(sotkamo[0], date(2026, 3, 20), Conclusion.SICK)
    for day in (date(2026, 1, 12), date(2026, 2, 9), date(2026, 2, 16)):
        world.check(day, client=kajaani[9])
    for n in range(5):
        world.check(date(2026, 3, 10 + n), client=kajaani[n])
    world.check(TODAY, client=kajaani[5])
    return world


def _offered(client) -> list[str]:
    """Every period the form offers, from 2025 on: the year before the first event, for the
    periods before and the twelve months. (Earlier ones count nothing: see the last test.)"""
    keys = []
    for kind in ("month", "quarter", "year"):
        choices = client.get(reverse("reporting:dashboard"),
                             {"kind": kind}).context["form"].fields["period"].widget.choices
        flat = ([key for key, _label in choices] if kind == "year"
                else [key for _year, group in choices for key, _label in group])
        keys += [key for key in flat if key >= "2025"]
    return keys


def _places(world) -> dict[str, str]:
    return {"all": "", "Kajaani": world.kajaani.pk, "Sotkamo": world.sotkamo.pk}


def _publish(client, world, periods, *, pages=True) -> dict:
    """{(period, place): tables} as the CSV holds them; with `pages`, the page's too, which
    must be the same."""
    layout = None if pages else _layout(client)
    published = {}
    for period in periods:
        for place, pk in _places(world).items():
            params = {"period": period, "municipality": pk}
            rows = csv_rows(client, params)
            assert rows[0][0] == gettext("Period")
            if pages:
                response = client.get(reverse("reporting:dashboard"), params)
                assert response.context["dashboard"].period.key == period
                shown = page_tables(response.content.decode())
                assert csv_tables(rows, shown) == shown, (period, place)
                published[period, place] = shown
            else:
                published[period, place] = csv_tables(rows, layout)
    return published


def _layout(client):
    return page_tables(client.get(reverse("reporting:dashboard")).content.decode())


def _observe(client, manager, world, *, pages=True) -> dict:
    """All that is published today, and yesterday what counts up to the day."""
    with on(TODAY):
        log_in(client, manager)
        periods = _offered(client)
        assert "2026-04" in periods and "2026-05" not in periods and "2025-01" in periods
        today = _publish(client, world, periods, pages=pages)
    with on(YESTERDAY):
        log_in(client, manager)
        yesterday = _publish(client, world, RUNNING, pages=pages)
    return {"today": today, "yesterday": yesterday}


def _counts(tables) -> dict[tuple, int]:
    """Every count in the tables, by (table, row, column): the percentages and the days
    waited left out, as they are not counts."""
    counts = {}
    for key, (header, *rows) in tables.items():
        for row in rows:
            if key == "figures" and row[0] in NOT_COUNTS:
                continue
            if key == "meeting_feedback" and row[0] != gettext("Answers"):
                continue  # the clients' average answers (reporting/feedback.py)
            for column, value in zip(header[1:], row[1:], strict=True):
                counts[key, row[0], column] = int(value)
    return counts


def _this(tables, label, column=None):
    column = column or gettext("This period")
    return _counts(tables)["figures", label, column]


def test_no_difference_of_published_counts_is_a_small_number(client, manager, attacked,
                                                             counted_once):
    world = attacked
    seen = _observe(client, manager, world)
    today, yesterday = seen["today"], seen["yesterday"]
    places = list(_places(world))

    # Every count published anywhere is a multiple of five, so is every sum and difference of
    # them: nothing subtracted is ever 1, 2, 3 or 4.
    for observed in (today, yesterday):
        for (period, place), tables in observed.items():
            for cell, value in _counts(tables).items():
                assert value % 5 == 0, (period, place, cell, value)

    # And the lines an attacker subtracts along hold exactly: all municipalities less one is
    # the other; a quarter less its months is the third; the period before is the same number
    # on both pages; a month is the same in the table of months as on its own page.
    for period in {period for period, _place in today}:
        every, kajaani, sotkamo = (_counts(today[period, place]) for place in places)
        for cell, value in every.items():
            if cell[0] != "municipalities":
                assert value == kajaani[cell] + sotkamo[cell], (period, cell)
    for place in places:
        def this(period, label=CHECKS, _place=place):
            return _this(today[period, _place], label)
        for quarter, months in (("2026-Q1", ["2026-01", "2026-02", "2026-03"]),
                                ("2025-Q4", ["2025-10", "2025-11", "2025-12"])):
            for label, _column in {(row, column) for _table, row, column
                                   in _counts(today[quarter, place]) if _table == "figures"}:
                if label in STATES:  # a state at the end: the quarter's is its last month's
                    assert this(quarter, label) == this(months[-1], label)
                else:
                    assert this(quarter, label) == sum(this(m, label) for m in months), label
        assert this("2026") == sum(this(q) for q in ("2026-Q1", "2026-Q2"))
        assert this("2025") == sum(this(f"2025-Q{n}") for n in range(1, 5))
        assert this("2026-Q2") == this("2026-04")  # May and June have not begun
        for period, before in (("2026-04", "2026-03"), ("2026-Q2", "2026-Q1"),
                               ("2026", "2025"), ("2026-01", "2025-12")):
            assert _this(today[period, place], CHECKS, gettext("Previous period")) == \
                this(before)
        months_table = {row[0]: int(row[1]) for row in today["2026", place]["months"][1:]}
        for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
            assert months_table[f"{int(month[5:])}/2026"] == this(month)

    # The attacks of the issue, one by one.
    march = {place: _this(today["2026-03", place], CHECKS) for place in places}
    assert march["Sotkamo"] in (0, 5)  # 2 checks: not shown as such
    assert march["all"] - march["Kajaani"] == march["Sotkamo"]  # all less Kajaani: the same
    assert _this(today["2026-03", "Sotkamo"], SICK) in (0, 5)  # one client's assessment
    first_quarter = _this(today["2026-Q1", "Sotkamo"], CHECKS)
    assert first_quarter - march["Sotkamo"] == sum(
        _this(today[month, "Sotkamo"], CHECKS) for month in ("2026-01", "2026-02"))
    for period in RUNNING:  # today's one check: today less yesterday
        for place in places:
            done_today = (_this(today[period, place], CHECKS)
                          - _this(yesterday[period, place], CHECKS))
            assert done_today in (0, 5), (period, place)
    for month in ("2026-01", "2026-02"):  # four a month in Sotkamo: never pinned to four
        assert _this(today[month, "Sotkamo"], CHECKS) in (0, 5)


def test_a_world_of_fives_publishes_exactly_the_same(client, manager, attacked, pools):
    """Replace each municipality's checks and assessments in each month by the number the
    dashboard published for them: no group of 1-4 is left, and every page and CSV, yesterday
    and today, is the same. Whatever is subtracted from what is published, it cannot tell
    which world it came from."""
    world = attacked
    real = _observe(client, manager, world, pages=False)
    today, yesterday = real["today"], real["yesterday"]

    DoctorAssessment.objects.all().delete()
    HealthCheck.objects.all().delete()
    Referral.objects.all().delete()
    months = sorted({period for period, _place in today if len(period) == 7 and "Q" not in period})
    for municipality in (world.kajaani, world.sotkamo):
        clients = pools[municipality]
        for month in months:
            first = date(int(month[:4]), int(month[5:]), 1)
            checks = _this(today[month, municipality.name], CHECKS)
            sick = _this(today[month, municipality.name], SICK)
            assert checks % 5 == 0 and sick % 5 == 0
            if month == "2026-04":  # by yesterday, and today's step
                before = _this(yesterday[month, municipality.name], CHECKS)
                days = [first] * before + [TODAY] * (checks - before)
            else:
                days = [first] * checks
            for n, day in enumerate(days):
                world.check(day, client=clients[n % len(clients)])
            for n in range(sick):
                world.assessment(clients[n % len(clients)], first, Conclusion.SICK)

    rounded = _observe(client, manager, world, pages=False)
    assert rounded["today"] == today
    assert rounded["yesterday"] == yesterday


def test_the_years_before_count_nothing(client, manager, attacked):
    """The periods the attacks above leave out hold no event: every count they publish is 0
    (but for the clients there are now)."""
    with on(TODAY):
        log_in(client, manager)
        for period in ("2024", "2021", "2024-Q4", "2024-12"):
            tables = csv_tables(csv_rows(client, {"period": period}), _layout(client))
            for now in ("status", "income_sources", "jobseeker_statuses"):
                del tables[now]
            assert set(_counts(tables).values()) == {0}, period
