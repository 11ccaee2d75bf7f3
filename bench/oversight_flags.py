"""
The data protection officer's queries at 10 million access-log rows, on PostgreSQL.

    make bench-oversight                         # 10,000,000 rows in tyokyky_bench_logs
    BENCH_LOG_ROWS=2000000 make bench-oversight  # a smaller log
    python bench/oversight_flags.py --explain    # and the plans, with EXPLAIN ANALYZE

The world is made once and kept (a minimal one: 40 organisations, 4,000 staff, 100,000
clients, each served by the organisation that wrote their card and a third by a second one),
and the log is filled with INSERT … SELECT over generate_series, its secondary indexes dropped
and built again afterwards (much faster than keeping them up row by row): 90 days of reads up
to the benchmark's "now" (today 11.00, Helsinki time), 98 % of them in working hours
(7–17), 1 % prints
and exports, 3 % of clients whom the reader's organisation does not serve. Three planted
patterns give each rule something to find: a user opening 30 unrelated clients this morning,
another reading at 3 a.m., a third printing 15 summaries in ten minutes.

Measured (median of 3, each in a transaction rolled back):
- the flag task's three rules and the whole run (find, save, e-mail) for the last hour (the
  users' usual hours of today already worked out by the earlier runs of the day) and for the
  last day; and rule b) in the day's first busy hour, when most users' usual hours are
  worked out;
- the officer's search, first page of 50: by user, by client, by organisation only (the
  officer's scope, no other criterion), by user and a week.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tyokyky_bench_logs")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tyokyky.settings")
os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402
import psycopg  # noqa: E402

ROWS = int(os.environ.get("BENCH_LOG_ROWS", "10000000"))
ORGANISATIONS = 40
USERS = 4000
CLIENTS = 100_000
DAYS = 90
CHUNK = 1_000_000
HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime.now(HELSINKI).replace(hour=11, minute=0, second=0, microsecond=0)


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


ensure_database()
django.setup()

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clients.models import Client, ClientRelationship, RelationshipBasis  # noqa: E402
from consents.models import AccessLogEntry, Action  # noqa: E402
from oversight import flags  # noqa: E402
from oversight import search as logs  # noqa: E402
from oversight.models import FlagRun  # noqa: E402
from teams.models import Membership, Municipality, Organisation, Role, Sector, User  # noqa: E402

LOG = AccessLogEntry._meta.db_table
EXPORTS = flags.export_actions()
VIEWS = [Action.CLIENT_PAGE, Action.CLIENT_PAGE, Action.CLIENT_PAGE, Action.CLIENT_LIST,
         Action.TEAM, Action.PLAN, Action.MEETING, Action.REFERRAL, Action.MY_WORK]


def build_world() -> None:
    """Organisations, staff and clients in bulk: the log's rows point at them by id."""
    started = time.perf_counter()
    municipality, _ = Municipality.objects.get_or_create(name="Benchmark", code="999")
    sectors = list(Sector.values)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisaatio {n:02d}", sector=sectors[n % len(sectors)])
        for n in range(ORGANISATIONS))
    users = User.objects.bulk_create(
        (User(username=f"bench{n:05d}", first_name="Testi", last_name=f"Käyttäjä{n:05d}",
              password="!") for n in range(USERS)), batch_size=5000)  # noqa: S106 (unusable)
    Membership.objects.bulk_create(
        (Membership(user=user, organisation=organisations[n % ORGANISATIONS], role=Role.NURSE)
         for n, user in enumerate(users)), batch_size=5000)
    born = NOW.date().replace(year=1970)
    clients = Client.objects.bulk_create(
        (Client(first_name="Asiakas", last_name=f"Suku{n:06d}", hetu=f"B{n:010d}",
                hetu_ending=f"{n % 10000:04d}", date_of_birth=born, municipality=municipality,
                organisation=organisations[n % ORGANISATIONS]) for n in range(CLIENTS)),
        batch_size=5000)
    since = NOW - timedelta(days=400)
    ClientRelationship.objects.bulk_create(
        [*(ClientRelationship(client=client, organisation=organisations[n % ORGANISATIONS],
                              basis=RelationshipBasis.VISIT, started_at=since)
           for n, client in enumerate(clients)),
         *(ClientRelationship(client=client,
                              organisation=organisations[(n + 7) % ORGANISATIONS],
                              basis=RelationshipBasis.REFERRAL, started_at=since,
                              carries_card=True)
           for n, client in enumerate(clients) if n % 3 == 0)],
        batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"World made in {time.perf_counter() - started:.0f} s: {ORGANISATIONS} "
          f"organisations, {USERS} staff, {CLIENTS} clients.")


