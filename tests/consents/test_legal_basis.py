"""
Every relationship, display and write has a legal basis: the eight ways around the consent gate
that a Kela, an employment and a TYP expert found, each told as the story that now fails. The
permission matrix runs the same roles over every URL; these pin each finding down.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.services import add_note
from clients.models import Client, RelationshipBasis
from consents.models import AccessLogEntry, Action, DisclosureLogEntry
from consents.services import (
    add_to_team,
    confirm_by_client,
    confirm_consent,
    record_consent,
    record_disclosure_ban,
)
from meetings.models import CalendarFeed, Meeting, Room
from meetings.services import book_meeting, record_decisions
from plans.models import FeedbackDiscussion
from plans.services import add_action, create_plan, record_feedback_discussion
from referrals.services import send_referral
from teams.models import Organisation, Role, Sector, Team, TeamMember
from tests.factories import staff
from tests.stories import (
    AGENDA,
    BACK_PAIN,
    DISCUSSION,
    FOR_THE_DOCTOR,
    JOB_SEARCH,
    MEETING_GOAL,
    MINUTES,
    PHONE_DETAILS,
    PLAN_GOAL,
    VIDEO_LINK,
)
from tests.utils import log_in
from tests.visibility import text_of
from work.models import Notification, ReminderKind

TIINA_HETU = "300471-946"


def client_form(person, organisation, case_manager, **overrides):
    """The create form as a staff member fills it in at the client's visit."""
    return {
        "first_name": "Tiia", "last_name": "Virtanen", "hetu": person.hetu.lower(),
        "municipality": person.municipality_id, "language": "fi", "phone": "",
        "organisation": organisation.pk, "case_managers": [case_manager.pk], **overrides,
    }


def everything_about(client, person) -> str:
    """Every page, print and export of the client the logged-in user can open."""
    urls = [reverse(name, args=[person.pk]) for name in (
        "clients:detail", "clients:summary_pdf", "clients:notes_csv", "plans:plan",
        "plans:process_pdf", "consents:access_log")]
    return "\n".join(text_of(client.get(url)) for url in urls)


# --- 1. Taking a client on by code opens nothing ------------------------------------------------

def test_typing_a_known_code_opens_nothing_of_the_other_organisations(
    client, story, django_capture_on_commit_callbacks
):
    """A social worker of an organisation with no relationship types Tiina's code (and a name
    of their choosing), records a consent for their own organisation and puts themself on her
    team: they see what they typed, and nothing anybody else wrote."""
    social_worker = story.users["social_worker"]
    social = social_worker.memberships.get().organisation
    log_in(client, social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clients:create"),
                               client_form(story.tiina, social, social_worker))
    assert response.url == reverse("clients:detail", args=[story.tiina.pk])
    client.post(reverse("consents:create", args=[story.tiina.pk]), {
        "categories": ["identity", "employment", "health", "social", "benefits"],
        "recipient_organisations": [social.pk], "purpose": "Oma", "method": "written",
        "valid_from": "2026-01-01",
    })
    client.post(reverse("consents:team", args=[story.tiina.pk]), {"user": social_worker.pk})
    seen = everything_about(client, story.tiina)
    assert "Virtanen" in seen  # what they typed
    for secret in ("Leinonen", BACK_PAIN, JOB_SEARCH, "Tuomas Huttunen", "Nina Korhonen",
                   "ei näy sinulle"):
        assert secret not in seen, secret
    assert not DisclosureLogEntry.objects.filter(client=story.tiina,
                                                 recipient_organisation=social).exists()


