"""
The rows of each table for a batch of stories. Each method yields `table.row(field=value, …)`
for its table in tables.TABLES; texts that need no draw of their own are picked by the row's
number, so writing a batch draws nothing from the random generator.
"""

import json
from datetime import UTC, date, datetime, timedelta

from django.urls import reverse

from meetings.models import MeetingStatus
from work.models import ReminderStage

from .extras_rows import ExtrasRows
from .hetu import birth_date_of
from .stories import CHECK_DATA, EMPLOYMENT_DATA, HEALTH_DATA, IDENTITY, ClientStory
from .tables import Table
from .words import (
    AGENDAS,
    CONTINUATION_PLANS,
    JUSTIFICATIONS,
    LIMITATIONS,
    LONG_TERM_GOALS,
    MEETING_REASONS,
    MINUTES,
    NEXT_STEPS,
    OTHERS_PRESENT,
    REVIEWED,
    SHORT_TERM_GOALS,
)
from .world import World

# The generated discussions invite nobody from the support network by e-mail.
NOBODY_INVITED = json.dumps([])
CATEGORIES = {seen: json.dumps(list(seen))
              for seen in (IDENTITY, EMPLOYMENT_DATA, HEALTH_DATA, CHECK_DATA)}
# The health check's fields in the order of CheckStory.scores and CheckStory.limits.
SCALES = ("work_ability", "mental_wellbeing", "social_participation", "physical_capacity",
          "skills", "daily_life")
LIMITS = ("limited_musculoskeletal", "limited_mental_health", "limited_substance_use",
          "limited_cognitive", "limited_other")
# Notifications are created early in the morning of the day they fall due (UTC).
NOTIFICATION_HOUR = 4
READ_AFTER = timedelta(hours=5)


