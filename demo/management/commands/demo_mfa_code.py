"""Print the demo users' current two-step login code (development only)."""

from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from .seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Prints the current two-step login code of the demo users (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only in development (DEBUG=True).")
        self.stdout.write(f"{totp(unhexlify(DEMO_TOTP_KEY)):06d}")
