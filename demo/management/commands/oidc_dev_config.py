"""
Configure the local OpenID Connect provider of `make run` (deploy/dev-oidc-provider.mjs): our
client's registration and the demo clients as identities, as Suomi.fi's test identification
would offer them; and, standing in for an organisation's identity provider, the staff single
sign-on clients of seed_demo with the demo users' work addresses as identities. Run after
seed_demo; the provider reads var/oidc/provider.json at its start.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from clients.models import Client
from teams.models import OrganisationSignOn, User
from tyokyky import oidc_dev

from .seed_demo import CLIENTS, USERS

# Someone Suomi.fi identifies who is not a client: the "unknown person" path of the login.
STRANGER = oidc_dev.person("demo-stranger", "Testi Tuntematon (ei asiakas)",
                           given_name="Testi", family_name="Tuntematon")


class Command(BaseCommand):
    help = "Writes var/oidc/provider.json for the local OIDC provider of make run."

    def handle(self, *args, **options):
        conf = settings.OMA_OIDC
        keys = Path(settings.VAR_DIR) / "oidc"
        client_key = oidc_dev.load_or_make_key(Path(conf["private_key_file"]))
        callback = settings.SITE_URL.rstrip("/") + reverse("oma:callback")
        path = oidc_dev.write_config(
            keys / "provider.json", issuer=conf["issuer"],
            port=urlsplit(conf["issuer"]).port or 80,
            signing_key=oidc_dev.load_or_make_key(keys / "provider-signing-key.json"),
            clients=[oidc_dev.relying_party(conf["client_id"], client_key, [callback]),
                     *self._staff_clients(conf["issuer"])],
            accounts=[*self._demo_clients(conf["hetu_claim"]), STRANGER, *self._staff()],
            hetu_claim=conf["hetu_claim"],
        )
        self.stdout.write(f"OIDC test provider configured: {path}")

    @staticmethod
    def _staff_clients(issuer):
        """The organisations' single sign-on (seed_demo: health care) at this provider: their
        client registrations, with our key for each made in STAFF_SSO_KEY_DIR on first use."""
        callback = settings.SITE_URL.rstrip("/") + reverse("sso_callback")
        for sign_on in OrganisationSignOn.objects.filter(issuer=issuer, is_enabled=True):
            key = oidc_dev.load_or_make_key(sign_on.key_path())
            yield oidc_dev.relying_party(sign_on.client_id, key, [callback])

    @staticmethod
    def _staff():
        """The demo users as an organisation's provider knows them: by their work address."""
        for user in User.objects.filter(username__in=USERS).exclude(email="").order_by("pk"):
            yield oidc_dev.person(
                f"staff-{user.username}", f"{user.get_full_name()} <{user.email}> (henkilöstö)",
                email=user.email, given_name=user.first_name, family_name=user.last_name,
                name=user.get_full_name())

    @staticmethod
    def _demo_clients(hetu_claim):
        hetus = [spec["hetu"] for spec in CLIENTS]
        for client in Client.objects.filter(hetu__in=hetus).order_by("last_name"):
            yield oidc_dev.person(
                f"demo-{client.pk}", f"{client.first_name} {client.last_name}",
                given_name=client.first_name, family_name=client.last_name,
                name=f"{client.first_name} {client.last_name}", **{hetu_claim: client.hetu})
