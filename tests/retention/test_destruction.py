"""
Destroying a controller's records of a client: only when approved, all of its records with
their history, never the logs, never another controller's records, never a reopened file.
"""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from cases.services import add_note, serve
from clients.models import Client, ClientRelationship, ClientStatus, RelationshipBasis
from consents.models import AccessLogEntry, Consent, DisclosureLogEntry
from meetings.models import Meeting, MeetingDecision, MeetingParticipant
from plans.models import FeedbackDiscussion, PlanAction, SupportPlan
from plans.services import end_relationship, record_feedback_discussion
from referrals.models import DoctorAssessment, Feedback, HealthCheck, Referral, ServiceInUse
from retention import destruction, services
from retention.models import DestructionProposal, ProposalState, RejectionReason, Tombstone
from retention.tasks import propose_and_destroy
from teams.models import Role, Sector
from tests.concurrency import meet_at, race
from tests.factories import OrganisationFactory, staff

from .world import (
    BUILT,
    E_AGENDA,
    E_LOGGED_CONSENT,
    E_MARKERS,
    EMPLOYMENT_DUE,
    FIRST_NAME,
    H_MARKERS,
    HEALTH_DUE,
    LOG_ROLE,
    SHARED_MARKERS,
    anywhere,
    build_world,
)

KELA_CARD = "Kelan oma korttimerkki"
KELA_NOTE = "Kuntoutusraha merkki-K1"


def run_nightly(moment):
    with time_machine.travel(moment, tick=False):
        return propose_and_destroy()


def proposal_of(world, organisation):
    return DestructionProposal.objects.get(organisation=organisation, client=world.client)


def approve(world, organisation, moment=EMPLOYMENT_DUE):
    proposal = DestructionProposal.objects.get(organisation=organisation, client=world.client,
                                               state=ProposalState.PROPOSED)
    leader = world.leaders["employment" if organisation == world.employment else "health"]
    with time_machine.travel(moment, tick=False):
        return services.approve(proposal=proposal, by=leader)


def log_counts():
    return AccessLogEntry.objects.count(), DisclosureLogEntry.objects.count()


def test_nothing_is_proposed_before_the_period_has_passed(world):
    run_nightly(EMPLOYMENT_DUE.replace(year=2035))
    assert not DestructionProposal.objects.exists()


def test_nothing_is_destroyed_without_approval(world):
    first = run_nightly(EMPLOYMENT_DUE)
    second = run_nightly(EMPLOYMENT_DUE.replace(year=2040))
    assert first["proposed"] == 1 and second["proposed"] == 0
    proposal = proposal_of(world, world.employment)
    assert proposal.state == ProposalState.PROPOSED
    assert not Tombstone.objects.exists()
    for marker in [*E_MARKERS, *H_MARKERS, *SHARED_MARKERS, FIRST_NAME]:
        assert anywhere(marker), marker


def test_the_proposal_names_the_due_types_and_counts_of_what_would_go(world):
    run_nightly(EMPLOYMENT_DUE)
    proposal = proposal_of(world, world.employment)
    counts = {key: (item["count"], item["kept"]) for key, item in proposal.items.items()}
    # The referral and the feedback are health care's too: kept while it keeps them. The
    # relationship and card: the visit, the case managers named, the team grant, the consent
    # no log names, and the card itself (the consent the log names is not the controller's to
    # destroy: not counted).
    assert counts == {
        "clients.situationnote": (1, 0), "meetings.meeting": (1, 0),
        "plans.supportplan": (1, 0), "plans.feedbackdiscussion": (1, 0),
        "referrals.referral": (0, 1), "referrals.feedback": (0, 1),
        "clients.client": (counts["clients.client"][0], 0),
    }
    assert counts["clients.client"][0] >= 5
    assert proposal.closed_on.isoformat() == "2026-01-15"
    assert proposal.due_on.isoformat() == "2036-01-15"


