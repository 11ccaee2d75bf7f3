"""
The generated world in the database: what is missing of world_plan.py's world is created
(bulk inserts: a few thousand rows), then all of it, the demo's Kainuu among it, is read back
as the ids the client stories name.

Kainuu is the demo's area: its clients are the demo organisations' clients, its team is the
demo team, and the demo users take their share of the work beside the generated staff there.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction

from demo.management.commands import seed_demo
from meetings.models import MeetingParticipant
from teams.models import (
    Membership,
    Municipality,
    Organisation,
    Role,
    Team,
    TeamMember,
    TeamMemberKind,
    User,
)

from .calendar import HELSINKI, Calendar
from .draws import cumulative, one_of
from .words import LARGE_MUNICIPALITIES
from .world_plan import AreaPlan, UserPlan, WorldPlan, plan_world

# Demo users are picked twice as often as a generated colleague in the same organisation and
# role, so that a benchmark logged in as one of them meets a realistic, not tiny, workload.
DEMO_USER_WEIGHT = 2
STAFF_EMAIL_DOMAIN = "scale.tyokyky.invalid"
DEMO_AREA_POSTAL_CODE = 87000


@dataclass
class TeamInfo:
    """A team and its calendar: the hours already taken, as day number * 24 + hour."""

    id: int
    coordinators: list[int]
    standing: list[int]
    experts: list[int]
    busy: set[int] = field(default_factory=set)


@dataclass
class Area:
    name: str
    municipalities: list[int]
    cum_weights: list[float]
    organisations: dict[str, list[int]]
    teams: list[TeamInfo]
    postal_codes: dict[int, int]
    municipality_names: dict[int, str]

    def organisation(self, rng, sector: str) -> int:
        choices = self.organisations[sector]
        return choices[0] if len(choices) == 1 else one_of(rng, choices)


@dataclass
class World:
    """Ids of the generated and the demo world, as the client stories need them."""

    areas: list[Area]
    area_cum_weights: list[float]
    demo_area: Area
    staff: dict[tuple[int, str], list[int]]
    role_of: dict[int, str]
    organisation_of: dict[int, int]
    name_of: dict[int, str]

    def pick(self, rng, organisation: int, role: str) -> int:
        return one_of(rng, self.staff.get((organisation, role))
                         or self.staff[(organisation, "*")])


def build_world(*, password_hash: str, calendar: Calendar) -> World:
    """Create what is missing of the generated world, then read all of it back as ids."""
    plan = plan_world()
    with transaction.atomic():
        municipalities = _ensure_municipalities(plan)
        organisations = _ensure_organisations(plan, municipalities)
        users = _ensure_users(plan.users, organisations, password_hash)
        teams = _ensure_teams(plan, municipalities, users)
    demo_area = _demo_area()
    areas = [_area(area, municipalities, organisations, teams, plan) for area in plan.areas]
    world = World(areas, cumulative([area.weight for area in plan.areas]), demo_area,
                  *_staff([*organisations.values(), *_demo_organisations().values()]))
    _load_busy_hours([*areas, demo_area], calendar)
    return world


# Creating what is missing ---------------------------------------------------------------------

def _ensure_municipalities(plan: WorldPlan) -> dict[str, int]:
    names = [name for area in plan.areas for name in area.municipalities]
    existing = dict(Municipality.objects.filter(name__in=names).values_list("name", "pk"))
    used = set(Municipality.objects.values_list("code", flat=True))
    # Codes in the demo's format, unused ones in order: not Statistics Finland's real codes.
    free = (code for code in (f"{n:03d}" for n in range(1, 1000)) if code not in used)
    Municipality.objects.bulk_create(
        Municipality(name=name, code=next(free)) for name in names if name not in existing
    )
    return dict(Municipality.objects.filter(name__in=names).values_list("name", "pk"))


def _ensure_organisations(plan: WorldPlan, municipalities) -> dict[str, int]:
    wanted = {name: (sector, area) for area in plan.areas
              for sector, names in area.organisations.items() for name in names}
    existing = set(Organisation.objects.filter(name__in=wanted).values_list("name", flat=True))
    new = [name for name in wanted if name not in existing]
    Organisation.objects.bulk_create(
        Organisation(name=name, sector=wanted[name][0]) for name in new
    )
    ids = dict(Organisation.objects.filter(name__in=wanted).values_list("name", "pk"))
    Served = Organisation.municipalities.through
    Served.objects.bulk_create(
        Served(organisation_id=ids[name], municipality_id=municipalities[municipality])
        for name in new for municipality in wanted[name][1].municipalities
    )
    return ids


def _ensure_users(users: list[UserPlan], organisations, password_hash) -> dict[str, int]:
    organisations = {**organisations, **_demo_organisations()}
    usernames = [user.username for user in users]
    existing = set(User.objects.filter(username__in=usernames)
                   .values_list("username", flat=True))
    new = [user for user in users if user.username not in existing]
    User.objects.bulk_create(
        User(username=user.username, first_name=user.first_name, last_name=user.last_name,
             email=f"{user.username}@{STAFF_EMAIL_DOMAIN}", password=password_hash,
             is_staff=user.role == Role.ADMIN)
        for user in new
    )
    ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    Membership.objects.bulk_create(
        Membership(user_id=ids[user.username], organisation_id=organisations[user.organisation],
                   role=user.role)
        for user in new
    )
    _join_role_groups(new, ids)
    return ids


def _join_role_groups(users: list[UserPlan], ids: dict[str, int]) -> None:
    """What teams/signals.py does on a saved membership: the user joins the role's group."""
    groups = dict(Group.objects.values_list("name", "pk"))
    Joined = User.groups.through
    Joined.objects.bulk_create(
        Joined(user_id=ids[user.username], group_id=groups[user.role])
        for user in users if user.role in groups
    )


