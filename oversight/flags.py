"""
Unusual access, flagged for the data protection officer.

Three rules over the access log, each one aggregate query in PostgreSQL (no loop over log rows
in Python), with thresholds in settings (tyokyky/settings.py, OVERSIGHT_*):

a) Unrelated clients: a user opened at least OVERSIGHT_UNRELATED_CLIENTS_PER_DAY distinct
   clients in one day (Helsinki time) whom the organisation they acted for does not serve —
   no client relationship in force on that day (clients.ClientRelationship, the basis the
   policy's "serves the client" reads) and not the writer of the client's card. Lists that
   merely name the clients the policy already lets the user see (the client list, My work, the
   calendar, the referral lists) are not counted: opening a client is. Window: the day.
b) Off hours: a read in an hour of the day in which the user's own reads of the 60 days before
   that day (OVERSIGHT_HISTORY_DAYS) are fewer than OVERSIGHT_OFF_HOURS_SHARE of all their
   reads. With less history than OVERSIGHT_OFF_HOURS_MIN_HISTORY reads the fallback is
   working hours: 7–18 Monday to Friday, not on a Finnish public holiday. Window: the hour.
   The user's reads by hour are counted once per user and day (oversight.UsualHours), the
   first time the user reads that day: the hourly runs of the day reuse them.
c) Export burst: at least OVERSIGHT_EXPORT_BURST_COUNT prints and exports (actions ending in
   _pdf, _csv or _json: the client's data package too) within OVERSIGHT_EXPORT_BURST_MINUTES
   minutes. The flag covers the whole burst:
   the user's exports each within that many minutes of the one before. Window: first to last
   export of the burst.

The hourly task (`run`) looks at the period since its last run. A day's or an hour's window is
judged on all its rows up to now, so a window that grows between runs updates its flag; a
burst in progress is looked at again from a day back. One flag per kind, user and window start
(a unique constraint): a repeated run finds the same flags and changes nothing. A reviewed flag
whose count grows opens again. Officers who asked for it get one e-mail per run with counts
per kind, in their scope only, through the outbox; no client data in it.

The queries need PostgreSQL (window functions, time zones); on the embedded SQLite of
development the task does nothing.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consents.models import AccessLogEntry, Action
from teams.models import Membership, Role
from tyokyky.urls_absolute import absolute
from tyokyky.workdays import finnish_holidays
from work import outbox

from .models import AccessFlag, FlagKind, FlagRun, FlagState, UsualHours

log = logging.getLogger(__name__)

# Pages that name the clients the policy already shows the user: not an opening of a client.
LIST_ACTIONS = [Action.CLIENT_LIST, Action.MY_WORK, Action.CALENDAR, Action.REFERRAL_WORKLIST,
                Action.SENT_REFERRALS]
# The first run looks this far back; a burst in progress is looked at again from this far back.
FIRST_RUN_SPAN = timedelta(days=1)
BURST_LOOKBACK = timedelta(days=1)
# Working hours of the fallback, Helsinki time: from 7:00 to 18:00, Monday to Friday.
WORKING_HOURS = (7, 18)
LOCK_KEY = 7_340_203  # pg_advisory_xact_lock: one run at a time


def export_actions() -> list[str]:
    """Prints and exports: every logged action whose name ends in _pdf, _csv or _json (the
    burst query says the same in SQL, which a partial index of the log matches)."""
    return [value for value in Action.values if value.endswith(("_pdf", "_csv", "_json"))]


@dataclass(frozen=True)
class Candidate:
    """A flag as a rule found it, before it is saved."""

    kind: str
    user_id: int
    organisation_id: int
    window_start: datetime
    window_end: datetime
    count: int
    first_log_id: int
    last_log_id: int

    @property
    def key(self):
        return self.kind, self.user_id, self.window_start


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=_zone())


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


LOG_TABLE = AccessLogEntry._meta.db_table

# --- a) Many clients in a day without a relationship -------------------------------------------

UNRELATED_SQL = f"""
WITH reads AS (
    SELECT l.user_id, l.client_id, l.organisation_id,
           (l.at AT TIME ZONE %(tz)s)::date AS day,
           min(l.id) AS first_id, max(l.id) AS last_id
    FROM {LOG_TABLE} l
    WHERE l.at >= %(lower)s AND l.at < %(until)s
      AND l.organisation_id IS NOT NULL
      AND NOT (l.action = ANY(%(lists)s))
    GROUP BY 1, 2, 3, 4
)
SELECT r.user_id, r.day, count(DISTINCT r.client_id), min(r.first_id), max(r.last_id),
       min(r.organisation_id)
