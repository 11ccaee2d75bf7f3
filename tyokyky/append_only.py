"""
Append-only tables: audit trails that neither the app nor a query outside it can rewrite.

A model says so by inheriting `AppendOnlyModel`; its migration adds `guards(table)`, which on
PostgreSQL refuses UPDATE and DELETE row by row and TRUNCATE by statement. `manage.py
grant_app_role` grants the app's database role only SELECT and INSERT on every such table.
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION tyokyky_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Only a superuser who has said so for the session may empty a log: the test suite does, to
# empty its database between tests. Everyone else, the app's role above all, is refused.
REFUSE_TRUNCATE = """
CREATE OR REPLACE FUNCTION tyokyky_refuse_log_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('tyokyky.truncate_logs', true) = 'on'
            AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit logs are append-only: TRUNCATE of % refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class AppendOnlyModel(models.Model):
    """
    Rows that are written once and never changed. No history: the rows themselves are the
    history.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("An audit log row cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An audit log row cannot be deleted.")


def append_only_tables() -> set[str]:
    """The tables of every append-only model: the database guards and grants cover each."""
    def concrete(model):
        for child in model.__subclasses__():
            yield from concrete(child)
            if not child._meta.abstract:
                yield child._meta.db_table
    return set(concrete(AppendOnlyModel))


def guards(table: str) -> migrations.RunPython:
    """The migration operation that puts an append-only table's triggers in place."""

    def add(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(REFUSE_CHANGE, params=None)
        schema_editor.execute(REFUSE_TRUNCATE, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tyokyky_refuse_audit_change()")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tyokyky_refuse_log_truncate()")

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")

    return migrations.RunPython(add, remove)
