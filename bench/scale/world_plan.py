"""
The generated world by name, the same for every run: about 300 municipalities in 21 areas,
each area with an organisation per sector, their staff and work-ability support teams.
Nothing here touches the database; world.py creates what is missing and reads it back as ids.
"""

import random
from dataclasses import dataclass, field

from demo.management.commands import seed_demo
from teams.models import Role, Sector, TeamMemberKind

from .draws import one_of
from .words import FIRST_NAMES, LARGE_MUNICIPALITIES, LAST_NAMES, MUNICIPALITY_NAMES

# The world comes from its own fixed seed, so a run with --append and another --seed finds the
# same world instead of building a second one.
WORLD_SEED = 2026
AREA_COUNT = 21
TEAM_COUNT = 100

# Staff per sector: the national total of each role, spread over the areas by size.
STAFF = {
    Sector.HEALTH: [(Role.COORDINATOR, 160), (Role.NURSE, 800), (Role.DOCTOR, 250),
                    (Role.ADMIN, 0), (Role.MANAGER, 0)],
    Sector.SOCIAL: [(Role.SOCIAL_WORKER, 500)],
    Sector.MENTAL_HEALTH: [(Role.MENTAL_HEALTH_WORKER, 300)],
    Sector.EMPLOYMENT: [(Role.EMPLOYMENT_EXPERT, 1000), (Role.COORDINATOR, 0), (Role.MANAGER, 0)],
    Sector.KELA: [(Role.KELA_EXPERT, 250)],
    Sector.TYP: [(Role.TYP_EXPERT, 180), (Role.COORDINATOR, 0)],
    Sector.REHABILITATION: [(Role.COORDINATOR, 60)],
    Sector.THIRD_SECTOR: [(Role.EMPLOYMENT_EXPERT, 120)],
}
# Staff added to the demo organisations, so the demo users are not the only hands in Kainuu.
DEMO_AREA_STAFF = {
    Sector.HEALTH: [(Role.COORDINATOR, 1), (Role.NURSE, 8), (Role.DOCTOR, 3)],
    Sector.SOCIAL: [(Role.SOCIAL_WORKER, 4)],
    Sector.MENTAL_HEALTH: [(Role.MENTAL_HEALTH_WORKER, 3)],
    Sector.EMPLOYMENT: [(Role.EMPLOYMENT_EXPERT, 8)],
    Sector.KELA: [(Role.KELA_EXPERT, 3)],
    Sector.TYP: [(Role.TYP_EXPERT, 2)],
    Sector.REHABILITATION: [(Role.COORDINATOR, 2)],
    Sector.THIRD_SECTOR: [(Role.EMPLOYMENT_EXPERT, 2)],
}
# Who sits in each generated team, as in seed_demo's team: sector, role, kind, how many.
TEAM_MEMBERS = [
    (Sector.HEALTH, Role.COORDINATOR, TeamMemberKind.COORDINATOR, 1),
    (Sector.HEALTH, Role.NURSE, TeamMemberKind.STANDING, 2),
    (Sector.HEALTH, Role.DOCTOR, TeamMemberKind.STANDING, 1),
    (Sector.EMPLOYMENT, Role.EMPLOYMENT_EXPERT, TeamMemberKind.STANDING, 2),
    (Sector.KELA, Role.KELA_EXPERT, TeamMemberKind.EXPERT, 1),
    (Sector.TYP, Role.TYP_EXPERT, TeamMemberKind.EXPERT, 1),
    (Sector.SOCIAL, Role.SOCIAL_WORKER, TeamMemberKind.EXPERT, 1),
    (Sector.MENTAL_HEALTH, Role.MENTAL_HEALTH_WORKER, TeamMemberKind.EXPERT, 1),
]
ORGANISATION_NAMES = {
    Sector.HEALTH: ["Terveyspalvelut {area}"],
    Sector.SOCIAL: ["Aikuissosiaalityö {area}"],
    Sector.MENTAL_HEALTH: ["Mielenterveys- ja päihdepalvelut {area}"],
    Sector.EMPLOYMENT: ["Työllisyyspalvelut {area}"],
    Sector.KELA: ["Kela, palvelupiste {area}"],
    Sector.TYP: ["TYP {area}"],
    Sector.REHABILITATION: ["Kuntoutuskeskus {area}"],
    Sector.THIRD_SECTOR: ["Työpaja {area} ry", "Polku töihin {area} ry"],
}


@dataclass
class UserPlan:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str


