"""
Counting the dashboard's facts (reporting/models.py) from the service path's records.

The dashboard reads sums of these rows and nothing else, so a page for a period and
municipality never asked before costs a few small grouped queries however many clients there
are. The facts are counted here, by `refresh`: from the Celery beat every 15 minutes
(reporting/tasks.py), right after a month closes, every night in full, and by hand with
`manage.py refresh_statistics [--all]`. The page says when they were last counted.

What a refresh counts (the months that can have changed):
- the events of the month running (up to today) and of the month before, by the day they are
  dated (a check by its day, a referral by the day it was sent, a meeting by its day, ...);
- the months of the referrals and checks whose feedback was written since the last refresh
  (a referral counts as "got feedback" in the month it was sent, however late the feedback);
- clients by status now, and plan actions and follow-ups overdue on every month's end and
  today (these depend on what is open *now*, so every day is counted again);
- with `everything` (`--all`, nightly): every month from January of the first year offered.
A change dated older than the month before (a discussion recorded more than a month late, a
closing day moved back, a client moved to another municipality, a team's deadline changed) is
counted by the nightly full refresh.

Each cell's published number (`MonthlyCount.published`) is worked out here by the dashboard's
rule (reports.py `carried`, `rounded`, `offset`), the whole year of a cell whenever a month of
it is counted again, so the page only adds published numbers up.
"""

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from clients.models import Client, ClientStatus, EmploymentSituation
from meetings.models import FEEDBACK_QUESTIONS, Meeting, MeetingStatus
from plans.due import actions_overdue, discussion_deadline, follow_ups_overdue_by
from plans.models import OPEN_ACTION_STATUSES, FeedbackDiscussion, FollowUp, PlanAction
from referrals.models import DoctorAssessment, Feedback, HealthCheck, Referral
from teams.deadlines import one_reading
from teams.models import Municipality

from . import feedback, reports
from .forms import YEARS_BACK
from .models import DurationCount, MonthlyCount, StateCount, StatisticsRefresh
from .reports import CHECK_TO_FEEDBACK, REFERRAL_TO_CHECK

log = logging.getLogger(__name__)

FEEDBACK_SUM = feedback.SUM
_LOCK = 0x7479_6F6B  # one refresh at a time


# --- Counting the records ------------------------------------------------------------------------


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


def flow_counts(first: date, last: date) -> dict[str, Counter]:
    """The true counts of each category per municipality and month, of events from `first`
    to `last`: one grouped query per kind of event."""
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
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(deadline=discussion_deadline(days))
        .annotate(discussed=Exists(FeedbackDiscussion.objects.filter(
            meeting=OuterRef("pk"), held_on__isnull=False, held_on__lte=OuterRef("deadline")))),
        "starts_at")
    for row in meetings.annotate(n=Count("pk"),
                                 discussed_n=Count("pk", filter=Q(discussed=True))):
        counts["meetings_discussed"][_cell(row)] += row["discussed_n"]
        counts["meetings_late"][_cell(row)] += row["n"] - row["discussed_n"]

    assessments = _by_month(DoctorAssessment.objects.filter(
        assessed_on__gte=first, assessed_on__lte=last), "assessed_on", "conclusion")
    for row in assessments.annotate(n=Count("pk")):
        counts["assessment_" + row["conclusion"]][_cell(row)] += row["n"]

    sums = {FEEDBACK_SUM + name: Sum(name) for name, _question in FEEDBACK_QUESTIONS}
    answers = _by_month(feedback.answers(start, end, {}), feedback.GIVEN)
    for row in answers.annotate(n=Count("pk"), **sums):
        counts[feedback.FEEDBACK][_cell(row)] += row["n"]
        for name in sums:
            counts[name][_cell(row)] += row[name] or 0

    closed = Client.objects.filter(status=ClientStatus.CLOSED, closed_on__gte=first,
                                   closed_on__lte=last).exclude(closing_reason="")
    for row in _by_month(closed, "closed_on", "closing_reason",
                         municipality="municipality").annotate(n=Count("pk")):
        counts[reports.CLOSED + row["closing_reason"]][_cell(row)] += row["n"]
    return counts


def _days(later, earlier) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def duration_counts(first: date, last: date) -> dict[str, Counter]:
    """{measure: {(municipality, month, days): checks}} of the checks done from `first` to
    `last`: days from referral to check (referrals sent by someone else), and from check to
    feedback (referrals fed back)."""
    checks = HealthCheck.objects.filter(performed_on__gte=first, performed_on__lte=last)
    counts = defaultdict(Counter)
    for measure, queryset, expression in (
        (REFERRAL_TO_CHECK, checks.filter(referral__is_self_referral=False).annotate(
            referral_day=TruncDate("referral__created_at")), _days("performed_on",
                                                                    "referral_day")),
        (CHECK_TO_FEEDBACK, checks.filter(referral__feedback__isnull=False),
         _days("referral__feedback__given_on", "performed_on")),
    ):
        rows = _by_month(queryset.annotate(days=expression), "performed_on", "days")
        for row in rows.annotate(n=Count("pk")):
            duration = row["days"]
            days = duration.days if hasattr(duration, "days") else int(duration)
            counts[measure][row["place"], row["month"], days] += row["n"]
    return counts


