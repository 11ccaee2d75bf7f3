"""
The attacks a security review tried on Tiina's case, each told as the story that now fails: an
organisation that types a known code, one under her disclosure ban, the administrator, and the
pages, prints, forms, searches and lists that worked on the raw client. Each test keeps the
attacker's steps and pins the leak shut: the page, print or form shows only what the policy
lets the attacker see, and a write on another organisation's record is refused.
"""

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.services import add_client
from clients.models import (
    CaseManagerAssignment,
    Client,
    ClientRelationship,
    RelationshipBasis,
)
from consents.models import (
    AccessLogEntry,
    Action,
    ClientUserObjectPermission,
    Consent,
    DisclosureLogEntry,
)
from consents.policy import keeps_card
from consents.services import record_disclosure_ban
from meetings.models import CalendarFeed, Meeting
from meetings.services import book_meeting, record_decisions
from plans.models import PlanStatus, SupportPlan
from referrals.models import Referral
from referrals.services import record_health_check, send_feedback
from teams.models import Membership, Municipality, Organisation, Role, Sector, Team, TeamMember
from tests import test_permission_matrix
from tests.factories import hetu_for, staff
from tests.stories import BACK_PAIN
from tests.utils import log_in
from tests.visibility import text_of
from work import outbox
from work.models import Notification, ReminderKind
from work.reminders import sweep

# The permission matrix's world: Tiina's case with every kind of record, a consent for Kela,
# a referral, a meeting and a ban on TYP. Bound here (not imported by name) so the tests take it.
world = test_permission_matrix.world

PHONE = "040 111 2233"  # put on Tiina's card, which employment services wrote
MENTAL = "Kainuun hyvinvointialue, mielenterveys- ja päihdepalvelut"
HEALTH = "Kainuun hyvinvointialue, terveyspalvelut"


def as_user(client, user):
    client.logout()
    log_in(client, user)
    return client


def take_on(client, organisation, hetu, *, case_managers, last_name="Tyyppi"):
    """The create form, as an organisation fills it in when the client visits: a code typed,
    and a card of the organisation's own ("Oma Tyyppi")."""
    response = client.post(reverse("clients:create"), {
        "first_name": "Oma", "last_name": last_name, "hetu": hetu,
        "municipality": Municipality.objects.get(name="Kajaani").pk, "language": "fi",
        "organisation": organisation.pk, "case_managers": [u.pk for u in case_managers],
    })
    assert response.status_code == 302, response.content[:3000]
    return response


def page(client, name, **kwargs):
    """The response and, when it opened, what it shows (the page, or the PDF's text)."""
    response = client.get(reverse(name, kwargs=kwargs))
    return response, (text_of(response) if response.status_code == 200 else "")


def tiina_with_a_phone(world):
    Client.objects.filter(pk=world["tiina"]["pk"]).update(phone=PHONE)
    return Client.objects.get(pk=world["tiina"]["pk"])


def social_takes_tiina_on(client, world):
    """Social services, with no relationship to Tiina, type her code and name their own social
    worker case manager."""
    tiina = tiina_with_a_phone(world)
    social = world["users"]["social_worker"]
    as_user(client, social)
    take_on(client, social.memberships.get().organisation, tiina.hetu, case_managers=[social])
    return tiina, social


def team_coordinator(username, last_name):
    """A coordinator of social services who sits on the Kainuu work-ability team."""
    social = Organisation.objects.get(sector=Sector.SOCIAL)
    coordinator = staff(Role.COORDINATOR, organisation=social, username=username,
                        first_name="Sosiaali", last_name=last_name)
    TeamMember.objects.create(team=Team.objects.get(), user=coordinator, kind="coordinator")
    return coordinator, social


def book(client, tiina, *, days, hour, participants=()):
    start = timezone.localtime(timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0)
    return client.post(reverse("meetings:book", kwargs={"client_pk": tiina.pk}), {
        "action": "book", "team": Team.objects.get().pk, "date": start.date().isoformat(),
        "start": f"{hour}:00", "duration": "60", "mode": "phone", "phone_details": "x",
        "participants": [user.pk for user in participants],
        "externals-TOTAL_FORMS": "0", "externals-INITIAL_FORMS": "0",
    })


def booked_by(coordinator, organisation, tiina, users):
    """A meeting of the coordinator's organisation, booked in the service (as if before)."""
    start = timezone.now() + timedelta(days=25)
    return book_meeting(client=tiina, team=Team.objects.get(), by=coordinator,
                        organisation=organisation, starts_at=start,
                        ends_at=start + timedelta(hours=1), mode="phone", users=users)


def refer(client, tiina, recipient):
    return client.post(reverse("referrals:create", kwargs={"client_pk": tiina.pk}), {
        "recipient": recipient.pk, "reason": "other", "urgency": "normal",
        "services-TOTAL_FORMS": "0", "services-INITIAL_FORMS": "0",
    })


def move(client, meeting, *, days, hour):
    """The reschedule form, posted: the meeting moved to `hour` o'clock `days` from now."""
    start = timezone.localtime(timezone.now() + timedelta(days=days))
    return client.post(reverse("meetings:reschedule", kwargs={"pk": meeting.pk}), {
        "date": start.date().isoformat(), "start": f"{hour}:00", "duration": "60",
        "mode": "phone", "phone_details": "x",
    })


def my_work(client):
    """The items My work lists now: overdue, today and this week."""
    work = client.get(reverse("home")).context["work"]
    return [*work.overdue, *work.today, *work.week]


def named_case_manager(tiina, user, *, by):
    """A case manager of the user's own organisation for Tiina, named by the organisation `by`
    (as health care named the Kela expert)."""
    return CaseManagerAssignment.objects.create(
        client=tiina, user=user, organisation=user.memberships.get().organisation,
        assigned_by_organisation=by)


