"""
The client's login: strong identification through Suomi.fi's OpenID Connect interface
(tyokyky/oidc.py), the identified person mapped to a client by their personal identity code.

The code is looked up and forgotten: it is not written to the session, the logs or the URL.
An identification the provider could not vouch for, or of a person who is not a client, ends
on a page that says so, and is logged without the person.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from clients.hetu import normalise_hetu
from clients.models import Client
from tyokyky import oidc

from . import session

log = logging.getLogger("tyokyky.security")

# When this browser asked to be identified (seconds): the identification must be newer.
ASKED_AT_KEY = "oma_identification_asked_at"


def relying_party() -> oidc.RelyingParty:
    conf = settings.OMA_OIDC
    return oidc.RelyingParty(
        name="suomifi", issuer=conf["issuer"], client_id=conf["client_id"],
        private_key_file=str(conf["private_key_file"]), scope=conf["scope"],
        leeway_seconds=conf["leeway_seconds"], discovery_url=conf.get("discovery_url", ""),
        acr_values=tuple(conf.get("acr_values", ())),
    )


@login_not_required
def login_page(request):
    if session.CLIENT_KEY in request.session:
        return redirect("oma:home")
    return oidc.allow_redirect_to(render(request, "oma/login.html"), relying_party())


@login_not_required
@require_POST
def begin(request):
    callback = request.build_absolute_uri(reverse("oma:callback"))
    request.session[ASKED_AT_KEY] = timezone.now().timestamp()
    try:
        # prompt=login and max_age=0: the provider identifies the person anew even if it still
        # remembers someone in this browser (a shared computer after the previous client
        # logged out); the callback checks that it did (auth_time).
        return oidc.begin(request, relying_party(), callback, ui_locales=get_language(),
                          prompt="login", max_age=0)
    except oidc.IdentificationFailed as failure:
        return _refused(request, failure.reason, unavailable=True)


@login_not_required
def callback(request):
    party = relying_party()
    try:
        claims = oidc.finish(request, party)
    except oidc.IdentificationFailed as failure:
        return _refused(request, failure.reason, weak=failure.claim == "acr")
    if not _identified_now(request, claims, party):
        return _refused(request, "identification older than this login")
    client = _client_of(claims)
    if client is None:
        return _refused(request, "no client with this identity code", unknown=True)
    session.sign_in(request, client)
    log.info("client identified: provider=%s client=%s", party.name, client.pk)
    return redirect("oma:home")


def _identified_now(request, claims, party) -> bool:
    """The provider identified the person after we asked (auth_time), not earlier in this
    browser: a provider that ignored prompt=login would let the previous person in."""
    asked_at = request.session.get(ASKED_AT_KEY)
    auth_time = claims.get("auth_time")
    return (isinstance(asked_at, (int, float)) and isinstance(auth_time, (int, float))
            and auth_time >= asked_at - party.leeway_seconds - 1)


def _client_of(claims) -> Client | None:
    code = normalise_hetu(str(claims.get(settings.OMA_OIDC["hetu_claim"]) or ""))
    if not code:
        return None
    return Client.objects.filter(hetu=code).first()


def _refused(request, reason: str, *, unknown=False, unavailable=False, weak=False):
    """`weak`: identified below the level of assurance required (OMA_OIDC["acr_values"])."""
    oidc.refuse(relying_party(), reason, request)
    return render(request, "oma/refused.html",
                  {"unknown": unknown, "unavailable": unavailable, "weak": weak}, status=403)


@login_not_required
@require_POST
def logout(request):
    session.sign_out(request)
    return redirect("oma:login")
