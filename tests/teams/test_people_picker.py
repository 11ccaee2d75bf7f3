"""
The people pickers (teams/people.py): no page lists every care worker of the country; the
search answers at most twenty people the form would accept, to care staff only; without
JavaScript the "Search" button reloads the form with the matches and everything typed kept;
the form accepts any id its rule accepts, not only the ones shown.
"""

import pytest
from django.urls import reverse

from clients.models import Client
from teams.models import Role
from teams.people import MAX_MATCHES, REMOVE_BUTTON, SEARCH_BUTTON
from tests.factories import MunicipalityFactory, OrganisationFactory, staff
from tests.utils import log_in

SEARCH = reverse("people_search")


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def nurse(organisation):
    return staff(Role.NURSE, organisation=organisation, first_name="Noora",
                 last_name="Hoitaja")


@pytest.fixture
def many_virtanens(db):
    """More care workers by one name than a search shows, each in an organisation of its own."""
    return [staff(Role.SOCIAL_WORKER, first_name=f"Etu{n:02d}", last_name="Virtanen")
            for n in range(MAX_MATCHES + 5)]


def card(organisation, **overrides):
    municipality = MunicipalityFactory(name="Kajaani", code="205")
    return {
        "first_name": "Tiina", "last_name": "Leinonen", "hetu": "131052-308T",
        "municipality": municipality.pk, "language": "fi", "interpreter_language": "",
        "phone": "", "email": "", "street_address": "", "postal_code": "", "post_office": "",
        "own_nurse": "", "organisation": organisation.pk, **overrides,
    }


def options(response) -> int:
    return response.content.decode().count('role="option"')


def test_the_client_form_lists_nobody_until_searched(client, nurse, many_virtanens):
    log_in(client, nurse)
    content = client.get(reverse("clients:create")).content.decode()
    assert "Virtanen" not in content
    assert 'name="case_managers_q"' in content
    assert f'name="{SEARCH_BUTTON}" value="case_managers"' in content


def test_the_search_answers_at_most_twenty_by_name(client, nurse, many_virtanens):
    log_in(client, nurse)
    response = client.get(SEARCH, {"purpose": "care_staff", "q": "virta"})
    content = response.content.decode()
    assert options(response) == MAX_MATCHES
    assert content.index("Etu00 Virtanen") < content.index("Etu01 Virtanen")
    assert "Etu24" not in content


def test_every_word_typed_narrows_the_search(client, nurse, many_virtanens):
    log_in(client, nurse)
    response = client.get(SEARCH, {"purpose": "care_staff", "q": "virtanen etu07"})
    assert options(response) == 1
    assert "Etu07 Virtanen" in response.content.decode()


def test_one_letter_finds_nobody(client, nurse, many_virtanens):
    log_in(client, nurse)
    assert options(client.get(SEARCH, {"purpose": "care_staff", "q": "v"})) == 0


def test_the_search_finds_only_whom_the_purpose_accepts(client, nurse, organisation):
    staff(Role.ADMIN, organisation=organisation, first_name="Aatu", last_name="Hallinto")
    staff(Role.DOCTOR, organisation=organisation, first_name="Lea", last_name="Hallinto")
    left = staff(Role.NURSE, organisation=organisation, first_name="Into", last_name="Hallinto")
    left.memberships.update(is_active=False)
    log_in(client, nurse)
    care = client.get(SEARCH, {"purpose": "care_staff", "q": "hallinto"}).content.decode()
    assert "Lea Hallinto" in care
    assert "Aatu" not in care and "Into" not in care
    assert "Lea" not in client.get(SEARCH, {"purpose": "nurse", "q": "hallinto"}).content.decode()
    assert options(client.get(SEARCH, {"purpose": "no-such", "q": "hallinto"})) == 0


def test_only_care_staff_search_people(client, organisation, nurse):
    administrator = staff(Role.ADMIN, organisation=organisation)
    log_in(client, administrator)
    assert client.get(SEARCH, {"purpose": "care_staff", "q": "hoitaja"}).status_code == 403
    client.logout()
    assert client.get(SEARCH, {"purpose": "care_staff", "q": "hoitaja"}).status_code == 302


