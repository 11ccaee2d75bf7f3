"""A client's session in Oma Työkyky: its own idle limit, and no way into staff pages."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ClientFactory, staff
from tests.oidc import PEOPLE, identify
from tests.utils import log_in, log_in_as_client

pytestmark = pytest.mark.django_db


def test_session_ends_after_fifteen_idle_minutes(client):
    log_in_as_client(client, ClientFactory())
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get("/oma/").status_code == 200
    # Each request counts as activity: 14 minutes after the last one is still fine.
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert client.get("/oma/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=43, seconds=1), tick=False):
        response = client.get("/oma/", follow=True)
    assert response.redirect_chain[0][0] == "/oma/kirjaudu/"
    assert "15 minuutin" in response.content.decode()
    assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"


def test_session_cookie_lives_fifteen_minutes(client):
    log_in_as_client(client, ClientFactory())
    client.get("/oma/")
    assert client.session.get_expiry_age() == 15 * 60


def test_staff_login_ends_the_client_session(client):
    log_in_as_client(client, ClientFactory())
    log_in(client, staff())
    assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"


def test_client_login_ends_the_staff_session(client, oma_oidc):
    ClientFactory(hetu=PEOPLE["maija"])
    log_in(client, staff())
    assert client.get("/").status_code == 200
    identify(client, "maija")
    assert client.get("/").status_code == 302
    assert client.get("/").url.startswith("/accounts/login/")
    assert client.get("/oma/").status_code == 200


def test_a_client_session_opens_no_staff_or_admin_page(client):
    """The permission matrix tries every staff URL; here the admin site, which it leaves out."""
    log_in_as_client(client, ClientFactory())
    for url in ("/", "/clients/", "/admin/", "/admin/teams/user/", "/admin/consents/consent/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/oma/" not in response.url, url


def test_logout_ends_the_session(client):
    log_in_as_client(client, ClientFactory())
    assert client.post("/oma/kirjaudu-ulos/")["Location"] == "/oma/kirjaudu/"
    assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"


def test_session_ends_twelve_hours_after_login_however_active(client):
    log_in_as_client(client, ClientFactory())
    start = timezone.now()
    for minutes in range(10, 12 * 60, 10):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/oma/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"


def test_pages_are_not_kept_by_the_browser(client):
    log_in_as_client(client, ClientFactory())
    cache_control = client.get("/oma/")["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_login_gives_a_new_csrf_token(client, oma_oidc):
    ClientFactory(hetu=PEOPLE["maija"])
    client.get("/oma/kirjaudu/")
    planted = client.cookies["csrftoken"].value
    identify(client, "maija")
    assert client.cookies["csrftoken"].value != planted


def test_after_logout_the_next_login_asks_the_provider_to_identify_again(client, oma_oidc):
    """prompt=login: the provider shows its page again instead of answering at once for the
    person it still remembers in this browser (a shared computer)."""
    ClientFactory(hetu=PEOPLE["maija"])
    start = client.post("/oma/kirjaudu/tunnistus/")
    assert "prompt=login" in start["Location"]


def test_a_session_without_its_start_is_over(client):
    """Sessions from before the absolute limit was kept: ended, not kept for ever."""
    from oma.session import STARTED_KEY

    log_in_as_client(client, ClientFactory())
    session = client.session
    del session[STARTED_KEY]
    session.save()
    assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"


def test_a_client_whose_data_was_destroyed_is_logged_out(client):
    person = ClientFactory()
    log_in_as_client(client, person)
    person.delete()
    assert client.get("/oma/")["Location"] == "/oma/kirjaudu/"
