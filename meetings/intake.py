"""
Getting to the team (issue 16): requests for a team meeting, as operations, and the
coordinator's intake queue they make.

Any service that serves the client asks for a meeting with the reason and the entry criteria;
a health check marked "needs a multi-professional assessment" asks by itself (the signal at the
end: referrals is below meetings and does not know of it). The request goes to the coordinator
of the team that serves the client's municipality, and waits in their queue, oldest first,
until a meeting for the client is booked — from the request or otherwise — or it is withdrawn.
"""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import RelationshipBasis
from clients.records import DataCategory
from consents.audit import record_disclosure
from consents.models import Action, LegalBasis
from consents.policy import banned, clients_banned_for
from referrals.models import HealthCheck
from referrals.services import serve_with_card
from teams.models import Membership, Team, TeamMember, TeamMemberKind

from .models import Meeting, MeetingRequest, MeetingStatus, RequestState


class RequestWaiting(ValidationError):
    """A request for the client already waits in the team's queue."""

    def __init__(self):
        super().__init__(_("A request for a team meeting about this client is already waiting "
                           "for the coordinator."), code="request_waiting")


def teams_for(client):
    """The active teams serving the client's municipality that have a coordinator. `client`
    may be the policy's ShownClient: then the municipality the user sees — that of their own
    card when they know the client only by it — so the choice tells nothing of the real card."""
    municipality = client.municipality
    if not municipality:
        return Team.objects.none()
    return Team.objects.filter(
        is_active=True, municipalities=municipality,
        members__kind=TeamMemberKind.COORDINATOR, members__user__is_active=True,
    ).distinct().order_by("name")


def recipient_of(team):
    """The organisation the team's requests go to: that of its (first) coordinator."""
    coordinator = TeamMember.objects.filter(
        team=team, kind=TeamMemberKind.COORDINATOR, user__is_active=True).order_by("pk").first()
    membership = coordinator and Membership.objects.active().care().filter(
        user_id=coordinator.user_id).select_related("organisation").order_by("pk").first()
    if membership is None:
        raise ValidationError(_("The team has no coordinator to receive the request."))
    return membership.organisation


def request_meeting(*, client, by, organisation, team=None, reason="", urgency="normal",
                    health_check=None, **criteria) -> MeetingRequest:
    """
    Ask the coordinator of the client's team for a team meeting. The request is sent like a
    referral: the coordinator's organisation serves the client on it, gets the card the
    requester may pass on, and the disclosure is logged — unless the client has forbidden
    disclosing to it. One request waits per client and team.
    """
    team = team or teams_for(client).first()
    if team is None:
        raise ValidationError(_("No work-ability support team serves the client's "
                                "municipality. Ask the administrator to add one."))
    recipient = recipient_of(team)
    if banned(client, recipient):
        raise ValidationError(_("The client has forbidden disclosing their information to the "
                                "team's organisation. The request cannot be sent."))
    meeting_request = MeetingRequest(
        client=client, organisation=organisation, created_by=by, team=team,
        recipient=recipient, reason=reason, urgency=urgency, health_check=health_check,
        **criteria,
    )
    meeting_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            meeting_request._history_user = by
            meeting_request.save()
            if recipient != organisation:
                serve_with_card(client=client, sender=organisation, recipient=recipient,
                                basis=RelationshipBasis.REFERRAL, by=by)
                record_disclosure(
                    user=by, client=client, source=organisation, recipient=recipient,
                    categories=[DataCategory.IDENTITY, *(
                        [DataCategory.EMPLOYMENT] if reason or any(criteria.values()) else []),
                        # That a check found the assessment needed is the check's finding.
                        *([DataCategory.HEALTH] if health_check is not None else [])],
                    action=Action.REFERRAL_SENT, legal_basis=LegalBasis.REFERRAL,
                )
    except IntegrityError:
        raise RequestWaiting() from None
    return meeting_request


def _close(meeting_request, state, by, meeting=None):
    meeting_request.state = state
    meeting_request.meeting = meeting
    meeting_request.closed_at = timezone.now()
    meeting_request._history_user = by
    meeting_request.save(update_fields=["state", "meeting", "closed_at"])


def answer_requests(*, meeting, by) -> int:
    """A meeting booked for the client answers every request waiting for them: called in the
    booking's transaction, so the queue and the meeting change together."""
    waiting = list(MeetingRequest.objects.select_for_update().filter(
        client_id=meeting.client_id, state=RequestState.OPEN))
    for meeting_request in waiting:
        _close(meeting_request, RequestState.BOOKED, by, meeting)
    return len(waiting)


@transaction.atomic
def withdraw_request(*, meeting_request, by) -> MeetingRequest:
    """The requester takes the request back: it leaves the coordinator's queue."""
    if not meeting_request.is_open:
        raise ValidationError(_("Only a request waiting for booking can be withdrawn."))
    _close(meeting_request, RequestState.WITHDRAWN, by)
    return meeting_request


# --- The queue ----------------------------------------------------------------------------------

def intake_queue(user):
    """
    The requests waiting for the user as a coordinator: sent to their organisation, for a team
    they coordinate, while no meeting for the client has been booked since; oldest first. A
    client who has forbidden disclosure to the user's organisation is left out.
    """
    if not user.has_perm("meetings.book_meeting"):
        return MeetingRequest.objects.none()
    booked_since = Meeting.objects.filter(
        client_id=OuterRef("client_id"), created_at__gte=OuterRef("created_at"),
    ).exclude(status=MeetingStatus.CANCELLED)
    return (
        MeetingRequest.objects.filter(
            state=RequestState.OPEN,
            team__members__user=user, team__members__kind=TeamMemberKind.COORDINATOR,
            recipient__memberships__user=user, recipient__memberships__is_active=True,
        )
        .exclude(Exists(booked_since))
        .exclude(client__in=clients_banned_for(user))
        .select_related("organisation", "team", "health_check")
        .distinct().order_by("created_at", "pk")
    )


# --- From the health check ----------------------------------------------------------------------

@receiver(post_save, sender=HealthCheck, dispatch_uid="meetings.request_from_health_check")
def request_from_health_check(sender, instance, raw=False, **kwargs):
    """
    A check marked "needs a multi-professional assessment" lands in the coordinator's queue:
    a request of the check's organisation, or the check joins one already waiting. Unmarked
    again, its request is withdrawn. Nothing is requested where no team serves the client or
    the client has forbidden it: the check stands as it is.
    """
    if raw:
        return
    check = instance
    own = MeetingRequest.objects.filter(health_check=check, state=RequestState.OPEN).first()
    if not check.needs_multiprofessional_assessment:
        if own is not None:
            _close(own, RequestState.WITHDRAWN, check.created_by)
        return
    if own is not None or MeetingRequest.objects.filter(health_check=check).exists():
        return
    waiting = MeetingRequest.objects.filter(client_id=check.client_id, state=RequestState.OPEN,
                                            health_check__isnull=True).first()
    if waiting is not None:
        waiting.health_check = check
        waiting._history_user = check.created_by
        waiting.save(update_fields=["health_check"])
        return
    with suppress(ValidationError):  # no team, or the client forbade it: the check stands
        request_meeting(client=check.client, by=check.created_by,
                        organisation=check.organisation, health_check=check)


def may_request(user, client) -> bool:
    """Any care-staff member of an organisation that serves the client may ask for a team
    meeting (`client` a ShownClient: the policy's answer)."""
    return client.viewer.is_care_staff and client.access.served
