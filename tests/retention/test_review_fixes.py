"""
The security review's findings on destruction (R1–R5, and finding 4's retention part), each
told as the attack that worked before the fix: one controller's destruction reaching another
controller's staff or records, an approval that no longer stands, a row written during the
destruction, one failing proposal stopping the night, a role that is not the leader's deciding.
"""

import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from cases.services import add_note, serve
from clients.models import (
    Client,
    ClientRelationship,
    ClientStatus,
    RelationshipBasis,
    SituationNote,
)
from referrals.models import Referral
from retention import records, services
from retention.models import DestructionProposal, ProposalState, RetentionPeriod, Tombstone
from retention.tasks import propose_and_destroy
from teams.models import Membership, Role
from tests.factories import staff
from tests.utils import log_in
from work.models import Notification, OutboxMessage, Reminder, ReminderKind

from .world import (
    BUILT,
    E_MARKERS,
    E_SUMMARY,
    EMPLOYMENT_DUE,
    FIRST_NAME,
    anywhere,
    build_world,
    close,
    hetu_born,
)

H = ZoneInfo("Europe/Helsinki")
DESTROYED_ON = EMPLOYMENT_DUE.replace(day=17)


def nightly(moment):
    with time_machine.travel(moment, tick=False):
        return propose_and_destroy()


def approve(organisation, leader, moment=EMPLOYMENT_DUE, client=None):
    proposals = DestructionProposal.objects.filter(organisation=organisation,
                                                   state=ProposalState.PROPOSED)
    if client is not None:
        proposals = proposals.filter(client=client)
    with time_machine.travel(moment, tick=False):
        return services.approve(proposal=proposals.get(), by=leader)


def items_of(user, client):
    """A reminder and a notification for the user about the client."""
    reminder = Reminder.objects.create(kind=ReminderKind.REFERRAL_FEEDBACK, object_id=user.pk,
                                       user=user, client=client, url="/x",
                                       due_on=EMPLOYMENT_DUE.date())
    notification = Notification.objects.create(user=user, kind=ReminderKind.REFERRAL_FEEDBACK,
                                               client=client, url="/x",
                                               due_on=EMPLOYMENT_DUE.date())
    return reminder, notification


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


# --- R1: another controller's staff keep their items ---------------------------------------------

def test_r1_a_destruction_leaves_the_items_of_staff_who_still_serve_the_client(world):
    """The health nurse once worked for employment services (an inactive membership): her
    notification about the client stays when employment services' records are destroyed,
    health care holding the client still. Employment's own expert's items go."""
    Membership.objects.create(user=world.nurse, organisation=world.employment,
                              role=Role.EMPLOYMENT_EXPERT, is_active=False)
    nurses = items_of(world.nurse, world.client)
    experts = items_of(world.te_expert, world.client)
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    nightly(DESTROYED_ON)
    assert Tombstone.objects.filter(organisation=world.employment).exists()
    assert all(exists(row) for row in nurses)
    assert not any(exists(row) for row in experts)


def test_r1_when_the_card_goes_those_still_serving_keep_their_items(world):
    """Health care knows the client by its own card and ended its relationship: employment
    services' destruction takes the card, and with it every item about the client — but not
    the health nurse's, nor an e-mail to her: health care still holds its file."""
    ClientRelationship.objects.filter(client=world.client, organisation=world.health).update(
        carries_card=False, ended_reason="employed", ends_at=BUILT)
    world.nurse.email, world.te_expert.email = "Hoitaja@Example.fi", "te@example.fi"
    world.nurse.save()
    world.te_expert.save()
    nurses = items_of(world.nurse, world.client)
    experts = items_of(world.te_expert, world.client)
    mails = {to: OutboxMessage.objects.create(to=to, subject="s", body="b", client=world.client)
             for to in ("hoitaja@example.fi", "te@example.fi", "tukihenkilo@example.fi")}
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    nightly(DESTROYED_ON)
    assert Tombstone.objects.get(organisation=world.employment).card_destroyed
    assert anywhere(FIRST_NAME) == []
    assert all(exists(row) for row in nurses)
    assert not any(exists(row) for row in experts)
    assert exists(mails["hoitaja@example.fi"])
    assert not exists(mails["te@example.fi"]) and not exists(mails["tukihenkilo@example.fi"])


