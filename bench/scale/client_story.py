"""
National-scale data for benchmarks (`manage.py generate_scale_data --clients N`).

On top of the demo world of seed_demo it adds about 300 municipalities in 21 areas, each area
with an organisation per sector, their staff and work-ability support teams, and then N clients
with about ten rows each along the service path of DESIGN.md: whose client they are, case
managers, referrals, health checks, feedback, doctor's assessments, team meetings, support plans
with actions and follow-ups, feedback discussions, notifications and access-log rows, spread
over the last two years.

How it is made:
- Each client's story (what happened, when, by whom) is drawn from a seeded random generator,
  a batch of clients at a time: the same seed gives the same data.
- Then the batch's primary keys are reserved, one statement per parent table (on PostgreSQL the
  sequence is moved past them), so child rows name their parents without asking the database.
- The rows go in with COPY on PostgreSQL and with executemany elsewhere (SQLite in development
  and tests), a batch per transaction, so memory stays flat. On PostgreSQL a second thread
  writes one batch while the next one is drawn.

Kainuu is the demo's area: its clients (a few thousand) are the demo organisations' clients,
its team is the demo team, which meets this week and next, and the demo users take their share
of the work beside the generated staff there.
"""

import json
import math
import queue
import random
import threading
import time
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse

from clients.hetu import check_character
from clients.models import (
    CaseManagerAssignment,
    Client,
    ClientRelationship,
    ClientStatus,
    ClosingReason,
)
from consents.models import AccessLogEntry, Action
from plans.models import (
    ActionStatus,
    FeedbackDiscussion,
    FollowUp,
    FollowUpAbility,
    Notification,
    PlanAction,
    PlanStatus,
    ReminderKind,
    ReminderStage,
    SupportPlan,
)
from referrals.models import (
    Conclusion,
    DoctorAssessment,
    Feedback,
    FeedbackChannel,
    HealthCheck,
    NurseView,
    Referral,
    ReferralReason,
    ReferralStatus,
    StatementPurpose,
    Urgency,
)
from teams.models import (
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    Membership,
    Municipality,
    Organisation,
    Role,
    Sector,
    Team,
    TeamMember,
    TeamMemberKind,
    User,
)
from tyokyky.management.commands import seed_demo
from tyokyky.workdays import is_working_day

HELSINKI = ZoneInfo("Europe/Helsinki")
HISTORY_DAYS = 730
# How far ahead meetings, bookings and plan dates may lie.
DAYS_AHEAD = 200
# The world (municipalities, organisations, staff, teams) comes from its own fixed seed, so a
# run with --append and another --seed finds the same world instead of building a second one.
WORLD_SEED = 2026
AREA_COUNT = 21
TEAM_COUNT = 100
# Kainuu's share of the clients: enough for the demo users' lists to be full, not national.
DEMO_AREA_MAX_CLIENTS = 3000
DEMO_AREA_MIN_CLIENTS = 60
# Demo users are picked twice as often as a generated colleague in the same organisation and
# role, so that a benchmark logged in as one of them meets a realistic, not tiny, workload.
DEMO_USER_WEIGHT = 2
MEETING_HOURS = (8, 9, 10, 12, 13, 14)
STAFF_EMAIL_DOMAIN = "scale.tyokyky.invalid"

# Personal identity codes: every day of 1950-2005 times the temporary individual numbers
# 900-999 (which no permanent code uses), walked in a scrambled order so neighbours differ.
FIRST_BIRTH_DAY = date(1950, 1, 1)
BIRTH_DAYS = (date(2005, 12, 31) - FIRST_BIRTH_DAY).days + 1
HETU_SPACE = BIRTH_DAYS * 100
HETU_STRIDE = 1_000_003  # a prime that does not divide HETU_SPACE: n -> code is one-to-one


def hetu_for_index(n: int) -> str:
    """The n-th generated personal identity code: valid, and distinct for n < 2,045,400."""
    scrambled = (n * HETU_STRIDE + 7919) % HETU_SPACE
    born = FIRST_BIRTH_DAY + timedelta(days=scrambled % BIRTH_DAYS)
    individual = f"{900 + scrambled // BIRTH_DAYS:03d}"
    ddmmyy = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}"
    sign = "-" if born.year < 2000 else "A"
    return f"{ddmmyy}{sign}{individual}{check_character(ddmmyy, individual)}"


def birth_date_of(hetu: str) -> date:
    century = 1900 if hetu[6] == "-" else 2000
    return date(century + int(hetu[4:6]), int(hetu[2:4]), int(hetu[0:2]))


# --- Working days and office hours -------------------------------------------------------------

class Calendar:
    """Working days and Helsinki office hours from two years back to a few months ahead."""

    def __init__(self, today: date):
        self.today = today
        self.first = today - timedelta(days=HISTORY_DAYS + 120)
        span = HISTORY_DAYS + 120 + DAYS_AHEAD
        days = [self.first + timedelta(days=i) for i in range(span + 30)]
        self.working = [day for day in days if is_working_day(day)]
        self._span = span
        # For each day: the position in `working` of that day or of the next working day.
        self._next, position = [], 0
        for day in days[:span]:
            while self.working[position] < day:
                position += 1
            self._next.append(position)
        self._midnight = [_utc_midnight(day) for day in days[:span]]

    def _index(self, day: date) -> int:
        index = (day - self.first).days
        return index if 0 <= index < self._span else min(max(index, 0), self._span - 1)

    def add(self, day: date, working_days: int) -> date:
        """The working day `working_days` after the day (or the next working day, for 0)."""
        position = self._next[self._index(day)] + working_days
        return self.working[min(max(position, 0), len(self.working) - 1)]

    def on_or_before(self, day: date) -> date:
        found = self.add(day, 0)
        return found if found == day else self.add(day, -1)

    def at(self, day: date, minute: int) -> datetime:
        """An aware moment: `minute` minutes after midnight in Helsinki on the day."""
        return self._midnight[self._index(day)] + timedelta(minutes=minute)

    def day_number(self, day: date) -> int:
        return (day - self.first).days


def _utc_midnight(day: date) -> datetime:
    # The offset at noon: office hours never fall in the night hour that summer time moves.
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=HELSINKI).utcoffset()
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - offset


# --- The world: areas, organisations, staff, teams ---------------------------------------------

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
# Who does the sector's client work, and who of them may be named case manager.
MAIN_ROLE = {
    Sector.HEALTH: Role.NURSE, Sector.SOCIAL: Role.SOCIAL_WORKER,
    Sector.MENTAL_HEALTH: Role.MENTAL_HEALTH_WORKER, Sector.EMPLOYMENT: Role.EMPLOYMENT_EXPERT,
    Sector.KELA: Role.KELA_EXPERT, Sector.TYP: Role.TYP_EXPERT,
    Sector.REHABILITATION: Role.COORDINATOR, Sector.THIRD_SECTOR: Role.EMPLOYMENT_EXPERT,
}
CASE_MANAGER_ROLE = {**MAIN_ROLE, Sector.HEALTH: Role.COORDINATOR}


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
    """The generated world by name, the same for every run: areas, staff, teams."""

    areas: list[AreaPlan]
    weights: dict[str, float]
    postal_codes: dict[str, int]
    users: list[UserPlan]


def plan_world() -> WorldPlan:
    rng = random.Random(WORLD_SEED)  # noqa: S311 (test data, not secrets)
    demo_names = {name for name, _code in seed_demo.MUNICIPALITIES}
    names = [name for name in MUNICIPALITY_NAMES if name not in demo_names]
    weights = {name: LARGE_MUNICIPALITIES.get(name) or round(rng.uniform(1.5, 12), 1)
               for name in names}
    centres = sorted(names, key=lambda name: -weights[name])[:AREA_COUNT]
    areas = [AreaPlan(centre, [centre]) for centre in centres]
    for name in names:
        if name not in centres:
            _one_of(rng, areas).municipalities.append(name)
    total = sum(weights.values())
    users: list[UserPlan] = []
    for area in areas:
        area.weight = sum(weights[name] for name in area.municipalities)
        area.team_count = max(1, round(TEAM_COUNT * area.weight / total))
        _plan_area_staff(rng, area, area.weight / total, users)
    postal_codes = {name: rng.randrange(10, 99) * 1000 for name in names}
    return WorldPlan(areas, weights, postal_codes, users)


def _plan_area_staff(rng, area: AreaPlan, share: float, users: list[UserPlan]) -> None:
    """The area's organisations and staff, and its teams made of that staff."""
    by_role: dict[tuple[str, str], list[str]] = {}
    for sector, templates in ORGANISATION_NAMES.items():
        area.organisations[sector] = [t.format(area=area.name) for t in templates]
        for role, national in STAFF[sector]:
            needed = sum(count * area.team_count for s, r, _kind, count in TEAM_MEMBERS
                         if (s, r) == (sector, role))
            minimum = 1 if national == 0 else 2
            for organisation in area.organisations[sector]:
                count = max(minimum, round(national * share / len(templates)), needed)
                for _ in range(count):
                    users.append(_plan_user(rng, len(users) + 1, organisation, role))
                    by_role.setdefault((sector, role), []).append(users[-1].username)
    for number in range(area.team_count):
        suffix = f" {number + 1}" if area.team_count > 1 else ""
        members = []
        for sector, role, kind, count in TEAM_MEMBERS:
            pool = by_role[(sector, role)]
            members += [(username, kind) for username in pool[number * count:][:count]]
        area.teams[f"Työkyvyn tuen tiimi {area.name}{suffix}"] = members


