"""
Knowledge management: the dashboard's numbers against a world whose events are known, counted
by hand below and rounded by the dashboard's rule (reporting/reports.py) with every cell's start
pinned at zero, so that each published number is the year's running total rounded down to
fives, less what the months before published; the exports parsed back; the query count at two
sizes; no client-level logging. tests/reporting/ attacks the rule itself, with its real starts.
"""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from clients.models import ClientStatus, ClosingReason
from consents.models import AccessLogEntry
from plans.models import ActionStatus, FollowUp, PlanAction, SupportPlan
from referrals.models import Conclusion, DoctorAssessment
from reporting import reports
from reporting.reports import Period, build
from teams.models import Role
from tests.factories import staff
from tests.mailserver import free_port
from tests.reporting.conftest import count_facts_on_read, page_tables
from tests.reporting.world import World
from tests.utils import log_in

MARCH = Period.parse("2026-03")
LATEST_REFRESH = reports.latest_refresh  # the one before: February


@pytest.fixture(autouse=True)
def april_2026():
    """Every period asked for here has ended and is still offered."""
    with time_machine.travel(datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Europe/Helsinki"))):
        yield


@pytest.fixture(autouse=True)
def starts_at_zero(monkeypatch, settings):
    """Every cell's rounding starts at zero, and the numbers are counted afresh each time."""
    monkeypatch.setattr(reports, "offset", lambda *args: 0)
    settings.DASHBOARD_CACHE_SECONDS = 0
    count_facts_on_read(monkeypatch)


@pytest.fixture
def world(db):
    """
    Kajaani in March: 7 referrals sent, 6 of them checked after 1, 2, 3, 4, 5 and 10 days,
    5 of those with feedback 0, 1, 2, 3 and 7 days after the check; one self-referral checked.
    In February: 3 referrals, all checked, none fed back. Sotkamo in March: 2 referrals, both
    checked. 6 meetings held in March 9-14 (one more cancelled), 5 followed by a discussion
    within 14 days (the last exactly on day 14), one late: Saturday the 14th's is due on Monday
    the 30th (day 16) and held only on day 17. Assessments in March: 5 unemployed, 2 sick.
    6 Kajaani clients closed in March: 5 employed, 1 to studies.
    """
    w = World()
    clients, checks = [], []
    for n, (days_to_check, days_to_feedback) in enumerate(
        [(1, 0), (2, 1), (3, 2), (4, 3), (5, 7), (10, None), (None, None)]
    ):
        client, check = w.referral(date(2026, 3, 2 + n), checked_after=days_to_check,
                                   feedback_after=days_to_feedback)
        clients.append(client)
        checks.append(check)
    w.referral(date(2026, 3, 10), checked_after=2, self_referral=True)
    for n in range(3):
        w.referral(date(2026, 2, 2 + n), checked_after=3)
    for n in range(2):
        w.referral(date(2026, 3, 3 + n), checked_after=1, municipality=w.sotkamo)

    for n, discussed_after in enumerate([0, 3, 7, 13, 14, 17]):
        w.meeting(clients[n], date(2026, 3, 9 + n), discussed_after=discussed_after)
    w.meeting(clients[6], date(2026, 3, 20), cancelled=True)

    for n, conclusion in enumerate([Conclusion.UNEMPLOYED] * 5 + [Conclusion.SICK] * 2):
        w.record(DoctorAssessment, clients[n], health_check=checks[n] if n < 6 else None,
                 assessed_on=date(2026, 3, 20), conclusion=conclusion,
                 justification="Perustelu", continuation_plan="Jatko")

    for client, reason in zip(clients[:6], [ClosingReason.EMPLOYED] * 5
                              + [ClosingReason.STUDYING], strict=True):
        client.status, client.closed_on, client.closing_reason = (
            ClientStatus.CLOSED, date(2026, 3, 25), reason)
        client.save()

    w.plan = w.record(SupportPlan, clients[6], short_term_goals="Työkokeilu")
    _actions(w.plan)
    _follow_ups(w.plan)
    return w


def _actions(plan):
    """Overdue on 31 March: five due 10 March and one due 10 February, still open.
    Overdue on 28 February: that one and one due 10 February but done only on 5 March."""
    rows = [(date(2026, 3, 10), ActionStatus.PLANNED, None)] * 5 + [
        (date(2026, 2, 10), ActionStatus.IN_PROGRESS, None),
        (date(2026, 2, 10), ActionStatus.DONE, date(2026, 3, 5)),
        (date(2026, 3, 20), ActionStatus.DONE, date(2026, 3, 15)),  # done in time
        (date(2026, 2, 1), ActionStatus.CANCELLED, None),  # no longer anyone's task
        (None, ActionStatus.PLANNED, None),  # no date, never late
    ]
    for due_on, status, done_on in rows:
        PlanAction.objects.create(plan=plan, what="Tehtävä", due_on=due_on, status=status,
                                  done_on=done_on)


def _follow_ups(plan):
    """Overdue on 31 March: five due 10 March. On 28 February: one due 15 February, done 2 March."""
    for _n in range(5):
        FollowUp.objects.create(plan=plan, due_on=date(2026, 3, 10))
    FollowUp.objects.create(plan=plan, due_on=date(2026, 2, 15), done_on=date(2026, 3, 2))
    FollowUp.objects.create(plan=plan, due_on=date(2026, 4, 15))  # not yet due


def figures_of(dashboard):
    return {f.key: (f.current, f.previous) for f in dashboard.figures}


def test_the_figures_of_one_municipality_match_the_hand_count(world):
    figures = figures_of(build(MARCH, world.kajaani))

    # Checks: 3 in February, 7 in March (6 referred + 1 self-referral): the year's running
    # total 3, then 10, publishes 0 for February and 10 for March.
    assert figures["health_checks"] == (10, 0)
    # Referrals sent in March: 5 fed back (published 5) and 2 still without; with February's
    # 3 without, those run 3, then 5: 0 for February, 5 for March. 5 of 10 fed back.
    assert figures["referrals"] == (10, 0)
    assert figures["referrals_with_feedback"] == (50, "–")
    # Days to the check, referred ones only: 1 2 3 4 5 10 — nearest rank 3rd and 6th. Not
    # counts: shown as they are when at least five durations go in.
    assert figures["referral_to_check_median"] == (3, "–")
    assert figures["referral_to_check_p90"] == (10, "–")
    # Days from check to feedback: 0 1 2 3 7 — 3rd and 5th.
    assert figures["check_to_feedback_median"] == (2, "–")
    assert figures["check_to_feedback_p90"] == (7, "–")
    # Meetings held: 5 discussed in time (5) and 1 late (0); the cancelled one was not held.
    assert figures["meetings"] == (5, 0)
    assert figures["meetings_discussed"] == (100, "–")
    assert figures["assessment_unemployed"] == (5, 0)
    assert figures["assessment_sick"] == (0, 0)  # 2
    assert figures["overdue_actions"] == (5, 0)  # 6 on 31 March, 2 on 28 February
    assert figures["overdue_follow_ups"] == (5, 0)  # 5, and 1


def test_all_municipalities_are_the_sums_of_the_municipalities(world):
    """Sotkamo's 2 checks and 2 referrals publish 0: the total says no more than Kajaani."""
    dashboard = build(MARCH)
    figures = figures_of(dashboard)

    assert figures["health_checks"] == (10, 0)
    assert figures["referrals"] == (10, 0)
    assert figures["referrals_with_feedback"] == (50, "–")
    assert dashboard.by_municipality == [
        {"municipality": "Kajaani", "checks": 10, "referrals": 10},
        {"municipality": "Sotkamo", "checks": 0, "referrals": 0},
    ]


def test_the_previous_period_is_compared_when_it_has_enough(world):
    """February with two more checks: its 5 publish 5, and March's running total 12 then
    publishes 10 - 5 = 5."""
    world.referral(date(2026, 2, 10), checked_after=1)
    world.referral(date(2026, 2, 11), checked_after=1)
    figures = figures_of(build(Period.parse("2026-02"), world.kajaani))
    assert figures["health_checks"] == (5, 0)

    march = build(MARCH, world.kajaani)
    checks = next(f for f in march.figures if f.key == "health_checks")
    assert (checks.current, checks.previous, checks.change) == (5, 5, "+0")
    first_quarter = figures_of(build(Period.parse("2026-Q1"), world.kajaani))
    assert first_quarter["health_checks"][0] == 10  # = 0 + 5 + 5: it adds up


def test_clients_by_status_and_closing_reason(world):
    dashboard = build(MARCH, world.kajaani)
    # Kajaani: 7 + 1 + 3 clients, 6 of them closed.
    assert dict(dashboard.tables["status"]) == {"Aktiivinen": 5, "Päättynyt": 5}
    reasons = {label: (now, before) for label, now, before in dashboard.tables["closing_reasons"]}
    assert reasons["Työllistynyt"] == (5, 0)
    assert reasons["Opiskelemassa"] == (0, 0)


def test_the_months_count_each_month(world):
    months = {row["month"]: row for row in build(MARCH, world.kajaani).months}
    assert len(months) == 12
    assert min(months) == date(2025, 4, 1)
    assert months[date(2026, 3, 1)] == {"month": date(2026, 3, 1), "checks": 10,
                                        "referrals": 10, "meetings": 5}
    assert months[date(2026, 2, 1)]["checks"] == 0


def test_a_period_still_running_is_counted_up_to_today(world):
    """On 15 April, April so far: two checks published as 0 until a third is done."""
    world.referral(date(2026, 4, 1), checked_after=1)
    world.referral(date(2026, 4, 2), checked_after=1)
    april = build(Period.parse("2026-04"), world.kajaani)
    assert april.as_of == date(2026, 4, 15) and april.running
    # March's 10 carried the year to exactly 10: April's 2 make 12, published 10 - 10 = 0.
    assert figures_of(april)["health_checks"] == (0, 10)
    world.check(date(2026, 4, 14))
    world.check(date(2026, 4, 15))
    world.check(date(2026, 4, 16))  # tomorrow: not counted
    assert figures_of(build(Period.parse("2026-04"), world.kajaani))["health_checks"] == (0, 10)
    world.check(date(2026, 4, 15))
    assert figures_of(build(Period.parse("2026-04"), world.kajaani))["health_checks"] == (5, 10)


# --- The page and its exports --------------------------------------------------------------------


@pytest.fixture
def leader(world):
    return staff(Role.MANAGER, world.health)


def test_the_page_shows_the_figures_and_charts(client, leader, world):
    log_in(client, leader)
    response = client.get(reverse("reporting:dashboard"),
                          {"kind": "month", "period": "2026-03",
                           "municipality": world.kajaani.pk})
    assert response.status_code == 200
    figures = {row[0]: row[1:] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == ["10", "0", "+10"]
    assert figures["Palautteen saaneet lähetteet, %"] == ["50", "–", "–"]
    html = response.content.decode()
    assert html.count('role="img"') == 3
    assert "<title id=\"trend-title\">" in html


def test_the_numbers_are_counted_afresh_when_the_cache_is_down(client, leader, world, settings):
    """Redis unreachable: the page answers with the numbers, not a server error."""
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    log_in(client, leader)
    response = client.get(reverse("reporting:dashboard"),
                          {"period": "2026-03", "municipality": world.kajaani.pk})
    assert response.status_code == 200
    figures = {row[0]: row[1:] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == ["10", "0", "+10"]


def test_a_leader_lands_on_the_numbers(client, leader):
    log_in(client, leader)
    assert client.get(reverse("home")).url == reverse("reporting:dashboard")


def test_a_bad_period_is_explained_in_finnish(client, leader):
    """The messages in the language of the page (Finnish here), never a server error."""
    log_in(client, leader)
    choose = gettext("Choose a period from the list: a month such as 2026-11, a quarter such "
                     "as 2026-Q3 or a year such as 2026.")
    for period, message in [
        ("2026-13", choose),
        ("maaliskuu", choose),
        ("2026-05", gettext("The period {period} has not begun yet: choose one from the list.")
         .format(period="2026-05")),
        ("2020", gettext("Numbers are shown from the year {year} on: choose a later period.")
         .format(year=2021)),
    ]:
        response = client.get(reverse("reporting:dashboard"), {"period": period})
        assert response.status_code == 200, period
        assert message in response.content.decode(), period
        assert "dashboard.csv" not in response.content.decode()  # no file of other numbers
    response = client.get(reverse("reporting:dashboard"), {"kind": "week"})
    assert "Valitse oikea vaihtoehto" in response.content.decode()
    assert client.get(reverse("reporting:dashboard_csv"), {"period": "2026-13"}).status_code \
        == 400


def test_the_periods_offered_are_whole_and_none_to_come(client, leader):
    log_in(client, leader)
    response = client.get(reverse("reporting:dashboard"), {"kind": "quarter"})
    options = response.context["form"].fields["period"].widget.choices
    offered = [key for _year, group in options for key, _label in group]
    assert offered[:3] == ["2026-Q2", "2026-Q1", "2025-Q4"]  # on 15 April: Q2 has begun
    assert offered[-1] == "2021-Q1"
    months = client.get(reverse("reporting:dashboard"), {"kind": "month"}).context["form"]
    assert months.fields["period"].widget.choices[0][1][0] == ("2026-04", "4/2026")


def test_changing_the_kind_keeps_the_time(client, leader):
    log_in(client, leader)
    for kind, period, shown in [("year", "2025-11", "2025"), ("quarter", "2025-11", "2025-Q4"),
                                ("month", "2025", "2025-12"), ("month", "2026", "2026-04")]:
        form = client.get(reverse("reporting:dashboard"),
                          {"kind": kind, "period": period}).context["form"]
        assert form.is_valid()
        assert form.cleaned_data["period"].key == shown
        assert f'<option value="{shown}" selected>' in str(form["period"])


def _export(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_and_xlsx_hold_the_page_tables_and_the_filters(client, leader, world):
    log_in(client, leader)
    params = {"kind": "month", "period": "2026-03", "municipality": world.kajaani.pk}
    page = client.get(reverse("reporting:dashboard"), params).content.decode()
    shown = page_tables(page)
    assert f"dashboard.csv?kind=month&amp;period=2026-03&amp;municipality={world.kajaani.pk}" \
        in page

    rows = list(csv.reader(io.StringIO(_export(client, "reporting:dashboard_csv", params)
                                       .decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Jakso", "3/2026 (1.3.2026–31.3.2026)"]
    assert rows[1] == ["Verrattuna jaksoon", "2/2026 (1.2.2026–28.2.2026)"]
    assert ["Kunta", "Kajaani"] in rows
    for key, table in shown.items():
        start = rows.index(table[0])  # the header row, then the body
        assert rows[start:start + len(table)] == table, key

    workbook = load_workbook(io.BytesIO(_export(client, "reporting:dashboard_xlsx", params)))
    sheets = [[_trimmed(["" if v is None else str(v) for v in row])
               for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]
    assert len(sheets) == len(shown)
    for key, table in shown.items():
        (values,) = [rows for rows in sheets if table[0] in rows]
        assert values[0] == ["Jakso", "3/2026 (1.3.2026–31.3.2026)"]
        start = values.index(table[0])
        assert values[start:start + len(table)] == table, key


def _trimmed(row):
    """A sheet's rows are as wide as its widest: drop the empty cells at the end."""
    while row and row[-1] == "":
        row.pop()
    return row


def test_a_municipality_name_is_never_a_formula_in_the_exports(client, leader, world):
    world.kajaani.name = "=HYPERLINK(\"http://example.com\")"
    world.kajaani.save()
    log_in(client, leader)
    params = {"municipality": world.kajaani.pk}
    assert "'=HYPERLINK" in _export(client, "reporting:dashboard_csv", params).decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(_export(client, "reporting:dashboard_xlsx", params)))
    cell = workbook.worksheets[0]["B3"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_the_dashboard_writes_no_client_level_access(client, leader, world):
    log_in(client, leader)
    before = AccessLogEntry.objects.count()
    client.get(reverse("reporting:dashboard"))
    client.get(reverse("reporting:dashboard_csv"))
    client.get(reverse("reporting:dashboard_xlsx"))
    assert AccessLogEntry.objects.count() == before


def test_the_query_count_does_not_grow_with_clients(client, leader, world, count_queries):
    log_in(client, leader)
    url = reverse("reporting:dashboard") + "?period=2026-03"
    small = count_queries(client, url)
    for n in range(90):
        client_, _check = world.referral(date(2026, 3, 1) + timedelta(days=n % 28),
                                        checked_after=n % 3, feedback_after=n % 2)
        world.meeting(client_, date(2026, 3, 1) + timedelta(days=n % 28), discussed_after=n % 20)
    assert count_queries(client, url) == small


def test_charts_draw_values_not_shown_at_zero():
    from reporting.charts import bar_chart, line_chart

    chart = line_chart([{"n": 10}, {"n": "–"}], [("n", "Luku")], lambda row: "")
    assert chart.lines[0][3] == "40.0,16.0 612.0,200.0"  # the top, then the bottom
    bars = bar_chart([{"name": "A", "n": 20}, {"name": "B", "n": 0}], "n", "name").bars
    assert [(bar.width, bar.value) for bar in bars] == [(400.0, 20), (0.0, 0)]


def test_the_numbers_are_those_of_the_last_refresh_and_say_when_they_were_counted(
    client, leader, world, settings, monkeypatch
):
    from reporting import facts

    monkeypatch.setattr(reports, "latest_refresh", LATEST_REFRESH)  # none on reading
    settings.DASHBOARD_CACHE_SECONDS = 600
    log_in(client, leader)
    facts.refresh()
    url = reverse("reporting:dashboard") + "?period=2026-Q1"
    assert client.get(url).context["dashboard"].figures[0].current == 10
    for n in range(5):  # counted only by the next refresh
        world.referral(date(2026, 3, 20 + n), checked_after=1)
    response = client.get(url)
    figures = {row[0]: row[1] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == "10"  # not yet 15
    assert "Laskettu" in response.content.decode()
    facts.refresh()  # the cached numbers were of the refresh before
    assert client.get(url).context["dashboard"].figures[0].current == 15


def test_the_bars_show_the_twenty_largest_and_the_table_all():
    from reporting.charts import bar_chart

    rows = [{"name": f"Kunta {n}", "n": n} for n in range(300)]
    bars = bar_chart(rows, "n", "name").bars
    assert [bar.value for bar in bars] == list(range(299, 279, -1))