def check_and_feed_back(referral, world):
    """Health care's nurse does the referral's health check and sends its routine feedback."""
    nurse = world["users"]["nurse"]
    health = Organisation.objects.get(sector=Sector.HEALTH)
    record_health_check(referral=referral, by=nurse, organisation=health, nurse=nurse,
                        performed_on=timezone.localdate(), work_ability=6,
                        nurse_view="unemployed", next_steps="x")
    send_feedback(referral=referral, by=nurse, organisation=health,
                  given_on=timezone.localdate(), findings="ok", recommendations="x")


# --- 1. Typing a known code gives the organisation its own card, and nothing more --------------

def test_a_referral_to_ones_own_health_check_is_refused_and_carries_no_card(client, world):
    """A nurse of a second health organisation types Tiina's code (her own card only) and
    refers Tiina to her own organisation's health check: the referral must not make her
    organisation a recipient of the card employment services wrote."""
    tiina = tiina_with_a_phone(world)
    health2 = Organisation.objects.create(name="Toinen terveysasema", sector=Sector.HEALTH)
    health2.municipalities.set(Municipality.objects.all())
    nurse2 = staff(Role.NURSE, organisation=health2, username="nurse2", first_name="Noora",
                   last_name="Hyökkääjä")
    as_user(client, nurse2)
    assert page(client, "clients:detail", pk=tiina.pk)[0].status_code == 404

    take_on(client, health2, tiina.hetu, case_managers=[nurse2])
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Tyyppi" in shown and "Leinonen" not in shown and PHONE not in shown

    response = refer(client, tiina, health2)
    assert response.status_code == 200  # refused: the form answers with an error
    assert "Lähetä toisen organisaation terveystarkastukseen" in response.content.decode()
    assert not Referral.objects.filter(client=tiina, organisation=health2).exists()
    assert not ClientRelationship.objects.filter(client=tiina, organisation=health2,
                                                 basis=RelationshipBasis.REFERRAL).exists()
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in shown and PHONE not in shown


def test_naming_oneself_case_manager_at_a_take_on_opens_no_consented_data(client, world):
    """A second Kela expert, not on Tiina's team, types her code and names herself case
    manager: the consent addressed to Kela must not open the card and health care's note to
    her, since a case manager of one's own naming does not join the client's team."""
    tiina = tiina_with_a_phone(world)
    kela = Organisation.objects.get(sector=Sector.KELA)
    kela2 = staff(Role.KELA_EXPERT, organisation=kela, username="kela2", first_name="Keijo",
                  last_name="Kelalainen")
    as_user(client, kela2)
    # Kela serves Tiina on the meeting invitation: her page opens, as a placeholder only.
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in shown and BACK_PAIN not in shown

    take_on(client, kela, tiina.hetu, case_managers=[kela2])
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Tyyppi" in shown
    for secret in ("Leinonen", PHONE, BACK_PAIN):
        assert secret not in shown, secret
    # She is Kela's case manager of Tiina, named by Kela for its own work only.
    assert CaseManagerAssignment.objects.current().filter(
        client=tiina, user=kela2, assigned_by_organisation=kela).exists()


def test_adding_oneself_to_the_team_after_a_take_on_opens_no_consented_data(client, world):
    """A Kela user types Tiina's code naming a colleague case manager, then adds herself to
    Tiina's team on the team page: a grant made by an organisation that only typed a code must
    not let the consent addressed to Kela open the card and health care's note."""
    tiina = tiina_with_a_phone(world)
    kela = Organisation.objects.get(sector=Sector.KELA)
    kela3 = staff(Role.KELA_EXPERT, organisation=kela, username="kela3", first_name="Kaisa",
                  last_name="Kolmas")
    as_user(client, kela3)
    take_on(client, kela, tiina.hetu, case_managers=[world["users"]["kela_expert"]])
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in shown
    response = client.post(reverse("consents:team", kwargs={"client_pk": tiina.pk}),
                           {"user": kela3.pk})
    assert response.status_code == 302
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    for secret in ("Leinonen", PHONE, BACK_PAIN):
        assert secret not in shown, secret


def test_the_create_form_answers_a_known_code_with_the_same_page_as_a_new_one(client, world):
    """Social services type Tiina's code and then a code new to Työkyky: the pages the form
    leads to must look alike — a status line, the note on the organisation's own details and
    a close link on both — so that they do not tell whether the person is someone's client."""
    tiina = tiina_with_a_phone(world)
    social = world["users"]["social_worker"]
    organisation = social.memberships.get().organisation
    as_user(client, social)

    existing = take_on(client, organisation, tiina.hetu, case_managers=[social])
    new = take_on(client, organisation, hetu_for(4321), case_managers=[social])
    for response in (existing, new):
        shown = client.get(response.url).content.decode()
        pk = int(response.url.rstrip("/").split("/")[-1])
        assert "Tila: <strong>Aktiivinen</strong>" in shown, response.url
        assert "Tiedot, jotka organisaatiosi kirjasi" in shown, response.url
        close = reverse("plans:close_client", kwargs={"client_pk": pk})
        assert f'<a href="{close}">Päätä asiakkuus</a>' in shown, response.url
        assert "Leinonen" not in shown


def test_an_own_card_organisation_cannot_open_other_organisations_consents(client, world):
    """Social services type Tiina's code: the consent health care recorded for Kela (its
    purpose, recipients, who recorded it) must not open to them, neither as a page nor as a
    PDF — it would tell who else serves her."""
    tiina, _social = social_takes_tiina_on(client, world)
    _, detail = page(client, "clients:detail", pk=tiina.pk)
    assert "Kuntoutus" not in detail
    for name in ("consents:detail", "consents:pdf"):
        response, shown = page(client, name, pk=world["consent"]["pk"])
        assert response.status_code == 404, name
        assert "Kuntoutus" not in shown and "Kela, Kainuun palvelut" not in shown


