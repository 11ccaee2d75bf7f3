"""Recording and revoking consents: clear Finnish errors, nothing saved on bad input."""

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consents.models import Consent, DisclosureBan
from tests.utils import log_in


def post_consent(client, story, **overrides):
    data = {
        "categories": ["health"], "recipient_organisations": [story.kela.pk],
        "purpose": "Kuntoutuksen suunnittelu", "method": "written",
        "valid_from": "2026-11-01", "valid_until": "", **overrides,
    }
    return client.post(reverse("consents:create", args=[story.tiina.pk]), data)


@pytest.fixture
def nurse_client(client, story):
    log_in(client, story.users["nurse"])
    return client


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"method": "verbal"}, "Nimeä henkilö, joka kuuli suullisen suostumuksen."),
        ({"recipient_organisations": []}, "Valitse vähintään yksi vastaanottava"),
        ({"categories": []}, "Tämä kenttä vaaditaan."),
        ({"valid_until": "2026-10-01"}, "Suostumus ei voi päättyä ennen kuin se alkaa."),
        ({"valid_from": "2026-01-01", "valid_until": "2026-02-01"}, "Päättymispäivä on jo ohi."),
        ({"valid_from": "1.11.2026x"}, "Syötä oikea päivämäärä."),
    ],
)
def test_bad_input_gets_a_finnish_error_and_saves_nothing(nurse_client, story, overrides,
                                                         message):
    response = post_consent(nurse_client, story, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_a_verbal_consent_records_who_heard_it(nurse_client, story):
    post_consent(nurse_client, story, method="verbal", heard_by=story.users["nurse"].pk)
    consent = Consent.objects.get()
    assert consent.heard_by == story.users["nurse"]
    assert consent.recorded_by == story.users["nurse"]
    assert consent.history.latest().history_user == story.users["nurse"]


def test_revoking_asks_first_and_needs_a_reason(nurse_client, story):
    post_consent(nurse_client, story)
    consent = Consent.objects.get()
    url = reverse("consents:revoke", args=[consent.pk])
    assert "Perutaanko suostumus" in nurse_client.get(url).content.decode()
    response = nurse_client.post(url, {"reason": ""})
    assert "Tämä kenttä vaaditaan." in response.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_at is None
    nurse_client.post(url, {"reason": "Asiakas perui"})
    consent.refresh_from_db()
    assert consent.revoked_by == story.users["nurse"]
    assert consent.revocation_reason == "Asiakas perui"


def test_a_disclosure_ban_needs_exactly_one_target(nurse_client, story):
    url = reverse("consents:ban_create", args=[story.tiina.pk])
    both = nurse_client.post(url, {"organisation": story.kela.pk, "sector": "kela"})
    neither = nurse_client.post(url, {"organisation": "", "sector": ""})
    for response in (both, neither):
        assert "Valitse joko organisaatio tai sektori." in response.content.decode()
    assert not DisclosureBan.objects.exists()


def test_expiring_and_expired_consents_show_on_the_client_page(nurse_client, story):
    from datetime import date, timedelta

    from consents.services import record_consent

    today = date.today()
    for until in (today + timedelta(days=10), today - timedelta(days=1)):
        record_consent(client=story.tiina, by=story.users["nurse"], categories=["health"],
                       organisations=[story.kela], purpose="x", method="written",
                       valid_from=today - timedelta(days=30), valid_until=until)
    page = nurse_client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "päättyy pian" in page
    assert "Päättyneet tai perutut" in page


def test_the_consent_prints_as_an_accessible_pdf_for_signing(nurse_client, story):
    post_consent(nurse_client, story)
    consent = Consent.objects.get()
    response = nurse_client.get(reverse("consents:pdf", args=[consent.pk]))
    reader = PdfReader(__import__("io").BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Tiina Leinonen" in text
    assert "Terveys" in text
    assert "Asiakkaan allekirjoitus" in text
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged: PDF/UA
    assert reader.trailer["/Root"]["/Lang"] == "fi"


def test_only_the_clients_own_organisations_record_consents(client, story):
    log_in(client, story.users["kela_expert"])
    assert client.get(reverse("consents:create", args=[story.tiina.pk])).status_code == 403
