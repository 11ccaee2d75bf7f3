"""
Getting to the team (issue 16): a service asks for a team meeting with the reason and the entry
criteria, a health check that needs a multi-professional assessment asks by itself, and both
wait in the coordinator's intake queue on My work — oldest first, flagged when overdue, one
click from the booking page, which the request fills in and whose booking answers it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cases.services import add_client
from clients.models import Client
from consents.models import DisclosureLogEntry
from consents.services import add_to_team, record_consent, record_disclosure_ban
from meetings.models import Meeting, MeetingRequest, RequestState
from referrals.services import record_health_check, send_referral
from teams.models import Municipality, Organisation, Role, Sector, Team, TeamMember
from tests.factories import staff
from tests.utils import log_in
from tyokyky.versions import version_of

from .meeting_steps import booking_data

REASON = "Pyyntö: työkyky ja uusi ala selvitettävä merkki-PYYNTÖ"


@pytest.fixture
def tiina(demo):
    return Client.objects.get(first_name="Tiina")


@pytest.fixture
def health(demo):
    return Organisation.objects.get(sector=Sector.HEALTH)


@pytest.fixture
def employment(demo):
    return Organisation.objects.get(sector=Sector.EMPLOYMENT)


def ask(client, user, person, **overrides):
    """The request form on the client's page, sent."""
    log_in(client, user)
    data = {"team": Team.objects.get().pk, "reason": REASON, "urgency": "normal",
            "needs_support": "on", "wants_to_work": "on", **overrides}
    return client.post(reverse("meetings:request", args=[person.pk]), data)