def _ids(model) -> int:
    """The first id of a model whose rows were made in one go (so contiguous ids)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id), count(*) FROM {model._meta.db_table}")  # noqa: S608
        first, last, count = cursor.fetchone()
    assert last - first + 1 == count, f"{model.__name__} ids are not contiguous"
    return first


FILL_SQL = f"""
INSERT INTO {LOG} (at, user_id, client_id, organisation_id, role, categories, action,
                   ip_address)
SELECT r.at, %(user0)s + r.u, %(client0)s + r.c, %(org0)s + r.u %% %(orgs)s, 'nurse',
       '["identity", "health"]'::jsonb, r.action, NULL
FROM (
    SELECT
        u,
        CASE WHEN random() < 0.03
             THEN floor(random() * %(clients)s)::int
             ELSE (floor(random() * (%(clients)s / %(orgs)s))::int * %(orgs)s + u %% %(orgs)s)
        END AS c,
        CASE WHEN random() < 0.01
             THEN (%(exports)s::text[])[1 + floor(random() * %(n_exports)s)::int]
             ELSE (%(views)s::text[])[1 + floor(random() * %(n_views)s)::int] END AS action,
        ((%(first_day)s::date + floor(random() * %(days)s)::int)
         + CASE WHEN random() < 0.02 THEN random() * interval '24 hours'
                ELSE interval '7 hours' + random() * interval '10 hours' END)
        AT TIME ZONE 'Europe/Helsinki' AS at
    FROM (SELECT g, floor(random() * %(users)s)::int AS u
          FROM generate_series(1, %(rows)s) g) s
) r
WHERE r.at < %(now)s
"""  # noqa: S608


def fill_log(rows: int) -> None:
    """`rows` reads over the DAYS days before NOW, in chunks, with the indexes built after."""
    user0, client0, org0 = _ids(User), _ids(Client), _ids(Organisation)
    first_day = (NOW - timedelta(days=DAYS - 1)).date()  # the last day is today
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                       "AND indexname NOT LIKE '%%pkey'", [LOG])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # The load is the benchmark's own: no foreign-key or guard triggers row by row.
        cursor.execute("SET session_replication_role = replica")
        done = 0
        started = time.perf_counter()
        while done < rows:
            size = min(CHUNK, rows - done)
            cursor.execute(FILL_SQL, {
                "user0": user0, "client0": client0, "org0": org0, "orgs": ORGANISATIONS,
                "clients": CLIENTS, "users": USERS, "rows": size, "days": DAYS,
                "first_day": first_day, "now": NOW, "exports": EXPORTS, "n_exports": len(EXPORTS),
                "views": [str(v) for v in VIEWS], "n_views": len(VIEWS)})
            done += size
            print(f"  {done:>11,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in indexes:
            began = time.perf_counter()
            cursor.execute(definition)
            print(f"  index {name}: {time.perf_counter() - began:.0f} s", flush=True)
        cursor.execute(f"VACUUM ANALYZE {LOG}")
    print(f"Log filled in {time.perf_counter() - started:.0f} s.")


def plant_patterns() -> dict:
    """One user for each rule, in the last hours before NOW."""
    users = list(User.objects.order_by("pk")[:3])
    organisation = Membership.objects.get(user=users[0]).organisation
    served = ClientRelationship.objects.filter(organisation=organisation).values("client_id")
    strangers = list(Client.objects.exclude(pk__in=served).exclude(
        organisation=organisation).order_by("pk")[:30])
    rows = [AccessLogEntry(user=users[0], organisation=organisation, role="nurse",
                           client=client, action=Action.CLIENT_PAGE, categories=["identity"],
                           at=NOW - timedelta(hours=3, minutes=n))
            for n, client in enumerate(strangers)]
    night = NOW.replace(hour=3)
    rows += [AccessLogEntry(user=users[1], organisation=Membership.objects.get(
        user=users[1]).organisation, role="nurse", client=strangers[0],
        action=Action.CLIENT_PAGE, categories=["identity"], at=night + timedelta(minutes=n))
        for n in range(3)]
    rows += [AccessLogEntry(user=users[2], organisation=Membership.objects.get(
        user=users[2]).organisation, role="doctor", client=strangers[n],
        action=Action.SUMMARY_PDF, categories=["identity", "health"],
        at=NOW - timedelta(minutes=30) + timedelta(seconds=40 * n)) for n in range(15)]
    AccessLogEntry.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {LOG}")
    return {"user": users[0], "organisation": organisation}


def timed(function, runs=3, prepare=None):
    """Median seconds of `runs` calls, each in a transaction rolled back (after `prepare`,
    not timed); queries and result of the first."""
    times, first = [], None
    for run in range(runs):
        with transaction.atomic():
            if prepare:
                prepare()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = function()
                times.append(time.perf_counter() - began)
            if run == 0:
                first = (len(queries), result)
            transaction.set_rollback(True)
    return statistics.median(times), *first


def explain(sql, params) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def whole_run(since):
    def go():
        FlagRun.objects.create(checked_from=since - timedelta(hours=1), checked_until=since)
        run = flags.run(now=NOW)
        return f"{run.found} flags"
    return go


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--explain", action="store_true", help="print the plans too")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0, stdout=StringIO())
    if not Client.objects.exists():
        build_world()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [LOG])
        estimate = cursor.fetchone()[0]
    if estimate < ROWS * 0.95:
        print(f"Filling the access log with {ROWS:,} rows (it has about {max(estimate, 0):,})")
        fill_log(ROWS - max(estimate, 0))
        planted = plant_patterns()
    else:
        user = User.objects.order_by("pk").first()
        planted = {"user": user, "organisation": Membership.objects.get(user=user).organisation}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {LOG}")  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [LOG])
        size = cursor.fetchone()[0]
    print(f"\nAccess log: {total:,} rows, {size} with indexes. 'Now' is {NOW:%Y-%m-%d %H:%M}.")

    hour, day = NOW - timedelta(hours=1), NOW - timedelta(days=1)
    midnight = NOW.replace(hour=0)

    def earlier_runs_of_today():
        """The runs of the hours before: the users' usual hours of today are known."""
        flags.off_hours(midnight, hour)

    rows = []
    for label, since, prepare in (("last hour, 10-11", hour, earlier_runs_of_today),
                                  ("last day", day, None)):
        for rule in flags.RULES:
            rows.append((f"{rule.__name__} ({label})",
                         *timed(lambda rule=rule, since=since: f"{len(rule(since, NOW))} found",
                                prepare=prepare)))
        rows.append((f"whole task run ({label})", *timed(whole_run(since), prepare=prepare)))
    seven = NOW.replace(hour=7)
    rows.append(("off_hours (7-8, the day's first busy hour)",
                 *timed(lambda: f"{len(flags.off_hours(seven, seven + timedelta(hours=1)))} "
                                "found", prepare=lambda: flags.off_hours(midnight, seven))))

    organisation_ids = [planted["organisation"].pk]
    busy_client = AccessLogEntry.objects.filter(
        at__gte=day, organisation_id__in=organisation_ids).values_list(
        "client_id", flat=True).first()
    searches = {
        "by user": logs.Criteria(user_id=planted["user"].pk),
        "by client (HETU)": logs.Criteria(client_id=busy_client, by_hetu=True),
        "by organisation only": logs.Criteria(),
        "by user and a week": logs.Criteria(user_id=planted["user"].pk,
                                            since=NOW - timedelta(days=14),
                                            until=NOW - timedelta(days=7)),
    }
    for label, criteria in searches.items():
        def first_page(criteria=criteria):
            page = logs.page(logs.entries(criteria, organisation_ids), None)
            return f"{len(page.rows)} rows"
        rows.append((f"search {label}, first page", *timed(first_page)))

    print(f"\n{'measured (median of 3)':<48}{'seconds':>9}{'queries':>9}  result")
    for label, seconds, queries, result in rows:
        print(f"{label:<48}{seconds:>9.3f}{queries:>9}  {result}")

    if arguments.explain:
        for label, sql, params in _plans(hour, organisation_ids, searches):
            print(f"\n--- {label}\n{explain(sql, params)}")


