"""
The maintained access rows equal the rules: over random worlds — organisations of several
sectors, clients with relationships of every basis, consents, confirmations, bans, case
managers, grants, own nurses, meetings and doctors named by decisions, each starting or ending
in the past or the future — and after random changes through the ORM (so through the same
signals the services use), every care user's view read from the rows (consents.policy) equals
the rules evaluated straight from the sources (policy_oracle), now and thirty-one days later.
"""

import random
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from clients.models import CaseManagerAssignment, ClientRelationship, RelationshipBasis
from clients.records import DataCategory
from consents import policy, reach
from consents.models import (
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
    ConsentCategory,
    ConsentConfirmation,
    ConsentSector,
    DisclosureBan,
    Reach,
)
from meetings.models import Answer, Meeting, MeetingDecision, MeetingParticipant, MeetingStatus
from teams.choices import Sector
from teams.models import Role, Team
from tests.consents import policy_oracle
from tests.factories import ClientFactory, MembershipFactory, OrganisationFactory, staff

WORLDS = 4  # each world about 10 s of CPU: the suite has a time budget
CHANGES, CHECK_EVERY = 24, 4
SECTORS = [Sector.HEALTH, Sector.EMPLOYMENT, Sector.KELA]
NOW = timezone.now


def _moment(rng, days=40):
    """None (no end), or a time up to `days` before or after now."""
    choice = rng.random()
    if choice < 0.4:
        return None
    return NOW() + timedelta(days=rng.randint(-days, days), hours=rng.randint(0, 23))


class World:
    def __init__(self, seed):
        self.rng = rng = random.Random(seed)  # noqa: S311 (test worlds, not secrets)
        self.organisations = [OrganisationFactory(sector=rng.choice(SECTORS)) for _ in range(5)]
        self.users = [staff(rng.choice([Role.NURSE, Role.EMPLOYMENT_EXPERT, Role.DOCTOR]),
                            organisation=organisation)
                      for organisation in self.organisations for _ in range(2)]
        # Someone working for two organisations at once.
        MembershipFactory(user=self.users[0], organisation=self.organisations[-1],
                          role=Role.NURSE)
        self.group = Group.objects.create(name=f"Ryhmä {seed}")
        self.users[3].groups.add(self.group)
        self.team = Team.objects.create(name=f"Tiimi {seed}")
        self.permission = Permission.objects.get(codename="view_client")
        self.clients = [ClientFactory(organisations=[rng.choice(self.organisations)])
                        for _ in range(7)]
        for client in self.clients:
            self.populate(client)

    def populate(self, client):
        rng = self.rng
        for _ in range(rng.randint(0, 4)):
            self.relationship(client)
        for _ in range(rng.randint(0, 2)):
            self.ban(client)
        for _ in range(rng.randint(0, 3)):
            self.consent(client)
        for _ in range(rng.randint(0, 2)):
            self.case_manager(client)
        if rng.random() < 0.4:
            ClientUserObjectPermission.objects.create(
                content_object=client, user=rng.choice(self.users), permission=self.permission,
                granted_by_organisation=rng.choice([None, *self.organisations]))
        if rng.random() < 0.15:
            ClientGroupObjectPermission.objects.create(content_object=client, group=self.group,
                                                       permission=self.permission)
        if rng.random() < 0.4:
            client.own_nurse = rng.choice(self.users)
            client.save()
        for _ in range(rng.randint(0, 2)):
            self.meeting(client)

    def relationship(self, client):
        rng = self.rng
        ClientRelationship.objects.get_or_create(
            client=client, organisation=rng.choice(self.organisations),
            basis=rng.choice(RelationshipBasis.values),
            defaults={"carries_card": rng.random() < 0.5, "ends_at": _moment(rng),
                      "last_name": rng.choice(["", "Oma"]),
                      "first_name": "Kortti"})

    def ban(self, client):
        rng = self.rng
        where = ({"organisation": rng.choice(self.organisations)} if rng.random() < 0.6
                 else {"sector": rng.choice(SECTORS)})
        DisclosureBan.objects.create(client=client, recorded_by=self.users[0],
                                     lifted_at=NOW() if rng.random() < 0.3 else None, **where)

    def consent(self, client):
        rng = self.rng
        today = timezone.localdate()
        start = today + timedelta(days=rng.randint(-40, 10))
        end = None if rng.random() < 0.5 else start + timedelta(days=rng.randint(0, 60))
        consent = Consent.objects.create(
            client=client, purpose="Yhteistyö", method="written", recorded_by=self.users[0],
            recorded_by_organisation=rng.choice([None, *self.organisations]),
            valid_from=start, valid_until=end,
            confirmed_by_client_at=NOW() if rng.random() < 0.2 else None,
            revoked_at=NOW() if rng.random() < 0.15 else None)
        consent.recipient_organisations.set(rng.sample(self.organisations, rng.randint(0, 2)))
        for sector in rng.sample(SECTORS, rng.randint(0, 1)):
            ConsentSector.objects.create(consent=consent, sector=sector)
        categories = {DataCategory.IDENTITY} if rng.random() < 0.7 else set()
        categories.add(rng.choice(list(DataCategory)))
        for category in categories:
            ConsentCategory.objects.create(consent=consent, category=category)
        for organisation in rng.sample(self.organisations, rng.randint(0, 2)):
            ConsentConfirmation.objects.create(consent=consent, organisation=organisation,
                                               confirmed_by=self.users[0])

    def case_manager(self, client):
        rng = self.rng
        user = rng.choice(self.users)
        if client.case_manager_assignments.current().filter(user=user).exists():
            return
        client.case_manager_assignments.create(
            user=user, assigned_by_organisation=rng.choice([None, *self.organisations]),
            ended_on=timezone.localdate() if rng.random() < 0.25 else None)

    def meeting(self, client):
        rng = self.rng
        start = NOW() + timedelta(days=rng.randint(-50, 20))
        meeting = Meeting.objects.create(
            client=client, team=self.team, organisation=rng.choice(self.organisations),
            created_by=self.users[0], starts_at=start, ends_at=start + timedelta(hours=1),
            mode="phone",
            status=MeetingStatus.CANCELLED if rng.random() < 0.2 else MeetingStatus.SCHEDULED)
        for user in rng.sample(self.users, rng.randint(1, 3)):
            MeetingParticipant.objects.create(
                meeting=meeting, user=user, starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                answer=Answer.DECLINED if rng.random() < 0.2 else Answer.INVITED)
        if rng.random() < 0.4:
            MeetingDecision.objects.create(meeting=meeting, realistic_goal="Työkokeilu",
                                           doctor=rng.choice(self.users),
                                           decided_by=self.users[0])

    def change(self):
        """One random change of what the rules read, as the services would save it."""
        rng = self.rng
        client = rng.choice(self.clients)
        step = rng.choice(["relationship", "ban", "lift", "consent", "revoke", "confirm",
                           "case_manager", "end_case_manager", "nurse", "meeting", "decline",
                           "cancel", "end_relationship", "writer"])
        if step in ("relationship", "ban", "consent", "case_manager", "meeting"):
            getattr(self, step)(client)
        elif step == "lift":
            for ban in DisclosureBan.objects.in_force().filter(client=client)[:1]:
                ban.lifted_at = NOW()
                ban.save()
        elif step == "revoke":
            for consent in Consent.objects.filter(client=client, revoked_at=None)[:1]:
                consent.revoked_at = NOW()
                consent.save()
        elif step == "confirm":
            for consent in Consent.objects.filter(client=client)[:1]:
                ConsentConfirmation.objects.get_or_create(
                    consent=consent, organisation=client.organisation,
                    defaults={"confirmed_by": self.users[0]})
        elif step == "end_case_manager":
            for period in CaseManagerAssignment.objects.current().filter(client=client)[:1]:
                period.ended_on = timezone.localdate()
                period.save()
        elif step == "nurse":
            client.own_nurse = rng.choice([None, *self.users])
            client.save()
        elif step == "decline":
            for row in MeetingParticipant.objects.filter(meeting__client=client)[:1]:
                row.answer = Answer.DECLINED
                row.save()
        elif step == "cancel":
            for meeting in Meeting.objects.filter(client=client)[:1]:
                meeting.status = MeetingStatus.CANCELLED
                meeting.save()
        elif step == "end_relationship":
            for row in ClientRelationship.objects.filter(client=client)[:1]:
                row.ends_at = NOW() - timedelta(minutes=1)
                row.save()
        elif step == "writer":  # None: the card's writer's data was destroyed
            client.organisation = rng.choice([None, *self.organisations])
            client.save()