def test_my_work_lists_no_other_organisations_consents_after_a_take_on(client, world):
    """Social services type Tiina's code naming their social worker case manager: My work
    must not ask her to confirm the consent health care recorded, naming health care."""
    tiina_with_a_phone(world)
    social_takes_tiina_on(client, world)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["work"].to_confirm) == []
    assert HEALTH not in response.content.decode()


def test_the_case_manager_filter_learns_nothing_of_another_organisation_from_a_take_on(
    client, world
):
    """Social services type Tiina's code: the client list's case-manager filter must not gain
    employment services' case manager, and filtering by him must not return Tiina's row."""
    tiina = tiina_with_a_phone(world)
    social = world["users"]["social_worker"]
    te = world["users"]["te_expert"]
    as_user(client, social)

    def case_managers():
        form = client.get(reverse("clients:list")).context["form"]
        return list(form.fields["case_manager"].queryset)

    assert te not in case_managers()
    take_on(client, social.memberships.get().organisation, tiina.hetu, case_managers=[social])
    assert te not in case_managers()
    response = client.post(reverse("clients:list"), {"case_manager": te.pk, "status": "all",
                                                     "q": ""})
    # Refused: he is no choice of the filter, and the list answers with no rows at all.
    assert response.status_code == 200
    assert "case_manager" in response.context["form"].errors
    assert response.context["page"] is None
    assert reverse("clients:detail", kwargs={"pk": tiina.pk}) not in response.content.decode()


def test_an_own_card_organisation_cannot_revoke_another_organisations_consent(client, world):
    """Social services type Tiina's code and try to revoke the consent health care recorded
    for Kela: the revocation is refused and the consent stays in force for Kela."""
    _tiina, _social = social_takes_tiina_on(client, world)
    response = client.post(reverse("consents:revoke", kwargs={"pk": world["consent"]["pk"]}),
                           {"reason": "x"})
    assert response.status_code == 404
    consent = Consent.objects.get(pk=world["consent"]["pk"])
    assert consent.revoked_by is None and consent.revoked_at is None


def test_a_self_named_case_manager_is_not_reminded_of_another_organisations_health_check(
    client, world
):
    """A social worker types Petri's code and names herself case manager: a year on, My work
    must not remind her that Petri's health check — health care's data — is due."""
    petri = Client.objects.get(first_name="Petri")
    social = world["users"]["social_worker"]
    as_user(client, social)
    take_on(client, social.memberships.get().organisation, petri.hetu, case_managers=[social])
    _, own = page(client, "clients:detail", pk=petri.pk)
    assert "Moilanen" not in own
    label = str(ReminderKind.HEALTH_CHECK.label)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        as_user(client, social)
        work = client.get(reverse("home")).context["work"]
        items = [*work.overdue, *work.today, *work.week]
        assert not [i for i in items if i.client_id == petri.pk and i.label == label]


def test_a_colleague_of_an_invited_expert_gains_nothing_by_adding_themself_to_the_team(
    client, world
):
    """One Kela expert's meeting invitation makes Kela serve Tiina; another Kela user adds
    himself to her team without typing anything: the consent addressed to Kela must not open
    the card and health care's note to him."""
    tiina = tiina_with_a_phone(world)
    kela = Organisation.objects.get(sector=Sector.KELA)
    kela4 = staff(Role.KELA_EXPERT, organisation=kela, username="kela4", first_name="Kalle",
                  last_name="Neljäs")
    as_user(client, kela4)
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in shown
    response = client.post(reverse("consents:team", kwargs={"client_pk": tiina.pk}),
                           {"user": kela4.pk})
    assert response.status_code == 302
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    for secret in ("Leinonen", PHONE, BACK_PAIN):
        assert secret not in shown, secret


def test_a_banned_organisation_cannot_revoke_another_organisations_consent(client, world):
    """The TYP expert — TYP is under Tiina's disclosure ban and serves her only on a meeting
    invitation — tries to revoke the consent health care recorded for Kela: refused, and the
    consent stays in force."""
    typ = world["users"]["typ_expert"]
    as_user(client, typ)
    assert page(client, "consents:detail", pk=world["consent"]["pk"])[0].status_code == 404
    response = client.post(reverse("consents:revoke", kwargs={"pk": world["consent"]["pk"]}),
                           {"reason": "x"})
    assert response.status_code == 404
    consent = Consent.objects.get(pk=world["consent"]["pk"])
    assert consent.revoked_by is None and consent.revoked_at is None


# --- 2. A ban leaves only one's own; the administrator reads nothing ----------------------------

def test_a_banned_card_writer_learns_nothing_of_the_other_organisations(client, world):
    """Tiina forbids disclosure to employment services, which wrote her card: they must no
    longer learn who else serves her, how many entries others hold, who else read her data or
    what consents other organisations recorded."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    record_disclosure_ban(client=tiina, by=world["users"]["nurse"], organisation=employment)
    # Someone of mental-health services reads her page: it lands in the access log.
    as_user(client, world["users"]["mh_worker"])
    client.get(reverse("clients:detail", kwargs={"pk": tiina.pk}))

    as_user(client, world["users"]["te_expert"])
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    for secret in (BACK_PAIN, MENTAL, "ei näy sinulle", "Kuntoutus"):
        assert secret not in shown, secret
    response, shown = page(client, "consents:access_log", client_pk=tiina.pk)
    assert response.status_code == 200
    assert "Tuomas Huttunen" in shown  # their own organisation's reads, this one too
    assert "Mikko Mäkinen" not in shown  # mental-health services' read is theirs to know
    serving = shown.split("Asiakasta palvelevat organisaatiot")[2].split("</table>")[0]
    assert "Kainuun työllisyysalue" in serving and MENTAL not in serving
    response, shown = page(client, "consents:detail", pk=world["consent"]["pk"])
    assert response.status_code == 404 and "Kuntoutus" not in shown


def test_the_administrator_cannot_give_themself_a_care_role(client, world):
    """The administrator reads nothing without a care role, and must not give themself one:
    the admin refuses their own nurse membership, and Tiina's page stays closed to them."""
    admin = world["users"]["admin"]
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    health = Organisation.objects.get(sector=Sector.HEALTH)
    as_user(client, admin)
    assert page(client, "clients:detail", pk=tiina.pk)[0].status_code == 404
    response = client.post(reverse("admin:teams_membership_add"), {
        "user": admin.pk, "organisation": health.pk, "role": "nurse", "is_active": "on",
    })
    assert response.status_code == 200  # the form answers with an error
    assert "Et voi antaa itsellesi tätä roolia" in response.content.decode()
    assert not Membership.objects.filter(user=admin, role=Role.NURSE).exists()
    response, shown = page(client, "clients:detail", pk=tiina.pk)
    assert response.status_code == 404
    assert "Leinonen" not in shown and BACK_PAIN not in shown


