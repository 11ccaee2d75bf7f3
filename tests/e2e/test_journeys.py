"""
One journey per role, as each meets the product: the coordinator books a meeting and prints the
doctor's summary (and books one with the keyboard alone), the case manager goes from a reminder
to the feedback discussion and the plan, the Kela expert is refused and then, under a consent,
shown, the admin adds a municipality and a user. The nurse's loop is in test_referral_loop.py.
"""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import Municipality, User
from tests.plans.story import jaakkos_meeting
from tests.stories import BACK_PAIN
from work.models import OutboxMessage
from work.reminders import sweep

pytestmark = pytest.mark.e2e


def test_the_coordinator_books_a_meeting_and_prints_the_doctors_summary(
    transactional_db, demo, person
):
    coordinator = person("coordinator")
    coordinator.get_by_role("link", name="Asiakkaat").click()
    coordinator.get_by_role("link", name="Leinonen, Tiina").click()
    coordinator.get_by_role("link", name="Varaa verkostotapaaminen").click()
    coordinator.get_by_label("Nina Korhonen").check()
    coordinator.get_by_label("Puhelimitse").check()
    coordinator.get_by_role("button", name="Näytä heidän viikkonsa").click()
    coordinator.get_by_role("button", name=re.compile(r"^(ma|ti|ke|to|pe) ")).first.click()
    coordinator.get_by_role("button", name="Varaa ja lähetä kutsut").click()
    expect(coordinator.get_by_text("Tapaaminen varattu. Kutsut lähtevät.")).to_be_visible()

    summary = coordinator.get_by_role("link", name="Yhteenveto lääkärille (PDF)")
    response = coordinator.request.get(urljoin(coordinator.url, summary.get_attribute("href")))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def _tab_to(page, name, limit=120):
    """Press Tab until the focused element's text or label is `name`, as a keyboard user would."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused == name or (isinstance(name, re.Pattern) and name.search(focused)):
            return
    raise AssertionError(f"{name} cannot be reached with the Tab key")


def _focused(page) -> str:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
        return (label || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim();
    }""")


def _arrow_to(page, name):
    for _press in range(5):
        if _focused(page) == name:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name} is not in the radio group")