FROM reads r
WHERE NOT EXISTS (
        SELECT 1 FROM clients_clientrelationship cr
        WHERE cr.client_id = r.client_id AND cr.organisation_id = r.organisation_id
          AND cr.started_at < ((r.day + 1)::timestamp AT TIME ZONE %(tz)s)
          AND (cr.ends_at IS NULL OR cr.ends_at >= (r.day::timestamp AT TIME ZONE %(tz)s)))
  AND NOT EXISTS (
        SELECT 1 FROM clients_client c
        WHERE c.id = r.client_id AND c.organisation_id = r.organisation_id)
GROUP BY r.user_id, r.day
HAVING count(DISTINCT r.client_id) >= %(threshold)s
"""  # noqa: S608 (table names from the models, values as parameters)


def unrelated_clients(since: datetime, until: datetime) -> list[Candidate]:
    """Rule a), for every day the period touches, judged on the whole day up to `until`."""
    lower = _local_midnight(timezone.localtime(since).date())
    rows = _rows(UNRELATED_SQL, {
        "tz": settings.TIME_ZONE, "lower": lower, "until": until,
        "lists": [str(action) for action in LIST_ACTIONS],
        "threshold": settings.OVERSIGHT_UNRELATED_CLIENTS_PER_DAY,
    })
    return [
        Candidate(FlagKind.UNRELATED_CLIENTS, user_id, organisation_id, _local_midnight(day),
                  _local_midnight(day + timedelta(days=1)), count, first_id, last_id)
        for user_id, day, count, first_id, last_id, organisation_id in rows
    ]


# --- b) Reads outside the user's usual hours ----------------------------------------------------

HOURS_TABLE = UsualHours._meta.db_table
_BY_HOUR = ", ".join(f"coalesce(sum(hours.reads) FILTER (WHERE hours.hour = {hour}), 0)::int"
                     for hour in range(24))

# A user's reads by hour over the history days, once per user and day: for those who read in
# the period and have no measure for that day yet. Each by its own index range (LATERAL).
USUAL_HOURS_SQL = f"""
INSERT INTO {HOURS_TABLE} (user_id, day, total, counts)
SELECT j.user_id, j.day, measure.total, measure.counts
FROM (
    SELECT DISTINCT l.user_id, (l.at AT TIME ZONE %(tz)s)::date AS day
    FROM {LOG_TABLE} l
    WHERE l.at >= %(lower)s AND l.at < %(until)s AND l.organisation_id IS NOT NULL
) j
CROSS JOIN LATERAL (
    SELECT coalesce(sum(hours.reads), 0)::int AS total,
           jsonb_build_array({_BY_HOUR}) AS counts
    FROM (SELECT extract(hour FROM h.at AT TIME ZONE %(tz)s)::int AS hour, count(*) AS reads
          FROM {LOG_TABLE} h
          WHERE h.user_id = j.user_id
            AND h.at >= ((j.day - %(days)s)::timestamp AT TIME ZONE %(tz)s)
            AND h.at < (j.day::timestamp AT TIME ZONE %(tz)s)
          GROUP BY 1) hours
) measure
WHERE NOT EXISTS (SELECT 1 FROM {HOURS_TABLE} u WHERE u.user_id = j.user_id AND u.day = j.day)
ON CONFLICT (user_id, day) DO NOTHING
"""  # noqa: S608

OFF_HOURS_SQL = f"""
WITH recent AS (
    SELECT l.user_id, date_trunc('hour', l.at AT TIME ZONE %(tz)s) AS local_hour,
           count(*) AS reads, min(l.id) AS first_id, max(l.id) AS last_id,
           min(l.organisation_id) AS organisation_id
    FROM {LOG_TABLE} l
    WHERE l.at >= %(lower)s AND l.at < %(until)s AND l.organisation_id IS NOT NULL
    GROUP BY 1, 2
)
SELECT r.user_id, r.local_hour, r.reads, r.first_id, r.last_id, r.organisation_id
FROM recent r
LEFT JOIN {HOURS_TABLE} u ON u.user_id = r.user_id AND u.day = r.local_hour::date
WHERE CASE WHEN coalesce(u.total, 0) >= %(min_history)s
           THEN (u.counts ->> extract(hour FROM r.local_hour)::int)::int < %(share)s * u.total
           ELSE extract(isodow FROM r.local_hour) > 5
                OR extract(hour FROM r.local_hour) < %(opens)s
                OR extract(hour FROM r.local_hour) >= %(closes)s
                OR r.local_hour::date = ANY(%(holidays)s)
      END
