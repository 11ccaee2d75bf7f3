"""
A world for the dashboard's tests: municipalities from the factories, and the service path's
records written with their dates set, so that a test says exactly which events happened when.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meetings.models import Meeting, MeetingMode, MeetingStatus
from plans.models import FeedbackDiscussion
from referrals.models import (
    Conclusion,
    DoctorAssessment,
    Feedback,
    HealthCheck,
    NurseView,
    Referral,
    ReferralReason,
)
from teams.models import Role, Team
from tests.factories import ClientFactory, MunicipalityFactory, OrganisationFactory, staff


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class World:
    """Kajaani and Sotkamo, served by one health organisation with one nurse."""

    def __init__(self):
        self.kajaani = MunicipalityFactory(name="Kajaani", code="205")
        self.sotkamo = MunicipalityFactory(name="Sotkamo", code="765")
        self.health = OrganisationFactory(name="Kainuun hyvinvointialue")
        self.nurse = staff(Role.NURSE, self.health)
        self.team = Team.objects.create(name="Kajaanin työkykytiimi")

    def record(self, model, client, **fields):
        return model.objects.create(client=client, organisation=self.health,
                                    created_by=self.nurse, **fields)

    def client(self, municipality=None, **fields):
        return ClientFactory(municipality=municipality or self.kajaani,
                             organisations=[self.health], **fields)

    def referral(self, sent: date, *, checked_after=None, feedback_after=None,
                 municipality=None, self_referral=False, client=None):
        """A referral sent on `sent`, checked `checked_after` days later, fed back
        `feedback_after` days after the check."""
        client = client or self.client(municipality)
        referral = self.record(Referral, client, recipient=self.health,
                               reason=ReferralReason.HEALTH_CONCERN,
                               is_self_referral=self_referral)
        Referral.objects.filter(pk=referral.pk).update(created_at=at(sent))
        check = None
        if checked_after is not None:
            check = self.record(HealthCheck, client, referral=referral, nurse=self.nurse,
                                performed_on=sent + timedelta(days=checked_after),
                                nurse_view=NurseView.UNEMPLOYED, next_steps="Jatko",
                                work_ability=6)
            if feedback_after is not None:
                self.record(Feedback, client, referral=referral, findings="Havainnot",
                            recommendations="Suositukset",
                            given_on=check.performed_on + timedelta(days=feedback_after))
        return client, check

    def check(self, day: date, municipality=None, *, client=None):
        """A self-referred health check on `day` (of `client`, or of a new client): one event
        the dashboard counts as a check and as nothing else."""
        _client, check = self.referral(day, checked_after=0, municipality=municipality,
                                       self_referral=True, client=client)
        return check

    def meeting(self, client, day: date, *, discussed_after=None, cancelled=False):
        meeting = self.record(Meeting, client, team=self.team, starts_at=at(day),
                              ends_at=at(day, 11), mode=MeetingMode.VIDEO,
                              status=MeetingStatus.CANCELLED if cancelled
                              else MeetingStatus.SCHEDULED)
        if discussed_after is not None:
            self.record(FeedbackDiscussion, client, meeting=meeting, holder=self.nurse,
                        held_on=day + timedelta(days=discussed_after))
        return meeting

    def assessment(self, client, day: date, conclusion=Conclusion.SICK, check=None):
        return self.record(DoctorAssessment, client, health_check=check, assessed_on=day,
                           conclusion=conclusion, justification="Perustelu",
                           continuation_plan="Jatko")
