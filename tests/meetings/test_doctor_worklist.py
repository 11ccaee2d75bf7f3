"""
Issue 16, the doctor's work: a team meeting names the doctor with its questions; the doctor
finds the client on their worklist and on My work, is told without client data in the e-mail,
reads the team's questions and the nurse's limitations on the assessment form, and the
assessment takes the item off the list — and the doctor off the client's team. Health checks
marked "doctor's appointment needed" land on the list too. Nobody else sees any of it.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from consents.models import AccessLogEntry, Action
from consents.services import record_consent
from meetings import doctor_views
from meetings.due import DOCTOR_QUESTIONS_OPEN_DAYS
from meetings.models import Meeting, MeetingDecision, MeetingParticipant
from meetings.services import record_decisions
from referrals.models import DoctorAssessment
from referrals.services import record_health_check, send_referral
from teams.models import Organisation, Role, Sector, Team, User
from tests.factories import ClientFactory, OrganisationFactory, staff
from tests.stories import FOR_THE_DOCTOR
from tests.utils import log_in
from tests.visibility import text_of
from work.models import Notification, OutboxMessage, ReminderKind

QUESTIONS = "Kestääkö selkä kuvankäsittelijän istumatyön?"  # the team's question (health)
LIMITATIONS = "Istuminen yli tunnin pahentaa selkäkipua"  # the nurse's words (health)
ASSESSMENT = {
    "conclusion": "unemployed", "justification": "Istumatyö sopii tauotettuna",
    "examinations": "", "b_statement_on": "", "b_statement_purpose": "",
    "sick_leave_until": "", "continuation_plan": "Työkokeilu kuvankäsittelyssä",
    "client_knows_next_steps": "on",
}


def fi(text: str) -> str:
    """The page's words in Finnish as the translations stand, whatever they are yet."""
    with translation.override("fi"):
        return gettext(text)


def team_meeting(story, *, days_ago=1, client=None):
    """A team meeting held `days_ago`, booked by health care's coordinator."""
    start = timezone.now() - timedelta(days=days_ago)
    return Meeting.objects.create(
        client=client or story.tiina, team=Team.objects.get(), organisation=story.health,
        created_by=story.users["coordinator"], starts_at=start,
        ends_at=start + timedelta(hours=1), mode="phone")


def decide(story, meeting, doctor, **fields):
    return record_decisions(meeting=meeting, by=story.users["coordinator"], minutes="",
                            case_managers=[story.users["te_expert"]],
                            realistic_goal="Työkokeilu", doctor=doctor,
                            questions_for_doctor=QUESTIONS,
                            information_for_doctor=FOR_THE_DOCTOR, **fields)


def checked(story, *, client=None, doctor=None, appointment=True, days_ago=0):
    """Health care's unemployed health check of the client, with the nurse's limitations."""
    users = story.users
    referral = send_referral(client=client or story.tiina, by=users["te_expert"],
                             organisation=story.employment, recipient=story.health,
                             reason="year_since_check", urgency="normal")
    return record_health_check(
        referral=referral, by=users["nurse"], organisation=story.health, nurse=users["nurse"],
        performed_on=timezone.localdate() - timedelta(days=days_ago), work_ability=5,
        nurse_view="unemployed", next_steps="Lääkärin arvio", limited_musculoskeletal=True,
        limitations=LIMITATIONS, doctor_appointment_needed=appointment, doctor=doctor)


def other_doctor(**fields):
    """A doctor of another health organisation, which does not serve Tiina."""
    return staff(Role.DOCTOR, organisation=OrganisationFactory(sector=Sector.HEALTH), **fields)


def worklist(client, user):
    log_in(client, user)
    return client.get(reverse("meetings:doctor_worklist"))


def assessment_url(meeting):
    return reverse("meetings:doctor_assessment", args=[meeting.pk])


# --- The worklist -------------------------------------------------------------------------------

