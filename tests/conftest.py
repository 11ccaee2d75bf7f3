import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.db.backends.signals import connection_created
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from teams.models import User
from tests.mailserver import (
    free_port,
    smtp_server,  # noqa: F401 - a fixture for every test folder
)
from tests.seeded import remembered
from tests.stories import tiina_story

# The suite runs as the app's database role, granted as production grants it (`manage.py
# grant_app_role`, docker-compose.yml): the role that migrated the test database owns it, and
# each connection then takes the app's role, which may not ALTER, TRUNCATE or rewrite a log.
APP_ROLE = "tyokyky_app_test"
_as_the_app = False


def _as_the_apps_role(sender, connection, **kwargs):
    """Every connection, the live server's too: the audit logs may be emptied between
    transactional tests only by a superuser who says so (tyokyky/append_only.py), and the
    rest of the time the connection is the app's role."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET tyokyky.truncate_logs = 'on'")
            if _as_the_app:
                cursor.execute(f"SET ROLE {APP_ROLE}")


connection_created.connect(_as_the_apps_role, dispatch_uid="tests.as_the_apps_role")


def _grant_the_apps_role():
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        # The other worker may make it at the same moment.
        cursor.execute(f"DO $$ BEGIN CREATE ROLE {APP_ROLE} NOSUPERUSER NOLOGIN; "
                       "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _as_the_app
    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        _grant_the_apps_role()
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_ROLE}")
    _as_the_app = True
    yield
    _as_the_app = False  # the owner drops the test database
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _flush_as_the_owner(execute_sql_flush):
    """Emptying the database between transactional tests is the owner's: the app's role has
    no TRUNCATE, on the logs or anywhere."""

    def flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        try:
            execute_sql_flush(self, sql_list)
        finally:
            if _as_the_app:
                with self.connection.cursor() as cursor:
                    cursor.execute(f"SET ROLE {APP_ROLE}")

    return flush


PostgresOperations.execute_sql_flush = _flush_as_the_owner(
    PostgresOperations.execute_sql_flush)


@pytest.fixture
def as_owner(db):
    """For the tests that do what only the owner may (roles, migrations, the superuser's own
    guards): the owner for the test, then the app's role again, with rights on any table the
    test made."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    yield
    if _as_the_app:
        _grant_the_apps_role()
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_ROLE}")


@pytest.fixture(autouse=True)
def finnish():
    """Every test runs in the product's default language, as its users meet it."""
    with translation.override("fi"):
        yield


@pytest.fixture
def demo(db, settings):
    """The demo world of DESIGN.md: Kainuu, one user per role, the six workshop clients."""
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    # Seeded once in each test process, then copied back in (tests/seeded.py).
    remembered("demo", lambda: call_command("seed_demo", force=True, bare=True,
                                            stdout=io.StringIO()))
    return {user.username: user for user in User.objects.all()}


def _statements(queries) -> int:
    """
    Queries as the code issues them. One bulk insert is one statement, although SQLite's
    999-parameter limit makes Django send a long one in several batches; PostgreSQL sends one.
    """
    count, previous = 0, None
    for query in queries:
        sql = query["sql"]
        table = sql.split("(")[0] if sql.startswith("INSERT INTO") else None
        if table is None or table != previous:
            count += 1
        previous = table
    return count


@pytest.fixture
def count_queries():
    """How many queries a request makes: for pinning query counts at two sizes."""

    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return _statements(queries)

    return count


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production's slow hash protects passwords; in tests it would only cost minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def broker_down():
    """Celery really publishing, to a Redis port where nothing listens."""
    from tyokyky.celery import app

    saved = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def story(demo):
    """Tiina's case: notes by two organisations, the Kela expert on her team."""
    return remembered("story", lambda: tiina_story(demo))


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process; the broker-backed runs are the worker's tests."""
    from tyokyky.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
