"""
Consents and disclosure bans by the client, in Oma Työkyky (issue 17), told through the views:
what Tiina gives, confirms, narrows or revokes in her own service takes effect for the Kela
expert on his next request; a ban she records hides her data from Kela at once.
"""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from clients.models import Client
from consents.models import Consent, DisclosureBan
from consents.services import (
    give_consent_as_client,
    record_consent,
    record_disclosure_ban_as_client,
)
from tests.stories import BACK_PAIN, HEALTH_MARKERS, JOB_SEARCH
from tests.utils import log_in, log_in_as_client

pytestmark = pytest.mark.django_db


def kela_page(story) -> tuple[int, str]:
    """The Kela expert opens Tiina's client page in a session of his own."""
    kela = Browser()
    log_in(kela, story.users["kela_expert"])
    response = kela.get(reverse("clients:detail", args=[story.tiina.pk]))
    return response.status_code, response.content.decode()


def nurse_consent_for_kela(story, categories=("identity", "health")) -> Consent:
    """Health care records Tiina's consent for Kela; its own data opens at once."""
    return record_consent(client=story.tiina, by=story.users["nurse"], categories=categories,
                          organisations=[story.kela], purpose="Kuntoutus", method="written",
                          valid_from="2026-01-01")


def as_tiina(client, story):
    log_in_as_client(client, story.tiina)
    return client