def _enter(page):
    """Enter on a link or in a form, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_coordinator_books_with_the_keyboard_alone(transactional_db, demo, page,
                                                       live_server):
    from tests.e2e.conftest import DEMO_PASSWORD, authenticator, totp_code

    authenticator("coordinator")
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.type("coordinator")  # the user name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    _enter(page)
    # The code field has the focus once the page is there: typing earlier would lose keys.
    expect(page.get_by_label("Koodi")).to_be_focused()
    page.keyboard.type(totp_code("coordinator"))
    _enter(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat tehtävät")

    for link in ("Asiakkaat", "Leinonen, Tiina", "Varaa verkostotapaaminen"):
        _tab_to(page, link)
        _enter(page)
    _tab_to(page, "Nina Korhonen")
    page.keyboard.press("Space")
    _tab_to(page, re.compile("^(Paikan päällä|Puhelimitse|Videoyhteydellä)$"))
    _arrow_to(page, "Puhelimitse")  # arrows move within a radio group, Tab leaves it
    _tab_to(page, "Näytä heidän viikkonsa")
    _enter(page)
    _tab_to(page, re.compile(r"^(ma|ti|ke|to|pe) \d"))
    _enter(page)
    _tab_to(page, "Varaa ja lähetä kutsut")
    _enter(page)
    expect(page.get_by_text("Tapaaminen varattu. Kutsut lähtevät.")).to_be_visible()


def test_the_case_manager_goes_from_the_reminder_to_the_discussion_and_the_plan(
    transactional_db, demo, person
):
    jaakkos_meeting(demo, ended_days_ago=15)
    sweep()
    case_manager = person("typ_expert")
    case_manager.get_by_role("link", name=re.compile("^Ilmoitukset")).click()
    case_manager.get_by_role("button", name="Palautekeskustelu on ajankohtainen").click()
    case_manager.get_by_label("Pidetty").fill(timezone.localdate().isoformat())
    case_manager.get_by_label("Mitä käytiin läpi").fill("Työkokeilu alkaa tammikuussa")
    case_manager.get_by_label("Osittain, tuettuna").check()
    case_manager.get_by_role("button", name="Tallenna").click()
    expect(case_manager.get_by_text("Palautekeskustelu tallennettu.")).to_be_visible()

    case_manager.get_by_role("link", name="Työkyvyn tuen suunnitelma").click()
    case_manager.get_by_role("link", name="Laadi suunnitelma").click()
    case_manager.get_by_label("Lyhyen aikavälin tavoitteet").fill("Työkokeilu metallialalla")
    # The people picker: type part of a name, take the match with the keyboard (the combobox).
    picker = case_manager.get_by_role("combobox").first
    picker.fill("Karppinen")
    expect(case_manager.get_by_role("option", name=re.compile("Ville Karppinen"))).to_be_visible()
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(case_manager.locator(".people-picker__chip", has_text="Ville Karppinen")).to_be_visible()
    case_manager.get_by_role("button", name="Tallenna").click()
    expect(case_manager.get_by_text("Suunnitelma tallennettu.")).to_be_visible()
    expect(case_manager.get_by_text("Työkokeilu metallialalla", exact=True)).to_be_visible()


def test_the_kela_expert_is_refused_and_then_shown_under_a_consent(
    transactional_db, story, person, live_server
):
    tiina_page = live_server.url + reverse("clients:detail", args=[story.tiina.pk])
    kela = person("kela_expert")
    kela.goto(tiina_page)  # on her team for the coming meeting, from the invitation's link
    expect(kela.get_by_role("heading", level=1)).to_be_visible()
    expect(kela.get_by_text(BACK_PAIN)).to_have_count(0)
    expect(kela.get_by_text("suostum").first).to_be_visible()

    nurse = person("nurse")
    nurse.goto(tiina_page)
    nurse.get_by_role("link", name="Kirjaa suostumus").click()
    nurse.get_by_label("Terveys", exact=True).check()
    nurse.get_by_label("Kela, Kainuun palvelut").check()
    nurse.get_by_label("Käyttötarkoitus").fill("Kuntoutuksen suunnittelu")
    nurse.get_by_label("Kirjallisesti").check()
    nurse.get_by_role("button", name="Kirjaa suostumus").click()
    expect(nurse.get_by_text("Suostumus kirjattu.")).to_be_visible()

    kela.reload()
    expect(kela.get_by_text(BACK_PAIN)).to_be_visible()


def test_the_admin_adds_a_municipality_and_a_user(transactional_db, demo, person):
    admin = person("admin")
    admin.get_by_role("link", name="Ylläpito").click()
    admin.get_by_role("row", name=re.compile("^Kunnat")).get_by_role("link", name="Lisää").click()
    admin.get_by_label("Nimi").fill("Vaala")
    admin.get_by_label("Kuntanumero").fill("785")
    admin.get_by_role("button", name="Tallenna", exact=True).click()
    expect(admin.locator("#result_list").get_by_role("link", name="Vaala")).to_be_visible()
    assert Municipality.objects.filter(name="Vaala", code="785").exists()

    admin.get_by_role("row", name=re.compile("^Käyttäjät")).get_by_role("link",
                                                                      name="Lisää").click()
    admin.get_by_label("Käyttäjätunnus").fill("uusi_hoitaja")
    admin.get_by_label("Etunimi").fill("Uusi")
    admin.get_by_label("Sukunimi").fill("Hoitaja")
    admin.get_by_label("Sähköpostiosoite").fill("uusi.hoitaja@kainuu.invalid")
    admin.get_by_label("Organisaatio:").first.select_option(
        label="Kainuun hyvinvointialue, terveyspalvelut")
    admin.get_by_label("Rooli:").first.select_option("nurse")
    admin.get_by_role("button", name="Tallenna", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("Uusi Hoitaja")
    user = User.objects.get(username="uusi_hoitaja")
    assert user.memberships.get().role == "nurse"
    # No password from the administrator: the new user sets it from the e-mailed link.
    assert not user.has_usable_password()
    assert OutboxMessage.objects.filter(to="uusi.hoitaja@kainuu.invalid").exists()
