"""
The world the retention tests tell: a client closed in January 2026, whose card employment
services wrote, referred to the health check of a health organisation. Each organisation wrote
records of its own, each carrying a marker string, so that a test can ask whether a marker is
left anywhere in the database — live tables and history alike.

Employment services keep their records 10 years from the closing (a default), health care 120
years from birth: the client was born on 1 January 1970 (a day outside the archive's birth-date
samples), so health care's are due in 2090.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.db import models

from cases.services import add_note, serve
from clients.hetu import check_character
from clients.models import Client, ClientStatus, RelationshipBasis
from consents.models import AccessLogEntry, Action, DisclosureLogEntry
from consents.services import add_to_team, record_consent
from meetings.services import book_meeting, record_decisions
from plans.services import add_action, create_plan, record_feedback_discussion
from referrals.services import (
    record_assessment,
    record_health_check,
    send_feedback,
    send_referral,
)
from teams.models import Municipality, Role, Sector, Team
from tests.factories import OrganisationFactory, staff

HELSINKI = ZoneInfo("Europe/Helsinki")
BUILT = datetime(2026, 1, 10, 10, 0, tzinfo=HELSINKI)
CLOSED_ON = date(2026, 1, 15)
EMPLOYMENT_DUE = datetime(2036, 1, 16, 3, 0, tzinfo=HELSINKI)  # 10 years after the closing
HEALTH_DUE = datetime(2090, 1, 2, 3, 0, tzinfo=HELSINKI)  # 120 years after 1 January 1970

# Employment services' records of the client.
E_NOTE = "Työnhaku jatkuu merkki-E1"
E_NOTE_BEFORE = "Alkuperäinen muistiinpano merkki-E0"  # only in the note's history
E_SUMMARY = "Kooste uravalmennuksesta merkki-E2"  # the referral
E_SERVICE = "Uravalmennus merkki-E3"  # a line of the referral's summary (a child row)
E_AGENDA = "Asialista merkki-E4"  # the meeting
E_GOAL = "Työkokeilu painotalossa merkki-E5"  # the meeting's decisions (a child row)
E_PLAN = "Oppisopimus merkki-E6"  # the support plan
E_ACTION = "Soita oppilaitokseen merkki-E7"  # the plan's action (a child row)
E_DISCUSSION = "Palautekeskustelu merkki-E8"  # the feedback discussion
E_CONSENT = "Kuntoutuksen suunnittelu merkki-E9"  # a consent no log names
E_LOGGED_CONSENT = "Terveystarkastus merkki-E10"  # a consent the disclosure log names
FIRST_NAME = "Etunimimerkki"  # the client's card, written by employment services

# Health care's records.
H_NOTE = "Selkäkipu merkki-H1"
H_CHECK = "Seuraavat askeleet merkki-H2"  # the health check
H_FEEDBACK = "Löydökset merkki-H3"  # the feedback sent to employment services
H_ASSESSMENT = "Perustelu merkki-H4"  # the doctor's assessment

LOG_ROLE = "lokimerkki"  # written into the access log's rows: they must stay

E_MARKERS = [E_NOTE, E_NOTE_BEFORE, E_AGENDA, E_GOAL, E_PLAN, E_ACTION, E_DISCUSSION,
             E_CONSENT]
H_MARKERS = [H_NOTE, H_CHECK, H_ASSESSMENT]
SHARED_MARKERS = [E_SUMMARY, E_SERVICE, H_FEEDBACK]  # sent from one controller to the other


def hetu_born(day: int, month: int, year: int, individual: int = 123) -> str:
    ddmmyy = f"{day:02d}{month:02d}{year % 100:02d}"
    number = f"{individual:03d}"
    sign = "-" if year < 2000 else "A"
    return f"{ddmmyy}{sign}{number}{check_character(ddmmyy, number)}"


def anywhere(marker: str) -> list[str]:
    """The tables, history tables included, in which the marker is still found."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        texts = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not texts:
            continue
        condition = models.Q()
        for name in texts:
            condition |= models.Q(**{f"{name}__contains": marker}) if not isinstance(
                model._meta.get_field(name), models.JSONField) else models.Q(
                **{f"{name}__icontains": marker})
        if model._base_manager.filter(condition).exists():
            found.append(model._meta.label)
    return found


def close(client, closed_on=CLOSED_ON):
    client.status, client.closed_on, client.closing_reason = (
        ClientStatus.CLOSED, closed_on, "employed")
    client.save()


def build_world():
    """Built on 10 January 2026; the client closed on 15 January 2026."""
    with time_machine.travel(BUILT, tick=False):
        return _build()