def test_the_take_on_is_recorded_as_its_basis_and_told_to_the_organisations_serving(
    client, story, django_capture_on_commit_callbacks
):
    social_worker = story.users["social_worker"]
    social = social_worker.memberships.get().organisation
    log_in(client, social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clients:create"), client_form(story.tiina, social, social_worker))
    relationship = story.tiina.relationships.get(organisation=social)
    assert (relationship.basis, relationship.recorded_by) == (RelationshipBasis.VISIT,
                                                             social_worker)
    told = Notification.objects.filter(kind=ReminderKind.NEW_ORGANISATION)
    # Her case manager at employment services and her own nurse at health care.
    assert {n.user.username for n in told} == {"te_expert", "nurse"}
    assert all(n.get_kind_display() == "Toinen organisaatio palvelee nyt asiakastasi"
               for n in told)  # the bell names nobody


def test_the_old_take_on_by_code_alone_is_gone(client, story):
    log_in(client, story.users["social_worker"])
    assert client.post("/clients/take-on/", {"hetu": story.tiina.hetu}).status_code == 404


def test_the_form_answers_a_known_code_exactly_as_a_new_one(client, story):
    social_worker = story.users["social_worker"]
    social = social_worker.memberships.get().organisation
    log_in(client, social_worker)
    known = client.post(reverse("clients:create"),
                        client_form(story.tiina, social, social_worker), follow=True)
    stranger = Client(hetu="010190-999W", municipality=story.tiina.municipality)
    new = client.post(reverse("clients:create"),
                      client_form(stranger, social, social_worker), follow=True)
    assert [hop[1] for hop in known.redirect_chain] == [hop[1] for hop in new.redirect_chain]
    for response in (known, new):
        page = response.content.decode()
        assert "Asiakas lisätty." in page and "Tiia Virtanen" in page
        assert "jo Työkyvyssä" not in page


# --- 2. A disclosure ban covers identity --------------------------------------------------------

def test_a_ban_hides_the_card_even_from_an_organisation_a_referral_was_sent_to(client, demo):
    saara = Client.objects.get(first_name="Saara")  # employment services' client only
    employment = demo["te_expert"].memberships.get().organisation
    health = demo["nurse"].memberships.get().organisation
    send_referral(client=saara, by=demo["te_expert"], organisation=employment,
                  recipient=health, reason="other", urgency="normal")
    log_in(client, demo["nurse"])
    page = reverse("clients:detail", args=[saara.pk])
    assert "Kinnunen" in client.get(page).content.decode()  # the referral carried her card
    record_disclosure_ban(client=saara, by=demo["te_expert"], sector="health")
    shown = client.get(page).content.decode()
    assert "Kinnunen" not in shown and saara.hetu not in shown
    assert f"Asiakas nro {saara.pk}" in shown


def test_no_referral_goes_to_an_organisation_under_a_ban(client, demo):
    saara = Client.objects.get(first_name="Saara")
    health = demo["nurse"].memberships.get().organisation
    record_disclosure_ban(client=saara, by=demo["te_expert"], organisation=health)
    log_in(client, demo["te_expert"])
    response = client.post(reverse("referrals:create", args=[saara.pk]), {
        "recipient": health.pk, "reason": "other", "urgency": "normal",
        "services-TOTAL_FORMS": "0", "services-INITIAL_FORMS": "0",
    })
    assert "kieltänyt tietojensa luovuttamisen" in response.content.decode()
    assert not saara.referral_set.exists()


# --- 3. No name or code without an identity consent ---------------------------------------------

@pytest.fixture
def outside_coordinator(story):
    """A coordinator of mental-health services on Tiina's team and in the work-ability team,
    with no consent at all: the views a coordinator opens show her by number only."""
    mental = Organisation.objects.get(sector=Sector.MENTAL_HEALTH)
    person = staff(Role.COORDINATOR, organisation=mental)
    TeamMember.objects.create(team=Team.objects.get(), user=person, kind="coordinator")
    add_to_team(client=story.tiina, user=person, by=story.users["coordinator"])
    return person


def test_views_a_team_member_opens_show_no_name_or_code_without_a_consent(
    client, story, outside_coordinator
):
    meeting = book_meeting(
        client=story.tiina, team=Team.objects.get(), by=outside_coordinator,
        organisation=outside_coordinator.memberships.get().organisation,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1), mode="phone",
    )
    log_in(client, outside_coordinator)
    tiina = story.tiina.pk
    # Without the card no meeting is theirs to book (it would put people on her team).
    assert client.get(reverse("meetings:book", args=[tiina])).status_code == 403
    # Nor, without the card, to move, cancel or record its decisions.
    for name in ("meetings:reschedule", "meetings:cancel", "meetings:decisions"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 403, name
    for url in [reverse(name, args=[tiina]) for name in (
            "plans:plan_edit", "plans:discussion_create", "clients:note_create",
            "plans:process_pdf", "consents:create")] + [
            reverse(name, args=[meeting.pk]) for name in (
                "meetings:detail", "meetings:doctor_summary_pdf")]:
        response = client.get(url)
        assert response.status_code == 200, url
        shown = text_of(response)
        assert "Leinonen" not in shown and TIINA_HETU not in shown, url
        if response["Content-Type"].startswith("text/html"):
            assert f"nro {tiina}" in shown, url
    # The views logged what they showed — her own organisation's meeting — and no disclosure:
    # nothing of another organisation was shown.
    assert AccessLogEntry.objects.filter(user=outside_coordinator,
                                         action=Action.MEETING).exists()
    assert not DisclosureLogEntry.objects.filter(user=outside_coordinator).exists()
    assert not AccessLogEntry.objects.filter(user=outside_coordinator,
                                             action=Action.PLAN).exclude(categories=[]).exists()


# --- 4. Another organisation's record is neither read nor overwritten through a form -----------

@pytest.fixture
def meeting_with_employments_discussion(story):
    """Tiina's meeting, and employment services' discussion of it that health care may not
    read (no consent for employment information)."""
    meeting = book_meeting(
        client=story.tiina, team=Team.objects.get(), by=story.users["coordinator"],
        organisation=story.health, starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1), mode="phone",
        users=[story.users["te_expert"]],
    )
    discussion = record_feedback_discussion(
        client=story.tiina, by=story.users["te_expert"], organisation=story.employment,
        holder=story.users["te_expert"], meeting=meeting,
        scheduled_for=timezone.now() + timedelta(days=10), reviewed=DISCUSSION)
    return meeting, discussion


