"""
Two people at once on the referral loop (issue 13). Each step — receive, book, record the
check, give feedback, acknowledge — is taken once; whoever clicks second is told so and never
meets an error page. Two nurses recording the same check, or two doctors correcting the same
assessment, see each other's work and replace it only by saving again.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from referrals import services
from referrals.models import DoctorAssessment, Feedback, HealthCheck, ReferralStatus
from teams.models import Role
from tests.concurrency import (
    as_posted,
    logged_in,
    meet_at,
    messages_of,
    opened,
    posting,
    race,
    refused,
)
from tests.factories import staff
from tyokyky.versions import version_of

from .steps import CHECK

FEEDBACK = {"to_client": "in_person", "findings": "Ei raskasta nostamista",
            "recommendations": "Uravalmennus"}


def label(model, name) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def referral(demo, tiina, health, employment):
    return services.send_referral(client=tiina, by=demo["te_expert"], organisation=employment,
                                  recipient=health, reason="year_since_check", urgency="normal")


@pytest.fixture
def nurses(demo, health):
    return demo["nurse"], staff(Role.NURSE, health, first_name="Noora", last_name="Nieminen")


@pytest.fixture
def checked(referral, nurses, health):
    services.record_health_check(referral=referral, by=nurses[0], organisation=health,
                                 nurse=nurses[0], performed_on=timezone.localdate(),
                                 work_ability=6, nurse_view="unemployed", next_steps="Jatko")
    return referral


# --- Forms opened at the same version -----------------------------------------------------------

def test_two_nurses_recording_the_same_check_see_each_others_before_replacing_it(referral,
                                                                                  nurses):
    url = reverse("referrals:health_check", args=[referral.pk])
    nina, noora = (logged_in(nurse) for nurse in nurses)
    ninas, nooras = opened(nina, url), opened(noora, url)
    assert ninas["version"] == nooras["version"] == "0"  # nothing recorded yet

    assert nina.post(url, {**ninas, **CHECK, "performed_on": today(),
                           "limitations": "Polvet"}).status_code == 302
    response = noora.post(url, {**nooras, **CHECK, "performed_on": today(),
                                "limitations": "Selkä"})

    errors = refused(response)
    assert "Nina Korhonen" in errors[0]
    assert f"{label(HealthCheck, 'limitations')}: Polvet" in errors
    form = response.context["form"]
    assert form["limitations"].value() == "Selkä"  # Noora's input is kept
    check = HealthCheck.objects.get()
    assert check.limitations == "Polvet"
    assert form["version"].value() == str(version_of(check))

    assert noora.post(url, as_posted(form)).status_code == 302  # saving again, on purpose
    check = HealthCheck.objects.get()
    assert (check.limitations, check.nurse) == ("Selkä", nurses[1])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE


def test_two_doctors_correcting_the_same_assessment_see_each_others_first(demo, tiina,
                                                                          health):
    doctors = demo["doctor"], staff(Role.DOCTOR, health, first_name="Leena", last_name="Lehto")
    assessment = services.record_assessment(
        client=tiina, by=doctors[0], organisation=health, assessed_on=timezone.localdate(),
        conclusion="unemployed", justification="Toimintakyky riittää",
        continuation_plan="Uravalmennus")
    url = reverse("referrals:assessment_edit", args=[assessment.pk])
    lauri, leena = (logged_in(doctor) for doctor in doctors)
    lauris, leenas = opened(lauri, url), opened(leena, url)

    assert lauri.post(url, {**lauris, "justification": "Polvet rajoittavat"}).status_code == 302
    response = leena.post(url, {**leenas, "continuation_plan": "Fysioterapia"})

    errors = refused(response)
    assert "Lauri Kemppainen" in errors[0]
    assert f"{label(DoctorAssessment, 'justification')}: Polvet rajoittavat" in errors
    form = response.context["form"]
    assert form["continuation_plan"].value() == "Fysioterapia"
    assert leena.post(url, as_posted(form)).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.continuation_plan) == (
        "Toimintakyky riittää", "Fysioterapia")


def test_only_the_doctors_organisation_corrects_its_assessment(demo, tiina, health):
    assessment = services.record_assessment(
        client=tiina, by=demo["doctor"], organisation=health, assessed_on=timezone.localdate(),
        conclusion="unemployed", justification="Toimintakyky riittää",
        continuation_plan="Uravalmennus")
    url = reverse("referrals:assessment_edit", args=[assessment.pk])
    assert logged_in(demo["nurse"]).get(url).status_code == 403
    page = logged_in(demo["doctor"]).get(reverse("referrals:assessment", args=[assessment.pk]))
    assert url in page.content.decode()


# --- At the same moment, on PostgreSQL: two connections, two threads -----------------------------

def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Two connections at once need PostgreSQL; CI runs this there.")


def outcomes(responses):
    """(the one that went through, the one that came second); no error page for either."""
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code in (200, 302) for r in responses), responses
    return responses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nurses_saving_the_same_check_at_once_record_one(referral, nurses):
    needs_postgresql()
    url = reverse("referrals:health_check", args=[referral.pk])
    attempts = [posting(logged_in(nurse), url, {**CHECK, "performed_on": today(),
                                                 "limitations": text, "version": "0"})
                for nurse, text in zip(nurses, ("Polvet", "Selkä"), strict=True)]
    with meet_at("referrals.services._save"):
        responses = outcomes(race(*attempts))
    assert sorted(r.status_code for r in responses) == [200, 302]
    check = HealthCheck.objects.get()
    second = next(r for r in responses if r.status_code == 200)
    assert f"{label(HealthCheck, 'limitations')}: {check.limitations}" in refused(second)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nurses_receiving_the_same_referral_at_once_receive_it_once(referral, nurses):
    needs_postgresql()
    url = reverse("referrals:receive", args=[referral.pk])
    with meet_at("referrals.services._set_status"):
        responses = outcomes(race(*[posting(logged_in(nurse), url) for nurse in nurses]))
    assert sorted(messages_of(r)[0] for r in responses) == sorted(
        [_("Referral received."), _("The referral has already been received.")])
    assert referral.history.filter(status=ReferralStatus.RECEIVED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nurses_booking_the_same_check_at_once_book_one_time(referral, nurses):
    needs_postgresql()
    url = reverse("referrals:book", args=[referral.pk])
    version = str(version_of(referral))
    attempts = [posting(logged_in(nurse), url, {"when": when, "version": version})
                for nurse, when in zip(nurses, ("2099-01-15T09:30", "2099-01-16T12:00"),
                                       strict=True)]
    with meet_at("referrals.services._set_status"):
        responses = outcomes(race(*attempts))
    assert sorted(r.status_code for r in responses) == [200, 302]
    second = next(r for r in responses if r.status_code == 200)
    assert any(error.startswith(f"{label(type(referral), 'booked_for')}: ")
               for error in refused(second))
    assert referral.history.filter(status=ReferralStatus.BOOKED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nurses_giving_the_same_feedback_at_once_give_it_once(checked, nurses):
    needs_postgresql()
    url = reverse("referrals:feedback", args=[checked.pk])
    attempts = [posting(logged_in(nurse), url, {**FEEDBACK, "given_on": today()})
                for nurse in nurses]
    with meet_at("referrals.services._save"):
        responses = outcomes(race(*attempts))
    assert sorted(r.status_code for r in responses) == [200, 302]
    second = next(r for r in responses if r.status_code == 200)
    assert refused(second) == [_("Feedback has already been given.")]
    assert Feedback.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_referrers_acknowledging_at_once_acknowledge_once(demo, checked, nurses,
                                                             employment):
    needs_postgresql()
    services.send_feedback(referral=checked, by=nurses[0], organisation=checked.recipient,
                           given_on=timezone.localdate(), **FEEDBACK)
    referrers = demo["te_expert"], staff(Role.EMPLOYMENT_EXPERT, employment)
    url = reverse("referrals:acknowledge", args=[checked.pk])
    with meet_at("referrals.services._save"):
        responses = outcomes(race(*[posting(logged_in(user), url) for user in referrers]))
    assert sorted(messages_of(r)[0] for r in responses) == sorted(
        [_("Feedback acknowledged. The referral is closed."),
         _("The feedback has already been acknowledged.")])
    assert Feedback.history.exclude(acknowledged_at=None).count() == 1
