"""
The deadlines of the service path: the one place that knows their numbers.

Administrators set them for the whole county (DeadlineSettings without a team) and, where a team
works differently, for that team; a client's deadlines are those of the team that serves the
client's municipality, else the county's, else the defaults below, field by field (an empty
field follows the row above it). Two or more teams serving one municipality: the first by name
with its own row.

The units follow what the documents say. Days to act — booking the health check, feedback
after it, the feedback discussion after a team meeting, a plan action overdue — are working
days (tyokyky/workdays.py: not weekends, not Finnish public holidays); the defaults are
today's two weeks as ten working days, three for an urgent booking, and a week past an
action's date as five. The consent warning is a notice period, 30 calendar days before the
consent's last day; the next health check is due twelve months after the last one. Both of
those are calendar spans that land on a working day (workdays.due_after).

The numbers are read once for a request (DeadlineScopeMiddleware) or a sweep (`one_reading`),
in one query, and rules over many clients select by `where`: an OR of (the municipalities of
one value AND the date bound of that value), one query per rule however many teams differ.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from .models import DeadlineSettings


@dataclass(frozen=True)
class Deadlines:
    """The deadlines of one client, team or the county; the defaults are the documents'."""

    booking_working_days: int = 10
    urgent_booking_working_days: int = 3
    feedback_working_days: int = 10
    discussion_working_days: int = 10
    action_overdue_working_days: int = 5
    consent_warning_days: int = 30  # calendar days: a notice period, not a deadline to act
    check_interval_months: int = 12

    def booking_working_days_for(self, urgency: str) -> int:
        """Referral urgency (referrals.models.Urgency): "urgent" or "normal"."""
        return self.urgent_booking_working_days if urgency == "urgent" else (
            self.booking_working_days)

    @property
    def check_interval(self) -> relativedelta:
        return relativedelta(months=self.check_interval_months)


DEFAULTS = Deadlines()
FIELDS = tuple(field.name for field in fields(Deadlines))


def _over(base: Deadlines, row: dict) -> Deadlines:
    """`base` with the fields that `row` sets."""
    return replace(base, **{name: row[name] for name in FIELDS if row.get(name) is not None})


@dataclass(frozen=True)
class DeadlineTable:
    """Every configuration at once: the county's, and each municipality whose team has its own."""

    county: Deadlines
    by_municipality: dict
    by_team: dict

    def for_municipality(self, municipality_id) -> Deadlines:
        return self.by_municipality.get(municipality_id, self.county)

    def for_team(self, team_id) -> Deadlines:
        return self.by_team.get(team_id, self.county)

    def values_of(self, name: str) -> list[tuple[int, list | None]]:
        """The distinct values of one deadline with the municipalities that have them; None
        stands for every other municipality (the county's value)."""
        grouped = defaultdict(list)
        for municipality_id, deadlines in self.by_municipality.items():
            value = getattr(deadlines, name)
            if value != getattr(self.county, name):
                grouped[value].append(municipality_id)
        others = [m for ids in grouped.values() for m in ids]
        return [(getattr(self.county, name), others or None),
                *grouped.items()]

    def where(self, name: str, municipality: str, condition) -> Q:
        """Rows whose deadline `name` has come: `condition(value)` (a Q with the date bound of
        that value) for the municipalities (the lookup `municipality`, e.g.
        "client__municipality") that have it. One branch a distinct value: a handful."""
        (county_value, overridden), *others = self.values_of(name)
        where = condition(county_value)
        if overridden:
            where &= ~Q(**{f"{municipality}__in": overridden})
        for value, municipality_ids in others:
            where |= Q(**{f"{municipality}__in": municipality_ids}) & condition(value)
        return where


def load() -> DeadlineTable:
    """The table from the database: one query."""
    rows = (DeadlineSettings.objects.filter(Q(team__isnull=True) | Q(team__is_active=True))
            .order_by("team__name", "team_id", "team__municipalities")
            .values(*FIELDS, "team_id", "team__municipalities"))
    rows = list(rows)
    county = DEFAULTS
    for row in rows:
        if row["team_id"] is None:
            county = _over(DEFAULTS, row)
    by_team, by_municipality = {}, {}
    for row in rows:
        if row["team_id"] is None:
            continue
        team = by_team.setdefault(row["team_id"], _over(county, row))
        if row["team__municipalities"] is not None:
            by_municipality.setdefault(row["team__municipalities"], team)
    return DeadlineTable(county=county, by_municipality=by_municipality, by_team=by_team)


_reading: ContextVar[dict | None] = ContextVar("deadline_reading", default=None)


def deadline_table() -> DeadlineTable:
    """The table, read once within a request or a sweep; read afresh outside one."""
    reading = _reading.get()
    if reading is None:
        return load()
    if "table" not in reading:
        reading["table"] = load()
    return reading["table"]


@contextmanager
def one_reading():
    """Read the deadlines once for everything inside: a request, a reminder sweep (within a
    request, the request's reading)."""
    if _reading.get() is not None:
        yield
        return
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def deadlines_for_municipality(municipality_id) -> Deadlines:
    return deadline_table().for_municipality(municipality_id)


def deadlines_for_client(client) -> Deadlines:
    return deadlines_for_municipality(client.municipality_id)


def deadlines_for_team(team) -> Deadlines:
    return deadline_table().for_team(getattr(team, "pk", team))



def deadlines_for_record(record) -> Deadlines:
    """The deadlines of a client record (anything with `client_id`): by the municipality a list
    annotated as `client_municipality_id`, else read once and kept on the record — the bare
    number, so that no raw client is handed to a template past the access policy."""
    municipality_id = getattr(record, "client_municipality_id", None)
    if municipality_id is None and "client" in record._state.fields_cache:
        municipality_id = record.client.municipality_id
    if municipality_id is None:
        client_model = type(record)._meta.get_field("client").related_model
        municipality_id = client_model._base_manager.filter(pk=record.client_id).values_list(
            "municipality_id", flat=True).first()
        record.client_municipality_id = municipality_id
    return deadlines_for_municipality(municipality_id)


def where(name: str, municipality: str, condition) -> Q:
    """`DeadlineTable.where` on this request's or sweep's table."""
    return deadline_table().where(name, municipality, condition)
