"""
The app's database role, granted after each migration by the role that owns the tables:

    manage.py grant_app_role tyokyky_app

It may read and write every table of the app but the audit logs, which it may only read and
append to. It owns nothing, so it can neither ALTER a table nor DISABLE its triggers, and it is
granted no TRUNCATE anywhere (docker-compose.yml runs the app so).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tyokyky.append_only import append_only_tables


class Command(BaseCommand):
    help = "Grant the app's database role its rights: no more than SELECT and INSERT on logs."

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's.")
        logs = append_only_tables()
        name = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
            for table in connection.introspection.table_names(cursor):
                rights = "SELECT, INSERT" if table in logs else "SELECT, INSERT, UPDATE, DELETE"
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"REVOKE ALL ON {quoted} FROM {name}")
                cursor.execute(f"GRANT {rights} ON {quoted} TO {name}")
        self.stdout.write(f"{role}: granted; the {len(logs)} audit logs read and append only.")