def test_a_banned_participants_feed_calendar_and_work_drop_the_meeting(client, world):
    """The TYP expert was invited to Tiina's meeting before she forbade disclosure to TYP: the
    meeting page is closed to him, and his calendar feed, calendar and My work must not list
    it either."""
    typ = world["users"]["typ_expert"]
    meeting = Meeting.objects.get(pk=world["meeting"]["pk"])
    link = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    as_user(client, typ)
    assert client.get(link).status_code == 404
    day = timezone.localdate(meeting.starts_at).isoformat()
    for response in (client.get(reverse("meetings:calendar"), {"scope": "mine", "date": day}),
                     client.get(reverse("home"))):
        assert response.status_code == 200
        assert link not in response.content.decode()
    feed = CalendarFeed.objects.create(user=typ)
    client.logout()
    response = client.get(reverse("meetings:feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert link not in body and "BEGIN:VEVENT" not in body


def test_opening_the_card_edit_form_is_in_the_access_log(client, world):
    """Employment services open the edit form of the card they wrote: it shows the whole card,
    so the read must be in the access log that says who has viewed her data."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    te = world["users"]["te_expert"]
    as_user(client, te)
    before = AccessLogEntry.objects.filter(client=tiina, user=te).count()
    response, shown = page(client, "clients:edit", pk=tiina.pk)
    assert response.status_code == 200 and "Leinonen" in shown and tiina.hetu in shown
    logged = AccessLogEntry.objects.filter(client=tiina, user=te)
    assert logged.count() == before + 1
    entry = logged.get(action=Action.CLIENT_EDIT)
    assert "identity" in entry.categories


# --- 3. Prints and team decisions ----------------------------------------------------------------

def test_a_doctors_summary_by_an_own_card_maker_prints_no_real_card(client, world):
    """A coordinator of social services on the Kainuu team types Tiina's code, books a meeting
    inviting health care's doctor and prints the doctor's summary: the print must not carry the
    card health care keeps (her name and municipality), which the maker may not see."""
    tiina = tiina_with_a_phone(world)
    coordinator, social = team_coordinator("coord2", "Koordinaattori")
    as_user(client, coordinator)
    take_on(client, social, tiina.hetu, case_managers=[coordinator])
    _, own = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in own and "Suomussalmi" not in own

    # The booking page is not theirs: only a coordinator who sees the card books.
    response = book(client, tiina, days=20, hour=12, participants=[world["users"]["doctor"]])
    assert response.status_code == 403
    # Even a meeting of theirs (booked in the service) prints no card it may not see.
    meeting = booked_by(coordinator, social, tiina, [world["users"]["doctor"]])
    response, shown = page(client, "meetings:doctor_summary_pdf", pk=meeting.pk)
    assert response.status_code == 200
    for secret in ("Leinonen", "Suomussalmi", PHONE, tiina.hetu):
        assert secret not in shown, secret


def test_the_process_pdf_is_not_printed_in_the_hidden_cards_language(client, world):
    """Tiina's language of service is Swedish; the mental-health worker sees no identity of
    hers: the process PDF he prints must be in Finnish, not tell her language."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    Client.objects.filter(pk=tiina.pk).update(language="sv")
    as_user(client, world["users"]["mh_worker"])
    _, detail = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in detail
    response, shown = page(client, "plans:process_pdf", client_pk=tiina.pk)
    assert response.status_code == 200
    assert "Yhteenveto työkyvyn tuesta" in shown
    assert "Sammandrag av stödet för arbetsförmågan" not in shown


def test_an_own_card_coordinators_decisions_do_not_end_other_organisations_case_managers(
    client, world
):
    """A coordinator of an unrelated organisation types Tiina's code, books a team meeting and
    saves decisions naming only themself case manager: employment services' case manager,
    whom the card's writer named, must stay hers."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    te = world["users"]["te_expert"]
    assert CaseManagerAssignment.objects.current().filter(client=tiina, user=te).exists()
    coordinator, social = team_coordinator("coord3", "Kolmonen")
    as_user(client, coordinator)
    take_on(client, social, tiina.hetu, case_managers=[coordinator])
    assert book(client, tiina, days=21, hour=10).status_code == 403
    meeting = booked_by(coordinator, social, tiina, [])
    # Without the card the meeting's decisions are not theirs to record either.
    response = client.post(reverse("meetings:decisions", kwargs={"pk": meeting.pk}), {
        "realistic_goal": "x", "case_managers": [coordinator.pk], "minutes": "",
    })
    assert response.status_code == 403
    # And in the service, a non-keeper's decisions change only the case managers it named.
    record_decisions(meeting=meeting, by=coordinator, minutes="", realistic_goal="x",
                     case_managers=[coordinator])
    assert CaseManagerAssignment.objects.current().filter(client=tiina, user=te).exists()
    assert CaseManagerAssignment.objects.current().filter(client=tiina,
                                                          user=coordinator).exists()


# --- 4. Forms start from what the user may see ---------------------------------------------------

def test_the_consent_form_names_no_organisation_serving_the_client_to_a_banned_one(
    client, world
):
    """A psychiatric clinic of Helsinki serves Tiina from outside her municipality; the TYP
    expert, under her disclosure ban, opens the consent form: its list of recipients must not
    name the clinic."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    helsinki = Municipality.objects.create(name="Helsinki", code="091")
    clinic = Organisation.objects.create(name="Helsingin psykiatrinen poliklinikka",
                                         sector=Sector.MENTAL_HEALTH)
    clinic.municipalities.set([helsinki])
    ClientRelationship.objects.create(client=tiina, organisation=clinic,
                                      basis=RelationshipBasis.VISIT)
    as_user(client, world["users"]["typ_expert"])
    response = client.get(reverse("consents:create", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 200
    assert clinic not in response.context["form"].fields["recipient_organisations"].queryset
    assert "Helsingin psykiatrinen poliklinikka" not in response.content.decode()


def test_the_referral_and_consent_forms_follow_the_municipality_of_ones_own_card(
    client, world
):
    """Tiina lives in Oulu by her card; social services typed Kajaani on their own card: the
    referral and consent forms must offer Kajaani's organisations, not Oulu's, which would
    tell them where she really lives."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    oulu = Municipality.objects.create(name="Oulu", code="564")
    Client.objects.filter(pk=tiina.pk).update(municipality=oulu)
    oulu_health = Organisation.objects.create(name="Oulun terveysasema", sector=Sector.HEALTH)
    oulu_health.municipalities.set([oulu])
    social_takes_tiina_on(client, world)  # typed Kajaani
    _, own = page(client, "clients:detail", pk=tiina.pk)
    assert "Oulu" not in own
    response = client.get(reverse("referrals:create", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 200
    recipients = list(response.context["form"].fields["recipient"].queryset)
    assert oulu_health not in recipients
    assert Organisation.objects.get(sector=Sector.HEALTH, name=HEALTH) in recipients
    response = client.get(reverse("consents:create", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 200
    assert "Oulun terveysasema" not in response.content.decode()


def test_the_plan_and_discussion_forms_tell_nothing_of_another_organisations_plan(
    client, world
):
    """Social services type Tiina's code and open the plan form: it must not start from
    employment services' case manager, saving must not answer that another organisation's
    plan is in use, and the discussion form must not name him holder."""
    tiina, social = social_takes_tiina_on(client, world)
    te = world["users"]["te_expert"]
    employments_plan = SupportPlan.objects.get(client=tiina, status=PlanStatus.ACTIVE)
    response = client.get(reverse("plans:plan_edit", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 200
    assert te.pk not in response.context["form"].initial["case_managers"]
    assert social.pk in response.context["form"].initial["case_managers"]
    response = client.post(reverse("plans:plan_edit", kwargs={"client_pk": tiina.pk}), {
        "case_managers": [social.pk], "short_term_goals": "x",
    })
    # Saved as their own plan, beside the one they may not know of: no "already in use".
    assert response.status_code == 302
    assert SupportPlan.objects.filter(client=tiina, organisation=social.memberships.get()
                                      .organisation, status=PlanStatus.ACTIVE).exists()
    employments_plan.refresh_from_db()
    assert employments_plan.status == PlanStatus.ACTIVE
    response = client.get(reverse("plans:discussion_create", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 200
    assert response.context["form"].initial["holder"] != te.pk


def test_the_booking_page_is_not_for_an_organisation_with_only_its_own_card(client, world):
    """A coordinator of social services on the Kainuu team types Tiina's code and opens the
    booking page: a meeting would put its participants on her team, so it is booked only by a
    coordinator who sees her card — and its form would tick her case managers."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    coordinator, social = team_coordinator("coord2", "Koordinaattori")
    as_user(client, coordinator)
    take_on(client, social, tiina.hetu, case_managers=[coordinator])
    response = client.get(reverse("meetings:book", kwargs={"client_pk": tiina.pk}))
    assert response.status_code == 403
    shown = response.content.decode()
    assert "Tuomas Huttunen" not in shown and "Leinonen" not in shown


# --- 5. Searches and orders run on the names the user sees --------------------------------------

def _search_sent(client, q):
    response = client.post(reverse("referrals:sent"), {"q": q, "status": ""})
    assert response.status_code == 302
    listing = client.get(response.url)
    return [referral.client_id for referral in listing.context["page"]]


def test_the_sent_referrals_search_matches_only_the_name_the_user_sees(client, world):
    """Social services type Tiina's code ("Oma Tyyppi") and refer her to the health check: the
    search of their sent referrals must not match letters of her real surname — an oracle of
    the card they may not see — but the name they typed."""
    tiina, _social = social_takes_tiina_on(client, world)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    Referral.objects.filter(client=tiina).update(status="acknowledged")
    response = refer(client, tiina, health)
    assert response.status_code == 302, response.content.decode()[:2000]
    _, own = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in own
    assert tiina.pk not in _search_sent(client, "Leinon")
    assert tiina.pk not in _search_sent(client, "Virtanen")
    assert tiina.pk in _search_sent(client, "Tyyppi")


def test_the_client_list_puts_placeholders_in_number_order_not_by_hidden_surname(
    client, world
):
    """The mental-health worker sees Tiina as a placeholder among his own clients Aalto, Lahti,
    Lepola and Virta: where her row falls must not bracket her hidden surname — named rows
    come first by name, placeholders after them by number."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    mh = world["users"]["mh_worker"]
    mental = Organisation.objects.get(sector=Sector.MENTAL_HEALTH)
    kajaani = Municipality.objects.get(name="Kajaani")
    for n, surname in enumerate(["Aalto", "Lahti", "Lepola", "Virta"]):
        add_client(by=mh, organisation=mental, hetu=hetu_for(7000 + n), case_managers=[mh],
                   first_name="Oma", last_name=surname, municipality=kajaani)
    as_user(client, mh)
    rows = client.get(reverse("clients:list")).context["rows"]
    position = [row.pk for row in rows].index(tiina.pk)
    assert not rows[position].identity
    assert "Leinonen" not in rows[position].name
    named = [i for i, row in enumerate(rows) if row.identity]
    placeholders = [row.pk for row in rows if not row.identity]
    assert max(named) < position  # all named rows before her: Aalto, Lahti, Lepola, Virta
    assert placeholders == sorted(placeholders)


def test_the_referral_form_tells_nothing_of_another_organisations_open_referral(
    client, world
):
    """Social services type Tiina's code and refer her to health care, where employment
    services' referral of her is open: the form must not answer with that referral (its link
    and date) — a record they may not see — but send their own."""
    tiina, social = social_takes_tiina_on(client, world)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    employments = world["referral"]["pk"]
    response = refer(client, tiina, health)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url != reverse("referrals:detail", kwargs={"pk": employments})
    own = Referral.objects.get(client=tiina, organisation=social.memberships.get()
                               .organisation)
    assert response.url == reverse("referrals:detail", kwargs={"pk": own.pk})
    assert Referral.objects.get(pk=employments).organisation.sector == Sector.EMPLOYMENT
    response, shown = page(client, "referrals:detail", pk=own.pk)
    assert response.status_code == 200
    assert reverse("referrals:detail", kwargs={"pk": employments}) not in shown
    assert page(client, "referrals:detail", pk=employments)[0].status_code == 404


# --- The second review round --------------------------------------------------------------------
# A ban leaves an organisation nothing to decide, a card travels only from its writer, and the
# reminders, notices, mails and prints speak only of what their reader may know.

def test_a_banned_keeper_puts_nobody_on_the_team(client, world):
    """Tiina forbids disclosure to health care, which kept her card by employment services'
    referral; its nurse still adds a new Kela user to her team: the grant of an organisation
    that keeps nothing must not let Kela's consent open her card, phone and health note."""
    tiina = tiina_with_a_phone(world)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    record_disclosure_ban(client=tiina, by=world["users"]["te_expert"], organisation=health)
    assert not keeps_card(tiina, health)
    kela = Organisation.objects.get(sector=Sector.KELA)
    kela5 = staff(Role.KELA_EXPERT, organisation=kela, username="kela5", first_name="Kerttu",
                  last_name="Viides")
    as_user(client, kela5)
    _, before = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in before and BACK_PAIN not in before

    as_user(client, world["users"]["nurse"])
    _, nurse_view = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in nurse_view  # the ban: health care sees no card any more
    client.post(reverse("consents:team", kwargs={"client_pk": tiina.pk}), {"user": kela5.pk})

    as_user(client, kela5)
    _, after = page(client, "clients:detail", pk=tiina.pk)
    for secret in ("Leinonen", PHONE, BACK_PAIN):
        assert secret not in after, secret


def test_a_banned_card_writer_ends_no_other_organisations_case_managers(client, world):
    """Tiina forbids disclosure to employment services, which wrote her card; their expert
    saves the card naming only himself case manager: the Kela user health care named must
    stay her case manager, since a banned writer keeps nothing to manage the team by."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    kela_user = world["users"]["kela_expert"]
    named_case_manager(tiina, kela_user, by=health)
    record_disclosure_ban(client=tiina, by=world["users"]["nurse"], organisation=employment)
    te = world["users"]["te_expert"]
    as_user(client, te)
    response = client.get(reverse("clients:edit", kwargs={"pk": tiina.pk}))
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if name not in ("case_managers", "hetu")}
    data["municipality"] = tiina.municipality_id
    data["own_nurse"] = tiina.own_nurse_id or ""
    data["case_managers"] = [te.pk]
    response = client.post(reverse("clients:edit", kwargs={"pk": tiina.pk}), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CaseManagerAssignment.objects.current().filter(client=tiina,
                                                          user=kela_user).exists()
    assert not keeps_card(tiina, employment)  # banned: the writer keeps nothing


def test_a_moved_meetings_update_is_not_mailed_to_a_banned_participant(
    client, world, django_capture_on_commit_callbacks
):
    """The TYP expert was invited to Tiina's meeting before she forbade disclosure to TYP;
    health care's coordinator moves the meeting: the update (new time, place and calendar
    file) must not be mailed to him, as his feed and calendar do not show it either."""
    typ = world["users"]["typ_expert"]
    assert typ.email
    meeting = Meeting.objects.get(pk=world["meeting"]["pk"])
    as_user(client, world["users"]["coordinator"])
    outbox.deliver()  # the booking's invitations, which went before the ban
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = move(client, meeting, days=9, hour=13)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert any(world["users"]["nurse"].email in m.to for m in mail.outbox)  # others told
    assert not [m for m in mail.outbox if typ.email in m.to]


def test_a_banned_health_check_lists_no_referral_in_my_work_or_the_worklist(client, world):
    """Tiina forbids disclosure to health care, to which employment services referred her;
    the nurse opens My work, then types Tiina's code at a visit and opens the worklist: neither
    must list employment services' referral, whose page is closed to her."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    health = Organisation.objects.get(sector=Sector.HEALTH)
    record_disclosure_ban(client=tiina, by=world["users"]["te_expert"], organisation=health)
    referral = world["referral"]["pk"]
    link = reverse("referrals:detail", kwargs={"pk": referral})
    nurse = world["users"]["nurse"]
    as_user(client, nurse)
    assert client.get(link).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        as_user(client, nurse)
        assert link not in [item.url for item in my_work(client)]
    as_user(client, nurse)

    take_on(client, health, tiina.hetu, case_managers=[nurse])
    response = client.post(reverse("referrals:worklist"), {"q": "", "status": ""})
    listing = client.get(response.url)
    assert listing.status_code == 200
    # Petri's referral, which employment services sent too, is listed; nothing of Tiina.
    assert tiina.pk not in [r.client_id for r in listing.context["page"]]
    assert link not in listing.content.decode()
    assert client.get(link).status_code == 404


def test_the_client_list_names_no_other_organisations_case_managers_to_a_banned_writer(
    client, world
):
    """Tiina forbids disclosure to employment services, which wrote her card; their expert
    opens the client list: Tiina's row must name only their own case manager, not the Kela
    expert health care named — as her page does not."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    health = Organisation.objects.get(sector=Sector.HEALTH)
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    kela_user = world["users"]["kela_expert"]
    named_case_manager(tiina, kela_user, by=health)
    record_disclosure_ban(client=tiina, by=world["users"]["nurse"], organisation=employment)
    te = world["users"]["te_expert"]
    as_user(client, te)
    _, detail = page(client, "clients:detail", pk=tiina.pk)
    assert str(kela_user) not in detail
    body = client.get(reverse("clients:list")).content.decode()
    row = body.split(reverse("clients:detail", kwargs={"pk": tiina.pk}))[1].split("</tr>")[0]
    assert str(te) in row  # their own case manager
    assert str(kela_user) not in row


def test_an_own_card_referral_neither_overwrites_the_keepers_card_nor_outlives_a_ban(
    client, world
):
    """Social services type Tiina's code ("Oma Tyyppi") and refer her to health care, which
    keeps her card by employment services' referral; then Tiina forbids disclosure to health
    care: social's typed card must not replace the card health care was sent, and the banned
    nurse must see neither Tiina's code nor social's name for her."""
    tiina, _social = social_takes_tiina_on(client, world)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    row = ClientRelationship.objects.get(client=tiina, organisation=health,
                                         basis=RelationshipBasis.REFERRAL)
    assert row.carries_card and row.last_name == ""
    response = refer(client, tiina, health)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.carries_card and row.last_name == ""  # still the keeper's row, as it came
    record_disclosure_ban(client=tiina, by=world["users"]["te_expert"], organisation=health)
    as_user(client, world["users"]["nurse"])
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    for secret in ("Leinonen", tiina.hetu, "Tyyppi"):
        assert secret not in shown, secret


def test_feedback_to_a_referrer_with_only_its_own_card_carries_no_card(client, world):
    """Social services type Tiina's code ("Oma Tyyppi") and refer her to health care's
    health check; health care, which keeps her card by employment services' referral, sends
    the routine feedback back: the feedback must not carry employment services' card (name,
    phone, code) to social services, nor make them a keeper who learns of others' part."""
    tiina, social = social_takes_tiina_on(client, world)
    social_org = social.memberships.get().organisation
    health = Organisation.objects.get(sector=Sector.HEALTH)
    _, before = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in before and PHONE not in before
    response = refer(client, tiina, health)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get(client=tiina, organisation=social_org)
    check_and_feed_back(referral, world)

    assert not ClientRelationship.objects.get(client=tiina, organisation=social_org,
                                              basis=RelationshipBasis.FEEDBACK).carries_card
    assert not keeps_card(tiina, social_org)
    as_user(client, social)
    _, shown = page(client, "clients:detail", pk=tiina.pk)
    assert "Tyyppi" in shown  # their own card, as before
    for secret in ("Leinonen", PHONE, "Suomussalmi"):
        assert secret not in shown, secret
    response, consent_page = page(client, "consents:detail", pk=world["consent"]["pk"])
    assert response.status_code == 404 and "Kuntoutus" not in consent_page
    # The disclosure log says what went: health data, no card.
    row = DisclosureLogEntry.objects.filter(client=tiina,
                                            recipient_organisation=social_org).get()
    assert list(row.categories) == ["health"]


def test_a_consent_for_the_feedback_opens_not_the_referral_it_answers(client, world):
    """The Kela expert is on Tiina's team under a consent for identity and health only; health
    care checks employment services' referral and sends its feedback: the health data the
    consent opens must not open the referral — an employment record — with its sender."""
    referral = Referral.objects.get(pk=world["referral"]["pk"])
    kela = world["users"]["kela_expert"]
    as_user(client, kela)
    assert page(client, "referrals:detail", pk=referral.pk)[0].status_code == 404
    check_and_feed_back(referral, world)
    as_user(client, kela)
    response, shown = page(client, "referrals:detail", pk=referral.pk)
    assert response.status_code == 404
    assert str(world["users"]["te_expert"]) not in shown
    assert "Kainuun työllisyysalue" not in shown


def test_a_banned_participants_my_work_drops_the_meeting_in_its_week(client, world):
    """The TYP expert was invited to Tiina's meeting before she forbade disclosure to TYP; the
    day before it he opens My work: it must not list the meeting, whose page is closed to
    him (the nurse invited with him still sees it there)."""
    meeting = Meeting.objects.get(pk=world["meeting"]["pk"])
    link = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    with time_machine.travel(meeting.starts_at - timedelta(days=1), tick=False):
        as_user(client, world["users"]["nurse"])
        assert link in client.get(reverse("home")).content.decode()
        as_user(client, world["users"]["typ_expert"])
        assert client.get(link).status_code == 404
        response = client.get(reverse("home"))
        assert response.status_code == 200
        body = response.content.decode()
        assert link not in body
        assert "Verkostotapaaminen klo" not in body


def test_an_own_card_case_manager_is_not_reminded_of_another_organisations_meeting(
    client, world
):
    """A social worker types Tiina's code and names herself case manager; health care's
    coordinator holds a team meeting of Tiina and records no decisions: weeks on, neither My
    work nor the reminder sweep (bell, e-mail) must tell her a feedback discussion of it is
    due — that another organisation met the client is its data."""
    tiina, social = social_takes_tiina_on(client, world)
    _, own = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in own
    start = timezone.now() + timedelta(days=2)
    meeting = book_meeting(client=tiina, team=Team.objects.get(),
                           by=world["users"]["coordinator"],
                           organisation=Organisation.objects.get(sector=Sector.HEALTH),
                           starts_at=start, ends_at=start + timedelta(hours=1), mode="phone",
                           users=[world["users"]["nurse"]])
    kind = ReminderKind.FEEDBACK_DISCUSSION
    with time_machine.travel(start + timedelta(days=25), tick=False):
        as_user(client, social)
        assert not [i for i in my_work(client)
                    if i.client_id == tiina.pk and i.label == str(kind.label)]
        assert social.email
        mail.outbox.clear()
        sweep()
        # Employment services' case manager, on her team, is reminded; the social worker not.
        assert Notification.objects.filter(user=world["users"]["te_expert"], client=tiina,
                                            kind=kind, url__contains=f"meeting={meeting.pk}"
                                            ).exists()
        assert not Notification.objects.filter(user=social, client=tiina, kind=kind).exists()
        assert not [m for m in mail.outbox if social.email in m.to]


def test_an_own_card_case_manager_is_not_told_that_another_organisation_serves(
    client, world, django_capture_on_commit_callbacks
):
    """A social worker types Tiina's code (her own card only); later a private clinic types
    it too: her bell must not say another organisation now serves her client — the
    organisations serving Tiina are not hers to know."""
    tiina, social = social_takes_tiina_on(client, world)
    clinic = Organisation.objects.create(name="Yksityinen klinikka", sector=Sector.HEALTH)
    clinic.municipalities.set(Municipality.objects.all())
    clinic_nurse = staff(Role.NURSE, organisation=clinic, username="clinic_nurse",
                         first_name="Klinikka", last_name="Hoitaja")
    with django_capture_on_commit_callbacks(execute=True):
        add_client(by=clinic_nurse, organisation=clinic, hetu=tiina.hetu,
                   case_managers=[clinic_nurse], first_name="X", last_name="Y",
                   municipality=Municipality.objects.get(name="Kajaani"))
    kind = ReminderKind.NEW_ORGANISATION
    # Employment services' case manager, on her team, is told; the social worker not.
    assert Notification.objects.filter(user=world["users"]["te_expert"], client=tiina,
                                       kind=kind).exists()
    assert not Notification.objects.filter(user=social, client=tiina, kind=kind).exists()
    as_user(client, social)
    body = client.get(reverse("work:notifications")).content.decode()
    assert "Toinen organisaatio palvelee nyt asiakastasi" not in body


def test_a_banned_organiser_cannot_move_a_past_meeting_to_put_people_back_on_the_team(
    client, world
):
    """Health care's coordinator booked a meeting with a Kela user long ago (he is off the
    team 30 days after it); Tiina then forbids disclosure to health care, and the coordinator
    moves the past meeting to next week: refused, and the Kela user must not see her card."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    health = Organisation.objects.get(sector=Sector.HEALTH)
    kela = Organisation.objects.get(sector=Sector.KELA)
    kela7 = staff(Role.KELA_EXPERT, organisation=kela, username="kela7", first_name="Kaarlo",
                  last_name="Seitsemäs")
    coordinator = world["users"]["coordinator"]
    start = timezone.now() + timedelta(days=3)
    meeting = book_meeting(client=tiina, team=Team.objects.get(), by=coordinator,
                           organisation=health, starts_at=start,
                           ends_at=start + timedelta(hours=1), mode="phone", users=[kela7])
    with time_machine.travel(start + timedelta(days=60), tick=False):
        as_user(client, kela7)
        _, shown = page(client, "clients:detail", pk=tiina.pk)
        assert "Leinonen" not in shown  # 30 days after the meeting: off the team
        record_disclosure_ban(client=tiina, by=world["users"]["te_expert"],
                              organisation=health)
        as_user(client, coordinator)
        response = move(client, meeting, days=5, hour=10)
        assert response.status_code == 403
        meeting.refresh_from_db()
        assert meeting.starts_at == start
        as_user(client, kela7)
        _, shown = page(client, "clients:detail", pk=tiina.pk)
        assert "Leinonen" not in shown


def test_the_doctors_summary_names_no_hidden_case_manager_nor_speaks_the_hidden_language(
    client, world
):
    """The mental-health worker sees Tiina only as a placeholder; invited to a new meeting,
    he prints its doctor's summary before decisions: it must not name employment services'
    case manager (with phone and e-mail), nor be in Swedish, the language of her card."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    Client.objects.filter(pk=tiina.pk).update(language="sv")
    mh = world["users"]["mh_worker"]
    te = world["users"]["te_expert"]
    assert CaseManagerAssignment.objects.current().filter(client=tiina, user=te).exists()
    start = timezone.now() + timedelta(days=12)
    meeting = book_meeting(client=tiina, team=Team.objects.get(),
                           by=world["users"]["coordinator"],
                           organisation=Organisation.objects.get(sector=Sector.HEALTH),
                           starts_at=start, ends_at=start + timedelta(hours=1), mode="phone",
                           users=[mh])
    as_user(client, mh)
    _, detail = page(client, "clients:detail", pk=tiina.pk)
    assert "Leinonen" not in detail and str(te) not in detail
    response, shown = page(client, "meetings:doctor_summary_pdf", pk=meeting.pk)
    assert response.status_code == 200
    assert "Yhteenveto lääkärille" in shown
    for secret in ("Leinonen", str(te), "Sammandrag för läkaren"):
        assert secret not in shown, secret


def test_a_consent_reader_cannot_take_another_organisations_member_off_the_team(
    client, world
):
    """The Kela expert sees Tiina's card under a consent and keeps nothing; he tries to take
    off her team the mental-health worker whom health care put on it: refused, and the
    mental-health worker stays on her team."""
    tiina = Client.objects.get(pk=world["tiina"]["pk"])
    mh = world["users"]["mh_worker"]
    grants = ClientUserObjectPermission.objects.filter(content_object_id=tiina.pk, user=mh)
    assert grants.exists()
    as_user(client, world["users"]["kela_expert"])
    response = client.post(reverse("consents:team_remove",
                                   kwargs={"client_pk": tiina.pk, "user_pk": mh.pk}))
    assert response.status_code == 403
    assert grants.exists()
