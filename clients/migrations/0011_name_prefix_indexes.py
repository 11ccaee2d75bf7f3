"""
Btree indexes for the name search by the start of a name (clients/names.py): Django writes
istartswith as UPPER(column::text) LIKE UPPER('word%'), and a btree on that expression with
text_pattern_ops serves it as a range scan whatever the database's collation. At 100k clients a
trigram scan for '%KORHONEN%' took 3-11 ms per column (and the planner often chose a whole
table scan, 125 ms); the range scan for 'KORHONEN%' 0.3 ms.

The cards organisations typed themselves (ClientRelationship with a name) are searched within
the user's organisations: partial indexes on (organisation, name) over those rows only.

The trigram indexes of 0006 stay: the referral worklist's search still matches inside names.
PostgreSQL only, as in 0006: SQLite, the development default, needs none at its sizes.
"""

from django.db import migrations

INDEXES = {
    "clients_client_last_name_prefix":
        "clients_client (UPPER(last_name) text_pattern_ops)",
    "clients_client_first_name_prefix":
        "clients_client (UPPER(first_name) text_pattern_ops)",
    "relationship_org_last_name_prefix":
        "clients_clientrelationship (organisation_id, UPPER(last_name) text_pattern_ops) "
        "WHERE last_name > ''",
    "relationship_org_first_name_prefix":
        "clients_clientrelationship (organisation_id, UPPER(first_name) text_pattern_ops) "
        "WHERE last_name > ''",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0010_employment_and_support_network")]
    operations = [migrations.RunPython(create, drop)]