def _late_at(day: date, still_open: Q, overdue) -> Q:
    """Overdue on `day` by the rule `overdue(day)` (plans/due.py, each client's deadline), and
    then not yet done — still open now, or done only after that day."""
    return overdue(day) & (still_open | Q(done_on__gt=day))


def _follow_ups_overdue(day: date) -> Q:
    return Q(due_on__lte=follow_ups_overdue_by(day))


def _with_employment_situation(clients):
    """Each client's latest recorded employment situation (of whichever organisation updated
    it last): the source of income and the jobseeker status, empty when none is recorded."""
    latest = EmploymentSituation.objects.filter(client=OuterRef("pk")).order_by(
        "-updated_at", "-pk")
    return clients.annotate(income=Subquery(latest.values("income_source")[:1]),
                            jobseeker=Subquery(latest.values("jobseeker_status")[:1]))


def clients_now() -> dict[str, Counter]:
    """Clients by status now, and the active ones by their employment situation: one query."""
    by_state = defaultdict(Counter)
    for row in _with_employment_situation(Client.objects.all()).order_by().values(
            "municipality", "status", "income", "jobseeker").annotate(n=Count("pk")):
        place, n = row["municipality"], row["n"]
        by_state[f"status_{row['status']}"][place] += n
        if row["status"] == ClientStatus.ACTIVE:
            by_state[reports.INCOME + (row["income"] or reports.NOT_RECORDED)][place] += n
            by_state[reports.JOBSEEKER + (row["jobseeker"] or reports.NOT_RECORDED)][place] += n
    return by_state


def overdue_counts(days: list[date]) -> dict[str, Counter]:
    """{kind: {(municipality, day): count}} of plan actions and follow-ups overdue on each of
    `days`: one query per kind."""
    counts = defaultdict(Counter)
    for key, queryset, still_open, overdue in (
        ("overdue_actions", PlanAction.objects.filter(due_on__isnull=False),
         Q(status__in=OPEN_ACTION_STATUSES, plan__status="active"), actions_overdue),
        ("overdue_follow_ups", FollowUp.objects.all(),
         Q(done_on__isnull=True, plan__status="active"), _follow_ups_overdue),
    ):
        rows = queryset.order_by().values("plan__client__municipality").annotate(**{
            f"n{index}": Count("pk", filter=_late_at(day, still_open, overdue))
            for index, day in enumerate(days)})
        for row in rows:
            for index, day in enumerate(days):
                counts[key][row["plan__client__municipality"], day] += row[f"n{index}"]
    return counts


# --- Which months ---------------------------------------------------------------------------------


def first_month(today: date) -> date:
    """The first month kept: January of the year before the first year offered, which the
    first periods' previous periods and carrying need."""
    return date(today.year - YEARS_BACK - 1, 1, 1)


def _months_from(first: date, today: date) -> list[date]:
    months, month = [], first
    while month <= today:
        months.append(month)
        month += relativedelta(months=1)
    return months


def changed_months(today: date, since: datetime | None) -> list[date]:
    """The month running and the one before, and the months of the referrals sent and checks
    done whose feedback was written since `since` (all months when never counted)."""
    if since is None:
        return _months_from(first_month(today), today)
    this_month = today.replace(day=1)
    months = {this_month, this_month - relativedelta(months=1)}
    late = Feedback.objects.filter(created_at__gte=since).values_list(
        "referral__created_at", "referral__health_check__performed_on")
    for sent_at, performed_on in late:
        months.add(timezone.localdate(sent_at).replace(day=1))
        if performed_on:
            months.add(performed_on.replace(day=1))
    return sorted(month for month in months if first_month(today) <= month <= this_month)


