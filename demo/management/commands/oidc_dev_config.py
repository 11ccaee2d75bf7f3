"""
Configure the local OpenID Connect provider of `make run` (deploy/dev-oidc-provider.mjs): our
client's registration and the demo clients as identities, as Suomi.fi's test identification
would offer them. Run after seed_demo; the provider reads var/oidc/provider.json at its start.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from clients.models import Client
from tyokyky import oidc_dev

from .seed_demo import CLIENTS

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
            clients=[oidc_dev.relying_party(conf["client_id"], client_key, [callback])],
            accounts=[*self._demo_clients(conf["hetu_claim"]), STRANGER],
            hetu_claim=conf["hetu_claim"],
        )
        self.stdout.write(f"OIDC test provider configured: {path}")

    @staticmethod
    def _demo_clients(hetu_claim):
        hetus = [spec["hetu"] for spec in CLIENTS]
        for client in Client.objects.filter(hetu__in=hetus).order_by("last_name"):
            yield oidc_dev.person(
                f"demo-{client.pk}", f"{client.first_name} {client.last_name}",
                given_name=client.first_name, family_name=client.last_name,
                name=f"{client.first_name} {client.last_name}", **{hetu_claim: client.hetu})
