"""The client page's meeting part."""

from cases.sections import section
from clients.records import DataCategory

from .intake import may_request
from .models import MeetingRequest


@section
def meeting_actions(request, client) -> dict:
    return {"may_book_meeting": request.user.has_perm("meetings.book_meeting")}


@section
def meeting_requests(request, client) -> dict:
    """The requests for a team meeting the user may see — their own organisation's, and those
    sent to it — with their state; and whether the user may ask for one."""
    requests = client.records(MeetingRequest.objects.select_related(
        "organisation", "created_by", "team", "meeting"))
    for meeting_request in requests:  # only the requesting organisation takes it back
        meeting_request.may_withdraw = meeting_request.is_open and client.may_edit(
            meeting_request)
        meeting_request.shows_health_origin = shows_health_origin(client, meeting_request)
    return {"meeting_requests": requests,
            "may_request_meeting": may_request(request.user, client)}


def shows_health_origin(client, meeting_request) -> bool:
    """That a health check found a multi-professional assessment needed is health data of the
    checking organisation: shown to the organisation it was sent to (the disclosure logged
    with the request) and to others only under a consent for health information."""
    return meeting_request.from_health_check and (
        meeting_request.recipient_id in client.viewer.organisation_ids
        or client.sees(DataCategory.HEALTH, meeting_request.organisation_id))