def from_rows(viewer) -> dict[int, tuple]:
    """The same flags as the oracle's, read through consents.policy (the rows): the list's
    identity source, and each rule as the client page asks it."""
    rows = {}
    for client in policy.visible_clients(viewer.user):
        found = policy._access(viewer, client.pk)[0]
        rows[client.pk] = (client.identity_source, found.access_served, found.access_card_sent,
                           found.access_own_card, found.access_on_team, found.access_banned)
    return rows


def assert_rows_equal_the_rules(world: World):
    for user in world.users:
        for attribute in ("_policy_viewer", "_policy_access"):
            user.__dict__.pop(attribute, None)
        viewer = policy.viewer_for(user)
        assert from_rows(viewer) == policy_oracle.flags(viewer), user
    rule_periods = set(policy_oracle.team_case_managers().values_list("pk", flat=True))
    assert set(policy.team_case_managers().values_list("pk", flat=True)) == rule_periods


@pytest.mark.parametrize("seed", range(WORLDS))
def test_the_maintained_rows_equal_the_rules(db, seed):
    world = World(seed)
    assert Reach.objects.exists()
    assert_rows_equal_the_rules(world)
    for change in range(1, CHANGES + 1):
        world.change()
        if change % CHECK_EVERY == 0:
            assert_rows_equal_the_rules(world)
    # What ends by date ends in the query: a month on, nothing was rewritten meanwhile.
    with time_machine.travel(timezone.now() + timedelta(days=31, hours=1)):
        assert_rows_equal_the_rules(world)


FIELDS = ("client_id", "kind", "organisation_id", "sector", "user_id", "group_id", "ground",
          "until")


def test_a_rebuild_writes_the_same_rows(db):
    """What the changes kept equals what `rebuild_reach` works out afresh."""
    world = World(99)
    for _change in range(CHANGES):
        world.change()
    before = sorted(map(repr, Reach.objects.values_list(*FIELDS)))
    Reach.objects.all().delete()
    reach.rebuild_all()
    assert sorted(map(repr, Reach.objects.values_list(*FIELDS))) == before
