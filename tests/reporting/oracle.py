"""
The dashboard as it was counted before the facts (reporting/facts.py): every number straight
from the service path's records, the rule applied at reading. Kept verbatim as the oracle the
facts are checked against (test_facts.py); not used by the application.
"""


import contextlib
import hashlib
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from clients.models import (
    Client,
    ClientStatus,
    ClosingReason,
    EmploymentSituation,
    IncomeSource,
    JobseekerStatus,
)
from meetings.models import Meeting, MeetingStatus
from plans.due import actions_overdue, discussion_deadline, follow_ups_overdue_by
from plans.models import OPEN_ACTION_STATUSES, FeedbackDiscussion, FollowUp, PlanAction
from referrals.models import Conclusion, DoctorAssessment, HealthCheck, Referral
from teams.deadlines import deadline_table
from teams.models import Municipality
from tests.reporting import oracle_feedback as feedback

log = logging.getLogger(__name__)

BASE = 5  # every published count is a multiple of five
SMALL_CELL = 5  # fewer durations than this give no percentile, fewer counted no percentage
NOT_SHOWN = "–"

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = [(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year"))]
_MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}
_PERIOD_TEXT = re.compile(r"(\d{4})(?:-(\d{1,2})|-[Qq]([1-4]))?")


@dataclass(frozen=True)
class Period:
    """A whole calendar month, quarter or year: the only spans the dashboard counts, so that
    no two of them differ by a few days."""

    kind: str
    year: int
    number: int = 1  # the month 1–12, the quarter 1–4; 1 for a year

    def __post_init__(self):
        if self.kind not in _MONTHS_IN or not 1 <= self.number <= 12 // _MONTHS_IN[self.kind]:
            raise ValueError(f"no {self.kind} number {self.number}")
        if not 1 < self.year <= MAXYEAR:  # the one before is a period too
            raise ValueError(f"no year {self.year}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """"2026-11", "2026-Q3" or "2026"; ValueError for anything else."""
        match = _PERIOD_TEXT.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not a period: {text!r}")
        year, month, quarter = match.groups()
        if month:
            return cls(MONTH, int(year), int(month))
        if quarter:
            return cls(QUARTER, int(year), int(quarter))
        return cls(YEAR, int(year))

    @classmethod
    def of(cls, kind: str, day: date) -> "Period":
        """The period of `kind` that `day` falls in."""
        return cls(kind, day.year, (day.month - 1) // _MONTHS_IN[kind] + 1)

    @property
    def key(self) -> str:
        return {MONTH: f"{self.year}-{self.number:02d}", QUARTER: f"{self.year}-Q{self.number}",
                YEAR: f"{self.year}"}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * _MONTHS_IN[self.kind] + 1, 1)

    @property
    def months(self) -> list[date]:
        """The first day of each of its months."""
        return [self.start + relativedelta(months=n) for n in range(_MONTHS_IN[self.kind])]

    @property
    def end(self) -> date:
        return self.start + relativedelta(months=_MONTHS_IN[self.kind]) - timedelta(days=1)

    @property
    def previous(self) -> "Period":
        return Period.of(self.kind, self.start - timedelta(days=1))

    def __str__(self) -> str:
        if self.kind == MONTH:
            return month_label(self.start)
        if self.kind == QUARTER:
            return str(_("Q{number}/{year}")).format(number=self.number, year=self.year)
        return str(self.year)


# --- The rule ----------------------------------------------------------------------------------


def offset(category: str, code: str, year: int | None = None) -> int:
    """Where a cell's rounding starts, 0–4: fixed for a category, municipality (by its code)
    and year, and spread evenly, so that over many cells rounding up and down even out. Nothing
    rests on it being secret."""
    digest = hashlib.sha256(f"{category}|{code}|{year or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BASE


def carried(counts: list[int], start: int = 0) -> list[int]:
    """A year's monthly counts of one cell as published: each month the step of the year's
    running total, rounded down to fives from `start`. Any run of months then adds up to its
    own total rounded (so within four of it), every number is a multiple of five, a count that
    grows never publishes less, and published numbers counted again publish themselves."""
    published, before = [], start // BASE
    total = start
    for count in counts:
        total += count
        published.append(BASE * (total // BASE - before))
        before = total // BASE
    return published


def rounded(count: int, start: int = 0) -> int:
    """A state's count as published: rounded down to fives from `start`."""
    return BASE * ((count + start) // BASE)


# --- Counting ------------------------------------------------------------------------------------

CLOSED = "closed_"  # + the reason


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _by_month(queryset, field_name: str, *groups: str, municipality="client__municipality"):
    """The queryset grouped by municipality, `groups` and the calendar month (in Helsinki) of
    `field_name`."""
    month = TruncMonth(field_name, output_field=DateField())  # its first day
    return (queryset.annotate(month=month, place=F(municipality))
            .order_by().values("place", *groups, "month"))


def _cell(row) -> tuple[int, date]:
    return row["place"], row["month"]


def _flow_counts(first: date, last: date, only: Municipality | None) -> dict[str, Counter]:
    """The true counts of each category per municipality and month, of events from `first`
    to `last`: one grouped query per kind of event. Checks and referrals of every municipality
    (the bars show them all); the rest of `only` when one is asked for."""
    mine = {"client__municipality": only} if only else {}
    counts = defaultdict(Counter)
    start, end = _aware(first), _aware(last + timedelta(days=1))

    checks = _by_month(HealthCheck.objects.filter(performed_on__gte=first,
                                                  performed_on__lte=last), "performed_on")
    for row in checks.annotate(n=Count("pk")):
        counts["checks"][_cell(row)] += row["n"]

    referrals = _by_month(Referral.objects.filter(is_self_referral=False, created_at__gte=start,
                                                  created_at__lt=end), "created_at")
    for row in referrals.annotate(n=Count("pk"),
                                  fed_back=Count("pk", filter=Q(feedback__isnull=False))):
        counts["referrals_fed_back"][_cell(row)] += row["fed_back"]
        counts["referrals_waiting"][_cell(row)] += row["n"] - row["fed_back"]

    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    meetings = _by_month(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__gte=start, starts_at__lt=end, **mine)
        .annotate(deadline=discussion_deadline(days))
        .annotate(discussed=Exists(FeedbackDiscussion.objects.filter(
            meeting=OuterRef("pk"), held_on__isnull=False, held_on__lte=OuterRef("deadline")))),
        "starts_at")
    for row in meetings.annotate(n=Count("pk"),
                                 discussed_n=Count("pk", filter=Q(discussed=True))):
        counts["meetings_discussed"][_cell(row)] += row["discussed_n"]
        counts["meetings_late"][_cell(row)] += row["n"] - row["discussed_n"]

    assessments = _by_month(DoctorAssessment.objects.filter(
        assessed_on__gte=first, assessed_on__lte=last, **mine), "assessed_on", "conclusion")
    for row in assessments.annotate(n=Count("pk")):
        counts["assessment_" + row["conclusion"]][_cell(row)] += row["n"]

    answers = _by_month(feedback.answers(start, end, mine), feedback.GIVEN)
    for row in answers.annotate(n=Count("pk")):
        counts[feedback.FEEDBACK][_cell(row)] += row["n"]

    closed = Client.objects.filter(status=ClientStatus.CLOSED, closed_on__gte=first,
                                   closed_on__lte=last, **({"municipality": only} if only
                                                           else {})).exclude(closing_reason="")
    for row in _by_month(closed, "closed_on", "closing_reason",
                         municipality="municipality").annotate(n=Count("pk")):
        counts[CLOSED + row["closing_reason"]][_cell(row)] += row["n"]
    return counts


def _protected_flows(counts: dict[str, Counter], codes: dict[int, str]) -> dict[str, dict]:
    """The published count of every cell: each municipality's months carried within the year."""
    cells = {}
    for category, by_cell in counts.items():
        years = defaultdict(lambda: [0] * 12)
        for (municipality, month), count in by_cell.items():
            years[municipality, month.year][month.month - 1] += count
        published = {}
        for (municipality, year), months in years.items():
            start = offset(category, codes[municipality], year)
            for index, value in enumerate(carried(months, start)):
                if value:
                    published[municipality, date(year, index + 1, 1)] = value
        cells[category] = published
    return cells


def _protected_state(counts: dict[int, int], category: str, codes: dict[int, str]) -> dict:
    return {municipality: rounded(count, offset(category, codes[municipality]))
            for municipality, count in counts.items()}


def _late_at(day: date, still_open: Q, overdue) -> Q:
    """Overdue on `day` by the rule `overdue(day)` (plans/due.py, each client's deadline), and
    then not yet done — still open now, or done only after that day."""
    return overdue(day) & (still_open | Q(done_on__gt=day))


def _follow_ups_overdue(day: date) -> Q:
    return Q(due_on__lte=follow_ups_overdue_by(day))


INCOME, JOBSEEKER, NOT_RECORDED = "income_", "jobseeker_", "not_recorded"


def _with_employment_situation(clients):
    """Each client's latest recorded employment situation (of whichever organisation updated
    it last): the source of income and the jobseeker status, empty when none is recorded."""
    latest = EmploymentSituation.objects.filter(client=OuterRef("pk")).order_by(
        "-updated_at", "-pk")
    return clients.annotate(income=Subquery(latest.values("income_source")[:1]),
                            jobseeker=Subquery(latest.values("jobseeker_status")[:1]))


def _protected_states(days: tuple[date, date], codes: dict[int, str],
                      only: Municipality | None) -> dict[str, dict]:
    """Clients by status now, and plan actions and follow-ups overdue on each of `days`, of
    every municipality or of `only`."""
    states = {}
    by_state = defaultdict(Counter)
    clients = Client.objects.filter(municipality=only) if only else Client.objects.all()
    # Clients by status, and the active ones by their employment situation: one query.
    for row in _with_employment_situation(clients).order_by().values(
            "municipality", "status", "income", "jobseeker").annotate(n=Count("pk")):
        place, n = row["municipality"], row["n"]
        by_state[f"status_{row['status']}"][place] += n
        if row["status"] == ClientStatus.ACTIVE:
            by_state[INCOME + (row["income"] or NOT_RECORDED)][place] += n
            by_state[JOBSEEKER + (row["jobseeker"] or NOT_RECORDED)][place] += n
    for key, counts in by_state.items():
        states[key] = _protected_state(counts, key, codes)

    for key, queryset, still_open, overdue in (
        ("overdue_actions", PlanAction.objects.filter(due_on__isnull=False),
         Q(status__in=OPEN_ACTION_STATUSES, plan__status="active"), actions_overdue),
        ("overdue_follow_ups", FollowUp.objects.all(),
         Q(done_on__isnull=True, plan__status="active"), _follow_ups_overdue),
    ):
        if only:
            queryset = queryset.filter(plan__client__municipality=only)
        rows = queryset.order_by().values("plan__client__municipality").annotate(**{
            f"n{index}": Count("pk", filter=_late_at(day, still_open, overdue))
            for index, day in enumerate(days)})
        for index, day in enumerate(days):
            states[key, day] = _protected_state(
                {row["plan__client__municipality"]: row[f"n{index}"] for row in rows}, key, codes)
    return states


# --- The dashboard -------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    current: int | str
    previous: int | str

    @property
    def change(self) -> str:
        if isinstance(self.current, int) and isinstance(self.previous, int):
            return f"{self.current - self.previous:+d}"
        return NOT_SHOWN


@dataclass
class Dashboard:
    period: Period
    as_of: date  # counted up to this day: the period's last, or today while it runs
    municipality: Municipality | None
    figures: list[Figure] = field(default_factory=list)
    tables: dict = field(default_factory=dict)
    months: list = field(default_factory=list)
    by_municipality: list = field(default_factory=list)
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def running(self) -> bool:
        return self.as_of < self.period.end


def counted_until(period: Period, today: date | None = None) -> date:
    return min(period.end, today or timezone.localdate())


def cache_key(period: Period, municipality: Municipality | None = None, *,
              today: date | None = None) -> str:
    # v5: whole periods, protected cells, the clients' feedback (averages of closed periods
    # only); the day counted to, for a period still running.
    return (f"dashboard:v5:{period.key}:{counted_until(period, today)}:"
            f"{municipality.pk if municipality else 'all'}")


def cached_build(period: Period, municipality: Municipality | None = None) -> Dashboard:
    """The numbers of a period and municipality as computed at most DASHBOARD_CACHE_SECONDS
    ago: leaders compare months, not minutes, and at national scale the counting takes a
    second or more. The page says when they were computed."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return build(period, municipality)
    key = cache_key(period, municipality)
    try:
        dashboard = cache.get(key)
    except RedisError:
        log.warning("dashboard: the cache is unreachable; counting afresh")
        return build(period, municipality)
    if dashboard is None:
        dashboard = build(period, municipality)
        with contextlib.suppress(RedisError):  # the numbers are shown even if not kept
            cache.set(key, dashboard, seconds)
    return dashboard


class _Sums:
    """Published figures as sums of protected cells over municipalities and months."""

    def __init__(self, flows, states, municipalities):
        self.flows, self.states, self.municipalities = flows, states, set(municipalities)
        self.monthly = {category: Counter() for category in flows}  # the municipalities' sum
        for category, cells in flows.items():
            for (municipality, month), value in cells.items():
                if municipality in self.municipalities:
                    self.monthly[category][month] += value

    def flow(self, categories, months, municipality=None) -> int:
        if municipality is None:
            return sum(self.monthly.get(category, {}).get(month, 0)
                       for category in categories for month in months)
        return sum(self.flows.get(category, {}).get((municipality, month), 0)
                   for category in categories for month in months)

    def state(self, key) -> int:
        return sum(value for municipality, value in self.states.get(key, {}).items()
                   if municipality in self.municipalities)


def _discussed_label(municipality: Municipality | None):
    """The share of meetings discussed in time, with the deadline it is counted by (the
    municipality's team's, teams/deadlines.py) when one deadline holds for all it counts."""
    table = deadline_table()
    if municipality is not None or len(table.values_of("discussion_working_days")) == 1:
        deadlines = table.for_municipality(municipality.pk if municipality else None)
        return format_lazy(_("Meetings followed by a feedback discussion within {days} working "
                             "days, %"), days=deadlines.discussion_working_days)
    return _("Meetings followed by a feedback discussion within their team's deadline in "
             "working days, %")


def build(period: Period, municipality: Municipality | None = None, *,
          today: date | None = None) -> Dashboard:
    """Every number of the dashboard for `period`, counted up to `today` while it runs."""
    as_of = counted_until(period, today)
    if as_of < period.start:
        raise ValueError(f"{period.key} has not begun on {as_of}")
    previous = period.previous
    dashboard = Dashboard(period=period, as_of=as_of, municipality=municipality)
    everywhere = list(Municipality.objects.order_by("name").values_list(
        "pk", "code", "name", "is_active"))
    codes = {pk: code for pk, code, _name, _active in everywhere}
    # A year carries from January: the year before the period's, for the period before it
    # and the twelve months.
    flows = _protected_flows(_flow_counts(date(period.year - 1, 1, 1), as_of, municipality),
                             codes)
    states = _protected_states((as_of, previous.end), codes, municipality)
    sums = _Sums(flows, states, [municipality.pk] if municipality else list(codes))
    this_months = [month for month in period.months if month <= as_of]

    def pair(categories):
        return sums.flow(categories, this_months), sums.flow(categories, previous.months)

    referrals = pair(["referrals_fed_back", "referrals_waiting"])
    fed_back = pair(["referrals_fed_back"])
    meetings = pair(["meetings_discussed", "meetings_late"])
    discussed = pair(["meetings_discussed"])
    where = {"client__municipality": municipality} if municipality else {}
    spans = ((period.start, as_of), (previous.start, previous.end))
    dashboard.figures = [
        Figure("health_checks", _("Unemployed health checks done"), *pair(["checks"])),
        Figure("referrals", _("Referrals sent"), *referrals),
        Figure("referrals_with_feedback", _("Referrals that got feedback, %"),
               *map(_share, fed_back, referrals)),
        *_waiting_figures(spans, where),
        Figure("meetings", _("Team meetings held"), *meetings),
        Figure("meetings_discussed", _discussed_label(municipality),
               *map(_share, discussed, meetings)),
        Figure("assessment_unemployed", _("Doctor's assessments: unemployed"),
               *pair([f"assessment_{Conclusion.UNEMPLOYED.value}"])),
        Figure("assessment_sick", _("Doctor's assessments: sick"),
               *pair([f"assessment_{Conclusion.SICK.value}"])),
        Figure("overdue_actions", _("Plan actions overdue at the end of the period"),
               sums.state(("overdue_actions", as_of)),
               sums.state(("overdue_actions", previous.end))),
        Figure("overdue_follow_ups", _("Follow-ups overdue at the end of the period"),
               sums.state(("overdue_follow_ups", as_of)),
               sums.state(("overdue_follow_ups", previous.end))),
    ]
    dashboard.tables["status"] = [(label, sums.state(f"status_{value}"))
                                  for value, label in ClientStatus.choices]
    dashboard.tables["closing_reasons"] = [(label, *pair([CLOSED + value]))
                                           for value, label in ClosingReason.choices]
    not_recorded = [(NOT_RECORDED, _("Not recorded"))]
    dashboard.tables["income_sources"] = [
        (label, sums.state(INCOME + value))
        for value, label in [*IncomeSource.choices, *not_recorded]]
    dashboard.tables["jobseeker_statuses"] = [
        (label, sums.state(JOBSEEKER + value))
        for value, label in [*JobseekerStatus.choices, *not_recorded]]
    dashboard.tables["meeting_feedback"] = [
        *feedback.averages(spans, municipality, SMALL_CELL, NOT_SHOWN, today=today),
        [_("Answers"), *pair([feedback.FEEDBACK])],
    ]
    last_month = as_of.replace(day=1)
    dashboard.months = [
        {"month": month, "checks": sums.flow(["checks"], [month]),
         "referrals": sums.flow(["referrals_fed_back", "referrals_waiting"], [month]),
         "meetings": sums.flow(["meetings_discussed", "meetings_late"], [month])}
        for month in (last_month - relativedelta(months=11 - n) for n in range(12))
    ]
    dashboard.by_municipality = [
        {"municipality": name,
         "checks": sums.flow(["checks"], this_months, pk),
         "referrals": sums.flow(["referrals_fed_back", "referrals_waiting"], this_months, pk)}
        for pk, _code, name, active in everywhere if active
    ]
    return dashboard


def _share(part: int, whole: int) -> int | str:
    """A whole percentage of two published counts, shown only when both are at least five."""
    if whole < SMALL_CELL or part < SMALL_CELL:
        return NOT_SHOWN
    return round(100 * part / whole)


# --- Days waited: percentiles, not counts ---------------------------------------------------------


def _in(span: tuple[date, date], field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": span[0], f"{field_name}__lte": span[1]})


def _percentile_days(queryset, expression, fraction: float) -> int | None:
    """The percentile (nearest rank) of a duration in days, found by the database: count,
    then one ordered row at the offset."""
    values = queryset.annotate(days=expression).order_by("days")
    count = values.count()
    if count < SMALL_CELL:
        return None
    rank = max(math.ceil(fraction * count) - 1, 0)
    duration = values.values_list("days", flat=True)[rank]
    return duration.days if hasattr(duration, "days") else int(duration)


def _days(later, earlier) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


FRACTIONS = (0.5, 0.9)


def _days_figures(queryset, expression, spans, key, label_median, label_p90):
    """Median and 90th percentile of a duration, this period and the one before."""
    if connection.vendor == "postgresql":
        values = _percentiles_in_one_query(queryset, expression, spans)
    else:
        values = {(fraction, n): _percentile_days(queryset.filter(span_q), expression, fraction)
                  for fraction in FRACTIONS for n, span_q in enumerate(spans)}
    return [Figure(f"{key}_{name}", label, shown_days(values[fraction, 0]),
                   shown_days(values[fraction, 1]))
            for fraction, name, label in ((0.5, "median", label_median),
                                          (0.9, "p90", label_p90))]


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile: the same value _percentile_days finds."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _percentiles_in_one_query(queryset, expression, spans) -> dict:
    aggregates = {}
    for n, span_q in enumerate(spans):
        aggregates[f"count_{n}"] = Count("pk", filter=span_q)
        for fraction in FRACTIONS:
            aggregates[f"p{fraction}_{n}"] = PercentileDisc("days", fraction, filter=span_q,
                                                            output_field=DurationField())
    row = queryset.annotate(days=expression).aggregate(**aggregates)
    return {(fraction, n): (row[f"p{fraction}_{n}"].days if row[f"count_{n}"] >= SMALL_CELL
                            else None)
            for fraction in FRACTIONS for n in range(len(spans))}


def shown_days(value):
    return NOT_SHOWN if value is None else value


def _waiting_figures(spans, where: dict) -> list[Figure]:
    """Days from referral to check and from check to feedback, of the checks in the period."""
    checks = HealthCheck.objects.filter(**where)
    in_spans = [_in(span, "performed_on") for span in spans]
    checked = checks.filter(referral__is_self_referral=False).annotate(
        referral_day=TruncDate("referral__created_at"))
    fed_back = checks.filter(referral__feedback__isnull=False)
    return [
        *_days_figures(checked, _days("performed_on", "referral_day"), in_spans,
                       "referral_to_check", _("Days from referral to check, median"),
                       _("Days from referral to check, 90th percentile")),
        *_days_figures(fed_back, _days("referral__feedback__given_on", "performed_on"),
                       in_spans, "check_to_feedback", _("Days from check to feedback, median"),
                       _("Days from check to feedback, 90th percentile")),
    ]


# --- Tables as the page and the exports show them -------------------------------------------------


@dataclass
class Table:
    """One table of the dashboard as the page, the CSV and the XLSX all show it."""

    key: str
    title: str
    header: list
    rows: list


def tables(dashboard: Dashboard) -> list[Table]:
    this, before = _("This period"), _("Previous period")
    return [
        Table("figures", _("The service path"), [_("Figure"), this, before, _("Change")],
              [[f.label, f.current, f.previous, f.change] for f in dashboard.figures]),
        Table("status", _("Clients by status now"), [_("Status"), _("Clients")],
              [list(row) for row in dashboard.tables["status"]]),
        Table("closing_reasons", _("Clients closed, by reason"), [_("Reason"), this, before],
              [list(row) for row in dashboard.tables["closing_reasons"]]),
        Table("months", _("Month by month"),
              [_("Month"), _("Health checks"), _("Referrals"), _("Team meetings")],
              [[month_label(row["month"]), row["checks"], row["referrals"], row["meetings"]]
               for row in dashboard.months]),
        Table("municipalities", _("By municipality, this period"),
              [_("Municipality"), _("Health checks"), _("Referrals")],
              [[row["municipality"], row["checks"], row["referrals"]]
               for row in dashboard.by_municipality]),
        Table("income_sources", _("Active clients by source of income now"),
              [_("Source of income"), _("Clients")],
              [list(row) for row in dashboard.tables["income_sources"]]),
        Table("jobseeker_statuses", _("Active clients by jobseeker status now"),
              [_("Jobseeker status"), _("Clients")],
              [list(row) for row in dashboard.tables["jobseeker_statuses"]]),
        Table("meeting_feedback", _("Clients' feedback after team meetings, average 1-5"),
              [_("Question"), this, before],
              [list(row) for row in dashboard.tables["meeting_feedback"]]),
    ]


def month_label(month: date) -> str:
    return f"{month.month}/{month.year}"


def _span(start: date, end: date) -> str:
    return (f"{formats.date_format(start, 'SHORT_DATE_FORMAT')}–"
            f"{formats.date_format(end, 'SHORT_DATE_FORMAT')}")


def filters(dashboard: Dashboard) -> list[list[str]]:
    """What the numbers are of, written at the top of every export."""
    period, previous = dashboard.period, dashboard.period.previous
    counted = _span(period.start, dashboard.as_of)
    if dashboard.running:
        counted = str(_("{days}, still running")).format(days=counted)
    return [
        [str(_("Period")), f"{period} ({counted})"],
        [str(_("Compared with")), f"{previous} ({_span(previous.start, previous.end)})"],
        [str(_("Municipality")), dashboard.municipality.name if dashboard.municipality
         else str(_("All municipalities"))],
        [str(_("Small numbers")), str(SMALL_NUMBERS)],
        [str(_("Counted")), formats.date_format(timezone.localtime(dashboard.computed_at),
                                               "SHORT_DATETIME_FORMAT")],
    ]


SMALL_NUMBERS = _(
    "Counts are rounded to multiples of five, municipality by municipality and month by "
    "month, and every total is the sum of its rounded parts, so a total may differ a little "
    "from the true count. No number from 1 to 4 is shown, and none can be worked out by "
    "subtracting one number from another.")
