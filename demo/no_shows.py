"""
Mari's story (DESIGN.md, "Demo clients"): 20, little support network, her unemployed health
check first. Adult social work referred her to the health check; she did not arrive at the
booked time (ei saapunut), the nurse recorded it and booked a new time. Her first team meeting
went the same way: she did not come, and the coordinator booked a new one with her outreach
youth worker, her one support person, invited. Both no-shows stay in her history.

Times in the past are written straight in: the services rightly refuse to book them.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.services import serve
from clients.models import Client, RelationshipBasis
from consents.services import add_to_team
from meetings.models import (
    Attendance,
    Meeting,
    MeetingMode,
    MeetingParticipant,
    ParticipantKind,
)
from meetings.services import book_meeting, record_attendance
from referrals.models import Referral
from referrals.services import book_health_check, record_no_show, send_referral
from teams.models import Team

SUPPORT_PERSON = {"name": "Outi Pulkkinen", "organisation_name": "Kajaanin etsivä nuorisotyö",
                  "role": "tukihenkilö", "email": "outi.pulkkinen@nuorisotyo.invalid"}


def _working_day_at(days: int, hour: int):
    """The first working day `days` from today or after, at the hour (Europe/Helsinki)."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def maris_missed_health_check(social, health, users):
    """Referred a fortnight ago, booked for last week: she did not arrive; booked again."""
    mari = Client.objects.get(first_name="Mari")
    if Referral.objects.filter(client=mari).exists():
        return
    nurse = users["nurse"]
    referral = send_referral(
        client=mari, by=users["social_worker"], organisation=social, recipient=health,
        reason="health_concern", urgency="normal",
        reason_details="Työ- ja toimintakyky selvitettävä ennen kuntouttavaa työtoimintaa.",
        services_summary="Aikuissosiaalityö, etsivä nuorisotyö",
    )
    book_health_check(referral=referral, by=nurse, when=_working_day_at(1, 9))
    Referral.objects.filter(pk=referral.pk).update(booked_for=_working_day_at(-8, 9))
    referral.refresh_from_db()
    record_no_show(referral=referral, by=nurse)
    book_health_check(referral=referral, by=nurse, when=_working_day_at(3, 9))


def maris_missed_meeting(health, users):
    """Her first team meeting, last week: she did not come; the coordinator booked a new one,
    her support person invited, and the prompt to rebook is gone."""
    mari = Client.objects.get(first_name="Mari")
    if Meeting.objects.filter(client=mari).exists():
        return
    coordinator, social_worker = users["coordinator"], users["social_worker"]
    # Social work, who wrote her in, asked the coordinator to gather her team.
    add_to_team(client=mari, user=coordinator, by=social_worker)
    start = _working_day_at(-6, 13)
    meeting = Meeting.objects.create(
        client=mari, team=Team.objects.get(), created_by=coordinator, organisation=health,
        starts_at=start, ends_at=start + timedelta(hours=1), mode=MeetingMode.PHONE,
        phone_details="Koordinaattori soittaa Marille.", agenda="Marin tilanne ja tavoite",
        needs_support=True, wants_to_work=True, not_solved_by_basic_services=True,
        client_motivated=True,
    )
    times = {"meeting": meeting, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    for user in (coordinator, social_worker):
        MeetingParticipant.objects.create(user=user, answer="accepted", **times)
    MeetingParticipant.objects.create(kind=ParticipantKind.CLIENT, **times)
    serve(client=mari, organisation=health, basis=RelationshipBasis.INVITATION, by=coordinator)
    record_attendance(meeting=meeting, by=coordinator, attendance={
        p.pk: Attendance.DID_NOT_ATTEND if p.is_client else Attendance.ATTENDED
        for p in meeting.participants.all()})
    starts_at = _working_day_at(9, 12)
    book_meeting(
        client=mari, team=meeting.team, by=coordinator, organisation=health,
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), mode=MeetingMode.PHONE,
        phone_details="Koordinaattori soittaa Marille; tukihenkilö on Marin luona.",
        agenda="Marin tilanne ja tavoite (uusi aika)", users=[social_worker],
        externals=[{**SUPPORT_PERSON, "kind": ParticipantKind.SUPPORT_PERSON}],
        needs_support=True, wants_to_work=True, not_solved_by_basic_services=True,
        client_motivated=True,
    )
