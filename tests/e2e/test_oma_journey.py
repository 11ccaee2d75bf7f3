"""
Oma Työkyky in the browser: Tiina identifies herself through a real OpenID Connect provider
(node-oidc-provider, as Suomi.fi's test identification) and uses her own service. Every page,
the provider's included, passes axe (conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.oidc import start_provider

pytestmark = pytest.mark.e2e


@pytest.fixture
def identification(live_server, settings, tmp_path):
    """The provider with our client registered for the live server's callback."""
    process, provider = start_provider(tmp_path, [f"{live_server.url}/oma/kirjaudu/paluu/"])
    settings.OMA_OIDC = provider.settings()
    yield provider
    process.terminate()
    process.wait(timeout=10)


def identify_in_browser(page, live_server, name):
    page.goto(f"{live_server.url}/oma/kirjaudu/")
    page.get_by_role("button", name=re.compile("Tunnistaudu|Identify yourself")).click()
    expect(page.get_by_role("heading", name="Testitunnistus")).to_be_visible()
    page.get_by_role("button", name=name).click()
    expect(page).to_have_url(f"{live_server.url}/oma/")


def test_tiina_logs_in_through_the_identification_provider(transactional_db, demo, page,
                                                           live_server, identification):
    identify_in_browser(page, live_server, "Tiina Leinonen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiina")
