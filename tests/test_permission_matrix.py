"""
Every URL of the project against anonymous, every demo role and the two hard cases of a
client's team — a member with no consent, a member under a disclosure ban — in Tiina's story:
the expected outcome of each, and no page, print or export showing what the role may not see
(marker strings written by each organisation, tests/stories.py). On every page it opens it also
checks that the templates got their visibility from the policy (tests/visibility.py), and that
an id the role may not know answers the same whether it exists or not.

A new view without an entry here fails `test_every_url_has_an_entry`; a view that lost its
permission check lets someone in and fails `test_the_matrix`.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.client_data import add_support_contact
from cases.services import add_note
from clients.models import Client
from consents.services import (
    add_to_team,
    confirm_consent,
    record_consent,
    record_disclosure_ban,
    record_disclosure_ban_as_client,
)
from meetings.intake import request_meeting
from meetings.models import CalendarFeed
from meetings.services import book_meeting, record_decisions
from oma.models import MoveKind, MoveRequest
from plans.services import (
    add_action,
    add_goal,
    create_plan,
    follow_goal,
    record_feedback_discussion,
)
from referrals.services import (
    record_assessment,
    record_health_check,
    send_feedback,
    send_referral,
)
from teams.models import Organisation, Role, Sector, Team
from tests.factories import staff
from tests.oma.feedback_steps import held_meeting
from tests.seeded import remembered
from tests.stories import (
    AGENDA,
    ALL_MARKERS,
    ASSESSMENT,
    DISCUSSION,
    EMPLOYMENT_MARKERS,
    FOR_THE_DOCTOR,
    GOAL_NOTE,
    HEALTH_MARKERS,
    JOB_SEARCH,
    MEETING_GOAL,
    MINUTES,
    PHONE_DETAILS,
    PLAN_GOAL,
    REFERRAL_GOAL,
    REFERRAL_MOTIVATION,
    REQUEST_REASON,
    SERVICES_SUMMARY,
    SOCIAL_NOTE,
)
from tests.utils import log_in, log_in_as_client
from tests.visibility import context_problems, text_of
from tyokyky import documents
from work.models import Notification

ANONYMOUS = "anonymous"
# kela_expert: on Tiina's team, invited to her meeting, with her consent for identity and
#   health (recorded by health care, confirmed by employment services, who wrote her card).
# mh_worker: on her team and invited too, with no consent at all.
# typ_expert: on her team and invited, with a consent for everything — and a disclosure ban.
# social_worker: an organisation with no relationship to Tiina.
# tietosuoja: the data protection officer of health care, who reads logs and no client data.
# client: Tiina herself, logged in to Oma Työkyky; other_client: Petri, logged in there.
CLIENT, OTHER_CLIENT = "client", "other_client"
CLIENTS = (CLIENT, OTHER_CLIENT)
ROLES = [ANONYMOUS, "coordinator", "nurse", "doctor", "te_expert", "kela_expert",
         "mh_worker", "typ_expert", "social_worker", "admin", "manager", "tietosuoja",
         *CLIENTS]
STAFF_ROLES = [role for role in ROLES if role not in (ANONYMOUS, *CLIENTS)]
LOGIN = "login"  # a redirect to the login page
OMA_LOGIN = "oma_login"  # a redirect to Oma Työkyky's login page
SERVED = ("coordinator", "nurse", "doctor", "te_expert")  # Tiina is their organisations' client
TEAM = ("kela_expert", "mh_worker", "typ_expert")  # on her team from other organisations


def expect(default, **by_role):
    """The outcome for each role: anonymous goes to login unless said otherwise, and the leader
    and the officer, who like the admin read no client data, meet what the admin meets."""
    outcome = {role: default for role in ROLES}
    outcome[ANONYMOUS] = LOGIN
    outcome.update(by_role)
    for reads_no_client_data in ("manager", "tietosuoja"):
        if reads_no_client_data not in by_role:
            outcome[reads_no_client_data] = outcome["admin"]
    # A client's session is no staff login: every staff URL answers them as it answers anyone.
    for role in CLIENTS:
        outcome[role] = outcome[ANONYMOUS]
    return outcome


def oma_page(*, client=200, other_client=None, anyone=OMA_LOGIN):
    """A page of Oma Työkyky: for the client of the session; staff and anonymous are sent to
    its login. `other_client` is what Petri meets at a URL of Tiina's (default: the same as
    she does, on his own data)."""
    outcome = dict.fromkeys([ANONYMOUS, *STAFF_ROLES], anyone)
    outcome[CLIENT] = client
    outcome[OTHER_CLIENT] = client if other_client is None else other_client
    return outcome


def tiina_page(*, kela, admin, served=200, outsiders=404, team=None, **by_role):
    """A page about Tiina: served staff, her team from other organisations (as Kela unless
    said otherwise), and the rest."""
    team = kela if team is None else team
    return expect(outsiders, **{**dict.fromkeys(SERVED, served), **dict.fromkeys(TEAM, team),
                                "kela_expert": kela, "admin": admin, **by_role})


# name: (method, arguments, outcomes)
MATRIX = {
    # The leader lands on the numbers, the officer on the logs.
    "home": ("get", {}, expect(200, manager=302, tietosuoja=302)),
    "login": ("get", {}, expect(302, anonymous=200)),
    # Single sign-on through an organisation's own provider (teams/sso.py): the form is open
    # like the login; an answer with no sign-on in progress is refused for everyone.
    "sso_login": ("get", {}, expect(302, anonymous=200)),
    "sso_callback": ("get", {}, expect(403, anonymous=403)),
    "logout": ("post", {}, expect(LOGIN)),
    "health": ("get", {}, expect(200, anonymous=200)),
    "set_language": ("post", {}, expect(302, anonymous=302)),
    "accounts:account": ("get", {}, expect(200)),
    # The people pickers' search (teams/people.py): for care staff, who fill the forms that
    # name people; the administrator, the leader and the officer name nobody there.
    "people_search": ("get", {}, expect(200, admin=403)),
    "accounts:mfa_setup": ("get", {}, expect(302)),
    "accounts:mfa_verify": ("get", {}, expect(200)),
    "accounts:backup_codes": ("post", {}, expect(200)),
    "clients:list": ("get", {}, expect(200)),
    "clients:create": ("get", {}, expect(200, admin=403)),
    "clients:detail": ("get", "tiina", tiina_page(kela=200, admin=404)),
    # Employment services wrote Tiina's card: only they edit it.
    "clients:edit": ("get", "tiina", tiina_page(served=403, te_expert=200, kela=403,
                                                 admin=403)),
    "clients:note_create": ("get", "tiina", tiina_page(kela=200, admin=403)),
    "clients:summary_pdf": ("get", "tiina", tiina_page(kela=200, admin=404)),
    "clients:notes_csv": ("get", "tiina", tiina_page(kela=200, admin=404)),
    # Each organisation records its own view of her employment situation and her support
    # network; only employment services, who wrote her support person in, change that entry.
    "clients:employment_edit": ("get", "tiina", tiina_page(kela=200, admin=403)),
    "clients:contact_create": ("get", "tiina", tiina_page(kela=200, admin=403)),
    "clients:contact_edit": ("get", "support_contact", tiina_page(served=404, te_expert=200,
                                                                   kela=404, admin=403)),
    "clients:contact_remove": ("get", "support_contact", tiina_page(served=404, te_expert=200,
                                                                     kela=404, admin=403)),
    # Any organisation that serves Tiina — her team's by the invitation too — records her
    # consents; a consent it records opens only its own data. A revocation is recorded by the
    # consent's recorder or an organisation keeping her card, a ban by one that knows her.
    "consents:create": ("get", "client", tiina_page(kela=200, admin=403)),
    "consents:detail": ("get", "consent", tiina_page(kela=200, team=404, admin=403)),
    "consents:revoke": ("get", "consent", tiina_page(kela=403, team=404, admin=403)),
    # Refused confirmations (the recorder's own, twice) redirect with a message too.
    "consents:confirm": ("post", "consent", tiina_page(served=302, kela=302, team=404,
                                                       admin=403)),
    "consents:pdf": ("get", "consent", tiina_page(kela=200, team=404, admin=403)),
    "consents:ban_create": ("get", "client", tiina_page(kela=403, admin=403)),
    # Only health care, which recorded the ban, lifts it; without Tiina's card nobody else
    # even knows of it.
    "consents:ban_lift": ("get", "ban", tiina_page(kela=403, team=404, admin=403,
                                                   te_expert=403)),
    # Each organisation that serves her manages its own people on her team, and answers for its
    # own part of who has seen her data; all of it only with her card.
    "consents:team": ("get", "client", tiina_page(kela=200, admin=403)),
    # Health care put the Kela expert on her team: only health care takes her off it.
    "consents:team_remove": ("post", "team_member", tiina_page(served=302, kela=403,
                                                               team=404, te_expert=403,
                                                               admin=403)),
    "consents:access_log": ("get", "client", tiina_page(kela=200, admin=403)),
    "consents:access_log_csv": ("get", "client", tiina_page(kela=200, admin=403)),
    "referrals:worklist": ("get", {}, expect(403, coordinator=200, nurse=200, doctor=200)),
    "referrals:sent": ("get", {}, expect(200, admin=403)),
    "referrals:create": ("get", "client", tiina_page(kela=403, admin=403)),
    # The health check's side: the health organisation's nurse, coordinator and doctor.
    "referrals:self_referral": ("get", "client", tiina_page(
        kela=403, admin=403, outsiders=403, te_expert=403)),
    # A referral is employment information: Kela's consent covers identity and health only.
    "referrals:detail": ("get", "referral", tiina_page(kela=404, admin=404)),
    "referrals:receive": ("post", "referral", tiina_page(
        served=302, kela=403, admin=403, outsiders=403, te_expert=403)),
    "referrals:book": ("get", "referral", tiina_page(
        kela=403, admin=403, outsiders=403, te_expert=403)),
    "referrals:cancel": ("get", "referral", tiina_page(kela=404, admin=404)),
    # "Ei saapunut" is the health check's to record, as its booking.
    "referrals:no_show": ("get", "referral", tiina_page(
        kela=403, admin=403, outsiders=403, te_expert=403)),
    "referrals:health_check": ("get", "referral", tiina_page(
        kela=403, admin=403, outsiders=403, te_expert=403, coordinator=403)),
    "referrals:feedback": ("get", "referral", tiina_page(
        served=302, kela=403, admin=403, outsiders=403, te_expert=403, coordinator=403)),
    # Petri's referral has its feedback; refused acknowledgements also redirect, with a message.
    "referrals:acknowledge": ("post", "answered", tiina_page(served=302, kela=404,
                                                             admin=404)),
    "referrals:assessment_create": ("get", "client", expect(403, doctor=200)),
    # The doctor's assessment is health information: Kela's consent covers it.
    "referrals:assessment": ("get", "assessment", tiina_page(kela=200, team=404, admin=404,
                                                             te_expert=404)),
    # Correcting it is the doctor's, of the organisation that wrote it.
    "referrals:assessment_edit": ("get", "assessment", expect(403, doctor=200)),
    # Tiina's meeting: the coordinator booked it, the nurse and the team are invited; the
    # ban leaves the TYP expert nothing of it, not even the invitation's page.
    "meetings:book": ("get", "client", tiina_page(served=403, coordinator=200, kela=403,
                                                  admin=403, outsiders=403)),
    "meetings:detail": ("get", "meeting", tiina_page(kela=200, admin=404, te_expert=404,
                                                     typ_expert=404)),
    "meetings:answer": ("post", "meeting", tiina_page(served=302, kela=302, admin=404,
                                                      te_expert=404, typ_expert=404)),
    "meetings:reschedule": ("get", "meeting", tiina_page(served=403, coordinator=200,
                                                         kela=403, admin=404, te_expert=404,
                                                         typ_expert=404)),
    "meetings:cancel": ("get", "meeting", tiina_page(served=403, coordinator=200, kela=403,
                                                     admin=404, te_expert=404,
                                                     typ_expert=404)),
    "meetings:decisions": ("get", "meeting", tiina_page(served=403, coordinator=200,
                                                        kela=403, admin=404, te_expert=404,
                                                        typ_expert=404)),
    # Attendance, like the decisions, is recorded by the coordinator of the organisation that
    # booked it (her meeting is still to come here: the page says from when).
    "meetings:attendance": ("get", "meeting", tiina_page(served=403, coordinator=200,
                                                         kela=403, admin=404, te_expert=404,
                                                         typ_expert=404)),
    "meetings:doctor_summary_pdf": ("get", "meeting", tiina_page(kela=200, admin=404,
                                                                 te_expert=404,
                                                                 typ_expert=404)),
    # The doctor's worklist, and the assessment answering Tiina's meeting: the doctor its
    # decisions name, only (meetings/doctor.py).
    "meetings:doctor_worklist": ("get", {}, expect(403, doctor=200)),
    "meetings:doctor_assessment": ("get", "meeting", expect(403, doctor=200)),
    # Asking for a team meeting: any organisation that serves her, her team's by the
    # invitation too. Employment services' request waits in the coordinator's queue; only
    # they withdraw it, and Kela, without a consent for employment data, does not see it.
    "meetings:request": ("get", "client", tiina_page(kela=200, admin=404)),
    "meetings:request_withdraw": ("get", "meeting_request", tiina_page(
        served=403, te_expert=200, kela=404, admin=404)),
    "meetings:intake": ("get", {}, expect(403, coordinator=200)),
    "meetings:calendar": ("get", {}, expect(200, admin=403)),
    "meetings:feed_settings": ("get", {}, expect(200, admin=403)),
    "meetings:feed": ("get", "feed", expect(200, anonymous=200)),
    "clients:handover": ("get", "tiina", tiina_page(served=403, te_expert=200, kela=403,
                                                    admin=403)),
    # Tiina's plan and discussion are the TE expert's organisation's records: the health
    # organisation and Kela see them only under a consent for employment information.
    "plans:plan": ("get", "client", tiina_page(kela=200, admin=404)),
    "plans:plan_edit": ("get", "client", tiina_page(kela=200, admin=403)),
    # Changing the plan: 404 for a plan one may not see, before any 403 that would tell it is
    # there; only employment services, who wrote it, change it.
    "plans:action_add": ("post", "client", tiina_page(served=404, te_expert=302, kela=404,
                                                      admin=404)),
    "plans:action_status": ("post", "action", tiina_page(served=404, te_expert=302, kela=404,
                                                         admin=404)),
    "plans:follow_up_add": ("post", "client", tiina_page(served=404, te_expert=302,
                                                         kela=404, admin=404)),
    "plans:follow_up_done": ("get", "follow_up", tiina_page(served=404, te_expert=200,
                                                            kela=404, admin=404)),
    # The plan's goals and their dated notes are its organisation's employment data too.
    "plans:goal_add": ("post", "client", tiina_page(served=404, te_expert=302, kela=404,
                                                    admin=404)),
    "plans:goal_follow": ("get", "goal", tiina_page(served=404, te_expert=200, kela=404,
                                                    admin=404)),
    "plans:plan_pdf": ("get", "client", tiina_page(served=404, te_expert=200, kela=404,
                                                   admin=404)),
    "plans:discussion_create": ("get", "client", tiina_page(kela=200, admin=403)),
    "plans:discussion": ("get", "discussion", tiina_page(served=404, te_expert=200, kela=404,
                                                         admin=404)),
    # Closing changes her card: employment services, who wrote it, do it.
    "plans:close_client": ("get", "client", tiina_page(served=403, te_expert=200, kela=403,
                                                       admin=403)),
    # Reopening is whoever closes: Tiina is open, so they are only sent back to her page.
    "plans:reopen_client": ("get", "client", tiina_page(served=403, te_expert=302, kela=403,
                                                        admin=403)),
    "plans:process_pdf": ("get", "client", tiina_page(kela=200, admin=404)),
    "work:notifications": ("get", {}, expect(200)),
    "work:notification_open": ("post", "notification", expect(404, nurse=302)),
    "work:notifications_read": ("post", {}, expect(302)),
    "reporting:dashboard": ("get", {}, expect(403, coordinator=200, manager=200)),
    "reporting:dashboard_csv": ("get", {}, expect(403, coordinator=200, manager=200)),
    "reporting:dashboard_xlsx": ("get", {}, expect(403, coordinator=200, manager=200)),
    # The client's data package (GDPR art. 15): as the client page.
    "rights:package": ("get", "client", tiina_page(kela=200, admin=404)),
    "rights:package_pdf": ("get", "client", tiina_page(kela=200, admin=404)),
    "rights:package_json": ("get", "client", tiina_page(kela=200, admin=404)),
    # Destruction is the controller's leader's to approve; no proposal here is anyone's.
    "retention:proposals": ("get", {}, expect(403, manager=200)),
    "retention:approve": ("get", {"pk": 987654321}, expect(403, manager=404)),
    "retention:reject": ("get", {"pk": 987654321}, expect(403, manager=404)),
    # The officer's: the logs of their own organisation.
    "oversight:overview": ("get", {}, expect(403, tietosuoja=200)),
    "oversight:search": ("post", {}, expect(403, tietosuoja=200)),
    "oversight:results": ("get", {}, expect(403, tietosuoja=302)),
    "oversight:export": ("post", {}, expect(403, tietosuoja=302)),
    "oversight:flag": ("get", {"pk": 987654321}, expect(403, tietosuoja=404)),
    "oversight:flag_review": ("post", {"pk": 987654321}, expect(403, tietosuoja=404)),
    "oversight:flag_rows": ("post", {"pk": 987654321}, expect(403, tietosuoja=404)),
    "oversight:preferences": ("post", {}, expect(403, tietosuoja=302)),
    # Setting one's password from a link: a link that is no token says that it does not work.
    "password_reset_confirm": ("get", {"uidb64": "MQ", "token": "ei-tunniste"},
                               expect(200, anonymous=200)),
    "password_reset_complete": ("get", {}, expect(200, anonymous=200)),
    # Public: the privacy notice and the accessibility statement.
    "privacy_notice": ("get", {}, expect(200, anonymous=200)),
    "accessibility_statement": ("get", {}, expect(200, anonymous=200)),
    # Oma Työkyky, the client's own service: its login is open to everyone (the provider is
    # not running here, so asking to be identified ends on the "try again" page).
    "oma:login": ("get", {}, oma_page(client=302, anyone=200)),
    "oma:begin": ("post", {}, oma_page(client=403, anyone=403)),
    "oma:callback": ("get", {}, oma_page(client=403, anyone=403)),
    "oma:logout": ("post", {}, oma_page(client=OMA_LOGIN)),
    "oma:home": ("get", {}, oma_page()),
    # Before the health check and after a meeting (oma/assessment_views.py): Tiina's referral
    # and the meeting she took part in are 404 for Petri.
    "oma:self_assessments": ("get", {}, oma_page()),
    "oma:self_assessment": ("get", "referral", oma_page(other_client=404)),
    "oma:meeting_feedback_list": ("get", {}, oma_page()),
    "oma:meeting_feedback": ("get", "attended", oma_page(other_client=404)),
    # The client's consents and bans (a consent or ban of Tiina's: 404 for Petri), and who
    # has viewed her data.
    "oma:consents": ("get", {}, oma_page()),
    "oma:consent_give": ("get", {}, oma_page()),
    "oma:consent_confirm": ("get", "consent", oma_page(other_client=404)),
    "oma:consent_narrow": ("get", "consent", oma_page(other_client=404)),
    "oma:consent_revoke": ("get", "consent", oma_page(other_client=404)),
    "oma:ban_create": ("get", {}, oma_page()),
    "oma:ban_lift": ("get", "oma_ban", oma_page(other_client=404)),
    "oma:who_viewed": ("get", {}, oma_page()),
    # Her contacts, coming times, plan, health check feedback and process summary
    # (oma/path_views.py): Tiina's meeting and own action are 404 for Petri.
    "oma:contacts": ("get", {}, oma_page()),
    "oma:appointments": ("get", {}, oma_page()),
    "oma:move_request": ("get", "oma_meeting", oma_page(other_client=404)),
    "oma:plan": ("get", {}, oma_page()),
    "oma:action_done": ("post", "oma_action", oma_page(client=302, other_client=404)),
    "oma:health_check_feedback": ("get", {}, oma_page()),
    "oma:process_pdf": ("get", {}, oma_page()),
    # Marking Tiina's request to move health care's meeting handled: its staff who see her
    # page only (oma/holding.py); a client session meets it as anyone does.
    "move_requests:handled": ("post", "move_request",
                              tiina_page(kela=404, admin=404, served=302, te_expert=404)),
    # A long PDF rendered in the background: only for the user who asked for it.
    "document": ("get", "document", expect(404, te_expert=200)),
    "document_download": ("get", "document", expect(404, te_expert=200)),
}

# Tiina's support person, as employment services wrote her in (social information): no
# consent opens it to anyone else here.
NETWORK_CONTACT = "Ruusa Verkostola"
NETWORK_NOTE = "Tukihenkilö muistuttaa tapaamisista"
# Tiina's reason to move health care's meeting: her message to health care only.
MOVE_REASON = "Siirtosyy: hammaslääkäri samaan aikaan"

# What each role must never be shown, on any page, print or export.
NOBODY_ELSE = ["Leinonen", "300471-946", *ALL_MARKERS]
# (HEALTH_MARKERS holds the mental-health worker's social note too: health or social text.)
NEVER_SHOWN = {
    # Health care's own data and Kela's consent (identity, health) show; employment's never.
    "kela_expert": [*EMPLOYMENT_MARKERS, SOCIAL_NOTE],
    # Her own organisation's note shows to the mental-health worker; nothing else.
    "mh_worker": [marker for marker in NOBODY_ELSE if marker != SOCIAL_NOTE],
    "typ_expert": NOBODY_ELSE,
    "social_worker": NOBODY_ELSE,
    "admin": NOBODY_ELSE,
    "manager": NOBODY_ELSE,
    ANONYMOUS: NOBODY_ELSE,
    # Petri, in his own service, sees nothing of Tiina's; Tiina nothing of Petri's.
    OTHER_CLIENT: NOBODY_ELSE,
    CLIENT: ["Moilanen", "020673-913"],
    # Employment services: their own data, Tiina's card they wrote, and the feedback sent to
    # them; none of health care's records, nor its meeting's content.
    "te_expert": [*HEALTH_MARKERS, PHONE_DETAILS, AGENDA, MEETING_GOAL],
    # Health care: its own records and the referral sent to it; not employment's own, nor
    # mental-health services' social note.
    "coordinator": [PLAN_GOAL, DISCUSSION, JOB_SEARCH, SOCIAL_NOTE, GOAL_NOTE],
    "nurse": [PLAN_GOAL, DISCUSSION, JOB_SEARCH, SOCIAL_NOTE, GOAL_NOTE],
    "doctor": [PLAN_GOAL, DISCUSSION, JOB_SEARCH, SOCIAL_NOTE, GOAL_NOTE],
}
# Tiina's support network is employment services' own (no consent here covers social
# information from them).
NEVER_SHOWN.update({role: [*never, NETWORK_CONTACT, NETWORK_NOTE]
                    for role, never in NEVER_SHOWN.items() if role not in ("te_expert", CLIENT)})
NEVER_SHOWN.update({role: [*never, MOVE_REASON] for role, never in NEVER_SHOWN.items()
                    if role not in ("coordinator", "nurse", "doctor", CLIENT)})


def project_url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from project_url_names(pattern.url_patterns, inner or None)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_entry():
    names = {name for name in project_url_names() if not str(name).startswith("admin:")}
    assert names == set(MATRIX), names ^ set(MATRIX)


@pytest.fixture
def world(story):
    # Built once in each test process, then copied back in (tests/seeded.py).
    return remembered("the matrix's world", lambda: _build_world(story))


def _build_world(story):
    users, tiina = story.users, story.tiina
    nurse, coordinator = users["nurse"], users["coordinator"]
    mental = Organisation.objects.get(sector=Sector.MENTAL_HEALTH)
    users["mh_worker"] = staff(Role.MENTAL_HEALTH_WORKER, organisation=mental,
                               username="mh_worker", first_name="Mikko", last_name="Mäkinen")
    for name in ("mh_worker", "typ_expert"):
        add_to_team(client=tiina, user=users[name], by=coordinator)
    add_note(client=tiina, by=users["mh_worker"], organisation=mental, category="social",
             text=SOCIAL_NOTE)
    consent = record_consent(client=tiina, by=nurse, categories=["identity", "health"],
                             organisations=[story.kela], purpose="Kuntoutus", method="written",
                             valid_from="2026-01-01")
    confirm_consent(consent=consent, organisation=story.employment, by=users["te_expert"])
    everything = record_consent(
        client=tiina, by=nurse, categories=["identity", "employment", "health", "social"],
        sectors=["typ"], purpose="TYP", method="written", valid_from="2026-01-01")
    confirm_consent(consent=everything, organisation=story.employment, by=users["te_expert"])
    referral = send_referral(
        client=tiina, by=users["te_expert"], organisation=story.employment,
        recipient=story.health, reason="year_since_check", urgency="normal",
        services_summary=SERVICES_SUMMARY, goal=REFERRAL_GOAL, motivation=REFERRAL_MOTIVATION,
    )
    answered = _answered_referral(story)
    meeting = book_meeting(
        client=tiina, team=Team.objects.get(), by=coordinator,
        organisation=story.health, starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=1), mode="phone",
        phone_details=PHONE_DETAILS, agenda=AGENDA,
        users=[nurse, users["kela_expert"], users["mh_worker"], users["typ_expert"]],
    )
    # The ban comes after the invitation: from now on the TYP expert sees nothing of it.
    ban = record_disclosure_ban(client=tiina, by=nurse, sector="typ")
    # One Tiina recorded herself in Oma Työkyky, on an organisation nobody here works in.
    oma_ban = record_disclosure_ban_as_client(
        client=tiina, organisation=Organisation.objects.get(sector=Sector.REHABILITATION))
    record_decisions(meeting=meeting, by=coordinator, minutes=MINUTES,
                     case_managers=[users["te_expert"]], realistic_goal=MEETING_GOAL,
                     information_for_doctor=FOR_THE_DOCTOR, doctor=users["doctor"])
    # A meeting Tiina took part in yesterday: she may give feedback on it in Oma Työkyky.
    attended = held_meeting(story)
    feed = CalendarFeed.objects.create(user=nurse)
    plan = create_plan(client=tiina, by=users["te_expert"],
                       organisation=story.employment, case_managers=[users["te_expert"]],
                       short_term_goals=PLAN_GOAL, first_follow_up=timezone.localdate())
    own_action = add_action(plan=plan, by=users["te_expert"], what="Päivitän ansioluettelon",
                            client_responsible=True)  # Tiina's own, to mark done herself
    action = add_action(plan=plan, by=users["te_expert"], what="Uravalmennus",
                        responsible=users["te_expert"])
    goal = add_goal(plan=plan, by=users["te_expert"], text="Työkokeilu painotalossa")
    follow_goal(goal=goal, by=users["te_expert"], progress="on_the_way", text=GOAL_NOTE)
    discussion = record_feedback_discussion(
        client=tiina, by=users["te_expert"], organisation=story.employment,
        holder=users["te_expert"], held_on=timezone.localdate(), reviewed=DISCUSSION,
    )
    notification = Notification.objects.create(
        user=nurse, kind="follow_up", client=tiina, url="/", due_on=timezone.localdate(),
    )
    assessment = record_assessment(
        client=tiina, by=users["doctor"], organisation=story.health,
        assessed_on=timezone.localdate(), conclusion="unemployed", justification=ASSESSMENT,
        continuation_plan="Uravalmennus",
    )
    # Asked after the meeting was booked: it waits in the coordinator's intake queue.
    meeting_request = request_meeting(client=tiina, by=users["te_expert"],
                                      organisation=story.employment, reason=REQUEST_REASON)
    contact = add_support_contact(client=tiina, organisation=story.employment,
                                  by=users["te_expert"], name=NETWORK_CONTACT,
                                  kind="support_person", note=NETWORK_NOTE)
    # Tiina asked in Oma Työkyky to move the meeting: health care holds it.
    move_request = MoveRequest.objects.create(
        client=tiina, kind=MoveKind.MEETING, object_id=meeting.pk, booked_for=meeting.starts_at,
        reason=MOVE_REASON, preferred_times="Aamupäivät")
    document = documents.ask(user=users["te_expert"], kind="plans.plan", object_id=tiina.pk)
    documents.render_waiting(document.pk)
    return {
        "tiina": {"pk": tiina.pk},
        "client": {"client_pk": tiina.pk},
        "consent": {"pk": consent.pk},
        "ban": {"pk": ban.pk},
        "oma_ban": {"pk": oma_ban.pk},
        "referral": {"pk": referral.pk},
        "answered": {"pk": answered.pk},
        "meeting": {"pk": meeting.pk},
        "attended": {"pk": attended.pk},
        "feed": {"token": feed.token},
        "action": {"pk": action.pk},
        "oma_action": {"pk": own_action.pk},
        "oma_meeting": {"kind": "tapaaminen", "pk": meeting.pk},
        "follow_up": {"pk": plan.follow_ups.get().pk},
        "goal": {"pk": goal.pk},
        "discussion": {"pk": discussion.pk},
        "notification": {"pk": notification.pk},
        "assessment": {"pk": assessment.pk},
        "team_member": {"client_pk": tiina.pk, "user_pk": users["kela_expert"].pk},
        "document": {"pk": document.pk},
        "support_contact": {"pk": contact.pk},
        "meeting_request": {"pk": meeting_request.pk},
        "move_request": {"pk": move_request.pk},
        "users": users,
        "oma_sessions": {CLIENT: tiina, OTHER_CLIENT: Client.objects.get(first_name="Petri")},
    }


def _answered_referral(story):
    """Petri's referral, checked and fed back to employment services."""
    petri = Client.objects.get(first_name="Petri")
    nurse = story.users["nurse"]
    referral = send_referral(
        client=petri, by=story.users["te_expert"], organisation=story.employment,
        recipient=story.health, reason="other", urgency="normal",
    )
    record_health_check(referral=referral, by=nurse, organisation=story.health, nurse=nurse,
                        performed_on=timezone.localdate(), work_ability=6,
                        nurse_view="unemployed", next_steps="Uravalmennus")
    send_feedback(referral=referral, by=nurse, organisation=story.health,
                  given_on=timezone.localdate(), findings="Työkykyinen",
                  recommendations="Uravalmennus")
    return referral