def page(client, user, name="home", **kwargs):
    log_in(client, user)
    response = client.get(reverse(name, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def book_link(meeting_request) -> str:
    url = reverse("meetings:book", args=[meeting_request.client_id])
    return f"{url}?request={meeting_request.pk}"


def health_check(demo, tiina, health, nurse, *, needs_assessment=True):
    """Employment services refer Tiina; the nurse records her check."""
    referral = send_referral(client=tiina, by=demo["te_expert"],
                             organisation=Organisation.objects.get(sector=Sector.EMPLOYMENT),
                             recipient=health, reason="year_since_check", urgency="normal")
    return record_health_check(
        referral=referral, by=nurse, organisation=health, nurse=nurse,
        performed_on=timezone.localdate(), work_ability=5, nurse_view="unclear",
        needs_multiprofessional_assessment=needs_assessment, next_steps="Verkostotapaaminen",
    )


# --- Asking ---------------------------------------------------------------------------------------


def test_a_te_expert_asks_for_a_meeting_and_it_waits_in_the_coordinators_queue(
        client, demo, tiina, health, employment):
    response = ask(client, demo["te_expert"], tiina, urgency="urgent")
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[tiina.pk])
    meeting_request = MeetingRequest.objects.get()
    assert (meeting_request.organisation, meeting_request.recipient) == (employment, health)
    assert meeting_request.reason == REASON and meeting_request.urgency == "urgent"
    assert meeting_request.needs_support and not meeting_request.client_motivated
    # Sent like a referral: the disclosure to health care is logged.
    assert DisclosureLogEntry.objects.filter(
        client=tiina, source_organisation=employment, recipient_organisation=health,
        action="referral_sent").exists()
    # The requester sees its state on the client's page.
    requester_page = page(client, demo["te_expert"], "clients:detail", args=[tiina.pk])
    assert str(RequestState.OPEN.label) in requester_page
    # The coordinator: on My work, with the client's name and one click to book.
    my_work = page(client, demo["coordinator"])
    assert "Leinonen" in my_work and book_link(meeting_request) in my_work


def test_the_request_form_is_on_the_client_page_of_whoever_serves_the_client(
        client, demo, tiina):
    client_page = page(client, demo["te_expert"], "clients:detail", args=[tiina.pk])
    assert reverse("meetings:request", args=[tiina.pk]) in client_page
    form_page = page(client, demo["te_expert"], "meetings:request", args=[tiina.pk])
    assert 'name="reason"' in form_page and 'name="client_motivated"' in form_page


def test_a_request_without_a_reason_is_refused_in_finnish_and_keeps_what_was_ticked(
        client, demo, tiina):
    response = ask(client, demo["te_expert"], tiina, reason="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        gettext("Write why a team meeting is needed.")]
    assert response.context["form"]["needs_support"].value() is True  # nothing lost
    assert not MeetingRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused(client, demo, tiina):
    ask(client, demo["te_expert"], tiina)
    response = ask(client, demo["nurse"], tiina)
    assert response.status_code == 200
    assert gettext("A request for a team meeting about this client is already waiting for the "
                   "coordinator.") in response.context["form"].non_field_errors()
    assert MeetingRequest.objects.count() == 1


def test_the_requester_withdraws_after_confirming(client, demo, tiina):
    ask(client, demo["te_expert"], tiina)
    meeting_request = MeetingRequest.objects.get()
    url = reverse("meetings:request_withdraw", args=[meeting_request.pk])
    assert client.get(url).status_code == 200  # the confirmation first
    assert MeetingRequest.objects.get().state == RequestState.OPEN
    client.post(url)
    assert MeetingRequest.objects.get().state == RequestState.WITHDRAWN
    assert book_link(meeting_request) not in page(client, demo["coordinator"])


def test_only_the_requesting_organisation_withdraws(client, demo, tiina):
    ask(client, demo["te_expert"], tiina)
    log_in(client, demo["coordinator"])
    url = reverse("meetings:request_withdraw", args=[MeetingRequest.objects.get().pk])
    assert client.post(url).status_code == 403
    assert MeetingRequest.objects.get().state == RequestState.OPEN


# --- Booking from the queue -----------------------------------------------------------------------


def test_booking_from_the_queue_is_filled_in_from_the_request_and_answers_it(
        client, demo, tiina, django_capture_on_commit_callbacks):
    ask(client, demo["te_expert"], tiina)
    meeting_request = MeetingRequest.objects.get()
    log_in(client, demo["coordinator"])
    response = client.get(book_link(meeting_request))
    form = response.context["form"]
    assert form.initial["agenda"] == REASON
    assert form.initial["team"] == meeting_request.team_id
    assert form.initial["needs_support"] and not form.initial["client_motivated"]
    assert REASON in response.content.decode()
    assert f'name="request" value="{meeting_request.pk}"' in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:book", args=[tiina.pk]),
                               booking_data(demo, request=str(meeting_request.pk)))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    meeting_request.refresh_from_db()
    assert (meeting_request.state, meeting_request.meeting) == (RequestState.BOOKED, meeting)
    assert book_link(meeting_request) not in page(client, demo["coordinator"])
    requester_page = page(client, demo["te_expert"], "clients:detail", args=[tiina.pk])
    assert str(RequestState.BOOKED.label) in requester_page


def test_a_meeting_booked_otherwise_also_takes_the_request_out_of_the_queue(
        client, demo, tiina, django_capture_on_commit_callbacks):
    ask(client, demo["te_expert"], tiina)
    log_in(client, demo["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:book", args=[tiina.pk]), booking_data(demo))
    assert MeetingRequest.objects.get().state == RequestState.BOOKED
    assert page(client, demo["coordinator"], "meetings:intake").count('?request=') == 0


def test_a_request_id_that_is_not_in_the_users_queue_books_without_one(client, demo, tiina):
    petri = Client.objects.get(first_name="Petri")
    ask(client, demo["te_expert"], petri)
    log_in(client, demo["coordinator"])
    response = client.get(reverse("meetings:book", args=[tiina.pk]),
                          {"request": MeetingRequest.objects.get().pk})
    assert response.context["meeting_request"] is None
    assert REASON not in response.content.decode()


# --- From the health check -----------------------------------------------------------------------


def test_a_check_marked_for_a_multiprofessional_assessment_lands_in_the_queue(
        client, demo, tiina, health):
    check = health_check(demo, tiina, health, demo["nurse"])
    meeting_request = MeetingRequest.objects.get()
    assert meeting_request.health_check == check and meeting_request.reason == ""
    assert (meeting_request.organisation, meeting_request.recipient) == (health, health)
    my_work = page(client, demo["coordinator"])
    assert book_link(meeting_request) in my_work and "Leinonen" in my_work


def test_a_check_not_marked_asks_for_nothing(demo, tiina, health):
    health_check(demo, tiina, health, demo["nurse"], needs_assessment=False)
    assert not MeetingRequest.objects.exists()


def test_unmarking_the_check_withdraws_its_request(demo, tiina, health):
    check = health_check(demo, tiina, health, demo["nurse"])
    record_health_check(referral=check.referral, by=demo["nurse"], organisation=health,
                        version=version_of(check), nurse=demo["nurse"],
                        performed_on=check.performed_on, work_ability=5, nurse_view="unclear",
                        needs_multiprofessional_assessment=False, next_steps="Seuranta")
    assert MeetingRequest.objects.get().state == RequestState.WITHDRAWN


def test_the_nurse_who_did_the_check_is_offered_and_invited_at_first(
        client, demo, tiina, health):
    nurse = staff(Role.NURSE, organisation=health, first_name="Hanna", last_name="Tarkastaja")
    health_check(demo, tiina, health, nurse)
    log_in(client, demo["coordinator"])
    response = client.get(book_link(MeetingRequest.objects.get()))
    form = response.context["form"]
    assert nurse in form.fields["participants"].queryset
    assert str(nurse.pk) in form.initial["participants"]
    # Also when the coordinator books from the client's page.
    response = client.get(reverse("meetings:book", args=[tiina.pk]))
    assert str(nurse.pk) in response.context["form"].initial["participants"]


def test_without_a_check_nobody_extra_is_invited(client, demo, tiina):
    log_in(client, demo["coordinator"])
    response = client.get(reverse("meetings:book", args=[tiina.pk]))
    assert str(demo["nurse"].pk) not in response.context["form"].initial["participants"]


# --- The queue ------------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_and_flags_what_is_overdue(client, demo, tiina):
    petri = Client.objects.get(first_name="Petri")
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=8)):
        ask(client, demo["te_expert"], tiina, urgency="urgent")
    with time_machine.travel(now - timedelta(days=7)):
        ask(client, demo["te_expert"], petri)
    intake = page(client, demo["coordinator"], "meetings:intake")
    assert intake.index("Leinonen") < intake.index("Moilanen")
    # The urgent one is past its three working days; the normal one has fourteen.
    assert intake.count('class="flag"') == 1
    assert intake.index('class="flag"') < intake.index("Moilanen")


