"""CI proves the production database: the suite must run on what DATABASE_URL names."""

import os

from django.db import connection


def test_the_suite_runs_on_the_configured_database(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
