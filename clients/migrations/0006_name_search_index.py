"""
Trigram indexes for the name search on PostgreSQL: a name search is icontains, which Django
writes as UPPER(column) LIKE UPPER('%word%'), and only a trigram index on that same expression
serves it. Without them, a search at national scale reads every client row (bench/pages.py).
SQLite, the development default, has no trigrams and needs none at its sizes.
"""

from django.db import migrations

INDEXES = {
    "clients_client_first_name_trgm": "first_name",
    "clients_client_last_name_trgm": "last_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON clients_client "
                              f"USING gin (UPPER({column}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_closing_and_case_manager_organisation")]
    operations = [migrations.RunPython(create, drop)]