"""  # noqa: S608

# Measures of days before yesterday are not needed again.
FORGET_HOURS_SQL = f"DELETE FROM {HOURS_TABLE} WHERE day < %(keep)s"  # noqa: S608


def _holidays(first: date, last: date) -> list[date]:
    return [day for year in range(first.year, last.year + 1)
            for day in finnish_holidays(year) if first <= day <= last]


def _local_hour_start(naive_local: datetime) -> datetime:
    return naive_local.replace(tzinfo=_zone())


def off_hours(since: datetime, until: datetime) -> list[Candidate]:
    """Rule b), for every hour the period touches, judged on the whole hour up to `until`,
    against the user's usual hours of that day (worked out the first time they are needed)."""
    lower = timezone.localtime(since).replace(minute=0, second=0, microsecond=0)
    period = {"tz": settings.TIME_ZONE, "lower": lower, "until": until}
    with connection.cursor() as cursor:
        cursor.execute(FORGET_HOURS_SQL, {"keep": lower.date() - timedelta(days=1)})
        cursor.execute(USUAL_HOURS_SQL, {**period, "days": settings.OVERSIGHT_HISTORY_DAYS})
    rows = _rows(OFF_HOURS_SQL, {
        **period,
        "min_history": settings.OVERSIGHT_OFF_HOURS_MIN_HISTORY,
        "share": settings.OVERSIGHT_OFF_HOURS_SHARE,
        "opens": WORKING_HOURS[0], "closes": WORKING_HOURS[1],
        "holidays": _holidays(timezone.localtime(lower).date(),
                              timezone.localtime(until).date()),
    })
    candidates = []
    for user_id, local_hour, reads, first_id, last_id, organisation_id in rows:
        start = _local_hour_start(local_hour)
        candidates.append(Candidate(FlagKind.OFF_HOURS, user_id, organisation_id, start,
                                    start + timedelta(hours=1), reads, first_id, last_id))
    return candidates


# --- c) A burst of prints and exports -----------------------------------------------------------

BURST_SQL = f"""
WITH exports AS (
    SELECT l.id, l.user_id, l.organisation_id, l.at,
           CASE WHEN l.at - lag(l.at) OVER by_time <= %(gap)s THEN 0 ELSE 1 END AS starts,
           count(*) OVER (PARTITION BY l.user_id ORDER BY l.at
                          RANGE BETWEEN %(gap)s PRECEDING AND CURRENT ROW) AS in_window
    FROM {LOG_TABLE} l
    WHERE l.at >= %(lower)s AND l.at < %(until)s AND l.organisation_id IS NOT NULL
      AND l.action ~ '_(pdf|csv|json)$'
    WINDOW by_time AS (PARTITION BY l.user_id ORDER BY l.at, l.id)
),
bursts AS (
    SELECT e.*, sum(e.starts) OVER (PARTITION BY e.user_id ORDER BY e.at, e.id) AS burst
    FROM exports e
)
SELECT user_id, min(at), max(at), count(*), min(id), max(id), min(organisation_id)
FROM bursts
GROUP BY user_id, burst
HAVING max(in_window) >= %(count)s AND min(at) >= %(complete_from)s
"""  # noqa: S608


def export_bursts(since: datetime, until: datetime) -> list[Candidate]:
    """
    Rule c). Looked at from a day before `since`, so that a burst still going on at the last
    run is found whole again; a burst that may have begun before that (its first export within
    the gap of the lower bound) was already judged by an earlier run and is left out.
    """
    gap = timedelta(minutes=settings.OVERSIGHT_EXPORT_BURST_MINUTES)
    lower = since - BURST_LOOKBACK
    rows = _rows(BURST_SQL, {
        "lower": lower, "until": until, "gap": gap,
        "count": settings.OVERSIGHT_EXPORT_BURST_COUNT, "complete_from": lower + gap,
    })
    return [
        Candidate(FlagKind.EXPORT_BURST, user_id, organisation_id, first_at, last_at, count,
                  first_id, last_id)
        for user_id, first_at, last_at, count, first_id, last_id, organisation_id in rows
    ]


RULES = (unrelated_clients, off_hours, export_bursts)


def find(since: datetime, until: datetime) -> list[Candidate]:
    """What the three rules find in the period: three queries, whatever the log's size."""
    return [candidate for rule in RULES for candidate in rule(since, until)]


# --- Saving -------------------------------------------------------------------------------------

UPDATED_FIELDS = ["organisation", "window_end", "count", "first_log_id", "last_log_id",
                  "state"]


@dataclass
class Saved:
    new: list[AccessFlag]
    reopened: list[AccessFlag]
    updated: list[AccessFlag]

    @property
    def to_tell(self) -> list[AccessFlag]:
        return self.new + self.reopened


