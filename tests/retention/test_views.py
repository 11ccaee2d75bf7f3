"""The leader's page: only the controller's own proposals, decided with a confirmation step."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from retention.models import DestructionProposal, ProposalState
from retention.tasks import propose_and_destroy
from teams.models import Role
from tests.factories import staff
from tests.utils import log_in

from .world import EMPLOYMENT_DUE, FIRST_NAME, HEALTH_DUE, hetu_born


@pytest.fixture
def proposed(world):
    with time_machine.travel(EMPLOYMENT_DUE, tick=False):
        propose_and_destroy()
    return DestructionProposal.objects.get()


def page(client, user, name="retention:proposals", *args, **data):
    log_in(client, user)
    return client.get(reverse(name, args=args), data)


def test_the_leader_sees_the_controllers_proposals_without_naming_the_client(client, world,
                                                                             proposed):
    response = page(client, world.leaders["employment"])
    text = response.content.decode()
    assert response.status_code == 200
    assert proposed.reference in text and str(world.client.pk) in text
    for secret in (FIRST_NAME, "Tuhottavainen", world.client.hetu, hetu_born(1, 1, 1970)[-4:]):
        assert secret not in text


def test_another_organisations_leader_neither_sees_nor_decides(client, world, proposed):
    leader = world.leaders["health"]
    assert proposed.reference not in page(client, leader).content.decode()
    for name in ("retention:approve", "retention:reject"):
        assert page(client, leader, name, proposed.pk).status_code == 404
        assert client.post(reverse(name, args=[proposed.pk]),
                           {"checked": "on", "reason": "claim"}).status_code == 404
        # The same answer as for a proposal that does not exist.
        assert page(client, leader, name, 987654).status_code == 404
    assert DestructionProposal.objects.get().state == ProposalState.PROPOSED


@pytest.mark.parametrize("role", [Role.NURSE, Role.EMPLOYMENT_EXPERT, Role.ADMIN,
                                  Role.DATA_PROTECTION_OFFICER])
def test_nobody_but_a_leader_opens_the_page(client, world, proposed, role):
    user = staff(role, organisation=world.employment)
    assert page(client, user).status_code == 403
    assert page(client, user, "retention:approve", proposed.pk).status_code == 403


def test_approving_asks_for_confirmation_first(client, world, proposed):
    leader = world.leaders["employment"]
    confirm = page(client, leader, "retention:approve", proposed.pk)
    assert confirm.status_code == 200
    assert DestructionProposal.objects.get().state == ProposalState.PROPOSED
    url = reverse("retention:approve", args=[proposed.pk])
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200 and unconfirmed.context["form"].errors
    assert DestructionProposal.objects.get().state == ProposalState.PROPOSED
    assert client.post(url, {"checked": "on"}).status_code == 302
    proposal = DestructionProposal.objects.get()
    assert (proposal.state, proposal.decided_by) == (ProposalState.APPROVED, leader)
    assert proposal.history.order_by("-history_id").first().history_user == leader
    # Decided once: the page says so, and a second POST changes nothing.
    assert client.post(reverse("retention:reject", args=[proposed.pk]),
                       {"reason": "claim"}).status_code == 200
    assert DestructionProposal.objects.get().state == ProposalState.APPROVED


def test_rejecting_needs_a_reason_from_the_list(client, world, proposed):
    log_in(client, world.leaders["employment"])
    url = reverse("retention:reject", args=[proposed.pk])
    assert client.post(url, {"reason": "whatever I like"}).status_code == 200
    assert client.post(url, {"reason": "still_needed"}).status_code == 302
    proposal = DestructionProposal.objects.get()
    assert (proposal.state, proposal.rejection_reason) == (ProposalState.REJECTED,
                                                           "still_needed")


def test_the_list_filters_by_state_and_number(client, world, proposed):
    leader = world.leaders["employment"]
    assert proposed.reference in page(client, leader, number=proposed.pk).content.decode()
    assert proposed.reference in page(client, leader,
                                      number=world.client.pk).content.decode()
    assert proposed.reference not in page(client, leader, state="destroyed").content.decode()
    assert page(client, leader, number="abc").status_code == 200


def test_the_empty_list_says_what_happens_next(client, world):
    text = page(client, world.leaders["health"]).content.decode()
    assert 'class="empty-state"' in text


def test_the_list_makes_as_many_queries_for_many_proposals_as_for_one(
        client, world, django_assert_num_queries):
    leader = world.leaders["health"]
    log_in(client, leader)
    url = reverse("retention:proposals")
    with time_machine.travel(HEALTH_DUE, tick=False):
        propose_and_destroy()
    client.get(url)  # the session and the permission caches warmed
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        other = Client.objects.create(
            first_name="Muu", last_name=f"Asiakas{n}", hetu=hetu_born(2 + n, 2, 1960),
            municipality=world.municipality, organisation=world.health)
        DestructionProposal.objects.create(organisation=world.health, client=other,
                                           closed_on=world.client.closed_on,
                                           due_on=world.client.closed_on,
                                           items={"clients.client": {"count": 1, "kept": 0,
                                                                     "due_on": "2090-01-01"}})
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 5
