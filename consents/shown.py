"""
What a page may show of one client, as the policy decided it — and what it did show.

Views never pass a visibility flag of their own. `consents.policy.client_for` hands them a
ShownClient; templates render it (`{{ client.name }}`, `{{ client.hetu }}`, `{% if
client.identity %}`) and its records (`client.records(...)`, `client.fields(record)`). What a
template asks for and the policy withholds is empty, or the placeholder. Everything it did hand
out is remembered, and the access and disclosure logs are written from that
(`consents.audit.log_shown`), not from a list each view keeps by hand.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from clients.models import ClientRelationship

from .models import GRANT_CODENAME, ClientUserObjectPermission
from .policy import (
    IdentitySource,
    clients_banned_for,
    hidden_record_counts,
    known_to,
    own_cards,
    viewer_for,
    visible_clients,
    visible_condition,
    visible_records,
)

# The client's card as templates may ask for it. Names and contact details come from the card
# the user may see (the client's, or their organisation's own); the code is the same in both.
CARD_ATTRIBUTES = frozenset({
    "first_name", "last_name", "full_name", "phone", "email", "street_address", "postal_code",
    "post_office", "language", "get_language_display", "interpreter_language", "municipality",
    "own_nurse",
})
CODE_ATTRIBUTES = frozenset({"hetu", "masked_hetu", "hetu_ending", "date_of_birth"})
# Who else works with the client and where the client's case stands: shown with the card.
CASE_ATTRIBUTES = frozenset({
    "status", "get_status_display", "closed_on", "closing_reason",
    "get_closing_reason_display", "follow_up_until",
})


class Withheld:
    """A field the policy does not hand out: rendered, it says so."""

    def __str__(self):
        return _("No consent for this information")

    def __bool__(self):
        return True


WITHHELD = Withheld()


@dataclass
class HandedOut:
    """What a page showed: the client's identity (from where), and records by organisation."""

    identity: str | None = None
    records: list = field(default_factory=list)  # (record, organisation id, categories)

    def add(self, record, source_id, categories):
        self.records.append((record, source_id, frozenset(categories)))


def record_category(record) -> str:
    """A record's data category: its class's, or its own field's."""
    return record.CATEGORY or record.category