def save(candidates: list[Candidate], now=None) -> Saved:
    """New flags created, existing ones brought up to date: a query to read, one to create and
    one to update (with their history rows), however many there are."""
    now = now or timezone.now()
    saved = Saved([], [], [])
    if not candidates:
        return saved
    existing = {
        (flag.kind, flag.user_id, flag.window_start): flag
        for flag in AccessFlag.objects.filter(
            kind__in={c.kind for c in candidates},
            user_id__in={c.user_id for c in candidates},
            window_start__in={c.window_start for c in candidates},
        )
    }
    for candidate in {c.key: c for c in candidates}.values():
        flag = existing.get(candidate.key)
        if flag is None:
            saved.new.append(AccessFlag(
                kind=candidate.kind, user_id=candidate.user_id,
                organisation_id=candidate.organisation_id,
                window_start=candidate.window_start, window_end=candidate.window_end,
                count=candidate.count, first_log_id=candidate.first_log_id,
                last_log_id=candidate.last_log_id, found_at=now,
            ))
            continue
        numbers = (candidate.organisation_id, candidate.window_end, candidate.count,
                   candidate.first_log_id, candidate.last_log_id)
        if numbers == (flag.organisation_id, flag.window_end, flag.count, flag.first_log_id,
                       flag.last_log_id):
            continue
        grew = candidate.count > flag.count
        (flag.organisation_id, flag.window_end, flag.count, flag.first_log_id,
         flag.last_log_id) = numbers
        if grew and flag.state == FlagState.REVIEWED:
            # More of it after the review: the officer looks again (the review stays on it).
            flag.state = FlagState.OPEN
            saved.reopened.append(flag)
        else:
            saved.updated.append(flag)
    if saved.new:
        saved.new = bulk_create_with_history(saved.new, AccessFlag)
    changed = saved.reopened + saved.updated
    if changed:
        bulk_update_with_history(changed, AccessFlag, UPDATED_FIELDS)
    return saved


# --- E-mail -------------------------------------------------------------------------------------

def email_officers(flags: list[AccessFlag]) -> int:
    """
    One e-mail to each officer who asked for them, counting the flags of this run in their
    scope by kind, with a link to their page. Queued in the run's transaction (the outbox).
    """
    by_organisation: dict[int, Counter] = defaultdict(Counter)
    for flag in flags:
        by_organisation[flag.organisation_id][flag.kind] += 1
    if not by_organisation:
        return 0
    memberships = (
        Membership.objects.active()
        .filter(role=Role.DATA_PROTECTION_OFFICER, organisation_id__in=list(by_organisation),
                user__oversight_preference__email_flags=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "pk")
    )
    counts: dict = {}
    for membership in memberships:
        user, counter = counts.setdefault(membership.user_id, (membership.user, Counter()))
        counter.update(by_organisation[membership.organisation_id])
    url = absolute(reverse("oversight:overview"))
    messages = []
    for user, counter in counts.values():
        with translation.override(user.language):
            lines = [(FlagKind(kind).label, counter[kind]) for kind in FlagKind.values
                     if counter[kind]]
            messages.append(outbox.from_templates(
                "oversight/email/flags", {"counts": lines, "total": sum(counter.values()),
                                          "url": url}, to=user.email))
    outbox.enqueue(messages)
    return len(messages)


def check(since: datetime, until: datetime) -> Saved | None:
    """Find and save the flags of a period, without the task's bookkeeping or e-mail (the
    demo's data); None where the rules cannot run (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    return save(find(since, until))


# --- The task -----------------------------------------------------------------------------------

def run(now=None) -> FlagRun | None:
    """
    Flag the period since the last run, up to now: one run at a time (an advisory lock), all in
    one transaction with its e-mails, so that a run that fails leaves its period to the next.
    """
    if connection.vendor != "postgresql":
        log.warning("oversight: the flag rules need PostgreSQL; nothing was checked")
        return None
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        last = FlagRun.objects.order_by("-checked_until").first()
        since = last.checked_until if last else now - FIRST_RUN_SPAN
        if since >= now:
            return None
        saved = save(find(since, now), now)
        emailed = email_officers(saved.to_tell)
        flag_run = FlagRun.objects.create(
            started_at=now, checked_from=since, checked_until=now, found=len(saved.new),
            updated=len(saved.updated) + len(saved.reopened), emailed=emailed)
    log.info("oversight: %s new flags, %s updated, %s e-mails", flag_run.found,
             flag_run.updated, emailed)
    return flag_run