def plan_demo_area_staff(start: int) -> list[UserPlan]:
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
    first = _one_of(rng, FIRST_NAMES)
    last = _one_of(rng, LAST_NAMES)
    username = f"{_ascii(first)}.{_ascii(last)}{number}"
    return UserPlan(username, first, last, organisation, role)


def _ascii(name: str) -> str:
    return name.lower().translate(str.maketrans("äöåé", "aoae")).replace(" ", "")


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
        return choices[0] if len(choices) == 1 else _one_of(rng, choices)


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
        return _one_of(rng, self.staff.get((organisation, role))
                          or self.staff[(organisation, "*")])


def build_world(*, password_hash: str, calendar: Calendar) -> World:
    """Create what is missing of the generated world, then read all of it back as ids."""
    plan = plan_world()
    plan.users += plan_demo_area_staff(len(plan.users))
    with transaction.atomic():
        municipalities = _ensure_municipalities(plan)
        organisations = _ensure_organisations(plan, municipalities)
        users = _ensure_users(plan.users, organisations, password_hash)
        teams = _ensure_teams(plan, municipalities, users)
    demo_area = _demo_area()
    areas = [_area(area, municipalities, organisations, teams, plan) for area in plan.areas]
    world = World(areas, _cumulative([area.weight for area in plan.areas]), demo_area,
                  *_staff([*organisations.values(), *_demo_organisation_ids()]))
    _load_busy_hours([*areas, demo_area], calendar)
    return world


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
    # What teams/signals.py does on a saved membership: the user joins the role's group.
    groups = dict(Group.objects.values_list("name", "pk"))
    Joined = User.groups.through
    Joined.objects.bulk_create(
        Joined(user_id=ids[user.username], group_id=groups[user.role])
        for user in new if user.role in groups
    )
    return ids


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


def _demo_organisations() -> dict[str, int]:
    names = [name for name, _sector in seed_demo.ORGANISATIONS]
    return dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))


def _demo_organisation_ids() -> list[int]:
    return list(_demo_organisations().values())


