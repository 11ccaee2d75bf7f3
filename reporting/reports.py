"""
Knowledge management (tiedolla johtaminen): how the service path works, per municipality and
period, compared with the period before.

Every figure is an aggregate computed in the database — counts with filters, percentiles by
ordering and offset — so the number of queries does not grow with the number of clients, and
no client's data is shown: the dashboard writes no client-level access log. A figure counting
fewer than five is shown as "<5" everywhere, exports included (SMALL_CELL).
"""

import contextlib
import logging
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from clients.models import Client, ClientStatus, ClosingReason
from meetings.models import Meeting, MeetingStatus
from plans.due import actions_overdue_by, discussion_deadline, follow_ups_overdue_by
from plans.models import OPEN_ACTION_STATUSES, FeedbackDiscussion, FollowUp, PlanAction
from referrals.models import Conclusion, DoctorAssessment, HealthCheck, Referral
from teams.models import Municipality

log = logging.getLogger(__name__)

SMALL_CELL = 5
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """As aware Helsinki times, the end exclusive."""
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        return start, timezone.make_aware(datetime.combine(self.end + timedelta(days=1),
                                                           time.min))


def shown(count: int | None) -> str | int:
    """A count as it may be shown: fewer than five clients is "<5"."""
    if count is None:
        return "–"
    return SUPPRESSED if count < SMALL_CELL else count


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
        return "–"


@dataclass
class Dashboard:
    period: Period
    municipality: Municipality | None
    figures: list[Figure] = field(default_factory=list)
    tables: dict = field(default_factory=dict)
    months: list = field(default_factory=list)
    by_municipality: list = field(default_factory=list)
    computed_at: datetime = field(default_factory=timezone.now)


