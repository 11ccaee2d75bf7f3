import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.backends.signals import connection_created
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from teams.models import User
from tests.mailserver import (
    free_port,
    smtp_server,  # noqa: F401 - a fixture for every test folder
)
from tests.stories import tiina_story


def _may_empty_the_logs(sender, connection, **kwargs):
    """The suite empties its database between transactional tests with TRUNCATE, which the
    audit logs refuse unless a superuser says so for the session (consents migration 0010)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET tyokyky.truncate_logs = 'on'")


connection_created.connect(_may_empty_the_logs, dispatch_uid="tests.may_empty_the_logs")


@pytest.fixture(autouse=True)
def finnish():
    """Every test runs in the product's default language, as its users meet it."""
    with translation.override("fi"):
        yield


@pytest.fixture
def demo(db, settings):
    """The demo world of DESIGN.md: Kainuu, one user per role, the six workshop clients."""
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo", force=True, bare=True, stdout=io.StringIO())
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
    return tiina_story(demo)


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process; the broker-backed runs are the worker's tests."""
    from tyokyky.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
