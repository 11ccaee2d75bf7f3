"""
The unemployed health check's part of a story (service path, steps 2-4): the referral, its
handling, the check, the feedback to the referrer and the doctor's assessment, each as far as
time has come by today.
"""

from datetime import date, timedelta

from consents.models import Action
from referrals.models import (
    Conclusion,
    FeedbackChannel,
    NurseView,
    ReferralReason,
    ReferralStatus,
    StatementPurpose,
    Urgency,
)
from teams.models import Role, Sector

from .draws import Weights, between, one_of, score, weighted
from .stories import (
    CHECK_DATA,
    EMPLOYMENT_DATA,
    HEALTH_DATA,
    AssessmentStory,
    CheckStory,
    ClientStory,
    Drawing,
    FeedbackStory,
    ReferralStory,
)
from .words import (
    CANCELLATION_REASONS,
    EXAMINATIONS,
    FINDINGS,
    REASON_DETAILS,
    RECOMMENDATIONS,
    SERVICES_SUMMARIES,
)

NURSE_VIEWS = Weights({NurseView.UNEMPLOYED: 55, NurseView.SICK: 25, NurseView.UNCLEAR: 20})
FEEDBACK_CHANNELS = Weights({FeedbackChannel.IN_PERSON: 60, FeedbackChannel.LETTER: 15,
                             FeedbackChannel.PHONE: 25})  # the client always gets it


def draw_referrals(drawing: Drawing, story: ClientStory) -> None:
    """A referral by the first case manager soon after the client came (or the client came to
    the health check by themself); a year after the check, about half are referred again."""
    rng, calendar = drawing.rng, drawing.calendar
    organisation, manager = story.case_managers[0].organisation, story.case_managers[0].user
    health = story.area.organisation(rng, Sector.HEALTH)
    is_self = story.entry_sector == Sector.HEALTH
    sent_on = calendar.add(story.entered_on, between(rng, 0, 10))
    if sent_on > drawing.today:
        return
    first = _referral(drawing, story, sent_on, organisation, manager, health, is_self,
                      ReferralReason.HEALTH_CONCERN if rng.random() < 0.45
                      else ReferralReason.YEAR_SINCE_CHECK)
    check = first.check
    closed = first.status in (ReferralStatus.ACKNOWLEDGED, ReferralStatus.CANCELLED)
    if check and (closed or is_self) and rng.random() < 0.5:
        again = calendar.add(check.performed_on + timedelta(days=365), between(rng, 0, 20))
        if again <= drawing.today:
            _referral(drawing, story, again, organisation, manager, health, is_self,
                      ReferralReason.YEAR_SINCE_CHECK)


def _referral(drawing: Drawing, story: ClientStory, sent_on, organisation, manager, health,
              is_self, reason) -> ReferralStory:
    rng = drawing.rng
    referral = ReferralStory(
        organisation=health if is_self else organisation, created_by=manager,
        recipient=health, is_self=is_self,
        reason=ReferralReason.OTHER if is_self else reason,
        urgency=Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL,
        created_on=sent_on, created_at=drawing.moment(sent_on),
        responsible_persons="" if is_self else drawing.world.name_of[manager],
        services_summary="" if is_self else one_of(rng, SERVICES_SUMMARIES),
        reason_details=one_of(rng, REASON_DETAILS) if rng.random() < 0.5 else "",
    )
    if is_self:
        referral.created_by = drawing.world.pick(rng, health, Role.NURSE)
    story.referrals.append(referral)
    story.organisations.setdefault(health, "visit" if is_self else "referral")
    story.happened(sent_on)
    if not is_self:
        story.touches.append((referral.created_at, manager, Action.REFERRAL_SENT,
                              EMPLOYMENT_DATA))
    _progress(drawing, story, referral)
    return referral


def _progress(drawing: Drawing, story: ClientStory, referral: ReferralStory) -> None:
    """Sent, received, booked, checked, fed back, acknowledged: as far as time has come."""
    if _cancelled(drawing, story, referral):
        return
    received = _received(drawing, story, referral)
    if received is None:
        return
    checked = _booked(drawing, story, referral, received)
    if checked is None or checked >= drawing.today:
        return
    referral.status = ReferralStatus.DONE
    referral.check = _check(drawing, story, referral, checked)
    if _fed_back(drawing, story, referral) and not referral.is_self:
        _acknowledged(drawing, story, referral)


def _cancelled(drawing: Drawing, story: ClientStory, referral: ReferralStory) -> bool:
    """A few referrals are cancelled by the sender within three weeks."""
    rng = drawing.rng
    if rng.random() >= 0.04:
        return False
    cancelled = drawing.calendar.add(referral.created_on, between(rng, 1, 15))
    if cancelled > drawing.today:
        return False
    referral.status = ReferralStatus.CANCELLED
    referral.cancelled_at = drawing.moment(cancelled)
    referral.cancelled_by = referral.created_by
    referral.cancellation_reason = one_of(rng, CANCELLATION_REASONS)
    story.happened(cancelled)
    return True