def cache_key(period: Period, municipality: Municipality | None = None) -> str:
    # The version names the pickled classes' home: entries an older build stored are not read.
    return (f"dashboard:v2:{period.start}:{period.end}:"
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


def _in(period: Period, field_name: str, *, datetime_field=False) -> Q:
    if datetime_field:
        start, end = period.moments
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _both_periods(queryset, condition, period: Period) -> tuple[int, int]:
    """How many rows meet `condition(period)` in the period and in the one before, in one
    query."""
    result = queryset.aggregate(current=Count("pk", filter=condition(period)),
                                previous=Count("pk", filter=condition(period.previous)))
    return result["current"], result["previous"]


def _counts(queryset, field_name, period, *, datetime_field=False, extra=None):
    """Counts of rows dated in the period and in the one before."""
    extra = extra or Q()
    return _both_periods(
        queryset, lambda p: _in(p, field_name, datetime_field=datetime_field) & extra, period)


def _share(part: int, whole: int) -> int | str:
    """A whole percentage, shown only when both its counts may be shown."""
    if whole < SMALL_CELL or part < SMALL_CELL:
        return "–"
    return round(100 * part / whole)


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


def _overdue(queryset, period: Period, still_open: Q, overdue_by) -> tuple[int, int]:
    """How many were overdue on the last day of the period and of the one before, by the
    rule `overdue_by(day)` (plans/due.py), and then not yet done — still open now, or done
    only after that day."""
    def late_at_end(p: Period) -> Q:
        return Q(due_on__lte=overdue_by(p.end)) & (still_open | Q(done_on__gt=p.end))
    return _both_periods(queryset, late_at_end, period)


def _days(later, earlier) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


FRACTIONS = (0.5, 0.9)


def _days_figures(queryset, expression, period, key, label_median, label_p90):
    """Median and 90th percentile of a duration, this period and the one before."""
    if connection.vendor == "postgresql":
        values = _percentiles_in_one_query(queryset, expression, period)
    else:
        values = {(fraction, n): _percentile_days(queryset.filter(period_q), expression,
                                                  fraction)
                  for fraction in FRACTIONS for n, period_q in enumerate(period)}
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


def _percentiles_in_one_query(queryset, expression, period) -> dict:
    aggregates = {}
    for n, period_q in enumerate(period):
        aggregates[f"count_{n}"] = Count("pk", filter=period_q)
        for fraction in FRACTIONS:
            aggregates[f"p{fraction}_{n}"] = PercentileDisc("days", fraction, filter=period_q,
                                                            output_field=DurationField())
    row = queryset.annotate(days=expression).aggregate(**aggregates)
    return {(fraction, n): (row[f"p{fraction}_{n}"].days if row[f"count_{n}"] >= SMALL_CELL
                            else None)
            for fraction in FRACTIONS for n in range(len(period))}


def shown_days(value):
    return "–" if value is None else value


def build(period: Period, municipality: Municipality | None = None) -> Dashboard:
    """Every number of the dashboard, section by section."""
    where = {"client__municipality": municipality} if municipality else {}
    dashboard = Dashboard(period=period, municipality=municipality)
    for section in FIGURE_SECTIONS:
        dashboard.figures += section(period, where)
    clients = Client.objects.filter(**({"municipality": municipality} if municipality else {}))
    dashboard.tables["status"] = _clients_by_status(clients)
    dashboard.tables["closing_reasons"] = _closing_reasons(clients, period)
    dashboard.months = _suppressed(_months(period.end, where), label="month")
    dashboard.by_municipality = _suppressed(_by_municipality(period), label="municipality")
    return dashboard


def _health_check_figures(period: Period, where: dict) -> list[Figure]:
    checks = HealthCheck.objects.filter(**where)
    return [Figure("health_checks", _("Unemployed health checks done"),
                   *map(shown, _counts(checks, "performed_on", period)))]


def _referral_figures(period: Period, where: dict) -> list[Figure]:
    """Referrals sent, and the share of them that got feedback."""
    referrals = Referral.objects.filter(is_self_referral=False, **where)
    sent = _counts(referrals, "created_at", period, datetime_field=True)
    with_feedback = _counts(referrals, "created_at", period, datetime_field=True,
                            extra=Q(feedback__isnull=False))
    return [
        Figure("referrals", _("Referrals sent"), *map(shown, sent)),
        Figure("referrals_with_feedback", _("Referrals that got feedback, %"),
               _share(with_feedback[0], sent[0]), _share(with_feedback[1], sent[1])),
    ]


def _waiting_figures(period: Period, where: dict) -> list[Figure]:
    """Days from referral to check and from check to feedback, of the checks in the period."""
    checks = HealthCheck.objects.filter(**where)
    in_periods = [_in(period, "performed_on"), _in(period.previous, "performed_on")]
    checked = checks.filter(referral__is_self_referral=False).annotate(
        referral_day=TruncDate("referral__created_at"))
    fed_back = checks.filter(referral__feedback__isnull=False)
    return [
        *_days_figures(checked, _days("performed_on", "referral_day"), in_periods,
                       "referral_to_check", _("Days from referral to check, median"),
                       _("Days from referral to check, 90th percentile")),
        *_days_figures(fed_back, _days("referral__feedback__given_on", "performed_on"),
                       in_periods, "check_to_feedback", _("Days from check to feedback, median"),
                       _("Days from check to feedback, 90th percentile")),
    ]


def _meeting_figures(period: Period, where: dict) -> list[Figure]:
    """Team meetings held, and the share followed by a feedback discussion held in time."""
    meetings = Meeting.objects.filter(**where).exclude(status=MeetingStatus.CANCELLED)
    held = _counts(meetings, "starts_at", period, datetime_field=True)
    discussed = _counts(_discussed_in_time(meetings, period), "starts_at", period,
                        datetime_field=True, extra=Q(discussed=True))
    return [
        Figure("meetings", _("Team meetings held"), *map(shown, held)),
        Figure("meetings_discussed",
               _("Meetings followed by a feedback discussion within 14 days, %"),
               _share(discussed[0], held[0]), _share(discussed[1], held[1])),
    ]


def _discussed_in_time(meetings, period: Period):
    """The meetings, each marked `discussed` when a feedback discussion was held by its due
    day: the day its reminder comes (plans/due.py), weekends and holidays skipped."""
    days = [*period.previous.each_day, *period.each_day]
    return meetings.annotate(deadline=discussion_deadline(days)).annotate(
        discussed=Exists(FeedbackDiscussion.objects.filter(
            meeting=OuterRef("pk"), held_on__isnull=False, held_on__lte=OuterRef("deadline"),
        )))


def _assessment_figures(period: Period, where: dict) -> list[Figure]:
    """Doctor's assessments by their conclusion: unemployed or sick."""
    assessments = DoctorAssessment.objects.filter(**where)
    return [
        Figure(f"assessment_{conclusion.value}", label,
               *map(shown, _counts(assessments, "assessed_on", period,
                                   extra=Q(conclusion=conclusion))))
        for conclusion, label in ((Conclusion.UNEMPLOYED, _("Doctor's assessments: unemployed")),
                                  (Conclusion.SICK, _("Doctor's assessments: sick")))
    ]


def _overdue_figures(period: Period, where: dict) -> list[Figure]:
    """Plan actions and follow-ups overdue at the end of the period, by the reminders' rules."""
    plan_where = {f"plan__{k}": v for k, v in where.items()}
    actions = PlanAction.objects.filter(due_on__isnull=False, **plan_where)
    follow_ups = FollowUp.objects.filter(**plan_where)
    return [
        Figure("overdue_actions", _("Plan actions overdue at the end of the period"),
               *map(shown, _overdue(actions, period, still_open=Q(
                   status__in=OPEN_ACTION_STATUSES, plan__status="active"),
                   overdue_by=actions_overdue_by))),
        Figure("overdue_follow_ups", _("Follow-ups overdue at the end of the period"),
               *map(shown, _overdue(follow_ups, period, still_open=Q(
                   done_on__isnull=True, plan__status="active"),
                   overdue_by=follow_ups_overdue_by))),
    ]


FIGURE_SECTIONS = (_health_check_figures, _referral_figures, _waiting_figures,
                   _meeting_figures, _assessment_figures, _overdue_figures)


def _clients_by_status(clients) -> list[tuple]:
    by_status = dict(clients.values_list("status").annotate(n=Count("pk")).values_list(
        "status", "n"))
    return [(label, shown(by_status.get(value, 0))) for value, label in ClientStatus.choices]


def _closing_reasons(clients, period: Period) -> list[tuple]:
    """Clients closed in the period and in the one before, by reason."""
    reasons = clients.filter(status=ClientStatus.CLOSED).values("closing_reason").annotate(
        current=Count("pk", filter=_in(period, "closed_on")),
        previous=Count("pk", filter=_in(period.previous, "closed_on")),
    )
    by_reason = {row["closing_reason"]: row for row in reasons}
    return [
        (label, shown(by_reason.get(value, {}).get("current", 0)),
         shown(by_reason.get(value, {}).get("previous", 0)))
        for value, label in ClosingReason.choices
    ]


def _suppressed(rows: list[dict], label: str) -> list[dict]:
    """Rows of counts as they may be shown; the `label` column is left as it is."""
    return [{key: value if key == label else shown(value) for key, value in row.items()}
            for row in rows]


def _months(end: date, where: dict) -> list[dict]:
    """Twelve months up to the period's end: checks, referrals, meetings per month."""
    first = (end.replace(day=1) - relativedelta(months=11))
    start = timezone.make_aware(datetime.combine(first, time.min))
    series = {
        "checks": HealthCheck.objects.filter(performed_on__gte=first, **where)
        .annotate(month=TruncMonth("performed_on")),
        "referrals": Referral.objects.filter(created_at__gte=start, is_self_referral=False,
                                             **where).annotate(month=TruncMonth("created_at")),
        "meetings": Meeting.objects.filter(starts_at__gte=start, **where)
        .exclude(status=MeetingStatus.CANCELLED).annotate(month=TruncMonth("starts_at")),
    }
    counts = {}
    for name, queryset in series.items():
        for month, n in queryset.values("month").annotate(n=Count("pk")).values_list(
            "month", "n"
        ):
            key = (month.date() if isinstance(month, datetime) else month).replace(day=1)
            counts[(name, key)] = n
    months = [first + relativedelta(months=offset) for offset in range(12)]
    return [{"month": month, **{name: counts.get((name, month), 0) for name in series}}
            for month in months]


def _by_municipality(period: Period) -> list[dict]:
    """Health checks and referrals in the period, per municipality, for the bars."""
    start, end = period.moments
    checks = dict(HealthCheck.objects.filter(_in(period, "performed_on"))
                  .values_list("client__municipality").annotate(n=Count("pk"))
                  .values_list("client__municipality", "n"))
    referrals = dict(Referral.objects.filter(created_at__gte=start, created_at__lt=end,
                                             is_self_referral=False)
                     .values_list("client__municipality").annotate(n=Count("pk"))
                     .values_list("client__municipality", "n"))
    return [{"municipality": municipality.name, "checks": checks.get(municipality.pk, 0),
             "referrals": referrals.get(municipality.pk, 0)}
            for municipality in Municipality.objects.filter(is_active=True).order_by("name")]


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
    ]


def month_label(month: date) -> str:
    return f"{month.month}/{month.year}"


def filters(dashboard: Dashboard) -> list[list[str]]:
    """What the numbers are of, written at the top of every export."""
    def span(period):
        return f"{formats.date_format(period.start, 'SHORT_DATE_FORMAT')}–" \
               f"{formats.date_format(period.end, 'SHORT_DATE_FORMAT')}"
    return [
        [str(_("Period")), span(dashboard.period)],
        [str(_("Compared with")), span(dashboard.period.previous)],
        [str(_("Municipality")), dashboard.municipality.name if dashboard.municipality
         else str(_("All municipalities"))],
        [str(_("Small numbers")), str(_("Fewer than 5 is shown as <5."))],
        [str(_("Counted")), formats.date_format(timezone.localtime(dashboard.computed_at),
                                               "SHORT_DATETIME_FORMAT")],
    ]
