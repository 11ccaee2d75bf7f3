"""The case's own events on the client's timeline: who was the client's case manager from when
to when, and when the client was closed and reopened. Shown as the client page shows them: the
case managers the user may know of (ShownClient.known), the closing with the client's card."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from clients.models import CaseManagerAssignment, Client, ClientStatus, ClosingReason
from clients.timeline import Event, day_event, register


@register
def case_manager_events(client) -> list:
    url = reverse("clients:detail", args=[client.pk])
    events = []
    assignments = client.known(CaseManagerAssignment.objects.filter(
        client=client.instance).select_related("user"))
    for assignment in assignments:
        events.append(day_event(assignment.started_on, _("%(person)s became case manager")
                                % {"person": assignment.user}, url, assignment))
        if assignment.ended_on:
            events.append(day_event(assignment.ended_on, _("%(person)s ended as case manager")
                                    % {"person": assignment.user}, url, assignment))
    return events


@register
def closing_events(client) -> list:
    """Each closing and reopening, from the client's history: a reopened client's earlier
    closings stay on the timeline."""
    if not client.sees_card:  # where the case stands is shown with the client's card
        return []
    url = reverse("clients:detail", args=[client.pk])
    events, previous = [], ClientStatus.ACTIVE
    history = Client.history.filter(id=client.pk).order_by("history_date", "history_id").only(
        "id", "history_date", "status", "closed_on", "closing_reason", "follow_up_until")
    for version in history:
        if version.status == previous:
            continue
        client.hand_out_identity()
        if version.status == ClientStatus.CLOSED:
            events.append(day_event(version.closed_on or version.history_date.date(),
                                    _closing_label(version), url, client.instance))
        else:
            events.append(Event(at=version.history_date, label=_("Client reopened"), url=url,
                                record=client.instance))
        previous = version.status
    return events


def _closing_label(version) -> str:
    reason = ClosingReason(version.closing_reason).label if version.closing_reason else ""
    if version.follow_up_until:
        return _("Client closed: %(reason)s; followed up until %(date)s") % {
            "reason": reason,
            "date": formats.date_format(version.follow_up_until, "SHORT_DATE_FORMAT")}
    return _("Client closed: %(reason)s") % {"reason": reason}
