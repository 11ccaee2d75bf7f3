"""
Knowledge management: the dashboard's numbers against a world whose events are known, counted
by hand below; the exports parsed back; the query count at two sizes; no client-level logging.
"""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clients.models import ClientStatus, ClosingReason
from consents.models import AccessLogEntry
from meetings.models import Meeting, MeetingMode, MeetingStatus
from plans.models import ActionStatus, FeedbackDiscussion, FollowUp, PlanAction, SupportPlan
from referrals.models import (
    Conclusion,
    DoctorAssessment,
    Feedback,
    HealthCheck,
    NurseView,
    Referral,
    ReferralReason,
)
from reporting.reports import Period, build, cache_key
from teams.models import Role, Team
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff
from tests.mailserver import free_port
from tests.utils import log_in

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))  # the one before: 29 January – 28 February


def at(day: date, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class World:
    """Kajaani and Sotkamo, with events in March 2026 and the 31 days before."""

    def __init__(self):
        self.kajaani = MunicipalityFactory(name="Kajaani", code="205")
        self.sotkamo = MunicipalityFactory(name="Sotkamo", code="765")
        self.health = OrganisationFactory(name="Kainuun hyvinvointialue")
        self.nurse = staff(Role.NURSE, self.health)
        self.team = Team.objects.create(name="Kajaanin työkykytiimi")

    def record(self, model, client, **fields):
        return model.objects.create(client=client, organisation=self.health,
                                    created_by=self.nurse, **fields)

    def client(self, municipality=None, **fields):
        return ClientFactory(municipality=municipality or self.kajaani,
                             organisations=[self.health], **fields)

    def referral(self, sent: date, *, checked_after=None, feedback_after=None,
                 municipality=None, self_referral=False):
        client = self.client(municipality)
        referral = self.record(Referral, client, recipient=self.health,
                               reason=ReferralReason.HEALTH_CONCERN,
                               is_self_referral=self_referral)
        Referral.objects.filter(pk=referral.pk).update(created_at=at(sent))
        check = None
        if checked_after is not None:
            check = self.record(HealthCheck, client, referral=referral, nurse=self.nurse,
                                performed_on=sent + timedelta(days=checked_after),
                                nurse_view=NurseView.UNEMPLOYED, next_steps="Jatko",
                                work_ability=6)
            if feedback_after is not None:
                self.record(Feedback, client, referral=referral, findings="Havainnot",
                            recommendations="Suositukset",
                            given_on=check.performed_on + timedelta(days=feedback_after))
        return client, check

    def meeting(self, client, day: date, *, discussed_after=None, cancelled=False):
        meeting = self.record(Meeting, client, team=self.team, starts_at=at(day),
                              ends_at=at(day, 11), mode=MeetingMode.VIDEO,
                              status=MeetingStatus.CANCELLED if cancelled
                              else MeetingStatus.SCHEDULED)
        if discussed_after is not None:
            self.record(FeedbackDiscussion, client, meeting=meeting, holder=self.nurse,
                        held_on=day + timedelta(days=discussed_after))
        return meeting


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

    assert figures["health_checks"] == (7, "<5")  # 6 referred + 1 self-referral; 3 before
    assert figures["referrals"] == (7, "<5")  # the self-referral is not a referral sent
    assert figures["referrals_with_feedback"] == (71, "–")  # 5 / 7; nothing before
    # Days to the check, referred ones only: 1 2 3 4 5 10 — nearest rank 3rd and 6th.
    assert figures["referral_to_check_median"] == (3, "–")
    assert figures["referral_to_check_p90"] == (10, "–")
    # Days from check to feedback: 0 1 2 3 7 — 3rd and 5th.
    assert figures["check_to_feedback_median"] == (2, "–")
    assert figures["check_to_feedback_p90"] == (7, "–")
    assert figures["meetings"] == (6, "<5")  # the cancelled one was not held
    assert figures["meetings_discussed"] == (83, "–")  # 5 / 6
    assert figures["assessment_unemployed"] == (5, "<5")
    assert figures["assessment_sick"] == ("<5", "<5")
    assert figures["overdue_actions"] == (6, "<5")
    assert figures["overdue_follow_ups"] == (5, "<5")


def test_all_municipalities_add_up_and_small_cells_stay_hidden(world):
    dashboard = build(MARCH)
    figures = figures_of(dashboard)

    assert figures["health_checks"] == (9, "<5")
    assert figures["referrals"] == (9, "<5")
    assert figures["referrals_with_feedback"] == (56, "–")  # 5 / 9
    assert dashboard.by_municipality == [
        {"municipality": "Kajaani", "checks": 7, "referrals": 7},
        {"municipality": "Sotkamo", "checks": "<5", "referrals": "<5"},
    ]


def test_the_previous_period_is_compared_when_it_has_enough(world):
    """February seen as the period: it has 3 checks of its own (<5) and January has none."""
    world.referral(date(2026, 2, 10), checked_after=1)
    world.referral(date(2026, 2, 11), checked_after=1)
    figures = figures_of(build(Period(date(2026, 2, 1), date(2026, 2, 28)), world.kajaani))
    assert figures["health_checks"] == (5, "<5")

    march = build(MARCH, world.kajaani)
    checks = next(f for f in march.figures if f.key == "health_checks")
    assert (checks.current, checks.previous, checks.change) == (7, 5, "+2")


def test_clients_by_status_and_closing_reason(world):
    dashboard = build(MARCH, world.kajaani)
    # Kajaani: 7 + 1 + 3 clients, 6 of them closed.
    assert dict(dashboard.tables["status"]) == {"Aktiivinen": 5, "Päättynyt": 6}
    reasons = {label: (now, before) for label, now, before in dashboard.tables["closing_reasons"]}
    assert reasons["Työllistynyt"] == (5, "<5")
    assert reasons["Opiskelemassa"] == ("<5", "<5")


def test_the_months_count_each_month(world):
    months = {row["month"]: row for row in build(MARCH, world.kajaani).months}
    assert len(months) == 12
    assert min(months) == date(2025, 4, 1)
    assert months[date(2026, 3, 1)] == {"month": date(2026, 3, 1), "checks": 7,
                                        "referrals": 7, "meetings": 6}
    assert months[date(2026, 2, 1)]["checks"] == "<5"


# --- The page and its exports --------------------------------------------------------------------


@pytest.fixture
def leader(world):
    return staff(Role.MANAGER, world.health)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """The dashboard's tables as text, read from the HTML."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.current, self.cell = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table" and "dashboard-table" in (attrs.get("class") or ""):
                self.current = self.tables.setdefault(attrs["id"].removeprefix("table-"), [])
            elif tag == "tr" and self.current is not None:
                self.current.append([])
            elif tag in ("td", "th") and self.current is not None:
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.current[-1].append(self.cell.strip())
                self.cell = None
            elif tag == "table":
                self.current = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Tables()
    parser.feed(html)
    return parser.tables


def test_the_page_shows_the_figures_and_charts(client, leader, world):
    log_in(client, leader)
    response = client.get(reverse("reporting:dashboard"),
                          {"start": "2026-03-01", "end": "2026-03-31",
                           "municipality": world.kajaani.pk})
    assert response.status_code == 200
    figures = {row[0]: row[1:] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == ["7", "<5", "–"]
    assert figures["Palautteen saaneet lähetteet, %"] == ["71", "–", "–"]
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
                          {"start": "2026-03-01", "end": "2026-03-31",
                           "municipality": world.kajaani.pk})
    assert response.status_code == 200
    figures = {row[0]: row[1:] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == ["7", "<5", "–"]


def test_a_leader_lands_on_the_numbers(client, leader):
    log_in(client, leader)
    assert client.get(reverse("home")).url == reverse("reporting:dashboard")


def test_a_bad_period_is_explained_in_finnish(client, leader):
    log_in(client, leader)
    response = client.get(reverse("reporting:dashboard"), {"start": "2026-03-31",
                                                       "end": "2026-03-01"})
    assert response.status_code == 200
    assert "Jakso ei voi päättyä ennen kuin se alkaa." in response.content.decode()


def _export(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_and_xlsx_hold_the_page_tables_and_the_filters(client, leader, world):
    log_in(client, leader)
    params = {"start": "2026-03-01", "end": "2026-03-31", "municipality": world.kajaani.pk}
    shown = page_tables(client.get(reverse("reporting:dashboard"), params).content.decode())

    rows = list(csv.reader(io.StringIO(_export(client, "reporting:dashboard_csv", params)
                                       .decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Jakso", "1.3.2026–31.3.2026"]
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
        assert values[0] == ["Jakso", "1.3.2026–31.3.2026"]
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
    url = reverse("reporting:dashboard") + "?start=2026-03-01&end=2026-03-31"
    small = count_queries(client, url)
    for n in range(90):
        client_, _check = world.referral(date(2026, 3, 1) + timedelta(days=n % 28),
                                        checked_after=n % 3, feedback_after=n % 2)
        world.meeting(client_, date(2026, 3, 1) + timedelta(days=n % 28), discussed_after=n % 20)
    assert count_queries(client, url) == small


def test_charts_draw_suppressed_values_at_zero():
    from reporting.charts import bar_chart, line_chart

    chart = line_chart([{"n": 10}, {"n": "<5"}], [("n", "Luku")], lambda row: "")
    assert chart.lines[0][3] == "40.0,16.0 612.0,200.0"  # the top, then the bottom
    bars = bar_chart([{"name": "A", "n": 20}, {"name": "B", "n": "<5"}], "n", "name").bars
    assert [(bar.width, bar.value) for bar in bars] == [(400.0, 20), (0.0, "<5")]


def test_the_numbers_are_reused_for_a_while_and_say_when_they_were_counted(
    client, leader, world, settings, count_queries
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    log_in(client, leader)
    # A period of its own, so that no other test's numbers share the key.
    cache.delete(cache_key(Period(date(2026, 3, 1), date(2026, 3, 30))))  # an earlier run's
    url = reverse("reporting:dashboard") + "?start=2026-03-01&end=2026-03-30"
    first = count_queries(client, url)
    world.referral(date(2026, 3, 20), checked_after=1)  # counted only after the reuse ends
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) <= first - 15  # none of the counting
    figures = {row[0]: row[1] for row in page_tables(response.content.decode())["figures"]}
    assert figures["Tehdyt työttömien terveystarkastukset"] == "9"  # not yet 10
    assert "Laskettu" in response.content.decode()
    cache.delete(cache_key(Period(date(2026, 3, 1), date(2026, 3, 30))))


def test_the_bars_show_the_twenty_largest_and_the_table_all():
    from reporting.charts import bar_chart

    rows = [{"name": f"Kunta {n}", "n": n} for n in range(300)]
    bars = bar_chart(rows, "n", "name").bars
    assert [bar.value for bar in bars] == list(range(299, 279, -1))
