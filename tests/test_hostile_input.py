"""
Hostile input on every form and query parameter, as the roles that reach them.

The suite opens each page of the app as a role that may use it, finds its `<form>` elements
(method, action, fields, formset management fields, named buttons) the way a browser would,
fills each form in as a person would, and then sends it once for every hostile kind of value
of each field — 10,000 characters, NUL, a lone surrogate, an RTL override, year 1 and 9999,
30 February, the first and last day a form takes, negative, huge and non-numeric numbers and
ids, a missing or repeated field — one field at a time, so that every other field stays
valid (tests/hostile.py picks one value per kind, not every combination). Query parameters
and the feed's token in the path get the same. No answer may be a server error, a debug page
or unbounded work, and whatever a hostile request managed to store must read back: a date or
number at once, on the page the form led to; everything after a replay of every accepted
request, on My work, the lists, the client's page, the calendar, the feed and the prints.

Each request runs in a savepoint rolled back after it, so that every form meets the same
world; the replay then keeps what it sends.

A URL that no page's form reaches and that is not in the tables below fails
`test_every_url_is_fuzzed`.
"""

import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client as BrowserClient
from django.urls import resolve, reverse
from django.utils import timezone

from clients.models import Client
from consents.services import give_consent_as_client, record_consent
from meetings.models import CalendarFeed, Meeting, MeetingParticipant
from meetings.services import book_meeting
from referrals.models import Referral
from referrals.services import book_health_check, record_health_check, send_referral
from teams.models import Organisation, Sector, Team
from teams.people import REMOVE_BUTTON, SEARCH_BUTTON
from tests import test_permission_matrix as matrix
from tests.factories import ClientFactory, staff
from tests.hostile import (
    DATE_VALUES,
    HUGE,
    NUMBER_LIKE,
    NUMBER_VALUES,
    QUERY_JUNK,
    TEXT_TYPES,
    TEXT_VALUES,
    Field,
    baseline,
    forms_of,
    hostile_values,
    query_values,
    replace,
    send,
    whole_form_values,
)
from tests.utils import authenticator, log_in, log_in_as_client

ANONYMOUS = matrix.ANONYMOUS
world = matrix.world  # the permission matrix's world of Tiina, a fixture

ALLOWED = {200, 302, 400, 403, 404, 405}
SLOW = 10.0  # seconds: no request may work this long, whatever it was sent (a busy CI's PDF
# takes a few; the unbounded ones took half a minute and more)

