"""
Knowledge management (tiedolla johtaminen): how the service path works, per municipality and
period, compared with the period before.

Every figure is a sum of the facts reporting/facts.py counts ahead from the records: counts
per municipality and month with each cell's published number, histograms of days waited, states
per month's end. The page reads only those small tables, so neither its queries nor its time
grow with the number of clients, and no client's data is shown: the dashboard writes no
client-level access log.

Small numbers: additive rounding to base five, carried month by month
----------------------------------------------------------------------
The dashboard counts whole calendar months, quarters and years only (`Period`), each for one
municipality or all of them. Every count it publishes - page, charts, CSV and XLSX alike - is a
sum of *protected cells*:

- a cell is one kind of event (its category: checks; referrals with feedback, and still
  without; meetings discussed in time, and not; assessments by conclusion; clients closed by
  reason) in one municipality in one calendar month; for a state (clients by status, overdue on
  a day) it is the category in one municipality on that day;
- within a calendar year a cell's months are rounded by carrying (`carried`): with the year's
  running total from January, plus a start 0-4 fixed for the cell and year (`offset`), a month
  publishes five times (running total // 5 now, less the same a month before). A state
  publishes five times ((count + start) // 5) (`rounded`);
- every figure is the sum of its cells over the months and municipalities asked for: the
  previous period, the twelve months, the municipalities' rows and the percentages too.

Why no subtraction finds a group of one to four: put in every cell the number the dashboard
published for it. Those are multiples of five, and counted again by the same rule they publish
themselves (`carried` and `rounded` of their own output are their output). So the world in
which every cell holds its published number - every group empty or of five or more - shows the
very same page, CSV and charts, for every period, municipality and total, on every day (a month
still running grows there in steps of five). Nothing anyone subtracts - all municipalities less
one, a quarter less its months, a year less its quarters, today's page less yesterday's - can
tell the real world from that one. Each category of a municipality is within four of its true
count for any period offered (the period's months are a run inside one year); a total over
municipalities adds up their errors, which the spread starts make even out on average.

Rounding each number on its own would not do: twelve months of four each round to 5 or show
"<5", and the year's 48, rounded to 50, then tells that every month was exactly four. The
Eurostat/ESSnet Handbook on Statistical Disclosure Control (Hundepool et al., sections 5.2 and
5.5) says such independently rounded tables are "unpicked" by differencing and that additive
(controlled) rounding cannot be; THL's and this project's rule that no count under five is
shown is kept: no number from 1 to 4 is ever published. The percentiles of days are not counts
and are outside this: each is shown when at least five durations go into it. The averages of
the clients' feedback after meetings are not counts either, and two exact averages one answer
apart give that answer away: reporting/feedback.py shows them only for a period that has ended,
of at least five answers, and a municipality's only when all municipalities less those shown
is no group of one to four answers.
"""

import contextlib
import hashlib
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from clients.models import ClientStatus, ClosingReason, IncomeSource, JobseekerStatus
from referrals.models import Conclusion
from teams.deadlines import deadline_table
from teams.models import Municipality

from . import feedback
from .models import DurationCount, MonthlyCount, StateCount, StatisticsRefresh

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


# --- Categories of the facts (reporting/facts.py counts them) -----------------------------------

CHECKS = "checks"
REFERRALS = ["referrals_fed_back", "referrals_waiting"]
MEETINGS = ["meetings_discussed", "meetings_late"]
CLOSED = "closed_"  # + the reason
INCOME, JOBSEEKER, NOT_RECORDED = "income_", "jobseeker_", "not_recorded"
OVERDUE = ("overdue_actions", "overdue_follow_ups")  # states on a day, not counts of now
REFERRAL_TO_CHECK, CHECK_TO_FEEDBACK = "referral_to_check", "check_to_feedback"


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
    computed_at: datetime | None = None  # when the facts were counted: None, never yet

    @property
    def running(self) -> bool:
        return self.as_of < self.period.end


def counted_until(period: Period, today: date | None = None) -> date:
    return min(period.end, today or timezone.localdate())


def cache_key(period: Period, municipality: Municipality | None = None, *,
              today: date | None = None, refreshed: StatisticsRefresh | None = None) -> str:
    # v6: sums of the facts, of the refresh they were counted in; the day counted to, for a
    # period still running.
    return (f"dashboard:v6:{refreshed.pk if refreshed else 0}:{period.key}:"
            f"{counted_until(period, today)}:{municipality.pk if municipality else 'all'}")


