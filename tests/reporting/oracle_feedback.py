"""The clients' feedback averages as counted before the facts: the oracle's (oracle.py)."""


from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone

from meetings.models import FEEDBACK_QUESTIONS, MeetingFeedback

FEEDBACK = "meeting_feedback"  # the category of protected cells: answers given
GIVEN = "submitted_at"  # the moment an answer counts by
ONE_DECIMAL = Decimal("0.1")


def _in_span(span: tuple[date, date]) -> Q:
    start = timezone.make_aware(datetime.combine(span[0], time.min))
    end = timezone.make_aware(datetime.combine(span[1] + timedelta(days=1), time.min))
    return Q(**{f"{GIVEN}__gte": start, f"{GIVEN}__lt": end})


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


def _by_place(spans) -> dict:
    """{municipality: row} with each span's number of answers and sum of each question's
    answers, in one grouped query."""
    aggregates = {}
    for n, span in enumerate(spans):
        aggregates[f"count_{n}"] = Count("pk", filter=_in_span(span))
        for name, _question in FEEDBACK_QUESTIONS:
            aggregates[f"{name}_{n}"] = Sum(name, filter=_in_span(span))
    rows = (MeetingFeedback.objects.order_by().values("client__municipality")
            .annotate(**aggregates))
    return {row["client__municipality"]: row for row in rows}


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