def _ensure_teams(plan: WorldPlan, municipalities, users) -> dict[str, int]:
    wanted = {name: (area, members) for area in plan.areas
              for name, members in area.teams.items()}
    existing = set(Team.objects.filter(name__in=wanted).values_list("name", flat=True))
    new = [name for name in wanted if name not in existing]
    Team.objects.bulk_create(Team(name=name) for name in new)
    ids = dict(Team.objects.filter(name__in=wanted).values_list("name", "pk"))
    Served = Team.municipalities.through
    Served.objects.bulk_create(
        Served(team_id=ids[name], municipality_id=municipalities[municipality])
        for name in new for municipality in wanted[name][0].municipalities
    )
    TeamMember.objects.bulk_create(
        TeamMember(team_id=ids[name], user_id=users[username], kind=kind)
        for name in new for username, kind in wanted[name][1]
    )
    return ids


# Reading the world back as ids ----------------------------------------------------------------

def _demo_organisations() -> dict[str, int]:
    names = [name for name, _sector in seed_demo.ORGANISATIONS]
    return dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))


def _demo_area() -> Area:
    # A list, not a set: the order of the municipalities decides which one a client gets, and a
    # set's order of strings changes from one process to the next.
    names = [name for name, _code in seed_demo.MUNICIPALITIES]
    municipalities = dict(Municipality.objects.filter(name__in=names).values_list("name", "pk"))
    organisations = _demo_organisations()
    ids = [municipalities[name] for name in names]
    return Area(
        name="Kainuu", municipalities=ids,
        cum_weights=cumulative([LARGE_MUNICIPALITIES.get(name, 2) for name in names]),
        organisations={sector: [organisations[name]]
                       for name, sector in seed_demo.ORGANISATIONS},
        teams=[_team_info(_demo_team().pk)],
        postal_codes=dict.fromkeys(ids, DEMO_AREA_POSTAL_CODE),
        municipality_names={municipalities[name]: name for name in names},
    )


def _demo_team() -> Team:
    """The team seed_demo builds around the demo coordinator."""
    team = Team.objects.filter(members__user__username="coordinator",
                               members__kind=TeamMemberKind.COORDINATOR).first()
    if team is None:
        raise LookupError("The demo coordinator's team is missing: run seed_demo first.")
    return team


def _area(plan: AreaPlan, municipalities, organisations, teams, world: WorldPlan) -> Area:
    ids = [municipalities[name] for name in plan.municipalities]
    return Area(
        name=plan.name, municipalities=ids,
        cum_weights=cumulative([world.weights[name] for name in plan.municipalities]),
        organisations={sector: [organisations[name] for name in names]
                       for sector, names in plan.organisations.items()},
        teams=[_team_info(teams[name]) for name in plan.teams],
        postal_codes={municipalities[name]: world.postal_codes[name]
                      for name in plan.municipalities},
        municipality_names={municipalities[name]: name for name in plan.municipalities},
    )


def _team_info(team_id: int) -> TeamInfo:
    kinds: dict[str, list[int]] = {kind: [] for kind in TeamMemberKind.values}
    for user_id, kind in (TeamMember.objects.filter(team_id=team_id, user__is_active=True)
                          .order_by("pk").values_list("user_id", "kind")):
        kinds[kind].append(user_id)
    return TeamInfo(team_id, kinds[TeamMemberKind.COORDINATOR], kinds[TeamMemberKind.STANDING],
                    kinds[TeamMemberKind.EXPERT])


def _staff(organisation_ids):
    """Active care staff per organisation and role; demo users count DEMO_USER_WEIGHT times."""
    demo_usernames = set(seed_demo.USERS)
    staff: dict[tuple[int, str], list[int]] = {}
    role_of, organisation_of, name_of = {}, {}, {}
    rows = (Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True,
                                      user__is_active=True)
            .order_by("pk").values_list("user_id", "organisation_id", "role", "user__username",
                                        "user__first_name", "user__last_name"))
    for user_id, organisation_id, role, username, first, last in rows:
        weight = DEMO_USER_WEIGHT if username in demo_usernames else 1
        if role not in (Role.ADMIN, Role.MANAGER):
            staff.setdefault((organisation_id, role), []).extend([user_id] * weight)
            staff.setdefault((organisation_id, "*"), []).extend([user_id] * weight)
        role_of.setdefault(user_id, role)
        organisation_of.setdefault(user_id, organisation_id)
        name_of[user_id] = f"{first} {last}"
    return staff, role_of, organisation_of, name_of


def _load_busy_hours(areas: list[Area], calendar: Calendar) -> None:
    """Mark the hours in which a team's members already have a meeting (the demo's, earlier
    runs'), so that new meetings cannot double-book anyone."""
    teams = {team.id: team for area in areas for team in area.teams}
    since = calendar.at(calendar.first, 0)
    rows = MeetingParticipant.objects.filter(
        blocks_calendar=True, ends_at__gt=since,
        user__team_memberships__team_id__in=list(teams),
    ).values_list("user__team_memberships__team_id", "starts_at", "ends_at")
    for team_id, starts_at, ends_at in rows.iterator(chunk_size=10_000):
        moment = starts_at.astimezone(HELSINKI).replace(minute=0, second=0, microsecond=0)
        while moment < ends_at:
            day = calendar.day_number(moment.date())
            teams[team_id].busy.add(day * 24 + moment.hour)
            moment += timedelta(hours=1)
