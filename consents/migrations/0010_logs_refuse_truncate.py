"""
The access and disclosure logs refuse TRUNCATE too, with a statement-level trigger: migration
0004's row triggers do not fire on TRUNCATE, which empties a table at once.

Only a superuser may empty them, and only after saying so for the session
(`SET tyokyky.truncate_logs = 'on'`): the test suite does, to empty its database between tests.
A superuser could drop the trigger anyway; everyone else — the app's role above all — is refused.
"""

from django.db import migrations

from tyokyky.append_only import REFUSE_TRUNCATE as REFUSE

TABLES = ["consents_accesslogentry", "consents_disclosurelogentry"]


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFUSE, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tyokyky_refuse_log_truncate()"
        )


def remove_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tyokyky_refuse_log_truncate()")


class Migration(migrations.Migration):
    dependencies = [("consents", "0009_grants_granted_by")]

    operations = [migrations.RunPython(add_guards, remove_guards)]
