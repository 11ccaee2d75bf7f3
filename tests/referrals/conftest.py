import pytest

from clients.models import Client
from teams.models import Municipality, Organisation, Role, Sector
from tests.factories import OrganisationFactory, staff


@pytest.fixture
def tiina(demo):
    return Client.objects.get(first_name="Tiina")


@pytest.fixture
def mari(demo):
    return Client.objects.get(first_name="Mari")


@pytest.fixture
def health(demo):
    return Organisation.objects.get(sector=Sector.HEALTH)


@pytest.fixture
def employment(demo):
    return Organisation.objects.get(sector=Sector.EMPLOYMENT)


@pytest.fixture
def world(db):
    """A health organisation and an employment service of Kajaani, a person in each."""
    municipality = Municipality.objects.create(name="Kajaani", code="205")
    employment = OrganisationFactory(sector=Sector.EMPLOYMENT)
    health = OrganisationFactory(sector=Sector.HEALTH)
    health.municipalities.add(municipality)
    return {
        "te_expert": staff(Role.EMPLOYMENT_EXPERT, organisation=employment),
        "nurse": staff(Role.NURSE, organisation=health),
        "employment": employment, "health": health, "municipality": municipality,
    }