def _runs(months: list[date]) -> list[list[date]]:
    """Consecutive months together: each run is counted with one query per kind."""
    runs = []
    for month in months:
        if runs and runs[-1][-1] + relativedelta(months=1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def month_ends(today: date) -> list[date]:
    """Every month's last day before today, from the first month kept."""
    return [month + relativedelta(months=1) - timedelta(days=1)
            for month in _months_from(first_month(today), today)
            if month + relativedelta(months=1) <= today]


# --- Writing the facts ----------------------------------------------------------------------------


def _count_months(months: list[date], today: date) -> dict:
    """{(municipality, category, month): count} of `months`; their histograms written."""
    counts = {}
    DurationCount.objects.filter(month__in=months).delete()
    for run in _runs(months):
        last = min(run[-1] + relativedelta(months=1) - timedelta(days=1), today)
        for category, cells in flow_counts(run[0], last).items():
            counts.update({(place, category, month): count
                           for (place, month), count in cells.items()
                           if count and place is not None})
        durations = duration_counts(run[0], last)
        everywhere = Counter()
        for measure, cells in durations.items():
            for (_place, month, days), count in cells.items():
                everywhere[measure, month, days] += count
        DurationCount.objects.bulk_create([
            *(DurationCount(month=month, municipality_id=place, measure=measure, days=days,
                            count=count)
              for measure, cells in durations.items()
              for (place, month, days), count in cells.items() if place is not None),
            *(DurationCount(month=month, municipality_id=None, measure=measure, days=days,
                            count=count)
              for (measure, month, days), count in everywhere.items()),
        ], batch_size=5000)
    return counts


def _write_year(year: int, months: list[date], counts: dict, codes: dict[int, str]) -> None:
    """The cells of `year` from its first month counted again to December: the new counts of
    `months`, the kept ones of the others, each cell's published numbers carried by the rule
    (reports.carried) from January (a month's number depends on the months before it only)."""
    first = min(month for month in months if month.year == year)
    cells = defaultdict(lambda: [0] * 12)
    kept = MonthlyCount.objects.filter(month__year=year, municipality__isnull=False).exclude(
        month__in=months)
    for place, category, month, count in kept.values_list("municipality", "category", "month",
                                                          "count"):
        cells[place, category][month.month - 1] = count
    for (place, category, month), count in counts.items():
        if month.year == year:
            cells[place, category][month.month - 1] = count
    rows, everywhere = [], defaultdict(lambda: [0, 0])
    for (place, category), by_month in cells.items():
        published = (reports.carried(by_month, reports.offset(category, codes[place], year))
                     if not category.startswith(FEEDBACK_SUM) else [None] * 12)
        for index, count in enumerate(by_month):
            if count and index >= first.month - 1:
                rows.append(MonthlyCount(month=date(year, index + 1, 1), municipality_id=place,
                                         category=category, count=count,
                                         published=published[index]))
                everywhere[category, index][0] += count
                everywhere[category, index][1] += published[index] or 0
    rows += [MonthlyCount(month=date(year, index + 1, 1), municipality_id=None,
                          category=category, count=count,
                          published=None if category.startswith(FEEDBACK_SUM) else published)
             for (category, index), (count, published) in everywhere.items()]
    MonthlyCount.objects.filter(month__gte=first, month__year=year).delete()
    MonthlyCount.objects.bulk_create(rows, batch_size=5000)


def _write_states(today: date, codes: dict[int, str]) -> None:
    """Clients by status now, and overdue on every month's end and today: whole afresh."""
    StateCount.objects.all().delete()
    rows = []
    for category, counts in clients_now().items():
        rows += [StateCount(day=today, municipality_id=place, category=category, count=count,
                            published=reports.rounded(count, reports.offset(category,
                                                                            codes[place])))
                 for place, count in counts.items() if place is not None]
    for category, counts in overdue_counts([*month_ends(today), today]).items():
        rows += [StateCount(day=day, municipality_id=place, category=category, count=count,
                            published=reports.rounded(count, reports.offset(category,
                                                                            codes[place])))
                 for (place, day), count in counts.items() if count and place is not None]
    StateCount.objects.bulk_create(rows, batch_size=5000)


def refresh(*, everything: bool = False, today: date | None = None) -> StatisticsRefresh:
    """Count the facts of the months that can have changed (all with `everything`), in one
    transaction: the page sees the last refresh whole or the one before."""
    today = today or timezone.localdate()
    started_at = timezone.now()
    with transaction.atomic(), one_reading():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        last = StatisticsRefresh.objects.order_by("-started_at").first()
        if everything or last is None:  # and none of months not kept or not yet begun
            for model in (MonthlyCount, DurationCount):
                model.objects.filter(Q(month__lt=first_month(today))
                                     | Q(month__gt=today)).delete()
        months = changed_months(today, None if everything or last is None
                                else last.started_at)
        codes = dict(Municipality.objects.values_list("pk", "code"))
        counts = _count_months(months, today)
        for year in sorted({month.year for month in months}):
            _write_year(year, months, counts, codes)
        _write_states(today, codes)
        finished = StatisticsRefresh.objects.create(
            started_at=started_at, finished_at=timezone.now(), today=today,
            months=" ".join(month.strftime("%Y-%m") for month in months),
            everything=everything or last is None)
        StatisticsRefresh.objects.filter(finished_at__lt=finished.finished_at - timedelta(
            days=7)).delete()
    log.info("statistics refreshed: %d months in %.1f s", len(months),
             (finished.finished_at - started_at).total_seconds())
    return finished
