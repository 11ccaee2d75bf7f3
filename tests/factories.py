"""Factories for the tests: each builds a valid record with the fewest decisions made for you."""

import factory
from django.contrib.auth.hashers import make_password

from clients.hetu import check_character
from clients.models import Client
from teams.models import Membership, Municipality, Organisation, Role, Sector, User

PASSWORD = "correct horse battery staple"


def hetu_for(n: int) -> str:
    """A valid, distinct personal identity code for the n-th test person (born 1950–1999)."""
    day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 50 + (n // 336) % 50
    ddmmyy = f"{day:02d}{month:02d}{year:02d}"
    individual = f"{900 + (n // 16800) % 100:03d}"
    return f"{ddmmyy}-{individual}{check_character(ddmmyy, individual)}"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Kunta {n}")
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisaatio {n}")
    sector = Sector.HEALTH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Käyttäjä{n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.NURSE


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    first_name = "Asiakas"
    last_name = factory.Sequence(lambda n: f"Sukunimi{n:05d}")
    hetu = factory.Sequence(hetu_for)
    municipality = factory.SubFactory(MunicipalityFactory, name="Kajaani", code="205")

    @factory.post_generation
    def organisations(self, create, organisations, **kwargs):
        """The first organisation wrote the client in; the others met the client too and typed
        the same name (their own cards)."""
        if create and organisations:
            from cases.services import CARD_FIELDS, serve
            from clients.models import RelationshipBasis

            self.organisation = organisations[0]
            self.save(update_fields=["organisation"])
            card = {name: getattr(self, name) for name in CARD_FIELDS}
            for organisation in organisations:
                serve(client=self, organisation=organisation, basis=RelationshipBasis.VISIT,
                      by=None, card=card)


def staff(role=Role.NURSE, organisation=None, **user_fields) -> User:
    """A user with one active membership."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