def _demo_area() -> Area:
    names = {name for name, _code in seed_demo.MUNICIPALITIES}
    municipalities = dict(Municipality.objects.filter(name__in=names).values_list("name", "pk"))
    organisations = _demo_organisations()
    team = _demo_team()
    ids = [municipalities[name] for name in names]
    id_to_name = {pk: name for name, pk in municipalities.items()}
    return Area(
        name="Kainuu", municipalities=ids,
        cum_weights=_cumulative([LARGE_MUNICIPALITIES.get(id_to_name[pk], 2) for pk in ids]),
        organisations={sector: [organisations[name]]
                       for name, sector in seed_demo.ORGANISATIONS},
        teams=[_team_info(team.pk)], postal_codes=dict.fromkeys(ids, 87000),
        municipality_names=id_to_name,
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
        cum_weights=_cumulative([world.weights[name] for name in plan.municipalities]),
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


def _cumulative(weights) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


class Weights:
    """Values with weights, for drawing many times: {value: weight}."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = _cumulative(weights.values())


# --- Client stories ----------------------------------------------------------------------------

@dataclass(slots=True)
class FeedbackStory:
    given_on: date
    created_at: datetime
    recipient: int | None
    to_client: str
    findings: str
    recommendations: str
    acknowledged_at: datetime | None = None
    acknowledged_by: int | None = None


@dataclass(slots=True)
class AssessmentStory:
    assessed_on: date
    created_at: datetime
    doctor: int
    conclusion: str
    b_statement_on: date | None
    b_statement_purpose: str
    sick_leave_until: date | None
    examinations: str
    knows_next_steps: bool


@dataclass(slots=True)
class CheckStory:
    performed_on: date
    created_at: datetime
    nurse: int
    doctor: int | None
    scores: tuple
    limits: tuple
    nurse_view: str
    needs_meeting: bool
    doctor_needed: bool
    physiotherapy: bool
    feedback: FeedbackStory | None = None
    assessment: AssessmentStory | None = None
    id: int = 0


@dataclass(slots=True)
class ReferralStory:
    organisation: int
    created_by: int
    recipient: int
    is_self: bool
    reason: str
    urgency: str
    created_on: date
    created_at: datetime
    responsible_persons: str
    services_summary: str
    reason_details: str
    status: str = ReferralStatus.SENT
    received_at: datetime | None = None
    received_by: int | None = None
    booked_for: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: int | None = None
    cancellation_reason: str = ""
    check: CheckStory | None = None
    id: int = 0


@dataclass(slots=True)
class MeetingStory:
    team: int
    organisation: int
    created_by: int
    created_at: datetime
    day: date
    starts_at: datetime
    status: str
    mode: str
    participants: list
    uid: str
    id: int = 0

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(hours=1)


@dataclass(slots=True)
class PlanStory:
    organisation: int
    created_by: int
    created_on: date
    created_at: datetime
    follow_up_weeks: int | None
    case_managers: list
    actions: list
    follow_ups: list
    status: str = PlanStatus.ACTIVE
    id: int = 0


@dataclass(slots=True)
class DiscussionStory:
    organisation: int
    holder: int
    created_at: datetime
    scheduled_for: datetime | None
    held_on: date | None
    is_final: bool
    follows_own_affairs: str
    meeting: MeetingStory | None = None


@dataclass(slots=True)
class CaseManagerStory:
    user: int
    organisation: int
    started_on: date
    ended_on: date | None = None


@dataclass(slots=True)
class ClientStory:
    """Everything that happened to one client, with the people and the dates."""

    hetu: str
    first_name: str
    last_name: str
    area: Area
    municipality: int
    entered_on: date
    created_at: datetime
    # Organisation -> the basis it serves the client on; the first one wrote the client's card.
    organisations: dict
    case_managers: list
    language: str = "fi"
    interpreter: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    post_office: str = ""
    status: str = ClientStatus.ACTIVE
    closed_on: date | None = None
    closing_reason: str = ""
    own_nurse: int | None = None
    referrals: list = field(default_factory=list)
    meeting: MeetingStory | None = None
    plan: PlanStory | None = None
    discussions: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    touches: list = field(default_factory=list)
    access_log: list = field(default_factory=list)
    last_day: date | None = None
    updated_at: datetime | None = None
    id: int = 0

    def happened(self, day: date) -> None:
        if self.last_day is None or day > self.last_day:
            self.last_day = day


# Which service notices the need first (DESIGN.md, step 1), as weights.
ENTRY_SECTORS = Weights({
    Sector.EMPLOYMENT: 50, Sector.SOCIAL: 14, Sector.HEALTH: 12, Sector.TYP: 10,
    Sector.MENTAL_HEALTH: 6, Sector.KELA: 4, Sector.THIRD_SECTOR: 3, Sector.REHABILITATION: 1,
})
# How likely each entering sector refers the client to the unemployed health check.
REFERRAL_SHARE = {
    Sector.EMPLOYMENT: 0.9, Sector.TYP: 0.85, Sector.SOCIAL: 0.7, Sector.MENTAL_HEALTH: 0.6,
    Sector.KELA: 0.6, Sector.THIRD_SECTOR: 0.7, Sector.REHABILITATION: 0.5,
    Sector.HEALTH: 0.8,  # self-referrals: the client came to the health check by themself
}
CLOSING_REASONS = Weights({
    ClosingReason.EMPLOYED: 30, ClosingReason.STUDYING: 14, ClosingReason.REHABILITATION: 20,
    ClosingReason.PENSION: 10, ClosingReason.MOVED: 9, ClosingReason.OTHER: 17,
})
# What a moment of handling showed, as the access log lists the categories.
IDENTITY = ("identity",)
EMPLOYMENT_DATA = ("identity", "employment")
HEALTH_DATA = ("identity", "health")
CHECK_DATA = ("identity", "employment", "health")
CATEGORIES = {seen: json.dumps(list(seen))
              for seen in (IDENTITY, EMPLOYMENT_DATA, HEALTH_DATA, CHECK_DATA)}


def _url(name: str, *args) -> str:
    """A URL pattern with '{}' for each argument, reversed once instead of once per row."""
    sentinel = 987654321
    return reverse(name, args=[sentinel] * len(args)).replace(str(sentinel), "{}")


class Drawer:
    """Draws client stories one after another, each consistent with the service path."""

    def __init__(self, world: World, calendar: Calendar, rng: random.Random, *,
                 demo_share: float):
        self.world = world
        self.calendar = calendar
        self.rng = rng
        self.demo_share = demo_share
        self.today = calendar.today
        self.now = datetime.now(UTC)
        self.demo_meetings_due = self._demo_meeting_days()

    def _moment(self, day: date) -> datetime:
        """A moment in office hours on a day that has come: never later than now."""
        return min(self.calendar.at(day, _between(self.rng, 480, 960)), self.now)

    def _demo_meeting_days(self) -> list[date]:
        """Two a day over the current and the next week, for the demo coordinator's team."""
        monday = self.today - timedelta(days=self.today.weekday())
        days = [monday + timedelta(days=n) for n in range(14)]
        return [day for day in days if is_working_day(day)] * 2

    # One client -------------------------------------------------------------------------------

    def draw(self, hetu: str) -> ClientStory:
        rng, calendar = self.rng, self.calendar
        demo = rng.random() < self.demo_share
        area = self.world.demo_area if demo else self._area()
        municipality = area.municipalities[
            bisect_left(area.cum_weights, rng.random() * area.cum_weights[-1])]
        forced_meeting = self.demo_meetings_due.pop() if demo and self.demo_meetings_due else None
        # More clients recently than two years ago: the service has grown.
        fraction = rng.random() if rng.random() < 0.5 else 1 - math.sqrt(rng.random())
        days_ago = 1 + int(HISTORY_DAYS * fraction)
        if forced_meeting:
            days_ago = _between(rng, 20, 60)
        entered = calendar.on_or_before(self.today - timedelta(days=days_ago))
        sector = _weighted(rng, ENTRY_SECTORS)
        organisation = area.organisation(rng, sector)
        manager = self.world.pick(rng, organisation, CASE_MANAGER_ROLE[sector])
        story = ClientStory(
            hetu=hetu, first_name=_one_of(rng, FIRST_NAMES), last_name=_last_name(rng),
            area=area, municipality=municipality, entered_on=entered,
            created_at=self._moment(entered), organisations={organisation: "visit"},
            case_managers=[CaseManagerStory(manager, organisation, entered)],
        )
        self._contact_details(story)
        story.happened(entered)
        story.touches.append((story.created_at, manager, Action.CLIENT_PAGE, IDENTITY))
        self._second_case_manager(story, sector)
        if rng.random() < REFERRAL_SHARE[sector]:
            self._referrals(story, sector, organisation, manager)
        if forced_meeting:
            self._meeting(story, forced_meeting, search_days=3)
        else:
            self._maybe_meeting(story)
        self._maybe_plan(story)
        self._maybe_discussion(story)
        if not forced_meeting:
            self._maybe_close(story)
        self._notifications(story)
        self._access_log(story)
        last = min(story.last_day, self.today)
        story.updated_at = max(min(calendar.at(last, 990), self.now), story.created_at)
        return story

    def _area(self) -> Area:
        areas = self.world.areas
        return areas[bisect_left(self.world.area_cum_weights,
                             self.rng.random() * self.world.area_cum_weights[-1])]

    def _contact_details(self, story: ClientStory) -> None:
        rng = self.rng
        roll = rng.random()
        story.language = "fi" if roll < 0.92 else "sv" if roll < 0.98 else "en"
        if rng.random() < 0.04:
            story.interpreter = _one_of(rng, INTERPRETER_LANGUAGES)
        if rng.random() < 0.85:
            story.phone = (f"04{_between(rng, 0, 6)} {_between(rng, 100, 999)} "
                           f"{_between(rng, 0, 9999):04d}")
        if rng.random() < 0.3:
            story.email = (f"{_ascii(story.first_name)}.{_ascii(story.last_name)}"
                           f"{_between(rng, 1, 99)}@asiakas.invalid")
        if rng.random() < 0.9:
            story.address = f"{_one_of(rng, STREETS)} {_between(rng, 1, 60)}"
            base = story.area.postal_codes[story.municipality]
            story.postal_code = f"{base + 10 * _between(rng, 0, 19):05d}"
            story.post_office = story.area.municipality_names[story.municipality]

    def _second_case_manager(self, story: ClientStory, sector: str) -> None:
        """Some clients get a second case manager from another sector later, like Petri."""
        rng = self.rng
        if rng.random() >= 0.15:
            return
        started = self.calendar.add(story.entered_on, _between(rng, 15, 150))
        if started > self.today:
            return
        other = Sector.SOCIAL if sector == Sector.EMPLOYMENT else Sector.EMPLOYMENT
        if rng.random() < 0.4:
            other = Sector.HEALTH if sector != Sector.HEALTH else Sector.TYP
        organisation = story.area.organisation(rng, other)
        user = self.world.pick(rng, organisation, CASE_MANAGER_ROLE[other])
        if user == story.case_managers[0].user:
            return
        story.case_managers.append(CaseManagerStory(user, organisation, started))
        story.organisations.setdefault(organisation, "visit")
        story.happened(started)

    # Referral, health check, feedback, doctor's assessment ------------------------------------

    def _referrals(self, story: ClientStory, sector: str, organisation: int, manager: int):
        rng, calendar = self.rng, self.calendar
        health = story.area.organisation(rng, Sector.HEALTH)
        is_self = sector == Sector.HEALTH
        sent_on = calendar.add(story.entered_on, _between(rng, 0, 10))
        if sent_on > self.today:
            return
        first = self._referral(story, sent_on, organisation, manager, health, is_self,
                               ReferralReason.HEALTH_CONCERN if rng.random() < 0.45
                               else ReferralReason.YEAR_SINCE_CHECK)
        # A year after the check the next one is due; about half are referred again.
        check = first.check
        closed = first.status in (ReferralStatus.ACKNOWLEDGED, ReferralStatus.CANCELLED)
        if check and (closed or is_self) and rng.random() < 0.5:
            again = calendar.add(check.performed_on + timedelta(days=365), _between(rng, 0, 20))
            if again <= self.today:
                self._referral(story, again, organisation, manager, health, is_self,
                               ReferralReason.YEAR_SINCE_CHECK)

    def _referral(self, story, sent_on, organisation, manager, health, is_self, reason):
        rng = self.rng
        referral = ReferralStory(
            organisation=health if is_self else organisation, created_by=manager,
            recipient=health, is_self=is_self,
            reason=ReferralReason.OTHER if is_self else reason,
            urgency=Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL,
            created_on=sent_on, created_at=self._moment(sent_on),
            responsible_persons="" if is_self else self.world.name_of[manager],
            services_summary="" if is_self else _one_of(rng, SERVICES_SUMMARIES),
            reason_details=_one_of(rng, REASON_DETAILS) if rng.random() < 0.5 else "",
        )
        if is_self:
            referral.created_by = self.world.pick(rng, health, Role.NURSE)
        story.referrals.append(referral)
        story.organisations.setdefault(health, "visit" if is_self else "referral")
        story.happened(sent_on)
        if not is_self:
            story.touches.append((referral.created_at, manager, Action.REFERRAL_SENT,
                                  EMPLOYMENT_DATA))
        self._progress(story, referral)
        return referral

    def _progress(self, story: ClientStory, referral: ReferralStory) -> None:
        """Sent, received, booked, checked, fed back, acknowledged: as far as time has come."""
        rng, calendar, today = self.rng, self.calendar, self.today
        if rng.random() < 0.04:
            cancelled = calendar.add(referral.created_on, _between(rng, 1, 15))
            if cancelled <= today:
                referral.status = ReferralStatus.CANCELLED
                referral.cancelled_at = self._moment(cancelled)
                referral.cancelled_by = referral.created_by
                referral.cancellation_reason = _one_of(rng, CANCELLATION_REASONS)
                story.happened(cancelled)
                return
        nurse = self.world.pick(rng, referral.recipient, Role.NURSE)
        waited = 0 if referral.is_self else _between(rng, 0, 3)
        received = calendar.add(referral.created_on, waited)
        if received > today:
            return
        referral.status = ReferralStatus.RECEIVED
        referral.received_at = self._moment(received)
        referral.received_by = nurse
        story.happened(received)
        story.touches.append((referral.received_at, nurse, Action.REFERRAL, EMPLOYMENT_DATA))
        booked = calendar.add(received, _between(rng, 0, 6))
        # A few recent ones wait unbooked past the target: the worklist's overdue rows. (Older
        # ones were handled in the end: they do not pile up over two years.)
        recent = referral.created_on > today - timedelta(days=90)
        if booked > today or (recent and rng.random() < 0.05):
            return
        checked = calendar.add(booked, _between(rng, 3, 15))
        referral.status = ReferralStatus.BOOKED
        referral.booked_for = calendar.at(checked, 480 + 30 * int(rng.random() * 14))
        story.happened(booked)
        if checked >= today:
            return
        referral.status = ReferralStatus.DONE
        check = referral.check = self._check(story, referral, checked, nurse)
        given = calendar.add(checked, _between(rng, 1, 8) if rng.random() < 0.9
                             else _between(rng, 11, 30))
        if given > today:
            return
        check.feedback = FeedbackStory(
            given_on=given, created_at=self._moment(given),
            recipient=None if referral.is_self else referral.organisation,
            to_client=_weighted(rng, FEEDBACK_CHANNELS), findings=_one_of(rng, FINDINGS),
            recommendations=_one_of(rng, RECOMMENDATIONS),
        )
        story.happened(given)
        story.touches.append((check.feedback.created_at, nurse, Action.FEEDBACK_FORM,
                              HEALTH_DATA))
        if referral.is_self:
            referral.status = ReferralStatus.GIVEN_TO_CLIENT
            return
        referral.status = ReferralStatus.FEEDBACK_SENT
        acknowledged = calendar.add(given, _between(rng, 0, 8))
        forgotten = given > today - timedelta(days=60) and rng.random() < 0.1
        if acknowledged > today or forgotten:
            return
        referral.status = ReferralStatus.ACKNOWLEDGED
        check.feedback.acknowledged_at = self._moment(acknowledged)
        check.feedback.acknowledged_by = referral.created_by
        story.happened(acknowledged)
        story.touches.append((check.feedback.acknowledged_at, referral.created_by,
                              Action.REFERRAL, HEALTH_DATA))

    def _check(self, story, referral, day, nurse) -> CheckStory:
        rng = self.rng
        view = _weighted(rng, NURSE_VIEWS)
        limits = (rng.random() < 0.35, rng.random() < 0.3, rng.random() < 0.08,
                  rng.random() < 0.05, rng.random() < 0.1)
        check = CheckStory(
            performed_on=day, created_at=referral.booked_for + timedelta(minutes=50),
            nurse=nurse,
            doctor=self.world.pick(rng, referral.recipient, Role.DOCTOR)
            if rng.random() < 0.2 else None,
            scores=(_score(rng, 5.5), *(_score(rng, 6) if rng.random() < 0.8 else None
                                        for _ in range(5))),
            limits=limits, nurse_view=view,
            needs_meeting=rng.random() < (0.5 if view != NurseView.UNEMPLOYED else 0.2),
            doctor_needed=view != NurseView.UNEMPLOYED and rng.random() < 0.7,
            physiotherapy=limits[0] and rng.random() < 0.4,
        )
        if rng.random() < 0.2:
            story.own_nurse = nurse
        story.happened(day)
        story.touches.append((check.created_at, nurse, Action.HEALTH_CHECK_FORM, CHECK_DATA))
        if check.doctor_needed and rng.random() < 0.75:
            self._assessment(story, check, referral.recipient)
        return check

    def _assessment(self, story, check: CheckStory, health: int) -> None:
        rng, calendar = self.rng, self.calendar
        day = calendar.add(check.performed_on, _between(rng, 5, 25))
        if day > self.today:
            return
        doctor = check.doctor or self.world.pick(rng, health, Role.DOCTOR)
        sick = rng.random() < (0.65 if check.nurse_view == NurseView.SICK else 0.35)
        statement = rng.random() < 0.35
        check.assessment = AssessmentStory(
            assessed_on=day, created_at=self._moment(day), doctor=doctor,
            conclusion=Conclusion.SICK if sick else Conclusion.UNEMPLOYED,
            b_statement_on=day if statement else None,
            b_statement_purpose=_one_of(rng, StatementPurpose.values) if statement else "",
            sick_leave_until=day + timedelta(days=_between(rng, 14, 90))
            if sick and rng.random() < 0.5 else None,
            examinations=_one_of(rng, EXAMINATIONS) if rng.random() < 0.4 else "",
            knows_next_steps=rng.random() < 0.85,
        )
        story.happened(day)
        story.touches.append((check.assessment.created_at, doctor, Action.ASSESSMENT_FORM,
                              HEALTH_DATA))

    # Team meeting, plan, feedback discussion -------------------------------------------------

    def _maybe_meeting(self, story: ClientStory) -> None:
        rng, calendar = self.rng, self.calendar
        checks = [r.check for r in story.referrals if r.check]
        if checks and checks[0].needs_meeting and rng.random() < 0.8:
            wanted = calendar.add(checks[0].performed_on, _between(rng, 10, 35))
        elif rng.random() < 0.04:
            wanted = calendar.add(story.entered_on, _between(rng, 15, 60))
        else:
            return
        # Meetings are booked at most two weeks ahead.
        if wanted <= self.today + timedelta(days=14):
            self._meeting(story, wanted, search_days=10)

    def _meeting(self, story: ClientStory, wanted: date, *, search_days: int) -> None:
        rng, calendar = self.rng, self.calendar
        team = _one_of(rng, story.area.teams)
        if not team.coordinators:
            return
        slot = self._book(team, wanted, search_days)
        if slot is None:
            return
        day, hour = slot
        starts_at = calendar.at(day, hour * 60)
        coordinator = _one_of(rng, team.coordinators)
        booked_on = max(calendar.add(day, -_between(rng, 5, 15)), story.entered_on)
        booked_on = min(booked_on, self.today)
        status = MeetingStatus.CANCELLED if rng.random() < 0.04 else MeetingStatus.SCHEDULED
        past = starts_at < self.now
        people = [coordinator, *rng.sample(team.standing, min(len(team.standing),
                                                              _between(rng, 2, 3)))]
        if team.experts and rng.random() < 0.6:
            people.append(_one_of(rng, team.experts))
        participants = []
        for user in dict.fromkeys(people):
            roll = rng.random()
            if past:
                answer = "accepted" if roll < 0.9 else "declined"
            else:
                answer = "accepted" if roll < 0.6 else "invited" if roll < 0.95 else "declined"
            participants.append((user, "accepted" if user == coordinator else answer))
        story.meeting = MeetingStory(
            team=team.id, organisation=self.world.organisation_of[coordinator],
            created_by=coordinator,
            created_at=self._moment(booked_on), day=day,
            starts_at=starts_at, status=status,
            mode="video" if rng.random() < 0.6 else "phone", participants=participants,
            uid=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        )
        story.happened(day)
        if past:
            story.touches.append((starts_at, coordinator, Action.MEETING, EMPLOYMENT_DATA))

    def _book(self, team: TeamInfo, wanted: date, search_days: int):
        """A free hour of the team on the wanted working day or within the days after it."""
        rng, calendar = self.rng, self.calendar
        start = int(rng.random() * len(MEETING_HOURS))
        for offset in range(search_days):
            day = calendar.add(wanted, offset)
            base = calendar.day_number(day) * 24
            for n in range(len(MEETING_HOURS)):
                hour = MEETING_HOURS[(start + n) % len(MEETING_HOURS)]
                if base + hour not in team.busy:
                    team.busy.add(base + hour)
                    return day, hour
        return None

    def _maybe_plan(self, story: ClientStory) -> None:
        rng, calendar = self.rng, self.calendar
        meeting = story.meeting
        held = meeting and meeting.status == MeetingStatus.SCHEDULED and meeting.day < self.today
        if held and rng.random() < 0.8:
            day = calendar.add(meeting.day, _between(rng, 0, 8))
        elif not meeting and rng.random() < 0.06:
            day = calendar.add(story.entered_on, _between(rng, 15, 60))
        else:
            return
        if day > self.today:
            return
        manager = story.case_managers[0]
        managers = [m.user for m in story.case_managers if m.started_on <= day]
        weeks = _one_of(rng, FOLLOW_UP_WEEKS)
        plan = PlanStory(
            organisation=manager.organisation, created_by=manager.user, created_on=day,
            created_at=self._moment(day), follow_up_weeks=weeks,
            case_managers=managers, actions=[], follow_ups=[],
        )
        for _ in range(_between(rng, 2, 4)):
            plan.actions.append(self._action(plan, managers))
        for number in range(1, _between(rng, 1, 3) + 1):
            plan.follow_ups.append(self._follow_up(plan, number, manager.user))
        story.plan = plan
        story.happened(day)
        story.touches.append((plan.created_at, manager.user, Action.PLAN, EMPLOYMENT_DATA))

    def _action(self, plan: PlanStory, managers: list[int]) -> list:
        rng = self.rng
        due = self.calendar.add(plan.created_on, _between(rng, 10, 120))
        roll = rng.random()
        responsible, other = (_one_of(rng, managers), "") if roll < 0.7 else (
            None, _one_of(rng, RESPONSIBLE_OTHERS))
        if due < self.today:
            status = _weighted(rng, PAST_ACTION_STATUSES)
        else:
            status = ActionStatus.PLANNED if rng.random() < 0.7 else ActionStatus.IN_PROGRESS
        done_on = min(due + timedelta(days=_between(rng, -10, 5)), self.today) \
            if status == ActionStatus.DONE else None
        done_on = max(done_on, plan.created_on) if done_on else None
        return [_one_of(rng, ACTIONS), responsible, other, due, status, done_on]

    def _follow_up(self, plan: PlanStory, number: int, manager: int) -> list:
        rng = self.rng
        due = self.calendar.add(plan.created_on + timedelta(weeks=(plan.follow_up_weeks or 8)
                                                            * number), 0)
        if due <= self.today and rng.random() < 0.9:
            done = min(due + timedelta(days=_between(rng, 0, 5)), self.today)
            return [due, done, manager, _one_of(rng, FOLLOW_UP_NOTES)]
        return [due, None, None, ""]

    def _maybe_discussion(self, story: ClientStory) -> None:
        """The feedback discussion after a held team meeting (step 7)."""
        rng, calendar = self.rng, self.calendar
        meeting = story.meeting
        if not (meeting and meeting.status == MeetingStatus.SCHEDULED
                and meeting.day < self.today and rng.random() < 0.75):
            return
        day = calendar.add(meeting.day, _between(rng, 3, 12))
        manager = story.case_managers[0]
        held = day <= self.today and rng.random() < 0.92
        story.discussions.append(DiscussionStory(
            organisation=manager.organisation, holder=manager.user,
            created_at=self._moment(min(meeting.day + timedelta(days=1), self.today)),
            scheduled_for=calendar.at(day, 480 + 30 * int(rng.random() * 14)),
            held_on=day if held else None, is_final=False,
            follows_own_affairs=_weighted(rng, FOLLOWS_OWN_AFFAIRS) if held else "",
            meeting=meeting,
        ))
        if held:
            story.happened(day)
            story.touches.append((self._moment(day), manager.user,
                                  Action.FEEDBACK_DISCUSSION, EMPLOYMENT_DATA))

    # Closing and what follows from it ---------------------------------------------------------

    def _maybe_close(self, story: ClientStory) -> None:
        """About half of the clients who came long enough ago have gone on (step 9)."""
        rng, calendar = self.rng, self.calendar
        finished = {ReferralStatus.ACKNOWLEDGED, ReferralStatus.GIVEN_TO_CLIENT,
                    ReferralStatus.CANCELLED}
        if (story.entered_on > self.today - timedelta(days=90) or rng.random() >= 0.55
                or any(r.status not in finished for r in story.referrals)):
            return
        closed = calendar.add(story.last_day, _between(rng, 5, 60))
        if closed >= self.today:
            return
        story.status = ClientStatus.CLOSED
        story.closed_on = closed
        story.closing_reason = _weighted(rng, CLOSING_REASONS)
        for manager in story.case_managers:
            manager.ended_on = closed
        manager = story.case_managers[0]
        story.discussions.append(DiscussionStory(
            organisation=manager.organisation, holder=manager.user,
            created_at=self._moment(closed), scheduled_for=None,
            held_on=closed, is_final=True,
            follows_own_affairs=_weighted(rng, FOLLOWS_OWN_AFFAIRS),
        ))
        story.touches.append((self._moment(closed), manager.user, Action.CLOSE_CLIENT,
                              EMPLOYMENT_DATA))
        if story.plan:
            self._end_plan(story.plan, closed)

    def _end_plan(self, plan: PlanStory, closed: date) -> None:
        rng = self.rng
        plan.status = PlanStatus.ENDED
        for action in plan.actions:
            if action[4] in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
                done = rng.random() < 0.5
                action[4] = ActionStatus.DONE if done else ActionStatus.CANCELLED
                action[5] = max(min(action[3], closed), plan.created_on) if done else None
            elif action[5] and action[5] > closed:
                action[5] = closed
        plan.follow_ups = [[due, min(done, closed), by, notes]
                           for due, done, by, notes in plan.follow_ups if due <= closed and done]

    def _notifications(self, story: ClientStory) -> None:
        """The bell's rows for what came due in the last six weeks, read or not."""
        rng, today = self.rng, self.today
        since = today - timedelta(days=42)
        found = []
        if story.plan:
            for _what, responsible, _other, due, status, _done in story.plan.actions:
                if responsible and since <= due <= today:
                    found.append((responsible, ReminderKind.ACTION, due, "plan",
                                  status in (ActionStatus.DONE, ActionStatus.CANCELLED)))
            for due, done, _by, _notes in story.plan.follow_ups:
                if since <= due <= today:
                    found.append((story.plan.created_by, ReminderKind.FOLLOW_UP, due, "plan",
                                  done is not None))
        for discussion in story.discussions:
            if discussion.meeting and since <= discussion.scheduled_for.date() <= today:
                found.append((discussion.holder, ReminderKind.FEEDBACK_DISCUSSION,
                               discussion.scheduled_for.date(), "discussion",
                               discussion.held_on is not None))
        for referral in story.referrals:
            check = referral.check
            if check and story.status == ClientStatus.ACTIVE:
                due = check.performed_on + timedelta(days=365)
                if since <= due <= today:
                    found.append((story.case_managers[0].user, ReminderKind.HEALTH_CHECK, due,
                                  "client", False))
        for user, kind, due, target, settled in found:
            read = settled or rng.random() < 0.5
            story.notifications.append((user, kind, due, target, read))

    def _access_log(self, story: ClientStory) -> None:
        """Some of the moments someone handled the client's data, as the log keeps them."""
        rng = self.rng
        touches = [touch for touch in story.touches if touch[0] <= self.now]
        count = _weighted(rng, ACCESS_LOG_ROWS)
        for _ in range(count if touches else 0):
            at, user, action, categories = _one_of(rng, touches)
            story.access_log.append((min(at + timedelta(minutes=_between(rng, 0, 90)), self.now),
                                     user, action, categories))


def _weighted(rng, weights: Weights):
    return weights.values[bisect_left(weights.cumulative, rng.random() * weights.cumulative[-1])]


def _between(rng, low: int, high: int) -> int:
    """rng.randint(low, high), several times faster: it is called millions of times."""
    return low + int(rng.random() * (high - low + 1))


def _one_of(rng, items):
    return items[int(rng.random() * len(items))]


def _score(rng, mean: float) -> int:
    return min(10, max(0, round(rng.gauss(mean, 2))))


def _last_name(rng) -> str:
    # Common names far more often: a search for Korhonen finds many, as it would.
    return LAST_NAMES[bisect_left(LAST_NAME_CUM_WEIGHTS, rng.random() * LAST_NAME_CUM_WEIGHTS[-1])]


ACCESS_LOG_ROWS = Weights({0: 25, 1: 50, 2: 20, 3: 5})
NURSE_VIEWS = Weights({NurseView.UNEMPLOYED: 55, NurseView.SICK: 25, NurseView.UNCLEAR: 20})
FEEDBACK_CHANNELS = Weights({FeedbackChannel.IN_PERSON: 60, FeedbackChannel.LETTER: 15,
                     FeedbackChannel.PHONE: 20, FeedbackChannel.NOT_GIVEN: 5})
PAST_ACTION_STATUSES = Weights({ActionStatus.DONE: 65, ActionStatus.IN_PROGRESS: 15,
                        ActionStatus.PLANNED: 10, ActionStatus.CANCELLED: 10})
FOLLOWS_OWN_AFFAIRS = Weights({FollowUpAbility.YES: 50, FollowUpAbility.PARTLY: 35,
                       FollowUpAbility.NO: 15})
FOLLOW_UP_WEEKS = [4, 6, 8, 8, 12, None]


# --- Rows --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """A table as COPY and INSERT name it: the model's table and its fields' columns. `key`
    names the method of Rows that makes its rows."""

    key: str
    model: type
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.key.replace("_", " ")

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [self.model._meta.get_field(name).column for name in self.fields]


CLIENT_FIELDS = ("id", "client", "organisation", "created_by", "created_at")

# In the order they are written: parents before the rows that name them.
TABLES = [
    Table("clients", Client, (
        "id", "first_name", "last_name", "hetu", "hetu_ending", "date_of_birth", "municipality",
        "phone", "email", "street_address", "postal_code", "post_office", "language",
        "interpreter_language", "status", "closed_on", "closing_reason", "own_nurse",
        "organisation", "created_at", "updated_at")),
    Table("client_organisations", ClientRelationship, (
        "client", "organisation", "basis", "started_at", "carries_card", "ended_reason",
        "first_name", "last_name", "phone", "email", "street_address", "postal_code",
        "post_office", "language", "interpreter_language")),
    Table("case_managers", CaseManagerAssignment, (
        "client", "user", "organisation", "assigned_by_organisation", "started_on",
        "ended_on")),
    Table("referrals", Referral, (
        *CLIENT_FIELDS, "recipient", "is_self_referral", "reason", "reason_details",
        "services_summary", "responsible_persons", "urgency", "status", "received_at",
        "received_by", "booked_for", "cancelled_at", "cancelled_by", "cancellation_reason")),
    Table("health_checks", HealthCheck, (
        *CLIENT_FIELDS, "referral", "performed_on", "nurse", "doctor", "work_ability",
        "mental_wellbeing", "social_participation", "physical_capacity", "skills", "daily_life",
        "limited_musculoskeletal", "limited_mental_health", "limited_substance_use",
        "limited_cognitive", "limited_other", "limitations", "nurse_view",
        "needs_multiprofessional_assessment", "multiprofessional_reason",
        "doctor_appointment_needed", "direct_physiotherapy", "next_steps")),
    Table("feedback", Feedback, (
        *CLIENT_FIELDS[1:], "referral", "recipient", "given_on", "to_client", "findings",
        "recommendations", "acknowledged_at", "acknowledged_by")),
    Table("doctors_assessments", DoctorAssessment, (
        *CLIENT_FIELDS[1:], "health_check", "assessed_on", "conclusion", "justification",
        "examinations", "b_statement_written", "b_statement_on", "b_statement_purpose",
        "sick_leave_until", "continuation_plan", "client_knows_next_steps")),
    Table("meetings", Meeting, (
        *CLIENT_FIELDS, "team", "starts_at", "ends_at", "mode", "room", "video_link",
        "phone_details", "agenda", "status", "needs_support", "wants_to_work",
        "not_solved_by_basic_services", "client_motivated", "minutes", "uid", "sequence")),
    Table("meeting_participants", MeetingParticipant, (
        "meeting", "user", "name", "organisation_name", "role", "email", "answer", "starts_at",
        "ends_at", "blocks_calendar")),
    Table("support_plans", SupportPlan, (
        *CLIENT_FIELDS, "short_term_goals", "long_term_goals", "follow_up_weeks", "status",
        "updated_at")),
    Table("plan_case_managers", SupportPlan.case_managers.through, ("supportplan", "user")),
    Table("plan_actions", PlanAction, (
        "plan", "what", "responsible", "responsible_other", "due_on", "status", "done_on")),
    Table("follow_ups", FollowUp, ("plan", "due_on", "done_on", "done_by", "notes")),
    Table("feedback_discussions", FeedbackDiscussion, (
        *CLIENT_FIELDS[1:], "meeting", "is_final", "holder", "scheduled_for", "held_on",
        "client_present", "others_present", "reviewed", "follows_own_affairs",
        "support_network")),
    Table("notifications", Notification, (
        "user", "kind", "stage", "client", "url", "due_on", "created_at", "read_at")),
    Table("access_log", AccessLogEntry, (
        "at", "user", "client", "categories", "action", "organisation", "role", "ip_address")),
]


def assign_ids(stories: list[ClientStory], reserve) -> None:
    """Give the batch's parent rows their reserved primary keys, so children can name them."""
    referrals = [referral for story in stories for referral in story.referrals]
    checks = [referral.check for referral in referrals if referral.check]
    meetings = [story.meeting for story in stories if story.meeting]
    plans = [story.plan for story in stories if story.plan]
    for model, rows in ((Client, stories), (Referral, referrals), (HealthCheck, checks),
                        (Meeting, meetings), (SupportPlan, plans)):
        first = reserve(model, len(rows))
        for offset, row in enumerate(rows):
            row.id = first + offset


class Rows:
    """The rows of each table for a batch of stories, in the columns of TABLES."""

    def __init__(self, world: World, now: datetime):
        self.world = world
        self.now = now
        self.urls = {
            "plan": _url("plans:plan", 0), "client": _url("clients:detail", 0),
            "discussion": _url("plans:discussion_create", 0) + "?meeting={}",
        }

    def of(self, table: Table, stories: list[ClientStory]):
        return getattr(self, table.key)(stories)

    def clients(self, stories):
        for s in stories:
            yield (s.id, s.first_name, s.last_name, s.hetu, s.hetu[-4:], birth_date_of(s.hetu),
                   s.municipality, s.phone, s.email, s.address, s.postal_code, s.post_office,
                   s.language, s.interpreter, s.status, s.closed_on, s.closing_reason,
                   s.own_nurse, next(iter(s.organisations)), s.created_at, s.updated_at)

    def client_organisations(self, stories):
        """The first organisation wrote the card; another that met the client typed its own
        name for them (no contact details); one a referral was sent to got the card with it."""
        for s in stories:
            writer = next(iter(s.organisations))
            for organisation, basis in sorted(s.organisations.items()):
                typed = basis == "visit" and organisation != writer
                names = (s.first_name, s.last_name) if typed else ("", "")
                yield (s.id, organisation, basis, s.created_at, basis == "referral", "",
                       *names, "", "", "", "", "", s.language if typed else "", "")

    def case_managers(self, stories):
        for s in stories:
            writer = next(iter(s.organisations))  # the card's writer named them
            for m in s.case_managers:
                yield (s.id, m.user, m.organisation, writer, m.started_on, m.ended_on)

    def referrals(self, stories):
        for s in stories:
            for r in s.referrals:
                yield (r.id, s.id, r.organisation, r.created_by, r.created_at, r.recipient,
                       r.is_self, r.reason, r.reason_details, r.services_summary,
                       r.responsible_persons, r.urgency, r.status, r.received_at,
                       r.received_by, r.booked_for, r.cancelled_at, r.cancelled_by,
                       r.cancellation_reason)

    def health_checks(self, stories):
        for s, r, c in _checks(stories):
            limited = [text for flag, text in zip(c.limits, LIMITATIONS, strict=True) if flag]
            yield (c.id, s.id, r.recipient, c.nurse, c.created_at, r.id, c.performed_on,
                   c.nurse, c.doctor, *c.scores, *c.limits, ", ".join(limited), c.nurse_view,
                   c.needs_meeting, _pick(MEETING_REASONS, c.id) if c.needs_meeting else "",
                   c.doctor_needed, c.physiotherapy, _pick(NEXT_STEPS, c.id))

    def feedback(self, stories):
        for s, r, c in _checks(stories):
            f = c.feedback
            if f:
                yield (s.id, r.recipient, c.nurse, f.created_at, r.id, f.recipient, f.given_on,
                       f.to_client, f.findings, f.recommendations, f.acknowledged_at,
                       f.acknowledged_by)

    def doctors_assessments(self, stories):
        for s, r, c in _checks(stories):
            a = c.assessment
            if a:
                yield (s.id, r.recipient, a.doctor, a.created_at, c.id, a.assessed_on,
                       a.conclusion, _pick(JUSTIFICATIONS, c.id), a.examinations,
                       a.b_statement_on is not None, a.b_statement_on, a.b_statement_purpose,
                       a.sick_leave_until, _pick(CONTINUATION_PLANS, c.id), a.knows_next_steps)

    def meetings(self, stories):
        for s in stories:
            m = s.meeting
            if m:
                held = m.status == MeetingStatus.SCHEDULED and m.ends_at < self.now
                video = m.mode == "video"
                yield (m.id, s.id, m.organisation, m.created_by, m.created_at, m.team,
                       m.starts_at, m.ends_at, m.mode, None,
                       f"https://video.tyokyky.invalid/{m.uid[:12]}" if video else "",
                       "" if video else "Koordinaattori soittaa asiakkaalle.",
                       _pick(AGENDAS, m.id), m.status, True, True, True, True,
                       _pick(MINUTES, m.id) if held else "", m.uid, 0)

    def meeting_participants(self, stories):
        for s in stories:
            m = s.meeting
            if m:
                blocks = m.status == MeetingStatus.SCHEDULED
                for user, answer in m.participants:
                    yield (m.id, user, "", "", "", "", answer, m.starts_at, m.ends_at,
                           blocks and answer != "declined")

    def support_plans(self, stories):
        for s in stories:
            p = s.plan
            if p:
                yield (p.id, s.id, p.organisation, p.created_by, p.created_at,
                       _pick(SHORT_TERM_GOALS, p.id), _pick(LONG_TERM_GOALS, p.id),
                       p.follow_up_weeks, p.status, p.created_at)

    def plan_case_managers(self, stories):
        for s in stories:
            if s.plan:
                for user in dict.fromkeys(s.plan.case_managers):
                    yield (s.plan.id, user)

    def plan_actions(self, stories):
        for s in stories:
            if s.plan:
                for action in s.plan.actions:
                    yield (s.plan.id, *action)

    def follow_ups(self, stories):
        for s in stories:
            if s.plan:
                for follow_up in s.plan.follow_ups:
                    yield (s.plan.id, *follow_up)

    def feedback_discussions(self, stories):
        for s in stories:
            for d in s.discussions:
                held = d.held_on is not None
                yield (s.id, d.organisation, d.holder, d.created_at,
                       d.meeting.id if d.meeting else None, d.is_final, d.holder,
                       d.scheduled_for, d.held_on, s.id % 10 != 0,
                       _pick(OTHERS_PRESENT, s.id) if s.id % 6 == 0 else "",
                       _pick(REVIEWED, s.id) if held else "", d.follows_own_affairs,
                       held and s.id % 3 != 0)

    def notifications(self, stories):
        for s in stories:
            for user, kind, due, target, read in s.notifications:
                if target == "discussion":
                    url = self.urls["discussion"].format(s.id, s.meeting.id)
                else:
                    url = self.urls[target].format(s.id)
                created = min(_morning(due), self.now)
                yield (user, kind, ReminderStage.DUE, s.id, url, due, created,
                       min(created + timedelta(hours=5), self.now) if read else None)

    def access_log(self, stories):
        world = self.world
        for s in stories:
            for at, user, action, categories in s.access_log:
                yield (at, user, s.id, CATEGORIES[categories], action,
                       world.organisation_of[user], world.role_of[user],
                       f"10.{user >> 16 & 255}.{user >> 8 & 255}.{user & 255}")


def _checks(stories):
    for story in stories:
        for referral in story.referrals:
            if referral.check:
                yield story, referral, referral.check


def _pick(texts: list[str], number: int) -> str:
    """A text chosen by a row's number: varied, and with no random draw at writing time."""
    return texts[number % len(texts)]


def _morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


# --- Writing: COPY on PostgreSQL, INSERT elsewhere ---------------------------------------------

class CopyWriter:
    """PostgreSQL: ids reserved by moving the sequence, rows streamed with COPY."""

    def begin_batch(self) -> None:
        with connection.cursor() as cursor:
            # Losing the last batches in a crash is fine for generated data; waiting is not.
            cursor.execute("SET LOCAL synchronous_commit TO off")

    def reserve(self, model, count: int) -> int:
        if not count:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [model._meta.db_table, model._meta.db_table, count],
            )
            return cursor.fetchone()[0] - count + 1

    def write(self, table: Table, rows) -> int:
        quote = connection.ops.quote_name
        statement = (f"COPY {quote(table.name)} ({', '.join(map(quote, table.columns))}) "
                     "FROM STDIN")
        written = 0
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def finish(self, tables) -> None:
        """Fresh statistics, as autovacuum would gather: without them the planner guesses."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(table.name) for table in tables)}")


class InsertWriter:
    """SQLite and the rest: ids after the largest one, rows by executemany."""

    def begin_batch(self) -> None:
        pass

    def reserve(self, model, count: int) -> int:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 (a model's table)
            return (cursor.fetchone()[0] or 0) + 1

    def write(self, table: Table, rows) -> int:
        adapt = connection.ops.adapt_datetimefield_value
        rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
        quote = connection.ops.quote_name
        columns = ", ".join(map(quote, table.columns))
        values = ", ".join(["%s"] * len(table.columns))
        # A model's table and columns, no input: nothing to inject.
        statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({values})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)
        return len(rows)

    def finish(self, tables) -> None:
        pass


# --- The run -----------------------------------------------------------------------------------

class HetuSource:
    """Personal identity codes in the generated order, leaving out any already in use."""

    def __init__(self, start: int):
        self.next_index = start

    def take(self, count: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < count:
            if self.next_index + count - len(codes) > HETU_SPACE:
                raise OverflowError("The generated personal identity codes have run out.")
            candidates = [hetu_for_index(self.next_index + n) for n in range(count - len(codes))]
            self.next_index += len(candidates)
            taken = set()
            for start in range(0, len(candidates), 5000):
                taken.update(Client.objects.filter(hetu__in=candidates[start:start + 5000])
                              .values_list("hetu", flat=True))
            codes += [code for code in candidates if code not in taken]
        return codes


def demo_area_clients(total: int) -> int:
    """How many of `total` clients live in Kainuu: a few thousand at scale."""
    return min(DEMO_AREA_MAX_CLIENTS, max(total // 20, min(total, DEMO_AREA_MIN_CLIENTS)))


class BatchWriter:
    """Writes one batch of stories in one transaction, counting rows per table."""

    def __init__(self, writer, rows: Rows, on_written):
        self.writer = writer
        self.rows = rows
        self.on_written = on_written
        self.counts = dict.fromkeys((table.label for table in TABLES), 0)

    def __call__(self, stories: list[ClientStory]) -> None:
        with transaction.atomic():
            self.writer.begin_batch()
            assign_ids(stories, self.writer.reserve)
            for table in TABLES:
                self.counts[table.label] += self.writer.write(table,
                                                              self.rows.of(table, stories))
        self.on_written(len(stories), self.counts)


class Pipeline:
    """
    Writes batches in a second thread, on its own database connection, while the main thread
    draws the next batch: Python and PostgreSQL each keep one core busy instead of taking turns.
    """

    def __init__(self, write):
        self.write = write
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="scale-data-writer")
        self.thread.start()

    def _work(self) -> None:
        try:
            while (stories := self.queue.get()) is not None:
                if self.error is None:
                    self.write(stories)
        except BaseException as error:  # handed over to the main thread in send() and close()
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()  # this thread's own connection

    def send(self, stories: list[ClientStory]) -> None:
        if self.error:
            raise self.error
        self.queue.put(stories)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            raise self.error


@dataclass
class Run:
    """Generates `clients` clients in batches and reports progress to `progress(line)`."""

    clients: int
    seed: int
    batch_size: int
    password_hash: str
    progress: object
    started: float = field(default_factory=time.perf_counter)
    written: int = 0

    def __call__(self) -> dict[str, int]:
        calendar = Calendar(datetime.now(HELSINKI).date())
        world = build_world(password_hash=self.password_hash, calendar=calendar)
        self.progress(f"World ready in {self._elapsed():.1f} s: {len(world.areas)} areas and "
                      f"Kainuu, {len(world.role_of):,} staff.")
        start = Client.objects.count()
        rng = random.Random(f"{self.seed}:{start}")  # noqa: S311 (test data, not secrets)
        drawer = Drawer(world, calendar, rng,
                        demo_share=demo_area_clients(self.clients) / self.clients)
        writer = CopyWriter() if connection.vendor == "postgresql" else InsertWriter()
        write = BatchWriter(writer, Rows(world, drawer.now), self._report)
        # Inside a transaction (a test) another connection would not see the world: no thread.
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        pipeline = Pipeline(write) if threaded else None
        send = pipeline.send if pipeline else write
        hetus = HetuSource(start)
        try:
            for size in self._batch_sizes():
                send([drawer.draw(hetu) for hetu in hetus.take(size)])
        finally:
            if pipeline:
                pipeline.close()
        analysed = time.perf_counter()
        writer.finish(TABLES)
        if connection.vendor == "postgresql":
            self.progress(f"ANALYZE in {time.perf_counter() - analysed:.1f} s.")
        return write.counts

    def _batch_sizes(self):
        for done in range(0, self.clients, self.batch_size):
            yield min(self.batch_size, self.clients - done)

    def _elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _report(self, batch: int, counts: dict) -> None:
        self.written += batch
        rows = sum(counts.values())
        elapsed = self._elapsed()
        self.progress(f"{self.written:>10,} / {self.clients:,} clients {rows:>12,} rows "
                      f"{rows / elapsed:>9,.0f} rows/s {elapsed:>8.1f} s")


# --- Names and words ---------------------------------------------------------------------------

# Finland's municipalities (2024), Kainuu's eight among them: seed_demo has those already.
MUNICIPALITY_NAMES = """
Akaa Alajärvi Alavieska Alavus Asikkala Askola Aura Brändö Eckerö Enonkoski Enontekiö Espoo
Eura Eurajoki Evijärvi Finström Forssa Föglö Geta Haapajärvi Haapavesi Hailuoto Halsua Hamina
Hammarland Hankasalmi Hanko Harjavalta Hartola Hattula Hausjärvi Heinola Heinävesi Helsinki
Hirvensalmi Hollola Honkajoki Huittinen Humppila Hyrynsalmi Hyvinkää Hämeenkyrö Hämeenlinna Ii
Iisalmi Iitti Ikaalinen Ilmajoki Ilomantsi Imatra Inari Inkoo Isojoki Isokyrö Janakkala Joensuu
Jokioinen Jomala Joroinen Joutsa Juuka Juupajoki Juva Jyväskylä Jämijärvi Jämsä Järvenpää
Kaarina Kaavi Kajaani Kalajoki Kangasala Kangasniemi Kankaanpää Kannonkoski Kannus Karijoki
Karkkila Karstula Karvia Kaskinen Kauhajoki Kauhava Kauniainen Kaustinen Keitele Kemi
Kemijärvi Keminmaa Kemiönsaari Kempele Kerava Keuruu Kihniö Kinnula Kirkkonummi Kitee Kittilä
Kiuruvesi Kivijärvi Kokemäki Kokkola Kolari Konnevesi Kontiolahti Korsnäs Koski_Tl Kotka
Kouvola Kristiinankaupunki Kruunupyy Kuhmo Kuhmoinen Kumlinge Kuopio Kuortane Kurikka Kustavi
Kuusamo Kyyjärvi Kärkölä Kärsämäki Kökar Lahti Laihia Laitila Lapinjärvi Lapinlahti Lappajärvi
Lappeenranta Lapua Laukaa Lemi Lemland Lempäälä Leppävirta Lestijärvi Lieksa Lieto Liminka
Liperi Lohja Loimaa Loppi Loviisa Luhanka Lumijoki Lumparland Luoto Luumäki Maalahti
Maarianhamina Marttila Masku Merijärvi Merikarvia Miehikkälä Mikkeli Muhos Multia Muonio
Mustasaari Muurame Mynämäki Myrskylä Mäntsälä Mänttä-Vilppula Mäntyharju Naantali Nakkila
Nivala Nokia Nousiainen Nurmes Nurmijärvi Närpiö Orimattila Oripää Orivesi Oulainen Oulu
Outokumpu Padasjoki Paimio Paltamo Parainen Parikkala Parkano Pedersöre Pelkosenniemi Pello
Perho Pertunmaa Petäjävesi Pieksämäki Pielavesi Pietarsaari Pihtipudas Pirkkala Polvijärvi
Pomarkku Pori Pornainen Porvoo Posio Pudasjärvi Pukkila Punkalaidun Puolanka Puumala Pyhtää
Pyhäjoki Pyhäjärvi Pyhäntä Pyhäranta Pälkäne Pöytyä Raahe Raasepori Raisio Rantasalmi Ranua
Rauma Rautalampi Rautavaara Rautjärvi Reisjärvi Riihimäki Ristijärvi Rovaniemi Ruokolahti
Ruovesi Rusko Rääkkylä Saarijärvi Salla Salo Saltvik Sastamala Sauvo Savitaipale Savonlinna
Savukoski Seinäjoki Sievi Siikainen Siikajoki Siikalatva Siilinjärvi Simo Sipoo Siuntio
Sodankylä Soini Somero Sonkajärvi Sotkamo Sottunga Sulkava Sund Suomussalmi Suonenjoki Sysmä
Säkylä Taipalsaari Taivalkoski Taivassalo Tammela Tampere Tervo Tervola Teuva Tohmajärvi
Toholampi Toivakka Tornio Turku Tuusniemi Tuusula Tyrnävä Ulvila Urjala Utajärvi Utsjoki
Uurainen Uusikaarlepyy Uusikaupunki Vaala Vaasa Valkeakoski Valtimo Vantaa Varkaus Vehmaa
Vesanto Vesilahti Veteli Vieremä Vihti Viitasaari Vimpeli Virolahti Virrat Vårdö Vöyri
Ylitornio Ylivieska Ylöjärvi Ypäjä Ähtäri Äänekoski
""".split()  # noqa: SIM905 (a literal would take 300 lines)
MUNICIPALITY_NAMES = [name.replace("_", " ") for name in MUNICIPALITY_NAMES]

# Roughly the population in thousands, for the larger ones; the rest get 1.5-12.
LARGE_MUNICIPALITIES = {
    "Helsinki": 675, "Espoo": 320, "Tampere": 255, "Vantaa": 250, "Oulu": 215, "Turku": 200,
    "Jyväskylä": 147, "Kuopio": 125, "Lahti": 121, "Pori": 83, "Kouvola": 78, "Joensuu": 78,
    "Lappeenranta": 73, "Hämeenlinna": 68, "Vaasa": 68, "Seinäjoki": 65, "Rovaniemi": 65,
    "Mikkeli": 52, "Porvoo": 51, "Salo": 51, "Kotka": 51, "Kokkola": 48, "Hyvinkää": 47,
    "Lohja": 46, "Järvenpää": 46, "Nurmijärvi": 45, "Kirkkonummi": 41, "Tuusula": 40,
    "Rauma": 38, "Kerava": 38, "Kajaani": 36, "Nokia": 36, "Kaarina": 36, "Ylöjärvi": 34,
    "Kangasala": 33, "Savonlinna": 31, "Vihti": 29, "Riihimäki": 29, "Raasepori": 27,
    "Imatra": 25, "Raisio": 25, "Lempäälä": 24, "Raahe": 24, "Sastamala": 24, "Hollola": 23,
    "Sipoo": 22, "Tornio": 21, "Iisalmi": 21, "Valkeakoski": 21, "Siilinjärvi": 21,
    "Mäntsälä": 21, "Lieto": 21, "Varkaus": 20, "Kemi": 20, "Kurikka": 20, "Pirkkala": 20,
    "Jämsä": 20, "Kempele": 19, "Naantali": 19, "Hamina": 19, "Laukaa": 19, "Pietarsaari": 19,
    "Mustasaari": 19, "Äänekoski": 18, "Heinola": 18, "Forssa": 17, "Pieksämäki": 17,
    "Sotkamo": 10, "Kuhmo": 8, "Suomussalmi": 7, "Paltamo": 3, "Puolanka": 2.5,
    "Hyrynsalmi": 2, "Ristijärvi": 1.2,
}

FIRST_NAMES = [
    "Aino", "Anna", "Anne", "Anni", "Elina", "Emilia", "Emma", "Hanna", "Heidi", "Helena",
    "Johanna", "Julia", "Katja", "Kirsi", "Laura", "Leena", "Liisa", "Maria", "Marja", "Minna",
    "Noora", "Pauliina", "Riikka", "Sanna", "Sari", "Satu", "Suvi", "Tiina", "Tuula", "Veera",
    "Aleksi", "Antti", "Eero", "Eetu", "Heikki", "Jari", "Joni", "Juha", "Juho", "Jukka",
    "Jussi", "Kari", "Lauri", "Markku", "Matti", "Mikko", "Niko", "Pekka", "Petri", "Sami",
    "Teemu", "Timo", "Tuomas", "Ville", "Mohamed", "Ahmed", "Olga", "Fatima", "Erik", "Linnea",
]

# The commonest Finnish surnames first: they are drawn the most often.
LAST_NAMES = [
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
    "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
    "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Ojala",
    "Leinonen", "Hiltunen", "Miettinen", "Kallio", "Pitkänen", "Hirvonen", "Väisänen",
    "Lehto", "Aaltonen", "Kettunen", "Leppänen", "Manninen", "Eskelinen", "Huttunen",
    "Kemppainen", "Pulkkinen", "Karppinen", "Rytkönen", "Moilanen", "Komulainen", "Tervo",
    "Kähkönen", "Räsänen", "Anttila", "Seppälä", "Mustonen", "Hakala", "Peltonen", "Toivonen",
    "Vainio", "Lindholm", "Lindqvist", "Nyström", "Söderberg", "Rautio", "Ahola", "Rinne",
    "Hyvönen", "Partanen", "Backman", "Holmberg", "Kivelä", "Niskanen", "Oksanen", "Parviainen",
    "Tolonen", "Sirviö", "Hyttinen", "Kauppinen", "Koponen", "Lappalainen", "Markkanen",
    "Nurmi", "Pesonen", "Rissanen", "Suominen", "Tikkanen", "Vartiainen", "Vesterinen",
    "Haddad", "Ali", "Ivanova", "Nguyen",
]
LAST_NAME_CUM_WEIGHTS = _cumulative([1 / (rank + 20) for rank in range(len(LAST_NAMES))])

STREETS = [
    "Koulukatu", "Kirkkokatu", "Rantatie", "Asematie", "Myllytie", "Puistokatu", "Kauppakatu",
    "Koivukuja", "Mäntytie", "Pappilantie", "Harjukatu", "Teollisuustie", "Kalliokatu",
    "Metsätie", "Peltotie", "Sairaalantie", "Opintie", "Torikatu", "Uimarinkatu", "Kuusikuja",
]
INTERPRETER_LANGUAGES = ["arabia", "somali", "venäjä", "ukraina", "dari", "kurdi", "viro",
                         "englanti", "persia", "thai"]

SERVICES_SUMMARIES = [
    "Uravalmennus, työnhaku tuotantoalalle",
    "Työkokeilu kaupan alalla keskeytyi kolmen viikon jälkeen",
    "Kuntouttava työtoiminta kaksi päivää viikossa",
    "Ammatillinen koulutus keskeytynyt, työnhakijana",
    "Palkkatuettu työ päättyi, ei uutta työtä",
    "Työvoimakoulutus logistiikka-alalle haettu",
    "Ei palveluja tällä hetkellä",
    "Mielenterveyspalvelujen asiakas, työnhaku tauolla",
    "Työpajajakso puutyöpajassa",
    "Kotoutumiskoulutus ja suomen kielen kurssi",
]
REASON_DETAILS = [
    "Pitkittyneet selkävaivat rajoittavat työnhakua",
    "Väsymystä ja uniongelmia, asiakas toivoo arviota",
    "Edellisestä tarkastuksesta on yli vuosi",
    "Työkokeilussa ilmeni vaikeuksia jaksaa",
    "Päihteiden käyttö huolettaa",
]
CANCELLATION_REASONS = [
    "Asiakas muutti toiselle paikkakunnalle",
    "Asiakas työllistyi",
    "Asiakas peruutti, ei halua tarkastusta nyt",
    "Lähete tehty vahingossa kahteen kertaan",
]
LIMITATIONS = [
    "tuki- ja liikuntaelinten vaivat", "mielialan lasku ja uupumus", "päihteiden käyttö",
    "muistin ja keskittymisen vaikeudet", "muu sairaus",
]
MEETING_REASONS = [
    "Useita palveluja, tilanne ei etene", "Työkyky epäselvä, tarvitaan usean alan arvio",
    "Terveydentila ja työnhaku pitää sovittaa yhteen",
]
NEXT_STEPS = [
    "Lääkärin vastaanotto kuukauden sisällä",
    "Työnhaku jatkuu, uusi tarkastus vuoden päästä",
    "Fysioterapeutin arvio ja työkokeilu",
    "Ohjaus mielenterveyspalveluihin, seuranta puhelimitse",
    "Monialainen tapaaminen tiimissä",
]
FINDINGS = [
    "Selkävaivat rajoittavat raskasta työtä; kevyt työ onnistuu",
    "Mieliala matala, unirytmi hajallaan; työkyky alentunut",
    "Ei terveydellistä estettä työllistymiselle",
    "Kuormittuminen nopeaa; osa-aikatyö sopisi",
    "Päihteiden käyttö vaikeuttaa sitoutumista, tuki tarpeen",
]
RECOMMENDATIONS = [
    "Työkokeilu kevyessä työssä, fysioterapia",
    "Hoito mielenterveyspalveluissa ennen työnhakua",
    "Työnhaku jatkuu, uravalmennus",
    "Lääkärin arvio työkyvystä ja kuntoutusmahdollisuuksista",
    "Osa-aikainen palkkatuettu työ",
]
EXAMINATIONS = ["Laboratoriokokeet", "Selän magneettikuvaus", "Lähete psykiatrian poliklinikalle",
                "Muistitutkimukset", "Fysioterapeutin arvio"]
JUSTIFICATIONS = [
    "Sairaus on hoidossa ja työkyky riittää kevyeen työhön",
    "Työkyky on alentunut pitkäaikaisesti, kuntoutus tarpeen ensin",
    "Hoito kesken; työkykyä arvioidaan uudelleen hoidon jälkeen",
]
CONTINUATION_PLANS = [
    "Kelan ammatillinen kuntoutusselvitys",
    "Sairauspoissaolo ja hoito, sen jälkeen työkokeilu",
    "Työnhaku jatkuu TE-palveluissa",
    "Kuntoutustutkimus ja seurantakäynti kolmen kuukauden päästä",
]
AGENDAS = ["Tilannekuva, tavoite ja tuki", "Työkyvyn arvio ja jatkosuunnitelma",
           "Kuntoutusvaihtoehdot ja vastuuhenkilö"]
MINUTES = [
    "Tilanne käytiin läpi. Tavoitteena työkokeilu; vastuuhenkilö sovittu.",
    "Lääkärin arvio tarpeen ennen kuntoutusta. Palautekeskustelu sovittu.",
    "Asiakas motivoitunut, kuntouttava työtoiminta alkaa. Seuranta kuukauden päästä.",
]
SHORT_TERM_GOALS = [
    "Saan unirytmin kuntoon ja käyn työpajalla kolmena päivänä viikossa",
    "Pääsen työkokeiluun kevyeen työhön",
    "Selkä kestää kävelyn ja arkiaskareet",
    "Haen kolmea työpaikkaa kuukaudessa",
]
LONG_TERM_GOALS = ["", "Osa-aikainen työ omalta alalta", "Ammatillinen koulutus",
                   "Vakituinen työ kaupan alalla"]
ACTIONS = [
    "Työkokeilu kaupan alalla", "Fysioterapeutin arvio", "Kelan kuntoutusselvityksen haku",
    "Uravalmennuksen aloitus", "Velkaneuvonta", "Lääkärin vastaanotto",
    "Työpajajakso", "Asuntoasioiden selvittäminen",
]
RESPONSIBLE_OTHERS = ["Asiakas itse", "Tukihenkilö", "Kelan palvelupiste",
                      "Työpajan ohjaaja", "Oppilaitoksen opinto-ohjaaja"]
FOLLOW_UP_NOTES = ["Asiakas kertoo tilanteen edenneen sovitusti.",
                   "Työkokeilu alkoi, jaksaminen hyvä.",
                   "Uusi aika fysioterapiaan, muuten ennallaan.",
                   "Tilanne vaikeutunut; uusi tapaaminen sovittu."]
OTHERS_PRESENT = ["Äiti tukena", "Tukihenkilö järjestöstä", "Puoliso"]
REVIEWED = [
    "Kävimme läpi tapaamisen päätökset ja tavoitteen. Asiakas hyväksyy suunnitelman.",
    "Tilanne on edennyt: työkokeilu sovittu, lääkärin arvio tehty.",
    "Asiakas ymmärtää jatkon; tukiverkko on kunnossa.",
]