def test_the_discussion_form_does_not_start_from_another_organisations_discussion(
    client, story, meeting_with_employments_discussion
):
    meeting, discussion = meeting_with_employments_discussion
    log_in(client, story.users["coordinator"])
    url = reverse("plans:discussion_create", args=[story.tiina.pk]) + f"?meeting={meeting.pk}"
    form = client.get(url).content.decode()
    assert DISCUSSION not in form
    client.post(url, {"meeting": meeting.pk, "holder": story.users["coordinator"].pk,
                      "held_on": timezone.localdate().isoformat(), "client_present": "on",
                      "reviewed": "Terveydenhuollon oma keskustelu"})
    discussion.refresh_from_db()
    assert discussion.reviewed == DISCUSSION  # employment's record untouched
    assert FeedbackDiscussion.objects.filter(meeting=meeting, organisation=story.health,
                                             reviewed="Terveydenhuollon oma keskustelu").exists()


def test_a_consent_to_read_a_plan_is_no_right_to_change_it(client, story):
    plan = create_plan(client=story.tiina, by=story.users["te_expert"],
                       organisation=story.employment, case_managers=[story.users["te_expert"]],
                       short_term_goals=PLAN_GOAL)
    action = add_action(plan=plan, by=story.users["te_expert"], what="Uravalmennus",
                        responsible=story.users["te_expert"])
    record_consent(client=story.tiina, by=story.users["te_expert"], categories=["employment"],
                   organisations=[story.health], purpose="Suunnitelman seuranta",
                   method="written", valid_from="2026-01-01")
    log_in(client, story.users["nurse"])
    assert PLAN_GOAL in client.get(reverse("plans:plan", args=[story.tiina.pk])).content.decode()
    assert client.get(reverse("plans:plan_edit", args=[story.tiina.pk])).status_code == 403
    assert client.post(reverse("plans:action_add", args=[story.tiina.pk]),
                       {"what": "Vieras toimenpide"}).status_code == 403
    assert client.post(reverse("plans:action_status", args=[action.pk]),
                       {"status": "done"}).status_code == 403
    plan.refresh_from_db()
    assert plan.actions.count() == 1 and plan.short_term_goals == PLAN_GOAL


