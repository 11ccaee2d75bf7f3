"""
A world built once per test process and copied back in for every test that asks for it again.

Seeding the demo world and the stories on it takes a second or more of the ORM's work each
time, and hundreds of tests ask for it. `remembered(key, build)` builds it the first time and
keeps a copy of every table it changed (PostgreSQL's COPY) and of what `build` returned; a
later test whose database is exactly as it was before that first build — every table hashed —
gets the same rows copied back, with the same ids, inside its own transaction, and a copy of the
same Python objects. A test whose database differs (rows some fixture made first, content types
made again after a transactional test's flush) builds its own, as before. The first copy back in
each process is checked row for row against the build it copies. TESTS_BUILD_EVERY_WORLD=1
builds every time, as before.
"""

import copy
import hashlib
import os
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# A world is built again after this long, so that its "now" stays close to the test's.
MAX_AGE = 600.0

_worlds = {}  # (key, settings, state before) -> _World
_checked = set()  # keys whose copy back was compared with their build


class NotRememberable(Exception):
    pass


class _World:
    def __init__(self, tables, sequences, value):
        self.tables = tables  # [(table, columns, keys of rows to delete, COPY data)]
        self.sequences = sequences  # [(sequence, highest value after the build)]
        self.value = value
        self.built = time.monotonic()


def remembered(key, build):
    """What `build()` returns, built once in this process for each starting database."""
    if connection.vendor != "postgresql" or os.environ.get("TESTS_BUILD_EVERY_WORLD"):
        return build()
    with _as_owner() as cursor:
        columns = _columns(cursor)
        before = _state(cursor, columns)
        try:
            earlier = {table: _row_texts(cursor, table) for table in columns
                       if _rows(before[table])}
        except NotRememberable:
            earlier = None
    if earlier is None:
        return build()
    full_key = (key, _settings_key(), hashlib.sha256(repr(sorted(before.items())).encode())
                .hexdigest())
    world = _worlds.get(full_key)
    if world is not None and time.monotonic() - world.built < MAX_AGE:
        # One transaction, for a transactional test too: the keys are checked at its end.
        with transaction.atomic(), _as_owner() as cursor:
            _restore(cursor, world)
            if full_key not in _checked:
                _checked.add(full_key)
                assert _state(cursor, columns) == world.after, f"{key}: the copy differs"
        return copy.deepcopy(world.value)
    value = build()
    with _as_owner() as cursor:
        columns = _columns(cursor)
        after = _state(cursor, columns)
        changed = [table for table in after if after[table] != before.get(table)]
        tables = [_changes(cursor, table, columns[table], earlier.get(table))
                  for table in changed]
        world = _World(tables, _sequences(cursor, changed), copy.deepcopy(value))
        world.after = after
    _worlds[full_key] = world
    return value


def _settings_key():
    """What a build reads besides the database; and the day, for the dates it writes."""
    return (settings.DEBUG, getattr(settings, "DEMO_PASSWORD", None),
            tuple(settings.PASSWORD_HASHERS), settings.LANGUAGE_CODE,
            timezone.localdate().isoformat())


class _as_owner:
    """The database's owner for the copying (the app's role may not empty a table or set a
    sequence), then the role the connection had."""

    def __enter__(self):
        self.cursor = connection.cursor()
        self.cursor.execute("SELECT current_user, session_user")
        self.role, session = self.cursor.fetchone()
        self.switched = self.role != session
        if self.switched:
            self.cursor.execute("RESET ROLE")
        return self.cursor

    def __exit__(self, *exc):
        try:
            if self.switched:
                self.cursor.execute(f"SET ROLE {connection.ops.quote_name(self.role)}")
        finally:
            self.cursor.close()


def _columns(cursor) -> dict[str, list[str]]:
    """Every table of the app's schema and its columns (generated ones are not written)."""
    cursor.execute(
        "SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "AND a.attgenerated = '' "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY c.relname ORDER BY c.relname")
    return dict(cursor.fetchall())