# The pages whose forms are fuzzed: (URL name, arguments, role, query string). Each form is
# fuzzed once, as the role on the first page that shows it.
PAGES = [
    ("login", {}, ANONYMOUS, ""),
    ("sso_login", {}, ANONYMOUS, ""),
    ("oma:login", {}, ANONYMOUS, ""),
    ("oma:home", {}, matrix.CLIENT, ""),
    ("oma:consents", {}, matrix.CLIENT, ""),
    ("oma:consent_give", {}, matrix.CLIENT, ""),
    ("oma:consent_confirm", "consent", matrix.CLIENT, ""),
    # Only a consent the client gave or confirmed has the narrowing form.
    ("oma:consent_narrow", "given", matrix.CLIENT, ""),
    ("oma:consent_revoke", "consent", matrix.CLIENT, ""),
    ("oma:ban_create", {}, matrix.CLIENT, ""),
    ("oma:ban_lift", "oma_ban", matrix.CLIENT, ""),
    ("oma:self_assessments", {}, matrix.CLIENT, ""),
    ("oma:self_assessment", "referral", matrix.CLIENT, ""),
    ("oma:meeting_feedback_list", {}, matrix.CLIENT, ""),
    ("oma:meeting_feedback", "attended", matrix.CLIENT, ""),
    ("oma:move_request", "oma_meeting", matrix.CLIENT, ""),
    ("oma:plan", {}, matrix.CLIENT, ""),
    ("accounts:mfa_setup", {}, "unenrolled", ""),
    ("accounts:mfa_verify", {}, "unverified", ""),
    ("home", {}, "nurse", ""),
    ("accounts:account", {}, "nurse", ""),
    ("clients:list", {}, "nurse", ""),
    ("clients:create", {}, "nurse", ""),
    # Health care holds the meeting Tiina asked to move: the nurse's page has the form that
    # marks the request handled (move_requests:handled).
    ("clients:detail", "tiina", "nurse", ""),
    ("clients:note_create", "tiina", "nurse", ""),
    ("clients:employment_edit", "tiina", "te_expert", ""),
    ("clients:contact_create", "tiina", "te_expert", ""),
    ("clients:contact_edit", "support_contact", "te_expert", ""),
    ("clients:contact_remove", "support_contact", "te_expert", ""),
    ("consents:create", "client", "nurse", ""),
    ("consents:detail", "consent", "nurse", ""),
    ("consents:detail", "unconfirmed", "te_expert", ""),
    ("consents:revoke", "consent", "nurse", ""),
    ("consents:ban_create", "client", "nurse", ""),
    ("consents:ban_lift", "ban", "nurse", ""),
    ("consents:team", "client", "nurse", ""),
    ("consents:access_log", "client", "nurse", ""),
    ("referrals:assessment_edit", "assessment", "doctor", ""),
    ("referrals:worklist", {}, "nurse", ""),
    ("referrals:sent", {}, "te_expert", ""),
    ("referrals:create", "unreferred", "te_expert", ""),
    ("referrals:self_referral", "client", "nurse", ""),
    ("referrals:detail", "referral", "nurse", ""),
    ("referrals:detail", "answered", "te_expert", ""),
    ("referrals:book", "referral", "nurse", ""),
    ("referrals:cancel", "referral", "nurse", ""),
    ("referrals:no_show", "missed", "nurse", ""),
    ("referrals:health_check", "referral", "nurse", ""),
    ("referrals:feedback", "checked", "nurse", ""),
    ("referrals:assessment_create", "client", "doctor", ""),
    ("meetings:book", "client", "coordinator", ""),
    ("meetings:request", "client", "te_expert", ""),
    ("meetings:request_withdraw", "meeting_request", "te_expert", ""),
    ("meetings:detail", "meeting", "nurse", ""),
    ("meetings:reschedule", "meeting", "coordinator", ""),
    ("meetings:decisions", "meeting", "coordinator", ""),
    ("meetings:attendance", "held", "coordinator", ""),
    ("meetings:cancel", "meeting", "coordinator", ""),
    ("meetings:doctor_assessment", "meeting", "doctor", ""),
    ("meetings:feed_settings", {}, "nurse", ""),
    ("clients:edit", "tiina", "te_expert", ""),
    ("clients:handover", "tiina", "te_expert", ""),
    ("plans:plan", "client", "te_expert", ""),
    ("plans:plan_edit", "client", "te_expert", ""),
    ("plans:follow_up_done", "follow_up", "te_expert", ""),
    ("plans:goal_follow", "goal", "te_expert", ""),
    ("plans:reopen_client", "closed", "te_expert", ""),
    ("plans:discussion_create", "client", "coordinator", "meeting"),
    ("plans:close_client", "client", "te_expert", ""),
    ("work:notifications", {}, "nurse", ""),
    ("reporting:dashboard", {}, "manager", ""),
    ("rights:package", "client", "nurse", ""),
    ("retention:proposals", {}, "manager", ""),
    ("oversight:overview", {}, "tietosuoja", ""),
    ("admin:teams_organisation_change", "health", "admin", ""),
    ("admin:teams_membership_add", {}, "admin", ""),
    ("admin:teams_deadlinesettings_add", {}, "admin", ""),
]
# The admin's other pages: the team's page has the same autocomplete inline as the
# organisation's, the rest are Django's own forms without our widgets or inlines; their query
# parameters are fuzzed (READ_ONLY), their forms not.

# Pages without a form: only their query parameters and path are fuzzed.
READ_ONLY = [
    ("health", {}, ANONYMOUS),
    ("clients:summary_pdf", "tiina", "nurse"),
    ("clients:notes_csv", "tiina", "nurse"),
    ("consents:pdf", "consent", "nurse"),
    ("consents:access_log_csv", "client", "nurse"),
    ("referrals:assessment", "assessment", "doctor"),
    ("meetings:calendar", {}, "nurse"),
    ("people_search", {}, "nurse"),
    ("meetings:doctor_summary_pdf", "meeting", "nurse"),
    ("meetings:feed", "feed", ANONYMOUS),
    ("meetings:doctor_worklist", {}, "doctor"),
    ("meetings:intake", {}, "coordinator"),
    ("plans:plan_pdf", "client", "te_expert"),
    ("plans:discussion", "discussion", "te_expert"),
    ("plans:process_pdf", "client", "nurse"),
    ("reporting:dashboard_csv", {}, "manager"),
    ("reporting:dashboard_xlsx", {}, "manager"),
    # A background PDF's page and file (tyokyky/documents.py): of nothing here, hence 404.
    ("document", {"pk": "00000000-0000-0000-0000-000000000000"}, "nurse"),
    ("document_download", {"pk": "00000000-0000-0000-0000-000000000000"}, "nurse"),
    ("admin:teams_user_changelist", {}, "admin"),
    ("admin:autocomplete", {}, "admin"),
    ("rights:package_pdf", "client", "nurse"),
    ("rights:package_json", "client", "nurse"),
    # No proposal or flag in this world: their forms are not on any page.
    ("retention:approve", {"pk": 987654321}, "manager"),
    ("retention:reject", {"pk": 987654321}, "manager"),
    ("oversight:results", {}, "tietosuoja"),
    ("oversight:export", {}, "tietosuoja"),
    ("oversight:flag", {"pk": 987654321}, "tietosuoja"),
    ("oversight:flag_review", {"pk": 987654321}, "tietosuoja"),
    ("oversight:flag_rows", {"pk": 987654321}, "tietosuoja"),
    # The provider's answer: its code and state are fuzzed as query parameters.
    ("oma:callback", {}, ANONYMOUS),
    # The staff's single sign-on answer (teams/sso.py), likewise.
    ("sso_callback", {}, ANONYMOUS),
    ("oma:who_viewed", {}, matrix.CLIENT),
    ("oma:contacts", {}, matrix.CLIENT),
    ("oma:appointments", {}, matrix.CLIENT),
    ("oma:health_check_feedback", {}, matrix.CLIENT),
    ("oma:process_pdf", {}, matrix.CLIENT),
    ("privacy_notice", {}, ANONYMOUS),
    ("accessibility_statement", {}, ANONYMOUS),
    ("password_reset_confirm", {"uidb64": "MQ", "token": "ei-tunniste"}, ANONYMOUS),
    ("password_reset_complete", {}, ANONYMOUS),
]

