"""
Every kind of client record is destroyed, found from the app registry: a new ClientRecord
subclass without a builder here fails `test_every_client_record_type_is_covered`, and one the
destruction missed fails `test_every_record_type_goes_with_its_children_and_history`.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clients.models import Client, EmploymentSituation, SituationNote, SupportContact
from clients.records import ClientRecord
from meetings.models import (
    Meeting,
    MeetingDecision,
    MeetingFeedback,
    MeetingParticipant,
    MeetingRequest,
)
from plans.models import FeedbackDiscussion, FollowUp, PlanAction, SupportPlan
from referrals.models import (
    DoctorAssessment,
    Feedback,
    HealthCheck,
    MissedAppointment,
    Referral,
    SelfAssessment,
    ServiceInUse,
)
from retention import records
from retention.models import DestructionProposal, ProposalState
from retention.services import approve
from retention.tasks import propose_and_destroy
from teams.models import Municipality, Role, Sector, Team
from tests.factories import OrganisationFactory, staff

from .world import BUILT, EMPLOYMENT_DUE, anywhere, close, hetu_born


def _note(w, marker):
    note = SituationNote.objects.create(client=w["client"], organisation=w["org"],
                                        created_by=w["user"], category="social", text=marker)
    note.text = "muutettu"  # the marker lives on in the history only
    note.save()
    return note


def _employment(w, marker):
    situation = EmploymentSituation(client=w["client"], organisation=w["org"],
                                    created_by=w["user"], jobseeker_status="unemployed",
                                    income_source="social_assistance")
    situation._change_reason = marker  # its fields are choices: the marker is in its history
    situation.save()
    return situation


def _contact(w, marker):
    return SupportContact.objects.create(client=w["client"], organisation=w["org"],
                                         created_by=w["user"], name="Tuula Tukija",
                                         kind="support_person", note=marker)


def _referral(w, marker):
    referral = Referral.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], recipient=w["org"],
        is_self_referral=True, reason="other", services_summary=marker)
    ServiceInUse.objects.create(referral=referral, service=f"{marker} (palvelu)")
    w["referral"] = referral
    return referral


def _check(w, marker):
    w["check"] = HealthCheck.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], referral=w["referral"],
        performed_on=BUILT.date(), nurse=w["user"], work_ability=5, nurse_view="unclear",
        next_steps=marker)
    return w["check"]


def _feedback(w, marker):
    return Feedback.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], referral=w["referral"],
        findings=marker, recommendations="-")


def _assessment(w, marker):
    return DoctorAssessment.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"],
        health_check=w["check"], conclusion="sick", justification=marker,
        continuation_plan="-")


def _missed(w, marker):
    return MissedAppointment.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], referral=w["referral"],
        booked_for=BUILT, note=marker)


def _self_assessment(w, marker):
    """The client's own, before the check: the health organisation's record, by nobody on
    its staff."""
    return SelfAssessment.objects.create(
        client=w["client"], organisation=w["org"], created_by=None, referral=w["referral"],
        work_ability=4, skills=7, for_the_nurse=marker)


def _meeting(w, marker):
    start = timezone.now() + timedelta(hours=1)
    meeting = Meeting.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], team=w["team"],
        starts_at=start, ends_at=start + timedelta(hours=1), mode="phone", agenda=marker)
    MeetingParticipant.objects.create(meeting=meeting, name=f"{marker} (tukihenkilö)",
                                      starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    decision = MeetingDecision.objects.create(meeting=meeting, realistic_goal=f"{marker} (tavoite)",
                                              decided_by=w["user"])
    decision.case_managers.add(w["user"])
    # The client's own feedback on it (Oma Työkyky) goes with the meeting.
    MeetingFeedback.objects.create(client=w["client"], meeting=meeting, heard=3,
                                   knows_next_steps=3, useful=3,
                                   comment=f"{marker} (asiakkaan palaute)")
    w["meeting"] = meeting
    return meeting


def _meeting_request(w, marker):
    return MeetingRequest.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], team=w["team"],
        recipient=w["org"], reason=marker, health_check=w["check"], meeting=w["meeting"],
        state="booked")


def _plan(w, marker):
    plan = SupportPlan.objects.create(client=w["client"], organisation=w["org"],
                                      created_by=w["user"], short_term_goals=marker)
    plan.case_managers.add(w["user"])
    PlanAction.objects.create(plan=plan, what=f"{marker} (toimenpide)", responsible=w["user"])
    FollowUp.objects.create(plan=plan, due_on=BUILT.date(), notes=f"{marker} (seuranta)")
    return plan


def _discussion(w, marker):
    return FeedbackDiscussion.objects.create(
        client=w["client"], organisation=w["org"], created_by=w["user"], meeting=w["meeting"],
        holder=w["user"], held_on=BUILT.date(), reviewed=marker)


# One builder per ClientRecord model, in an order in which what one points at exists.
BUILDERS = {
    "clients.situationnote": _note,
    "clients.employmentsituation": _employment,
    "clients.supportcontact": _contact,
    "referrals.referral": _referral,
    "referrals.healthcheck": _check,
    "referrals.feedback": _feedback,
    "referrals.doctorassessment": _assessment,
    "referrals.missedappointment": _missed,
    "referrals.selfassessment": _self_assessment,
    "meetings.meeting": _meeting,
    "meetings.meetingrequest": _meeting_request,
    "plans.supportplan": _plan,
    "plans.feedbackdiscussion": _discussion,
}


def _subclasses(cls):
    for child in cls.__subclasses__():
        yield from _subclasses(child)
        if not child._meta.abstract and not child.__name__.startswith("Historical"):
            yield child


def test_every_client_record_type_is_covered():
    found = {model._meta.label_lower for model in _subclasses(ClientRecord)}
    assert found == {records.key_of(model) for model in records.record_models()}
    assert set(BUILDERS) == found, "add a builder for the new record type"
    assert set(records.record_type_keys()) == {records.CARD, *found}


@pytest.fixture
def one_controller(db):
    """A social welfare organisation that wrote one record of every type, each with a
    marker, and the client's card; the client closed in January 2026."""
    with time_machine.travel(BUILT, tick=False):
        municipality = Municipality.objects.create(name="Kuhmo", code="290")
        org = OrganisationFactory(sector=Sector.SOCIAL)
        user = staff(Role.SOCIAL_WORKER, organisation=org)
        team = Team.objects.create(name="Kuhmon tiimi")
        client = Client.objects.create(first_name="Kortti", last_name="Merkki",
                                       hetu=hetu_born(2, 3, 1980), municipality=municipality,
                                       organisation=org)
        world = {"org": org, "user": user, "team": team, "client": client}
        markers = {}
        for key, build in BUILDERS.items():
            markers[key] = f"tyyppimerkki {key}"
            build(world, markers[key])
        close(client)
    world["leader"] = staff(Role.MANAGER, organisation=org)
    world["markers"] = markers
    return world


def test_every_record_type_goes_with_its_children_and_history(one_controller):
    world = one_controller
    for marker in world["markers"].values():
        assert anywhere(marker), marker
    with time_machine.travel(EMPLOYMENT_DUE, tick=False):
        propose_and_destroy()
        proposal = DestructionProposal.objects.get()
        assert set(proposal.items) == set(BUILDERS)  # the card is kept until death (social)
        approve(proposal=proposal, by=world["leader"])
        propose_and_destroy()
    assert DestructionProposal.objects.get().state == ProposalState.DESTROYED
    for key, marker in world["markers"].items():
        assert anywhere(marker) == [], key
    for model in [*records.record_models(), ServiceInUse, MeetingParticipant, MeetingDecision,
                  PlanAction, FollowUp]:
        assert not model._base_manager.exists(), model
        assert not model.history.exists(), model
    assert not SupportPlan.case_managers.through.objects.exists()
    for m2m_history in (SupportPlan.history.model, MeetingDecision.history.model):
        for relation in m2m_history._meta.related_objects:
            assert not relation.related_model.objects.exists(), relation.related_model
    # The card of a social welfare client is kept until two years after death: it stays.
    assert Client.objects.get(pk=world["client"].pk).first_name == "Kortti"
