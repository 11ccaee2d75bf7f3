import pytest

from clients.models import Client
from teams.models import Organisation, Sector


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