# What each page reads from its query string (beyond its GET form's fields).
QUERY_PARAMETERS = {
    "login": ["next"],
    "oma:callback": ["code", "state", "error"],
    "sso_login": ["next"],
    "sso_callback": ["code", "state", "error"],
    "oma:who_viewed": ["page", "disclosures_page"],
    "oma:self_assessments": ["page"],
    "oma:meeting_feedback_list": ["page"],
    "oma:appointments": ["page"],
    "oma:health_check_feedback": ["page"],
    "accounts:mfa_verify": ["next"],
    "clients:list": ["after", "before", "search"],
    "clients:note_create": ["category"],
    "consents:access_log": ["page", "disclosures_page", "start", "end", "organisation"],
    "consents:access_log_csv": ["start", "end", "organisation"],
    "referrals:worklist": ["page", "search"],
    "referrals:sent": ["page", "search"],
    "referrals:create": ["reason"],
    "meetings:book": ["week", "request"],
    "meetings:intake": ["page"],
    "meetings:calendar": ["date", "view", "scope"],
    "meetings:doctor_worklist": ["page"],
    "plans:discussion_create": ["meeting"],
    "work:notifications": ["page"],
    "people_search": ["purpose", "q"],
    "reporting:dashboard": ["kind", "period", "municipality", "start", "end"],
    "reporting:dashboard_csv": ["kind", "period", "municipality", "start", "end"],
    "reporting:dashboard_xlsx": ["kind", "period", "municipality", "start", "end"],
    "retention:proposals": ["page", "state"],
    "oversight:overview": ["page"],
    "oversight:results": ["search", "after", "n"],
    "document": ["seen"],
    "admin:teams_user_changelist": ["q", "o", "p", "is_active__exact",
                                    "memberships__organisation__id__exact"],
    "admin:autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
}

# Valid starting values where "the first option" or today is not a valid choice.
_A_COMING_WEDNESDAY = timezone.localdate() + timedelta(days=7 + (2 - timezone.localdate()
                                                                  .weekday()) % 7)
OVERRIDES = {
    "meetings:book": {"date": _A_COMING_WEDNESDAY.isoformat(), "start": "10:00"},
    "meetings:reschedule": {"date": _A_COMING_WEDNESDAY.isoformat(), "start": "12:00"},
    "clients:create": {"hetu": "010190-990S", "postal_code": "87100"},
    "clients:edit": {"postal_code": "87100"},
    "consents:ban_create": {"sector": ""},
    "oma:ban_create": {"sector": ""},
}

# Forms whose accepted requests end what the pages read back: not replayed.
ENDING = {"logout", "admin:logout", "oma:logout", "plans:close_client", "clients:handover",
          "meetings:cancel", "referrals:cancel", "consents:revoke", "consents:ban_lift",
          "consents:team_remove",
          "clients:contact_remove", "meetings:request_withdraw", "referrals:no_show",
          "oma:consent_revoke", "oma:consent_narrow", "oma:ban_lift"}


