"""
Two controllers, each with its data protection officer, staff and clients, and log rows written
at chosen times: the world of the oversight tests.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from consents.models import AccessLogEntry, Action, DisclosureLogEntry
from teams.models import Organisation, Role, Sector
from tests.factories import ClientFactory, OrganisationFactory, staff

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(year, month, day, hour=0, minute=0, second=0) -> datetime:
    """A moment in Helsinki time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=HELSINKI)


@dataclass
class World:
    health: Organisation
    employment: Organisation
    officer: object  # the health organisation's data protection officer
    other_officer: object  # employment services'
    nurse: object
    doctor: object
    coach: object  # employment services' staff
    own_client: object  # written by health care
    other_client: object  # written by employment services, no relationship with health care
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    health = OrganisationFactory(name="Terveyspalvelut", sector=Sector.HEALTH)
    employment = OrganisationFactory(name="Työllisyyspalvelut", sector=Sector.EMPLOYMENT)
    users = {
        "officer": staff(Role.DATA_PROTECTION_OFFICER, organisation=health,
                         username="tietosuoja", first_name="Helena", last_name="Partanen",
                         email="tietosuoja@example.invalid"),
        "other_officer": staff(Role.DATA_PROTECTION_OFFICER, organisation=employment,
                               username="tietosuoja2", first_name="Olli", last_name="Toinen",
                               email="tietosuoja2@example.invalid"),
        "nurse": staff(Role.NURSE, organisation=health, username="nnurmi", first_name="Nina",
                       last_name="Hoitajamerkki"),
        "doctor": staff(Role.DOCTOR, organisation=health, username="llaakari",
                        first_name="Lauri", last_name="Laakarimerkki"),
        "coach": staff(Role.EMPLOYMENT_EXPERT, organisation=employment, username="vvalmentaja",
                       first_name="Ville", last_name="Valmentajamerkki"),
    }
    own_client = ClientFactory(first_name="Oona", last_name="Omamerkki", organisations=[health])
    other_client = ClientFactory(first_name="Veera", last_name="Vieramerkki",
                                 organisations=[employment])
    return World(health=health, employment=employment, own_client=own_client,
                 other_client=other_client, users=users, **users)


def log_reads(user, organisation, clients, times, action=Action.CLIENT_PAGE,
              role=Role.NURSE) -> list[AccessLogEntry]:
    """Access-log rows at the given times (one per time, the clients in turn)."""
    clients = list(clients)
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(user=user, organisation=organisation, role=role,
                       client=clients[n % len(clients)], action=action,
                       categories=["identity", "health"], at=moment)
        for n, moment in enumerate(times))


def log_disclosure(user, client, source, recipient, moment) -> DisclosureLogEntry:
    return DisclosureLogEntry.objects.create(
        user=user, client=client, source_organisation=source, recipient_organisation=recipient,
        categories=["health"], action=Action.CLIENT_PAGE, at=moment)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("The flag rules are PostgreSQL's; CI runs them there.")
