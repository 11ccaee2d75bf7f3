"""
The acceptance story of consent-gated access, told through the views: the Kela expert on
Tiina's team sees no health information without a consent, sees it with one, and loses it on
the very next request after revocation or a disclosure ban.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consents.models import AccessLogEntry, Action, Consent, DisclosureLogEntry
from consents.services import remove_from_team
from tests.stories import BACK_PAIN, JOB_SEARCH
from tests.utils import log_in


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def what_kela_sees(client, story) -> dict:
    """Every place the Kela expert could meet Tiina's data: page, PDF, CSV, list and search."""
    tiina = story.tiina
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    pdf = pdf_text(client.get(reverse("clients:summary_pdf", args=[tiina.pk])))
    csv = client.get(reverse("clients:notes_csv", args=[tiina.pk])).content.decode()
    listing = client.get(reverse("clients:list")).content.decode()
    search = client.post(reverse("clients:list"), {"q": "Leinonen", "status": "all"})
    found = client.get(search.url).context["page"]
    return {"page": page, "pdf": pdf, "csv": csv, "list": listing,
            "search": [c.pk for c in found]}


def record_consent(client, story, *categories, confirmed=True):
    """The nurse records Tiina's consent for Kela through the form; employment services, who
    wrote Tiina's card, confirm it with one click (unless `confirmed` is False)."""
    log_in(client, story.users["nurse"])
    response = client.post(reverse("consents:create", args=[story.tiina.pk]), {
        "categories": list(categories), "recipient_organisations": [story.kela.pk],
        "purpose": "Kuntoutuksen suunnittelu verkostotapaamisessa", "method": "written",
        "valid_from": "2026-01-01", "valid_until": "",
    })
    assert response.status_code == 302, response.context["form"].errors
    consent = Consent.objects.latest("pk")
    if confirmed:
        log_in(client, story.users["te_expert"])
        assert client.post(reverse("consents:confirm", args=[consent.pk])).status_code == 302
        log_in(client, story.users["nurse"])
    return consent


def test_without_consent_kela_sees_no_health_data_anywhere(client, story):
    log_in(client, story.users["kela_expert"])
    seen = what_kela_sees(client, story)
    for place in ("page", "pdf", "csv"):
        assert BACK_PAIN not in seen[place], place
        assert "Leinonen" not in seen[place], place
    assert "Ei suostumusta tähän tietoon" in seen["page"]
    assert "Leinonen" not in seen["list"]
    assert seen["search"] == []


def test_the_placeholder_tells_that_information_exists_to_whom_sees_the_card(client, story):
    record_consent(client, story, "identity")
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "1 toisen organisaation kirjaus ei näy sinulle" in page


def test_without_the_card_not_even_the_number_of_hidden_records_is_told(client, story):
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "ei näy sinulle" not in page
    assert "Ei kirjauksia, joita voisit nähdä." in page


def test_a_consent_opens_the_recorders_data_at_once_and_the_cards_writers_on_confirming(
    client, story
):
    """The nurse's consent opens health's notes to Kela at once; Tiina's name, which
    employment services wrote, only when employment services confirm the consent."""
    consent = record_consent(client, story, "identity", "health", confirmed=False)
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert BACK_PAIN in page
    assert "Leinonen" not in page
    log_in(client, story.users["te_expert"])
    detail = client.get(reverse("consents:detail", args=[consent.pk])).content.decode()
    assert "Odottaa organisaatiosi vahvistusta" in detail
    client.post(reverse("consents:confirm", args=[consent.pk]))
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "Leinonen" in page and BACK_PAIN in page


def test_with_consent_kela_sees_health_data_and_only_the_consented_categories(client, story):
    record_consent(client, story, "identity", "health")
    log_in(client, story.users["kela_expert"])
    seen = what_kela_sees(client, story)
    for place in ("page", "pdf", "csv"):
        assert BACK_PAIN in seen[place], place
        assert JOB_SEARCH not in seen[place], place
    assert "Leinonen" in seen["page"] and "Leinonen" in seen["pdf"]
    assert seen["search"] == [story.tiina.pk]


def test_revocation_takes_effect_on_the_very_next_request(client, story):
    consent = record_consent(client, story, "identity", "health")
    kela = client.__class__()
    log_in(kela, story.users["kela_expert"])
    page = reverse("clients:detail", args=[story.tiina.pk])
    assert BACK_PAIN in kela.get(page).content.decode()

    response = client.post(reverse("consents:revoke", args=[consent.pk]),
                           {"reason": "Asiakas perui suostumuksen puhelimessa"})
    assert response.status_code == 302
    assert BACK_PAIN not in kela.get(page).content.decode()
    assert BACK_PAIN not in pdf_text(kela.get(reverse("clients:summary_pdf",
                                                      args=[story.tiina.pk])))