@pytest.fixture
def hostile_world(world):
    """The permission matrix's world of Tiina, and what some forms need besides."""
    users = world["users"]
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    health = Organisation.objects.get(sector=Sector.HEALTH)
    # A referral checked but without its feedback yet.
    checked_client = ClientFactory(organisations=[employment, health])
    checked = send_referral(client=checked_client, by=users["te_expert"],
                            organisation=employment, recipient=health, reason="other",
                            urgency="normal")
    record_health_check(referral=checked, by=users["nurse"], organisation=health,
                        nurse=users["nurse"], performed_on=timezone.localdate(),
                        work_ability=5, nurse_view="unemployed", next_steps="Uravalmennus")
    # A consent of health care's that employment services have not confirmed yet.
    unconfirmed = record_consent(client=Client.objects.get(pk=world["tiina"]["pk"]),
                                 by=users["nurse"], categories=["health"],
                                 organisations=[employment], purpose="Kuntoutus",
                                 method="written", valid_from=timezone.localdate())
    # A consent Tiina gave herself in Oma Työkyky: the one she can narrow.
    given = give_consent_as_client(client=Client.objects.get(pk=world["tiina"]["pk"]),
                                   categories=["identity", "health"],
                                   organisations=[employment], purpose="Kuntoutus",
                                   valid_from=timezone.localdate())
    saara = Client.objects.get(first_name="Saara")
    # A client employment services closed, to be reopened.
    closed = ClientFactory(organisations=[employment])
    Client.objects.filter(pk=closed.pk).update(status="closed", closed_on=timezone.localdate(),
                                               closing_reason="employed")
    held, missed = _held_meeting(users, health), _missed_check(users, employment, health)
    users["unenrolled"] = staff(username="unenrolled")
    users["unverified"] = users["nurse"]
    return {
        **world,
        "checked": {"pk": checked.pk},
        "unconfirmed": {"pk": unconfirmed.pk},
        "given": {"pk": given.pk},
        "unreferred": {"client_pk": saara.pk},
        "held": {"pk": held.pk},
        "missed": {"pk": missed.pk},
        "closed": {"client_pk": closed.pk},
        "health": {"object_id": health.pk},
    }


def _held_meeting(users, health):
    """A meeting that began half an hour ago: its attendance can be recorded. Moved straight
    in the database, as the booking rightly refuses times in the past."""
    person = ClientFactory(organisations=[health])
    start = timezone.now() + timedelta(days=30)
    meeting = book_meeting(client=person, team=Team.objects.get(), by=users["coordinator"],
                           organisation=health, starts_at=start,
                           ends_at=start + timedelta(hours=1), mode="phone",
                           users=[users["nurse"]])
    past = {"starts_at": timezone.now() - timedelta(minutes=30),
            "ends_at": timezone.now() + timedelta(minutes=30)}
    Meeting.objects.filter(pk=meeting.pk).update(**past)
    MeetingParticipant.objects.filter(meeting=meeting).update(**past)
    return meeting


def _missed_check(users, employment, health):
    """A health check booked for an hour ago: "ei saapunut" can be recorded."""
    person = ClientFactory(organisations=[employment, health])
    referral = send_referral(client=person, by=users["te_expert"], organisation=employment,
                             recipient=health, reason="other", urgency="normal")
    book_health_check(referral=referral, by=users["nurse"],
                      when=timezone.now() + timedelta(days=1))
    Referral.objects.filter(pk=referral.pk).update(
        booked_for=timezone.now() - timedelta(hours=1))
    return referral


class Session:
    """A browser of one role at a time, which remembers every server error it met."""

    def __init__(self, world):
        self.world = world
        self.client = BrowserClient(raise_request_exception=False)
        self.role = self.session = None
        self.errors = []
        self.unreadable = []
        self.requests = 0
        self.slow = []
        self.times = Counter()  # seconds and requests by what was fuzzed, for the report
        self.counts = Counter()

    def report(self) -> str:
        return ", ".join(f"{name} {self.counts[name]}/{seconds:.1f}s"
                         for name, seconds in self.times.most_common(15))

    def _session_cookie(self):
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie else None

    def become(self, role):
        """Log in as the role, unless still logged in as it (a request may have logged out)."""
        if role == self.role and self._session_cookie() == self.session:
            return
        self.client.logout()
        self.client.cookies.clear()
        self.role = role
        user = self.world["users"].get(role)
        if role == "unverified":
            authenticator(user)
            self.client.force_login(user)  # the first factor only
        elif role == "unenrolled":
            self.client.force_login(user)
        elif role in matrix.CLIENTS:  # Oma Työkyky's session of the client
            log_in_as_client(self.client, self.world["oma_sessions"][role])
        elif user is not None:
            log_in(self.client, user)
        self.session = self._session_cookie()

    def request(self, method, url, pairs=(), *, label=""):
        caught = []

        def remember(sender, request=None, **kwargs):
            caught.append(repr(sys.exc_info()[1])[:300])

        got_request_exception.connect(remember)
        started = time.monotonic()
        try:
            response = send(self.client, method, url, pairs)
        finally:
            got_request_exception.disconnect(remember)
        took = time.monotonic() - started
        self.requests += 1
        self.times[label.split(" ")[0]] += took
        self.counts[label.split(" ")[0]] += 1
        if took > SLOW:
            self.slow.append((self.role, method, url, label, round(took, 1)))
        body = response.content[:20000] if not response.streaming else b""
        if response.status_code not in ALLOWED or caught or b"Traceback" in body:
            self.errors.append((self.role, method, url, label, response.status_code,
                                caught[:1]))
        return response


def _url(world, name, arguments):
    kwargs = world[arguments] if isinstance(arguments, str) else arguments
    return reverse(name, kwargs=kwargs)


