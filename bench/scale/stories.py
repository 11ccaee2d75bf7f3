"""
What happened to one client, step by step along the service path, before it becomes rows;
and the Drawing every step is drawn with.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from clients.models import ClientStatus
from plans.models import PlanStatus
from referrals.models import ReferralStatus

from .calendar import Calendar
from .draws import between
from .world import Area, World

# What a moment of handling showed, as the access log lists the categories.
IDENTITY = ("identity",)
EMPLOYMENT_DATA = ("identity", "employment")
HEALTH_DATA = ("identity", "health")
CHECK_DATA = ("identity", "employment", "health")


@dataclass(slots=True)
class Drawing:
    """What every step of a story is drawn with: the world, the calendar, the seeded random
    generator, and today and now, fixed for the whole run."""

    world: World
    calendar: Calendar
    rng: random.Random
    today: date = field(init=False)
    now: datetime = field(init=False)

    def __post_init__(self):
        self.today = self.calendar.today
        self.now = datetime.now(UTC)

    def moment(self, day: date) -> datetime:
        """A moment in office hours on a day that has come: never later than now."""
        return min(self.calendar.at(day, between(self.rng, 480, 960)), self.now)


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
class ActionStory:
    what: str
    responsible: int | None
    responsible_other: str
    due_on: date
    status: str
    done_on: date | None


@dataclass(slots=True)
class FollowUpStory:
    due_on: date
    done_on: date | None
    done_by: int | None
    notes: str


@dataclass(slots=True)
class PlanStory:
    organisation: int
    created_by: int
    created_on: date
    created_at: datetime
    follow_up_weeks: int | None
    case_managers: list
    actions: list[ActionStory]
    follow_ups: list[FollowUpStory]
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
    # The service that noticed the need first (service path, step 1).
    entry_sector: str = ""
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
    # Consents, bans, notes and decisions (extras.py), drawn once the story is complete.
    extras: object = None
    id: int = 0

    def happened(self, day: date) -> None:
        if self.last_day is None or day > self.last_day:
            self.last_day = day