def test_the_client_revokes_a_consent_and_kela_loses_access_on_its_next_request(client, story):
    consent = nurse_consent_for_kela(story)
    assert BACK_PAIN in kela_page(story)[1]
    as_tiina(client, story)
    # First the question, on a page of its own; nothing changes yet.
    assert client.get(reverse("oma:consent_revoke", args=[consent.pk])).status_code == 200
    assert Consent.objects.get(pk=consent.pk).revoked_at is None
    response = client.post(reverse("oma:consent_revoke", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at and consent.revoked_by_client and consent.revoked_by is None
    page = kela_page(story)[1]
    assert [marker for marker in HEALTH_MARKERS if marker in page] == []


def test_a_consent_the_client_gives_opens_the_data_to_the_organisation_at_once(client, story):
    assert BACK_PAIN not in kela_page(story)[1]
    as_tiina(client, story)
    response = client.post(reverse("oma:consent_give"), {
        "categories": ["identity", "health"], "recipient_organisations": [story.kela.pk],
        "purpose": "Kuntoutuksen suunnittelu", "valid_from": "2026-12-02", "valid_until": "",
    })
    assert response.status_code == 302, response.context["form"].errors
    consent = Consent.objects.get(client=story.tiina)
    assert consent.given_by_client and consent.recorded_by is None
    assert consent.method == "electronic" and consent.confirmed_by_client_at
    # No organisation confirmed it: the client's own consent opens health care's data.
    status, page = kela_page(story)
    assert status == 200 and BACK_PAIN in page and "Leinonen" in page


def test_staff_pages_say_the_client_gave_the_consent_themself(client, story):
    consent = give_consent_as_client(client=story.tiina, categories=["health"],
                                     organisations=[story.kela], purpose="Kuntoutus",
                                     valid_from=story.tiina.created_at.date())
    log_in(client, story.users["te_expert"])
    page = client.get(reverse("consents:detail", args=[consent.pk])).content.decode()
    assert "asiakas itse" in page


def test_the_client_confirms_a_consent_staff_recorded_and_every_organisations_data_opens(
        client, story):
    consent = nurse_consent_for_kela(story, categories=("identity", "employment", "health"))
    # Employment services, the controller of its note, has not confirmed: closed to Kela.
    assert JOB_SEARCH not in kela_page(story)[1]
    as_tiina(client, story)
    assert client.get(reverse("oma:consent_confirm", args=[consent.pk])).status_code == 200
    assert client.post(reverse("oma:consent_confirm", args=[consent.pk])).status_code == 302
    assert JOB_SEARCH in kela_page(story)[1]
    log_in(client, story.users["nurse"])
    page = client.get(reverse("consents:detail", args=[consent.pk])).content.decode()
    # "every organisation's: the client confirmed the consent themself", in Finnish
    assert "asiakas vahvisti suostumuksen itse" in page


def test_the_client_narrows_a_consent_the_old_one_is_revoked_and_kept(client, story):
    consent = nurse_consent_for_kela(story)
    as_tiina(client, story)
    client.post(reverse("oma:consent_confirm", args=[consent.pk]))
    response = client.post(reverse("oma:consent_narrow", args=[consent.pk]), {
        "categories": ["identity"], "recipient_organisations": [story.kela.pk],
        "valid_until": "2027-06-30",
    })
    assert response.status_code == 302, response.context["form"].errors
    consent.refresh_from_db()
    narrower = Consent.objects.get(replaces=consent)
    assert consent.revoked_at and consent.revoked_by_client
    assert [c.value for c in narrower.categories] == ["identity"]
    assert narrower.given_by_client and str(narrower.valid_until) == "2027-06-30"
    page = kela_page(story)[1]
    assert BACK_PAIN not in page and "Leinonen" in page


def test_narrowing_cannot_widen_a_consent(client, story):
    consent = give_consent_as_client(client=story.tiina, categories=["identity", "health"],
                                     organisations=[story.kela], purpose="Kuntoutus",
                                     valid_from=story.tiina.created_at.date())
    as_tiina(client, story)
    response = client.post(reverse("oma:consent_narrow", args=[consent.pk]), {
        "categories": ["identity", "social"], "recipient_organisations": [story.kela.pk],
        "recipient_sectors": ["typ"],
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "categories" in errors and "recipient_sectors" in errors
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_narrowing_a_staff_consent_she_has_not_confirmed_is_refused_and_opens_nothing(
        client, story):
    """Narrowing makes the consent the client's own, which opens every organisation's data:
    from a staff consent she has not confirmed it would open more, so it is refused."""
    consent = record_consent(client=story.tiina, by=story.users["te_expert"],
                             categories=["identity", "health", "employment", "social"],
                             organisations=[story.kela], purpose="Kuntoutus", method="written",
                             valid_from="2026-01-01")
    page = kela_page(story)[1]
    assert JOB_SEARCH in page and BACK_PAIN not in page  # employment's data only
    as_tiina(client, story)
    # Her list offers confirming and revoking it, not narrowing.
    listing = client.get(reverse("oma:consents")).content.decode()
    assert reverse("oma:consent_confirm", args=[consent.pk]) in listing
    assert reverse("oma:consent_narrow", args=[consent.pk]) not in listing
    # The page says why, with no form to send.
    response = client.get(reverse("oma:consent_narrow", args=[consent.pk]))
    assert response.status_code == 200 and response.context["form"] is None
    content = response.content.decode()
    assert 'id="narrow-refused"' in content and 'name="categories"' not in content
    assert reverse("oma:consent_confirm", args=[consent.pk]) in content
    # Sent anyway: refused, said so, and nothing changes.
    response = client.post(reverse("oma:consent_narrow", args=[consent.pk]), {
        "categories": ["identity", "health", "employment"],
        "recipient_organisations": [story.kela.pk],
    }, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    consent.refresh_from_db()
    assert consent.revoked_at is None and consent.confirmed_by_client_at is None
    assert Consent.objects.filter(client=story.tiina).count() == 1
    page = kela_page(story)[1]
    assert JOB_SEARCH in page and BACK_PAIN not in page


def test_a_ban_the_client_records_hides_her_data_from_the_organisation_at_once(client, story):
    nurse_consent_for_kela(story)
    assert BACK_PAIN in kela_page(story)[1]
    as_tiina(client, story)
    choice = {"organisation": story.kela.pk, "sector": ""}
    # The first POST only asks "are you sure?": no ban yet.
    response = client.post(reverse("oma:ban_create"), choice)
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert not DisclosureBan.objects.filter(client=story.tiina).exists()
    assert client.post(reverse("oma:ban_create"), {**choice, "confirm": "yes"}).status_code == 302
    ban = DisclosureBan.objects.get(client=story.tiina)
    assert ban.recorded_by_client and ban.recorded_by is None
    page = kela_page(story)[1]
    assert BACK_PAIN not in page and "Leinonen" not in page
    # Staff see that the client recorded it herself.
    log_in(client, story.users["nurse"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert str(story.kela) in page
    # She lifts it (after the question), and Kela sees what the consent allows again.
    as_tiina(client, story)
    assert client.get(reverse("oma:ban_lift", args=[ban.pk])).status_code == 200
    assert client.post(reverse("oma:ban_lift", args=[ban.pk])).status_code == 302
    assert BACK_PAIN in kela_page(story)[1]


def test_a_sector_ban_by_the_client_covers_every_organisation_of_the_sector(client, story):
    nurse_consent_for_kela(story)
    as_tiina(client, story)
    client.post(reverse("oma:ban_create"), {"organisation": "", "sector": "kela",
                                            "confirm": "yes"})
    assert BACK_PAIN not in kela_page(story)[1]


def test_the_client_cannot_lift_a_ban_staff_recorded(client, story):
    log_in(client, story.users["nurse"])
    client.post(reverse("consents:ban_create", args=[story.tiina.pk]),
                {"organisation": story.kela.pk, "sector": "", "reason": ""})
    ban = DisclosureBan.objects.get(client=story.tiina)
    as_tiina(client, story)
    assert client.post(reverse("oma:ban_lift", args=[ban.pk])).status_code == 404
    assert DisclosureBan.objects.get(pk=ban.pk).lifted_at is None


def test_bad_input_gives_form_errors_and_records_nothing(client, story):
    as_tiina(client, story)
    response = client.post(reverse("oma:consent_give"), {
        "categories": [], "recipient_organisations": [], "purpose": "",
        "valid_from": "2027-03-01", "valid_until": "2027-02-01",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"categories", "recipient_organisations", "purpose", "valid_until"} <= set(errors)
    response = client.post(reverse("oma:ban_create"), {"organisation": story.kela.pk,
                                                       "sector": "kela", "confirm": "yes"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Consent.objects.filter(client=story.tiina).exists()
    assert not DisclosureBan.objects.filter(client=story.tiina).exists()


def test_a_consent_cannot_be_revoked_twice(client, story):
    consent = nurse_consent_for_kela(story)
    as_tiina(client, story)
    client.post(reverse("oma:consent_revoke", args=[consent.pk]), follow=True)
    response = client.post(reverse("oma:consent_revoke", args=[consent.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_organisations_to_choose_are_named_and_no_staff_are(client, story):
    as_tiina(client, story)
    page = client.get(reverse("oma:consent_give")).content.decode()
    assert str(story.kela) in page
    for user in story.users.values():
        assert user.get_full_name() not in page


def test_the_consents_page_lists_her_consents_and_bans(client, story):
    consent = nurse_consent_for_kela(story)
    record_disclosure_ban_as_client(client=story.tiina, sector="typ")
    as_tiina(client, story)
    page = client.get(reverse("oma:consents")).content.decode()
    assert reverse("oma:consent_confirm", args=[consent.pk]) in page
    assert reverse("oma:consent_revoke", args=[consent.pk]) in page
    assert "Kuntoutus" in page
    assert story.users["nurse"].get_full_name() not in page


def test_the_consents_page_does_the_same_queries_for_more_consents(client, story,
                                                                   count_queries):
    as_tiina(client, story)
    url = reverse("oma:consents")
    nurse_consent_for_kela(story)
    few = count_queries(client, url)
    for _ in range(5):
        nurse_consent_for_kela(story)
        record_disclosure_ban_as_client(client=story.tiina, organisation=story.kela)
        DisclosureBan.objects.filter(client=story.tiina).update(lifted_at="2026-06-01T00:00Z",
                                                                lifted_by_client=True)
    assert count_queries(client, url) == few


# --- Attackers ----------------------------------------------------------------------------------

def as_petri(client):
    log_in_as_client(client, Client.objects.get(first_name="Petri"))
    return client


@pytest.mark.parametrize("name", ["oma:consent_revoke", "oma:consent_confirm",
                                  "oma:consent_narrow"])
def test_another_client_cannot_touch_tiinas_consent(client, story, name):
    consent = nurse_consent_for_kela(story)
    as_petri(client)
    url = reverse(name, args=[consent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"categories": ["identity"],
                             "recipient_organisations": [story.kela.pk]}).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None and consent.confirmed_by_client_at is None
    assert Consent.objects.count() == 1


def test_another_client_cannot_lift_tiinas_ban_nor_see_her_consents(client, story):
    ban = record_disclosure_ban_as_client(client=story.tiina, organisation=story.kela)
    nurse_consent_for_kela(story)
    as_petri(client)
    assert client.post(reverse("oma:ban_lift", args=[ban.pk])).status_code == 404
    assert DisclosureBan.objects.get(pk=ban.pk).lifted_at is None
    page = client.get(reverse("oma:consents")).content.decode()
    assert "Kuntoutus" not in page and str(story.kela) not in page


def test_staff_and_anonymous_meet_the_client_login(client, story):
    consent = nurse_consent_for_kela(story)
    url = reverse("oma:consent_revoke", args=[consent.pk])
    assert client.post(url)["Location"].startswith(reverse("oma:login"))
    log_in(client, story.users["nurse"])
    assert client.post(url)["Location"].startswith(reverse("oma:login"))
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_a_client_session_cannot_use_the_staff_consent_pages(client, story):
    consent = nurse_consent_for_kela(story)
    as_tiina(client, story)
    response = client.post(reverse("consents:revoke", args=[consent.pk]), {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Consent.objects.get(pk=consent.pk).revoked_at is None