def test_search_without_javascript_keeps_what_was_typed(client, nurse, organisation,
                                                          many_virtanens):
    log_in(client, nurse)
    response = client.post(reverse("clients:create"), card(
        organisation, case_managers=[nurse.pk], case_managers_q="Virtanen etu03",
        **{SEARCH_BUTTON: "case_managers"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert not Client.objects.exists()
    assert 'value="Leinonen"' in content  # typed elsewhere in the form
    assert 'type="checkbox"' in content and "Etu03 Virtanen" in content
    assert "Noora Hoitaja" in content  # the one already chosen, as a chip
    assert "hds-text-input__error-text" not in content  # no errors for a search


def test_the_form_accepts_anyone_its_rule_accepts_not_only_those_shown(
        client, nurse, organisation, many_virtanens):
    last = many_virtanens[-1]  # never among the twenty shown for "Virtanen"
    log_in(client, nurse)
    response = client.post(reverse("clients:create"),
                           card(organisation, case_managers=[nurse.pk, last.pk]))
    assert response.status_code == 302
    managers = Client.objects.get().case_manager_assignments.current()
    assert {a.user_id for a in managers} == {nurse.pk, last.pk}


def test_the_form_refuses_someone_outside_its_rule(client, nurse, organisation):
    administrator = staff(Role.ADMIN, organisation=organisation)
    doctor = staff(Role.DOCTOR, organisation=organisation)
    log_in(client, nurse)
    response = client.post(reverse("clients:create"), card(
        organisation, case_managers=[administrator.pk], own_nurse=doctor.pk))
    assert response.status_code == 200
    assert not Client.objects.exists()
    assert set(response.context["form"].errors) == {"case_managers", "own_nurse"}


def test_remove_without_javascript_drops_the_person(client, nurse, organisation,
                                                    many_virtanens):
    other = many_virtanens[0]
    log_in(client, nurse)
    response = client.post(reverse("clients:create"), card(
        organisation, case_managers=[nurse.pk, other.pk],
        **{REMOVE_BUTTON: f"case_managers:{other.pk}"}))
    content = response.content.decode()
    assert not Client.objects.exists()
    assert f'value="{nurse.pk}"' in content
    assert "Etu00 Virtanen" not in content


def test_a_single_person_picker_searches_without_javascript(client, nurse, organisation):
    staff(Role.NURSE, first_name="Helmi", last_name="Sairaanhoitaja")
    log_in(client, nurse)
    response = client.post(reverse("clients:create"), card(
        organisation, case_managers=[nurse.pk], own_nurse_q="sairaan",
        **{SEARCH_BUTTON: "own_nurse"}))
    content = response.content.decode()
    assert 'type="radio"' in content and "Helmi Sairaanhoitaja" in content


def test_the_form_page_renders_the_picker_with_its_label_and_live_region(client, nurse):
    log_in(client, nurse)
    content = client.get(reverse("clients:create")).content.decode()
    assert '<label class="hds-text-input__label" for="id_case_managers_q">' in content
    assert 'role="listbox"' in content and 'role="status"' in content
    assert "js/people_picker.js" in content


def test_a_match_ticked_replaces_the_one_chosen_before(client, nurse, organisation):
    """One person: the radio button ticked after a search comes before the earlier chip in
    the form, and wins."""
    from django.http import QueryDict

    from cases.forms import HandoverForm

    other = staff(Role.NURSE, first_name="Helmi", last_name="Sairaanhoitaja")
    data = QueryDict(mutable=True)
    data.setlist("successor", [str(other.pk), str(nurse.pk)])
    form = HandoverForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["successor"] == other


def test_the_plan_pages_action_form_searches_without_javascript(client, story):
    """The action form sits on the plan page and posts to its own URL: the search comes back
    to the plan page, the action not added."""
    from plans.models import PlanAction
    from plans.services import create_plan
    from teams.models import Organisation, Sector

    te_expert = story.users["te_expert"]
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    create_plan(client=story.tiina, by=te_expert, organisation=employment,
                short_term_goals="x", case_managers=[te_expert])
    log_in(client, te_expert)
    response = client.post(reverse("plans:action_add", args=[story.tiina.pk]), {
        "what": "Kirjoita CV", "responsible_q": te_expert.last_name,
        SEARCH_BUTTON: "responsible"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kirjoita CV" in content and 'type="radio"' in content
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize("query", ["x" * 5000, "%_\\", "' OR 1=1 --"])
def test_hostile_words_find_nobody_and_break_nothing(client, nurse, many_virtanens, query):
    log_in(client, nurse)
    response = client.get(SEARCH, {"purpose": "care_staff", "q": query})
    assert response.status_code == 200
    assert options(response) == 0


def test_ids_that_are_no_ids_come_back_as_an_error_not_a_crash(client, nurse, organisation):
    log_in(client, nurse)
    response = client.post(reverse("clients:create"), card(
        organisation, case_managers=["²", "9" * 30, "-1"], own_nurse="²"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"case_managers", "own_nurse"}