class ShownClient:
    """One client as one user may see them, on one request (see the module's docstring)."""

    def __init__(self, instance, access, viewer, *, recipient=None, own_card=None,
                 identity_source=None, banned=False):
        self.instance = instance
        self.pk = self.id = instance.pk
        self.access = access
        self.viewer = viewer
        # For a document made for another organisation: what that organisation may see.
        self.recipient = recipient
        if own_card is None:
            own_card = (recipient or access).own_card if (recipient or access) else None
        self._own_card = own_card
        self._identity_source = identity_source
        self._banned = banned if access is None else access.banned
        self.handed_out = HandedOut()

    # --- Identity ---------------------------------------------------------------------------

    @property
    def identity_source(self) -> str | None:
        source = self._identity_source or (self.access.identity_source if self.access else None)
        if self.recipient is None:
            return source
        # A document for another organisation shows the client's card only when both its
        # maker and its recipient may see it; a card of one's own stays one's own.
        both = source in IdentitySource.CARD and self.recipient.identity_source in (
            IdentitySource.CARD)
        return source if both else None

    @property
    def identity(self) -> bool:
        """May the page show who the client is (the client's card, or a card of one's own)?"""
        return self.identity_source is not None

    @property
    def sees_card(self) -> bool:
        """The client's card itself, with who else works with the client."""
        return self.identity_source in IdentitySource.CARD

    @property
    def name(self) -> str:
        """Who the client is, or the placeholder that names them by number only."""
        if not self.identity:
            return _("Client no. %(number)s") % {"number": self.pk}
        return self.full_name

    def __str__(self):
        return self.name

    @property
    def current_case_managers(self) -> list:
        """A list row's case managers (prefetched on the client): all of them with the card
        and no ban, otherwise the user's own organisations' only."""
        if not self.identity:
            return []
        self.handed_out.identity = self.identity_source
        assignments = getattr(self.instance, "current_case_managers", [])
        if self.sees_card and not self._banned:
            return assignments
        return [a for a in assignments if a.organisation_id in self.viewer.organisation_ids]

    def hand_out_identity(self):
        """For a page that shows the card otherwise than through this object (an edit form),
        or is logged before it is rendered (the access log lists its own view)."""
        self.handed_out.identity = self.identity_source

    def __getattr__(self, name):
        if name.startswith("_") or name not in (CARD_ATTRIBUTES | CODE_ATTRIBUTES
                                                | CASE_ATTRIBUTES):
            raise AttributeError(name)
        source = self.identity_source
        if source is None or (name in CASE_ATTRIBUTES and not self.sees_card):
            return ""
        self.handed_out.identity = source
        card = self._own_card if source == IdentitySource.OWN_CARD and (
            name in CARD_ATTRIBUTES) else self.instance
        return getattr(card, name)

    # --- Records ----------------------------------------------------------------------------

    def _hand_out(self, records):
        for record in records:
            self.handed_out.add(record, record.organisation_id, [record_category(record)])
        return records

    def visible(self, queryset):
        """The client's records of the queryset that the user (and the document's recipient)
        may see, still as a queryset: for a count or an existence check, nothing handed out."""
        visible = visible_records(self.viewer.user, self.instance, queryset)
        if self.recipient is not None:
            visible = visible.filter(visible_condition(self.recipient, queryset.model))
        return visible

    def records(self, queryset) -> list:
        """The records a page shows — the only way it gets them — remembered for the log."""
        return self._hand_out(list(self.visible(queryset)))

    def first(self, queryset):
        found = self._hand_out(list(self.visible(queryset)[:1]))
        return found[0] if found else None

    def hidden_counts(self, queryset) -> dict[str, int]:
        return hidden_record_counts(self.viewer.user, self.instance, queryset)

    def sees(self, category, source_id) -> bool:
        """May the page show this organisation's data of this category?"""
        if not self.access.shares(category, source_id):
            return False
        return self.recipient is None or self.recipient.shares(category, source_id)

    def fields(self, record, *, source_id=None):
        """The record with each of its categorised fields shown only as the policy allows."""
        if record is None:
            return None
        return ShownRecord(record, self, source_id or record.organisation_id)

    def may_edit(self, record) -> bool:
        return self.access.may_edit(record)

    def known(self, rows, organisation_field="organisation"):
        """Other organisations' rows about the client's case, as far as the user may know of
        them (consents.policy.known_to)."""
        return known_to(self.access, rows, organisation_field)

    def relationships(self):
        """Which organisations serve the client and on what basis, as far as the user may
        know of them."""
        return self.known(ClientRelationship.objects.filter(client=self.instance)
                          .select_related("organisation", "recorded_by"))

    def team_grants(self):
        """The per-client team grants the user may know of: of their own organisations'
        people, or all of them with the client's card."""
        return self.known(
            ClientUserObjectPermission.objects.filter(
                content_object=self.instance, permission__codename=GRANT_CODENAME)
            .select_related("user"), "user__memberships__organisation")

    def for_editing(self, record, *, source_id=None):
        """A record whole, for its edit form: only the organisation that wrote it edits it
        (403 for anyone else), and the form hands out every field."""
        source_id = source_id or record.organisation_id
        if source_id not in self.access.own_organisation_ids:
            raise PermissionDenied
        categories = set(getattr(record, "FIELD_CATEGORIES", {}).values())
        self.handed_out.add(record, source_id, categories | {record_category(record)}
                            if hasattr(record, "CATEGORY") else categories)
        return record


class ShownRecord:
    """A record whose fields carry their own categories (Model.FIELD_CATEGORIES): a meeting's
    minutes are health content even though its time is for everyone invited."""

    def __init__(self, record, client: ShownClient, source_id):
        self._record = record
        self._client = client
        self._source_id = source_id
        self.pk = record.pk

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "client":  # never the raw client behind the record
            return self._client
        value = getattr(self._record, name)
        category = getattr(self._record, "FIELD_CATEGORIES", {}).get(name)
        if category is None:
            if isinstance(value, models.Model) and hasattr(value, "FIELD_CATEGORIES"):
                return ShownRecord(value, self._client, self._source_id)
            return value
        if not self._client.sees(category, self._source_id):
            return WITHHELD
        self._client.handed_out.add(self._record, self._source_id, [category])
        return value

    def __str__(self):
        return str(self._record)


def client_rows(user, clients) -> list[ShownClient]:
    """List rows (annotated by policy.visible_clients) as the user may see them: one query for
    the cards their organisations typed, none per row."""
    clients = list(clients)
    typed = own_cards(user, [c.pk for c in clients if c.identity_source ==
                             IdentitySource.OWN_CARD])
    banned = set(clients_banned_for(user).filter(
        client_id__in=[c.pk for c in clients]).values_list("client_id", flat=True))
    viewer = viewer_for(user)
    return [ShownClient(client, None, viewer, own_card=typed.get(client.pk),
                        identity_source=client.identity_source, banned=client.pk in banned)
            for client in clients]


def shown_clients(user, client_ids) -> dict[int, ShownClient]:
    """Clients named by id somewhere on a page (a worklist, a calendar), as list rows."""
    rows = client_rows(user, visible_clients(user).filter(pk__in=set(client_ids))
                       .select_related("municipality"))
    return {row.pk: row for row in rows}

