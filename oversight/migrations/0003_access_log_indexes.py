"""
Two indexes on the access log for the officer's queries, measured at 10 million rows
(bench/oversight_flags.py):

- (user_id, at): a user's reads by hour over 60 days, rule b) of oversight/flags.py, read from
  the index alone, and the search by user, newest first;
- (at) of prints and exports only (actions ending in _pdf, _csv or _json): rule c) finds a
  day's exports without reading the day's other reads; about 1 % of the rows, so cheap to
  keep. Its condition is the rule's, word for word, so that the planner can use it.

They live here, not in the consents room's models, because oversight is the room whose queries
need them and the log's model is another room's. Built CONCURRENTLY, so that a deployment does
not stop the log's writes while they are built (hence not atomic), and IF NOT EXISTS, so that
a database where they were built by hand is left as it is. PostgreSQL only, as are the rules.
"""

from django.db import migrations

INDEXES = {
    "access_log_user_at_idx": "ON consents_accesslogentry (user_id, at)",
    "access_log_exports_idx": (
        "ON consents_accesslogentry (at) WHERE action ~ '_(pdf|csv|json)$'"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("oversight", "0002_usual_hours"),
        ("consents", "0010_logs_refuse_truncate"),
    ]

    operations = [migrations.RunPython(create, drop)]
