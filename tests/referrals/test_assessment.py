"""The doctor's assessment: unemployed or sick, the B-statement, a named case manager."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from referrals.models import DoctorAssessment
from tests.utils import log_in

ASSESSMENT = {
    "conclusion": "sick", "justification": "Selkävaivat estävät nyt työnhaun",
    "examinations": "Kuvantaminen, fysioterapeutin arvio",
    "b_statement_written": "on", "b_statement_on": "2026-11-20",
    "b_statement_purpose": "vocational_rehabilitation", "sick_leave_until": "",
    "continuation_plan": "Ammatillinen kuntoutusselvitys Kelalle",
    "client_knows_next_steps": "on",
}


def assess(client, demo, person, **overrides):
    log_in(client, demo["doctor"])
    data = {"assessed_on": timezone.localdate().isoformat(), **ASSESSMENT, **overrides}
    return client.post(reverse("referrals:assessment_create", args=[person.pk]), data)


def test_the_doctor_records_unemployed_or_sick_and_the_b_statement(client, demo):
    petri = Client.objects.get(first_name="Petri")
    response = assess(client, demo, petri)
    assessment = DoctorAssessment.objects.get()
    assert response.url == reverse("referrals:assessment", args=[assessment.pk])
    assert assessment.conclusion == "sick"
    assert assessment.b_statement_purpose == "vocational_rehabilitation"
    page = client.get(response.url).content.decode()
    assert "Ammatillinen kuntoutus" in page
    assert "Sairas" in page


def test_a_b_statement_needs_its_date_and_purpose(client, demo):
    petri = Client.objects.get(first_name="Petri")
    response = assess(client, demo, petri, b_statement_on="", b_statement_purpose="")
    content = response.content.decode()
    assert "Milloin B-lausunto kirjoitettiin?" in content
    assert "Mihin B-lausunto on tarkoitettu?" in content
    assert not DoctorAssessment.objects.exists()


def test_an_assessment_dated_in_the_future_is_refused(client, demo):
    petri = Client.objects.get(first_name="Petri")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = assess(client, demo, petri, assessed_on=tomorrow)
    assert "Arviota ei voi päivätä tulevaisuuteen." in response.content.decode()


def test_the_doctor_is_warned_when_the_client_has_no_case_manager(client, demo):
    petri = Client.objects.get(first_name="Petri")
    log_in(client, demo["doctor"])
    url = reverse("referrals:assessment_create", args=[petri.pk])
    warning = "Asiakkaalla ei ole nimettyä vastuuhenkilöä."
    assert warning not in client.get(url).content.decode()
    petri.case_manager_assignments.update(ended_on=timezone.localdate())
    assert warning in client.get(url).content.decode()


def test_only_doctors_record_assessments(client, demo):
    petri = Client.objects.get(first_name="Petri")
    log_in(client, demo["nurse"])
    url = reverse("referrals:assessment_create", args=[petri.pk])
    assert client.get(url).status_code == 403
