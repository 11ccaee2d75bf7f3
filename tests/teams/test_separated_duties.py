"""
Separated duties: an administrator manages people and roles but cannot become a care worker,
cannot know or set anyone's password, and every change to who may do what is in the
administration log, which nobody can rewrite.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams.models import AdministrationAction, AdministrationLogEntry, Membership, Role, User
from tests.factories import OrganisationFactory, UserFactory, staff
from tests.utils import log_in
from work import outbox

INLINE = {
    "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
}


def user_form(user, **changes):
    return {"username": user.username, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "phone": "", "language": "fi",
            "is_active": "on", "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000", **changes}


@pytest.fixture
def admin(db, client):
    admin = staff(Role.ADMIN, username="paakayttaja")
    log_in(client, admin)
    return admin


def entries(**filters):
    return list(AdministrationLogEntry.objects.filter(**filters).order_by("pk"))


def test_an_admin_cannot_give_themself_a_care_role(client, admin):
    health = OrganisationFactory()
    response = client.post(reverse("admin:teams_membership_add"), {
        "user": admin.pk, "organisation": health.pk, "role": Role.NURSE, "is_active": "on"})
    assert response.status_code == 200
    assert "Et voi antaa itsellesi" in response.content.decode()
    assert not Membership.objects.filter(user=admin, role=Role.NURSE).exists()
    assert [e.changes["role"] for e in entries(subject="membership", target_user=admin)] == [
        [None, Role.ADMIN]]


def test_nor_through_their_own_user_page(client, admin):
    health = OrganisationFactory()
    response = client.post(reverse("admin:teams_user_change", args=[admin.pk]), user_form(
        admin, **INLINE, **{"memberships-0-organisation": health.pk,
                            "memberships-0-role": Role.DOCTOR,
                            "memberships-0-is_active": "on"}))
    assert response.status_code == 200
    assert not Membership.objects.filter(user=admin, role=Role.DOCTOR).exists()


def test_an_admin_cannot_set_another_users_password(client, admin):
    nurse = staff(Role.NURSE)
    nurse.set_password("the-nurses-own-password")
    nurse.save()
    url = reverse("admin:auth_user_password_change", args=[nurse.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "admin-knows-this-1", "usable_password": "true",
                                 "password2": "admin-knows-this-1"})
    assert response.status_code == 403
    nurse.refresh_from_db()
    assert nurse.check_password("the-nurses-own-password")
    page = client.get(reverse("admin:teams_user_change", args=[nurse.pk])).content.decode()
    assert 'name="password' not in page and "password/" not in page


def test_nor_a_superuser(client, db):
    root = UserFactory(is_superuser=True, is_staff=True)
    log_in(client, root)
    nurse = staff(Role.NURSE)
    url = reverse("admin:auth_user_password_change", args=[nurse.pk])
    assert client.post(url, {"password1": "root-knows-this-1",
                             "password2": "root-knows-this-1"}).status_code == 403


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/password/\S+/", message.body).group(0)


def test_a_new_user_sets_their_own_password_from_the_link(client, admin, smtp_server):
    health = OrganisationFactory()
    response = client.post(reverse("admin:teams_user_add"), {
        "username": "uusi.hoitaja", "first_name": "Uusi", "last_name": "Hoitaja",
        "email": "uusi.hoitaja@kainuu.invalid", "language": "fi", "_save": "1", **INLINE,
        "memberships-0-organisation": health.pk, "memberships-0-role": Role.NURSE,
        "memberships-0-is_active": "on"})
    assert response.status_code == 302
    user = User.objects.get(username="uusi.hoitaja")
    assert not user.has_usable_password()
    outbox.deliver()
    [message] = smtp_server.to("uusi.hoitaja@kainuu.invalid")
    assert "salasana" in message.subject.lower()
    client.logout()
    page = client.get(link_in(message), follow=True)
    assert "Aseta salasanasi" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {
        "new_password1": "Kainuun-kevät-2026", "new_password2": "Kainuun-kevät-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kainuun-kevät-2026")
    again = client.get(link_in(message), follow=True).content.decode()
    assert "ei toimi enää" in again
    [sent] = entries(action=AdministrationAction.PASSWORD_RESET_SENT, target_user=user)
    assert sent.actor == admin


def test_the_admin_sends_a_reset_link_instead(client, admin, smtp_server):
    nurse = staff(Role.NURSE, email="hoitaja@kainuu.invalid")
    nurse.set_password("forgotten-password-1")
    nurse.save()
    response = client.post(reverse("admin:teams_user_changelist"), {
        "action": "send_password_links", "_selected_action": [nurse.pk]})
    assert response.status_code == 302
    outbox.deliver()
    [message] = smtp_server.to("hoitaja@kainuu.invalid")
    assert "/accounts/password/" in message.body
    nurse.refresh_from_db()
    assert nurse.check_password("forgotten-password-1"), "only the link changes it"
    assert entries(action=AdministrationAction.PASSWORD_RESET_SENT, target_user=nurse)


def test_a_changed_address_is_told_to_the_old_one(client, admin, smtp_server):
    """Putting one's own address on someone's account, then sending the link there, does not
    go unnoticed: the old address hears of it."""
    nurse = staff(Role.NURSE, email="hoitaja@kainuu.invalid")
    response = client.post(reverse("admin:teams_user_change", args=[nurse.pk]),
                           user_form(nurse, email="paakayttaja@kainuu.invalid"))
    assert response.status_code == 302
    outbox.deliver()
    [notice] = smtp_server.to("hoitaja@kainuu.invalid")
    assert "sähköpostiosoit" in notice.subject.lower()
    [change] = entries(subject="user", action="changed", target_user=nurse,
                       changes__has_key="email")
    assert change.changes["email"] == ["hoitaja@kainuu.invalid", "paakayttaja@kainuu.invalid"]
    assert change.actor == admin


def test_the_log_records_memberships_with_before_and_after(client, admin):
    nurse = staff(Role.NURSE)
    membership = nurse.memberships.get()
    response = client.post(reverse("admin:teams_membership_change", args=[membership.pk]), {
        "user": nurse.pk, "organisation": membership.organisation_id,
        "role": Role.COORDINATOR, "is_active": "on"})
    assert response.status_code == 302
    [change] = entries(subject="membership", action="changed")
    assert change.actor == admin and change.target_user == nurse
    assert change.changes["role"] == ["nurse", "coordinator"]
    # The membership moved the nurse's groups: that is logged too, as the system's doing.
    groups = entries(subject="user", target_user=nurse, changes__has_key="groups")
    assert [g.changes["groups"] for g in groups] == [[[], ["nurse"]], [["nurse"], []],
                                                     [[], ["coordinator"]]]


def test_the_log_records_a_roles_permissions(client, admin):
    group = Group.objects.get(name=Role.MANAGER.value)
    extra = Permission.objects.get(codename="view_client")
    group.permissions.add(extra)
    [*_, change] = entries(subject="group", object_id=str(group.pk))
    assert "clients.view_client" not in change.changes["permissions"][0]
    assert "clients.view_client" in change.changes["permissions"][1]


def test_the_log_records_devices_and_never_a_secret(client, admin):
    nurse = staff(Role.NURSE)
    nurse.set_password("a-secret-password-1")
    nurse.save()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    kinds = [(e.subject, e.action) for e in entries(target_user=nurse)]
    assert ("totpdevice", "created") in kinds and ("totpdevice", "deleted") in kinds
    [deleted] = entries(subject="totpdevice", action="deleted")
    assert deleted.actor == admin
    logged = str(list(AdministrationLogEntry.objects.values_list("changes", flat=True)))
    assert nurse.password not in logged and device.key not in logged
    [password] = entries(subject="user", target_user=nurse, changes__has_key="password",
                         action="changed")
    assert password.changes["password"] == ["•••", "•••"]


def test_logins_are_not_changes(client, admin):
    nurse = staff(Role.NURSE)
    before = AdministrationLogEntry.objects.count()
    log_in(client, nurse)
    device = TOTPDevice.objects.get(user=nurse)
    device.verify_token("000000")  # saves the device's counters, as every code does
    assert AdministrationLogEntry.objects.count() == before + 1  # the device log_in made


def test_a_change_that_rolls_back_leaves_no_row(db):
    nurse = staff(Role.NURSE)
    before = AdministrationLogEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        nurse.first_name = "Toinen"
        nurse.save()
        raise RuntimeError
    assert AdministrationLogEntry.objects.count() == before


@pytest.mark.postgres
def test_the_log_cannot_be_rewritten(as_owner):
    """Not even by the owner of the table: the guard is the table's own."""
    if connection.vendor != "postgresql":
        pytest.skip("The database guard is PostgreSQL's; CI runs it there.")
    staff(Role.NURSE)
    for statement in ("UPDATE teams_administrationlogentry SET label = 'x'",
                      "DELETE FROM teams_administrationlogentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DATA_PROTECTION_OFFICER, Role.NURSE])
def test_no_role_but_administrator_for_oneself(client, admin, role):
    """The leader approves destroying records and the officer reads the logs that watch the
    administrators: neither is an administrator's to give themself."""
    response = client.post(reverse("admin:teams_membership_add"), {
        "user": admin.pk, "organisation": OrganisationFactory().pk, "role": role,
        "is_active": "on"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=admin, role=role).exists()


def test_another_administrators_account_is_a_superusers_to_change(client, admin):
    other = staff(Role.ADMIN, email="toinen@kainuu.invalid")
    root = UserFactory(is_superuser=True, email="root@kainuu.invalid")
    for user in (other, root):
        url = reverse("admin:teams_user_change", args=[user.pk])
        response = client.post(url, user_form(user, email="paakayttaja@kainuu.invalid"))
        assert response.status_code == 403
        user.refresh_from_db()
        assert user.email != "paakayttaja@kainuu.invalid"
    client.post(reverse("admin:teams_user_changelist"), {
        "action": "send_password_links", "_selected_action": [other.pk, root.pk]})
    assert not entries(action=AdministrationAction.PASSWORD_RESET_SENT)


def test_who_changed_an_address_does_not_send_it_the_password_link(client, admin,
                                                                   smtp_server):
    """Own address on someone's account, a link there, their device reset: a takeover, unless
    another administrator must send the link."""
    nurse = staff(Role.NURSE, email="hoitaja@kainuu.invalid")
    client.post(reverse("admin:teams_user_change", args=[nurse.pk]),
                user_form(nurse, email="paakayttaja.oma@kainuu.invalid"))
    client.post(reverse("admin:teams_user_changelist"), {
        "action": "send_password_links", "_selected_action": [nurse.pk]})
    outbox.deliver()
    assert smtp_server.to("paakayttaja.oma@kainuu.invalid") == []
    assert not entries(action=AdministrationAction.PASSWORD_RESET_SENT)
    colleague = staff(Role.ADMIN, username="toinen.paakayttaja")
    log_in(client, colleague)
    client.post(reverse("admin:teams_user_changelist"), {
        "action": "send_password_links", "_selected_action": [nurse.pk]})
    [sent] = entries(action=AdministrationAction.PASSWORD_RESET_SENT)
    assert sent.actor == colleague


def test_one_account_per_address(client, admin):
    staff(Role.NURSE, email="hoitaja@kainuu.invalid")
    response = client.post(reverse("admin:teams_user_add"), {
        "username": "toinen.tili", "first_name": "Toinen", "last_name": "Tili",
        "email": "Hoitaja@Kainuu.invalid", "language": "fi", **INLINE,
        "memberships-TOTAL_FORMS": "0"})
    assert response.status_code == 200
    assert not User.objects.filter(username="toinen.tili").exists()


def test_administrators_do_not_change_what_a_role_may_do(client, admin):
    group = Group.objects.get(name=Role.ADMIN.value)
    assert not admin.has_perm("auth.change_group")
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {
        "name": group.name, "permissions": [Permission.objects.get(
            codename="approve_destruction").pk]})
    assert response.status_code == 403


def test_the_log_records_an_organisations_sector(client, admin):
    organisation = OrganisationFactory()
    organisation.sector = "kela"
    organisation.save()
    [*_, change] = entries(subject="organisation", object_id=str(organisation.pk))
    assert change.changes["sector"][1] == "kela"


def test_the_officer_is_no_administrators_choice(client, admin):
    """An administrator's second account as the officer would read the log that watches them."""
    puppet = UserFactory(email="toinen.osoite@kainuu.invalid")
    response = client.post(reverse("admin:teams_membership_add"), {
        "user": puppet.pk, "organisation": OrganisationFactory().pk,
        "role": Role.DATA_PROTECTION_OFFICER, "is_active": "on"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=puppet).exists()


def test_a_membership_row_names_its_organisation(client, admin):
    nurse = staff(Role.NURSE)
    membership = nurse.memberships.get()
    membership.is_active = False
    membership.save()
    [*_, ended] = entries(subject="membership", object_id=str(membership.pk))
    assert ended.organisation_id == membership.organisation_id
    assert ended.changes["is_active"] == [True, False]
