"""
Who has viewed my data: the client's view of the access log and the disclosure log.

The rule (stated on the page and in the README): the client sees which organisation, in which
role, read which kinds of their data and when, and which organisation's data went to which
organisation on what basis — not the names of individual staff. The client can ask for the
names through the data protection officer of the organisation (the right of access, rights/).
The client's own reads (`by_client`) are not listed: they are not someone viewing their data.

Rows go to the page as plain values — never log entries with their user — so that no template
can reach a staff member's name.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator

from clients.records import DataCategory
from teams.choices import Role

from .models import AccessLogEntry, Action, DisclosureLogEntry, LegalBasis
from .own import OwnClient

PER_PAGE = 50


def _labels(values) -> list[str]:
    return [str(DataCategory(value).label) for value in values if value in DataCategory.values]


def _action(value) -> str:
    return str(Action(value).label) if value in Action.values else value


@dataclass(frozen=True)
class Viewing:
    """One read of the client's data, as the client sees it."""

    at: datetime
    organisation: str
    role: str
    categories: list[str]
    action: str


@dataclass(frozen=True)
class Disclosure:
    """One organisation's data shown or sent to another, as the client sees it."""

    at: datetime
    source: str
    recipient: str
    basis: str
    categories: list[str]
    action: str


def _page(rows, number) -> Page:
    return Paginator(rows, PER_PAGE).get_page(number)


def viewings(client: OwnClient, page_number) -> Page:
    """Staff reads of the client's data, newest first, 50 a page."""
    rows = (client.own(AccessLogEntry.objects.filter(by_client=False))
            .order_by("-at", "-pk")
            .values_list("at", "organisation__name", "role", "categories", "action"))
    page = _page(rows, page_number)
    page.object_list = [
        Viewing(at=at, organisation=organisation or "", categories=_labels(categories),
                role=str(Role(role).label) if role in Role.values else role,
                action=_action(action))
        for at, organisation, role, categories, action in page.object_list
    ]
    client.hand_out(page.object_list, DataCategory.IDENTITY)
    return page


def disclosures(client: OwnClient, page_number) -> Page:
    """Disclosures of the client's data between organisations, newest first, 50 a page."""
    rows = (client.own(DisclosureLogEntry.objects.all())
            .order_by("-at", "-pk")
            .values_list("at", "source_organisation__name", "recipient_organisation__name",
                         "legal_basis", "categories", "action"))
    page = _page(rows, page_number)
    page.object_list = [
        Disclosure(at=at, source=source, recipient=recipient or "",
                   basis=str(LegalBasis(basis).label) if basis in LegalBasis.values else basis,
                   categories=_labels(categories), action=_action(action))
        for at, source, recipient, basis, categories, action in page.object_list
    ]
    client.hand_out(page.object_list, DataCategory.IDENTITY)
    return page
