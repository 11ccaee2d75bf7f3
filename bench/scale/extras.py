"""
The extras of a client's story: consents with their categories, recipients and confirmations,
disclosure bans, situation notes and the decisions of a held team meeting — what exercises the
consent branch of the access policy at scale.

They are drawn from what is already known of the client (ClientFacts): from the story itself in
a full run, or read back from the database in the add-on pass (extras_only.py) over clients an
older generator made. Each client's extras come from a random generator of their own, seeded by
the run's seed and the client's personal identity code, so both ways give the same rows, and
the add-on pass may be run again, or resumed, without drawing anything twice.

Every row is one the product could have written (consents/services.py, meetings/services.py):
a consent is recorded by staff of an organisation that serves the client and opens that
organisation's data at once; another serving organisation confirms it for its own data; a few
the client gave or confirmed in their own service; some are revoked or have expired.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from clients.records import DataCategory
from consents.models import ConsentMethod
from meetings.models import MeetingStatus
from teams.models import Role, Sector

from .calendar import HELSINKI, Calendar
from .client_story import CASE_MANAGER_ROLE
from .draws import Weights, between, one_of, weighted
from .stories import CaseManagerStory, ClientStory, MeetingStory
from .words import (
    BAN_REASONS,
    CONSENT_PURPOSES,
    DECISION_FOLLOW_UPS,
    DOCTOR_APPOINTMENTS,
    FINANCIAL_SUPPORTS,
    INFORMATION_FOR_DOCTOR,
    NOTE_TEXTS,
    QUESTIONS_FOR_DOCTOR,
    REALISTIC_GOALS,
    REVOCATION_REASONS,
    SUPPORTS,
)
from .world import Area, World

C = DataCategory
# How likely a client has a consent: most of those the team meets, fewer of the rest.
CONSENT_SHARE_WITH_MEETING, CONSENT_SHARE = 0.85, 0.57
# Each category's chance of being in a consent (at least two are always chosen).
CATEGORY_SHARES = {C.IDENTITY: 0.92, C.EMPLOYMENT: 0.85, C.HEALTH: 0.55, C.SOCIAL: 0.35,
                   C.BENEFITS: 0.4}
METHODS = Weights({ConsentMethod.WRITTEN: 55, ConsentMethod.ELECTRONIC: 15,
                   ConsentMethod.VERBAL: 30})
# Sectors a consent may name whole, besides organisations: "every Kela office".
CONSENT_SECTORS = Weights({Sector.KELA: 60, Sector.TYP: 25, Sector.THIRD_SECTOR: 15})
BANNED_SECTORS = [Sector.KELA, Sector.THIRD_SECTOR, Sector.SOCIAL, Sector.MENTAL_HEALTH,
                  Sector.REHABILITATION]
NOTES_PER_CLIENT = Weights({0: 30, 1: 35, 2: 22, 3: 13})
# What each sector's staff write down of the client's situation.
NOTE_CATEGORIES = {
    Sector.EMPLOYMENT: Weights({C.EMPLOYMENT: 70, C.BENEFITS: 10, C.SOCIAL: 10, C.IDENTITY: 10}),
    Sector.HEALTH: Weights({C.HEALTH: 80, C.EMPLOYMENT: 10, C.IDENTITY: 10}),
    Sector.SOCIAL: Weights({C.SOCIAL: 60, C.BENEFITS: 25, C.EMPLOYMENT: 10, C.IDENTITY: 5}),
    Sector.MENTAL_HEALTH: Weights({C.HEALTH: 70, C.SOCIAL: 30}),
    Sector.KELA: Weights({C.BENEFITS: 85, C.EMPLOYMENT: 15}),
    Sector.TYP: Weights({C.EMPLOYMENT: 45, C.SOCIAL: 30, C.BENEFITS: 15, C.HEALTH: 10}),
    Sector.REHABILITATION: Weights({C.HEALTH: 50, C.EMPLOYMENT: 50}),
    Sector.THIRD_SECTOR: Weights({C.EMPLOYMENT: 50, C.SOCIAL: 50}),
}


@dataclass(slots=True)
class ClientFacts:
    """What the extras are drawn from: the client as the service path left them."""

    hetu: str
    area: Area
    writer: int  # the organisation that wrote the client's card
    organisations: list[int]  # the organisations that serve the client, by id
    case_managers: list[CaseManagerStory]
    own_nurse: int | None
    created_at: datetime
    closed_on: date | None
    meeting: MeetingStory | None  # the team meeting, held or not
    meeting_held: bool = False
    discussion_at: datetime | None = None  # the feedback discussion booked after it

    @property
    def entered_on(self) -> date:
        return self.created_at.astimezone(HELSINKI).date()


@dataclass(slots=True)
class ConsentStory:
    recorded_by: int | None
    organisation: int | None
    method: str
    heard_by: int | None
    valid_from: date
    valid_until: date | None
    recorded_at: datetime
    purpose: str
    categories: list
    recipients: list
    sectors: list
    given_by_client: bool = False
    confirmations: list = field(default_factory=list)  # (organisation, user, at)
    confirmed_by_client_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: int | None = None
    revoked_by_client: bool = False
    revocation_reason: str = ""
    id: int = 0


@dataclass(slots=True)
class BanStory:
    organisation: int | None
    sector: str
    reason: str
    recorded_by: int | None
    recorded_by_organisation: int | None
    recorded_at: datetime
    lifted_at: datetime | None = None
    lifted_by: int | None = None

    @property
    def by_client(self) -> bool:
        return self.recorded_by is None


@dataclass(slots=True)
class NoteStory:
    organisation: int
    created_by: int
    created_at: datetime
    category: str
    text: str


@dataclass(slots=True)
class DecisionStory:
    meeting: MeetingStory
    decided_by: int
    updated_at: datetime
    realistic_goal: str
    support: str
    financial_support: str
    follow_up: str
    follow_up_by: int
    feedback_discussion_holder: int
    feedback_discussion_at: datetime | None
    case_managers: list
    doctor: int | None = None
    information_for_doctor: str = ""
    questions_for_doctor: str = ""
    statement_possible_now: bool = False
    doctor_appointment: str = ""
    id: int = 0


@dataclass(slots=True)
class Extras:
    consents: list = field(default_factory=list)
    bans: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    decision: DecisionStory | None = None

    @property
    def rows(self) -> int:
        return len(self.consents) + len(self.bans) + len(self.notes) + bool(self.decision)


def facts_of_story(story: ClientStory, now: datetime) -> ClientFacts:
    """The facts of a story drawn in this run (its ids are given only when it is written)."""
    meeting = story.meeting
    discussion = next((d.scheduled_for for d in story.discussions
                       if meeting and d.meeting is meeting), None)
    return ClientFacts(
        hetu=story.hetu, area=story.area, writer=next(iter(story.organisations)),
        organisations=sorted(story.organisations), case_managers=story.case_managers,
        own_nurse=story.own_nurse, created_at=story.created_at, closed_on=story.closed_on,
        meeting=meeting, discussion_at=discussion,
        # As rows.py writes the minutes: a meeting that has ended has been held.
        meeting_held=bool(meeting and meeting.status == MeetingStatus.SCHEDULED
                          and meeting.ends_at < now),
    )


class ExtrasDrawer:
    """Draws the extras of one client after another, each from a generator of its own."""

    def __init__(self, world: World, calendar: Calendar, now: datetime, seed: int):
        self.world = world
        self.calendar = calendar
        self.today = calendar.today
        self.now = now
        self.seed = seed
        self.sector_of = {organisation: sector
                          for area in [*world.areas, world.demo_area]
                          for sector, organisations in area.organisations.items()
                          for organisation in organisations}

    def draw(self, facts: ClientFacts) -> Extras:
        rng = random.Random(f"{self.seed}:extras:{facts.hetu}")  # noqa: S311 (test data)
        extras = Extras()
        # The first draws decide who gets what, so that does not change from day to day.
        banned, consented = rng.random() < 0.01, rng.random()
        if consented < (CONSENT_SHARE_WITH_MEETING if facts.meeting else CONSENT_SHARE):
            extras.consents.append(self._consent(rng, facts, facts.writer
                                                 if rng.random() < 0.8 else None))
            if rng.random() < 0.12:  # a second one, e.g. for Kela's benefits
                extras.consents.append(self._consent(rng, facts, None, second=True))
        if banned:
            extras.bans.append(self._ban(rng, facts))
        for _ in range(weighted(rng, NOTES_PER_CLIENT)):
            extras.notes.append(self._note(rng, facts))
        if facts.meeting_held and rng.random() < 0.9:
            extras.decision = self._decision(rng, facts)
        return extras

    # Who and when -------------------------------------------------------------------------

    def staff(self, rng, facts: ClientFacts, organisation: int, day: date) -> int:
        """Who of the organisation writes about the client: their case manager there, the
        own nurse, or a colleague in the sector's client work."""
        managers = [m.user for m in facts.case_managers if m.organisation == organisation
                    and m.started_on <= day and (m.ended_on is None or m.ended_on >= day)]
        if managers:
            return managers[0]
        nurse = facts.own_nurse
        if nurse and self.world.organisation_of.get(nurse) == organisation:
            return nurse
        sector = self.sector_of.get(organisation, Sector.HEALTH)
        return self.world.pick(rng, organisation, CASE_MANAGER_ROLE[sector])

    def last_day(self, facts: ClientFacts) -> date:
        return min(facts.closed_on or self.today, self.today)

    def day_after(self, rng, day: date, low: int, high: int, facts: ClientFacts) -> date:
        """A working day `low`..`high` working days after `day`, not after the last day."""
        return min(self.calendar.add(day, between(rng, low, high)), self.last_day(facts))

    def moment(self, rng, day: date, *, not_before: datetime) -> datetime:
        return max(min(self.calendar.at(day, between(rng, 480, 960)), self.now), not_before)

    # Consents -----------------------------------------------------------------------------

    def _consent(self, rng, facts: ClientFacts, recorder: int | None, *,
                 second: bool = False) -> ConsentStory:
        """A consent recorded by `recorder` (or another serving organisation), addressed to the
        other organisations of the client's team, or the client's own from their service."""
        others = [o for o in facts.organisations if o != facts.writer]
        if recorder is None:
            recorder = one_of(rng, others) if others else facts.writer
        day = self._consent_day(rng, facts)
        recorded_at = self.moment(rng, day, not_before=facts.created_at)
        given_by_client = rng.random() < 0.04
        categories = self._categories(rng, second)
        consent = ConsentStory(
            recorded_by=None, organisation=None, method=ConsentMethod.ELECTRONIC,
            heard_by=None, valid_from=day, valid_until=self._valid_until(rng, day),
            recorded_at=recorded_at, purpose=one_of(rng, CONSENT_PURPOSES),
            categories=categories, recipients=self._recipients(rng, facts, recorder),
            sectors=[weighted(rng, CONSENT_SECTORS)] if second or rng.random() < 0.2 else [],
            given_by_client=given_by_client,
        )
        if given_by_client:  # Oma Työkyky: given and confirmed by the client at once
            consent.confirmed_by_client_at = recorded_at
        else:
            consent.organisation = recorder
            consent.recorded_by = self.staff(rng, facts, recorder, day)
            consent.method = weighted(rng, METHODS)
            if consent.method == ConsentMethod.VERBAL:
                consent.heard_by = consent.recorded_by
            self._confirm(rng, facts, consent)
        self._maybe_revoke(rng, facts, consent)
        return consent

    def _consent_day(self, rng, facts: ClientFacts) -> date:
        """Soon after the client came, or when the team meeting was booked."""
        if facts.meeting and rng.random() < 0.5:
            booked = facts.meeting.created_at.astimezone(HELSINKI).date()
            return min(max(booked, facts.entered_on), self.last_day(facts))
        return self.day_after(rng, facts.entered_on, 0, 15, facts)

    def _categories(self, rng, second: bool) -> list[str]:
        if second:
            return [C.IDENTITY.value, C.BENEFITS.value]
        chosen = [category.value for category, share in CATEGORY_SHARES.items()
                  if rng.random() < share]
        for needed in (C.IDENTITY, C.EMPLOYMENT):
            if len(chosen) < 2 and needed.value not in chosen:
                chosen.append(needed.value)
        return chosen

    def _valid_until(self, rng, day: date) -> date | None:
        roll = rng.random()
        if roll < 0.45:
            return None
        return day + timedelta(days=180 if roll < 0.6 else 365 if roll < 0.85 else 730)

    def _recipients(self, rng, facts: ClientFacts, recorder: int) -> list[int]:
        """The team's organisations: those serving the client and those of the meeting's
        participants; for a client only one organisation serves, the area's likely next ones."""
        team = set(facts.organisations)
        if facts.meeting:
            team.update(self.world.organisation_of[user]
                        for user, _answer in facts.meeting.participants)
        team.discard(recorder)
        if not team:
            recorder_sector = self.sector_of.get(recorder)
            sectors = [s for s in (Sector.HEALTH, Sector.EMPLOYMENT, Sector.KELA, Sector.SOCIAL)
                       if s != recorder_sector and s in facts.area.organisations]
            for sector in rng.sample(sectors, min(len(sectors), between(rng, 1, 2))):
                team.add(facts.area.organisation(rng, sector))
        return sorted(team)

    def _confirm(self, rng, facts: ClientFacts, consent: ConsentStory) -> None:
        """The other serving organisations confirm it for their own data, most of them soon;
        now and then the client confirms it in their own service."""
        for organisation in facts.organisations:
            if organisation == consent.organisation or rng.random() >= 0.65:
                continue
            day = self.day_after(rng, consent.valid_from, 0, 20, facts)
            at = self.moment(rng, day, not_before=consent.recorded_at)
            if self._in_force(consent, at):
                consent.confirmations.append(
                    (organisation, self.staff(rng, facts, organisation, day), at))
        if rng.random() < 0.06:
            day = self.day_after(rng, consent.valid_from, 1, 30, facts)
            at = self.moment(rng, day, not_before=consent.recorded_at)
            if self._in_force(consent, at):
                consent.confirmed_by_client_at = at

    def _in_force(self, consent: ConsentStory, at: datetime) -> bool:
        day = at.astimezone(HELSINKI).date()
        return consent.valid_until is None or day <= consent.valid_until

    def _maybe_revoke(self, rng, facts: ClientFacts, consent: ConsentStory) -> None:
        if rng.random() >= 0.05:
            return
        day = self.day_after(rng, consent.valid_from, 5, 120, facts)
        at = self.moment(rng, day, not_before=consent.recorded_at)
        latest = max([at, *(c[2] for c in consent.confirmations),
                      consent.confirmed_by_client_at or at])
        consent.revoked_at = latest
        consent.revocation_reason = one_of(rng, REVOCATION_REASONS)
        if consent.given_by_client or rng.random() < 0.3:
            consent.revoked_by_client = True
        else:
            consent.revoked_by = self.staff(rng, facts, consent.organisation, day)

    # Disclosure bans ----------------------------------------------------------------------

    def _ban(self, rng, facts: ClientFacts) -> BanStory:
        """The client forbids disclosure to an organisation serving them (or one of the area's)
        or to a whole sector: told to the card's writer, or recorded in their own service."""
        day = self.day_after(rng, facts.entered_on, 5, 200, facts)
        recorded_at = self.moment(rng, day, not_before=facts.created_at)
        by_client = rng.random() < 0.15
        recorder_sector = self.sector_of.get(facts.writer)
        organisation, sector = None, ""
        if rng.random() < 0.6:
            others = [o for o in facts.organisations if o != facts.writer]
            if not others or rng.random() < 0.5:
                sectors = [s for s in facts.area.organisations if s != recorder_sector]
                others = [facts.area.organisation(rng, one_of(rng, sectors))]
            organisation = one_of(rng, others)
        else:
            sector = one_of(rng, [s for s in BANNED_SECTORS if s != recorder_sector])
        ban = BanStory(
            organisation=organisation, sector=sector, reason=one_of(rng, BAN_REASONS),
            recorded_by=None if by_client else self.staff(rng, facts, facts.writer, day),
            recorded_by_organisation=None if by_client else facts.writer,
            recorded_at=recorded_at,
        )
        if rng.random() < 0.2:  # lifted later, by whoever recorded it
            lifted = self.day_after(rng, day, 10, 150, facts)
            ban.lifted_at = self.moment(rng, lifted, not_before=recorded_at)
            if not by_client:
                ban.lifted_by = self.staff(rng, facts, facts.writer, lifted)
        return ban

    # Situation notes ----------------------------------------------------------------------

    def _note(self, rng, facts: ClientFacts) -> NoteStory:
        organisation = one_of(rng, facts.organisations)
        sector = self.sector_of.get(organisation, Sector.HEALTH)
        category = weighted(rng, NOTE_CATEGORIES[sector])
        span = max(0, (self.last_day(facts) - facts.entered_on).days)
        day = self.calendar.on_or_before(facts.entered_on + timedelta(days=between(rng, 0, span)))
        day = max(day, facts.entered_on)
        return NoteStory(
            organisation=organisation, created_by=self.staff(rng, facts, organisation, day),
            created_at=self.moment(rng, day, not_before=facts.created_at),
            category=category.value, text=one_of(rng, NOTE_TEXTS[category.value]),
        )

    # Meeting decisions --------------------------------------------------------------------

    def _decision(self, rng, facts: ClientFacts) -> DecisionStory:
        """What the held meeting decided, recorded by its coordinator at its end: the case
        managers of the day, sometimes questions for a doctor of the area's health care."""
        meeting = facts.meeting
        day = meeting.starts_at.astimezone(HELSINKI).date()
        managers = [m.user for m in facts.case_managers
                    if m.started_on <= day and (m.ended_on is None or m.ended_on >= day)]
        managers = managers or [facts.case_managers[0].user]
        decision = DecisionStory(
            meeting=meeting, decided_by=meeting.created_by,
            updated_at=min(meeting.ends_at + timedelta(minutes=between(rng, 0, 120)), self.now),
            realistic_goal=one_of(rng, REALISTIC_GOALS), support=one_of(rng, SUPPORTS),
            financial_support=one_of(rng, FINANCIAL_SUPPORTS) if rng.random() < 0.4 else "",
            follow_up=one_of(rng, DECISION_FOLLOW_UPS) if rng.random() < 0.8 else "",
            follow_up_by=managers[0], feedback_discussion_holder=managers[0],
            feedback_discussion_at=facts.discussion_at, case_managers=managers,
        )
        if rng.random() < 0.3:
            health = facts.area.organisation(rng, Sector.HEALTH)
            doctors = self.world.staff.get((health, Role.DOCTOR))
            if doctors:
                decision.doctor = one_of(rng, doctors)
                decision.information_for_doctor = one_of(rng, INFORMATION_FOR_DOCTOR)
                decision.questions_for_doctor = one_of(rng, QUESTIONS_FOR_DOCTOR)
                decision.statement_possible_now = rng.random() < 0.2
                if rng.random() < 0.5:
                    decision.doctor_appointment = one_of(rng, DOCTOR_APPOINTMENTS)
        return decision
