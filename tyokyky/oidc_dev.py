"""
The local OpenID Connect provider of `make run` and the tests (deploy/dev-oidc-provider.mjs):
its configuration, and starting it. A stand-in for Suomi.fi and for an organisation's identity
provider that issues real signed tokens; never part of production.

The keys are made here once and kept under var/oidc/: the provider's signing key, and our
client key whose public half the provider holds for private_key_jwt (settings.OMA_OIDC).
"""

import json
import secrets
import subprocess
import time
from pathlib import Path

import requests
from django.conf import settings
from joserfc.jwk import RSAKey

PROVIDER_SCRIPT = Path(settings.BASE_DIR) / "deploy" / "dev-oidc-provider.mjs"
HETU_CLAIM_DEFAULT = "urn:oid:1.2.246.21"
# Suomi.fi's levels of assurance: "substantial" (loa2) and "high" (loa3, a bank or mobile ID).
LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"


def load_or_make_key(path: Path) -> dict:
    """A private RSA key as a JWK, made on first use."""
    if path.exists():
        return json.loads(path.read_text())
    key = RSAKey.generate_key(2048, private=True)
    jwk = key.as_dict(private=True)
    jwk.update(kid=key.thumbprint(), alg="RS256", use="sig")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(jwk))
    path.chmod(0o600)
    return jwk


def public(jwk: dict) -> dict:
    return {name: jwk[name] for name in ("kty", "n", "e", "kid", "alg", "use")}


def relying_party(client_id: str, client_key: dict, redirect_uris: list[str]) -> dict:
    """A client registration: code flow, private_key_jwt with `client_key`'s public half."""
    return {
        "client_id": client_id,
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
        "jwks": {"keys": [public(client_key)]},
        "redirect_uris": redirect_uris,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "id_token_signed_response_alg": "RS256",
    }


def person(sub: str, label: str, *, acr: str = "", **claims) -> dict:
    """An identity offered on the provider's page; `acr`: the level of assurance its
    identification gets, if not the provider's default."""
    account = {"sub": sub, "label": label, "claims": claims}
    if acr:
        account["acr"] = acr
    return account


def write_config(path: Path, *, issuer: str, port: int, signing_key: dict, clients: list[dict],
                 accounts: list[dict], hetu_claim: str = HETU_CLAIM_DEFAULT,
                 acr_values: tuple[str, ...] = (LOA2, LOA3), default_acr: str = LOA3) -> Path:
    """The provider's configuration: it supports `acr_values` and identifies at `default_acr`
    unless an account says otherwise, as Suomi.fi identifies at "high" with a bank's codes."""
    config = {
        "issuer": issuer,
        "port": port,
        "signing_key": signing_key,
        "cookie_key": secrets.token_urlsafe(32),
        "scopes": {
            "openid": ["sub"],
            "profile": ["given_name", "family_name", "name"],
            "email": ["email", "email_verified"],
            "personal_identity_code": [hetu_claim],
        },
        "clients": clients,
        "accounts": accounts,
        "acr_values": list(acr_values),
        "default_acr": default_acr,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1))
    return path


def start(config_path: Path, issuer: str, timeout: float = 20.0) -> subprocess.Popen:
    """Start the provider and wait until it publishes its metadata."""
    process = subprocess.Popen(["node", str(PROVIDER_SCRIPT), str(config_path)],  # noqa: S603, S607
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"OIDC provider stopped: {process.stderr.read().decode()[:2000]}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("OIDC provider did not start")
