import csv
import io
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from teams.models import Role
from tests.factories import staff
from tests.reporting.world import World


@pytest.fixture(autouse=True)
def counted_afresh(settings, monkeypatch):
    """No numbers reused from another test's world through the cache, and the facts counted
    whenever the dashboard reads them."""
    settings.DASHBOARD_CACHE_SECONDS = 0
    count_facts_on_read(monkeypatch)


def count_facts_on_read(monkeypatch):
    """The dashboard's facts (reporting/facts.py) counted afresh, all of them, each time the
    dashboard reads them, up to the day it counts to: what the Celery beat does between the
    records written and the page asked for, so that a test can write records and read the
    page."""
    from reporting import facts, reports

    asked = {}
    counted_until, latest_refresh = reports.counted_until, reports.latest_refresh

    def noting_the_day(period, today=None):
        asked["today"] = today
        return counted_until(period, today)

    monkeypatch.setattr(reports, "counted_until", noting_the_day)
    # The tests' worlds are of this year and the last: the months before cost time only.
    monkeypatch.setattr(facts, "first_month", lambda today: date(today.year - 2, 1, 1))
    monkeypatch.setattr(reports, "latest_refresh", lambda: facts.refresh(
        everything=True, today=asked.pop("today", None)))
    return latest_refresh


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def manager(world):
    return staff(Role.MANAGER, world.health)


class _Tables(HTMLParser):
    """The dashboard's tables as text, read from its HTML as a person reads them."""

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


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(client, params) -> list[list[str]]:
    response = client.get(reverse("reporting:dashboard_csv"), params)
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def csv_tables(rows: list[list[str]], like: dict[str, list[list[str]]]) -> dict:
    """The CSV's tables, found by the page's headers: each a header row and its body."""
    tables = {}
    for key, table in like.items():
        start = rows.index(table[0])
        end = start + 1
        while end < len(rows) and rows[end]:
            end += 1
        tables[key] = rows[start:end]
    return tables
