"""
Writing a batch's rows: COPY on PostgreSQL, executemany elsewhere (SQLite in development and
tests). Both reserve the parents' primary keys before their rows are made.
"""

from datetime import datetime

from django.db import connection

from .tables import Table


class CopyWriter:
    """PostgreSQL: ids reserved by moving the sequence, rows streamed with COPY."""

    def begin_batch(self) -> None:
        with connection.cursor() as cursor:
            # Losing the last batches in a crash is fine for generated data; waiting is not.
            cursor.execute("SET LOCAL synchronous_commit TO off")

    def reserve(self, model, count: int) -> int:
        if not count:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [model._meta.db_table, model._meta.db_table, count],
            )
            return cursor.fetchone()[0] - count + 1

    def write(self, table: Table, rows) -> int:
        quote = connection.ops.quote_name
        statement = (f"COPY {quote(table.name)} ({', '.join(map(quote, table.columns))}) "
                     "FROM STDIN")
        written = 0
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def finish(self, tables) -> None:
        """Fresh statistics, as autovacuum would gather: without them the planner guesses."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(table.name) for table in tables)}")


class InsertWriter:
    """SQLite and the rest: ids after the largest one, rows by executemany."""

    def begin_batch(self) -> None:
        pass

    def reserve(self, model, count: int) -> int:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 (a model's table)
            return (cursor.fetchone()[0] or 0) + 1

    def write(self, table: Table, rows) -> int:
        adapt = connection.ops.adapt_datetimefield_value
        rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
        quote = connection.ops.quote_name
        columns = ", ".join(map(quote, table.columns))
        values = ", ".join(["%s"] * len(table.columns))
        # A model's table and columns, no input: nothing to inject.
        statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({values})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)
        return len(rows)

    def finish(self, tables) -> None:
        pass