def test_approved_records_are_destroyed_with_their_children_and_history(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    outcome = run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert outcome["destroyed"] == 1
    for marker in E_MARKERS:
        assert anywhere(marker) == [], marker
    assert not Meeting.objects.exists() and not MeetingParticipant.objects.exists()
    assert not MeetingDecision.objects.exists()
    assert not SupportPlan.objects.exists() and not PlanAction.objects.exists()
    assert not FeedbackDiscussion.objects.exists()
    assert not Meeting.history.exists() and not SupportPlan.history.exists()
    assert proposal_of(world, world.employment).state == ProposalState.DESTROYED


def test_the_logs_stay(world):
    before = log_counts()
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert log_counts() == before
    assert AccessLogEntry.objects.filter(role=LOG_ROLE, client=world.client).exists()
    # The consent the disclosure log names is its legal basis: it stays.
    assert Consent.objects.filter(purpose=E_LOGGED_CONSENT).exists()


def test_another_controllers_records_stay(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    for marker in [*H_MARKERS, *SHARED_MARKERS]:
        assert anywhere(marker), marker
    assert HealthCheck.objects.filter(pk=world.check.pk).exists()
    assert DoctorAssessment.objects.filter(pk=world.assessment.pk).exists()
    assert ClientRelationship.objects.filter(organisation=world.health).exists()
    # Sent between the two, the referral and the feedback are health care's records too.
    assert Referral.objects.filter(pk=world.referral.pk).exists()
    assert Feedback.objects.filter(pk=world.feedback.pk).exists()
    tombstone = Tombstone.objects.get()
    assert tombstone.kept_for_others == {"referrals.referral": 1, "referrals.feedback": 1}


def test_the_card_stays_while_another_controller_was_sent_it(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    client = Client.objects.get(pk=world.client.pk)
    assert client.first_name == FIRST_NAME  # health care's referral carried it
    assert client.organisation_id is None  # but employment services no longer keep it
    assert not ClientRelationship.objects.filter(organisation=world.employment).exists()


def test_the_last_controller_takes_what_was_kept_for_it_and_the_card(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    run_nightly(HEALTH_DUE)
    approve(world, world.health, HEALTH_DUE)
    before = log_counts()
    run_nightly(HEALTH_DUE.replace(day=3))
    for marker in [*H_MARKERS, *SHARED_MARKERS, FIRST_NAME]:
        assert anywhere(marker) == [], marker
    assert not Referral.objects.exists() and not ServiceInUse.objects.exists()
    assert not Referral.history.exists() and not ServiceInUse.history.exists()
    client = Client.objects.get(pk=world.client.pk)
    assert (client.first_name, client.last_name, client.phone) == ("", "", "")
    assert client.hetu == world.client.hetu  # what the logs need to stay answerable
    assert log_counts() == before
    health = Tombstone.objects.get(organisation=world.health)
    assert health.card_destroyed
    assert health.destroyed["referrals.referral"] == 1


def test_a_rejected_proposal_stays_and_is_not_proposed_again_before_review(world):
    run_nightly(EMPLOYMENT_DUE)
    proposal = proposal_of(world, world.employment)
    with time_machine.travel(EMPLOYMENT_DUE, tick=False):
        services.reject(proposal=proposal, by=world.leaders["employment"],
                        reason=RejectionReason.CLAIM)
    run_nightly(EMPLOYMENT_DUE.replace(day=20))
    run_nightly(EMPLOYMENT_DUE.replace(year=2040))
    assert DestructionProposal.objects.get().state == ProposalState.REJECTED
    for marker in E_MARKERS:
        assert anywhere(marker), marker
    run_nightly(EMPLOYMENT_DUE.replace(year=2041, day=20))  # five years on: asked again
    assert DestructionProposal.objects.filter(state=ProposalState.PROPOSED).count() == 1


def test_a_reopened_client_voids_the_approved_proposal(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    client = Client.objects.get(pk=world.client.pk)
    client.status = ClientStatus.ACTIVE
    client.save()
    outcome = run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert outcome["void"] == 1 and outcome["destroyed"] == 0
    assert proposal_of(world, world.employment).state == ProposalState.VOID
    for marker in E_MARKERS:
        assert anywhere(marker), marker
    assert not Tombstone.objects.exists()


def test_a_waiting_proposal_is_void_when_the_file_is_reopened(world):
    run_nightly(EMPLOYMENT_DUE)
    client = Client.objects.get(pk=world.client.pk)
    client.status = ClientStatus.ACTIVE
    client.save()
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert proposal_of(world, world.employment).state == ProposalState.VOID


def test_a_file_closed_again_later_counts_from_the_new_closing(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    client = Client.objects.get(pk=world.client.pk)
    client.closed_on = client.closed_on.replace(year=2030)
    client.save()
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert proposal_of(world, world.employment).state == ProposalState.VOID
    assert anywhere(E_MARKERS[0])


def test_the_nightly_task_is_idempotent(world):
    run_nightly(EMPLOYMENT_DUE)
    run_nightly(EMPLOYMENT_DUE)
    assert DestructionProposal.objects.count() == 1
    approve(world, world.employment)
    first = run_nightly(EMPLOYMENT_DUE.replace(day=17))
    second = run_nightly(EMPLOYMENT_DUE.replace(day=18))
    assert first["destroyed"] == 1
    assert second == {"destroyed": 0, "void": 0, "failed": 0, "proposed": 0,
                      "void_waiting": 0}
    assert Tombstone.objects.count() == 1


def test_a_worker_dying_half_way_leaves_everything_as_it_was(world, monkeypatch):
    """Rows deleted, then the worker dies before the history is purged: nothing of it
    stays done, and the next night does it all."""
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)

    def dies(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(destruction, "purge_history", dies)
    with pytest.raises(SystemExit):
        run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert Meeting.objects.filter(pk=world.meeting.pk).exists()
    assert SupportPlan.objects.filter(pk=world.plan.pk).exists()
    assert not Tombstone.objects.exists()
    assert proposal_of(world, world.employment).state == ProposalState.APPROVED
    monkeypatch.undo()
    assert run_nightly(EMPLOYMENT_DUE.replace(day=18))["destroyed"] == 1
    for marker in E_MARKERS:
        assert anywhere(marker) == [], marker


def test_only_the_controllers_leader_decides(world):
    run_nightly(EMPLOYMENT_DUE)
    proposal = proposal_of(world, world.employment)
    with pytest.raises(ValidationError):
        services.approve(proposal=proposal, by=world.leaders["health"])
    with pytest.raises(ValidationError):
        services.approve(proposal=proposal, by=world.te_expert)
    assert proposal_of(world, world.employment).state == ProposalState.PROPOSED


def test_a_decided_proposal_cannot_be_decided_again(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    with pytest.raises(ValidationError):
        services.reject(proposal=proposal_of(world, world.employment),
                        by=world.leaders["employment"], reason=RejectionReason.CLAIM)


def test_the_tombstone_says_who_approved_and_is_append_only(world):
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    tombstone = Tombstone.objects.get()
    assert tombstone.approved_by == world.leaders["employment"]
    assert tombstone.organisation == world.employment
    assert tombstone.destroyed["meetings.meeting"] == 1
    with pytest.raises(ValidationError):
        tombstone.save()
    with pytest.raises(ValidationError):
        tombstone.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match=r"append-only|permission denied"), \
                transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute("DELETE FROM retention_tombstone")


def test_a_record_another_controller_points_at_goes_with_that_controllers_records(world):
    """Health care's feedback discussion of employment services' meeting keeps the meeting
    (a protected foreign key) past employment services' destruction; health care's own
    destruction, decades later, takes both, under employment services' first approval."""
    with time_machine.travel(BUILT, tick=False):
        record_feedback_discussion(client=world.client, by=world.nurse,
                                   organisation=world.health, holder=world.nurse,
                                   meeting=world.meeting, held_on=BUILT.date(),
                                   reviewed="Terveydenhuollon keskustelu")
    run_nightly(EMPLOYMENT_DUE)
    approve(world, world.employment)
    run_nightly(EMPLOYMENT_DUE.replace(day=17))
    assert Meeting.objects.filter(pk=world.meeting.pk).exists()
    first = Tombstone.objects.get(organisation=world.employment)
    assert first.kept_for_others["meetings.meeting"] == 1
    run_nightly(HEALTH_DUE)
    approve(world, world.health, HEALTH_DUE)
    run_nightly(HEALTH_DUE.replace(day=3))
    assert not Meeting.objects.exists() and not Meeting.history.exists()
    assert anywhere(E_AGENDA) == []
    completed = Tombstone.objects.filter(organisation=world.employment).exclude(pk=first.pk).get()
    assert completed.destroyed == {"meetings.meeting": 1}
    assert (completed.proposal, completed.approved_by) == (first.proposal, first.approved_by)


def test_an_organisation_that_ended_its_own_relationship_has_its_file_closed(world):
    """Kela took the client on at a visit with a card of its own, wrote a note and ended its
    relationship; the client goes on with the others. Only Kela's file is due."""
    client = Client.objects.get(pk=world.client.pk)
    client.status, client.closed_on = ClientStatus.ACTIVE, None
    client.save()
    with time_machine.travel(BUILT, tick=False):
        kela = OrganisationFactory(name="Kela Kajaani", sector=Sector.KELA)
        expert = staff(Role.KELA_EXPERT, organisation=kela)
        leader = staff(Role.MANAGER, organisation=kela)
        serve(client=client, organisation=kela, basis=RelationshipBasis.VISIT, by=expert,
              card={"first_name": KELA_CARD, "last_name": "Asiakas",
                    "municipality": world.municipality})
        add_note(client=client, by=expert, organisation=kela, category="benefits",
                 text=KELA_NOTE)
    with time_machine.travel(BUILT.replace(day=20), tick=False):
        end_relationship(client=client, by=expert, organisation=kela, reason="employed",
                         closed_on=BUILT.date(), final_discussion={"holder": expert})
    run_nightly(EMPLOYMENT_DUE.replace(month=2))
    proposal = DestructionProposal.objects.get()
    assert proposal.organisation == kela
    with time_machine.travel(EMPLOYMENT_DUE.replace(month=2), tick=False):
        services.approve(proposal=proposal, by=leader)
    run_nightly(EMPLOYMENT_DUE.replace(month=2, day=17))
    for marker in (KELA_CARD, KELA_NOTE):
        assert anywhere(marker) == [], marker
    for marker in [*E_MARKERS, *H_MARKERS, FIRST_NAME]:
        assert anywhere(marker), marker
    assert not ClientRelationship.objects.filter(organisation=kela).exists()


def test_two_workers_destroy_one_proposal_once(transactional_db):
    world = build_world()
    run_nightly(EMPLOYMENT_DUE)
    proposal = approve(world, world.employment)
    with time_machine.travel(EMPLOYMENT_DUE.replace(day=17), tick=False), \
            meet_at("retention.services.plan_destruction"):
        results = race(lambda: services.destroy(proposal.pk),
                       lambda: services.destroy(proposal.pk))
    assert sorted(results) == ["", ProposalState.DESTROYED]
    assert Tombstone.objects.count() == 1
