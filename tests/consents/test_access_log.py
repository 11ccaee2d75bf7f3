"""The access log: append-only in the app and in PostgreSQL, answerable to the client."""

import csv
import io

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consents.models import AccessLogEntry, Action, DisclosureLogEntry
from tests.utils import log_in
from tyokyky.append_only import append_only_tables


@pytest.fixture
def entry(story):
    return AccessLogEntry.objects.create(
        user=story.users["nurse"], client=story.tiina, categories=["health"],
        action=Action.CLIENT_PAGE, organisation=story.health, role="nurse",
    )


def test_the_app_cannot_change_or_delete_a_row(entry):
    entry.action = Action.CLIENT_LIST
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


@pytest.mark.postgres
@pytest.mark.parametrize("statement", [
    "UPDATE consents_accesslogentry SET action = 'client_list'",
    "DELETE FROM consents_accesslogentry",
    "UPDATE consents_disclosurelogentry SET action = 'client_list'",
    "DELETE FROM consents_disclosurelogentry",
])
def test_postgresql_refuses_update_and_delete(entry, story, statement, as_owner):
    """Even the table's owner: the trigger is the table's own (the app's role has no right to
    try, see below)."""
    if connection.vendor != "postgresql":
        pytest.skip("The database guard is PostgreSQL's; CI runs it there.")
    DisclosureLogEntry.objects.create(
        user=story.users["kela_expert"], client=story.tiina, categories=["health"],
        action=Action.CLIENT_PAGE, source_organisation=story.health,
        recipient_organisation=story.kela,
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.filter(action=Action.CLIENT_PAGE).exists()


LOG_TABLES = [
    "consents_accesslogentry", "consents_disclosurelogentry", "teams_administrationlogentry",
    "oversight_officerlogentry", "retention_tombstone",
]


@pytest.mark.postgres
@pytest.mark.parametrize("table", LOG_TABLES)
def test_postgresql_refuses_truncate_without_the_superusers_word(entry, story, table, as_owner):
    if connection.vendor != "postgresql":
        pytest.skip("The database guard is PostgreSQL's; CI runs it there.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows, checked now
        cursor.execute("SET LOCAL tyokyky.truncate_logs = 'off'")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AccessLogEntry.objects.filter(action=Action.CLIENT_PAGE).exists()


@pytest.fixture
def probe_role(as_owner):
    """A role that is no superuser, as the app's is. Made inside the test's transaction, so
    the rollback at its end takes it and its rights away again."""
    if connection.vendor != "postgresql":
        pytest.skip("Database roles are PostgreSQL's; CI runs these there.")
    role = f"probe_{connection.settings_dict['NAME']}"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOSUPERUSER NOLOGIN')
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")  # a SET LOCAL ROLE lasts as long as the transaction


@pytest.mark.postgres
def test_a_role_that_is_no_superuser_cannot_truncate_even_with_the_word_and_the_right(
        entry, probe_role):
    """The app's role, even granted TRUNCATE by mistake and saying the word, is refused."""
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE, SELECT ON consents_accesslogentry TO "{probe_role}"')
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'SET LOCAL ROLE "{probe_role}"')
        cursor.execute("SET LOCAL tyokyky.truncate_logs = 'on'")
        cursor.execute("TRUNCATE consents_accesslogentry")
    assert AccessLogEntry.objects.filter(action=Action.CLIENT_PAGE).exists()


@pytest.mark.postgres
def test_every_append_only_table_has_its_guards(db):
    if connection.vendor != "postgresql":
        pytest.skip("The database guard is PostgreSQL's; CI runs it there.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                       "WHERE NOT tgisinternal")
        triggers = set(cursor.fetchall())
    assert set(LOG_TABLES) == append_only_tables()
    for table in LOG_TABLES:
        assert {(table, f"{table}_append_only"), (table, f"{table}_no_truncate")} <= triggers


def test_the_log_is_not_in_the_admin():
    assert AccessLogEntry not in admin.site._registry


def test_the_client_page_answers_who_has_viewed_the_data(client, story):
    log_in(client, story.users["doctor"])
    client.get(reverse("clients:detail", args=[story.tiina.pk]))
    log_in(client, story.users["nurse"])
    page = client.get(reverse("consents:access_log", args=[story.tiina.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Lauri Kemppainen" in content
    assert "Asiakassivu" in content


def test_the_log_filters_by_organisation_and_date(client, story):
    for username in ("te_expert", "doctor", "nurse"):
        log_in(client, story.users[username])
        client.get(reverse("clients:detail", args=[story.tiina.pk]))
    url = reverse("consents:access_log", args=[story.tiina.pk])
    by_health = client.get(url, {"organisation": story.health.pk}).context["accesses"]
    assert {e.user.username for e in by_health} == {"doctor", "nurse"}
    future = client.get(url, {"start": "2099-01-01"}).context["accesses"]
    assert len(future) == 0


def test_the_log_exports_as_csv(client, story):
    log_in(client, story.users["nurse"])
    client.get(reverse("clients:detail", args=[story.tiina.pk]))
    log_in(client, story.users["te_expert"])  # employment services wrote Tiina's card
    response = client.get(reverse("consents:access_log_csv", args=[story.tiina.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Aika", "Tapahtuma", "Käyttäjä"]
    assert any(row[2] == "Nina Korhonen" and row[6] == "client_page" for row in rows[1:])


def test_an_organisation_with_a_card_of_its_own_answers_for_its_own_part(client, story):
    """Social work wrote Tiina in at her visit, with her code: its log is its own views."""
    social_worker = story.users["social_worker"]
    log_in(client, story.users["te_expert"])
    client.get(reverse("clients:detail", args=[story.tiina.pk]))
    log_in(client, social_worker)
    client.post(reverse("clients:create"), {
        "first_name": "Tiina", "last_name": "Leinonen", "hetu": story.tiina.hetu,
        "municipality": story.tiina.municipality_id, "language": "fi",
        "organisation": social_worker.memberships.get().organisation.pk,
        "case_managers": [social_worker.pk],
    })
    content = client.get(reverse("consents:access_log", args=[story.tiina.pk])).content.decode()
    assert "Tuomas Huttunen" not in content
    assert "Sanna Väisänen" in content


def test_a_list_page_logs_every_client_shown_in_one_insert(client, demo):
    log_in(client, demo["te_expert"])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("clients:list"))
    rows = AccessLogEntry.objects.filter(user=demo["te_expert"], action=Action.CLIENT_LIST)
    assert rows.count() == 4
    inserts = [q for q in queries if 'INSERT INTO "consents_accesslogentry"' in q["sql"]]
    assert len(inserts) == 1


@pytest.mark.parametrize("clients", [3, 40])
def test_a_list_of_any_length_costs_the_log_one_insert(rf, story, clients):
    """Every list page (client list, worklists, calendar, My work) logs through
    consents.audit.log_rows: one row per client named — the client's own log and the officers'
    searches read rows by client — written by one bulk INSERT, however long the page."""
    from types import SimpleNamespace

    from consents.audit import log_rows
    from tests.factories import ClientFactory

    request = rf.get("/")
    request.user = story.users["nurse"]
    named = ClientFactory.create_batch(clients)
    rows = [SimpleNamespace(instance=c, pk=c.pk, handed_out=SimpleNamespace(identity="card"))
            for c in named]
    with CaptureQueriesContext(connection) as queries:
        log_rows(request, rows, Action.CALENDAR)
    inserts = [q for q in queries if 'INSERT INTO "consents_accesslogentry"' in q["sql"]]
    assert len(inserts) == 1
    assert AccessLogEntry.objects.filter(action=Action.CALENDAR).count() == clients


REFUSED_TO_THE_APP = [
    "UPDATE {table} SET action = 'client_list'",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "ALTER TABLE {table} DISABLE TRIGGER USER",
    "ALTER TABLE {table} ADD COLUMN wiped boolean",
]


@pytest.mark.postgres
def test_the_apps_role_may_only_read_and_append_to_the_logs(entry, story, probe_role):
    """As the app's role, granted as grant_app_role grants it (docker-compose.yml): each log
    is read and appended to, and every way of changing or emptying it is refused."""
    from django.core.management import call_command

    call_command("grant_app_role", probe_role, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT t, has_table_privilege(%s, t, 'INSERT'), "
                       "has_table_privilege(%s, t, 'UPDATE'), has_table_privilege(%s, t, 'DELETE') "
                       "FROM unnest(%s::text[]) t ORDER BY t",
                       [probe_role, probe_role, probe_role, [*LOG_TABLES, "clients_client"]])
        rights = cursor.fetchall()
    assert rights == [("clients_client", True, True, True),
                      *[(table, True, False, False) for table in sorted(LOG_TABLES)]]
    refused = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'SET LOCAL ROLE "{probe_role}"')
        cursor.execute("UPDATE clients_client SET first_name = first_name")  # the app works
        AccessLogEntry.objects.create(  # appends
            user=story.users["nurse"], client=story.tiina, categories=["health"],
            action=Action.CLIENT_LIST, organisation=story.health, role="nurse")
        for table in LOG_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our tables)
            for statement in REFUSED_TO_THE_APP:
                try:
                    with transaction.atomic():
                        cursor.execute(statement.format(table=table))
                except DatabaseError:
                    refused.append((table, statement))
    assert refused == [(table, statement) for table in LOG_TABLES
                       for statement in REFUSED_TO_THE_APP]


@pytest.mark.postgres
def test_the_suite_itself_runs_as_the_apps_role(entry):
    """CI proves the app as production runs it: not the owner, and refused what the app's
    role is refused (tests/conftest.py takes the role for every connection)."""
    if connection.vendor != "postgresql":
        pytest.skip("Database roles are PostgreSQL's; CI runs these there.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == ("tyokyky_app_test", False)
    for table in LOG_TABLES:
        for statement in REFUSED_TO_THE_APP:
            with pytest.raises(DatabaseError), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(statement.format(table=table))