# --- 5. Meeting content carries its categories --------------------------------------------------

@pytest.fixture
def tiinas_meeting(story):
    """Booked by health care's coordinator with the Kela expert (no consent) invited, its
    decisions and minutes written."""
    meeting = book_meeting(
        client=story.tiina, team=Team.objects.get(), by=story.users["coordinator"],
        organisation=story.health, starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1), mode="phone",
        phone_details=PHONE_DETAILS, agenda=AGENDA,
        users=[story.users["kela_expert"], story.users["nurse"]],
    )
    record_decisions(meeting=meeting, by=story.users["coordinator"], minutes=MINUTES,
                     case_managers=[story.users["te_expert"]], realistic_goal=MEETING_GOAL,
                     information_for_doctor=FOR_THE_DOCTOR,
                     questions_for_doctor="Voiko B-lausunnon kirjoittaa?")
    return meeting


def test_an_invited_expert_without_a_consent_reads_none_of_the_meetings_content(
    client, story, tiinas_meeting
):
    log_in(client, story.users["kela_expert"])
    for name in ("meetings:detail", "meetings:doctor_summary_pdf"):
        response = client.get(reverse(name, args=[tiinas_meeting.pk]))
        assert response.status_code == 200
        shown = text_of(response)
        for secret in (FOR_THE_DOCTOR, "B-lausunnon", MINUTES, PHONE_DETAILS, AGENDA,
                       MEETING_GOAL, "Leinonen"):
            assert secret not in shown, (name, secret)
        assert "Ei suostumusta tähän tietoon" in shown, name
    # The time and the way in are the invited expert's to know.
    assert "Puhelimitse" in client.get(reverse("meetings:detail",
                                               args=[tiinas_meeting.pk])).content.decode()


def test_with_a_consent_for_health_the_expert_reads_the_health_content_only(
    client, story, tiinas_meeting
):
    record_consent(client=story.tiina, by=story.users["nurse"], categories=["health"],
                   organisations=[story.kela], purpose="Kuntoutus", method="written",
                   valid_from="2026-01-01")
    log_in(client, story.users["kela_expert"])
    shown = client.get(reverse("meetings:detail", args=[tiinas_meeting.pk])).content.decode()
    assert FOR_THE_DOCTOR in shown and MINUTES in shown
    assert MEETING_GOAL not in shown and AGENDA not in shown and PHONE_DETAILS not in shown


def test_the_doctors_summary_filters_the_decisions_by_what_the_doctors_organisation_may_see(
    client, story, tiinas_meeting
):
    """The decisions name a doctor of a private clinic with no consent: the summary made for
    it carries none of the decisions' health content."""
    clinic = Organisation.objects.create(name="Lääkärikeskus Kajaani", sector=Sector.HEALTH)
    doctor = staff(Role.DOCTOR, organisation=clinic)
    tiinas_meeting.decision.doctor = doctor
    tiinas_meeting.decision.save()
    log_in(client, story.users["coordinator"])
    shown = text_of(client.get(reverse("meetings:doctor_summary_pdf",
                                       args=[tiinas_meeting.pk])))
    assert "Lääkärikeskus Kajaani" in shown
    for secret in (FOR_THE_DOCTOR, MINUTES, BACK_PAIN, PHONE_DETAILS, "Leinonen"):
        assert secret not in shown, secret


# --- 6. Nothing of the client in invitations, updates, cancellations and feeds ------------------

def _everything_sent(feed_client, feed) -> str:
    texts = []
    for message in mail.outbox:
        texts += [message.subject, message.body]
        texts += [Calendar.from_ical(attachment[1]).to_ical().decode()
                  for attachment in message.attachments]
    texts.append(feed_client.get(reverse("meetings:feed", args=[feed.token])).content.decode())
    return "\n".join(texts)