def test_the_queue_pages_cost_the_same_however_long(client, demo, count_queries, employment):
    from meetings.intake import request_meeting

    log_in(client, demo["coordinator"])
    clients = list(Client.objects.all())
    request_meeting(client=clients[0], by=demo["te_expert"], organisation=employment,
                    reason="a")
    few = count_queries(client, reverse("meetings:intake"))
    for person in clients[1:]:
        request_meeting(client=person, by=demo["te_expert"], organisation=employment,
                        reason="b")
    assert count_queries(client, reverse("meetings:intake")) == few


def test_my_work_says_what_to_do_when_the_queue_is_empty(client, demo):
    my_work = page(client, demo["coordinator"])
    assert gettext("All requests for a team meeting") not in my_work
    assert reverse("meetings:intake") not in my_work


# --- Who may not -------------------------------------------------------------------------------


def test_an_organisation_with_no_relationship_can_neither_ask_nor_see(client, demo, tiina):
    ask(client, demo["te_expert"], tiina)
    meeting_request = MeetingRequest.objects.get()
    outsider = demo["social_worker"]  # adult social work has never served Tiina
    assert ask(client, outsider, tiina).status_code == 404
    assert client.get(reverse("meetings:request", args=[tiina.pk])).status_code == 404
    assert client.get(reverse("meetings:request_withdraw",
                              args=[meeting_request.pk])).status_code == 404
    assert client.get(book_link(meeting_request)).status_code == 403
    assert REASON not in page(client, outsider) and "Leinonen" not in page(client, outsider)
    assert MeetingRequest.objects.count() == 1


def test_a_coordinator_of_another_team_does_not_get_it(client, demo, tiina, health):
    ask(client, demo["te_expert"], tiina)
    other = staff(Role.COORDINATOR, organisation=health, username="kuhmo_coordinator")
    team = Team.objects.create(name="Kuhmon tiimi")
    team.municipalities.add(Municipality.objects.get(name="Kuhmo"))
    TeamMember.objects.create(team=team, user=other, kind="coordinator")
    for name in ("home", "meetings:intake"):
        shown = page(client, other, name)
        assert "Leinonen" not in shown and "?request=" not in shown and REASON not in shown
    response = client.get(book_link(MeetingRequest.objects.get()))
    assert response.context["meeting_request"] is None and REASON not in (
        response.content.decode())


