"""
The client's data package (rights/): what the requesting organisation may see of the client —
its own records and what others disclosed to it — and nothing else, in the PDF and the JSON;
who may produce it; that the request and each copy are logged; the client's language.
"""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clients.records import ClientRecord
from consents.models import AccessLogEntry, Action, DisclosureLogEntry
from rights.package import BY_THE_CLIENT, content_fields, parts_of, record_models
from teams.models import Role
from tests.factories import OrganisationFactory, staff
from tests.utils import log_in
from tyokyky import documents
from tyokyky.models import RenderedDocument

from .conftest import (
    A_ACTION,
    A_OWN,
    B_CASE_MANAGER,
    B_CHECK,
    B_FEEDBACK,
    B_FOR_DOCTOR,
    B_HEALTH_NOTE,
    B_MINUTES,
    B_ORGANISATION,
    C_HEALTH_NOTE,
    DISCLOSED_TO_A,
    NEVER_TO_A,
)

B_READER = "Merkkilukija"


def _url(name, world):
    return reverse(f"rights:{name}", kwargs={"client_pk": world.client.pk})


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def package_json(client, world) -> dict:
    response = client.get(_url("package_json", world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def _concrete_client_records() -> set:
    """Every concrete subclass of ClientRecord, found from the class itself, not the registry
    the package reads: the two must agree."""
    found, waiting = set(), [ClientRecord]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if not subclass._meta.abstract and not subclass._meta.proxy:
                found.add(subclass)
    return found


# --- What is in it -------------------------------------------------------------------------------

def test_the_pdf_holds_own_and_disclosed_records_and_nothing_else(client, world):
    log_in(client, world.people.a_expert)
    response = client.get(_url("package_pdf", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    for marker in A_OWN + DISCLOSED_TO_A:
        assert marker in text, marker
    for marker in NEVER_TO_A:
        assert marker not in text, marker
    assert "Oikeudenhaltija" in text  # the card A wrote


def test_the_json_holds_own_and_disclosed_records_and_nothing_else(client, world):
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    text = json.dumps(package, ensure_ascii=False)
    for marker in A_OWN + DISCLOSED_TO_A:
        assert marker in text, marker
    for marker in NEVER_TO_A:
        assert marker not in text, marker
    assert package["client"]["identity"]["fields"]["last_name"] == "Oikeudenhaltija"
    assert package["client"]["identity"]["controller"]["id"] == world.a.pk


def test_a_disclosure_ban_on_the_requester_leaves_only_its_own_records(client, world,
                                                                       ban_on_a):
    log_in(client, world.people.a_expert)
    text = json.dumps(package_json(client, world), ensure_ascii=False)
    pdf = pdf_text(client.get(_url("package_pdf", world)))
    for shown in (text, pdf):
        for marker in A_OWN:
            assert marker in shown, marker
        # C's note was consented to A; the ban overrides the consent — and every other's.
        for marker in [C_HEALTH_NOTE, *DISCLOSED_TO_A, *NEVER_TO_A]:
            assert marker not in shown, marker


def test_every_record_names_its_controller_and_category(client, world):
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    records = {record["fields"].get("text"): record for group in package["records"]
               for record in group["records"] if group["type"] == "clients.situationnote"}
    assert records[B_HEALTH_NOTE]["controller"] == {"id": world.b.pk, "name": world.b.name}
    assert records[B_HEALTH_NOTE]["category"] == "health"
    assert records[C_HEALTH_NOTE]["controller"]["id"] == world.c.pk
    own = next(r for text, r in records.items() if text and text.startswith("RIGHTS-A"))
    assert own["controller"]["id"] == world.a.pk
    assert own["category"] == "employment"
    for group in package["records"]:
        for record in group["records"]:
            assert record["controller"]["id"] in (world.a.pk, world.b.pk, world.c.pk)
            assert record["created_at"]


def test_a_field_of_its_own_category_shows_only_under_its_own_consent(client, world):
    """A's expert is invited to B's meeting: its health fields (consented) show, its
    employment fields do not, and the package says that they were withheld."""
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    meetings = next(g for g in package["records"] if g["type"] == "meetings.meeting")
    meeting = meetings["records"][0]
    assert meeting["fields"]["minutes"] == B_MINUTES
    assert "agenda" not in meeting["fields"]
    assert "agenda" in meeting["withheld"]
    decision = meeting["parts"]["decision"]["rows"][0]
    assert decision["fields"]["information_for_doctor"] == B_FOR_DOCTOR
    assert "realistic_goal" in decision["withheld"]
    participants = meeting["parts"]["participants"]["rows"]
    # The coordinator who booked it, A's expert, and the client (named by no row of its own).
    assert len(participants) == 3
    # Who came is the meeting's employment content: withheld from A's expert.
    assert all("attendance" in row["withheld"] for row in participants)


def test_a_records_parts_go_with_it(client, world):
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    plans = next(g for g in package["records"] if g["type"] == "plans.supportplan")
    plan = plans["records"][0]
    assert [row["fields"]["what"] for row in plan["parts"]["actions"]["rows"]] == [A_ACTION]
    assert plan["parts"]["follow_ups"]["rows"]
    checks = next(g for g in package["records"] if g["type"] == "referrals.healthcheck")
    # The check names its referral, which is in the package too.
    assert checks["records"][0]["fields"]["referral"] == {
        "type": "referrals.referral", "id": world.referral.pk}
    assert checks["records"][0]["fields"]["next_steps"] == B_CHECK


def test_the_package_walks_every_kind_of_client_record(client, world):
    """A new ClientRecord subclass is in the package without anyone listing it: the models
    walked are all the concrete subclasses, and this world has one of each to show."""
    assert set(record_models()) == _concrete_client_records()
    # A's view of the client's employment situation and support network (cases/client_data).
    from cases.client_data import add_support_contact, save_employment_situation

    save_employment_situation(client=world.client, organisation=world.a,
                              by=world.people.a_expert, jobseeker_status="unemployed",
                              income_source="labour_market_subsidy")
    add_support_contact(client=world.client, organisation=world.a, by=world.people.a_expert,
                        name="Anne Tukija", kind="support_person")
    # A's request for a team meeting, to B's coordinator of the team (meetings/intake.py).
    from meetings.intake import request_meeting
    from teams.models import Team, TeamMember

    TeamMember.objects.create(team=Team.objects.get(), user=world.people.b_coordinator,
                              kind="coordinator")
    request_meeting(client=world.client, by=world.people.a_expert, organisation=world.a,
                    reason="Verkostotapaaminen tarpeen")
    # B's record that the client did not arrive at a booked check (health, consented to A).
    from referrals.models import MissedAppointment

    MissedAppointment.objects.create(client=world.client, organisation=world.b,
                                     created_by=world.people.b_nurse, referral=world.referral,
                                     booked_for=timezone.now())
    # The client's own self-assessment before B's check (Oma Työkyky): B's health data.
    from referrals.models import SelfAssessment

    SelfAssessment.objects.create(client=world.client, organisation=world.b, created_by=None,
                                  referral=world.referral, work_ability=5)
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    types = {group["type"]: group for group in package["records"]}
    own = types["referrals.selfassessment"]["records"][0]
    assert own["created_by"] == str(BY_THE_CLIENT)
    assert set(types) == {model._meta.label_lower for model in _concrete_client_records()}
    for name, group in types.items():
        assert group["records"], f"{name}: no record of this kind reached the package"


def test_every_field_of_every_record_is_in_the_package_or_withheld(client, world):
    """Nothing of a record is dropped silently: each content field is given or named
    withheld, for the records and for their parts."""
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    by_type = {model._meta.label_lower: model for model in record_models()}
    for group in package["records"]:
        model = by_type[group["type"]]
        expected = {f.name for f in content_fields(model)}
        assert set(group["field_labels"]) == expected
        parts = {relation.get_accessor_name(): relation for relation in parts_of(model)}
        for record in group["records"]:
            assert set(record["fields"]) | set(record["withheld"]) == expected
            assert set(record["parts"]) == set(parts)


def test_the_json_shape_is_stable(client, world):
    log_in(client, world.people.a_expert)
    package = package_json(client, world)
    assert package["schema"] == "tyokyky.data-package"
    assert package["schema_version"] == 1
    assert set(package) == {"schema", "schema_version", "language", "generated_at",
                            "requested_by", "client", "records", "case", "logs"}
    assert set(package["client"]) == {"id", "identity"}
    assert set(package["case"]) == {"relationships", "case_managers", "consents",
                                    "disclosure_bans"}
    assert set(package["logs"]) == {"access", "disclosures"}
    record = package["records"][0]["records"][0]
    assert set(record) == {"id", "title", "controller", "category", "category_label",
                           "created_at", "created_by", "fields", "withheld", "parts"}
    assert package["requested_by"]["organisation"] == {"id": world.a.pk, "name": world.a.name}
    consents = package["case"]["consents"]["rows"]
    assert {row["fields"]["number"] for row in consents} == {world.b_consent.pk,
                                                             world.c_consent.pk}


# --- Who may produce it --------------------------------------------------------------------------

PACKAGE_URLS = ["package", "package_pdf", "package_json"]


@pytest.mark.parametrize("name", PACKAGE_URLS)
def test_an_organisation_with_no_relationship_gets_404_and_no_log_row(client, world, name):
    log_in(client, world.people.e_worker)
    assert client.get(_url(name, world)).status_code == 404
    assert not AccessLogEntry.objects.filter(user=world.people.e_worker).exists()
    assert not DisclosureLogEntry.objects.filter(user=world.people.e_worker).exists()


@pytest.mark.parametrize("role", [Role.DATA_PROTECTION_OFFICER, Role.ADMIN, Role.MANAGER])
@pytest.mark.parametrize("name", PACKAGE_URLS)
def test_roles_that_read_no_client_data_get_nothing(client, world, role, name):
    """Of the requesting organisation itself: the data protection officer, the admin and the
    leader read no client data."""
    user = staff(role, organisation=world.a)
    log_in(client, user)
    assert client.get(_url(name, world)).status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(user=user).exists()


@pytest.mark.parametrize("name", PACKAGE_URLS)
def test_a_team_member_whose_organisation_does_not_serve_the_client_is_refused(
        client, world, name):
    """On the client's team by a grant, but not their organisation's client: the package is
    the serving organisation's answer, not theirs to give (403: they know of the client)."""
    from consents.services import add_to_team

    outsider = staff(Role.SOCIAL_WORKER, organisation=OrganisationFactory())
    add_to_team(client=world.client, user=outsider, by=world.people.a_expert)
    log_in(client, outsider)
    assert client.get(reverse("clients:detail", args=[world.client.pk])).status_code == 200
    assert client.get(_url(name, world)).status_code == 403


def test_the_client_page_offers_the_package_to_a_serving_organisation(client, world):
    log_in(client, world.people.a_expert)
    page = client.get(reverse("clients:detail", args=[world.client.pk]))
    assert _url("package", world) in page.content.decode()


# --- Logging -------------------------------------------------------------------------------------

def test_the_request_is_logged(client, world):
    log_in(client, world.people.a_expert)
    response = client.get(_url("package", world))
    assert response.status_code == 200
    assert _url("package_pdf", world) in response.content.decode()
    row = AccessLogEntry.objects.get(action=Action.DATA_PACKAGE_REQUEST)
    assert row.user == world.people.a_expert
    assert row.organisation == world.a
    assert row.client == world.client
    assert row.categories == ["identity"]


@pytest.mark.parametrize("name, action", [("package_pdf", Action.DATA_PACKAGE_PDF),
                                          ("package_json", Action.DATA_PACKAGE_JSON)])
def test_each_copy_is_logged_with_its_categories_and_disclosures(client, world, name, action):
    log_in(client, world.people.a_expert)
    assert client.get(_url(name, world)).status_code == 200
    row = AccessLogEntry.objects.get(action=action)
    assert row.user == world.people.a_expert and row.organisation == world.a
    assert set(row.categories) == {"identity", "employment", "health"}
    disclosed = DisclosureLogEntry.objects.filter(action=action)
    by_source = {entry.source_organisation_id: entry for entry in disclosed}
    # B's and C's health records went to A under their consents; D's nothing.
    assert set(by_source) == {world.b.pk, world.c.pk}
    assert by_source[world.b.pk].consent_id == world.b_consent.pk
    assert by_source[world.c.pk].consent_id == world.c_consent.pk
    for entry in disclosed:
        assert entry.recipient_organisation == world.a
        assert entry.categories == ["health"]


def test_the_package_lists_the_organisations_own_part_of_the_logs(client, world):
    log_in(client, world.people.b_nurse)
    client.get(reverse("clients:detail", args=[world.client.pk]))  # B's view: not A's part
    log_in(client, world.people.a_expert)
    client.get(_url("package", world))
    logs = package_json(client, world)["logs"]
    actions = [entry["action"] for entry in logs["access"]]
    assert Action.DATA_PACKAGE_REQUEST in actions
    assert {entry["organisation"]["id"] for entry in logs["access"]} == {world.a.pk}
    for entry in logs["disclosures"]:
        assert world.a.pk in (entry["source_organisation"]["id"],
                              (entry["recipient_organisation"] or {}).get("id"))
    # The referral A sent B is there; the disclosure between B and D is not.
    assert any(entry["action"] == Action.REFERRAL_SENT for entry in logs["disclosures"])
    assert not any(entry["source_organisation"]["id"] == world.b.pk
                   and (entry["recipient_organisation"] or {}).get("id") == world.d.pk
                   for entry in logs["disclosures"])


def test_a_long_package_renders_in_the_background_and_is_logged_at_the_download(
        client, world, monkeypatch):
    monkeypatch.setattr(documents, "INLINE_ROWS", 0)
    log_in(client, world.people.a_expert)
    response = client.get(_url("package_pdf", world))
    assert response.status_code == 302
    rendered = RenderedDocument.objects.get(kind="rights.package")
    assert documents.render_waiting(rendered.pk)
    assert not AccessLogEntry.objects.filter(action=Action.DATA_PACKAGE_PDF).exists()
    download = client.get(reverse("document_download", args=[rendered.pk]))
    assert download.status_code == 200
    text = pdf_text(download)
    assert B_HEALTH_NOTE in text and C_HEALTH_NOTE in text
    for marker in NEVER_TO_A:
        assert marker not in text, marker
    row = AccessLogEntry.objects.get(action=Action.DATA_PACKAGE_PDF)
    assert set(row.categories) == {"identity", "employment", "health"}


def test_a_package_rendered_before_a_ban_is_not_handed_over_after_it(client, world,
                                                                     monkeypatch):
    from consents.services import record_disclosure_ban

    monkeypatch.setattr(documents, "INLINE_ROWS", 0)
    log_in(client, world.people.a_expert)
    client.get(_url("package_pdf", world))
    rendered = RenderedDocument.objects.get(kind="rights.package")
    documents.render_waiting(rendered.pk)
    record_disclosure_ban(client=world.client, by=world.people.c_worker, organisation=world.a)
    download = client.get(reverse("document_download", args=[rendered.pk]))
    assert download.status_code == 404
    assert not AccessLogEntry.objects.filter(action=Action.DATA_PACKAGE_PDF).exists()


# --- Language and accessibility ------------------------------------------------------------------

def test_the_package_is_in_the_clients_language_not_the_staff_members(client, world):
    world.client.language = "sv"
    world.client.save()
    log_in(client, world.people.a_expert)  # whose pages are in Finnish
    package = package_json(client, world)
    assert package["language"] == "sv"
    notes = next(g for g in package["records"] if g["type"] == "clients.situationnote")
    assert notes["label"] == "Anteckningar om situationen"
    assert notes["field_labels"]["text"] == "Anteckning"
    health = next(r for r in notes["records"] if r["category"] == "health")
    assert health["category_label"] == "Hälsa"
    assert package["client"]["identity"]["category_label"] == "Person- och kontaktuppgifter"
    assert package["client"]["identity"]["fields"]["language"] == "svenska"
    pdf = client.get(_url("package_pdf", world))
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "Person- och kontaktuppgifter" in pdf_text(pdf)


def test_the_pdf_is_tagged_with_a_language_and_a_title(client, world):
    log_in(client, world.people.a_expert)
    reader = PdfReader(io.BytesIO(client.get(_url("package_pdf", world)).content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title


# --- Cost ----------------------------------------------------------------------------------------

def test_the_package_costs_the_same_queries_however_many_records(client, world, count_queries):
    """Each kind of record, its parts and the logs are read in a few queries a kind, not one
    per record (the query count is pinned at two sizes)."""
    from cases.services import add_note
    from plans.services import add_action

    log_in(client, world.people.a_expert)
    url = _url("package_json", world)
    count_queries(client, url)  # the first copy's own log rows are then in both counts
    small = count_queries(client, url)
    for number in range(4):
        add_note(client=world.client, by=world.people.a_expert, organisation=world.a,
                 category="employment", text=f"Lisäkirjaus {number}")
        add_note(client=world.client, by=world.people.b_nurse, organisation=world.b,
                 category="health", text=f"Terveys {number}")
        add_action(plan=world.plan, by=world.people.a_expert, what=f"Toimenpide {number}",
                   responsible=world.people.a_expert)
    large = count_queries(client, url)
    assert large == small, (small, large)


def test_a_colleague_off_the_clients_team_gets_only_what_the_policy_shows_them(client, world):
    """The package is what the policy shows the user who produces it: a colleague of A who is
    not on the client's team sees A's own records and what was sent to A, not what consents
    open to the team — and the request page says so."""
    colleague = staff(Role.EMPLOYMENT_EXPERT, organisation=world.a)
    log_in(client, colleague)
    page = client.get(_url("package", world)).content.decode()
    assert "vastuuhenkilöä" in page or "case manager to produce" in page
    text = json.dumps(package_json(client, world), ensure_ascii=False)
    for marker in [*A_OWN, B_FEEDBACK]:
        assert marker in text, marker
    for marker in [B_HEALTH_NOTE, C_HEALTH_NOTE, B_MINUTES, *NEVER_TO_A]:
        assert marker not in text, marker


def test_a_package_rendered_before_a_ban_is_not_handed_over_for_its_case_rows_alone(
        client, case_only, monkeypatch):
    """The records and the card stay the same; only the case section (B serving the client,
    B's case manager) is hidden from A by the ban: the PDF made before it must not go."""
    from consents.services import record_disclosure_ban

    monkeypatch.setattr(documents, "INLINE_ROWS", 0)
    log_in(client, case_only.a_expert)
    url = reverse("rights:package_pdf", kwargs={"client_pk": case_only.client.pk})
    assert client.get(url).status_code == 302
    rendered = RenderedDocument.objects.get(kind="rights.package")
    assert documents.render_waiting(rendered.pk)
    rendered.refresh_from_db()
    kept = "".join(page.extract_text()
                   for page in PdfReader(io.BytesIO(bytes(rendered.content))).pages)
    assert B_ORGANISATION in kept and B_CASE_MANAGER in kept
    record_disclosure_ban(client=case_only.client, by=case_only.b_nurse,
                          organisation=case_only.a)
    # A package built now no longer names B ...
    json_url = reverse("rights:package_json", kwargs={"client_pk": case_only.client.pk})
    assert B_CASE_MANAGER not in client.get(json_url).content.decode()
    # ... so the one rendered before the ban does not go either, and its bytes are gone.
    download = client.get(reverse("document_download", args=[rendered.pk]))
    assert download.status_code == 404
    assert not RenderedDocument.objects.filter(pk=rendered.pk).exists()
    assert not AccessLogEntry.objects.filter(action=Action.DATA_PACKAGE_PDF).exists()


def test_a_package_rendered_in_the_background_still_goes_when_its_case_is_unchanged(
        client, case_only, monkeypatch):
    monkeypatch.setattr(documents, "INLINE_ROWS", 0)
    log_in(client, case_only.a_expert)
    client.get(reverse("rights:package_pdf", kwargs={"client_pk": case_only.client.pk}))
    rendered = RenderedDocument.objects.get(kind="rights.package")
    assert documents.render_waiting(rendered.pk)
    rendered.refresh_from_db()
    assert any(key.startswith("clients.clientrelationship:") for key in rendered.shown["case"])
    assert any(key.startswith("clients.casemanagerassignment:")
               for key in rendered.shown["case"])
    download = client.get(reverse("document_download", args=[rendered.pk]))
    assert download.status_code == 200
    assert B_CASE_MANAGER in pdf_text(download)


def test_the_disclosure_log_names_only_the_organisations_own_staff(client, world):
    """B's employee read A's data under a consent: A's package names B as the recipient and
    the legal basis, not B's employee (that read is in B's own log)."""
    from consents.audit import record_disclosure
    from consents.services import record_consent

    a_consent = record_consent(client=world.client, by=world.people.a_expert,
                               categories=["employment"], organisations=[world.b],
                               purpose="Työkyvyn arvio", method="written",
                               valid_from=timezone.localdate())
    reader = staff(Role.NURSE, organisation=world.b, first_name="Xeno", last_name=B_READER)
    record_disclosure(user=reader, client=world.client, categories=["employment"],
                      action=Action.CLIENT_PAGE, source=world.a, recipient=world.b,
                      consent=a_consent)
    log_in(client, world.people.a_expert)
    data = package_json(client, world)
    disclosures = data["logs"]["disclosures"]
    read = [entry for entry in disclosures if entry["action"] == Action.CLIENT_PAGE]
    assert len(read) == 1
    assert read[0]["user"] is None
    assert read[0]["recipient_organisation"]["id"] == world.b.pk
    assert read[0]["legal_basis"] == "consent" and read[0]["consent"] == a_consent.pk
    assert B_READER not in json.dumps(data, ensure_ascii=False)
    # A's own staff are still named: the referral A's expert sent to B.
    sent = [entry for entry in disclosures if entry["action"] == Action.REFERRAL_SENT]
    assert sent and {entry["user"] for entry in sent} == {str(world.people.a_expert)}
    response = client.get(_url("package_pdf", world))
    assert response.status_code == 200
    text = pdf_text(response)
    assert B_READER not in text
    assert str(world.people.a_expert) in text
