"""
The reminder sweep at scale: 100,000 open support plans on PostgreSQL.

    make bench-sweep                      # 100,000 plans in the database tyokyky_bench
    BENCH_PLANS=20000 make bench-sweep    # a smaller world

The world is made once (bulk inserts) and kept: 100,000 active clients, each with a support
plan, three actions due across a year around today and a follow-up date; 2,000 team meetings
in the last two months without a feedback discussion. Everything due before today has already
been reminded (as it would have been by earlier sweeps), so the measured sweep does what the
five-minute sweep does on a working morning: finds what came due today, records and delivers
it. Each measured sweep runs in a transaction that is rolled back, so the run can be repeated.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tyokyky_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tyokyky.settings")
os.environ.setdefault("DEBUG", "True")
os.environ["EMAIL_URL"] = "smtp://localhost:1"  # replaced by the locmem backend below

import django
import psycopg

PLANS = int(os.environ.get("BENCH_PLANS", "100000"))
MEETINGS = max(PLANS // 50, 1)
BATCH = 5000


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


ensure_database()
django.setup()

from io import StringIO  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def hetu(n: int) -> str:
    from clients.hetu import check_character

    day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 50 + (n // 336) % 50
    ddmmyy = f"{day:02d}{month:02d}{year:02d}"
    individual = f"{2 + (n // 16800) % 898:03d}"
    return f"{ddmmyy}-{individual}{check_character(ddmmyy, individual)}"


def build_world():
    """The scale data, in bulk: no history rows, no per-row saves."""
    from clients.models import Client
    from meetings.models import Meeting
    from plans.models import FollowUp, PlanAction, SupportPlan
    from teams.models import Municipality, Team, User
    from work.models import Reminder, ReminderKind, ReminderStage, ReminderState

    call_command("seed_demo", force=True, stdout=StringIO())
    users = list(User.objects.filter(memberships__role__in=["nurse", "employment_expert",
                                                           "typ_expert", "social_worker"]))
    organisation = users[0].memberships.first().organisation
    author = users[0]
    municipalities = list(Municipality.objects.all())
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 (test data, not secrets)
    started = time.perf_counter()
    clients = Client.objects.bulk_create(
        (Client(first_name="Asiakas", last_name=f"Suku{n:06d}", hetu=hetu(n),
                hetu_ending=hetu(n)[-4:], date_of_birth=today.replace(year=1970),
                municipality=rng.choice(municipalities)) for n in range(PLANS)),
        batch_size=BATCH,
    )
    plans = SupportPlan.objects.bulk_create(
        (SupportPlan(client=client, organisation=organisation, created_by=author,
                     short_term_goals="Työkokeilu") for client in clients),
        batch_size=BATCH,
    )
    SupportPlan.case_managers.through.objects.bulk_create(
        (SupportPlan.case_managers.through(supportplan_id=plan.pk,
                                           user_id=rng.choice(users).pk) for plan in plans),
        batch_size=BATCH,
    )
    actions = PlanAction.objects.bulk_create(
        (PlanAction(plan=plan, what=f"Toimenpide {n}", responsible=rng.choice(users),
                    due_on=today + timedelta(days=rng.randint(-180, 180)))
         for plan in plans for n in range(3)),
        batch_size=BATCH,
    )
    follow_ups = FollowUp.objects.bulk_create(
        (FollowUp(plan=plan, due_on=today + timedelta(days=rng.randint(-180, 180)))
         for plan in plans), batch_size=BATCH,
    )
    team = Team.objects.get()
    now = timezone.now()
    starts = [now - timedelta(days=rng.randint(1, 60), hours=1) for _ in range(MEETINGS)]
    meetings = Meeting.objects.bulk_create(
        (Meeting(client=rng.choice(clients), organisation=organisation, created_by=author,
                 team=team, mode="phone", starts_at=start, ends_at=start + timedelta(hours=1))
         for start in starts), batch_size=BATCH,
    )
    # What earlier sweeps have already done: everything due before today is reminded.
    reminded = [
        Reminder(kind=ReminderKind.ACTION, object_id=a.pk, stage=stage, user_id=a.responsible_id,
                 client_id=a.plan.client_id, due_on=a.due_on, url="/",
                 state=ReminderState.SENT)
        for a in actions if a.due_on < today
        for stage in ([ReminderStage.DUE, ReminderStage.OVERDUE]
                      if a.due_on < today - timedelta(days=7) else [ReminderStage.DUE])
    ] + [
        Reminder(kind=ReminderKind.FOLLOW_UP, object_id=f.pk, user_id=author.pk,
                 client_id=f.plan.client_id, due_on=f.due_on, url="/",
                 state=ReminderState.SENT)
        for f in follow_ups if f.due_on < today
    ]
    Reminder.objects.bulk_create(reminded, batch_size=BATCH, ignore_conflicts=True)
    # Fresh statistics, as autovacuum would gather: without them the planner guesses badly.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"World made in {time.perf_counter() - started:.0f} s: {len(clients)} clients and "
          f"plans, {len(actions)} actions, {len(follow_ups)} follow-ups, {len(meetings)} "
          f"meetings, {len(reminded)} earlier reminders.")


def measure(label, function):
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - began
    return label, elapsed, len(queries), result


def main():
    from plans.models import SupportPlan
    from work.reminders import collect_due, deliver_pending

    call_command("migrate", verbosity=0)
    if SupportPlan.objects.filter(status="active").count() < PLANS:
        build_world()
    open_plans = SupportPlan.objects.filter(status="active").count()
    rows = []
    runs = []
    for _run in range(3):
        with transaction.atomic():
            first = [measure("collect (find what came due)", collect_due),
                     measure("deliver (notify and e-mail)", deliver_pending)]
            second = [measure("collect again (nothing new)", collect_due),
                      measure("deliver again (nothing pending)", deliver_pending)]
            runs.append(first + second)
            transaction.set_rollback(True)
    for index in range(4):
        label = runs[0][index][0]
        seconds = statistics.median(run[index][1] for run in runs)
        queries = runs[0][index][2]
        result = runs[0][index][3]
        rows.append((label, seconds, queries, result))
    print(f"\nReminder sweep, {open_plans} open plans (PostgreSQL, median of 3 runs)")
    print(f"{'step':<34}{'seconds':>9}{'queries':>9}{'rows':>8}")
    for label, seconds, queries, result in rows:
        print(f"{label:<34}{seconds:>9.2f}{queries:>9}{result:>8}")
    total = rows[0][1] + rows[1][1]
    print(f"{'a working morning sweep in all':<34}{total:>9.2f}")
    print(f"{'a sweep with nothing new':<34}{rows[2][1] + rows[3][1]:>9.2f}")


if __name__ == "__main__":
    main()
