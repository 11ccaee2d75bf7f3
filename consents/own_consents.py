"""
The client's own consents and disclosure bans, as their own service (oma/) lists and finds them.

A client reads and changes only their own: `own_consent` and `own_ban` find one of theirs by
id or answer 404, as if it did not exist, so that an id tells another client nothing. The
changes themselves go through consents/services.py (`*_as_client`).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clients.records import DataCategory
from teams.models import Organisation

from .models import Consent, DisclosureBan
from .own import OwnClient


def organisations_to_choose(client: OwnClient) -> QuerySet[Organisation]:
    """The organisations a client can meaningfully name: the active ones that serve their
    municipality, and those that serve them now. By name only; the people in them are not
    the client's to pick."""
    instance = client.instance
    serving = instance.relationships.in_force().values("organisation_id")
    return (Organisation.objects.filter(is_active=True)
            .filter(Q(municipalities=instance.municipality_id) | Q(pk__in=serving))
            .distinct().order_by("name"))


def _consents(client: OwnClient) -> QuerySet[Consent]:
    return (client.own(Consent.objects.all())
            .select_related("recorded_by_organisation")
            .prefetch_related("recipient_organisations", "category_rows", "sector_rows",
                              "confirmations__organisation")
            .order_by("-recorded_at", "-pk"))


@dataclass
class OwnConsents:
    """The client's consents, sorted for their page: to confirm, in force, ended."""

    to_confirm: list
    in_force: list
    ended: list


def consents_of(client: OwnClient, today=None) -> OwnConsents:
    """Every consent of the client, handed out (logged) as the page shows them."""
    today = today or timezone.localdate()
    rows = list(_consents(client))
    client.hand_out(rows, DataCategory.IDENTITY)
    def has_ended(consent) -> bool:
        return bool(consent.revoked_at or (consent.valid_until and consent.valid_until < today))

    ended = [consent for consent in rows if has_ended(consent)]
    current = [consent for consent in rows if not has_ended(consent)]
    return OwnConsents(
        to_confirm=[c for c in current if c.confirmed_by_client_at is None],
        in_force=[c for c in current if c.confirmed_by_client_at is not None],
        ended=ended,
    )


def bans_of(client: OwnClient) -> list[DisclosureBan]:
    """The client's disclosure bans, those in force first."""
    rows = list(client.own(DisclosureBan.objects.select_related("organisation"))
                .order_by("lifted_at", "-recorded_at", "-pk"))
    client.hand_out(rows, DataCategory.IDENTITY)
    return rows


def own_consent(client: OwnClient, pk) -> Consent:
    """One of the client's consents, or 404 whether it exists or not."""
    consent = _consents(client).filter(pk=pk).first()
    if consent is None:
        raise Http404
    client.hand_out([consent], DataCategory.IDENTITY)
    return consent


def own_ban(client: OwnClient, pk) -> DisclosureBan:
    """One of the client's own disclosure bans that they may lift (recorded by themself and
    still in force), or 404."""
    ban = client.own(DisclosureBan.objects.in_force().select_related("organisation")).filter(
        pk=pk, recorded_by_client=True).first()
    if ban is None:
        raise Http404
    client.hand_out([ban], DataCategory.IDENTITY)
    return ban