# --- R2: a reopened file is not destroyed under another controller's approval ------------------

def _reopen_for_employment_and_end_health(world):
    """2036: employment services' records destroyed, the referral kept for health care. 2037:
    the client is active again and served by employment services; health care's relationship
    ends. Health care keeps its records 12 years, to get there sooner."""
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    nightly(DESTROYED_ON)
    assert Referral.objects.filter(pk=world.referral.pk).exists()
    with time_machine.travel(datetime(2037, 3, 1, 10, tzinfo=H), tick=False):
        client = Client.objects.get(pk=world.client.pk)
        client.status, client.closed_on = ClientStatus.ACTIVE, None
        client.save()
        serve(client=client, organisation=world.employment, basis=RelationshipBasis.VISIT,
              by=world.te_expert, card={"first_name": "Oma", "last_name": "Kortti",
                                        "municipality": world.municipality})
        ClientRelationship.objects.filter(client=client, organisation=world.health).update(
            ended_reason="employed", ends_at=timezone.now())
    for key in records.record_type_keys():
        RetentionPeriod.objects.create(organisation=world.health, record_type=key, years=12)
    return datetime(2049, 3, 5, 3, tzinfo=H)


def test_r2_a_controller_serving_the_client_again_keeps_what_it_had_left(world):
    due = _reopen_for_employment_and_end_health(world)
    nightly(due)
    assert not DestructionProposal.objects.filter(organisation=world.employment,
                                                  state=ProposalState.PROPOSED).exists()
    approve(world.health, world.leaders["health"], due)
    nightly(due + timedelta(days=1))
    assert Tombstone.objects.filter(organisation=world.health).exists()
    # Employment services wrote the referral and serve the client again: it is theirs again.
    assert Referral.objects.filter(pk=world.referral.pk).exists()
    assert anywhere(E_SUMMARY)
    health = Tombstone.objects.get(organisation=world.health)
    assert health.kept_for_others.get("referrals.referral") == 1


def test_r2_the_card_of_a_client_who_is_not_closed_stays(world):
    due = _reopen_for_employment_and_end_health(world)
    nightly(due)
    approve(world.health, world.leaders["health"], due)
    nightly(due + timedelta(days=1))
    client = Client.objects.get(pk=world.client.pk)
    assert client.status == ClientStatus.ACTIVE
    assert client.first_name == FIRST_NAME
    assert client.history.exists()
    assert not Tombstone.objects.get(organisation=world.health).card_destroyed


def test_r2_the_card_stays_while_another_organisation_still_serves_the_client(world):
    """The card's writer destroys its records; health care, which was not sent the card,
    still has a relationship in force: the card is not the writer's alone to end."""
    ClientRelationship.objects.filter(client=world.client, organisation=world.health).update(
        carries_card=False)
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    nightly(DESTROYED_ON)
    assert not Tombstone.objects.get(organisation=world.employment).card_destroyed
    client = Client.objects.get(pk=world.client.pk)
    assert client.first_name == FIRST_NAME and client.organisation_id is None


# --- R3: rows written during the destruction are not destroyed unchecked ------------------------

def _meanwhile(target, work, *, once=True):
    """Patch `target` so that, on its first call, another connection does `work` and commits
    before it goes on — what another web worker may do at that moment."""
    original = getattr(services, target)
    calls = []

    def patched(*args, **kwargs):
        if not calls or not once:
            errors = []

            def run():
                try:
                    work()
                except Exception as error:  # the test looks at it below
                    errors.append(error)
                finally:
                    connections.close_all()

            thread = threading.Thread(target=run)
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive(), "the other worker was held up"
            assert not errors, errors
        calls.append(1)
        return original(*args, **kwargs)

    return patched, calls


