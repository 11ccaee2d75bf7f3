"""
A client of four organisations, for the data package: employment services A (who asks), the
health centre B, social work C and Kela D, and E, an organisation with no relationship to the
client. Each record carries a marker string, so that a package that shows one is caught.

- A's own records (its note, referral, plan and action, feedback discussion): in.
- B's health records, under a consent B recorded for A: in; its feedback, addressed to A: in.
- B's meeting, to which A's expert is invited: in, with its health fields (the minutes, what
  goes to the doctor) but not its employment fields (agenda, goal), which no consent opens.
- B's social note: no consent covers it: out.
- C's health note, under a consent C recorded for A: in — until the client forbids disclosing
  to A (`ban_on_a`), which leaves A only what A wrote.
- D's notes: D consented nothing to A: out.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases.services import add_case_managers, add_note
from consents.audit import record_disclosure
from consents.models import Action
from consents.services import record_consent, record_disclosure_ban
from meetings.services import book_meeting, record_decisions
from plans.services import add_action, create_plan, record_feedback_discussion
from referrals.services import (
    record_assessment,
    record_health_check,
    send_feedback,
    send_referral,
)
from teams.models import Role, Sector, Team
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff

A_NOTE = "RIGHTS-A-oma-kirjaus-työnhaku"
A_REFERRAL = "RIGHTS-A-lähetteen-kooste"
A_PLAN_GOAL = "RIGHTS-A-suunnitelman-tavoite"
A_ACTION = "RIGHTS-A-suunnitelman-toimenpide"
A_DISCUSSION = "RIGHTS-A-palautekeskustelu"
B_HEALTH_NOTE = "RIGHTS-B-terveyskirjaus"
B_CHECK = "RIGHTS-B-terveystarkastuksen-jatko"
B_FEEDBACK = "RIGHTS-B-palaute-lähettäjälle"
B_ASSESSMENT = "RIGHTS-B-lääkärin-perustelu"
B_MINUTES = "RIGHTS-B-muistion-terveystieto"
B_FOR_DOCTOR = "RIGHTS-B-tieto-lääkärille"
C_HEALTH_NOTE = "RIGHTS-C-terveyskirjaus"

B_SOCIAL_NOTE = "RIGHTS-B-sosiaalinen-ilman-suostumusta"
B_AGENDA = "RIGHTS-B-asialista-ilman-suostumusta"
B_GOAL = "RIGHTS-B-tavoite-ilman-suostumusta"
D_NOTE = "RIGHTS-D-etuus-ilman-suostumusta"
D_HEALTH_NOTE = "RIGHTS-D-terveys-ilman-suostumusta"

A_OWN = [A_NOTE, A_REFERRAL, A_PLAN_GOAL, A_ACTION, A_DISCUSSION]
DISCLOSED_TO_A = [B_HEALTH_NOTE, B_CHECK, B_FEEDBACK, B_ASSESSMENT, B_MINUTES, B_FOR_DOCTOR,
                  C_HEALTH_NOTE]
NEVER_TO_A = [B_SOCIAL_NOTE, B_AGENDA, B_GOAL, D_NOTE, D_HEALTH_NOTE]


@pytest.fixture
def world(db):
    today = timezone.localdate()
    kajaani = MunicipalityFactory(name="Kajaani", code="205")
    a = OrganisationFactory(name="Työllisyyspalvelut A", sector=Sector.EMPLOYMENT)
    b = OrganisationFactory(name="Terveysasema B", sector=Sector.HEALTH)
    c = OrganisationFactory(name="Sosiaalityö C", sector=Sector.SOCIAL)
    d = OrganisationFactory(name="Kela D", sector=Sector.KELA)
    e = OrganisationFactory(name="Järjestö E", sector=Sector.THIRD_SECTOR)
    for organisation in (a, b, c, d, e):
        organisation.municipalities.add(kajaani)
    people = SimpleNamespace(
        a_expert=staff(Role.EMPLOYMENT_EXPERT, organisation=a, first_name="Aino",
                       last_name="Asiantuntija"),
        b_nurse=staff(Role.NURSE, organisation=b, first_name="Bea", last_name="Hoitaja"),
        b_coordinator=staff(Role.COORDINATOR, organisation=b, first_name="Bert",
                            last_name="Koordinaattori"),
        b_doctor=staff(Role.DOCTOR, organisation=b, first_name="Bodil", last_name="Lääkäri"),
        c_worker=staff(Role.SOCIAL_WORKER, organisation=c, first_name="Cilla",
                       last_name="Sosiaalityöntekijä"),
        d_expert=staff(Role.KELA_EXPERT, organisation=d, first_name="Dan", last_name="Kela"),
        e_worker=staff(Role.SOCIAL_WORKER, organisation=e, first_name="Eero",
                       last_name="Ulkopuolinen"),
    )
    client = ClientFactory(organisations=[a, b, c, d], first_name="Saara",
                           last_name="Oikeudenhaltija", municipality=kajaani)
    add_case_managers(client=client, users=[people.a_expert], by=people.a_expert, named_by=a)

    # A's own records.
    add_note(client=client, by=people.a_expert, organisation=a, category="employment",
             text=A_NOTE)
    referral = send_referral(client=client, by=people.a_expert, organisation=a, recipient=b,
                             reason="year_since_check", urgency="normal",
                             services_summary=A_REFERRAL)
    plan = create_plan(client=client, by=people.a_expert, organisation=a,
                       case_managers=[people.a_expert], short_term_goals=A_PLAN_GOAL,
                       first_follow_up=today)
    add_action(plan=plan, by=people.a_expert, what=A_ACTION, responsible=people.a_expert)
    record_feedback_discussion(client=client, by=people.a_expert, organisation=a,
                               holder=people.a_expert, held_on=today, reviewed=A_DISCUSSION)

    # B's records: health ones under B's consent to A, the feedback addressed to A.
    add_note(client=client, by=people.b_nurse, organisation=b, category="health",
             text=B_HEALTH_NOTE)
    add_note(client=client, by=people.b_nurse, organisation=b, category="social",
             text=B_SOCIAL_NOTE)
    record_health_check(referral=referral, by=people.b_nurse, organisation=b,
                        nurse=people.b_nurse, performed_on=today, work_ability=6,
                        nurse_view="unemployed", next_steps=B_CHECK)
    send_feedback(referral=referral, by=people.b_nurse, organisation=b, given_on=today,
                  findings=B_FEEDBACK, recommendations="Uravalmennus")
    record_assessment(client=client, by=people.b_doctor, organisation=b, assessed_on=today,
                      conclusion="unemployed", justification=B_ASSESSMENT,
                      continuation_plan="Työkokeilu")
    team = Team.objects.create(name="Kainuun työkyvyn tuen tiimi")
    team.municipalities.add(kajaani)
    starts = timezone.now() + timedelta(days=7)
    meeting = book_meeting(client=client, team=team, by=people.b_coordinator, organisation=b,
                           starts_at=starts, ends_at=starts + timedelta(hours=1), mode="phone",
                           agenda=B_AGENDA, users=[people.a_expert])
    record_decisions(meeting=meeting, by=people.b_coordinator, minutes=B_MINUTES,
                     case_managers=[people.a_expert], realistic_goal=B_GOAL,
                     information_for_doctor=B_FOR_DOCTOR)
    b_consent = record_consent(client=client, by=people.b_nurse, categories=["health"],
                               organisations=[a], purpose="Työkyvyn arvio", method="written",
                               valid_from=today)

    # C's health note, under C's consent to A.
    add_note(client=client, by=people.c_worker, organisation=c, category="health",
             text=C_HEALTH_NOTE)
    c_consent = record_consent(client=client, by=people.c_worker, categories=["health"],
                               organisations=[a], purpose="Kuntoutus", method="written",
                               valid_from=today)

    # D's notes: nothing consented to A.
    add_note(client=client, by=people.d_expert, organisation=d, category="benefits",
             text=D_NOTE)
    add_note(client=client, by=people.d_expert, organisation=d, category="health",
             text=D_HEALTH_NOTE)
    # A disclosure between B and D, not A's to answer for.
    record_disclosure(user=people.b_nurse, client=client, categories=["health"],
                      action=Action.SUMMARY_PDF, source=b, recipient=d)
    return SimpleNamespace(client=client, a=a, b=b, c=c, d=d, e=e, people=people,
                           meeting=meeting, referral=referral, plan=plan,
                           b_consent=b_consent, c_consent=c_consent)


@pytest.fixture
def ban_on_a(world):
    """The client forbids disclosing their data to A (recorded by C): A keeps only its own."""
    return record_disclosure_ban(client=world.client, by=world.people.c_worker,
                                 organisation=world.a)


B_CASE_MANAGER = "Merkkihoitaja"
B_ORGANISATION = "Merkkiterveysasema B"


@pytest.fixture
def case_only(db):
    """A wrote the client's card; B serves the client too and B's nurse is a case manager. No
    consent opens anything to A: what A's package holds of B is only the case — B's
    relationship and B's case manager."""
    a = OrganisationFactory(name="Työllisyyspalvelut A", sector=Sector.EMPLOYMENT)
    b = OrganisationFactory(name=B_ORGANISATION, sector=Sector.HEALTH)
    a_expert = staff(Role.EMPLOYMENT_EXPERT, organisation=a, first_name="Aino",
                     last_name="Asiantuntija")
    b_nurse = staff(Role.NURSE, organisation=b, first_name="Bea", last_name=B_CASE_MANAGER)
    client = ClientFactory(organisations=[a, b], first_name="Saara",
                           last_name="Oikeudenhaltija")
    add_case_managers(client=client, users=[b_nurse], by=b_nurse, named_by=b)
    return SimpleNamespace(client=client, a=a, b=b, a_expert=a_expert, b_nurse=b_nurse)