def test_the_named_doctor_finds_the_client_on_the_worklist(client, story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    response = worklist(client, story.users["doctor"])
    page = response.content.decode()
    assert "Tiina Leinonen" in page
    assert assessment_url(meeting) in page
    assert QUESTIONS not in page  # the list says what waits, not what was asked
    assert AccessLogEntry.objects.filter(user=story.users["doctor"], client=story.tiina,
                                         action=Action.DOCTOR_WORKLIST).exists()


def test_the_worklist_is_oldest_first_and_paged(client, story, monkeypatch):
    petri = story.tiina.__class__.objects.get(first_name="Petri")
    newer, older = team_meeting(story, days_ago=2), team_meeting(story, days_ago=9,
                                                                   client=petri)
    decide(story, newer, story.users["doctor"])
    decide(story, older, story.users["doctor"])
    checked(story, days_ago=5)  # Tiina's check, for every doctor of health care
    monkeypatch.setattr(doctor_views, "PAGE_SIZE", 2)
    first = worklist(client, story.users["doctor"])
    urls = [item.url for item in first.context["items"]]
    assert urls == [assessment_url(older),
                    reverse("referrals:assessment_create", args=[story.tiina.pk])]
    second = client.get(reverse("meetings:doctor_worklist"), {"page": 2})
    assert [item.url for item in second.context["items"]] == [assessment_url(newer)]


def test_an_empty_worklist_says_what_brings_clients_to_it(client, story):
    response = worklist(client, story.users["doctor"])
    assert response.status_code == 200
    assert response.context["items"] == []
    assert fi("Nothing waits for your assessment. A client appears here when a team meeting "
              "names you as their doctor, or when a health check of your organisation finds a "
              "doctor's appointment needed.")[:40] in response.content.decode()


def test_the_worklist_is_also_on_my_work(client, story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    page = client.get(reverse("home")).content.decode()
    assert assessment_url(meeting) in page
    assert "Tiina Leinonen" in page
    assert reverse("meetings:doctor_worklist") in page


def test_the_decisions_name_no_doctor_the_meeting_could_not_invite(client, story):
    """Naming a doctor puts them on the client's team: a doctor of an organisation with nothing
    to do with the meeting is neither offered nor accepted, and stays outside (404)."""
    meeting = team_meeting(story)
    stranger = other_doctor(first_name="Vieras", last_name="Klinikkalääkäri")
    log_in(client, story.users["coordinator"])
    form_page = client.get(reverse("meetings:decisions", args=[meeting.pk]))
    doctors = list(form_page.context["form"].fields["doctor"].queryset)
    assert story.users["doctor"] in doctors and stranger not in doctors
    response = client.post(reverse("meetings:decisions", args=[meeting.pk]), {
        "minutes": "", "realistic_goal": "Työkokeilu", "questions_for_doctor": QUESTIONS,
        "doctor": stranger.pk, "case_managers": [story.users["te_expert"].pk]})
    assert response.status_code == 200 and response.context["form"].errors["doctor"]
    assert not MeetingDecision.objects.filter(meeting=meeting).exists()
    log_in(client, stranger)
    assert client.get(reverse("clients:detail", args=[story.tiina.pk])).status_code == 404


# --- Told when named ----------------------------------------------------------------------------

def test_naming_the_doctor_in_the_decisions_tells_them_with_no_client_data_in_the_email(
        client, story, django_capture_on_commit_callbacks):
    meeting = team_meeting(story)
    log_in(client, story.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:decisions", args=[meeting.pk]), {
            "minutes": "", "realistic_goal": "Työkokeilu", "questions_for_doctor": QUESTIONS,
            "information_for_doctor": FOR_THE_DOCTOR, "doctor": story.users["doctor"].pk,
            "case_managers": [story.users["te_expert"].pk]})
    assert response.status_code == 302
    notification = Notification.objects.get(user=story.users["doctor"])
    assert notification.kind == ReminderKind.DOCTOR_ASSESSMENT
    assert notification.url == reverse("meetings:doctor_worklist")
    message = OutboxMessage.objects.get(to=story.users["doctor"].email)
    assert message.client_id == story.tiina.pk  # closing the client cancels it if unsent
    sent = [m for m in mail.outbox if story.users["doctor"].email in m.to]
    assert len(sent) == 1
    for text in ("Tiina", "Leinonen", "300471", QUESTIONS, FOR_THE_DOCTOR):
        assert text not in sent[0].subject + sent[0].body
    assert reverse("meetings:doctor_worklist") in sent[0].body


def test_saving_the_decisions_again_does_not_tell_the_doctor_twice(story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    decide(story, meeting, story.users["doctor"])
    assert Notification.objects.filter(user=story.users["doctor"]).count() == 1


# --- The assessment form ------------------------------------------------------------------------

def test_the_form_shows_the_teams_questions_and_the_nurses_limitations(client, story):
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    response = client.get(assessment_url(meeting))
    page = response.content.decode()
    assert response.status_code == 200
    assert QUESTIONS in page and FOR_THE_DOCTOR in page
    assert LIMITATIONS in page
    assert reverse("meetings:doctor_summary_pdf", args=[meeting.pk]) in page
    assert AccessLogEntry.objects.filter(user=story.users["doctor"], client=story.tiina,
                                         action=Action.ASSESSMENT_FORM).exists()


def test_the_assessment_answers_the_meeting_and_leaves_the_worklist(client, story):
    check = checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    response = client.post(assessment_url(meeting), {
        "assessed_on": timezone.localdate().isoformat(), **ASSESSMENT})
    assessment = DoctorAssessment.objects.get()
    assert response.url == reverse("referrals:assessment", args=[assessment.pk])
    assert (assessment.meeting, assessment.health_check) == (meeting, check)
    assert worklist(client, story.users["doctor"]).context["items"] == []
    assert client.get(assessment_url(meeting)).status_code == 404


def test_a_refused_assessment_keeps_what_was_written(client, story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(assessment_url(meeting), {"assessed_on": tomorrow, **ASSESSMENT})
    page = response.content.decode()
    assert fi("The assessment cannot be dated in the future.") in page
    assert "Työkokeilu kuvankäsittelyssä" in page
    assert not DoctorAssessment.objects.exists()


def test_the_doctors_summary_carries_the_nurses_limitations(client, story):
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    response = client.get(reverse("meetings:doctor_summary_pdf", args=[meeting.pk]))
    assert LIMITATIONS in " ".join(text_of(response).split())


def test_the_summary_leaves_out_limitations_the_doctors_organisation_may_not_see(
        client, story):
    """Named a doctor of another organisation with no consent for health information: the
    coordinator's print for them carries no health record of health care."""
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, other_doctor())
    log_in(client, story.users["coordinator"])
    response = client.get(reverse("meetings:doctor_summary_pdf", args=[meeting.pk]))
    text = " ".join(text_of(response).split())
    assert LIMITATIONS not in text
    assert QUESTIONS not in text


# --- Health checks needing a doctor -------------------------------------------------------------

def test_a_check_needing_a_doctor_goes_to_the_doctor_named_on_it(client, story):
    named = staff(Role.DOCTOR, organisation=story.health)
    checked(story, doctor=named)
    url = reverse("referrals:assessment_create", args=[story.tiina.pk])
    assert [i.url for i in worklist(client, named).context["items"]] == [url]
    assert worklist(client, story.users["doctor"]).context["items"] == []


def test_a_check_naming_no_doctor_goes_to_the_doctors_of_its_organisation(client, story):
    checked(story)
    url = reverse("referrals:assessment_create", args=[story.tiina.pk])
    assert [i.url for i in worklist(client, story.users["doctor"]).context["items"]] == [url]
    assert worklist(client, other_doctor()).context["items"] == []


def test_a_check_without_the_need_or_already_assessed_is_not_on_the_list(client, story):
    checked(story, appointment=False)
    assert worklist(client, story.users["doctor"]).context["items"] == []
    checked(story, client=story.tiina.__class__.objects.get(first_name="Petri"))
    petri = story.tiina.__class__.objects.get(first_name="Petri")
    client.post(reverse("referrals:assessment_create", args=[petri.pk]),
                {"assessed_on": timezone.localdate().isoformat(), **ASSESSMENT})
    assert DoctorAssessment.objects.get().health_check.client == petri
    assert worklist(client, story.users["doctor"]).context["items"] == []


def test_the_assessment_form_after_a_check_shows_the_nurses_limitations(client, story):
    checked(story)
    log_in(client, story.users["doctor"])
    page = client.get(reverse("referrals:assessment_create", args=[story.tiina.pk]))
    assert LIMITATIONS in page.content.decode()


# --- Attackers ----------------------------------------------------------------------------------

def test_a_doctor_not_named_sees_no_item_and_gets_404(client, story):
    outsider = other_doctor()
    meeting = team_meeting(story)
    decide(story, meeting, outsider)
    colleague = story.users["doctor"]  # health care serves Tiina, but was not named
    assert worklist(client, colleague).context["items"] == []
    assert client.get(assessment_url(meeting)).status_code == 404
    stranger = other_doctor()
    assert worklist(client, stranger).context["items"] == []
    assert client.get(assessment_url(meeting)).status_code == 404
    assert client.get(reverse("clients:detail", args=[story.tiina.pk])).status_code == 404
    assert client.get(assessment_url(Meeting(pk=987654321))).status_code == 404


def test_the_named_doctor_is_on_the_team_until_the_assessment(client, story):
    """A doctor of another organisation, with Tiina's consent for health information to it:
    named, they read the questions and the limitations; once assessed, Tiina is gone."""
    named = other_doctor()
    organisation = Organisation.objects.get(memberships__user=named)
    record_consent(client=story.tiina, by=story.users["nurse"],
                   categories=["identity", "health"], organisations=[organisation],
                   purpose="Lääkärin arvio", method="written", valid_from="2026-01-01")
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, named)
    tiinas_page = reverse("clients:detail", args=[story.tiina.pk])
    log_in(client, named)
    assert client.get(tiinas_page).status_code == 200
    page = client.get(assessment_url(meeting)).content.decode()
    assert QUESTIONS in page and LIMITATIONS in page
    client.post(assessment_url(meeting), {"assessed_on": timezone.localdate().isoformat(),
                                          **ASSESSMENT})
    assert DoctorAssessment.objects.get(meeting=meeting).organisation == organisation
    assert client.get(tiinas_page).status_code == 404
    assert worklist(client, named).context["items"] == []


def test_without_a_consent_the_named_doctor_of_elsewhere_reads_no_health_data(client, story):
    named = other_doctor()
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, named)
    log_in(client, named)
    response = client.get(assessment_url(meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert QUESTIONS not in page and LIMITATIONS not in page and "Leinonen" not in page


def test_the_named_doctor_leaves_the_team_when_the_question_has_waited_too_long(client, story):
    named = other_doctor()
    meeting = team_meeting(story, days_ago=DOCTOR_QUESTIONS_OPEN_DAYS + 1)
    decide(story, meeting, named)
    assert worklist(client, named).context["items"] == []
    assert client.get(assessment_url(meeting)).status_code == 404
    assert client.get(reverse("clients:detail", args=[story.tiina.pk])).status_code == 404


def test_a_cancelled_meeting_asks_nothing(client, story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    assert worklist(client, story.users["doctor"]).context["items"] == []


@pytest.mark.parametrize("name", ["kela_expert", "social_worker", "admin"])
def test_others_never_see_the_questions_or_the_limitations(client, story, name):
    """The Kela expert on Tiina's team (no consent), an organisation with no relationship,
    and the admin: no worklist, no form, and nowhere the doctor's questions."""
    checked(story)
    meeting = team_meeting(story)
    MeetingParticipant.objects.create(meeting=meeting, user=story.users["kela_expert"],
                                      answer="accepted", starts_at=meeting.starts_at,
                                      ends_at=meeting.ends_at)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users[name])
    assert client.get(reverse("meetings:doctor_worklist")).status_code == 403
    assert client.get(assessment_url(meeting)).status_code == 403
    for url in (reverse("clients:detail", args=[story.tiina.pk]),
                reverse("meetings:detail", args=[meeting.pk]), reverse("home")):
        response = client.get(url)
        if response.status_code == 200:
            shown = text_of(response)
            assert QUESTIONS not in shown
            assert LIMITATIONS not in shown


def test_a_disclosure_ban_takes_the_client_off_the_worklist(client, story):
    from consents.services import record_disclosure_ban

    checked(story)
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    record_disclosure_ban(client=story.tiina, by=story.users["te_expert"],
                          organisation=story.health)
    assert worklist(client, story.users["doctor"]).context["items"] == []


def test_a_closed_client_leaves_the_worklist(client, story):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    story.tiina.__class__.objects.filter(pk=story.tiina.pk).update(status="closed")
    assert worklist(client, story.users["doctor"]).context["items"] == []


def test_the_worklist_query_count_does_not_grow_with_the_list(client, story,
                                                              django_assert_max_num_queries):
    meeting = team_meeting(story)
    decide(story, meeting, story.users["doctor"])
    log_in(client, story.users["doctor"])
    client.get(reverse("meetings:doctor_worklist"))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("meetings:doctor_worklist"))
    for number in range(4):
        person = ClientFactory(organisations=[story.health])
        decide(story, team_meeting(story, days_ago=number + 2, client=person),
               story.users["doctor"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("meetings:doctor_worklist"))


# --- The demo -----------------------------------------------------------------------------------

def test_the_demo_doctor_finds_tiina_and_jaakko_on_the_worklist_at_first_login(client, db,
                                                                                settings):
    """Tiina's and Jaakko's team meetings named the doctor with the team's questions."""
    settings.DEMO_PASSWORD = "x" * 12
    call_command("seed_demo", force=True, stdout=io.StringIO())
    log_in(client, User.objects.get(username="doctor"))
    page = client.get(reverse("meetings:doctor_worklist")).content.decode()
    assert "Tiina Leinonen" in page and "Jaakko Tervo" in page
    # From the meetings, not from a check: each meeting opens its assessment form.
    tiinas = Meeting.objects.get(client__first_name="Tiina", decision__doctor__username="doctor")
    assert assessment_url(tiinas) in page