def outcome_of(response) -> int | str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if response.status_code == 302 and response.url.startswith(reverse("oma:login")):
        return OMA_LOGIN
    return response.status_code


NOT_THERE = 987654321  # an id of nothing


def _request(client, role, world, method, url):
    client.logout()
    client.cookies.clear()  # a language chosen at an earlier URL of the group, too
    if role in CLIENTS:
        log_in_as_client(client, world["oma_sessions"][role])
    elif role != ANONYMOUS:
        log_in(client, world["users"][role])
    # Each role meets the same world: undo whatever the request changed.
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def _nothing_there(arguments):
    """The same URL with each id of an object (not the user of a team grant) made up."""
    return {key: NOT_THERE if key in ("pk", "client_pk") else value
            for key, value in arguments.items()}


# Where a role would learn that an object exists: the page showing it (and, for a ban, its line
# on the client's page). A role that does not know an object gets the same answer for its id
# as for an id of nothing.
KNOWN_FROM = {
    "tiina": ("clients:detail", "tiina", None),
    "client": ("clients:detail", "tiina", None),
    "consent": ("consents:detail", "consent", None),
    "ban": ("clients:detail", "tiina", "ohittaa kaikki suostumukset"),
    "referral": ("referrals:detail", "referral", None),
    "answered": ("referrals:detail", "answered", None),
    "meeting": ("meetings:detail", "meeting", None),
    "action": ("plans:plan_pdf", "client", None),
    "follow_up": ("plans:plan_pdf", "client", None),
    "goal": ("plans:plan_pdf", "client", None),
    "discussion": ("plans:discussion", "discussion", None),
    "assessment": ("referrals:assessment", "assessment", None),
    "team_member": ("consents:team", "client", "Kirsi Pulkkinen"),
    "support_contact": ("clients:detail", "tiina", NETWORK_CONTACT),
    "move_request": ("clients:detail", "tiina", MOVE_REASON),
}


