"""Logging in to Oma Työkyky through a real OpenID Connect provider, and every way it refuses."""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from consents.models import AccessLogEntry
from tests.factories import ClientFactory
from tests.oidc import CLIENT_ID, PEOPLE, TamperingProxy, identify, resigned
from tests.utils import log_in_as_client
from tyokyky import oidc_dev

pytestmark = pytest.mark.django_db


def test_identified_person_is_logged_in_as_their_client_and_reads_are_logged(client, oma_oidc):
    maija = ClientFactory(first_name="Maija", hetu=PEOPLE["maija"])
    response = identify(client, "maija")
    assert response.status_code == 302
    assert response["Location"] == "/oma/"
    page = client.get("/oma/")
    assert page.status_code == 200
    assert "Maija" in page.content.decode()
    entry = AccessLogEntry.objects.get(client=maija)
    assert entry.by_client and entry.user is None and "identity" in entry.categories
    # The code is looked up, not kept: nothing of it in the session.
    assert PEOPLE["maija"] not in str(dict(client.session))


# --- Refusals: each a clear page, a log line without the person, and no session ---------------

def _refused(response, caplog, reason_part):
    assert response.status_code == 403
    text = response.content.decode()
    assert "Tunnistautuminen ei onnistunut" in text
    assert "oma_client" not in client_session_keys(response)
    lines = [r.getMessage() for r in caplog.records if r.name == "tyokyky.security"]
    assert any("identification refused" in line and reason_part in line for line in lines), lines
    assert not any(code in line for line in lines for code in PEOPLE.values())
    return text


def client_session_keys(response):
    return set(response.wsgi_request.session.keys())


def test_wrong_nonce_is_refused(client, oma_oidc, caplog):
    ClientFactory(hetu=PEOPLE["maija"])

    def other_nonce(session):
        for key, value in session.items():
            if key.startswith("_state_"):
                value["data"]["nonce"] = "not-the-nonce-we-sent"

    response = identify(client, "maija", before_callback=other_nonce)
    text = _refused(response, caplog, "nonce")
    assert "Yritä uudelleen" in text


def test_token_for_another_audience_is_refused(client, settings, oidc_provider, caplog):
    ClientFactory(hetu=PEOPLE["maija"])
    proxy = TamperingProxy(oidc_provider, lambda token: resigned(
        token, oidc_provider.signing_key, aud="toinen-palvelu", azp=CLIENT_ID))
    settings.OMA_OIDC = {**oidc_provider.settings(), "discovery_url": proxy.discovery_url}
    try:
        response = identify(client, "maija")
    finally:
        proxy.close()
    # Naming us as the authorised party does not make a token for another service ours.
    _refused(response, caplog, "'aud'")


def test_token_with_a_bad_signature_is_refused(client, settings, oidc_provider, caplog):
    ClientFactory(hetu=PEOPLE["maija"])

    def break_signature(token):
        head, payload, signature = token.split(".")
        flipped = ("A" if signature[10] != "A" else "B")
        return ".".join([head, payload, signature[:10] + flipped + signature[11:]])

    proxy = TamperingProxy(oidc_provider, break_signature)
    settings.OMA_OIDC = {**oidc_provider.settings(), "discovery_url": proxy.discovery_url}
    try:
        response = identify(client, "maija")
    finally:
        proxy.close()
    _refused(response, caplog, "Signature")


def test_expired_token_is_refused(client, settings, oidc_provider, caplog):
    """The provider's short-lived client gets ID tokens that live one second; our clock is five
    seconds ahead when the token comes (within the provider's tolerance for our assertion)."""
    ClientFactory(hetu=PEOPLE["maija"])
    settings.OMA_OIDC = oidc_provider.settings(client_id="tyokyky-oma-short")
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        response = identify(client, "maija")
    _refused(response, caplog, "Expired")


def test_person_who_is_no_client_is_refused(client, oma_oidc, caplog):
    ClientFactory(hetu=PEOPLE["maija"])
    response = identify(client, "stranger")
    text = _refused(response, caplog, "no client")
    assert "ei ole tietoja sinusta" in text.replace("\n", " ")