@dataclass
class AreaPlan:
    name: str
    municipalities: list[str]
    weight: float = 0.0
    team_count: int = 1
    organisations: dict[str, list[str]] = field(default_factory=dict)
    teams: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class WorldPlan:
    """The generated world by name: areas, staff, teams."""

    areas: list[AreaPlan]
    weights: dict[str, float]
    postal_codes: dict[str, int]
    users: list[UserPlan]


def plan_world() -> WorldPlan:
    """The areas with their staff and teams, then the staff added to the demo's Kainuu."""
    rng = random.Random(WORLD_SEED)  # noqa: S311 (test data, not secrets)
    demo_names = {name for name, _code in seed_demo.MUNICIPALITIES}
    names = [name for name in MUNICIPALITY_NAMES if name not in demo_names]
    weights = {name: LARGE_MUNICIPALITIES.get(name) or round(rng.uniform(1.5, 12), 1)
               for name in names}
    areas = _plan_areas(rng, names, weights)
    total = sum(weights.values())
    users: list[UserPlan] = []
    for area in areas:
        area.weight = sum(weights[name] for name in area.municipalities)
        area.team_count = max(1, round(TEAM_COUNT * area.weight / total))
        staff = _plan_area_staff(rng, area, area.weight / total, users)
        _plan_area_teams(area, staff)
    postal_codes = {name: rng.randrange(10, 99) * 1000 for name in names}
    users += _plan_demo_area_staff(len(users))
    return WorldPlan(areas, weights, postal_codes, users)


def _plan_areas(rng, names: list[str], weights: dict[str, float]) -> list[AreaPlan]:
    """The largest municipalities are the areas' centres; the others join one at random."""
    centres = sorted(names, key=lambda name: -weights[name])[:AREA_COUNT]
    areas = [AreaPlan(centre, [centre]) for centre in centres]
    for name in names:
        if name not in centres:
            one_of(rng, areas).municipalities.append(name)
    return areas


def _plan_area_staff(rng, area: AreaPlan, share: float,
                     users: list[UserPlan]) -> dict[tuple[str, str], list[str]]:
    """The area's organisations and their staff, enough for its teams: usernames by role."""
    by_role: dict[tuple[str, str], list[str]] = {}
    for sector, templates in ORGANISATION_NAMES.items():
        area.organisations[sector] = [t.format(area=area.name) for t in templates]
        for role, national in STAFF[sector]:
            count = max(1 if national == 0 else 2, round(national * share / len(templates)),
                        _needed_in_teams(area, sector, role))
            for organisation in area.organisations[sector]:
                for _ in range(count):
                    users.append(_plan_user(rng, len(users) + 1, organisation, role))
                    by_role.setdefault((sector, role), []).append(users[-1].username)
    return by_role


def _needed_in_teams(area: AreaPlan, sector: str, role: str) -> int:
    return sum(count * area.team_count for s, r, _kind, count in TEAM_MEMBERS
               if (s, r) == (sector, role))


def _plan_area_teams(area: AreaPlan, by_role: dict[tuple[str, str], list[str]]) -> None:
    """Each team takes the next members of each role from the area's staff."""
    for number in range(area.team_count):
        suffix = f" {number + 1}" if area.team_count > 1 else ""
        members = []
        for sector, role, kind, count in TEAM_MEMBERS:
            pool = by_role[(sector, role)]
            members += [(username, kind) for username in pool[number * count:][:count]]
        area.teams[f"Työkyvyn tuen tiimi {area.name}{suffix}"] = members


def _plan_demo_area_staff(start: int) -> list[UserPlan]:
    rng = random.Random(WORLD_SEED + 1)  # noqa: S311 (test data, not secrets)
    users: list[UserPlan] = []
    organisation_of_sector = {sector: name for name, sector in seed_demo.ORGANISATIONS}
    for sector, roles in DEMO_AREA_STAFF.items():
        for role, count in roles:
            for _ in range(count):
                users.append(_plan_user(rng, start + len(users) + 1,
                                        organisation_of_sector[sector], role))
    return users


def _plan_user(rng, number: int, organisation: str, role: str) -> UserPlan:
    first = one_of(rng, FIRST_NAMES)
    last = one_of(rng, LAST_NAMES)
    username = f"{ascii_name(first)}.{ascii_name(last)}{number}"
    return UserPlan(username, first, last, organisation, role)


def ascii_name(name: str) -> str:
    """A name as it goes into usernames and e-mail addresses."""
    return name.lower().translate(str.maketrans("äöåé", "aoae")).replace(" ", "")
