"""
The rooms' moves changed where the code lives, not the data: the meetings left the teams app
(meetings 0001), reminders and notifications the plans app (work 0001) and the outbox the core
package (work 0002), each by state only.

With the demo data and a reminder sweep in the database, the schema is taken back to before the
moves and then forward again, as an upgrade runs it. Every table of the old schema has the same
rows at each step — each table's contents hashed on PostgreSQL; tables that later migrations
made go with them and come back empty — the old apps' models read the rows before the moves and
the new apps' models after them, and the roles keep their permissions.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from teams.models import User
from work.reminders import sweep

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the upgrade is proved on the production database")

# Taking the meetings app back to zero unapplies every migration after the moves.
BEFORE_THE_MOVES = [("meetings", None)]
# Where each moved model's rows lived before the moves, and where they live after them.
MOVED = {
    ("teams", "Room"): ("meetings", "Room"),
    ("teams", "Meeting"): ("meetings", "Meeting"),
    ("teams", "MeetingParticipant"): ("meetings", "MeetingParticipant"),
    ("teams", "MeetingDecision"): ("meetings", "MeetingDecision"),
    ("teams", "HistoricalMeeting"): ("meetings", "HistoricalMeeting"),
    ("plans", "Reminder"): ("work", "Reminder"),
    ("plans", "Notification"): ("work", "Notification"),
    ("tyokyky", "OutboxMessage"): ("work", "OutboxMessage"),
}
# Bookkeeping of the migrations themselves, which the moves change by design.
BOOKKEEPING = {"django_migrations", "django_content_type"}
# A table's rows and a hash of their contents (of the given columns, in the given order).
HASHED = ("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
          " FROM (SELECT {columns} FROM {table}) t")
# Where the rows are kept as they were before the round trip, to be hashed by the old columns.
SNAPSHOT = "before_the_round_trip"
COPIED = "CREATE TABLE {schema}.{table} AS SELECT * FROM public.{table}"


def _columns() -> dict[str, list[str]]:
    """Each table's columns, bookkeeping left out."""
    with connection.cursor() as cursor:
        return {
            table: [column.name for column in
                    connection.introspection.get_table_description(cursor, table)]
            for table in connection.introspection.table_names(cursor)
            if table not in BOOKKEEPING
        }


def _tables_hashed(columns: dict[str, list[str]] | None = None, schema="public") -> dict[str, str]:
    """Each table's rows and a hash of their contents: of `columns` where given, so that a
    column a later migration added, back at its default after the round trip, is not hashed."""
    columns = columns or _columns()
    hashes = {}
    with connection.cursor() as cursor:
        for table, names in columns.items():
            quoted = ", ".join(connection.ops.quote_name(name) for name in names)
            source = f"{schema}.{connection.ops.quote_name(table)}"
            cursor.execute(HASHED.format(columns=quoted, table=source))
            hashes[table] = cursor.fetchone()[0]
    return hashes


def _snapshot(tables) -> None:
    """A copy of each table's rows as they are now, in a schema of its own."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE; CREATE SCHEMA {SNAPSHOT}")
        for table in tables:
            cursor.execute(COPIED.format(schema=SNAPSHOT, table=connection.ops.quote_name(table)))


def rows_of(hashed: str) -> str:
    return hashed.split(":")[0]


def _rows(state_apps, app_label, model) -> int:
    return state_apps.get_model(app_label, model).objects.count()


def _migrate(targets):
    """Migrate to `targets`; the models of the state it leaves."""
    state = MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    return state.apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def demo_with_work(transactional_db, as_owner, settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo", force=True)
    sweep(today=timezone.localdate() + timedelta(days=400))  # reminders and notifications


def test_the_moves_keep_every_row_from_the_old_schema_forward(demo_with_work):
    rows = {new: _rows(apps, *new) for new in MOVED.values()}
    assert all(rows.values()), rows  # every moved table has rows to lose
    hashed = _tables_hashed()
    _snapshot(hashed)
    old_columns = {}
    try:
        old_apps = _migrate(BEFORE_THE_MOVES)
        assert {old: _rows(old_apps, *old) for old in MOVED} == {
            old: rows[new] for old, new in MOVED.items()}
        assert set(ContentType.objects.filter(model="meeting").values_list("app_label")) == {
            ("teams",)}
        # The tables of the old schema, each with every row (a column a later migration
        # added is not there to hash); the tables later migrations made went with them.
        old_columns = _columns()
        old_hashed = _tables_hashed(old_columns)
        assert {table: rows_of(old_hashed[table]) for table in old_hashed} == {
            table: rows_of(hashed[table]) for table in old_hashed}
    finally:
        new_apps = _migrate(_latest())
    assert {new: _rows(new_apps, *new) for new in MOVED.values()} == rows
    # Every row of the old schema is back with the same values in the old schema's columns.
    assert _tables_hashed(old_columns) == _tables_hashed(old_columns, schema=SNAPSHOT)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {SNAPSHOT} CASCADE")
    assert set(ContentType.objects.filter(model="meeting").values_list("app_label")) == {
        ("meetings",)}
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.has_perm("meetings.book_meeting")
    assert coordinator.has_perm("meetings.add_meetingdecision")
