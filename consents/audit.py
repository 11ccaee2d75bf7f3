"""
Writing the access log and the disclosure log.

Every view, PDF and export that shows client data calls `log_access` (or `log_list_access` for
a page of many clients: one INSERT however many rows are shown). When what is shown was written
by another organisation, `log_disclosures` records it beside the view, with the consent that
allowed it.
"""

from axes.helpers import get_client_ip_address

from .models import AccessLogEntry, DataCategory, DisclosureLogEntry
from .policy import covering_consents, identity_sources, viewer_for


def _who(request) -> dict:
    membership = viewer_for(request.user).membership
    return {
        "user": request.user,
        "organisation_id": membership.organisation_id if membership else None,
        "role": membership.role if membership else "",
        "ip_address": get_client_ip_address(request) or None,
    }


def _sorted(categories) -> list[str]:
    order = list(DataCategory.values)
    return sorted({str(c) for c in categories}, key=order.index)


def log_access(request, *, client, categories, action: str) -> None:
    """One row: this user saw these categories of this client's data."""
    if categories:
        AccessLogEntry.objects.create(
            client=client, categories=_sorted(categories), action=action, **_who(request)
        )


def log_list_access(request, *, clients, categories, action: str) -> None:
    """One row per client on a page, written in one INSERT."""
    who = _who(request)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(client=client, categories=_sorted(categories), action=action, **who)
        for client in clients
    )


def log_disclosures(request, *, client, shown: dict[int, set], action: str) -> None:
    """
    `shown` maps each source organisation to the categories of its data that were shown.
    The viewer's own organisations are not a disclosure and are skipped.
    """
    viewer = viewer_for(request.user)
    recipient = viewer.membership.organisation_id if viewer.membership else None
    disclosed = {
        source: categories
        for source, categories in shown.items()
        if categories and source not in viewer.organisation_ids
    }
    if not disclosed:
        return
    basis = covering_consents(request.user, client)
    DisclosureLogEntry.objects.bulk_create(
        DisclosureLogEntry(
            user=request.user,
            client=client,
            source_organisation_id=source,
            recipient_organisation_id=recipient,
            categories=_sorted(categories),
            consent=next((basis[c] for c in _sorted(categories) if c in basis), None),
            action=action,
        )
        for source, categories in disclosed.items()
    )


def log_list_disclosures(request, *, clients, action: str) -> None:
    """Identity shown in a list under a consent: one disclosure row per client, in one INSERT."""
    shared = [client.pk for client in clients if not client.identity_served]
    if not shared:
        return
    membership = viewer_for(request.user).membership
    recipient = membership.organisation_id if membership else None
    DisclosureLogEntry.objects.bulk_create(
        DisclosureLogEntry(
            user=request.user, client_id=client_id, source_organisation_id=source,
            recipient_organisation_id=recipient, categories=[DataCategory.IDENTITY.value],
            consent=consent, action=action,
        )
        for client_id, (source, consent) in identity_sources(request.user, shared).items()
        if source is not None
    )