def _quoted(name) -> str:
    """A table or column name from PostgreSQL's own catalogue, quoted: the queries here are
    built from such names only."""
    return connection.ops.quote_name(name)


def _state(cursor, columns) -> dict[str, str]:
    """Each table's row count and a hash of its rows, in one query."""
    parts = [
        f"SELECT %s, (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "  # noqa: S608 - names from the catalogue
        f"ORDER BY t::text)), '') FROM public.{_quoted(table)} t)"
        for table in columns
    ]
    cursor.execute(" UNION ALL ".join(parts), list(columns))
    return dict(cursor.fetchall())


def _rows(state) -> int:
    return int(state.split(":")[0]) if state else 0


def _primary_key(cursor, table) -> str:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [f"public.{_quoted(table)}"])
    keys = [row[0] for row in cursor.fetchall()]
    if len(keys) != 1:
        raise NotRememberable(f"{table} has rows before the build and no one-column key")
    return keys[0]


def _row_texts(cursor, table) -> dict[str, str]:
    """The rows of a table that has some before the build, by their key."""
    key = _quoted(_primary_key(cursor, table))
    cursor.execute(f"SELECT {key}::text, t::text FROM public.{_quoted(table)} t")  # noqa: S608 - names from the catalogue
    return dict(cursor.fetchall())


def _changes(cursor, table, columns, earlier):
    """What the build did to a table: its new and changed rows, as COPY data, and the keys of
    the rows it changed or removed (to delete before the copy)."""
    names = ", ".join(_quoted(name) for name in columns)
    where, gone = "", []
    if earlier:
        now = _row_texts(cursor, table)
        gone = [pk for pk, text in earlier.items() if now.get(pk) != text]
        new = [pk for pk, text in now.items() if earlier.get(pk) != text]
        key = _quoted(_primary_key(cursor, table))
        where = f" WHERE {key}::text = ANY(%s)"
    query = f"SELECT {names} FROM public.{_quoted(table)}{where}"  # noqa: S608 - names from the catalogue
    with cursor.cursor.copy(f"COPY ({query}) TO STDOUT", [new] if earlier else None) as out:
        data = b"".join(bytes(block) for block in out)
    return table, columns, gone, data


def _sequences(cursor, tables) -> list[tuple[str, int]]:
    """The sequences of the changed tables' columns and how far the build took them: a table
    made again by a migration test starts its sequence from one."""
    found = []
    for table in tables:
        cursor.execute(
            "SELECT a.attname, pg_get_serial_sequence(%s, a.attname) FROM pg_attribute a "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
            [f"public.{_quoted(table)}", f"public.{_quoted(table)}"])
        for column, sequence in cursor.fetchall():
            if sequence:
                cursor.execute(f"SELECT max({_quoted(column)}) FROM public.{_quoted(table)}")  # noqa: S608 - names from the catalogue
                highest = cursor.fetchone()[0]
                if highest is not None:
                    found.append((sequence, int(highest)))
    return found


def _restore(cursor, world):
    for table, columns, gone, data in world.tables:
        if gone:  # rows the build changed or removed (an append-only log refuses: an error)
            key = _quoted(_primary_key(cursor, table))
            cursor.execute(f"DELETE FROM public.{_quoted(table)} WHERE {key}::text = ANY(%s)",  # noqa: S608 - names from the catalogue
                           [gone])
        names = ", ".join(_quoted(name) for name in columns)
        with cursor.cursor.copy(f"COPY public.{_quoted(table)} ({names}) FROM STDIN") as into:
            into.write(data)
    if world.sequences:
        cursor.execute(" UNION ALL ".join(
            "SELECT setval(%s, %s) WHERE (SELECT last_value FROM " + sequence + ") < %s"  # noqa: S608 - names from the catalogue
            for sequence, _ in world.sequences),
            [value for sequence, highest in world.sequences
             for value in (sequence, highest, highest)])