@pytest.mark.parametrize("mode", ["phone", "video"])
def test_invitations_updates_cancellations_and_feeds_carry_no_free_text(
    client, story, django_capture_on_commit_callbacks, mode
):
    coordinator = story.users["coordinator"]
    start = timezone.now() + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = book_meeting(
            client=story.tiina, team=Team.objects.get(), by=coordinator,
            organisation=story.health, starts_at=start, ends_at=start + timedelta(hours=1),
            mode=mode, phone_details=PHONE_DETAILS, video_link=VIDEO_LINK, agenda=AGENDA,
            users=[story.users["kela_expert"]],
        )
    log_in(client, coordinator)
    later = timezone.localtime(start + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:reschedule", args=[meeting.pk]), {
            "date": later.date().isoformat(), "start": later.strftime("%H:%M"),
            "duration": "60", "mode": mode, "video_link": VIDEO_LINK,
            "phone_details": PHONE_DETAILS,
        })
        client.post(reverse("meetings:cancel", args=[meeting.pk]))
    assert {"REQUEST", "CANCEL"} <= {str(Calendar.from_ical(m.attachments[0][1])["METHOD"])
                                      for m in mail.outbox}
    feed = CalendarFeed.objects.create(user=story.users["kela_expert"])
    sent = _everything_sent(client, feed)
    for secret in (PHONE_DETAILS, "040 765 4321", VIDEO_LINK, "video.example", AGENDA,
                   "Leinonen", "Tiina", story.tiina.hetu):
        assert secret not in sent, secret
    assert f"nro {meeting.pk}" in sent and reverse("meetings:detail", args=[meeting.pk]) in sent


# --- 7. Calendars and lists show others' meetings only as busy ---------------------------------

def test_the_team_calendar_and_my_work_show_others_clients_meetings_as_busy(client, demo):
    """Jaakko's meeting with the TYP expert: a coordinator of the same work-ability team who
    has nothing to do with Jaakko sees a busy time, not a meeting."""
    jaakko = Client.objects.get(first_name="Jaakko")
    start = timezone.now() + timedelta(days=1)
    meeting = book_meeting(
        client=jaakko, team=Team.objects.get(), by=demo["coordinator"],
        organisation=demo["coordinator"].memberships.get().organisation,
        starts_at=start, ends_at=start + timedelta(hours=1), mode="in_person",
        room=Room.objects.get(municipality__name="Kajaani"), users=[demo["typ_expert"]],
    )
    social = demo["social_worker"].memberships.get().organisation
    stranger = staff(Role.COORDINATOR, organisation=social)
    TeamMember.objects.create(team=Team.objects.get(), user=stranger, kind="coordinator")
    log_in(client, stranger)
    link = reverse("meetings:detail", args=[meeting.pk])
    day = timezone.localdate(start).isoformat()
    for page in (client.get(reverse("meetings:calendar"), {"scope": "team", "date": day}),
                 client.get(reverse("home"))):
        shown = page.content.decode()
        assert "varattu" in shown
        assert link not in shown and "Tervo" not in shown and meeting.room.name not in shown
    log_in(client, demo["typ_expert"])
    calendar = client.get(reverse("meetings:calendar"), {"scope": "mine", "date": day})
    assert link in calendar.content.decode()


# --- 8. An id answers the same whether or not it exists -----------------------------------------

@pytest.mark.parametrize("who", ["nurse", "admin"])
def test_plan_parts_answer_404_alike_for_ids_that_exist_and_that_do_not(client, story, who):
    plan = create_plan(client=story.tiina, by=story.users["te_expert"],
                       organisation=story.employment, case_managers=[story.users["te_expert"]],
                       short_term_goals=PLAN_GOAL, first_follow_up=timezone.localdate())
    action = add_action(plan=plan, by=story.users["te_expert"], what="Uravalmennus",
                        responsible=story.users["te_expert"])
    follow_up = plan.follow_ups.get()
    log_in(client, story.users[who])
    for name, existing in (("plans:follow_up_done", follow_up.pk),
                           ("plans:action_status", action.pk)):
        answers = {client.post(reverse(name, args=[pk]), {"status": "done"}).status_code
                   for pk in (existing, 987654321)}
        assert answers == {404}, (name, answers)