def cached_build(period: Period, municipality: Municipality | None = None) -> Dashboard:
    """The numbers of a period and municipality from the latest facts, kept for
    DASHBOARD_CACHE_SECONDS or until the facts are refreshed again. The page says when the
    facts were counted."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    refreshed = latest_refresh()
    if not seconds:
        return build(period, municipality, refreshed=refreshed)
    key = cache_key(period, municipality, refreshed=refreshed)
    try:
        dashboard = cache.get(key)
    except RedisError:
        log.warning("dashboard: the cache is unreachable; summing the facts afresh")
        return build(period, municipality, refreshed=refreshed)
    if dashboard is None:
        dashboard = build(period, municipality, refreshed=refreshed)
        with contextlib.suppress(RedisError):  # the numbers are shown even if not kept
            cache.set(key, dashboard, seconds)
    return dashboard


def _flow_sums(months: list[date], municipality: Municipality | None) -> dict:
    """{category: {month: published}}: the published numbers of the facts' cells added up over
    the municipalities (or `municipality`'s alone), in one grouped query."""
    rows = MonthlyCount.objects.filter(month__in=months, published__isnull=False,
                                       municipality=municipality)  # None: all together
    sums = defaultdict(Counter)
    for category, month, total in rows.order_by().values_list("category", "month").annotate(
            total=Sum("published")):
        sums[category][month] = total
    return sums


def _by_place(months: list[date]) -> dict[int, dict]:
    """Each municipality's published checks and referrals of `months`."""
    rows = (MonthlyCount.objects.filter(month__in=months, category__in=[CHECKS, *REFERRALS],
                                        municipality__isnull=False).order_by().values("municipality").annotate(
                checks=Sum("published", filter=Q(category=CHECKS)),
                referrals=Sum("published", filter=Q(category__in=REFERRALS))))
    return {row["municipality"]: row for row in rows}


def _state_sums(days: list[date], municipality: Municipality | None) -> dict:
    """{category: published} of clients now, {(category, day): published} of the overdue."""
    rows = StateCount.objects.filter(~Q(category__in=OVERDUE) | Q(day__in=days))
    if municipality:
        rows = rows.filter(municipality=municipality)
    sums = Counter()
    for category, day, total in rows.order_by().values_list("category", "day").annotate(
            total=Sum("published")):
        sums[(category, day) if category in OVERDUE else category] += total
    return sums


def latest_refresh() -> StatisticsRefresh | None:
    return StatisticsRefresh.objects.order_by("-finished_at").first()


def build(period: Period, municipality: Municipality | None = None, *,
          today: date | None = None, refreshed: StatisticsRefresh | None = None) -> Dashboard:
    """Every number of the dashboard for `period`, counted up to `today` while it runs: sums
    of the facts (reporting/facts.py) as last refreshed."""
    as_of = counted_until(period, today)
    if as_of < period.start:
        raise ValueError(f"{period.key} has not begun on {as_of}")
    refreshed = refreshed or latest_refresh()
    previous = period.previous
    dashboard = Dashboard(period=period, as_of=as_of, municipality=municipality,
                          computed_at=refreshed.finished_at if refreshed else None)
    everywhere = list(Municipality.objects.order_by("name").values_list("pk", "name",
                                                                        "is_active"))
    this_months = [month for month in period.months if month <= as_of]
    last_month = as_of.replace(day=1)
    trend_months = [last_month - relativedelta(months=11 - n) for n in range(12)]
    sums = _flow_sums(sorted({*this_months, *previous.months, *trend_months}), municipality)
    # A state is read on the day it was last counted: a month's end, or the last refresh's
    # day while the period runs.
    counted_on = refreshed.today if refreshed else as_of
    state_days = [min(as_of, counted_on), min(previous.end, counted_on)]
    states = _state_sums(state_days, municipality)

    def flow(categories, months):
        return sum(sums[category][month] for category in categories for month in months)

    def pair(categories):
        return flow(categories, this_months), flow(categories, previous.months)

    referrals = pair(REFERRALS)
    fed_back = pair(["referrals_fed_back"])
    meetings = pair(MEETINGS)
    discussed = pair(["meetings_discussed"])
    dashboard.figures = [
        Figure("health_checks", _("Unemployed health checks done"), *pair([CHECKS])),
        Figure("referrals", _("Referrals sent"), *referrals),
        Figure("referrals_with_feedback", _("Referrals that got feedback, %"),
               *map(_share, fed_back, referrals)),
        *_waiting_figures(this_months, previous.months, municipality),
        Figure("meetings", _("Team meetings held"), *meetings),
        Figure("meetings_discussed", _discussed_label(municipality),
               *map(_share, discussed, meetings)),
        Figure("assessment_unemployed", _("Doctor's assessments: unemployed"),
               *pair([f"assessment_{Conclusion.UNEMPLOYED.value}"])),
        Figure("assessment_sick", _("Doctor's assessments: sick"),
               *pair([f"assessment_{Conclusion.SICK.value}"])),
        Figure("overdue_actions", _("Plan actions overdue at the end of the period"),
               states[OVERDUE[0], state_days[0]], states[OVERDUE[0], state_days[1]]),
        Figure("overdue_follow_ups", _("Follow-ups overdue at the end of the period"),
               states[OVERDUE[1], state_days[0]], states[OVERDUE[1], state_days[1]]),
    ]
    dashboard.tables["status"] = [(label, states[f"status_{value}"])
                                  for value, label in ClientStatus.choices]
    dashboard.tables["closing_reasons"] = [(label, *pair([CLOSED + value]))
                                           for value, label in ClosingReason.choices]
    not_recorded = [(NOT_RECORDED, _("Not recorded"))]
    dashboard.tables["income_sources"] = [
        (label, states[INCOME + value]) for value, label in [*IncomeSource.choices,
                                                              *not_recorded]]
    dashboard.tables["jobseeker_statuses"] = [
        (label, states[JOBSEEKER + value]) for value, label in [*JobseekerStatus.choices,
                                                                 *not_recorded]]
    spans = ((period.start, as_of), (previous.start, previous.end))
    dashboard.tables["meeting_feedback"] = [
        *feedback.averages(spans, municipality, SMALL_CELL, NOT_SHOWN, today=today),
        [_("Answers"), *pair([feedback.FEEDBACK])],
    ]
    dashboard.months = [
        {"month": month, "checks": flow([CHECKS], [month]),
         "referrals": flow(REFERRALS, [month]), "meetings": flow(MEETINGS, [month])}
        for month in trend_months
    ]
    places = _by_place(this_months)
    dashboard.by_municipality = [
        {"municipality": name, "checks": places.get(pk, {}).get("checks") or 0,
         "referrals": places.get(pk, {}).get("referrals") or 0}
        for pk, name, active in everywhere if active
    ]
    return dashboard


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


def _share(part: int, whole: int) -> int | str:
    """A whole percentage of two published counts, shown only when both are at least five."""
    if whole < SMALL_CELL or part < SMALL_CELL:
        return NOT_SHOWN
    return round(100 * part / whole)


# --- Days waited: percentiles, not counts ---------------------------------------------------------

FRACTIONS = (0.5, 0.9)


def percentile(histogram: list[tuple[int, int]], fraction: float) -> int | None:
    """The percentile (nearest rank, as PostgreSQL's percentile_disc) of durations given as
    (days, how many): None for fewer than SMALL_CELL durations."""
    total = sum(count for _days, count in histogram)
    if total < SMALL_CELL:
        return None
    rank, running = max(math.ceil(fraction * total), 1), 0
    for days, count in sorted(histogram):
        running += count
        if running >= rank:
            return days
    raise AssertionError("unreachable: the ranks add up to the total")


def shown_days(value):
    return NOT_SHOWN if value is None else value


def _waiting_figures(this_months, previous_months, municipality) -> list[Figure]:
    """Days from referral to check and from check to feedback, of the checks in the period:
    percentiles of the facts' histograms, summed over the months and municipalities."""
    rows = DurationCount.objects.filter(month__in=[*this_months, *previous_months],
                                        municipality=municipality)  # None: all together
    histograms = defaultdict(lambda: ([], []))
    for row in rows.order_by().values("measure", "days").annotate(
            this=Sum("count", filter=Q(month__in=this_months)),
            before=Sum("count", filter=Q(month__in=previous_months))):
        for index, name in enumerate(("this", "before")):
            if row[name]:
                histograms[row["measure"]][index].append((row["days"], row[name]))
    figures = []
    for key, label_median, label_p90 in (
        (REFERRAL_TO_CHECK, _("Days from referral to check, median"),
         _("Days from referral to check, 90th percentile")),
        (CHECK_TO_FEEDBACK, _("Days from check to feedback, median"),
         _("Days from check to feedback, 90th percentile")),
    ):
        this, before = histograms[key]
        figures += [Figure(f"{key}_{name}", label, shown_days(percentile(this, fraction)),
                           shown_days(percentile(before, fraction)))
                    for fraction, name, label in ((0.5, "median", label_median),
                                                  (0.9, "p90", label_p90))]
    return figures


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
        [str(_("Counted")), updated(dashboard)],
    ]


def updated(dashboard: Dashboard) -> str:
    """When the facts the numbers are summed from were counted (reporting/facts.py)."""
    if dashboard.computed_at is None:
        return str(_("The numbers have not been counted yet."))
    return str(_("Numbers updated at {time}")).format(time=formats.date_format(
        timezone.localtime(dashboard.computed_at), "SHORT_DATETIME_FORMAT"))


SMALL_NUMBERS = _(
    "Counts are rounded to multiples of five, municipality by municipality and month by "
    "month, and every total is the sum of its rounded parts, so a total may differ a little "
    "from the true count. No number from 1 to 4 is shown, and none can be worked out by "
    "subtracting one number from another.")