def _accepted(response) -> bool:
    return response.status_code == 302 and not response.url.startswith(reverse("login"))


def _read_back(session, response, label):
    """After an accepted request, the page it led to, which shows what was stored."""
    if response.url.startswith("/"):
        session.request("get", response.url, label=f"read back after {label}")


# Forms on every page: fuzzed once, with the page "home".
EVERYWHERE = {"set_language", "logout"}
GROUPS = 2  # the pages in turns, so that two processes share the work


def _pages(group=None):
    return [page for number, page in enumerate(PAGES)
            if group is None or number % GROUPS == group]


def _discover(session, world, pages):
    """Every form on the pages, once each: {(action's URL name, method): (role, form, page)}."""
    found = {}
    for name, arguments, role, query in pages:
        session.become(role)
        url = _url(world, name, arguments)
        if query == "meeting":
            url += f"?meeting={world['meeting']['pk']}"
        response = session.request("get", url, label="page")
        assert response.status_code == 200, (name, role, response.status_code)
        for form in forms_of(url, response.content.decode()):
            action = resolve(urlsplit(form.action).path)
            if action.view_name in EVERYWHERE and name != "home":
                continue
            found.setdefault((action.view_name, form.method), (role, form, name))
    return found


# Django's own CSRF token (the test client does not check it) is no field of ours, and the
# admin's template row ("__prefix__") no form reads.
NOT_FUZZED = {"csrfmiddlewaretoken"}
PICKER_BUTTONS = {SEARCH_BUTTON, REMOVE_BUTTON}

# Fields that only a form validates, whichever button was pressed.
SECONDARY_SKIPS = TEXT_TYPES | {"checkbox", "radio", "time"}


def _passes(form):
    """The submissions to fuzz: with the last named button (the main action) every field;
    with each other value of that button (the booking page's "show the week"), the fields a
    view may read before validating: ids, dates, numbers, formset counts."""
    buttons = list(dict.fromkeys(form.buttons))
    # A people picker's search and remove buttons (teams/people.py) reload the form unsaved:
    # never the form's main action; one search is fuzzed like the booking page's week.
    pickers = [(button, False) for button in buttons if button[0] in PICKER_BUTTONS][:1]
    buttons = [button for button in buttons if button[0] not in PICKER_BUTTONS]
    if not buttons:
        return [(None, True), *pickers]
    main = buttons[-1]
    return [(main, True), *pickers, *((button, False) for button in buttons
                                      if button[0] == main[0] and button != main)]


def _submissions(form, page):
    """Each hostile submission of the form: (field, kind, the valid submission it changes,
    the field's values instead)."""
    overrides = OVERRIDES.get(page, {})
    for button, everything in _passes(form):
        start = baseline(form, overrides) + ([button] if button else [])
        fields = list(form.fields.values())
        if button:
            fields.append(Field(button[0], "select", [button[1]], [button[1]]))
        rows = set()
        for turn, current in enumerate(fields):
            if not everything and current.type in SECONDARY_SKIPS:
                continue
            # A formset's field is one field however many rows show it: its first row's.
            row_field = re.sub(r"-\d+-", "-N-", current.name)
            if row_field in rows or row_field in NOT_FUZZED or "__prefix__" in current.name:
                continue
            rows.add(row_field)
            for kind, values in hostile_values(current, turn).items():
                yield current.name, kind, start, values
        if everything:
            for kind, pairs in whole_form_values(start).items():
                yield "", kind, pairs, None


# Values no form should take, which would break the pages that compute with them: read back at
# once if taken. Texts and the first and last days are read back after the replay.
READ_AT_ONCE = {*DATE_VALUES, *NUMBER_VALUES}


@dataclass
class Accepted:
    view_name: str
    role: str
    action: str
    name: str
    start: list
    values: list | None

    @property
    def pairs(self):
        return self.start if self.values is None else replace(self.start, self.name,
                                                              self.values)


def _fuzz_form(session, view_name, role, form, page, accepted):
    for name, kind, start, values in _submissions(form, page):
        submission = Accepted(view_name, role, form.action, name, start, values)
        session.become(role)
        with transaction.atomic():
            response = session.request(form.method, form.action, submission.pairs,
                                       label=f"{view_name} {name}={kind}")
            if _accepted(response):
                accepted.append(submission)
                if kind in READ_AT_ONCE:
                    _read_back(session, response, f"{view_name} {name}={kind}")
            transaction.set_rollback(True)


def _replay(session, accepted):
    """Whatever was accepted, again and kept: per form one submission with every accepted
    value where they go together, else one by one. Not what ends the world for the pages
    (closing the client, cancelling its meeting)."""
    forms = {}
    for submission in accepted:
        if submission.view_name not in ENDING:
            key = (submission.role, submission.action, tuple(submission.start))
            forms.setdefault(key, []).append(submission)
    for (role, action, start), submissions in forms.items():
        together = [s for s in submissions if s.values]
        merged = list(start)
        for submission in together:
            merged = replace(merged, submission.name, submission.values)
        session.become(role)
        label = f"replay {submissions[0].view_name}"
        if together and _accepted(session.request("post", action, merged, label=label)):
            submissions = [s for s in submissions if not s.values]
        for submission in submissions:
            session.request("post", action, submission.pairs, label=label)


