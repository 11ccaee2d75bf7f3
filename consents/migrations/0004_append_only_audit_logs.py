"""
The access and disclosure logs refuse UPDATE and DELETE in PostgreSQL itself, so not even a
query outside the app can rewrite who saw a client's data. (TRUNCATE needs the table owner's
rights, which the app's role should not have in production.)
"""

from django.db import migrations

from tyokyky.append_only import REFUSE_CHANGE as REFUSE

TABLES = ["consents_accesslogentry", "consents_disclosurelogentry"]


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFUSE, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tyokyky_refuse_audit_change()"
        )


def remove_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tyokyky_refuse_audit_change()")


class Migration(migrations.Migration):
    dependencies = [("consents", "0003_consents_bans_and_logs")]

    operations = [migrations.RunPython(add_guards, remove_guards)]
