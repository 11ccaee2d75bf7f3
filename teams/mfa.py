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

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_CODES_NAME = "backup codes"


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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
