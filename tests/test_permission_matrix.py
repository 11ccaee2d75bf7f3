"""
Every URL of the project against anonymous and every demo role, in Tiina's story: the expected
outcome of each, and no page showing what the role may not see. A new view without an entry
here fails `test_every_url_has_an_entry`; a view that lost its permission check lets someone in
and fails `test_the_matrix`.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clients.models import Client
from consents.services import record_consent, record_disclosure_ban
from plans.models import Notification
from plans.services import add_action, create_plan, record_feedback_discussion
from referrals.services import (
    record_assessment,
    record_health_check,
    send_feedback,
    send_referral,
)
from teams.models import CalendarFeed, Team
from teams.services import book_meeting
from tests.stories import BACK_PAIN, JOB_SEARCH
from tests.utils import log_in

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, "coordinator", "nurse", "doctor", "te_expert", "kela_expert",
         "typ_expert", "social_worker", "admin", "manager"]
LOGIN = "login"  # a redirect to the login page
SERVED = ("coordinator", "nurse", "doctor", "te_expert")  # Tiina is their organisations' client


def expect(default, **by_role):
    """The outcome for each role: anonymous goes to login unless said otherwise, and the leader,
    who like the admin reads no client data, meets what the admin meets."""
    outcome = {role: default for role in ROLES}
    outcome[ANONYMOUS] = LOGIN
    outcome.update(by_role)
    if "manager" not in by_role:
        outcome["manager"] = outcome["admin"]
    return outcome


def tiina_page(*, kela, admin, served=200, outsiders=404, **by_role):
    """A page about Tiina: served staff, Kela on her team with a consent, and the rest."""
    return expect(outsiders, **{**dict.fromkeys(SERVED, served), "kela_expert": kela,
                                "admin": admin, **by_role})


# name: (method, arguments, outcomes)
MATRIX = {
    "home": ("get", {}, expect(200, manager=302)),  # the leader lands on the numbers
    "login": ("get", {}, expect(302, anonymous=200)),
    "logout": ("post", {}, expect(LOGIN)),
    "health": ("get", {}, expect(200, anonymous=200)),
    "set_language": ("post", {}, expect(302, anonymous=302)),
    "accounts:account": ("get", {}, expect(200)),
    "accounts:mfa_setup": ("get", {}, expect(302)),
    "accounts:mfa_verify": ("get", {}, expect(200)),
    "accounts:backup_codes": ("post", {}, expect(200)),
    "clients:list": ("get", {}, expect(200)),
    "clients:create": ("get", {}, expect(200, admin=403)),
    "clients:take_on": ("post", {}, expect(302, admin=403)),
    "clients:detail": ("get", "tiina", tiina_page(kela=200, admin=404)),
    "clients:edit": ("get", "tiina", tiina_page(kela=403, admin=403)),
    "clients:note_create": ("get", "tiina", tiina_page(kela=200, admin=403)),
    "clients:summary_pdf": ("get", "tiina", tiina_page(kela=200, admin=404)),
    "clients:notes_csv": ("get", "tiina", tiina_page(kela=200, admin=404)),
    "consents:create": ("get", "client", tiina_page(kela=403, admin=403)),
    "consents:detail": ("get", "consent", tiina_page(kela=200, admin=403)),
    "consents:revoke": ("get", "consent", tiina_page(kela=403, admin=403)),
    "consents:pdf": ("get", "consent", tiina_page(kela=200, admin=403)),
    "consents:ban_create": ("get", "client", tiina_page(kela=403, admin=403)),
    "consents:ban_lift": ("get", "ban", tiina_page(kela=403, admin=403)),
    "consents:team": ("get", "client", tiina_page(kela=403, admin=403)),
    "consents:team_remove": ("post", "team_member", tiina_page(served=302, kela=403,
                                                               admin=403)),
    "consents:access_log": ("get", "client", tiina_page(kela=403, admin=403)),
    "consents:access_log_csv": ("get", "client", tiina_page(kela=403, admin=403)),
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
    "referrals:health_check": ("get", "referral", tiina_page(
        kela=403, admin=403, outsiders=403, te_expert=403, coordinator=403)),
    "referrals:feedback": ("get", "referral", tiina_page(
        served=302, kela=403, admin=403, outsiders=403, te_expert=403, coordinator=403)),
    # Petri's referral has its feedback; refused acknowledgements also redirect, with a message.
    "referrals:acknowledge": ("post", "answered", tiina_page(served=302, kela=404,
                                                             admin=404)),
    "referrals:assessment_create": ("get", "client", expect(403, doctor=200)),
    "referrals:assessment": ("get", "assessment", tiina_page(kela=200, admin=404,
                                                             te_expert=404)),
    # Tiina's meeting: the coordinator booked it, the nurse and the Kela expert are invited.
    "meetings:book": ("get", "client", tiina_page(served=403, coordinator=200, kela=403,
                                                  admin=403, outsiders=403)),
    "meetings:detail": ("get", "meeting", tiina_page(kela=200, admin=404, te_expert=404)),
    "meetings:answer": ("post", "meeting", tiina_page(served=302, kela=302, admin=404,
                                                      te_expert=404)),
    "meetings:reschedule": ("get", "meeting", tiina_page(served=403, coordinator=200,
                                                         kela=403, admin=404, te_expert=404)),
    "meetings:cancel": ("get", "meeting", tiina_page(served=403, coordinator=200, kela=403,
                                                     admin=404, te_expert=404)),
    "meetings:decisions": ("get", "meeting", tiina_page(served=403, coordinator=200,
                                                        kela=403, admin=404, te_expert=404)),
    "meetings:doctor_summary_pdf": ("get", "meeting", tiina_page(kela=200, admin=404,
                                                                 te_expert=404)),
    "meetings:calendar": ("get", {}, expect(200, admin=403)),
    "meetings:feed_settings": ("get", {}, expect(200, admin=403)),
    "meetings:feed": ("get", "feed", expect(200, anonymous=200)),
    "clients:handover": ("get", "tiina", tiina_page(served=403, te_expert=200, kela=403,
                                                    admin=403)),
    # Tiina's plan and discussion are the TE expert's organisation's records: the health
    # organisation and Kela see them only under a consent for employment information.
    "plans:plan": ("get", "client", tiina_page(kela=200, admin=404)),
    "plans:plan_edit": ("get", "client", tiina_page(kela=200, admin=403)),
    "plans:action_add": ("post", "client", tiina_page(served=404, te_expert=302, kela=404,
                                                      admin=403)),
    "plans:action_status": ("post", "action", tiina_page(served=404, te_expert=302, kela=404,
                                                         admin=403)),
    "plans:follow_up_add": ("post", "client", tiina_page(served=404, te_expert=302,
                                                         kela=404, admin=403)),
    "plans:follow_up_done": ("get", "follow_up", tiina_page(served=404, te_expert=200,
                                                            kela=404, admin=403)),
    "plans:plan_pdf": ("get", "client", tiina_page(served=404, te_expert=200, kela=404,
                                                   admin=404)),
    "plans:discussion_create": ("get", "client", tiina_page(kela=200, admin=403)),
    "plans:discussion": ("get", "discussion", tiina_page(served=404, te_expert=200, kela=404,
                                                         admin=404)),
    "plans:close_client": ("get", "client", tiina_page(kela=403, admin=403)),
    "plans:process_pdf": ("get", "client", tiina_page(kela=200, admin=404)),
    "plans:notifications": ("get", {}, expect(200)),
    "plans:notification_open": ("post", "notification", expect(404, nurse=302)),
    "plans:notifications_read": ("post", {}, expect(302)),
    "plans:dashboard": ("get", {}, expect(403, coordinator=200, manager=200)),
    "plans:dashboard_csv": ("get", {}, expect(403, coordinator=200, manager=200)),
    "plans:dashboard_xlsx": ("get", {}, expect(403, coordinator=200, manager=200)),
}

# What each role must never be shown, on any page.
NEVER_SHOWN = {
    "kela_expert": [JOB_SEARCH],
    "typ_expert": ["Leinonen", BACK_PAIN, JOB_SEARCH],
    "social_worker": ["Leinonen", BACK_PAIN, JOB_SEARCH],
    "admin": ["Leinonen", BACK_PAIN, JOB_SEARCH],
    "manager": ["Leinonen", BACK_PAIN, JOB_SEARCH],
    ANONYMOUS: ["Leinonen", BACK_PAIN, JOB_SEARCH],
}


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
    nurse = story.users["nurse"]
    consent = record_consent(client=story.tiina, by=nurse, categories=["identity", "health"],
                             organisations=[story.kela], purpose="Kuntoutus", method="written",
                             valid_from="2026-01-01")
    ban = record_disclosure_ban(client=story.tiina, by=nurse, sector="typ")
    referral = send_referral(
        client=story.tiina, by=story.users["te_expert"], organisation=story.employment,
        recipient=story.health, reason="year_since_check", urgency="normal",
    )
    answered = _answered_referral(story)
    meeting = book_meeting(
        client=story.tiina, team=Team.objects.get(), by=story.users["coordinator"],
        organisation=story.health, starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=1), mode="phone",
        users=[story.users["nurse"], story.users["kela_expert"]],
    )
    feed = CalendarFeed.objects.create(user=story.users["nurse"])
    plan = create_plan(client=story.tiina, by=story.users["te_expert"],
                       organisation=story.employment, case_managers=[story.users["te_expert"]],
                       short_term_goals="Työnhaku", first_follow_up=timezone.localdate())
    action = add_action(plan=plan, by=story.users["te_expert"], what="Uravalmennus",
                        responsible=story.users["te_expert"])
    discussion = record_feedback_discussion(
        client=story.tiina, by=story.users["te_expert"], organisation=story.employment,
        holder=story.users["te_expert"], held_on=timezone.localdate(), reviewed="Tilanne",
    )
    notification = Notification.objects.create(
        user=story.users["nurse"], kind="follow_up", client=story.tiina, url="/",
        due_on=timezone.localdate(),
    )
    assessment = record_assessment(
        client=story.tiina, by=story.users["doctor"], organisation=story.health,
        assessed_on=timezone.localdate(), conclusion="unemployed", justification="Työkykyinen",
        continuation_plan="Uravalmennus",
    )
    return {
        "tiina": {"pk": story.tiina.pk},
        "client": {"client_pk": story.tiina.pk},
        "consent": {"pk": consent.pk},
        "ban": {"pk": ban.pk},
        "referral": {"pk": referral.pk},
        "answered": {"pk": answered.pk},
        "meeting": {"pk": meeting.pk},
        "feed": {"token": feed.token},
        "action": {"pk": action.pk},
        "follow_up": {"pk": plan.follow_ups.get().pk},
        "discussion": {"pk": discussion.pk},
        "notification": {"pk": notification.pk},
        "assessment": {"pk": assessment.pk},
        "team_member": {"client_pk": story.tiina.pk,
                        "user_pk": story.users["kela_expert"].pk},
        "users": story.users,
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
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix(client, world, name):
    method, arguments, expected = MATRIX[name]
    url = reverse(name, kwargs=world[arguments] if isinstance(arguments, str) else arguments)
    for role in ROLES:
        client.logout()
        if role != ANONYMOUS:
            log_in(client, world["users"][role])
        # Each role meets the same world: undo whatever the request changed.
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        assert outcome_of(response) == expected[role], (name, role)
        if response.status_code == 200 and role in NEVER_SHOWN:
            body = response.content.decode(errors="replace")
            for text in NEVER_SHOWN[role]:
                assert text not in body, (name, role, text)


ADMIN_PAGES = ["admin:index", "admin:teams_user_changelist", "admin:teams_organisation_add",
               "admin:teams_membership_changelist", "admin:teams_municipality_changelist"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_site_is_for_the_admin_role_only(client, world, name):
    url = reverse(name)
    for role in ROLES:
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
