"""The client list: who sees whom, searches kept out of URLs, constant queries."""

import re

import pytest
from django.urls import reverse

from clients.models import Client, ClientStatus
from teams.models import Role
from tests.factories import ClientFactory, MunicipalityFactory, staff
from tests.utils import log_in

LIST = reverse("clients:list")

# DESIGN.md's workshop clients and the organisations that serve them in the demo data.
EXPECTED_BY_ROLE = {
    "coordinator": {"Petri", "Tiina", "Nadina"},
    "nurse": {"Petri", "Tiina", "Nadina"},
    "doctor": {"Petri", "Tiina", "Nadina"},
    "te_expert": {"Saara", "Petri", "Tiina", "Nadina"},
    "kela_expert": set(),
    "typ_expert": {"Jaakko"},
    "social_worker": {"Mari"},
    "admin": set(),
}


def shown_first_names(response):
    return {client.first_name for client in response.context["page"]}


@pytest.mark.parametrize(("username", "expected"), EXPECTED_BY_ROLE.items())
def test_each_demo_role_sees_only_permitted_clients(client, demo, username, expected):
    log_in(client, demo[username])
    response = client.get(LIST)
    assert response.status_code == 200
    assert shown_first_names(response) == expected


def test_the_list_masks_personal_identity_codes(client, demo):
    log_in(client, demo["nurse"])
    response = client.get(LIST)
    content = response.content.decode()
    for shown in response.context["page"]:
        assert shown.hetu not in content
        assert shown.masked_hetu in content


def search(client, **data):
    fields = {"q": "", "municipality": "", "case_manager": "", "status": "active", **data}
    return client.post(LIST, fields)


def test_search_by_name_redirects_to_a_key_without_the_name(client, demo):
    log_in(client, demo["te_expert"])
    response = search(client, q="leinonen")
    assert response.status_code == 302
    assert "leinonen" not in response.url.lower()
    assert shown_first_names(client.get(response.url)) == {"Tiina"}


def test_search_by_the_end_of_the_code(client, demo):
    log_in(client, demo["te_expert"])
    tiina = Client.objects.get(first_name="Tiina")
    response = search(client, q=tiina.hetu_ending.lower())
    assert shown_first_names(client.get(response.url)) == {"Tiina"}


def test_search_by_the_whole_code_opens_the_client_and_keeps_the_code_out_of_the_url(
    client, demo
):
    log_in(client, demo["nurse"])
    tiina = Client.objects.get(first_name="Tiina")
    response = search(client, q=tiina.hetu.lower())
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[tiina.pk])


def test_search_by_the_whole_code_of_someone_elses_client_reveals_nothing(client, demo):
    log_in(client, demo["kela_expert"])
    tiina = Client.objects.get(first_name="Tiina")
    response = search(client, q=tiina.hetu)
    assert response.url == LIST
    assert "tällä henkilötunnuksella" in client.get(LIST).content.decode().lower()


def test_a_mistyped_whole_code_gets_a_finnish_error(client, demo):
    log_in(client, demo["nurse"])
    response = search(client, q="131052-308U")
    assert response.status_code == 200
    assert "tarkistemerkki" in response.content.decode().lower()


def test_filters_by_municipality_case_manager_and_status(client, demo):
    log_in(client, demo["te_expert"])
    sotkamo = MunicipalityFactory(name="Sotkamo")
    assert shown_first_names(client.get(search(client, municipality=sotkamo.pk).url)) == {"Petri"}
    by_coordinator = search(client, case_manager=demo["coordinator"].pk)
    assert shown_first_names(client.get(by_coordinator.url)) == {"Petri", "Nadina"}
    saara = Client.objects.get(first_name="Saara")
    saara.status = ClientStatus.CLOSED
    saara.save()
    assert "Saara" not in shown_first_names(client.get(LIST))
    assert shown_first_names(client.get(search(client, status="closed").url)) == {"Saara"}
    assert "Saara" in shown_first_names(client.get(search(client, status="all").url))


def test_an_unknown_search_key_shows_the_default_list(client, demo):
    log_in(client, demo["social_worker"])
    assert shown_first_names(client.get(LIST + "?search=nonexistent")) == {"Mari"}


def test_the_list_is_paginated_and_pages_keep_the_search(client, db):
    nurse = staff(Role.NURSE)
    organisation = nurse.memberships.get().organisation
    ClientFactory.create_batch(30, organisations=[organisation], first_name="Matti")
    log_in(client, nurse)
    key_url = search(client, q="matti").url
    first = client.get(key_url)
    assert len(first.context["page"]) == 25
    next_url = first.context["next_url"]
    assert next_url.startswith(key_url + "&after=")
    assert next_url.replace("&", "&amp;") in first.content.decode()
    second = client.get(next_url)
    assert len(second.context["page"]) == 5
    assert second.context["next_url"] is None


def test_empty_result_tells_what_to_do_next(client, db):
    log_in(client, staff(Role.NURSE))
    content = client.get(LIST).content.decode()
    assert "Lisää asiakas" in content
    assert "0 asiakasta" in content


def test_list_query_count_does_not_grow_with_clients(client, db, count_queries):
    nurse = staff(Role.NURSE)
    organisation = nurse.memberships.get().organisation
    case_manager = staff(Role.EMPLOYMENT_EXPERT)
    log_in(client, nurse)

    def add(n):
        for new in ClientFactory.create_batch(n, organisations=[organisation]):
            new.case_manager_assignments.create(user=case_manager)

    add(10)
    with_10 = count_queries(client, LIST)
    add(90)
    assert count_queries(client, LIST) == with_10


def test_the_case_manager_filter_lists_the_people_who_matter_not_the_whole_country(client, demo):
    stranger = staff(Role.NURSE, first_name="Vieras", last_name="Hoitaja")  # another organisation
    log_in(client, demo["te_expert"])
    html = client.get(LIST).content.decode()
    page = re.search(r'<select name="case_manager".*?</select>', html, re.S).group(0)
    assert f'value="{demo["coordinator"].pk}"' in page  # case manager of clients served here
    assert f'value="{demo["te_expert"].pk}"' in page  # a colleague (the user)
    assert f'value="{stranger.pk}"' not in page