# --- The rule holds the other way too: consented data does show --------------------------------

def test_a_consent_the_controller_confirmed_opens_exactly_its_categories(client, story):
    add_note(client=story.tiina, by=story.users["nurse"], organisation=story.health,
             category="employment", text="Terveydenhuollon huomio työnhausta")
    consent = record_consent(client=story.tiina, by=story.users["te_expert"],
                             categories=["identity", "employment"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "Leinonen" in page and JOB_SEARCH in page  # employment recorded it: its own data
    assert "Terveydenhuollon huomio" not in page  # health's employment note: not confirmed
    confirm_consent(consent=consent, organisation=story.health, by=story.users["nurse"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "Terveydenhuollon huomio" in page and BACK_PAIN not in page
    assert Meeting.objects.count() == 0


def test_a_consent_the_client_confirmed_opens_every_sources_data_of_its_categories(
    client, story
):
    add_note(client=story.tiina, by=story.users["nurse"], organisation=story.health,
             category="employment", text="Terveydenhuollon huomio työnhausta")
    consent = record_consent(client=story.tiina, by=story.users["te_expert"],
                             categories=["identity", "employment"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    log_in(client, story.users["kela_expert"])
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "Terveydenhuollon huomio" not in page
    confirm_by_client(consent=consent)
    page = client.get(reverse("clients:detail", args=[story.tiina.pk])).content.decode()
    assert "Terveydenhuollon huomio" in page and JOB_SEARCH in page
    assert BACK_PAIN not in page  # health content: a category the consent does not name


# --- Consents need the controller: where the confirmation is asked and shown -------------------

def test_a_consent_waits_on_my_work_for_the_controllers_click_and_says_whose_data_it_opens(
    client, story
):
    consent = record_consent(client=story.tiina, by=story.users["nurse"],
                             categories=["identity", "health"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    log_in(client, story.users["te_expert"])  # her case manager at employment services
    work = client.get(reverse("home"))
    assert [c.pk for c in work.context["work"].to_confirm] == [consent.pk]
    assert "Organisaatiosi vahvistusta odottavat suostumukset" in work.content.decode()
    detail = client.get(reverse("consents:detail", args=[consent.pk])).content.decode()
    assert "Kainuun hyvinvointialue, terveyspalvelut (kirjasi sen)" in detail
    assert "Kainuun työllisyysalue (vahvisti" not in detail

    client.post(reverse("consents:confirm", args=[consent.pk]))
    assert client.get(reverse("home")).context["work"].to_confirm == []
    detail = client.get(reverse("consents:detail", args=[consent.pk])).content.decode()
    assert "Kainuun työllisyysalue (vahvisti" in detail
    printed = text_of(client.get(reverse("consents:pdf", args=[consent.pk])))
    assert "Kenen tiedot suostumus avaa" in printed and "vahvisti" in printed
    assert consent.confirmations.get().confirmed_by == story.users["te_expert"]


def test_an_organisation_that_does_not_serve_the_client_cannot_confirm(client, story):
    consent = record_consent(client=story.tiina, by=story.users["nurse"],
                             categories=["health"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    log_in(client, story.users["social_worker"])
    assert client.post(reverse("consents:confirm", args=[consent.pk])).status_code == 404
    assert not consent.confirmations.exists()


def test_who_serves_the_client_and_on_what_basis_is_in_the_clients_log(client, story):
    saara = Client.objects.get(first_name="Saara")
    send_referral(client=saara, by=story.users["te_expert"], organisation=story.employment,
                  recipient=story.health, reason="other", urgency="normal")
    log_in(client, story.users["te_expert"])
    page = client.get(reverse("consents:access_log", args=[saara.pk])).content.decode()
    section = page.split("Asiakasta palvelevat organisaatiot")[2].split("</table>")[0]
    assert "Organisaatiolle osoitettu lähete" in section and "Tuomas Huttunen" in section
