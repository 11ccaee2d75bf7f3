"""
The second factor: TOTP from an authenticator app (django-otp), with one-time backup codes.

Every staff member has a care or admin role, so every staff member enrols; until they have
passed the second factor in this session, RequireMFAMiddleware lets them reach only these pages.
"""

import base64

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_CODES_NAME = "backup codes"
# A session logged in through the organisation's own identity provider (teams/sso.py): the
# user's id, so the mark means nothing to a session that later belongs to someone else.
PROVIDER_VERIFIED_KEY = "sso_verified"


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mark_verified_by_provider(request, user) -> None:
    """
    The organisation's provider did the strong authentication (its own MFA and conditional
    access): this session counts as having passed the second factor. Not django-otp's own
    mark — that names a device of ours, and the user may have none — but one that
    RequireMFAMiddleware accepts beside it.
    """
    request.session[PROVIDER_VERIFIED_KEY] = user.pk


def verified_by_provider(request) -> bool:
    """The provider's mark, for the user it was given to — never for a superuser or a Django
    staff user (the admin role): should one have become that since the login, the mark no
    longer stands for their second factor, and TOTP is asked (`password_and_totp_only`)."""
    user = request.user
    if user.is_superuser or user.is_staff:
        return False
    return request.session.get(PROVIDER_VERIFIED_KEY) == user.pk


def password_and_totp_only(user) -> bool:
    """
    Superusers, Django staff users and holders of the admin role never log in through an
    organisation's provider (teams/sso.py). Their accounts can change who may do what, and
    whoever administers the organisation's own tenant (for Entra ID, whoever can set a user's
    address) must not be able to take them over: they log in with a password and our TOTP.
    """
    return user.is_superuser or user.is_staff or Membership.objects.filter(
        user=user, role=Role.ADMIN, is_active=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps that cannot read the QR code."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10
    )
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (our own SVG)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes; each works once. Shown to the user only now."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