def _knows(client, role, world, kind) -> bool:
    name, arguments, text = KNOWN_FROM[kind]
    response = _request(client, role, world, "get", reverse(name, kwargs=world[arguments]))
    return response.status_code == 200 and (text is None or text in text_of(response))


# The URLs in a few groups, each over one world: every request is rolled back, so all the URLs
# of a group meet the same world, and the world is built a few times instead of once a URL.
GROUPS = 4


@pytest.mark.parametrize("group", range(GROUPS))
def test_the_matrix(client, world, group):
    for name in sorted(MATRIX)[group::GROUPS]:
        check_url(client, world, name)


def check_url(client, world, name):
    """Every role at one URL: its outcome, nothing it may not see, and an id it may not know
    answering as an id of nothing."""
    method, arguments, expected = MATRIX[name]
    arguments = world[arguments] if isinstance(arguments, str) else arguments
    url = reverse(name, kwargs=arguments)
    for role in ROLES:
        response = _request(client, role, world, method, url)
        outcome = outcome_of(response)
        assert outcome == expected[role], (name, role, outcome)
        if response.status_code == 200:
            shown = text_of(response)
            for text in NEVER_SHOWN.get(role, []):
                assert text not in shown, (name, role, text)
            # The templates got every visibility decision from the policy.
            assert context_problems(response.context) == [], (name, role)
        kind = MATRIX[name][1] if isinstance(MATRIX[name][1], str) else None
        if outcome in (403, 404) and kind in KNOWN_FROM and not _knows(client, role, world,
                                                                       kind):
            # An id the role may not know answers as an id of nothing: 404 before any 403.
            made_up = reverse(name, kwargs=_nothing_there(arguments))
            assert outcome_of(_request(client, role, world, method, made_up)) == outcome, (
                name, role, "answers differently for an id that does not exist")


ADMIN_PAGES = ["admin:index", "admin:teams_user_changelist", "admin:teams_organisation_add",
               "admin:teams_membership_changelist", "admin:teams_municipality_changelist"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_site_is_for_the_admin_role_only(client, world, name):
    url = reverse(name)
    for role in [ANONYMOUS, *STAFF_ROLES]:
        client.logout()
        if role != ANONYMOUS:
            log_in(client, world["users"][role])
        response = client.get(url)
        if role == "admin":
            assert response.status_code == 200, role
        else:
            assert response.status_code == 302, role


def test_every_admin_url_keeps_care_staff_out(client, world):
    """The admin's own URLs, by their patterns: no care role reaches any of them."""
    log_in(client, world["users"]["nurse"])
    for name in project_url_names():
        # The admin's login page only tells a logged-in non-admin that they may not enter.
        if not str(name).startswith("admin:") or name in ("admin:None", "admin:login"):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # needs an object: the pages above cover the shape
            continue
        assert client.get(url).status_code in (302, 403, 404), name
