"""Tiina's loop in the browser: the TE expert refers, the nurse checks and gives feedback,
the TE expert acknowledges it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_tiinas_referral_loop(transactional_db, demo, person):
    te_expert = person("te_expert")
    te_expert.get_by_role("link", name="Asiakkaat").click()
    te_expert.get_by_role("link", name="Leinonen, Tiina").click()
    te_expert.get_by_role("link", name="Lähetä terveystarkastukseen").click()
    te_expert.get_by_label("Edellisestä terveystarkastuksesta on kulunut vuosi").check()
    te_expert.get_by_label("Kiireetön").check()
    te_expert.get_by_label("Palvelu").first.fill("Uravalmennus")
    te_expert.get_by_role("button", name="Lähetä lähete").click()
    expect(te_expert.get_by_text("Lähete lähetetty.")).to_be_visible()

    nurse = person("nurse")
    nurse.get_by_role("link", name="Terveystarkastukset").click()
    nurse.get_by_role("link", name="Leinonen, Tiina").click()
    nurse.get_by_role("button", name="Merkitse vastaanotetuksi").click()
    nurse.get_by_role("link", name="Kirjaa terveystarkastus").click()
    nurse.get_by_label("työkyky, 0–10").fill("6")
    nurse.get_by_label("tuki- ja liikuntaelimet").check()
    nurse.get_by_label("Työtön: työkykyinen tai kuntoutettavissa").check()
    nurse.get_by_label("sovitut jatkotoimet").fill("Uravalmennus jatkuu")
    nurse.get_by_role("button", name="Tallenna").click()
    expect(nurse.get_by_text("Terveystarkastus kirjattu.")).to_be_visible()
    nurse.get_by_role("link", name="Anna palaute").click()
    nurse.get_by_label("työllistymisen kannalta olennaiset havainnot").fill(
        "Ei raskaita nostoja"
    )
    nurse.get_by_label("suositellut jatkotoimet").fill("Alanvaihdon selvitys")
    nurse.get_by_label("Henkilökohtaisesti tarkastuksessa").check()  # how Tiina got it
    nurse.get_by_role("button", name="Anna palaute").click()
    expect(nurse.get_by_text("Palaute annettu.")).to_be_visible()

    te_expert.get_by_role("link", name="Lähetetyt lähetteet").click()
    expect(te_expert.get_by_role("cell", name="Palaute lähetetty")).to_be_visible()
    te_expert.get_by_role("link", name="Leinonen, Tiina").click()
    expect(te_expert.get_by_text("Ei raskaita nostoja")).to_be_visible()
    te_expert.get_by_role("button", name="Kuittaa palaute").click()
    expect(te_expert.get_by_text("Palaute kuitattu. Lähete on suljettu.")).to_be_visible()
    expect(te_expert.get_by_text("Tila: Palaute kuitattu")).to_be_visible()
