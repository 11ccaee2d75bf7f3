"""
Writing the access log and the disclosure log.

Every page, PDF and export that shows client data gets the client from the policy as a
ShownClient (consents/shown.py) and, once rendered, calls `log_shown`: one access-log row with
the categories the page handed out, and a disclosure row for each other organisation whose data
it showed under a consent, naming the consent. Lists call `log_rows` (one INSERT for a page).
`record_disclosure` logs data sent to another organisation (a referral, feedback, a document).
"""

from axes.helpers import get_client_ip_address
from django.shortcuts import render

from clients.records import DataCategory

from .models import AccessLogEntry, DisclosureLogEntry, LegalBasis
from .policy import IdentitySource, identity_consents, viewer_for


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


def _recipient_id(request):
    membership = viewer_for(request.user).membership
    return membership.organisation_id if membership else None


def log_shown(request, shown, action: str) -> None:
    """
    What a page, print or export showed of one client: one access-log row, and disclosure rows
    for other organisations' data shown under a consent. Data sent to the viewer's organisation
    (a referral, feedback) or shown to a meeting's participants was logged when it was sent.
    """
    handed = shown.handed_out
    categories = {category for _record, _source, cats in handed.records for category in cats}
    if handed.identity:
        categories.add(DataCategory.IDENTITY)
    if not categories:
        return
    AccessLogEntry.objects.create(client=shown.instance, categories=_sorted(categories),
                                  action=action, **_who(request))
    _log_consented_disclosures(request, shown, action)


def _consented_sources(shown) -> dict[int, dict[str, int]]:
    """{organisation: {category: consent}} of what the page showed under a consent."""
    access = shown.access
    by_source: dict[int, dict[str, int]] = {}
    for _record, source, categories in shown.handed_out.records:
        for category in categories:
            consent = access.consent_for(category, source)
            if consent and source not in access.own_organisation_ids:
                by_source.setdefault(source, {}).setdefault(str(category), consent)
    if shown.handed_out.identity == IdentitySource.CONSENT:
        writer = access.card_writer_id
        by_source.setdefault(writer, {}).setdefault(
            DataCategory.IDENTITY.value, access.consent_for(DataCategory.IDENTITY, writer))
    return by_source


def _log_consented_disclosures(request, shown, action) -> None:
    by_source = _consented_sources(shown)
    if not by_source:
        return
    recipient = _recipient_id(request)
    DisclosureLogEntry.objects.bulk_create(
        DisclosureLogEntry(
            user=request.user, client=shown.instance, source_organisation_id=source,
            recipient_organisation_id=recipient, categories=_sorted(consents),
            legal_basis=LegalBasis.CONSENT,
            consent_id=consents[_sorted(consents)[0]], action=action,
        )
        for source, consents in by_source.items()
    )


def log_rows(request, rows, action: str) -> None:
    """
    Clients named on a page of a list (ShownClient rows): one access-log row each for those
    whose identity the page showed, one disclosure row each for those shown under a consent —
    two INSERTs however long the page.
    """
    shown = [row for row in rows if row.handed_out.identity]
    who = _who(request)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(client=row.instance, categories=[DataCategory.IDENTITY.value],
                       action=action, **who)
        for row in shown
    )
    under_consent = [row.pk for row in shown if row.handed_out.identity == IdentitySource.CONSENT]
    if not under_consent:
        return
    recipient = _recipient_id(request)
    DisclosureLogEntry.objects.bulk_create(
        DisclosureLogEntry(
            user=request.user, client_id=client_id, source_organisation_id=writer,
            recipient_organisation_id=recipient, categories=[DataCategory.IDENTITY.value],
            consent_id=consent, action=action,
        )
        for client_id, (writer, consent) in identity_consents(request.user,
                                                              under_consent).items()
        if writer is not None
    )


def record_disclosure(*, user, client, categories, action: str, source=None, recipient=None,
                      source_id=None, recipient_id=None, legal_basis=LegalBasis.CONSENT,
                      consent=None, consent_id=None) -> None:
    """Data sent from one organisation to another, e.g. feedback to the referrer."""
    DisclosureLogEntry.objects.create(
        user=user, client=client, categories=_sorted(categories), action=action,
        source_organisation_id=source.pk if source else source_id,
        recipient_organisation_id=recipient.pk if recipient else recipient_id,
        legal_basis=legal_basis, consent_id=consent.pk if consent else consent_id,
    )


def render_shown(request, template: str, context: dict, *, client, action: str,
                 status: int = 200):
    """Render a page about one client and log what it showed (see log_shown)."""
    response = render(request, template, {**context, "client": client}, status=status)
    log_shown(request, client, action)
    return response


def render_rows(request, template: str, context: dict, *, rows, action: str):
    """Render a page naming many clients (ShownClient rows) and log whom it named."""
    response = render(request, template, context)
    log_rows(request, rows, action)
    return response
