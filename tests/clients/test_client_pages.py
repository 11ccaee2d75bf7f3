"""The client page and the forms: validation in Finnish, nothing saved on bad input, history."""

import pytest
from django.urls import reverse

from clients.models import Client
from teams.models import Role
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff
from tests.utils import log_in


@pytest.fixture
def nurse(db):
    return staff(Role.NURSE)


def form_data(**overrides):
    municipality = MunicipalityFactory(name="Kajaani", code="205")
    return {
        "first_name": "Tiina", "last_name": "Leinonen", "hetu": "131052-308t",
        "municipality": municipality.pk, "language": "fi", "interpreter_language": "",
        "phone": "", "email": "", "street_address": "", "postal_code": "", "post_office": "",
        "own_nurse": "", **overrides,
    }


def test_adding_a_client_makes_them_a_client_of_my_organisation(client, nurse):
    organisation = nurse.memberships.get().organisation
    log_in(client, nurse)
    response = client.post(reverse("clients:create"),
                           form_data(organisation=organisation.pk, case_managers=[nurse.pk]))
    added = Client.objects.get()
    assert response.url == reverse("clients:detail", args=[added.pk])
    assert added.hetu == "131052-308T"
    assert str(added.date_of_birth) == "1952-10-13"
    assert list(added.organisations.all()) == [organisation]
    assert [a.user for a in added.case_manager_assignments.current()] == [nurse]


@pytest.mark.parametrize(
    ("hetu", "message"),
    [
        ("131052-308U", "tarkistemerkki"),
        ("310252-308T", "päivämäärä"),
        ("131052308T", "muodossa"),
    ],
)
def test_an_invalid_code_gets_a_finnish_error_and_nothing_is_saved(client, nurse, hetu, message):
    log_in(client, nurse)
    organisation = nurse.memberships.get().organisation
    response = client.post(reverse("clients:create"),
                           form_data(hetu=hetu, organisation=organisation.pk))
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert not Client.objects.exists()


def test_a_code_already_in_use_gets_the_same_answer_and_shows_only_what_was_typed(
    client, nurse
):
    """No existence oracle: the form answers a known code as it answers a new one, and the
    organisation sees the card it typed — not the other organisation's."""
    writer = OrganisationFactory(name="Työllisyyspalvelut")
    existing = ClientFactory(hetu="131052-308T", first_name="Tiina", last_name="Leinonen",
                             phone="040 111 2222", organisations=[writer])
    organisation = nurse.memberships.get().organisation
    log_in(client, nurse)
    new = client.post(reverse("clients:create"), form_data(
        hetu="010190-999W", organisation=organisation.pk, case_managers=[nurse.pk]), follow=True)
    known = client.post(reverse("clients:create"), form_data(
        first_name="Tiina", last_name="Virtanen", organisation=organisation.pk,
        case_managers=[nurse.pk]), follow=True)
    assert [r[1] for r in new.redirect_chain] == [r[1] for r in known.redirect_chain] == [302]
    assert "Asiakas lisätty." in new.content.decode() and "Asiakas lisätty." in (
        known.content.decode())
    page = known.content.decode()
    assert known.redirect_chain[0][0] == reverse("clients:detail", args=[existing.pk])
    assert "Virtanen" in page and "Leinonen" not in page and "040 111 2222" not in page
    assert Client.objects.filter(hetu="131052-308T").count() == 1
    relationship = existing.relationships.get(organisation=organisation)
    assert (relationship.basis, relationship.last_name) == ("visit", "Virtanen")


def test_the_same_date_and_number_with_another_century_sign_is_another_person(client, nurse):
    ClientFactory(hetu="010190-999W")
    log_in(client, nurse)
    organisation = nurse.memberships.get().organisation
    client.post(reverse("clients:create"),
                form_data(hetu="010190Y999W", organisation=organisation.pk,
                          case_managers=[nurse.pk]))
    assert set(Client.objects.values_list("hetu", flat=True)) == {"010190-999W", "010190Y999W"}


def test_editing_records_history_with_the_acting_user(client, nurse):
    organisation = nurse.memberships.get().organisation
    tiina = ClientFactory(organisations=[organisation], hetu="131052-308T")
    log_in(client, nurse)
    response = client.post(reverse("clients:edit", args=[tiina.pk]),
                           form_data(phone="040 123 4567", case_managers=[nurse.pk]))
    assert response.status_code == 302
    latest = tiina.history.latest()
    assert latest.phone == "040 123 4567"
    assert latest.history_user == nurse
    assignment = tiina.case_manager_assignments.get()
    assert assignment.history.latest().history_user == nurse


def test_replacing_a_case_manager_ends_their_period_and_keeps_it(client, nurse):
    organisation = nurse.memberships.get().organisation
    colleague = staff(Role.NURSE, organisation=organisation)
    tiina = ClientFactory(organisations=[organisation], hetu="131052-308T")
    tiina.case_manager_assignments.create(user=nurse, assigned_by_organisation=organisation)
    log_in(client, nurse)
    client.post(reverse("clients:edit", args=[tiina.pk]),
                form_data(case_managers=[colleague.pk]))
    ended = tiina.case_manager_assignments.get(user=nurse)
    assert ended.ended_on is not None
    assert tiina.case_manager_assignments.get(user=colleague).organisation == organisation
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    assert "Aiemmat vastuuhenkilöt" in page


def test_an_open_client_cannot_be_left_without_a_case_manager(client, nurse):
    organisation = nurse.memberships.get().organisation
    tiina = ClientFactory(organisations=[organisation], hetu="131052-308T")
    tiina.case_manager_assignments.create(user=nurse, assigned_by_organisation=organisation)
    log_in(client, nurse)
    response = client.post(reverse("clients:edit", args=[tiina.pk]),
                           form_data(case_managers=[]))
    assert "Avoimella asiakkaalla on aina oltava vastuuhenkilö." in response.content.decode()
    assert tiina.case_manager_assignments.current().get().user == nurse


def test_the_client_page_shows_identity_and_who_is_responsible(client, demo):
    tiina = Client.objects.get(first_name="Tiina")
    log_in(client, demo["te_expert"])  # employment services wrote Tiina's card
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    assert tiina.hetu in page
    assert "Tuomas Huttunen" in page  # the TE expert is her case manager
    assert "Nina Korhonen" in page    # and the nurse her own nurse


def test_the_page_title_does_not_carry_the_clients_name(client, demo):
    tiina = Client.objects.get(first_name="Tiina")
    log_in(client, demo["nurse"])
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Tiina" not in title


@pytest.mark.parametrize("page", ["clients:detail", "clients:edit", "clients:create"])
def test_page_query_counts_do_not_grow_with_clients(client, db, count_queries, page):
    nurse = staff(Role.NURSE)
    organisation = nurse.memberships.get().organisation
    first = ClientFactory(organisations=[organisation])
    first.case_manager_assignments.create(user=nurse)
    ClientFactory.create_batch(9, organisations=[organisation])
    log_in(client, nurse)
    url = reverse(page) if page == "clients:create" else reverse(page, args=[first.pk])
    with_10 = count_queries(client, url)
    ClientFactory.create_batch(90, organisations=[organisation])
    assert count_queries(client, url) == with_10
