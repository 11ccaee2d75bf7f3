"""
Writing the access log and the disclosure log.

Every view, PDF and export that shows client data calls `log_read` (or `log_access` for identity
alone, `log_list_access` for a page of many clients: one INSERT however many rows are shown).
What was written by another organisation and shown under a consent goes to the disclosure log
beside it, with the consent that allowed it; `record_disclosure` logs data sent to another
organisation.
"""

from axes.helpers import get_client_ip_address

from .models import AccessLogEntry, DataCategory, DisclosureLogEntry, LegalBasis
from .policy import access_for, covering_consents, identity_sources, viewer_for


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


def record_category(record) -> str:
    """A record's data category: its class's, or its own field's."""
    return record.CATEGORY or record.category


def log_read(request, *, client, action: str, records=(), identity: bool = False) -> None:
    """
    What a page, print or export showed of one client — their identity and these records:
    one access-log row, and disclosure rows for other organisations' records shown under a
    consent. Records sent to the viewer's organisation were logged as disclosed when sent.
    """
    viewer = viewer_for(request.user)
    categories = {record_category(record) for record in records}
    by_consent: dict[int, set] = {}
    for record in records:
        addressed = getattr(record, f"{record.ADDRESSED_TO}_id") if record.ADDRESSED_TO else None
        if record.organisation_id in viewer.organisation_ids or (
            addressed in viewer.organisation_ids
        ):
            continue
        by_consent.setdefault(record.organisation_id, set()).add(record_category(record))
    if identity:
        categories.add(DataCategory.IDENTITY)
        if not access_for(request.user, client).served:
            source = client.organisations.order_by("pk").values_list("pk", flat=True).first()
            if source is not None:
                by_consent.setdefault(source, set()).add(DataCategory.IDENTITY)
    log_access(request, client=client, categories=categories, action=action)
    _log_disclosures_under_consent(request, client=client, shown=by_consent, action=action)


def _log_disclosures_under_consent(request, *, client, shown: dict[int, set], action) -> None:
    if not shown:
        return
    viewer = viewer_for(request.user)
    recipient = viewer.membership.organisation_id if viewer.membership else None
    basis = covering_consents(request.user, client)
    DisclosureLogEntry.objects.bulk_create(
        DisclosureLogEntry(
            user=request.user,
            client=client,
            source_organisation_id=source,
            recipient_organisation_id=recipient,
            categories=_sorted(categories),
            legal_basis=LegalBasis.CONSENT,
            consent=next((basis[c] for c in _sorted(categories) if c in basis), None),
            action=action,
        )
        for source, categories in shown.items()
    )


def record_disclosure(*, user, client, source, recipient, categories, action: str,
                      legal_basis=LegalBasis.CONSENT, consent=None) -> None:
    """Data sent from one organisation to another, e.g. feedback to the referrer."""
    DisclosureLogEntry.objects.create(
        user=user, client=client, source_organisation=source, recipient_organisation=recipient,
        categories=_sorted(categories), action=action, legal_basis=legal_basis, consent=consent,
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
