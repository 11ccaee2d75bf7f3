"""
The client's own access to their data, in their own service (oma/).

The rule, beside the staff rules of consents/policy.py (stated in the README too):

    A client identified strongly (Suomi.fi) sees their own data, whichever organisation wrote
    it: the right of access (GDPR art. 15, Act 703/2023). Consents and disclosure bans are
    about other organisations and do not narrow it. A client sees nobody else's data, and of
    the staff who read theirs, the organisation and the role — not the person (the client asks
    for names through the data protection officer: rights/).

`OwnClient` is what the client's pages get instead of a client: their card, and their records
by `records(queryset)`, each remembered by category as the page hands it out. `render_own`
renders the page and writes one access-log row of what it showed, as the client's own read
(`by_client`, no user), so that the log stays the one record of who read what.
"""

from axes.helpers import get_client_ip_address
from django.shortcuts import render

from clients.models import Client
from clients.records import DataCategory

from .audit import _sorted
from .models import AccessLogEntry, Action
from .shown import CARD_ATTRIBUTES, CASE_ATTRIBUTES, CODE_ATTRIBUTES, record_category


class OwnClient:
    """The identified client, as their own service may show them on one request."""

    def __init__(self, client: Client):
        self.instance = client
        self.pk = client.pk
        self.handed_out: set[str] = set()

    def __getattr__(self, name):
        if name in CARD_ATTRIBUTES | CODE_ATTRIBUTES | CASE_ATTRIBUTES:
            self.handed_out.add(DataCategory.IDENTITY.value)
            return getattr(self.instance, name)
        raise AttributeError(name)

    def __str__(self):
        return self.full_name

    def own(self, queryset, client_field: str = "client"):
        """Rows of `queryset` about this client, and no one else (not yet handed out)."""
        return queryset.filter(**{client_field: self.instance})

    def records(self, queryset, client_field: str = "client") -> list:
        """The client's own records of `queryset`, handed out (their categories logged)."""
        rows = list(self.own(queryset, client_field))
        self.hand_out(rows)
        return rows

    def hand_out(self, rows, category: DataCategory | str | None = None) -> None:
        """Rows the page shows: their categories go to the access log."""
        for row in rows:
            self.handed_out.add(str(category or record_category(row)))


def own_client(client_id) -> OwnClient:
    """The identified client themself: the only client a client session may read."""
    return OwnClient(Client.objects.get(pk=client_id))


def log_own_read(request, own: OwnClient, action: str = Action.OWN_SERVICE) -> None:
    """One access-log row of what a page of the client's own service showed."""
    if not own.handed_out:
        return
    AccessLogEntry.objects.create(
        client=own.instance, by_client=True, user=None, action=action,
        categories=_sorted(own.handed_out),
        ip_address=get_client_ip_address(request) or None,
    )


def render_own(request, template: str, context: dict | None = None, *,
               action: str = Action.OWN_SERVICE, status: int = 200):
    """Render a page of the client's own service and log what it showed."""
    own = request.client
    response = render(request, template, {**(context or {}), "client": own}, status=status)
    log_own_read(request, own, action)
    return response
