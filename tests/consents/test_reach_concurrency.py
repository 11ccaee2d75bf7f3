"""
Two people change what the rules read of the same client at the same moment: the maintained
rows end up as the rules conclude from both changes, never from one person's older view (a
revoked consent must not come back because another change of the client was saved beside it).
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from clients.records import DataCategory
from consents import reach
from consents.models import ClientUserObjectPermission, Consent, ConsentCategory, Reach
from teams.choices import Sector
from teams.models import Role
from tests.concurrency import meet_at, race
from tests.factories import ClientFactory, OrganisationFactory, staff

FIELDS = ("client_id", "kind", "organisation_id", "sector", "user_id", "group_id", "ground",
          "until")


def rows() -> list[str]:
    return sorted(map(repr, Reach.objects.values_list(*FIELDS)))


@pytest.mark.django_db(transaction=True)
def test_two_changes_of_one_client_at_once_keep_both():
    health = OrganisationFactory(name="Terveys", sector=Sector.HEALTH)
    kela = OrganisationFactory(name="Kela", sector=Sector.KELA)
    nurse = staff(Role.NURSE, organisation=health)
    expert = staff(Role.KELA_EXPERT, organisation=kela)
    client = ClientFactory(organisations=[health])
    consent = Consent.objects.create(client=client, purpose="Etuudet", method="written",
                                     recorded_by=nurse, recorded_by_organisation=health)
    consent.recipient_organisations.set([kela])
    ConsentCategory.objects.create(consent=consent, category=DataCategory.IDENTITY)
    client.case_manager_assignments.create(user=expert, assigned_by_organisation=health)
    assert Reach.objects.filter(kind="identity_consent", organisation=kela).exists()

    def revoke():
        with transaction.atomic():
            consent.revoked_at = timezone.now()
            consent.save()

    def grant():
        with transaction.atomic():
            ClientUserObjectPermission.objects.create(
                content_object=client, user=nurse, granted_by_organisation=health,
                permission=Permission.objects.get(codename="view_client"))

    with meet_at("consents.reach.conclusions"):
        outcomes = race(revoke, grant)
    assert outcomes == [None, None]
    kept = rows()
    reach.rebuild_all()
    assert kept == rows()
    assert not Reach.objects.filter(kind="identity_consent").exists()
    assert Reach.objects.filter(kind="team", ground="grant", user=nurse).exists()