def test_a_disclosure_ban_on_kela_hides_the_data_even_while_a_consent_exists(client, story):
    record_consent(client, story, "identity", "health")
    response = client.post(reverse("consents:ban_create", args=[story.tiina.pk]),
                           {"organisation": story.kela.pk, "sector": "", "reason": ""})
    assert response.status_code == 302
    assert Consent.objects.get().is_valid_on(Consent.objects.get().valid_from)
    log_in(client, story.users["kela_expert"])
    seen = what_kela_sees(client, story)
    for place in ("page", "pdf", "csv"):
        assert BACK_PAIN not in seen[place], place
    assert seen["search"] == []


def test_a_ban_on_a_whole_sector_also_overrides_the_consent(client, story):
    record_consent(client, story, "identity", "health")
    client.post(reverse("consents:ban_create", args=[story.tiina.pk]),
                {"organisation": "", "sector": "kela", "reason": ""})
    log_in(client, story.users["kela_expert"])
    assert BACK_PAIN not in what_kela_sees(client, story)["page"]


def test_lifting_the_ban_gives_the_consent_back_its_effect(client, story):
    record_consent(client, story, "identity", "health")
    client.post(reverse("consents:ban_create", args=[story.tiina.pk]),
                {"organisation": story.kela.pk, "sector": "", "reason": ""})
    ban = story.tiina.disclosure_bans.get()
    assert client.get(reverse("consents:ban_lift", args=[ban.pk])).status_code == 200
    assert story.tiina.disclosure_bans.in_force().exists()  # asking changes nothing
    client.post(reverse("consents:ban_lift", args=[ban.pk]))
    log_in(client, story.users["kela_expert"])
    assert BACK_PAIN in what_kela_sees(client, story)["page"]


def test_the_writing_organisation_always_sees_its_own_records(client, story):
    # The nurse's organisation wrote the health note: its doctor needs no consent.
    log_in(client, story.users["doctor"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert BACK_PAIN in page
    assert JOB_SEARCH not in page  # the TE expert's note needs a consent for health


def test_a_consent_covers_a_whole_sector(client, story):
    log_in(client, story.users["nurse"])
    client.post(reverse("consents:create", args=[story.tiina.pk]), {
        "categories": ["identity", "health"], "recipient_sectors": ["kela"],
        "purpose": "Kelan kuntoutus", "method": "verbal", "heard_by": story.users["nurse"].pk,
        "valid_from": "2026-01-01",
    })
    log_in(client, story.users["kela_expert"])
    assert BACK_PAIN in what_kela_sees(client, story)["page"]


def test_someone_off_the_team_sees_nothing_even_with_a_consent(client, story, demo):
    record_consent(client, story, "identity", "health")
    remove_from_team(client=story.tiina, user=demo["kela_expert"], by=demo["nurse"])
    log_in(client, demo["kela_expert"])
    assert client.get(reverse("clients:detail", args=[story.tiina.pk])).status_code == 404


def test_every_read_is_in_the_access_log(client, story):
    record_consent(client, story, "identity", "health")
    kela = story.users["kela_expert"]
    log_in(client, kela)
    what_kela_sees(client, story)
    rows = AccessLogEntry.objects.filter(user=kela, client=story.tiina)
    actions = set(rows.values_list("action", flat=True))
    assert {Action.CLIENT_PAGE, Action.SUMMARY_PDF, Action.NOTES_CSV,
            Action.CLIENT_LIST} <= actions
    page_row = rows.filter(action=Action.CLIENT_PAGE).latest("at")
    assert page_row.categories == ["identity", "health"]
    assert page_row.organisation == story.kela
    assert page_row.role == "kela_expert"
    assert page_row.ip_address == "127.0.0.1"


def test_what_is_not_shown_is_not_logged_as_seen(client, story):
    kela = story.users["kela_expert"]
    log_in(client, kela)
    client.get(reverse("clients:detail", args=[story.tiina.pk]))
    assert all("health" not in row.categories for row in AccessLogEntry.objects.filter(user=kela))


def test_disclosures_to_kela_are_logged_with_the_consent_as_legal_basis(client, story):
    consent = record_consent(client, story, "identity", "health")
    log_in(client, story.users["kela_expert"])
    client.get(reverse("clients:summary_pdf", args=[story.tiina.pk]))
    health, employment = (
        DisclosureLogEntry.objects.get(action=Action.SUMMARY_PDF, source_organisation=source)
        for source in (story.health, story.employment)
    )
    assert health.recipient_organisation == employment.recipient_organisation == story.kela
    assert health.consent == employment.consent == consent
    assert health.categories == ["health"]  # the nurse's note
    assert employment.categories == ["identity"]  # Tiina's card, which employment wrote


def test_no_disclosure_is_logged_within_the_writing_organisation(client, story):
    log_in(client, story.users["nurse"])
    client.get(reverse("clients:detail", args=[story.tiina.pk]))
    assert not DisclosureLogEntry.objects.filter(user=story.users["nurse"]).exists()


@pytest.mark.parametrize("name", ["clients:summary_pdf", "clients:notes_csv"])
def test_exports_are_not_cached(client, story, name):
    log_in(client, story.users["nurse"])
    response = client.get(reverse(name, args=[story.tiina.pk]))
    assert response["Cache-Control"] == "no-store"
    assert "Leinonen" not in response["Content-Disposition"]
