"""
Who has viewed my data (issue 17): the client sees the reads of her data by organisation and
role with dates and kinds of data, and the disclosures between organisations — never the
names of the staff, and not her own visits.
"""

from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from consents.models import AccessLogEntry, Action
from consents.services import record_consent
from teams.choices import Role
from tests.utils import log_in, log_in_as_client

pytestmark = pytest.mark.django_db

KELA_EXPERT_NAME = ("Kirsi", "Pulkkinen")  # the demo's Kela expert (seed_demo.USERS)


def kela_reads_tiinas_page(story):
    record_consent(client=story.tiina, by=story.users["nurse"], categories=["identity", "health"],
                   organisations=[story.kela], purpose="Kuntoutus", method="written",
                   valid_from="2026-01-01")
    kela = Browser()
    log_in(kela, story.users["kela_expert"])
    assert kela.get(reverse("clients:detail", args=[story.tiina.pk])).status_code == 200


def test_the_kela_experts_read_shows_by_organisation_and_role_not_by_name(client, story):
    kela_reads_tiinas_page(story)
    log_in_as_client(client, story.tiina)
    response = client.get(reverse("oma:who_viewed"))
    page = response.content.decode()
    assert response.status_code == 200
    assert str(story.kela) in page
    assert str(Role.KELA_EXPERT.label) in page
    viewing = response.context["viewings"][0]
    assert (viewing.organisation, viewing.role) == (str(story.kela),
                                                    str(Role.KELA_EXPERT.label))
    assert viewing.action == str(Action.CLIENT_PAGE.label)
    for name in KELA_EXPERT_NAME:
        assert name in story.users["kela_expert"].get_full_name()
        assert name not in page
    # Health care's data went to Kela under the consent: the disclosure shows both.
    disclosure = response.context["disclosures"][0]
    assert (disclosure.source, disclosure.recipient) == (str(story.health), str(story.kela))


def test_the_client_does_not_see_her_own_reads(client, story):
    log_in_as_client(client, story.tiina)
    client.get(reverse("oma:home"))
    client.get(reverse("oma:consents"))
    assert AccessLogEntry.objects.filter(client=story.tiina, by_client=True).exists()
    staff_reads = AccessLogEntry.objects.filter(client=story.tiina, by_client=False).count()
    response = client.get(reverse("oma:who_viewed"))
    assert len(response.context["viewings"]) == staff_reads


def test_the_page_states_the_rule_about_names(client, story):
    log_in_as_client(client, story.tiina)
    page = client.get(reverse("oma:who_viewed")).content.decode()
    assert "tietosuojavastaava" in page.lower() or "data protection officer" in page


def many_reads(story, count):
    kela = story.users["kela_expert"]
    start = timezone.now() - timedelta(days=count)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(client=story.tiina, user=kela, organisation=story.kela,
                       role=Role.KELA_EXPERT, categories=["health"],
                       action=Action.CLIENT_PAGE, at=start + timedelta(days=day))
        for day in range(count))


def test_fifty_reads_a_page(client, story):
    many_reads(story, 60)
    log_in_as_client(client, story.tiina)
    first = client.get(reverse("oma:who_viewed"))
    assert len(first.context["viewings"]) == 50
    second = client.get(reverse("oma:who_viewed"), {"page": 2})
    assert len(second.context["viewings"]) == 10
    assert client.get(reverse("oma:who_viewed"), {"page": "x' OR 1=1"}).status_code == 200


def test_the_page_does_the_same_queries_for_more_reads(client, story, count_queries):
    log_in_as_client(client, story.tiina)
    many_reads(story, 3)
    few = count_queries(client, reverse("oma:who_viewed"))
    many_reads(story, 40)
    assert count_queries(client, reverse("oma:who_viewed")) == few


def test_another_client_does_not_see_tiinas_log(client, story):
    kela_reads_tiinas_page(story)
    log_in_as_client(client, Client.objects.get(first_name="Petri"))
    response = client.get(reverse("oma:who_viewed"))
    assert response.status_code == 200
    assert len(response.context["viewings"]) == 0
    assert len(response.context["disclosures"]) == 0
    assert "Leinonen" not in response.content.decode()


def test_staff_cannot_open_the_clients_log_page(client, story):
    log_in(client, story.users["kela_expert"])
    assert client.get(reverse("oma:who_viewed"))["Location"].startswith(reverse("oma:login"))