class Rows(ExtrasRows):
    """The rows of each table for a batch of stories (and of their extras, extras_rows.py)."""

    def __init__(self, world: World, now: datetime):
        self.world = world
        self.now = now
        self.urls = {
            "plan": _url("plans:plan", 0), "client": _url("clients:detail", 0),
            "discussion": _url("plans:discussion_create", 0) + "?meeting={}",
        }

    def of(self, table: Table, stories: list[ClientStory]):
        return getattr(self, table.key)(stories, table.row)

    def clients(self, stories, row):
        for s in stories:
            yield row(
                id=s.id, first_name=s.first_name, last_name=s.last_name, hetu=s.hetu,
                hetu_ending=s.hetu[-4:], date_of_birth=birth_date_of(s.hetu),
                municipality_id=s.municipality, phone=s.phone, email=s.email,
                street_address=s.address, postal_code=s.postal_code,
                post_office=s.post_office, language=s.language,
                interpreter_language=s.interpreter, status=s.status, closed_on=s.closed_on,
                closing_reason=s.closing_reason, own_nurse_id=s.own_nurse,
                organisation_id=next(iter(s.organisations)), created_at=s.created_at,
                updated_at=s.updated_at,
            )

    def client_organisations(self, stories, row):
        """The first organisation wrote the card; another that met the client typed its own
        name for them (no contact details); one a referral was sent to got the card with it."""
        for s in stories:
            writer = next(iter(s.organisations))
            for organisation, basis in sorted(s.organisations.items()):
                typed = basis == "visit" and organisation != writer
                yield row(
                    client_id=s.id, organisation_id=organisation, basis=basis,
                    started_at=s.created_at, carries_card=basis == "referral",
                    first_name=s.first_name if typed else "",
                    last_name=s.last_name if typed else "",
                    language=s.language if typed else "",
                )

    def case_managers(self, stories, row):
        for s in stories:
            writer = next(iter(s.organisations))  # the card's writer named them
            for m in s.case_managers:
                yield row(client_id=s.id, user_id=m.user, organisation_id=m.organisation,
                          assigned_by_organisation_id=writer, started_on=m.started_on,
                          ended_on=m.ended_on)

    def referrals(self, stories, row):
        for s in stories:
            for r in s.referrals:
                yield row(
                    id=r.id, client_id=s.id, organisation_id=r.organisation,
                    created_by_id=r.created_by, created_at=r.created_at,
                    recipient_id=r.recipient, is_self_referral=r.is_self, reason=r.reason,
                    reason_details=r.reason_details, services_summary=r.services_summary,
                    responsible_persons=r.responsible_persons, urgency=r.urgency,
                    status=r.status, received_at=r.received_at, received_by_id=r.received_by,
                    booked_for=r.booked_for, cancelled_at=r.cancelled_at,
                    cancelled_by_id=r.cancelled_by, cancellation_reason=r.cancellation_reason,
                )

    def health_checks(self, stories, row):
        for s, r, c in _checks(stories):
            limited = [text for flag, text in zip(c.limits, LIMITATIONS, strict=True) if flag]
            yield row(
                id=c.id, client_id=s.id, organisation_id=r.recipient, created_by_id=c.nurse,
                created_at=c.created_at, referral_id=r.id, performed_on=c.performed_on,
                nurse_id=c.nurse, doctor_id=c.doctor,
                **dict(zip(SCALES, c.scores, strict=True)),
                **dict(zip(LIMITS, c.limits, strict=True)),
                limitations=", ".join(limited), nurse_view=c.nurse_view,
                needs_multiprofessional_assessment=c.needs_meeting,
                multiprofessional_reason=_pick(MEETING_REASONS, c.id) if c.needs_meeting else "",
                doctor_appointment_needed=c.doctor_needed,
                direct_physiotherapy=c.physiotherapy, next_steps=_pick(NEXT_STEPS, c.id),
            )

    def feedback(self, stories, row):
        for s, r, c in _checks(stories):
            f = c.feedback
            if f:
                yield row(
                    client_id=s.id, organisation_id=r.recipient, created_by_id=c.nurse,
                    created_at=f.created_at, referral_id=r.id, recipient_id=f.recipient,
                    given_on=f.given_on, to_client=f.to_client, findings=f.findings,
                    recommendations=f.recommendations, acknowledged_at=f.acknowledged_at,
                    acknowledged_by_id=f.acknowledged_by,
                )

    def doctors_assessments(self, stories, row):
        for s, r, c in _checks(stories):
            a = c.assessment
            if a:
                yield row(
                    client_id=s.id, organisation_id=r.recipient, created_by_id=a.doctor,
                    created_at=a.created_at, health_check_id=c.id, assessed_on=a.assessed_on,
                    conclusion=a.conclusion, justification=_pick(JUSTIFICATIONS, c.id),
                    examinations=a.examinations, b_statement_written=a.b_statement_on is not None,
                    b_statement_on=a.b_statement_on, b_statement_purpose=a.b_statement_purpose,
                    sick_leave_until=a.sick_leave_until,
                    continuation_plan=_pick(CONTINUATION_PLANS, c.id),
                    client_knows_next_steps=a.knows_next_steps,
                )

    def meetings(self, stories, row):
        for s in stories:
            m = s.meeting
            if m:
                held = m.status == MeetingStatus.SCHEDULED and m.ends_at < self.now
                video = m.mode == "video"
                yield row(
                    id=m.id, client_id=s.id, organisation_id=m.organisation,
                    created_by_id=m.created_by, created_at=m.created_at, team_id=m.team,
                    starts_at=m.starts_at, ends_at=m.ends_at, mode=m.mode,
                    video_link=f"https://video.tyokyky.invalid/{m.uid[:12]}" if video else "",
                    phone_details="" if video else "Koordinaattori soittaa asiakkaalle.",
                    agenda=_pick(AGENDAS, m.id), status=m.status, needs_support=True,
                    wants_to_work=True, not_solved_by_basic_services=True,
                    client_motivated=True, minutes=_pick(MINUTES, m.id) if held else "",
                    uid=m.uid,
                )

    def meeting_participants(self, stories, row):
        for s in stories:
            m = s.meeting
            if m:
                blocks = m.status == MeetingStatus.SCHEDULED
                for user, answer in m.participants:
                    yield row(meeting_id=m.id, user_id=user, answer=answer,
                              starts_at=m.starts_at, ends_at=m.ends_at,
                              blocks_calendar=blocks and answer != "declined")

    def support_plans(self, stories, row):
        for s in stories:
            p = s.plan
            if p:
                yield row(
                    id=p.id, client_id=s.id, organisation_id=p.organisation,
                    created_by_id=p.created_by, created_at=p.created_at,
                    short_term_goals=_pick(SHORT_TERM_GOALS, p.id),
                    long_term_goals=_pick(LONG_TERM_GOALS, p.id),
                    follow_up_weeks=p.follow_up_weeks, status=p.status, updated_at=p.created_at,
                )

    def plan_case_managers(self, stories, row):
        for s in stories:
            if s.plan:
                for user in dict.fromkeys(s.plan.case_managers):
                    yield row(supportplan_id=s.plan.id, user_id=user)

    def plan_actions(self, stories, row):
        for s in stories:
            if s.plan:
                for a in s.plan.actions:
                    yield row(plan_id=s.plan.id, what=a.what, responsible_id=a.responsible,
                              responsible_other=a.responsible_other, due_on=a.due_on,
                              status=a.status, done_on=a.done_on)

    def follow_ups(self, stories, row):
        for s in stories:
            if s.plan:
                for f in s.plan.follow_ups:
                    yield row(plan_id=s.plan.id, due_on=f.due_on, done_on=f.done_on,
                              done_by_id=f.done_by, notes=f.notes)

    def feedback_discussions(self, stories, row):
        for s in stories:
            for d in s.discussions:
                held = d.held_on is not None
                yield row(
                    client_id=s.id, organisation_id=d.organisation, created_by_id=d.holder,
                    created_at=d.created_at, meeting_id=d.meeting.id if d.meeting else None,
                    is_final=d.is_final, holder_id=d.holder, scheduled_for=d.scheduled_for,
                    held_on=d.held_on, client_present=s.id % 10 != 0,
                    others_present=_pick(OTHERS_PRESENT, s.id) if s.id % 6 == 0 else "",
                    reviewed=_pick(REVIEWED, s.id) if held else "",
                    follows_own_affairs=d.follows_own_affairs,
                    support_network=held and s.id % 3 != 0,
                    invited=NOBODY_INVITED,
                )

    def notifications(self, stories, row):
        now = self.now
        for s in stories:
            for user, kind, due, target, read in s.notifications:
                if target == "discussion":
                    url = self.urls["discussion"].format(s.id, s.meeting.id)
                else:
                    url = self.urls[target].format(s.id)
                created = min(_morning(due), now)
                yield row(user_id=user, kind=kind, stage=ReminderStage.DUE, client_id=s.id,
                          url=url, due_on=due, created_at=created,
                          read_at=min(created + READ_AFTER, now) if read else None)

    def access_log(self, stories, row):
        world = self.world
        for s in stories:
            for at, user, action, categories in s.access_log:
                yield row(at=at, user_id=user, client_id=s.id,
                          categories=CATEGORIES[categories], action=action,
                          organisation_id=world.organisation_of[user], role=world.role_of[user],
                          ip_address=f"10.{user >> 16 & 255}.{user >> 8 & 255}.{user & 255}")


def _url(name: str, *args) -> str:
    """A URL pattern with '{}' for each argument, reversed once instead of once per row."""
    sentinel = 987654321
    return reverse(name, args=[sentinel] * len(args)).replace(str(sentinel), "{}")


def _checks(stories):
    for story in stories:
        for referral in story.referrals:
            if referral.check:
                yield story, referral, referral.check


def _pick(texts: list[str], number: int) -> str:
    """A text chosen by a row's number: varied, and with no random draw at writing time."""
    return texts[number % len(texts)]


def _morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, NOTIFICATION_HOUR, tzinfo=UTC)