def _received(drawing: Drawing, story: ClientStory, referral: ReferralStory) -> date | None:
    """The day a nurse of the health check received the referral, if it has come."""
    rng = drawing.rng
    nurse = drawing.world.pick(rng, referral.recipient, Role.NURSE)
    waited = 0 if referral.is_self else between(rng, 0, 3)
    received = drawing.calendar.add(referral.created_on, waited)
    if received > drawing.today:
        return None
    referral.status = ReferralStatus.RECEIVED
    referral.received_at = drawing.moment(received)
    referral.received_by = nurse
    story.happened(received)
    story.touches.append((referral.received_at, nurse, Action.REFERRAL, EMPLOYMENT_DATA))
    return received


def _booked(drawing: Drawing, story: ClientStory, referral: ReferralStory,
            received: date) -> date | None:
    """The day of the check, once a time has been booked."""
    rng, calendar, today = drawing.rng, drawing.calendar, drawing.today
    booked = calendar.add(received, between(rng, 0, 6))
    # A few recent ones wait unbooked past the target: the worklist's overdue rows. (Older
    # ones were handled in the end: they do not pile up over two years.)
    recent = referral.created_on > today - timedelta(days=90)
    if booked > today or (recent and rng.random() < 0.05):
        return None
    checked = calendar.add(booked, between(rng, 3, 15))
    referral.status = ReferralStatus.BOOKED
    referral.booked_for = calendar.at(checked, 480 + 30 * int(rng.random() * 14))
    story.happened(booked)
    return checked


def _check(drawing: Drawing, story: ClientStory, referral: ReferralStory,
           day: date) -> CheckStory:
    rng, nurse = drawing.rng, referral.received_by
    view = weighted(rng, NURSE_VIEWS)
    limits = (rng.random() < 0.35, rng.random() < 0.3, rng.random() < 0.08,
              rng.random() < 0.05, rng.random() < 0.1)
    check = CheckStory(
        performed_on=day, created_at=referral.booked_for + timedelta(minutes=50),
        nurse=nurse,
        doctor=drawing.world.pick(rng, referral.recipient, Role.DOCTOR)
        if rng.random() < 0.2 else None,
        scores=(score(rng, 5.5), *(score(rng, 6) if rng.random() < 0.8 else None
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
        _assessment(drawing, story, check, referral.recipient)
    return check


def _fed_back(drawing: Drawing, story: ClientStory, referral: ReferralStory) -> bool:
    """The feedback of the check, usually within a week and a half: to the referrer, or to
    the client who came by themself."""
    rng, check = drawing.rng, referral.check
    given = drawing.calendar.add(check.performed_on, between(rng, 1, 8) if rng.random() < 0.9
                                 else between(rng, 11, 30))
    if given > drawing.today:
        return False
    check.feedback = FeedbackStory(
        given_on=given, created_at=drawing.moment(given),
        recipient=None if referral.is_self else referral.organisation,
        to_client=weighted(rng, FEEDBACK_CHANNELS), findings=one_of(rng, FINDINGS),
        recommendations=one_of(rng, RECOMMENDATIONS),
    )
    story.happened(given)
    story.touches.append((check.feedback.created_at, check.nurse, Action.FEEDBACK_FORM,
                          HEALTH_DATA))
    referral.status = (ReferralStatus.GIVEN_TO_CLIENT if referral.is_self
                       else ReferralStatus.FEEDBACK_SENT)
    return True


def _acknowledged(drawing: Drawing, story: ClientStory, referral: ReferralStory) -> None:
    """The referrer reads the feedback within days; a few recent ones are still unread."""
    rng, today, feedback = drawing.rng, drawing.today, referral.check.feedback
    acknowledged = drawing.calendar.add(feedback.given_on, between(rng, 0, 8))
    forgotten = feedback.given_on > today - timedelta(days=60) and rng.random() < 0.1
    if acknowledged > today or forgotten:
        return
    referral.status = ReferralStatus.ACKNOWLEDGED
    feedback.acknowledged_at = drawing.moment(acknowledged)
    feedback.acknowledged_by = referral.created_by
    story.happened(acknowledged)
    story.touches.append((feedback.acknowledged_at, referral.created_by, Action.REFERRAL,
                          HEALTH_DATA))


def _assessment(drawing: Drawing, story: ClientStory, check: CheckStory, health: int) -> None:
    rng = drawing.rng
    day = drawing.calendar.add(check.performed_on, between(rng, 5, 25))
    if day > drawing.today:
        return
    doctor = check.doctor or drawing.world.pick(rng, health, Role.DOCTOR)
    sick = rng.random() < (0.65 if check.nurse_view == NurseView.SICK else 0.35)
    statement = rng.random() < 0.35
    check.assessment = AssessmentStory(
        assessed_on=day, created_at=drawing.moment(day), doctor=doctor,
        conclusion=Conclusion.SICK if sick else Conclusion.UNEMPLOYED,
        b_statement_on=day if statement else None,
        b_statement_purpose=one_of(rng, StatementPurpose.values) if statement else "",
        sick_leave_until=day + timedelta(days=between(rng, 14, 90))
        if sick and rng.random() < 0.5 else None,
        examinations=one_of(rng, EXAMINATIONS) if rng.random() < 0.4 else "",
        knows_next_steps=rng.random() < 0.85,
    )
    story.happened(day)
    story.touches.append((check.assessment.created_at, doctor, Action.ASSESSMENT_FORM,
                          HEALTH_DATA))
