"""
Oma Työkyky in the browser: Tiina identifies herself through a real OpenID Connect provider
(node-oidc-provider, as Suomi.fi's test identification) and uses her own service. Every page,
the provider's included, passes axe (conftest.py).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import ActionStatus
from tests.oidc import start_provider
from tests.oma.path_world import OWN_ACTION, path_world
from tests.oma.test_consents import nurse_consent_for_kela
from tests.stories import BACK_PAIN, tiina_story

pytestmark = pytest.mark.e2e


@pytest.fixture
def identification(live_server, settings, tmp_path):
    """The provider with our client registered for the live server's callback. Asked for
    before `page`, so that it still runs when the page's accessibility check opens again a
    provider page the journey left before axe had finished."""
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


def test_tiina_logs_in_through_the_identification_provider(transactional_db, demo, identification,
                                                           page, live_server):
    identify_in_browser(page, live_server, "Tiina Leinonen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiina")


def test_tiina_marks_her_action_done_revokes_kelas_consent_and_sees_who_read(
        transactional_db, demo, identification, page, live_server, person):
    """The acceptance journey of issue 17: in her own service Tiina marks her own action done,
    revokes the consent that let Kela see her health data — and the Kela expert, already on
    her page, loses it on his next request — and finds the Kela expert's earlier read among
    the views, by organisation and role, not by name."""
    world = path_world(tiina_story(demo))
    tiina = world.tiina
    consent = nurse_consent_for_kela(world.story)
    kela = person("kela_expert")
    kela.goto(f"{live_server.url}{reverse('clients:detail', args=[tiina.pk])}")
    expect(kela.get_by_text(BACK_PAIN)).to_be_visible()

    identify_in_browser(page, live_server, "Tiina Leinonen")
    nav = page.get_by_role("navigation", name=re.compile("Päävalikko|Main navigation"))
    nav.get_by_role("link", name=re.compile("^Suunnitelmasi$|^Your plan$")).click()
    expect(page.get_by_role("cell", name=OWN_ACTION, exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile(f"{OWN_ACTION}")).click()
    expect(page.get_by_role("status")).to_be_visible()
    world.own_action.refresh_from_db()
    assert world.own_action.status == ActionStatus.DONE

    nav.get_by_role("link", name=re.compile("Suostumukseni|My consents")).click()
    page.locator(f'a[href="{reverse("oma:consent_revoke", args=[consent.pk])}"]').click()
    page.get_by_role("button", name=re.compile("Kyllä, peru|Yes, revoke")).click()
    expect(page.get_by_role("status")).to_be_visible()

    kela.reload()  # the Kela expert's next request
    expect(kela.get_by_text(BACK_PAIN)).to_have_count(0)

    nav.get_by_role("link", name=re.compile("Kuka on katsonut|Who has viewed")).click()
    views = page.locator("table[aria-labelledby=views-heading]")
    kela_row = views.locator("tr", has_text=world.story.kela.name).first
    expect(kela_row).to_contain_text(re.compile("Kelan asiantuntija|Kela expert", re.I))
    expect(page.locator("main")).not_to_contain_text(demo["kela_expert"].last_name)