def test_answer_to_another_browsers_login_is_refused(client, oma_oidc, caplog):
    """The state binds the provider's answer to the session that asked (login CSRF)."""
    ClientFactory(hetu=PEOPLE["maija"])
    response = identify(client, "maija", before_callback=lambda session: [
        session.pop(key) for key in list(session.keys()) if key.startswith("_state_")])
    _refused(response, caplog, "MismatchingState")


def test_cancelled_identification_is_refused(client, oma_oidc, caplog):
    response = client.get("/oma/kirjaudu/paluu/?error=access_denied&state=x")
    _refused(response, caplog, "access_denied")


def test_login_page_lets_its_form_go_to_the_provider_only(client, oma_oidc):
    """Browsers apply the form-action policy to the redirect after the POST: the provider's
    origin is allowed on the login page, and nowhere else."""
    policy = client.get("/oma/kirjaudu/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", oma_oidc.issuer]
    log_in_as_client(client, ClientFactory(hetu=PEOPLE["maija"]))
    assert oma_oidc.issuer not in client.get("/oma/")["Content-Security-Policy"]


def test_a_forged_error_cannot_write_lines_into_the_log(client, oma_oidc, caplog):
    response = client.get("/oma/kirjaudu/paluu/", {"error": "access_denied\nFAKE ENTRY 123"})
    assert response.status_code == 403
    lines = [r.getMessage() for r in caplog.records if r.name == "tyokyky.security"]
    assert len(lines) == 1 and "provider answered access_denied " in lines[0], lines
    assert "FAKE" not in lines[0] and "\n" not in lines[0]


# --- The level of assurance (OMA_OIDC["acr_values"]) --------------------------------------------
# The test provider identifies everyone at "high" (loa3) but "maija-loa2", Maija again at
# "substantial" (loa2).

def test_a_required_level_of_assurance_is_asked_for_and_met(client, settings, oma_oidc):
    maija = ClientFactory(first_name="Maija", hetu=PEOPLE["maija"])
    settings.OMA_OIDC = {**oma_oidc.settings(), "acr_values": [oidc_dev.LOA3]}
    start = client.post("/oma/kirjaudu/tunnistus/")
    assert parse_qs(urlsplit(start["Location"]).query)["acr_values"] == [oidc_dev.LOA3]
    response = identify(client, "maija")
    assert response.status_code == 302 and response["Location"] == "/oma/"
    assert client.session["oma_client"] == maija.pk


def test_an_identification_below_the_required_level_is_refused(client, settings, oma_oidc,
                                                               caplog):
    ClientFactory(hetu=PEOPLE["maija"])
    settings.OMA_OIDC = {**oma_oidc.settings(), "acr_values": [oidc_dev.LOA3]}
    response = identify(client, "maija-loa2")
    text = _refused(response, caplog, "'acr'")
    assert "not strong enough" in text or "tarpeeksi vahva" in text  # until compiled
    assert client.get("/oma/").status_code == 302


def test_without_a_required_level_any_level_logs_in(client, oma_oidc):
    ClientFactory(hetu=PEOPLE["maija"])
    start = client.post("/oma/kirjaudu/tunnistus/")
    assert "acr_values" not in parse_qs(urlsplit(start["Location"]).query)
    response = identify(client, "maija-loa2")
    assert response.status_code == 302 and response["Location"] == "/oma/"


def test_an_identification_older_than_the_login_is_refused(client, settings, oidc_provider,
                                                           caplog):
    """A provider that ignored prompt=login and max_age=0 answers for whoever it remembered:
    its auth_time is older than our asking, and nobody is logged in."""
    ClientFactory(hetu=PEOPLE["maija"])
    proxy = TamperingProxy(oidc_provider, lambda token: resigned(
        token, oidc_provider.signing_key, auth_time=int(time.time()) - 3600))
    settings.OMA_OIDC = {**oidc_provider.settings(), "discovery_url": proxy.discovery_url}
    try:
        response = identify(client, "maija")
    finally:
        proxy.close()
    _refused(response, caplog, "identification older than this login")


def test_the_login_asks_for_a_new_identification(client, oma_oidc):
    location = client.post("/oma/kirjaudu/tunnistus/")["Location"]
    assert "prompt=login" in location and "max_age=0" in location
