"""
Two people at once on a client (issue 13): the same code written in by two organisations at the
same moment, and two colleagues editing the same card — the one who saves second sees what the
first changed, keeps their own input, and replaces the first one's only by saving again.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.text import capfirst

from cases.services import set_case_managers
from clients.models import Client, ClientRelationship
from teams.models import Role, Sector
from tests.concurrency import as_posted, logged_in, meet_at, messages_of, opened, posting, race
from tests.concurrency import refused as refused_with
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff
from tyokyky.versions import version_of

HETU = "131052-308T"


def card(**overrides):
    municipality = MunicipalityFactory(name="Kajaani", code="205")
    return {
        "first_name": "Tiina", "last_name": "Leinonen", "hetu": HETU,
        "municipality": municipality.pk, "language": "fi", "interpreter_language": "",
        "phone": "", "email": "", "street_address": "", "postal_code": "", "post_office": "",
        "own_nurse": "", **overrides,
    }


def label(model, name) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


@pytest.fixture
def employment(db):
    return OrganisationFactory(name="Työllisyyspalvelut", sector=Sector.EMPLOYMENT)


@pytest.fixture
def colleagues(employment):
    """Two employment experts of the organisation that wrote the client's card."""
    return (staff(Role.EMPLOYMENT_EXPERT, employment, first_name="Anna", last_name="Aalto"),
            staff(Role.EMPLOYMENT_EXPERT, employment, first_name="Ville", last_name="Virta"))


@pytest.fixture
def person(employment, colleagues):
    person = ClientFactory(organisations=[employment], phone="040 111 2222")
    set_case_managers(client=person, users=[colleagues[0]], by=None)
    return person


def test_a_card_saved_by_a_colleague_meanwhile_is_shown_before_it_is_replaced(
        person, colleagues):
    url = reverse("clients:edit", args=[person.pk])
    anna, ville = (logged_in(user) for user in colleagues)
    annas, villes = opened(anna, url), opened(ville, url)
    assert annas["version"] == villes["version"] == str(version_of(person))

    assert anna.post(url, {**annas, "phone": "050 999 8888"}).status_code == 302
    response = ville.post(url, {**villes, "street_address": "Kauppakatu 1"})

    errors = refused_with(response)
    assert "Anna Aalto" in errors[0]
    assert f"{label(Client, 'phone')}: 050 999 8888" in errors
    form = response.context["form"]
    assert form["street_address"].value() == "Kauppakatu 1"  # Ville's input is kept
    person.refresh_from_db()
    assert (person.phone, person.street_address) == ("050 999 8888", "")
    assert form["version"].value() == str(version_of(person))

    assert ville.post(url, as_posted(form)).status_code == 302  # saving again, on purpose
    person.refresh_from_db()
    assert (person.phone, person.street_address) == ("040 111 2222", "Kauppakatu 1")


def test_case_managers_named_by_a_colleague_meanwhile_are_shown(person, colleagues):
    url = reverse("clients:edit", args=[person.pk])
    anna, ville = (logged_in(user) for user in colleagues)
    annas, villes = opened(anna, url), opened(ville, url)
    both = [str(user.pk) for user in colleagues]
    assert anna.post(url, {**annas, "case_managers": both}).status_code == 302

    errors = refused_with(ville.post(url, {**villes, "phone": "050 1"}))
    assert any(error.endswith("Anna Aalto, Ville Virta") for error in errors)


def test_an_own_card_saved_by_a_colleague_meanwhile_is_shown_before_it_is_replaced(
        employment):
    """Health care knows the client by the card it typed at the visit: its own to edit."""
    health = OrganisationFactory(name="Terveyspalvelut", sector=Sector.HEALTH)
    nurses = (staff(Role.NURSE, health, first_name="Nina", last_name="Korhonen"),
              staff(Role.NURSE, health, first_name="Noora", last_name="Nieminen"))
    person = ClientFactory(organisations=[employment, health])
    own_card = ClientRelationship.objects.get(client=person, organisation=health)
    url = reverse("clients:edit", args=[person.pk])
    nina, noora = (logged_in(user) for user in nurses)
    ninas, nooras = opened(nina, url), opened(noora, url)

    assert nina.post(url, {**ninas, "email": "tiina@example.fi"}).status_code == 302
    response = noora.post(url, {**nooras, "post_office": "Kajaani"})

    errors = refused_with(response)
    assert "Nina Korhonen" in errors[0]
    assert f"{label(ClientRelationship, 'email')}: tiina@example.fi" in errors
    assert response.context["form"]["post_office"].value() == "Kajaani"
    assert noora.post(url, as_posted(response.context["form"])).status_code == 302
    own_card.refresh_from_db()
    assert (own_card.email, own_card.post_office) == ("", "Kajaani")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_code_written_in_by_two_organisations_at_once_makes_one_client():
    if connection.vendor != "postgresql":
        pytest.skip("Two connections at once need PostgreSQL; CI runs this there.")
    nurse = staff(Role.NURSE, OrganisationFactory(name="Terveyspalvelut"))
    expert = staff(Role.EMPLOYMENT_EXPERT, OrganisationFactory(name="Työllisyyspalvelut"))
    attempts = [
        posting(logged_in(user), reverse("clients:create"), card(
            last_name=name, organisation=user.memberships.get().organisation_id,
            case_managers=[user.pk]))
        for user, name in ((nurse, "Leinonen"), (expert, "Virtanen"))
    ]
    with meet_at("clients.models.Client.full_clean"):
        responses = race(*attempts)
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    added = Client.objects.get(hetu=HETU)
    assert {r.url for r in responses} == {reverse("clients:detail", args=[added.pk])}
    assert all(messages_of(r) == ["Asiakas lisätty."] for r in responses)
    assert set(added.relationships.values_list("organisation__name", flat=True)) == {
        "Terveyspalvelut", "Työllisyyspalvelut"}
