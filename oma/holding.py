"""
The staff side of the client's requests to move a time (oma.models.MoveRequest): who reads
the reason and the suiting times, and marking a request handled.

The reason and the suiting times are the client's message to the organisation that holds the
time — the meeting's organisation, the feedback discussion's, the health check's (the
referral's recipient). Only that organisation's staff who may open the client's page read them
(the page comes through consents.policy: a ShownClient); another organisation on the client's
team reads nothing of them under any consent, since the client wrote them to the holder only
and the reason may be about their health. What the page shows is handed out for the access
log as health data of the holding organisation.

A request is open by one rule (oma.moving.is_open): moving the time handles it as well as
marking it handled here.
"""

from dataclasses import dataclass

from django.utils import timezone

from clients.records import DataCategory
from meetings.models import Meeting, MeetingStatus
from plans.models import FeedbackDiscussion
from referrals.models import Referral, ReferralStatus

from .models import MoveKind, MoveRequest
from .moving import BookedTime, _check, _discussion, _meeting, is_open

# Each kind's times still booked, which field names the organisation holding the time, and how
# it becomes a BookedTime.
HELD = {
    MoveKind.MEETING: (lambda: Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
                       .select_related("room", "created_by", "organisation"),
                       "organisation_id", _meeting),
    MoveKind.DISCUSSION: (lambda: FeedbackDiscussion.objects.filter(held_on__isnull=True)
                          .select_related("holder", "organisation"),
                          "organisation_id", _discussion),
    MoveKind.HEALTH_CHECK: (lambda: Referral.objects.filter(status=ReferralStatus.BOOKED)
                            .select_related("received_by", "recipient"),
                            "recipient_id", _check),
}


@dataclass
class HeldRequest:
    """An open request to move a time the viewer's organisation holds, with the time."""

    request: MoveRequest
    time: BookedTime

    @property
    def pk(self):
        return self.request.pk


def _times(client, kind, ids) -> dict[int, BookedTime]:
    """The booked times of the kind among `ids` that the viewer's organisations hold, through
    the policy (client.records: handed out for the access log)."""
    rows, holder_field, wrap = HELD[kind]
    held = rows().filter(pk__in=ids, **{f"{holder_field}__in": client.viewer.organisation_ids})
    return {record.pk: wrap(record) for record in client.records(held)}


def held_requests(client, requests=None) -> list[HeldRequest]:
    """The client's open requests to move a time held by the viewer's organisation, soonest
    time first, the reason handed out for the access log. `client` is the ShownClient."""
    if requests is None:
        requests = MoveRequest.objects.filter(client_id=client.pk, handled_at__isnull=True)
    requests = list(requests)
    if not requests or not client.viewer.organisation_ids:
        return []
    found = []
    for kind in MoveKind:
        ids = [request.object_id for request in requests if request.kind == kind]
        times = _times(client, kind, ids) if ids else {}
        found += [HeldRequest(request, times[request.object_id]) for request in requests
                  if request.kind == kind and request.object_id in times
                  and is_open(request, times[request.object_id])]
    for held in found:
        client.handed_out.add(held.request, held.time.organisation.pk, [DataCategory.HEALTH])
    return sorted(found, key=lambda held: (held.time.starts_at, held.pk))


def held_request(client, pk) -> HeldRequest | None:
    """One open request of the client's by id, if the viewer's organisation holds its time;
    None for anything else (the view answers 404 whether or not it exists)."""
    found = held_requests(client, MoveRequest.objects.filter(
        pk=pk, client_id=client.pk, handled_at__isnull=True))
    return found[0] if found else None


def mark_handled(held: HeldRequest) -> None:
    """The holder has dealt with the request (called the client, kept the time): it leaves
    the lists, and the client may ask again. Only an open one is marked (a second click, or
    the time moved meanwhile, changes nothing)."""
    MoveRequest.objects.filter(pk=held.pk, handled_at__isnull=True).update(
        handled_at=timezone.now())