def test_the_admin_sees_nothing_of_it(client, demo, tiina):
    ask(client, demo["te_expert"], tiina)
    admin = demo["admin"]
    log_in(client, admin)
    assert client.get(reverse("meetings:intake")).status_code == 403
    assert client.get(reverse("meetings:request", args=[tiina.pk])).status_code == 404
    assert client.get(reverse("meetings:request_withdraw",
                              args=[MeetingRequest.objects.get().pk])).status_code == 404
    shown = client.get(reverse("home")).content.decode()
    assert "Leinonen" not in shown and REASON not in shown


def test_a_team_member_without_the_consent_does_not_see_the_request(client, demo, tiina):
    add_to_team(client=tiina, user=demo["kela_expert"], by=demo["coordinator"])
    ask(client, demo["te_expert"], tiina)
    log_in(client, demo["kela_expert"])
    response = client.get(reverse("clients:detail", args=[tiina.pk]))
    assert response.status_code == 200
    assert list(response.context["meeting_requests"]) == []
    assert REASON not in response.content.decode()
    assert client.get(reverse("meetings:request_withdraw",
                              args=[MeetingRequest.objects.get().pk])).status_code == 404


def test_a_disclosure_ban_on_the_team_stops_the_request_and_empties_the_queue(
        client, demo, tiina, health):
    ask(client, demo["te_expert"], tiina)
    record_disclosure_ban(client=tiina, by=demo["te_expert"], organisation=health)
    for name in ("home", "meetings:intake"):
        shown = page(client, demo["coordinator"], name)
        assert "Leinonen" not in shown and "?request=" not in shown
    MeetingRequest.objects.update(state=RequestState.WITHDRAWN)
    response = ask(client, demo["te_expert"], tiina)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not MeetingRequest.objects.filter(state=RequestState.OPEN).exists()


def test_that_a_check_asked_is_shown_only_under_a_consent_for_health(client, demo, tiina, health):
    """The request is employment data; that a health check found the assessment needed is the
    check's finding, health data: a team member with a consent for employment only sees the
    request, not where it came from."""
    health_check(demo, tiina, health, demo["nurse"])
    add_to_team(client=tiina, user=demo["kela_expert"], by=demo["coordinator"])
    kela = demo["kela_expert"].memberships.get().organisation
    origin = gettext("From the health check: needs a multi-professional assessment")
    for categories, shown in ((["employment"], False), (["employment", "health"], True)):
        record_consent(client=tiina, by=demo["nurse"], categories=categories,
                       organisations=[kela], purpose="Tiimi", method="written",
                       valid_from=timezone.localdate())
        log_in(client, demo["kela_expert"])
        response = client.get(reverse("clients:detail", args=[tiina.pk]))
        assert len(response.context["meeting_requests"]) == 1
        assert (origin in response.content.decode()) is shown
    # The nurse's own organisation always sees it.
    assert origin in page(client, demo["nurse"], "clients:detail", args=[tiina.pk])


def test_a_user_who_knows_the_client_by_their_own_card_gets_the_teams_of_that_card(
        client, story):
    """Social work took Tiina on at a visit, typing another municipality: the request form
    offers the team of the card they typed, never the team that tells where the real card
    says she lives."""
    tiina, social_worker = story.tiina, story.users["social_worker"]
    real = tiina.municipality
    typed = Municipality.objects.exclude(pk=real.pk).first()
    typed_team = Team.objects.get()
    typed_team.municipalities.set([typed])
    real_team = Team.objects.create(name="Todellisen kunnan tiimi")
    real_team.municipalities.add(real)
    TeamMember.objects.create(team=real_team, user=story.users["coordinator"],
                              kind="coordinator")
    add_client(by=social_worker, organisation=social_worker.memberships.get().organisation,
               hetu=tiina.hetu, first_name="Tiina", last_name="Kirjattu", municipality=typed)
    log_in(client, social_worker)
    response = client.get(reverse("meetings:request", args=[tiina.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["team"].queryset) == [typed_team]
    assert real_team.name not in response.content.decode()