def _plans(hour, organisation_ids, searches):
    gap = timedelta(minutes=10)
    yield "rule a (unrelated clients), last hour", flags.UNRELATED_SQL, {
        "tz": "Europe/Helsinki", "lower": NOW.replace(hour=0), "until": NOW,
        "lists": [str(a) for a in flags.LIST_ACTIONS], "threshold": 20}
    seven = NOW.replace(hour=7)
    yield "rule b, the users' usual hours (7-8, the day's first busy hour)", \
        flags.USUAL_HOURS_SQL, {"tz": "Europe/Helsinki", "lower": seven,
                                "until": seven + timedelta(hours=1), "days": 60}
    yield "rule b (off hours), last hour", flags.OFF_HOURS_SQL, {
        "tz": "Europe/Helsinki", "lower": hour, "until": NOW,
        "min_history": 100, "share": 0.01, "opens": 7, "closes": 18, "holidays": []}
    yield "rule c (export bursts), last hour", flags.BURST_SQL, {
        "lower": hour - timedelta(days=1), "until": NOW, "gap": gap,
        "count": 10, "complete_from": hour - timedelta(days=1) + gap}
    for label, criteria in searches.items():
        query = logs.entries(criteria, organisation_ids)[:51].query
        sql, params = query.sql_with_params()
        yield f"search {label}", sql, params


if __name__ == "__main__":
    main()
