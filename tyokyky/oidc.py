"""
Logging in through an OpenID Connect provider: Suomi.fi e-Identification for clients, an
organisation's own identity provider for its staff.

Authlib does the protocol: the authorization code flow with PKCE (S256), `private_key_jwt`
client authentication at the token endpoint, and the ID token checked against the provider's
published keys (JWKS) for its signature, issuer, audience, expiry and our nonce; the state
binds the answer to this browser's session. What we add: every answer is either the verified
claims or `IdentificationFailed` with a reason that can be logged (never a claim's value).
"""

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc.errors import JoseError

log = logging.getLogger("tyokyky.security")


class IdentificationFailed(Exception):
    """The provider's answer was refused; `reason` is safe to log and to count; `claim`: the
    ID token's claim that was missing or not accepted, if that was why ("acr": the level of
    assurance, which the person can do something about)."""

    def __init__(self, reason: str, claim: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.claim = claim


@dataclass(frozen=True)
class RelyingParty:
    """Our registration at one provider."""

    name: str
    issuer: str
    client_id: str
    private_key_file: str  # our private key (JWK or PEM); the provider holds the public half
    scope: str = "openid"
    leeway_seconds: int = 30
    discovery_url: str = ""  # where the metadata is published, if not under the issuer
    # The levels of assurance (acr) we accept, asked for as `acr_values` and required of the
    # ID token's `acr`; empty: neither asked nor checked.
    acr_values: tuple[str, ...] = ()

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


def _private_key(path: str):
    text = Path(path).read_text()
    return json.loads(text) if text.lstrip().startswith("{") else text


@cache
def _app(party: RelyingParty):
    registry = OAuth()
    return registry.register(
        name=party.name,
        client_id=party.client_id,
        client_secret=_private_key(party.private_key_file),
        server_metadata_url=party.metadata_url,
        client_kwargs={
            "scope": party.scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": PrivateKeyJWT.name,
        },
        # The assertion's audience is the issuer, as the current OpenID Connect errata and
        # Suomi.fi ask, not the token endpoint's address.
        client_auth_methods=[PrivateKeyJWT(token_endpoint=party.issuer)],
    )


def allow_redirect_to(response, *parties: RelyingParty):
    """A page whose form starts an identification: its Content-Security-Policy lets the form's
    answer redirect to the providers (browsers apply form-action to the redirect, too)."""
    origins = sorted({_origin(party.issuer) for party in parties})
    response._csp_update = {"form-action": origins}
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def begin(request, party: RelyingParty, callback_url: str, **params):
    """Redirect the browser to the provider; the state, nonce and PKCE verifier stay in the
    session for `finish`. With `acr_values` the provider is asked for one of those levels."""
    if party.acr_values:
        params.setdefault("acr_values", " ".join(party.acr_values))
    try:
        return _app(party).authorize_redirect(request, callback_url, **params)
    except (AuthlibBaseError, requests.RequestException, ValueError, OSError) as error:
        raise IdentificationFailed(f"provider unreachable: {type(error).__name__}") from error


def finish(request, party: RelyingParty) -> dict:
    """The ID token's verified claims, or IdentificationFailed."""
    if "error" in request.GET:
        # The error code is the browser's to send: only its letters reach the log.
        code = re.sub(r"[^a-z_]", "", request.GET["error"])[:40]
        raise IdentificationFailed(f"provider answered {code}")
    try:
        token = _app(party).authorize_access_token(
            request, leeway=party.leeway_seconds, claims_options=_required_claims(party))
    except (AuthlibBaseError, JoseError) as error:
        raise IdentificationFailed(_reason(error), getattr(error, "claim", "")) from error
    except (requests.RequestException, ValueError, KeyError, OSError) as error:
        raise IdentificationFailed(f"token exchange failed: {type(error).__name__}") from error
    if "userinfo" not in token:
        # Authlib checks the ID token only when the session holds a nonce for this state.
        raise IdentificationFailed("no ID token checked against a nonce")
    return dict(token["userinfo"])


def _required_claims(party: RelyingParty) -> dict:
    """Issuer and audience must be the provider and us. Authlib, left alone, takes the issuer
    from the metadata and accepts a token for another audience that names us as its
    authorised party (azp). With `acr_values` the level of assurance, too: asking for it is
    only a wish the provider (or whoever edits the redirect) need not honour, so the ID token
    must name one of the levels we accept."""
    claims = {"iss": {"essential": True, "value": party.issuer},
              "aud": {"essential": True, "value": party.client_id}}
    if party.acr_values:
        claims["acr"] = {"essential": True, "values": list(party.acr_values)}
    return claims


def _reason(error) -> str:
    """The class of the error and the library's description, which names a claim but never
    its value."""
    description = getattr(error, "description", "") or ""
    return f"{type(error).__name__}: {description}"[:120]


def refuse(party: RelyingParty, reason: str, request) -> None:
    """Log a refused identification: which provider, why, from where; never who."""
    log.warning("identification refused: provider=%s reason=%s address=%s",
                party.name, reason, request.META.get("REMOTE_ADDR", ""))
