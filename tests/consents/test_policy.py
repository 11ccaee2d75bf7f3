"""The access policy skeleton: organisations, case managers, per-client grants, admins."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import Http404
from django.urls import reverse
from guardian.shortcuts import assign_perm

from consents.models import ClientUserObjectPermission
from consents.policy import client_for, visible_clients
from teams.models import Role
from tests.factories import ClientFactory, MembershipFactory, OrganisationFactory, staff
from tests.utils import log_in


@pytest.fixture
def health_centre(db):
    return OrganisationFactory(name="Terveysasema")


@pytest.fixture
def petri(health_centre):
    return ClientFactory(first_name="Petri", organisations=[health_centre])


def test_staff_see_the_clients_of_their_organisation(health_centre, petri):
    nurse = staff(Role.NURSE, organisation=health_centre)
    assert list(visible_clients(nurse)) == [petri]
    assert client_for(nurse, petri.pk).identity


def test_staff_of_another_organisation_see_nothing(petri):
    outsider = staff(Role.NURSE)
    assert not visible_clients(outsider).exists()
    with pytest.raises(Http404):
        client_for(outsider, petri.pk)


def test_a_case_manager_from_another_organisation_sees_their_client(petri, health_centre):
    coach = staff(Role.EMPLOYMENT_EXPERT)
    petri.case_manager_assignments.create(user=coach, assigned_by_organisation=health_centre)
    assert list(visible_clients(coach)) == [petri]


def test_nobody_joins_the_team_by_their_own_organisations_act(petri):
    """A case manager or a grant counts only when an organisation keeping the client's card
    named them: an organisation with no card cannot put its own people on the team."""
    coach = staff(Role.EMPLOYMENT_EXPERT)
    outsider = coach.memberships.get().organisation
    petri.case_manager_assignments.create(user=coach, assigned_by_organisation=outsider)
    ClientUserObjectPermission.objects.create(
        content_object=petri, user=coach, granted_by_organisation=outsider,
        permission=Permission.objects.get(codename="view_client"))
    assert not visible_clients(coach).exists()


def test_an_ended_case_manager_period_no_longer_gives_access(petri):
    coach = staff(Role.EMPLOYMENT_EXPERT)
    petri.case_manager_assignments.create(
        user=coach, started_on="2026-01-01", ended_on="2026-06-30"
    )
    assert not visible_clients(coach).exists()


def test_the_own_nurse_sees_their_client(petri):
    nurse = staff(Role.NURSE)
    petri.own_nurse = nurse
    petri.save()
    assert list(visible_clients(nurse)) == [petri]


def test_a_per_client_grant_with_guardian(petri, health_centre):
    kela = staff(Role.KELA_EXPERT)
    grant = assign_perm("clients.view_client", kela, petri)
    assert not visible_clients(kela).exists()  # a grant by nobody puts nobody on the team
    grant.granted_by_organisation = health_centre
    grant.save()
    assert list(visible_clients(kela)) == [petri]


def test_the_admin_role_manages_but_reads_no_client_data(client, health_centre, petri):
    admin = staff(Role.ADMIN, organisation=health_centre)
    assert not visible_clients(admin).exists()
    log_in(client, admin)
    assert client.get(reverse("clients:detail", args=[petri.pk])).status_code == 404


def test_an_admin_who_also_holds_a_care_role_reads_client_data(health_centre, petri):
    admin = staff(Role.ADMIN, organisation=health_centre)
    MembershipFactory(user=admin, organisation=health_centre, role=Role.DOCTOR)
    assert list(visible_clients(admin)) == [petri]


def test_a_superuser_without_a_care_role_reads_no_client_data(petri):
    root = staff(Role.ADMIN, is_superuser=True)
    assert not visible_clients(root).exists()


def test_an_inactive_membership_gives_no_access(health_centre, petri):
    nurse = staff(Role.NURSE, organisation=health_centre)
    nurse.memberships.update(is_active=False)
    assert not visible_clients(nurse).exists()


def test_outsiders_get_404_and_cannot_learn_that_the_client_exists(client, petri):
    log_in(client, staff(Role.NURSE))
    for name in ("clients:detail", "clients:edit"):
        assert client.get(reverse(name, args=[petri.pk])).status_code == 404
        assert client.get(reverse(name, args=[petri.pk + 1000])).status_code == 404


def test_editing_needs_the_change_permission(client, health_centre, petri):
    nurse = staff(Role.NURSE, organisation=health_centre)
    log_in(client, nurse)
    assert client.get(reverse("clients:edit", args=[petri.pk])).status_code == 200
    Group.objects.get(name=Role.NURSE).permissions.remove(
        Permission.objects.get(codename="change_client")
    )
    assert client.get(reverse("clients:edit", args=[petri.pk])).status_code == 403


def test_adding_a_client_needs_a_care_role(client, health_centre):
    log_in(client, staff(Role.ADMIN, organisation=health_centre))
    assert client.get(reverse("clients:create")).status_code == 403
