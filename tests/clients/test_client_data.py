"""
The client's employment situation and support network (issue 16), through the views: recorded
on the client page by each organisation for itself, its past kept in the history; the support
network invited to a team meeting and named present in a feedback discussion; active clients
counted on the dashboard by source of income and jobseeker status, rounded as every count is.

And the attackers, in Tiina's story with marker strings: another organisation's employment
situation and support network stay hidden from a Kela expert with no consent for their
categories, from an organisation with no relationship, under a disclosure ban, and from the
admin — on the client page, the booking and discussion forms and the data package.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.client_data import add_support_contact, save_employment_situation
from clients.models import (
    Client,
    EmploymentSituation,
    IncomeSource,
    JobseekerStatus,
    SupportContact,
)
from consents.models import AccessLogEntry, Action
from consents.services import (
    add_to_team,
    confirm_consent,
    record_consent,
    record_disclosure_ban,
)
from meetings.models import MeetingParticipant, ParticipantKind
from plans.models import FeedbackDiscussion
from reporting import reports
from teams.models import Municipality, Role
from tests.factories import ClientFactory, staff
from tests.meetings.meeting_steps import book, booking_data
from tests.reporting.conftest import count_facts_on_read, page_tables
from tests.utils import log_in

CONTACT_NAME = "Ruusa Verkostola"  # a marker: the support person's name
CONTACT_NOTE = "Tukihenkilö muistuttaa tapaamisista"  # a marker: the note on them
CONTACT_EMAIL = "ruusa.verkostola@example.fi"


@pytest.fixture
def petri(demo):
    return Client.objects.get(first_name="Petri")


def page(client, user, url):
    log_in(client, user)
    return client.get(url)


def contact_data(**overrides):
    return {"name": CONTACT_NAME, "kind": "support_person", "organisation_name": "",
            "phone": "040 123 4567", "email": CONTACT_EMAIL, "note": CONTACT_NOTE,
            **overrides}


# --- The employment situation -------------------------------------------------------------------


def test_the_employment_situation_is_recorded_and_its_past_kept(client, demo, petri):
    log_in(client, demo["te_expert"])
    url = reverse("clients:employment_edit", args=[petri.pk])
    assert client.get(url).status_code == 200
    since = timezone.localdate() - timedelta(days=90)
    response = client.post(url, {"jobseeker_status": "unemployed",
                                 "jobseeker_since": since.isoformat(),
                                 "income_source": "labour_market_subsidy",
                                 "employment_plan_in_force": "on", "version": "0"})
    assert response.url == reverse("clients:detail", args=[petri.pk])
    situation = EmploymentSituation.objects.get(client=petri)
    response = client.post(url, {"jobseeker_status": "in_services",
                                 "jobseeker_since": since.isoformat(),
                                 "income_source": "rehabilitation_allowance",
                                 "version": str(situation.history.latest().history_id)})
    assert response.status_code == 302
    situation = EmploymentSituation.objects.get(client=petri)  # still one current row
    assert situation.jobseeker_status == JobseekerStatus.IN_SERVICES
    assert not situation.employment_plan_in_force
    assert [h.jobseeker_status for h in situation.history.order_by("history_id")] == [
        "unemployed", "in_services"]
    html = client.get(reverse("clients:detail", args=[petri.pk])).content.decode()
    assert str(JobseekerStatus.IN_SERVICES.label) in html
    assert str(IncomeSource.REHABILITATION_ALLOWANCE.label) in html
    assert AccessLogEntry.objects.filter(client=petri, action=Action.EMPLOYMENT_FORM).exists()


def test_the_employment_form_refuses_a_missing_status_and_a_future_date(client, demo, petri):
    log_in(client, demo["te_expert"])
    response = client.post(reverse("clients:employment_edit", args=[petri.pk]), {
        "jobseeker_status": "", "income_source": "salary",
        "jobseeker_since": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "version": "0"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"jobseeker_status", "jobseeker_since"}
    assert response.context["form"]["income_source"].value() == "salary"  # nothing lost
    assert not EmploymentSituation.objects.exists()


def test_a_save_over_a_newer_situation_is_refused_with_the_others_version(client, demo, petri):
    save_employment_situation(client=petri, organisation=demo["te_expert"].memberships.get()
                              .organisation, by=demo["te_expert"], jobseeker_status="laid_off")
    log_in(client, demo["te_expert"])
    response = client.post(reverse("clients:employment_edit", args=[petri.pk]), {
        "jobseeker_status": "unemployed", "income_source": "", "version": "0"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert EmploymentSituation.objects.get().jobseeker_status == "laid_off"


def test_each_organisation_records_its_own_situation(client, demo, petri):
    for name, status in (("te_expert", "unemployed"), ("coordinator", "laid_off")):
        log_in(client, demo[name])
        client.post(reverse("clients:employment_edit", args=[petri.pk]),
                    {"jobseeker_status": status, "income_source": "", "version": "0"})
    assert sorted(EmploymentSituation.objects.values_list("jobseeker_status", flat=True)) == [
        "laid_off", "unemployed"]


# --- The support network ------------------------------------------------------------------------


def test_a_contact_is_added_edited_and_removed_after_asking(client, demo, petri):
    log_in(client, demo["te_expert"])
    response = client.post(reverse("clients:contact_create", args=[petri.pk]), contact_data())
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    assert contact.organisation == demo["te_expert"].memberships.get().organisation
    html = client.get(reverse("clients:detail", args=[petri.pk])).content.decode()
    assert CONTACT_NAME in html and CONTACT_NOTE in html

    response = client.post(reverse("clients:contact_edit", args=[contact.pk]), contact_data(
        phone="050 999 0000", version=str(contact.history.latest().history_id)))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "050 999 0000"

    remove = reverse("clients:contact_remove", args=[contact.pk])
    assert CONTACT_NAME in client.get(remove).content.decode()  # asks first
    assert SupportContact.objects.exists()
    client.post(remove)
    assert not SupportContact.objects.exists()
    assert contact.history.filter(history_type="-").exists()  # who they were is kept


def test_a_contact_needs_a_name_and_a_valid_address(client, demo, petri):
    log_in(client, demo["te_expert"])
    response = client.post(reverse("clients:contact_create", args=[petri.pk]),
                           contact_data(name="", email="ei-osoite"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email"}
    assert not SupportContact.objects.exists()


def test_only_the_writing_organisation_edits_a_contact(client, demo, petri):
    employment = demo["te_expert"].memberships.get().organisation
    contact = add_support_contact(client=petri, organisation=employment, by=demo["te_expert"],
                                  **contact_data())
    # Health care sees it under Petri's consent for social information, and may not edit it.
    consent = record_consent(client=petri, by=demo["te_expert"], categories=["social"],
                             organisations=[demo["coordinator"].memberships.get().organisation],
                             purpose="Verkosto", method="written",
                             valid_from=timezone.localdate())
    assert consent
    html = page(client, demo["coordinator"], reverse("clients:detail", args=[petri.pk]))
    assert CONTACT_NAME in html.content.decode()
    for name in ("clients:contact_edit", "clients:contact_remove"):
        assert client.get(reverse(name, args=[contact.pk])).status_code == 403
        assert client.post(reverse(name, args=[contact.pk]), contact_data(name="X")
                           ).status_code == 403
    assert SupportContact.objects.get().name == CONTACT_NAME


def test_booking_invites_the_ticked_support_network_by_email(
        client, demo, petri, django_capture_on_commit_callbacks):
    log_in(client, demo["coordinator"])
    client.post(reverse("clients:contact_create", args=[petri.pk]), contact_data())
    client.post(reverse("clients:contact_create", args=[petri.pk]), contact_data(
        name="Sari Moilanen", kind="relative", email="", note=""))
    contact, no_email = (SupportContact.objects.get(name=CONTACT_NAME),
                         SupportContact.objects.get(name="Sari Moilanen"))
    form_page = client.get(reverse("meetings:book", args=[petri.pk])).content.decode()
    assert CONTACT_NAME in form_page and f'value="{contact.pk}"' in form_page
    mail.outbox.clear()
    response = book(client, demo, django_capture_on_commit_callbacks,
                    support_contacts=[contact.pk, no_email.pk])
    assert response.status_code == 302
    participant = MeetingParticipant.objects.get(name=CONTACT_NAME)
    assert participant.user is None and participant.email == CONTACT_EMAIL
    assert participant.role == str(contact.get_kind_display())
    # A support person or a relative comes as the client's support person, whose attendance
    # is recorded beside the client's.
    assert participant.kind == ParticipantKind.SUPPORT_PERSON
    relative = MeetingParticipant.objects.get(name="Sari Moilanen")
    assert relative.email == "" and relative.kind == ParticipantKind.SUPPORT_PERSON
    assert CONTACT_EMAIL in [address for message in mail.outbox for address in message.to]


def test_showing_the_week_keeps_the_ticked_contacts(client, demo, petri):
    log_in(client, demo["coordinator"])
    client.post(reverse("clients:contact_create", args=[petri.pk]), contact_data())
    contact = SupportContact.objects.get()
    response = client.post(reverse("meetings:book", args=[petri.pk]), booking_data(
        demo, action="preview", support_contacts=[str(contact.pk)]))
    assert response.status_code == 200
    assert response.context["form"]["support_contacts"].value() == [str(contact.pk)]


def test_the_feedback_discussion_names_the_support_network_present(client, demo, petri):
    log_in(client, demo["te_expert"])
    client.post(reverse("clients:contact_create", args=[petri.pk]), contact_data())
    contact = SupportContact.objects.get()
    url = reverse("plans:discussion_create", args=[petri.pk])
    assert CONTACT_NAME in client.get(url).content.decode()
    response = client.post(url, {
        "holder": demo["te_expert"].pk, "held_on": timezone.localdate().isoformat(),
        "client_present": "on", "others_present": "Veli Tervo", "present_contacts": [contact.pk],
        "reviewed": "Tavoite sovittu", "follows_own_affairs": "yes", "version": "0"})
    assert response.status_code == 302
    others = FeedbackDiscussion.objects.get().others_present
    assert others.startswith("Veli Tervo, ") and CONTACT_NAME in others


# --- The dashboard ------------------------------------------------------------------------------


def test_the_dashboard_counts_active_clients_by_income_and_status(client, demo, monkeypatch,
                                                                  count_queries, settings):
    monkeypatch.setattr(reports, "offset", lambda *args: 0)
    settings.DASHBOARD_CACHE_SECONDS = 0
    count_facts_on_read(monkeypatch)  # what beat counts ahead, counted as the page reads
    kajaani = Municipality.objects.get(name="Kajaani")
    employment = demo["te_expert"].memberships.get().organisation
    leader = staff(Role.MANAGER, employment)
    log_in(client, leader)
    url = reverse("reporting:dashboard")
    before = count_queries(client, url)

    def situations(n, income, jobseeker="unemployed", **client_fields):
        for _ in range(n):
            person = ClientFactory(municipality=kajaani, **client_fields)
            save_employment_situation(client=person, organisation=employment,
                                      by=demo["te_expert"], jobseeker_status=jobseeker,
                                      income_source=income)

    situations(5, "sickness_allowance")
    situations(4, "rehabilitation_allowance", jobseeker="laid_off")  # four: published as none
    situations(3, "sickness_allowance", jobseeker="laid_off", status="closed")  # not active
    assert count_queries(client, url) == before  # no query per client
    tables = page_tables(client.get(url).content.decode())
    income = {row[0]: row[1] for row in tables["income_sources"]}
    assert income[str(IncomeSource.SICKNESS_ALLOWANCE.label)] == "5"
    assert income[str(IncomeSource.REHABILITATION_ALLOWANCE.label)] == "0"
    status = {row[0]: row[1] for row in tables["jobseeker_statuses"]}
    assert status[str(JobseekerStatus.UNEMPLOYED.label)] == "5"
    assert status[str(JobseekerStatus.LAID_OFF.label)] == "0"
    counts = [*list(income.values())[1:], *list(status.values())[1:]]  # below the header
    assert counts and all(int(value) % 5 == 0 for value in counts)


# --- The attackers ------------------------------------------------------------------------------


@pytest.fixture
def tiinas_data(story):
    """Employment services recorded Tiina's situation (laid off, on sickness allowance) and her
    support person. Kela is on her team with her consent for identity and health only; the TYP
    expert with a consent for everything, and then a ban; health care with a consent for
    employment and social information — not benefits."""
    users, tiina = story.users, story.tiina
    te = users["te_expert"]
    save_employment_situation(client=tiina, organisation=story.employment, by=te,
                              jobseeker_status="laid_off", income_source="sickness_allowance",
                              employment_plan_in_force=True)
    add_support_contact(client=tiina, organisation=story.employment, by=te, **contact_data())
    kela = record_consent(client=tiina, by=users["nurse"], categories=["identity", "health"],
                          organisations=[story.kela], purpose="Kuntoutus", method="written",
                          valid_from=timezone.localdate())
    confirm_consent(consent=kela, organisation=story.employment, by=te)
    add_to_team(client=tiina, user=users["typ_expert"], by=users["coordinator"])
    everything = record_consent(
        client=tiina, by=te, categories=["identity", "employment", "health", "social",
                                         "benefits"],
        sectors=["typ"], purpose="TYP", method="written", valid_from=timezone.localdate())
    assert everything
    record_disclosure_ban(client=tiina, by=users["nurse"], sector="typ")
    record_consent(client=tiina, by=te, categories=["employment", "social"],
                   organisations=[story.health], purpose="Terveystarkastus", method="written",
                   valid_from=timezone.localdate())
    return story


def markers():
    """What only those who may see Tiina's data of each category may be shown."""
    return {"employment": str(JobseekerStatus.LAID_OFF.label),
            "benefits": str(IncomeSource.SICKNESS_ALLOWANCE.label),
            "social": [CONTACT_NAME, CONTACT_NOTE]}


