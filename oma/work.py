"""What Oma Työkyky puts on My work (work/my_work.py): the client's requests to move a time
the user holds, until they are handled (oma/holding.py) — the bell only says one came."""

from django.urls import reverse
from django.utils.translation import gettext as _

from consents.policy import care_organisation_ids, clients_banned_for
from work.my_work import WorkItem, item_source

from .holding import HELD
from .models import MoveKind, MoveRequest
from .moving import is_open

# Who holds each kind of time: the one told on the bell (oma/moving.py).
HOLDER = {MoveKind.MEETING: "created_by", MoveKind.DISCUSSION: "holder",
          MoveKind.HEALTH_CHECK: "received_by"}


def _held_by(user, kind, requests) -> list[MoveRequest]:
    ids = [request.object_id for request in requests if request.kind == kind]
    if not ids:
        return []
    rows, organisation_field, wrap = HELD[kind]
    # Held by the user, for an organisation they still work in as care staff.
    times = {record.pk: wrap(record) for record in rows().filter(
        pk__in=ids, **{HOLDER[kind]: user,
                       f"{organisation_field}__in": care_organisation_ids(user)})}
    return [request for request in requests if request.kind == kind
            and request.object_id in times and is_open(request, times[request.object_id])]


@item_source
def move_requests_to_handle(user, today, week_end) -> list[WorkItem]:
    """Each open request for a time the user holds, on today's list until it is handled: the
    reason and the suiting times are on the client's page, behind its policy."""
    requests = list(MoveRequest.objects.filter(handled_at__isnull=True).exclude(
        client__in=clients_banned_for(user)).only("pk", "client_id", "kind", "object_id",
                                                  "booked_for", "handled_at"))
    held = [request for kind in MoveKind for request in _held_by(user, kind, requests)]
    return [WorkItem(today, _("The client asks to move a time: %(what)s") % {
        "what": MoveKind(request.kind).label},
        reverse("clients:detail", args=[request.client_id]), request.client_id)
        for request in held]
