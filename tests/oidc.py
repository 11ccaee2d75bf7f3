"""
A real OpenID Connect provider for the tests (deploy/dev-oidc-provider.mjs, node-oidc-provider)
and a user's browser going through it.

`oidc_provider` starts one provider per test process, with our client registered for the test
server's callback and a few identities: people with codes the tests give their clients, the six
demo clients, and a stranger who is no client. `identify` walks the authorization code flow the
way a browser does: our login button, the provider's pages, back to our callback.
"""

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from demo.management.commands.seed_demo import CLIENTS as DEMO_CLIENTS
from tests.factories import hetu_for
from tests.mailserver import free_port
from tyokyky import oidc_dev

CLIENT_ID = "tyokyky-oma"
CALLBACK = "http://testserver/oma/kirjaudu/paluu/"
HETU_CLAIM = oidc_dev.HETU_CLAIM_DEFAULT

# Identities the tests give to clients they make: ClientFactory(hetu=PEOPLE["maija"]).
PEOPLE = {"maija": hetu_for(91001), "ville": hetu_for(91002)}


def _accounts() -> list[dict]:
    people = [oidc_dev.person(name, name.title(), given_name=name.title(),
                              family_name="Testinen", **{HETU_CLAIM: code})
              for name, code in PEOPLE.items()]
    demo = [oidc_dev.person(f"demo-{spec['first_name'].lower()}",
                            f"{spec['first_name']} {spec['last_name']}",
                            given_name=spec["first_name"], family_name=spec["last_name"],
                            **{HETU_CLAIM: spec["hetu"]})
            for spec in DEMO_CLIENTS]
    stranger = oidc_dev.person("stranger", "Testi Tuntematon", given_name="Testi",
                               family_name="Tuntematon", **{HETU_CLAIM: hetu_for(91999)})
    # Maija again, identified only at "substantial" (loa2): everyone else at the provider's
    # default, "high" (loa3).
    weaker = oidc_dev.person("maija-loa2", "Maija (loa2)", acr=oidc_dev.LOA2,
                             given_name="Maija", family_name="Testinen",
                             **{HETU_CLAIM: PEOPLE["maija"]})
    return [*people, *demo, stranger, weaker]


@dataclass
class Provider:
    issuer: str
    client_key_file: Path
    signing_key: dict
    directory: Path

    def settings(self, client_id=CLIENT_ID) -> dict:
        return {"issuer": self.issuer, "client_id": client_id,
                "private_key_file": str(self.client_key_file),
                "scope": "openid profile personal_identity_code", "hetu_claim": HETU_CLAIM,
                "leeway_seconds": 0}


def start_provider(directory: Path, redirect_uris: list[str], *,
                   more_clients: dict[str, list[str]] | None = None,
                   more_accounts: list[dict] = ()):
    """A provider with our client (and its short-lived twin) registered for `redirect_uris`;
    `more_clients` (client id → redirect URIs, the same key) and `more_accounts` besides, as an
    organisation's provider for staff single sign-on would have."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    client_key = oidc_dev.load_or_make_key(directory / "client-key.json")
    signing_key = oidc_dev.load_or_make_key(directory / "signing-key.json")
    clients = [oidc_dev.relying_party(client_id, client_key, uris) for client_id, uris in {
        CLIENT_ID: redirect_uris, f"{CLIENT_ID}-short": redirect_uris,
        **(more_clients or {})}.items()]
    config = oidc_dev.write_config(directory / "provider.json", issuer=issuer, port=port,
                                   signing_key=signing_key, clients=clients,
                                   accounts=[*_accounts(), *more_accounts])
    process = oidc_dev.start(config, issuer)
    return process, Provider(issuer, directory / "client-key.json", signing_key, directory)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    process, provider = start_provider(tmp_path_factory.mktemp("oidc"), [CALLBACK])
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oma_oidc(settings, oidc_provider):
    """Oma Työkyky's login pointed at the test provider."""
    settings.OMA_OIDC = oidc_provider.settings()
    return oidc_provider


def provider_login(authorize_url: str, sub: str, until: str) -> str:
    """As the browser: the provider's page, the identity chosen, redirects followed until one
    leads to `until` (our callback); returns that address."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    action = urljoin(page.url, f"{urlsplit(page.url).path}/login")
    response = browser.post(action, data={"sub": sub}, allow_redirects=False, timeout=10)
    while response.is_redirect:
        location = urljoin(response.url, response.headers["location"])
        if location.startswith(until):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the browser back: {response.status_code} "
                         f"{response.text[:300]}")


def identify(client, sub: str, *, before_callback=None):
    """Log `client` (Django's test client) in to Oma Työkyky as the identity `sub`; returns our
    callback's response. `before_callback(session)` may change the session first."""
    start = client.post("/oma/kirjaudu/tunnistus/")
    assert start.status_code == 302, start.status_code
    back = provider_login(start["Location"], sub, until=CALLBACK)
    if before_callback:
        session = client.session
        before_callback(session)
        session.save()
    split = urlsplit(back)
    return client.get(f"{split.path}?{split.query}")


def resigned(id_token: str, signing_key: dict, **changes) -> str:
    """The provider's ID token with `changes` to its claims, signed again with its own key: the
    token a misbehaving provider would send."""
    payload = json.loads(base64.urlsafe_b64decode(id_token.split(".")[1] + "=="))
    payload.update(changes)
    header = {"alg": "RS256", "kid": signing_key["kid"]}
    return jwt.encode(header, payload, RSAKey.import_key(signing_key))


class TamperingProxy:
    """Between us and the provider: its metadata and token endpoint pass through, with the ID
    token changed by `tamper(id_token) -> id_token` — a provider that misbehaves one way."""

    def __init__(self, provider: Provider, tamper):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        upstream = requests.get(f"{provider.issuer}/.well-known/openid-configuration",
                                timeout=10).json()
        port = free_port()
        self.discovery_url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
        metadata = {**upstream, "token_endpoint": f"http://127.0.0.1:{port}/token"}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer(200, metadata)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = requests.post(upstream["token_endpoint"], data=body, timeout=10,
                                       headers={"Content-Type": self.headers["Content-Type"]})
                token = answer.json()
                if "id_token" in token:
                    token["id_token"] = tamper(token["id_token"])
                self._answer(answer.status_code, token)

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