@pytest.mark.parametrize("group", range(GROUPS))
def test_no_form_answers_a_server_error_to_hostile_input(hostile_world, group):
    """Every form of every page, each field with each hostile kind, the rest valid."""
    world = hostile_world
    session = Session(world)
    found = _discover(session, world, _pages(group))
    accepted = []
    for (view_name, method), (role, form, page) in found.items():
        if method == "post":
            _fuzz_form(session, view_name, role, form, page, accepted)
    # Whatever was accepted, kept: then every page that shows it still opens.
    _replay(session, accepted)
    _read_everything(session, world)
    print(f"\n{session.requests} requests, {len(accepted)} accepted, forms: {len(found)}",
          session.report())
    assert session.errors == [], _summary(session.errors)
    assert session.unreadable == []
    assert session.slow == []


READERS = [
    ("home", {}, "nurse"), ("home", {}, "te_expert"), ("home", {}, "coordinator"),
    ("home", {}, "doctor"), ("referrals:worklist", {}, "nurse"),
    ("referrals:sent", {}, "te_expert"), ("clients:list", {}, "nurse"),
    ("meetings:calendar", {}, "coordinator"), ("work:notifications", {}, "nurse"),
    ("reporting:dashboard", {}, "manager"),
    ("clients:detail", "tiina", "nurse"), ("clients:detail", "tiina", "te_expert"),
    ("clients:summary_pdf", "tiina", "nurse"), ("plans:process_pdf", "client", "nurse"),
    ("plans:process_pdf", "client", "te_expert"), ("plans:plan_pdf", "client", "te_expert"),
    ("meetings:doctor_summary_pdf", "meeting", "nurse"), ("consents:pdf", "consent", "nurse"),
    ("referrals:detail", "referral", "nurse"), ("meetings:detail", "meeting", "coordinator"),
    ("consents:access_log", "client", "nurse"), ("meetings:feed", "feed", ANONYMOUS),
    # The self-assessments as sent (the replay's check may have closed the referral's form).
    ("oma:self_assessments", {}, matrix.CLIENT),
    ("oma:meeting_feedback", "attended", matrix.CLIENT),
    ("oma:appointments", {}, matrix.CLIENT), ("oma:plan", {}, matrix.CLIENT),
]


def _read_everything(session, world):
    """The pages that show what was stored, after the replay."""
    # The replay may have renewed the feed's address.
    world = {**world, "feed": {"token": CalendarFeed.objects.get(
        user=world["users"]["nurse"]).token}}
    meeting_week = f"?date={_A_COMING_WEDNESDAY}"  # where the replay booked its meetings
    for name, arguments, role in READERS:
        session.become(role)
        url = _url(world, name, arguments)
        queries = ("", meeting_week, f"{meeting_week}&view=month") if (
            name == "meetings:calendar") else ("",)
        for query in queries:
            response = session.request("get", url + query, label="read back")
            if response.status_code == 302 and response.url.startswith("/"):
                # A print rendered in the background: its page is where it waits.
                response = session.request("get", response.url, label="read back")
            if response.status_code != 200:
                session.unreadable.append((name, role, response.status_code))


def _summary(errors):
    counts = Counter((e[2], e[4], str(e[5])) for e in errors)
    return "\n".join(f"{n} x {url} {status} {exc}" for (url, status, exc), n in
                     counts.most_common()) + "\n" + "\n".join(str(e) for e in errors[:80])


@pytest.mark.parametrize("group", range(2))
def test_no_query_parameter_answers_a_server_error(hostile_world, group):
    """Each page's query parameters, each with every hostile kind; every page a mix of
    parameters it does not read."""
    world = hostile_world
    session = Session(world)
    pages = [(name, arguments, role) for name, arguments, role, _query in PAGES] + READ_ONLY
    pages = pages[group::2]
    seen = set()
    for name, arguments, role in pages:
        url = _url(world, name, arguments)
        if url in seen:
            continue
        seen.add(url)
        session.become(role)
        for turn, parameter in enumerate(QUERY_PARAMETERS.get(name, [])):
            for kind, values in query_values(turn).items():
                with transaction.atomic():
                    session.request("get", url, [(parameter, value) for value in values],
                                    label=f"{name} ?{parameter}={kind}")
                    transaction.set_rollback(True)
        # Parameters the page does not read: ignored, whatever they hold.
        mixed = [(f"x{kind}", value) for kind, value in {**TEXT_VALUES, **QUERY_JUNK}.items()]
        session.request("get", url, mixed, label=f"{name} unknown parameters")
    print(f"\n{session.requests} requests", session.report())
    assert session.errors == [], _summary(session.errors)
    assert session.slow == []