def _build():
    municipality = Municipality.objects.create(name="Kajaani", code="205")
    employment = OrganisationFactory(name="Kajaanin työllisyyspalvelut", sector=Sector.EMPLOYMENT)
    health = OrganisationFactory(name="Kainuun terveyspalvelut", sector=Sector.HEALTH)
    for organisation in (employment, health):
        organisation.municipalities.add(municipality)
    te_expert = staff(Role.EMPLOYMENT_EXPERT, organisation=employment, username="te")
    coordinator = staff(Role.COORDINATOR, organisation=employment, username="coordinator")
    nurse = staff(Role.NURSE, organisation=health, username="nurse")
    doctor = staff(Role.DOCTOR, organisation=health, username="doctor")
    leaders = {
        "employment": staff(Role.MANAGER, organisation=employment, username="leader_e"),
        "health": staff(Role.MANAGER, organisation=health, username="leader_h"),
    }
    team = Team.objects.create(name="Kajaanin tiimi")
    team.municipalities.add(municipality)

    client = Client(first_name=FIRST_NAME, last_name="Tuhottavainen", hetu=hetu_born(1, 1, 1970),
                    municipality=municipality, organisation=employment, phone="040 111 2222")
    client.save()
    serve(client=client, organisation=employment, basis=RelationshipBasis.VISIT, by=te_expert)

    note = add_note(client=client, by=te_expert, organisation=employment,
                    category="employment", text=E_NOTE_BEFORE)
    note.text = E_NOTE
    note._history_user = te_expert
    note.save()
    referral = send_referral(client=client, by=te_expert, organisation=employment,
                             recipient=health, reason="year_since_check", urgency="normal",
                             services_summary=E_SUMMARY,
                             services=[{"service": E_SERVICE}])
    today = BUILT.date()
    check = record_health_check(referral=referral, by=nurse, organisation=health, nurse=nurse,
                                performed_on=today, work_ability=6, nurse_view="unemployed",
                                next_steps=H_CHECK)
    feedback = send_feedback(referral=referral, by=nurse, organisation=health, given_on=today,
                             findings=H_FEEDBACK, recommendations="Uravalmennus")
    assessment = record_assessment(client=client, by=doctor, organisation=health,
                                   health_check=check, assessed_on=today,
                                   conclusion="unemployed", justification=H_ASSESSMENT,
                                   continuation_plan="Työkokeilu")
    h_note = add_note(client=client, by=nurse, organisation=health, category="health",
                      text=H_NOTE)
    meeting = book_meeting(client=client, team=team, by=coordinator, organisation=employment,
                           starts_at=BUILT + timedelta(hours=2),
                           ends_at=BUILT + timedelta(hours=3), mode="phone",
                           agenda=E_AGENDA, users=[nurse])
    record_decisions(meeting=meeting, by=coordinator, minutes="", case_managers=[te_expert],
                     realistic_goal=E_GOAL)
    plan = create_plan(client=client, by=te_expert, organisation=employment,
                       case_managers=[te_expert], short_term_goals=E_PLAN,
                       first_follow_up=today + timedelta(days=30))
    add_action(plan=plan, by=te_expert, what=E_ACTION, responsible=te_expert)
    discussion = record_feedback_discussion(client=client, by=te_expert,
                                            organisation=employment, holder=te_expert,
                                            meeting=meeting, held_on=today, reviewed=E_DISCUSSION)
    add_to_team(client=client, user=nurse, by=te_expert)
    unused = record_consent(client=client, by=te_expert, categories=["employment"],
                            organisations=[health], purpose=E_CONSENT, method="written",
                            valid_from=today)
    logged = record_consent(client=client, by=te_expert, categories=["employment"],
                            organisations=[health], purpose=E_LOGGED_CONSENT, method="written",
                            valid_from=today)
    AccessLogEntry.objects.create(user=nurse, client=client, categories=["health"],
                                  action=Action.CLIENT_PAGE, organisation=health, role=LOG_ROLE)
    DisclosureLogEntry.objects.create(user=nurse, client=client, categories=["employment"],
                                      action=Action.CLIENT_PAGE, source_organisation=employment,
                                      recipient_organisation=health, consent=logged)
    close(client)
    return SimpleNamespace(
        client=client, employment=employment, health=health, te_expert=te_expert,
        coordinator=coordinator, nurse=nurse, doctor=doctor, leaders=leaders, team=team,
        municipality=municipality, note=note, h_note=h_note, referral=referral, check=check,
        feedback=feedback, assessment=assessment, meeting=meeting, plan=plan,
        discussion=discussion, consents={"unused": unused, "logged": logged},
    )
