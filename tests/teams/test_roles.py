"""Roles are groups: memberships keep a user's groups and staff status in step."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from teams.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, staff
from tests.utils import log_in


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_every_role_has_a_group_with_permissions(db):
    for role in Role:
        assert Group.objects.get(name=role.value).permissions.exists()


def test_a_membership_puts_the_user_in_the_role_group(db):
    nurse = staff(Role.NURSE)
    assert group_names(nurse) == {"nurse"}
    assert nurse.has_perm("clients.add_client")


def test_ending_a_membership_takes_the_group_away(db):
    nurse = staff(Role.NURSE)
    nurse.memberships.get().delete()
    assert group_names(nurse) == set()


def test_deactivating_a_membership_takes_the_group_away(db):
    nurse = staff(Role.NURSE)
    membership = nurse.memberships.get()
    membership.is_active = False
    membership.save()
    assert group_names(nurse) == set()


def test_the_admin_role_gives_staff_status_and_no_client_permissions(db):
    admin = staff(Role.ADMIN)
    admin.refresh_from_db()
    assert admin.is_staff
    assert admin.has_perm("teams.add_municipality")
    assert not admin.has_perm("clients.view_client")


def test_groups_an_admin_added_by_hand_are_kept(db):
    user = UserFactory()
    extra = Group.objects.create(name="Raportoijat")
    user.groups.add(extra)
    MembershipFactory(user=user, role=Role.DOCTOR)
    assert group_names(user) == {"Raportoijat", "doctor"}


def test_memberships_record_history(db):
    membership = MembershipFactory(organisation=OrganisationFactory(), role=Role.NURSE)
    membership.role = Role.COORDINATOR
    membership.save()
    assert [h.role for h in membership.history.all()] == ["coordinator", "nurse"]


ADMIN_PAGES = [
    "admin:teams_municipality_changelist",
    "admin:teams_organisation_changelist",
    "admin:teams_user_changelist",
    "admin:teams_membership_changelist",
    "admin:teams_municipality_add",
    "admin:teams_organisation_add",
    "admin:teams_user_add",
    "admin:teams_membership_add",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_manages_municipalities_organisations_users_and_memberships(
    client, db, name
):
    log_in(client, staff(Role.ADMIN))
    assert client.get(reverse(name) + ("?q=Kajaani" if "changelist" in name else "")
                      ).status_code == 200


def test_the_admin_adds_a_user_with_a_membership_inline(client, db):
    admin = staff(Role.ADMIN)
    organisation = OrganisationFactory()
    user = UserFactory(username="uusi")
    log_in(client, admin)
    response = client.post(reverse("admin:teams_user_change", args=[user.pk]), {
        "username": "uusi", "first_name": "Uusi", "last_name": "Hoitaja", "email": "",
        "phone": "", "language": "fi", "is_active": "on",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-organisation": organisation.pk, "memberships-0-role": "nurse",
        "memberships-0-is_active": "on",
    })
    assert response.status_code == 302, response.context["adminform"].errors
    assert Membership.objects.get(user=user).role == Role.NURSE
    assert group_names(user) == {"nurse"}


def test_an_admin_cannot_make_a_superuser(client, db):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    log_in(client, admin)
    page = client.get(reverse("admin:teams_user_change", args=[user.pk])).content.decode()
    assert 'name="is_superuser"' not in page


def test_people_without_the_admin_role_are_sent_away_from_the_admin(client, db):
    log_in(client, staff(Role.NURSE))
    response = client.get(reverse("admin:teams_municipality_changelist"))
    assert response.status_code == 302