def test_no_hostile_feed_token_answers_a_server_error(hostile_world):
    """The feed's token is in its path, open without login: any junk there is not found."""
    session = Session(hostile_world)
    session.become(ANONYMOUS)
    for kind, value in {**TEXT_VALUES, "superscript": NUMBER_LIKE, "huge": HUGE}.items():
        path = "/calendar/feed/" + quote(value.encode("utf-8", "surrogatepass")) + ".ics"
        response = session.request("get", path, label=f"feed token {kind}")
        assert response.status_code in (400, 404), (kind, response.status_code)
    assert session.errors == [], _summary(session.errors)


def test_every_url_is_fuzzed(hostile_world):
    """Every URL of the project: a page in the tables, or the action of a form found on one."""
    session = Session(hostile_world)
    found = _discover(session, hostile_world, PAGES)
    covered = {name for name, *_rest in PAGES} | {name for name, *_rest in READ_ONLY} | {
        view_name for view_name, _method in found}
    names = {name for name in matrix.project_url_names() if not str(name).startswith("admin:")}
    assert names - covered == set()
    assert set(QUERY_PARAMETERS) <= covered


APPS = ["clients", "consents", "plans", "referrals", "teams", "tyokyky", "rights", "retention",
        "oversight", "oma"]
READS_QUERY = re.compile(r"""\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")


def test_every_query_parameter_the_code_reads_is_fuzzed():
    """A view that starts reading `request.GET["…"]` must have the parameter in the table."""
    root = Path(__file__).resolve().parent.parent
    read = {name for app in APPS for path in (root / app).rglob("*.py")
            for name in READS_QUERY.findall(path.read_text())}
    fuzzed = {name for names in QUERY_PARAMETERS.values() for name in names}
    assert read - fuzzed == set()


# --- The findings of issue 13, one test each ----------------------------------------------------


def _tiina():
    return Client.objects.get(first_name="Tiina")


def test_a_self_referral_in_year_1_is_refused_and_nothing_stored(demo, client):
    log_in(client, demo["nurse"])
    tiina = _tiina()
    response = client.post(reverse("referrals:self_referral", args=[tiina.pk]),
                           {"when": "0001-01-01T00:00"})
    assert response.status_code == 200
    assert "when" in response.context["form"].errors
    assert not Referral.objects.filter(client=tiina).exists()
    assert client.get(reverse("clients:detail", args=[tiina.pk])).status_code == 200


def _referral_to_health(demo):
    tiina = _tiina()
    return send_referral(client=tiina, by=demo["te_expert"],
                         organisation=Organisation.objects.get(sector=Sector.EMPLOYMENT),
                         recipient=Organisation.objects.get(sector=Sector.HEALTH),
                         reason="other", urgency="normal")


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_health_check_booked_for_year_1_or_9999_is_refused(demo, client, when):
    """Year 9999 was stored (it is not in the past), and no page could show it again."""
    referral = _referral_to_health(demo)
    log_in(client, demo["nurse"])
    response = client.post(reverse("referrals:book", args=[referral.pk]), {"when": when})
    assert response.status_code == 200
    assert "when" in response.context["form"].errors
    referral.refresh_from_db()
    assert referral.booked_for is None
    assert client.get(reverse("referrals:worklist")).status_code == 200


def test_a_feedback_discussion_booked_for_year_1_is_refused(demo, client):
    log_in(client, demo["te_expert"])
    tiina = _tiina()
    response = client.post(reverse("plans:discussion_create", args=[tiina.pk]), {
        "holder": demo["te_expert"].pk, "scheduled_for": "0001-01-01T00:00",
        "client_present": "on", "follows_own_affairs": "yes",
    })
    assert response.status_code == 200
    assert "scheduled_for" in response.context["form"].errors
    assert client.get(reverse("home")).status_code == 200


def test_every_date_field_says_its_range_to_the_browser(demo, client):
    log_in(client, demo["nurse"])
    tiina = _tiina()
    page = client.get(reverse("referrals:self_referral", args=[tiina.pk])).content.decode()
    assert 'min="1900-01-01T00:00"' in page and 'max="2100-12-31T23:59"' in page


def _booking_preview(demo, client, **values):
    log_in(client, demo["coordinator"])
    tiina = _tiina()
    data = {"action": "preview", "date": "2026-03-02", "start": "10:00", "duration": "60",
            "mode": "in_person", "externals-TOTAL_FORMS": "2",
            "externals-INITIAL_FORMS": "0", **values}
    started = time.monotonic()
    response = client.post(reverse("meetings:book", args=[tiina.pk]), data)
    return response, time.monotonic() - started


def test_the_booking_page_ignores_a_slot_that_is_no_time(demo, client):
    response, _took = _booking_preview(demo, client, slot="garbage")
    assert response.status_code == 200


def test_the_booking_page_ignores_a_meeting_length_beyond_any_number(demo, client):
    response, _took = _booking_preview(demo, client, duration="99999999999999999999")
    assert response.status_code == 200
    assert response.context["form"]["duration"].value() == "99999999999999999999"


def test_the_booking_page_reads_a_count_of_outsiders_that_is_no_number(demo, client):
    response, _took = _booking_preview(demo, client, **{"externals-TOTAL_FORMS": "abc"})
    assert response.status_code == 200


def test_the_booking_preview_does_not_loop_over_a_claimed_count(demo, client):
    """It was 63 s of CPU: the view counted to the number the management form claimed."""
    response, took = _booking_preview(demo, client, **{
        "externals-TOTAL_FORMS": "3000000", "externals-0-name": "Tuki Henkilö"})
    assert response.status_code == 200
    assert took < 3
    externals = response.context["externals"]
    assert len(externals.forms) <= externals.max_num
    assert externals.forms[0]["name"].value() == "Tuki Henkilö"


def test_a_referral_takes_a_bounded_number_of_services(demo, client):
    """It was 33 s: two thousand service rows validated and shown again."""
    saara = Client.objects.get(first_name="Saara")
    log_in(client, demo["te_expert"])
    started = time.monotonic()
    response = client.post(reverse("referrals:create", args=[saara.pk]), {
        "recipient": Organisation.objects.get(sector=Sector.HEALTH).pk, "reason": "other",
        "urgency": "normal", "services-TOTAL_FORMS": "3000000",
        "services-INITIAL_FORMS": "0",
    })
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    formset = response.context["services_formset"]
    assert formset.non_form_errors()[0] in response.content.decode()  # "at most 20"
    assert len(formset.forms) <= formset.max_num
    assert not Referral.objects.filter(client=saara).exists()


def test_the_calendar_falls_back_from_a_day_out_of_range(demo, client):
    log_in(client, demo["nurse"])
    for day in ("0001-01-01", "9999-12-31"):
        for view in ("week", "month"):
            response = client.get(reverse("meetings:calendar"), {"date": day, "view": view})
            assert response.status_code == 200
            assert response.context["day"] == timezone.localdate()


def test_the_dashboard_says_a_period_out_of_range_is_not_valid(demo, client):
    log_in(client, demo["manager"])
    for period in ("0001-01", "0001", "9999-12", "9999-Q4", "9999"):
        response = client.get(reverse("reporting:dashboard"), {"period": period})
        assert response.status_code == 200
        assert "period" in response.context["form"].errors
    for parameter in ("start", "end"):  # a range of days is not offered at all
        response = client.get(reverse("reporting:dashboard"), {parameter: "2026-01-01"})
        assert response.context["form"].non_field_errors()


def test_the_calendar_feed_answers_400_to_a_nul_in_its_token(db, client):
    """No login needed: it was a server error for anyone, from the token lookup."""
    response = client.get("/calendar/feed/abc%00def.ics")
    assert response.status_code == 400
    assert "Virheellinen pyyntö" in response.content.decode()  # the project's own page


def test_a_lone_surrogate_in_a_search_is_refused(demo, client):
    log_in(client, demo["nurse"])
    response = send(client, "post", reverse("clients:list"), [("q", "Tiin\ud800a")])
    assert response.status_code == 400


def test_a_login_with_a_username_of_ten_thousand_characters_is_an_error(db, client):
    response = client.post(reverse("login"), {"username": "u" * 10_000,
                                              "password": "wrong"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_the_admin_says_an_autocomplete_id_of_letters_is_not_valid(demo, client):
    """An inline's autocomplete field (the organisation's members) sent "abc"."""
    log_in(client, demo["admin"])
    health = Organisation.objects.get(sector=Sector.HEALTH)
    url = reverse("admin:teams_organisation_change", args=[health.pk])
    form = next(f for f in forms_of(url, client.get(url).content.decode())
                if "memberships-TOTAL_FORMS" in f.fields)
    pairs = replace(baseline(form), "memberships-0-user", ["abc"])
    response = send(client, "post", url, pairs)
    assert response.status_code == 200
    assert any("user" in errors for errors in
               response.context["inline_admin_formsets"][0].formset.errors)


def test_a_client_closed_before_their_case_managers_began_is_an_error(demo, client):
    """Found by the fuzz: the case managers' periods would have ended before they began."""
    log_in(client, demo["te_expert"])
    saara = Client.objects.get(first_name="Saara")
    response = client.post(reverse("plans:close_client", args=[saara.pk]), {
        "reason": "employed", "closed_on": "1900-01-01", "holder": demo["te_expert"].pk,
        "reviewed": "Loppukeskustelu",
    })
    assert response.status_code == 200
    assert "closed_on" in response.context["form"].errors
    saara.refresh_from_db()
    assert saara.status == "active"
