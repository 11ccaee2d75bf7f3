"""Helpers the tests share."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice:
    """The user's authenticator app, set up once."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test authenticator", defaults={"confirmed": True}
    )
    return device


def log_in(client, user):
    """Log the user in with both factors passed, as after the real login and MFA pages."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for the device."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in_as_client(client, person):
    """A client's session in Oma Työkyky, as after a strong identification (tests/oidc.py walks
    the real one): the session of `person`, a clients.Client."""
    from django.utils import timezone

    from oma.session import CLIENT_KEY, SEEN_KEY, STARTED_KEY

    client.logout()
    session = client.session
    session[CLIENT_KEY] = person.pk
    session[SEEN_KEY] = session[STARTED_KEY] = timezone.now().timestamp()
    session.save()
