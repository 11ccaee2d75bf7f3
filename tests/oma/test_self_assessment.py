"""
Before the health check Tiina tells her own view of her work ability in Oma Työkyky; the nurse
reads it beside her own scores. Through the views, as the client and the staff meet it.
"""

import pytest
from django.urls import reverse

from clients.models import Client
from consents.models import AccessLogEntry
from oma.assessment_forms import QUESTIONS
from referrals.models import WORK_ABILITY_SCORES, SelfAssessment
from referrals.services import send_referral
from tests.referrals.steps import record_check
from tests.utils import log_in, log_in_as_client

# Tiina's own words to the nurse: a page that shows them can be caught doing so.
OWN_WORDS = "Itsearvio: polvet kipeytyvät portaissa 7319"

ANSWERS = {"work_ability": "4", "mental_wellbeing": "6", "social_participation": "",
           "physical_capacity": "3", "skills": "9", "daily_life": "5",
           "for_the_nurse": OWN_WORDS}


@pytest.fixture
def referral(story):
    """Employment services referred Tiina to health care's health check."""
    return send_referral(client=story.tiina, by=story.users["te_expert"],
                         organisation=story.employment, recipient=story.health,
                         reason="year_since_check", urgency="normal")


def _fill_in(client, person, referral, **changes):
    log_in_as_client(client, person)
    return client.post(reverse("oma:self_assessment", args=[referral.pk]),
                       {**ANSWERS, **changes})


def test_every_score_has_a_question_for_the_client():
    assert set(QUESTIONS) == set(WORK_ABILITY_SCORES)


def test_tiina_sees_her_coming_health_check_and_fills_in_her_self_assessment(
        client, story, referral):
    log_in_as_client(client, story.tiina)
    page = client.get(reverse("oma:self_assessments"))
    assert page.status_code == 200
    assert reverse("oma:self_assessment", args=[referral.pk]) in page.content.decode()

    response = _fill_in(client, story.tiina, referral)

    assert response.status_code == 302
    saved = SelfAssessment.objects.get(referral=referral)
    assert (saved.work_ability, saved.social_participation, saved.skills) == (4, None, 9)
    assert saved.for_the_nurse == OWN_WORDS
    # The health organisation's health data, written by the client herself.
    assert saved.organisation == story.health and saved.created_by is None
    assert saved.client == story.tiina


def test_tiina_can_change_her_answers_until_the_check_is_recorded(client, story, referral):
    _fill_in(client, story.tiina, referral)
    _fill_in(client, story.tiina, referral, work_ability="7")
    assert SelfAssessment.objects.get(referral=referral).work_ability == 7

    record_check(client, story.users["nurse"], referral)
    response = _fill_in(client, story.tiina, referral, work_ability="1")

    assert response.status_code == 200
    assert response.context["form"] is None  # nothing to change any more
    assert SelfAssessment.objects.get(referral=referral).work_ability == 7
    assert OWN_WORDS in response.content.decode()  # her answers, as she sent them


@pytest.mark.parametrize("bad", [{"work_ability": "11"}, {"work_ability": ""},
                                 {"skills": "-1"}, {"daily_life": "kymmenen"}])
def test_a_score_outside_0_to_10_or_a_missing_overall_score_is_an_error(
        client, story, referral, bad):
    response = _fill_in(client, story.tiina, referral, **bad)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SelfAssessment.objects.exists()


def test_the_nurse_sees_the_clients_answers_beside_her_own(client, story, referral):
    _fill_in(client, story.tiina, referral)
    nurse = story.users["nurse"]

    log_in(client, nurse)
    form_page = client.get(reverse("referrals:health_check", args=[referral.pk]))
    assert form_page.status_code == 200
    assert OWN_WORDS in form_page.content.decode()

    record_check(client, nurse, referral)  # the nurse scores work ability 6, skills 8
    log_in(client, nurse)
    detail = client.get(reverse("referrals:detail", args=[referral.pk]))

    assert OWN_WORDS in detail.content.decode()
    scores = detail.context["self_scores"]
    assert [(own, theirs) for _label, own, theirs in scores] == [
        (4, 6), (6, 7), (None, 5), (3, 4), (9, 8), (5, 7)]
    logged = AccessLogEntry.objects.filter(user=nurse, client=story.tiina).latest("pk")
    assert "health" in logged.categories


def test_an_organisation_with_no_basis_does_not_see_the_self_assessment(client, story, referral):
    _fill_in(client, story.tiina, referral)
    log_in(client, story.users["social_worker"])

    for name in ("referrals:detail", "referrals:health_check"):
        response = client.get(reverse(name, args=[referral.pk]))
        assert response.status_code in (403, 404), name
        assert OWN_WORDS not in response.content.decode()


def test_petri_cannot_open_or_fill_in_tiinas_self_assessment(client, story, referral):
    _fill_in(client, story.tiina, referral)
    petri = Client.objects.get(first_name="Petri")
    log_in_as_client(client, petri)

    url = reverse("oma:self_assessment", args=[referral.pk])
    opened = client.get(url)
    sent = client.post(url, {**ANSWERS, "work_ability": "0", "for_the_nurse": "Petri"})
    listed = client.get(reverse("oma:self_assessments"))

    assert opened.status_code == 404 and sent.status_code == 404
    assert OWN_WORDS not in opened.content.decode() + listed.content.decode()
    assert SelfAssessment.objects.get(referral=referral).work_ability == 4


def test_staff_and_anonymous_are_sent_to_the_clients_login(client, story, referral):
    url = reverse("oma:self_assessment", args=[referral.pk])
    assert client.get(url).url.startswith(reverse("oma:login"))
    log_in(client, story.users["nurse"])
    assert client.get(url).url.startswith(reverse("oma:login"))


def test_tiinas_own_read_of_her_answers_is_logged_as_her_own(client, story, referral):
    _fill_in(client, story.tiina, referral)
    client.get(reverse("oma:self_assessment", args=[referral.pk]))

    entry = AccessLogEntry.objects.filter(client=story.tiina, by_client=True).latest("pk")
    assert entry.user is None
    assert "health" in entry.categories


def test_with_no_health_check_coming_the_page_says_what_happens_next(client, story):
    log_in_as_client(client, story.tiina)
    response = client.get(reverse("oma:self_assessments"))
    assert response.status_code == 200
    assert response.context["waiting"] == []
