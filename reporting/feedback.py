"""
The clients' feedback after team meetings (issue 17) on the dashboard: the average answer to
each question and the number of answers, per period and municipality as the rest of it.

Counted by the month the answer was given in (`submitted_at`) and the client's municipality.
The number of answers is a count, published by the dashboard's one rule (reports.py: protected
cells, the category `FEEDBACK`). An average is not a count, and one exact average next to
another gives a single client's answer away: (n+1)·a₁ - n·a₀ when one more answer comes in, the
same from "all municipalities" less one municipality. So an average is published only where no
subtraction reaches a group of one to four answers - the dashboard's small-number rule
(`SMALL_CELL`) for averages (`shown_places`, `averages`):

- only for a period that has ended (a *closed* period): answers are counted by the day they were
  given, so nothing joins a closed period and its averages never change from day to day;
- an average of fewer than SMALL_CELL answers is not shown;
- a municipality's average is shown only when it has at least SMALL_CELL answers and the
  answers of the municipalities whose average is not shown (fewer than SMALL_CELL each) add up
  to none or at least SMALL_CELL; otherwise no municipality's average of that period is shown,
  only all municipalities' - so "all" less the municipalities shown is never a small group;
- averages are rounded to one decimal (half up).

The clients' own words are never read here.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.utils import formats, timezone

from meetings.models import FEEDBACK_QUESTIONS, MeetingFeedback

from .models import MonthlyCount

FEEDBACK = "meeting_feedback"  # the category of protected cells: answers given
SUM = "feedback_sum_"  # + the question: the facts' sum of its answers, never published
GIVEN = "submitted_at"  # the moment an answer counts by
ONE_DECIMAL = Decimal("0.1")


def answers(start: datetime, end: datetime, mine: dict):
    """The answers given from `start` to before `end` (of `mine`'s municipality), for the
    dashboard's monthly count."""
    return MeetingFeedback.objects.filter(**{f"{GIVEN}__gte": start, f"{GIVEN}__lt": end},
                                          **mine)


def closed(end: date, today: date | None = None) -> bool:
    """Has the period ending on `end` ended? Only then can no answer join it."""
    return (today or timezone.localdate()) > end


def shown_places(counts: dict, small_cell: int) -> set:
    """The municipalities whose average of a period may be shown, from every municipality's
    number of answers (active or not): those with at least `small_cell`, unless the rest - the
    ones with fewer - add up to one to `small_cell` - 1; then none, so that all municipalities
    less those shown is never a small group."""
    big = {place for place, count in counts.items() if count >= small_cell}
    rest = sum(count for place, count in counts.items() if place not in big)
    return big if rest == 0 or rest >= small_cell else set()


def mean(total: int, count: int) -> Decimal:
    """An average rounded to one decimal, half up."""
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _months(span: tuple[date, date]) -> list[date]:
    months, month = [], span[0].replace(day=1)
    while month <= span[1]:
        months.append(month)
        month += relativedelta(months=1)
    return months


def _by_place(spans) -> dict:
    """{municipality: row} with each span's number of answers and sum of each question's
    answers, from the facts (reporting/facts.py: exact counts and sums per month), in one
    grouped query. The spans are whole months: a period, or the part of it counted."""
    aggregates, months = {}, []
    for n, span in enumerate(spans):
        in_span = Q(month__in=_months(span))
        months += _months(span)
        aggregates[f"count_{n}"] = Sum("count", filter=in_span & Q(category=FEEDBACK),
                                       default=0)
        for name, _question in FEEDBACK_QUESTIONS:
            aggregates[f"{name}_{n}"] = Sum("count", filter=in_span & Q(category=SUM + name))
    categories = [FEEDBACK, *(SUM + name for name, _question in FEEDBACK_QUESTIONS)]
    rows = (MonthlyCount.objects.filter(month__in=months, category__in=categories,
                                        municipality__isnull=False)
            .order_by().values("municipality").annotate(**aggregates))
    return {row["municipality"]: row for row in rows}


def _span_averages(rows: dict, n: int, municipality, small_cell: int) -> dict | None:
    """{question: average} of span `n` where the rule lets it be shown, else None."""
    counts = {place: row[f"count_{n}"] for place, row in rows.items()}
    if municipality is None:
        chosen = list(rows.values())
    elif municipality.pk in shown_places(counts, small_cell):
        chosen = [rows[municipality.pk]]
    else:
        return None
    count = sum(row[f"count_{n}"] for row in chosen)
    if count < small_cell:
        return None
    return {name: mean(sum(row[f"{name}_{n}"] or 0 for row in chosen), count)
            for name, _question in FEEDBACK_QUESTIONS}


def averages(spans, municipality, small_cell: int, not_shown: str, *,
             today: date | None = None) -> list[list]:
    """[question, average this period, average the period before] for each question; an
    average the rule above does not let be shown (a period not yet closed among them) is
    `not_shown`."""
    rows = _by_place(spans)
    columns = [_span_averages(rows, n, municipality, small_cell)
               if closed(span[1], today) else None for n, span in enumerate(spans)]
    return [[question, *(not_shown if column is None else formats.number_format(column[name], 1)
                         for column in columns)]
            for name, question in FEEDBACK_QUESTIONS]