@pytest.mark.django_db(transaction=True)
def test_r3_a_row_committed_after_the_check_is_not_destroyed(monkeypatch):
    """Between the last check and the planning queries another worker writes a note of
    employment services' and takes the client on by a referral: both stay. The referral also
    rewrites the client's access rows (consents/reach.py), which the destruction rewrites too:
    the destruction's snapshot meets that change, fails with a serialization error and is
    tried again on a new snapshot — in which the referral has opened employment services'
    file again, so nothing of it is destroyed tonight."""
    world = build_world()
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    written = {}

    def work():
        client = Client.objects.get(pk=world.client.pk)
        written["note"] = add_note(client=client, by=world.te_expert,
                                   organisation=world.employment, category="employment",
                                   text="Kirjoitettu hävittämisen aikana")
        written["relationship"] = serve(client=client, organisation=world.employment,
                                        basis=RelationshipBasis.REFERRAL, by=world.nurse)

    patched, _calls = _meanwhile("plan_destruction", work)
    monkeypatch.setattr(services, "plan_destruction", patched)
    outcome = nightly(DESTROYED_ON)
    assert outcome["destroyed"] == 0
    assert SituationNote.objects.filter(pk=written["note"].pk).exists()
    assert ClientRelationship.objects.filter(pk=written["relationship"].pk).exists()
    assert ClientRelationship.history.filter(id=written["relationship"].pk).exists()
    # Tried again on a new snapshot: the file is open again, so nothing of it goes tonight.
    assert SituationNote.objects.filter(pk=world.note.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_r3_a_row_changed_during_the_destruction_makes_it_start_again(monkeypatch):
    """A note being destroyed is edited by another worker meanwhile: the destruction cannot
    go on from its snapshot, starts again on a new one, and destroys the edited note too."""
    world = build_world()
    nightly(EMPLOYMENT_DUE)
    approve(world.employment, world.leaders["employment"])
    edited = "Muokattu hävittämisen aikana merkki-E11"

    def work():
        note = SituationNote.objects.get(pk=world.note.pk)
        note.text = edited
        note.save()

    patched, calls = _meanwhile("plan_destruction", work)
    monkeypatch.setattr(services, "plan_destruction", patched)
    outcome = nightly(DESTROYED_ON)
    assert outcome["destroyed"] == 1 and outcome["failed"] == 0
    assert len(calls) == 2  # started again once
    assert anywhere(edited) == []
    for marker in E_MARKERS:
        assert anywhere(marker) == [], marker
    assert Tombstone.objects.count() == 1


# --- R4: one failing proposal does not stop the night -------------------------------------------

SECOND_NAME = "Toinenmerkki"


def test_r4_a_failing_proposal_is_left_approved_and_the_others_are_destroyed(world, monkeypatch,
                                                                            caplog):
    with time_machine.travel(BUILT, tick=False):
        other = Client(first_name=SECOND_NAME, last_name="Asiakas",
                       hetu=hetu_born(2, 2, 1971), municipality=world.municipality,
                       organisation=world.employment)
        other.save()
        serve(client=other, organisation=world.employment, basis=RelationshipBasis.VISIT,
              by=world.te_expert)
        add_note(client=other, by=world.te_expert, organisation=world.employment,
                 category="employment", text="Toisen asiakkaan muistiinpano")
        close(other)
    nightly(EMPLOYMENT_DUE)
    failing = approve(world.employment, world.leaders["employment"], client=world.client)
    going = approve(world.employment, world.leaders["employment"], client=other)
    original = services.carry_out

    def carry_out(plan, *, proposal, by):
        if proposal.pk == failing.pk:  # an error whose text quotes client data
            raise RuntimeError(f"{plan.client.hetu} {plan.client.first_name}")
        return original(plan, proposal=proposal, by=by)

    monkeypatch.setattr(services, "carry_out", carry_out)
    with caplog.at_level(logging.INFO, logger="retention"):
        outcome = nightly(DESTROYED_ON)
    assert outcome["destroyed"] == 1 and outcome["failed"] == 1
    assert DestructionProposal.objects.get(pk=failing.pk).state == ProposalState.APPROVED
    assert DestructionProposal.objects.get(pk=going.pk).state == ProposalState.DESTROYED
    assert not Tombstone.objects.filter(proposal=failing).exists()
    for marker in E_MARKERS:
        assert anywhere(marker), marker  # the failed one undone as a whole
    errors = [r for r in caplog.records if r.name.startswith("retention")
              and r.levelno >= logging.ERROR]
    assert len(errors) == 1 and str(failing.pk) in errors[0].getMessage()
    assert errors[0].exc_info is None
    for secret in (world.client.hetu, FIRST_NAME, SECOND_NAME, other.hetu):
        assert secret not in caplog.text
    monkeypatch.undo()
    assert nightly(DESTROYED_ON + timedelta(days=1))["destroyed"] == 1  # the next night


# --- R5: the approval is checked again at destruction ------------------------------------------

@pytest.mark.parametrize("change", ["membership_ended", "role_changed", "user_deactivated"])
def test_r5_an_approval_of_a_leader_who_no_longer_leads_is_void(world, change):
    nightly(EMPLOYMENT_DUE)
    leader = world.leaders["employment"]
    approve(world.employment, leader)
    membership = Membership.objects.get(user=leader, organisation=world.employment)
    if change == "membership_ended":
        membership.is_active = False
        membership.save()
    elif change == "role_changed":
        membership.role = Role.EMPLOYMENT_EXPERT
        membership.save()
    else:
        leader.is_active = False
        leader.save()
    outcome = nightly(DESTROYED_ON)
    assert outcome["void"] == 1 and outcome["destroyed"] == 0
    assert not Tombstone.objects.exists()
    for marker in E_MARKERS:
        assert anywhere(marker), marker
    # Still due: proposed again the same night, for today's leader to decide.
    assert sorted(DestructionProposal.objects.values_list("state", flat=True)) == [
        ProposalState.PROPOSED, ProposalState.VOID]


# --- Finding 4: only the leader decides ---------------------------------------------------------

def test_f4_a_role_given_the_permission_by_an_administrator_does_not_decide(client, world):
    """An administrator adds the permission to the admin role's group: an administrator of
    employment services still neither sees nor decides its proposals."""
    permission = Permission.objects.get(content_type__app_label="retention",
                                        codename="approve_destruction")
    Group.objects.get(name=Role.ADMIN).permissions.add(permission)
    admin = staff(Role.ADMIN, organisation=world.employment)
    nightly(EMPLOYMENT_DUE)
    proposal = DestructionProposal.objects.get()
    assert services.deciding_organisation_ids(admin) == set()
    assert not services.proposals_for(admin).exists()
    with pytest.raises(ValidationError):
        services.approve(proposal=proposal, by=admin)
    log_in(client, admin)
    assert client.get(reverse("retention:approve", args=[proposal.pk])).status_code in (403,
                                                                                         404)
    assert proposal.reference not in client.get(reverse("retention:proposals")).content.decode()
    assert DestructionProposal.objects.get().state == ProposalState.PROPOSED
    # The leader still decides.
    assert services.deciding_organisation_ids(world.leaders["employment"]) == {
        world.employment.pk}


def test_f4_the_leader_decides_only_while_the_role_holds_the_permission(world):
    Group.objects.get(name=Role.MANAGER).permissions.clear()
    assert services.deciding_organisation_ids(world.leaders["employment"]) == set()
