"""Two-step login: a password alone reaches no client data."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams.models import Role
from tests.factories import PASSWORD, ClientFactory, staff
from tests.test_security import run_manage
from tests.utils import current_code, log_in


@pytest.fixture
def nurse(db):
    return staff(Role.NURSE)


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("page", ["clients:list", "clients:create", "accounts:account"])
def test_a_password_alone_does_not_reach_client_pages(client, nurse, page):
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    password_login(client, nurse)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_nor_a_client_page(client, nurse):
    organisation = nurse.memberships.get().organisation
    petri = ClientFactory(organisations=[organisation])
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    password_login(client, nurse)
    response = client.get(reverse("clients:detail", args=[petri.pk]))
    assert response.url.startswith(reverse("accounts:mfa_verify"))
    assert petri.last_name not in client.get(response.url).content.decode()


def test_nor_the_admin(client, db):
    admin = staff(Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    password_login(client, admin)
    response = client.get(reverse("admin:index"))
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_without_a_device_only_enrolment_is_reachable(client, nurse):
    password_login(client, nurse)
    response = client.get(reverse("clients:list"))
    assert response.url.startswith(reverse("accounts:mfa_setup"))
    assert client.get(reverse("accounts:mfa_verify")).url == reverse("accounts:mfa_setup")


def test_enrolment_with_qr_code_then_backup_codes(client, nurse):
    password_login(client, nurse)
    page = client.get(reverse("accounts:mfa_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)

    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000"})
    assert "Koodi ei täsmännyt" in wrong.content.decode()
    assert client.get(reverse("clients:list")).status_code == 302
    # Guessing is slowed down: even the right code waits after a wrong one.
    hurried = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)})
    assert "Odota hetki" in hurried.content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        done = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)})
        codes = re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())
        assert len(codes) == 10
        assert client.get(reverse("clients:list")).status_code == 200


def test_the_enrolment_secret_stays_the_same_until_confirmed(client, nurse):
    password_login(client, nurse)
    client.get(reverse("accounts:mfa_setup"))
    client.get(reverse("accounts:mfa_setup"))
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_a_backup_code_works_once(client, nurse):
    password_login(client, nurse)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=nurse)
    done = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)})
    code = re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())[0]
    client.post(reverse("logout"))

    password_login(client, nurse)
    client.post(reverse("accounts:mfa_verify"), {"token": code})
    assert client.get(reverse("clients:list")).status_code == 200
    client.post(reverse("logout"))

    password_login(client, nurse)
    again = client.post(reverse("accounts:mfa_verify"), {"token": code})
    assert "Koodi on väärä tai jo käytetty." in again.content.decode()
    assert client.get(reverse("clients:list")).status_code == 302


def test_verification_returns_to_the_page_asked_for(client, nurse):
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    password_login(client, nurse)
    asked = client.get(reverse("clients:create"))
    response = client.post(asked.url, {"token": current_code(device),
                                       "next": reverse("clients:create")})
    assert response.url == reverse("clients:create")


def test_verification_refuses_to_send_elsewhere(client, nurse):
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    password_login(client, nurse)
    response = client.post(reverse("accounts:mfa_verify"),
                           {"token": current_code(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_mfa_can_be_turned_off_only_in_development():
    result = run_manage("check", SECRET_KEY="x" * 60, DEBUG="False", MFA_REQUIRED="False")
    assert result.returncode != 0
    assert "development only" in result.stderr


def test_an_administrators_reset_of_the_second_factor_is_told_to_its_owner(
        client, nurse, smtp_server):
    """The admin removes the nurse's authenticator: the nurse must set it up again, and an
    e-mail tells her, so that a reset she did not ask for is noticed."""
    from work import outbox

    nurse.email = "hoitaja@kainuu.invalid"
    nurse.save()
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    log_in(client, staff(Role.ADMIN))
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    outbox.deliver()
    [notice] = smtp_server.to(nurse.email)
    assert "kaksivaiheinen" in notice.subject.lower()
    assert "/accounts/login/" in notice.body


def test_a_setup_left_unfinished_is_removed_without_an_email(nurse, smtp_server):
    from work import outbox

    nurse.email = "hoitaja@kainuu.invalid"
    nurse.save()
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=False).delete()
    outbox.deliver()
    assert smtp_server.to(nurse.email) == []