def _all_markers():
    found = markers()
    return [found["employment"], found["benefits"], *found["social"]]


def _pages(tiina):
    return [reverse("clients:detail", args=[tiina.pk]),
            reverse("plans:discussion_create", args=[tiina.pk]),
            reverse("rights:package", args=[tiina.pk]),
            reverse("rights:package_json", args=[tiina.pk])]


@pytest.mark.parametrize("role", ["kela_expert", "typ_expert", "social_worker", "admin"])
def test_another_organisations_situation_and_network_stay_hidden(client, tiinas_data, role):
    user = tiinas_data.users[role]
    log_in(client, user)
    for url in _pages(tiinas_data.tiina):
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (403, 404), (role, url)
            continue
        shown = response.content.decode()
        for marker in _all_markers():
            assert marker not in shown, (role, url, marker)
    contact = SupportContact.objects.get()
    assert client.get(reverse("clients:contact_edit", args=[contact.pk])).status_code in (
        403, 404)
    situation = EmploymentSituation.objects.get()
    assert not AccessLogEntry.objects.filter(user=user, categories__contains=["social"]).exists()
    assert situation  # the data is there: the policy kept it from them


def test_health_care_sees_the_situation_and_network_but_not_the_income(client, tiinas_data):
    """Under a consent for employment and social information, not for benefits: the jobseeker
    status and the support person show; the source of income says no consent."""
    response = page(client, tiinas_data.users["nurse"],
                    reverse("clients:detail", args=[tiinas_data.tiina.pk]))
    shown = response.content.decode()
    found = markers()
    assert found["employment"] in shown
    assert all(text in shown for text in found["social"])
    assert found["benefits"] not in shown
    entry = AccessLogEntry.objects.filter(user=tiinas_data.users["nurse"]).latest("pk")
    assert "social" in entry.categories and "benefits" not in entry.categories


def test_the_writer_sees_everything(client, tiinas_data):
    response = page(client, tiinas_data.users["te_expert"],
                    reverse("clients:detail", args=[tiinas_data.tiina.pk]))
    shown = response.content.decode()
    assert all(marker in shown for marker in _all_markers())
