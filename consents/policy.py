"""
The access policy: the one place that decides who may see which client data.

The rule (DESIGN.md, "Consent and data categories"; stated in the README too):

    An organisation sees what it wrote, and what another organisation wrote only under a
    consent that the writing organisation — the controller of that data — recorded or
    confirmed, or that the client gave themself. A disclosure ban overrides everything,
    identity included.

What follows from it, rule by rule (each a small Exists/Q over the client of the outer query):
- Only staff with a care role in an active organisation see client data. The admin role manages
  the system and reads nothing unless the person also holds a care role.
- An organisation serves a client only on a recorded basis (clients.ClientRelationship): the
  client's own visit or application, a referral or feedback addressed to it, an invitation to
  the client's meeting. Serving lets it write its own records; it opens nobody else's.
- The client's card (name, code, contact details) is the record of the organisation that wrote
  it. A referral or feedback addressed to an organisation carries the card with it (disclosed
  and logged when sent). An organisation that took the client on at a visit when the card
  already existed sees only the card it typed itself.
- Another organisation's record is shown to a member of the client's team — a current case
  manager, the own nurse, someone granted the client one by one (guardian), a participant of
  the client's meeting while it is coming or until 30 days after it — only while a valid
  consent covers their organisation or sector for its category and was recorded or confirmed
  by the record's organisation, or confirmed by the client. Only an organisation that keeps the
  client's card (wrote it, or was sent it) names case managers and grants, and only a
  coordinator who sees the card books a meeting: nobody joins the team by an act of their own
  organisation alone.
- That other organisations serve the client, their consents, bans, case managers and views are
  their data too: shown with the client's card only (`may_know_of_others`, `known_to`).
- A disclosure ban (luovutuskielto) on their organisation or sector leaves them only what their
  own organisation wrote.
- Nobody else sees anything: 404, as if the client did not exist.

Consents and bans are read on every request, so a revocation takes effect at the next one.
Views do not read these answers into flags of their own: `client_for` hands them a ShownClient
(consents/shown.py) that carries what may be shown, and the access log is written from it.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from clients.models import (
    CaseManagerAssignment,
    Client,
    ClientRelationship,
    RelationshipBasis,
)
from clients.records import DataCategory
from teams.models import Membership

from .models import Consent, DisclosureBan, Reach, ReachKind, TeamGround


class IdentitySource:
    """Where the identity a user sees of a client comes from (annotated on list rows)."""

    WRITTEN = "written"  # their organisation wrote the client's card
    SENT = "sent"  # a referral or feedback addressed to their organisation carried it
    CONSENT = "consent"  # a consent confirmed by the card's writer covers them
    OWN_CARD = "own_card"  # the card their organisation typed at the client's visit
    CARD = (WRITTEN, SENT, CONSENT)


@dataclass(frozen=True)
class Viewer:
    """Who asks: a user with the organisations and sectors in which they work as care staff,
    or a whole organisation (for a document made for it)."""

    user: object
    organisation_ids: frozenset[int]
    sectors: frozenset[str]
    # The membership logs name as "who": the first care membership.
    membership: Membership | None

    @property
    def is_care_staff(self) -> bool:
        return bool(self.organisation_ids)


def viewer_for(user) -> Viewer:
    """The user's care memberships, read once per request (kept on the user object)."""
    if not hasattr(user, "_policy_viewer"):
        memberships = []
        if user.is_authenticated:
            memberships = list(
                Membership.objects.active().care().filter(user=user)
                .select_related("organisation").order_by("pk")
            )
        user._policy_viewer = Viewer(
            user=user,
            organisation_ids=frozenset(m.organisation_id for m in memberships),
            sectors=frozenset(m.organisation.sector for m in memberships),
            membership=memberships[0] if memberships else None,
        )
    return user._policy_viewer


def _organisation_viewer(organisation) -> Viewer:
    return Viewer(user=None, organisation_ids=frozenset([organisation.pk]),
                  sectors=frozenset([organisation.sector]), membership=None)


def care_organisation_ids(user) -> frozenset[int]:
    return viewer_for(user).organisation_ids


# --- The rules' conclusions, each a set of client ids ------------------------------------------
# consents/reach.py works the rules out client by client into rows (Reach) whenever what they
# read changes; here each rule is the set of clients whose rows say so for the viewer, in force
# now. Each set does not depend on the outer row ("pk IN (…)"), so that PostgreSQL works it out
# once for a whole list from an index on the viewer's organisation, sector or person.

def _among(rows: QuerySet, client_field: str = "client_id") -> Q:
    return Q(pk__in=rows.values(client_field))


def _concluded(kind: str, audience: Q) -> Q:
    return _among(Reach.objects.in_force().filter(audience, kind=kind))


def _organisations(viewer: Viewer) -> Q:
    return Q(organisation_id__in=viewer.organisation_ids)


def _organisations_or_sectors(viewer: Viewer) -> Q:
    return Q(organisation_id__in=viewer.organisation_ids) | Q(sector__in=viewer.sectors)


def _served_by_my_organisation(viewer: Viewer) -> Q:
    return _concluded(ReachKind.SERVED, _organisations(viewer))


def _card_sent_to_me(viewer: Viewer) -> Q:
    return _concluded(ReachKind.CARD_SENT, _organisations(viewer))


def _own_card(viewer: Viewer) -> Q:
    """A card of the viewer's organisation's own: typed at the client's visit, or carried by a
    referral from an organisation that knew the client by its own — which a ban hides."""
    typed = _concluded(ReachKind.TYPED_CARD, _organisations(viewer))
    carried = _concluded(ReachKind.OWN_CARD, _organisations(viewer))
    return typed | (carried & ~_banned(viewer))


def team_case_managers() -> QuerySet:
    """Current case manager periods that put their person on the client's team: named by an
    organisation keeping the client's card (reminders and notices go to these)."""
    return CaseManagerAssignment.objects.current().filter(Exists(
        Reach.objects.in_force().filter(kind=ReachKind.TEAM, ground=TeamGround.CASE_MANAGER,
                                        client_id=OuterRef("client_id"),
                                        user_id=OuterRef("user_id"),
                                        organisation_id=OuterRef("assigned_by_organisation_id"))))


def _on_the_team(viewer: Viewer) -> Q:
    if viewer.user is None:  # a whole organisation, for a document made for it
        return Q(pk__isnull=False)
    return _among(Reach.objects.in_force().filter(_team_rows(viewer)))


def _team_rows(viewer: Viewer) -> Q:
    """The viewer's rows on clients' teams, as themself or as a member of a group."""
    groups = _group_ids(viewer.user)
    person = Q(user_id=viewer.user.pk)
    return Q(person | Q(group_id__in=groups) if groups else person, kind=ReachKind.TEAM)


def _group_ids(user) -> list[int]:
    """The user's groups, read once per request: as a list, so that the database finds the
    team rows by the person's and the groups' indexes."""
    if not hasattr(user, "_policy_groups"):
        user._policy_groups = list(user.groups.values_list("pk", flat=True))
    return user._policy_groups


def _addressed_to(viewer: Viewer) -> Q:
    """A consent row naming one of the viewer's organisations or sectors."""
    return Q(recipient_organisations__in=viewer.organisation_ids) | Q(
        sector_rows__sector__in=viewer.sectors
    )


def _confirmed_by(source) -> Q:
    """A consent that opens the data of `source` (an organisation id or an expression)."""
    return (Q(recorded_by_organisation=source) | Q(confirmations__organisation=source)
            | Q(confirmed_by_client_at__isnull=False))


def _identity_consented(viewer: Viewer) -> Q:
    """A consent for identity, confirmed by the organisation that wrote the client's card."""
    return _concluded(ReachKind.IDENTITY_CONSENT, _organisations_or_sectors(viewer))


def _bans_on(viewer: Viewer) -> Q:
    return Q(organisation_id__in=viewer.organisation_ids) | Q(sector__in=viewer.sectors)


def _banned(viewer: Viewer) -> Q:
    return _concluded(ReachKind.BANNED, _organisations_or_sectors(viewer))


def _identity_source(viewer: Viewer) -> Case:
    """Where the identity shown to the viewer comes from, or NULL: nothing to show."""
    not_banned = ~_banned(viewer)
    consented = _on_the_team(viewer) & _identity_consented(viewer)
    return Case(
        When(Q(organisation_id__in=viewer.organisation_ids), then=Value(IdentitySource.WRITTEN)),
        When(_card_sent_to_me(viewer) & not_banned, then=Value(IdentitySource.SENT)),
        When(consented & not_banned, then=Value(IdentitySource.CONSENT)),
        When(_own_card(viewer), then=Value(IdentitySource.OWN_CARD)),
        default=Value(None), output_field=CharField(),
    )


# --- Lists --------------------------------------------------------------------------------------

def visible_clients(user) -> QuerySet[Client]:
    """
    The clients the user may know of: their organisations' clients and their team's clients.

    Annotated `identity_source` (IdentitySource, or None for a placeholder row); consents/shown.py
    turns the rows into what a page may show.
    """
    viewer = viewer_for(user)
    if not viewer.is_care_staff:
        return Client.objects.none().annotate(identity_source=Value(None,
                                                                    output_field=CharField()))
    if viewer.user is None:
        clients = Client.objects.all()
    else:  # one set of ids, so that the clients are fetched by their keys, not all scanned
        clients = Client.objects.filter(_among(Reach.objects.in_force().filter(
            Q(_organisations(viewer), kind=ReachKind.SERVED) | _team_rows(viewer))))
    return clients.annotate(identity_source=_identity_source(viewer))


def clients_known_with_others(user) -> QuerySet[Client]:
    """The clients whose case the user sees whole — the client's card and no ban — so that
    other organisations' part of it (their case managers, consents) may show in lists too."""
    viewer = viewer_for(user)
    return visible_clients(user).filter(identity_source__in=IdentitySource.CARD).exclude(
        _banned(viewer))


def searchable_clients(user) -> QuerySet[Client]:
    """Clients whose name and code the user may search by: never match what they may not see."""
    return visible_clients(user).filter(identity_source__isnull=False)


def card_matches(user, condition: Q) -> Q:
    """A search condition (on first_name, last_name, municipality) against the card the user
    sees: the client's, or the one their organisation typed — never the card they may not see.
    The condition stands on the client's own columns, and the few clients of the user's own
    cards by id, so that the database finds the candidates by index and checks only them for
    whose card the user sees."""
    on_own_card = list(ClientRelationship.objects.in_force().filter(
        condition, organisation_id__in=care_organisation_ids(user), last_name__gt="",
    ).values_list("client_id", flat=True))
    return (condition & Q(identity_source__in=IdentitySource.CARD)) | (
        Q(pk__in=on_own_card) & Q(identity_source=IdentitySource.OWN_CARD))


def _known_assignment_sets(user) -> tuple[QuerySet, QuerySet]:
    """The rule of `known_assignments` as two sets, each found by its own index: periods of
    the user's organisations' people, and periods of the clients whose card their
    organisation wrote — of clients who have banned no disclosure to it."""
    mine = care_organisation_ids(user)
    periods = CaseManagerAssignment.objects.current().exclude(
        client__in=clients_banned_for(user))
    return (periods.filter(organisation__in=mine),
            periods.filter(client__in=Client.objects.filter(organisation__in=mine).values("pk")))


def known_assignments(user) -> Q:
    """Current case manager periods the user may know of across many clients (a list's
    filter). (A client's page, and a list's row, know more.)"""
    own_people, own_cards = _known_assignment_sets(user)
    return Q(pk__in=own_people.values("pk")) | Q(pk__in=own_cards.values("pk"))


def case_managers_known_to(user) -> Q:
    """People (a users queryset's filter) in a current case manager period the user may know
    of: a list's filter by case manager offers these."""
    own_people, own_cards = _known_assignment_sets(user)
    return Q(pk__in=own_people.values("user_id")) | Q(pk__in=own_cards.values("user_id"))


def in_shown_order(clients: QuerySet) -> QuerySet:
    """List rows in the order of the names shown — the client's card first, by name — and the
    rest by number, so that where a row falls tells nothing of a name it hides."""
    card = Q(identity_source__in=IdentitySource.CARD)
    return clients.order_by(
        Case(When(card, then=Value(0)), default=Value(1)),
        Case(When(card, then="last_name"), default=Value("")),
        Case(When(card, then="first_name"), default=Value("")),
        "pk",
    )


def own_cards(user, client_ids) -> dict[int, ClientRelationship]:
    """The cards the user's organisations typed for these clients, in one query."""
    typed_last = Case(When(basis=RelationshipBasis.VISIT, then=Value(1)), default=Value(0))
    return {
        card.client_id: card for card in ClientRelationship.objects.in_force().filter(
            client_id__in=client_ids, organisation_id__in=care_organisation_ids(user),
            last_name__gt="",
        ).select_related("municipality").order_by(typed_last, "pk")
    }


# --- One client ---------------------------------------------------------------------------------

# Whose data a consent opens, for one category: organisation id -> consent id. The key None
# stands for every organisation (a consent the client confirmed themself).
Openings = dict[DataCategory, dict[int | None, int]]


@dataclass(frozen=True, eq=False)
class ClientAccess:
    """What one user (or one organisation) may see of one client, worked out once."""

    viewer_id: int | None
    own_organisation_ids: frozenset[int]
    served: bool
    on_team: bool
    banned: bool
    writes_card: bool = False
    card_sent: bool = False
    card_writer_id: int | None = None
    own_card: ClientRelationship | None = None
    openings: Openings = field(default_factory=dict)

    @property
    def may_know_of_client(self) -> bool:
        return self.served or self.on_team

    def consent_for(self, category: DataCategory, source_id) -> int | None:
        """The consent that opens `source_id`'s data of the category to the viewer, if any."""
        if not self.on_team or self.banned:
            return None
        opened = self.openings.get(DataCategory(category), {})
        return opened.get(source_id) or opened.get(None)

    def shares(self, category: DataCategory, source_id) -> bool:
        """Is the organisation's data of this category shown to the viewer?"""
        return source_id in self.own_organisation_ids or bool(
            self.consent_for(category, source_id))

    @property
    def identity_source(self) -> str | None:
        if self.writes_card:
            return IdentitySource.WRITTEN
        if self.card_sent and not self.banned:
            return IdentitySource.SENT
        if self.card_writer_id and self.consent_for(DataCategory.IDENTITY, self.card_writer_id):
            return IdentitySource.CONSENT
        if self.own_card is not None:
            return IdentitySource.OWN_CARD
        return None

    @property
    def sees_card(self) -> bool:
        """The client's card itself — not only a card of one's own — may be shown."""
        return self.identity_source in IdentitySource.CARD

    @property
    def knows_client(self) -> bool:
        """The organisation knows who the client is by its own right — its card, one sent to
        it, or its own — and may tell another organisation (a referral)."""
        return self.identity_source in (IdentitySource.WRITTEN, IdentitySource.SENT,
                                        IdentitySource.OWN_CARD)

    @property
    def keeps_client(self) -> bool:
        """The organisation holds the client relationship by its own right — it wrote the card
        or was sent it — and is under no ban: it names the team and records revocations."""
        return self.identity_source in (IdentitySource.WRITTEN, IdentitySource.SENT) and (
            not self.banned)

    @property
    def may_know_of_others(self) -> bool:
        """May the user learn that other organisations hold data about the client (how many
        records the placeholders hide, who else is on the team, who has looked)? Only with the
        client's card and no ban: that other organisations serve the client is itself their
        data, and a take-on of one's own must not answer whether a person is someone's client."""
        return self.sees_card and not self.banned

    def source_condition(self, category: DataCategory) -> Q:
        """Records of the category whose writers a consent opens to the viewer."""
        opened = self.openings.get(DataCategory(category), {}) if (
            self.on_team and not self.banned) else {}
        if None in opened:
            return Q()
        return Q(organisation_id__in=list(opened)) if opened else Q(
            pk__in=[])

    def may_edit(self, record) -> bool:
        """Reading and editing are separate: only the writing organisation edits a record."""
        return record.organisation_id in self.own_organisation_ids


def known_to(access: ClientAccess, rows: QuerySet,
             organisation_field: str = "organisation") -> QuerySet:
    """
    Rows about the client's case that other organisations wrote — their consents, bans,
    relationships, case managers, team grants — as far as the user may know of them: all with
    the client's card, otherwise their own organisation's only.
    """
    if access.may_know_of_others:
        return rows
    rows = rows.filter(**{f"{organisation_field}__in": access.own_organisation_ids})
    return rows.distinct() if "__" in organisation_field else rows


NO_ACCESS = ClientAccess(None, frozenset(), served=False, on_team=False, banned=False)


def _openings(viewer: Viewer, client_id, today) -> Openings:
    """The valid consents addressed to the viewer, by category and by whose data they open."""
    rows = (
        Consent.objects.valid_on(today).filter(_addressed_to(viewer), client_id=client_id)
        .values_list("pk", "category_rows__category", "recorded_by_organisation_id",
                     "confirmations__organisation_id", "confirmed_by_client_at")
        .order_by("pk")
    )
    openings: Openings = {}
    for consent_id, category, recorder, confirmer, by_client in rows:
        if not category:
            continue
        opened = openings.setdefault(DataCategory(category), {})
        if by_client:
            opened.setdefault(None, consent_id)
        for source in (recorder, confirmer):
            if source is not None:
                opened.setdefault(source, consent_id)
    return openings


def _access(viewer: Viewer, pk) -> tuple[Client | None, ClientAccess]:
    if not viewer.is_care_staff:
        return None, NO_ACCESS
    client = (
        Client.objects.filter(pk=pk)
        .annotate(**{f"access_{name}": Case(When(rule, then=Value(True)), default=False)
                     for name, rule in (("served", _served_by_my_organisation(viewer)),
                                        ("card_sent", _card_sent_to_me(viewer)),
                                        ("own_card", _own_card(viewer)),
                                        ("on_team", _on_the_team(viewer)),
                                        ("banned", _banned(viewer)))})
        .select_related("municipality", "own_nurse")
        .first()
    )
    if client is None:
        return None, NO_ACCESS
    writes_card = client.organisation_id in viewer.organisation_ids
    own_card = None
    if client.access_own_card and not writes_card:
        own_card = _own_card_of(viewer, client.pk, typed_only=client.access_banned)
    openings = {}
    if client.access_on_team and not client.access_banned:
        openings = _openings(viewer, client.pk, timezone.localdate())
    access = ClientAccess(
        viewer_id=viewer.user.pk if viewer.user else None,
        own_organisation_ids=viewer.organisation_ids,
        served=client.access_served,
        on_team=client.access_on_team,
        banned=client.access_banned,
        writes_card=writes_card,
        card_sent=client.access_card_sent,
        card_writer_id=client.organisation_id,
        own_card=own_card,
        openings=openings,
    )
    return client, access


def _own_card_of(viewer: Viewer, client_id, typed_only=False) -> ClientRelationship | None:
    """The viewer's organisation's own card: the one typed at a visit first."""
    cards = ClientRelationship.objects.in_force().filter(
        client_id=client_id, organisation_id__in=viewer.organisation_ids, last_name__gt="",
    ).select_related("municipality")
    if typed_only:
        cards = cards.filter(basis=RelationshipBasis.VISIT)
    typed_first = Case(When(basis=RelationshipBasis.VISIT, then=Value(0)), default=Value(1))
    return cards.order_by(typed_first, "-pk").first()


def _known_access(user) -> dict[int, ClientAccess]:
    if not hasattr(user, "_policy_access"):
        user._policy_access = {}
    return user._policy_access


def access_for(user, client: Client) -> ClientAccess:
    known = _known_access(user)
    if client.pk not in known:
        known[client.pk] = _access(viewer_for(user), client.pk)[1]
    return known[client.pk]


def get_client_for_user(user, pk) -> Client:
    """The client, if the user may know of them at all; otherwise 404, as if they did not exist."""
    client, access = _access(viewer_for(user), pk)
    if client is None or not access.may_know_of_client:
        raise Http404
    _known_access(user)[client.pk] = access
    return client


def client_for(user, pk):
    """The client as the user may see them (a ShownClient), or 404 for anyone who may not know
    of them. What the page shows, and what the access log records, come from this object."""
    from .shown import ShownClient

    client = get_client_for_user(user, pk)
    return ShownClient(client, access_for(user, client), viewer_for(user))


def get_record_for_user(user, queryset, pk, *, client_field="client", loader=client_for,
                        find=None):
    """
    One record of `queryset` as the user may see it, with `record.shown` its client as a
    ShownClient: 404 for a record the user may not see, whether or not it exists, so that an
    id tells an outsider nothing.

    The client comes through `loader(user, client_id)` (client_for, or an app's stricter one),
    found by `client_field` ("plan__client" for a part of a plan); the record from among what
    the user may see of them through `find(client, rows)`, by default `client.first(rows)`,
    which hands it out for the access log.
    """
    client_id = queryset.model._default_manager.filter(pk=pk).values_list(
        f"{client_field}_id", flat=True).first()
    if client_id is None:
        raise Http404
    client = loader(user, client_id)
    rows = queryset.filter(pk=pk)
    record = find(client, rows) if find else client.first(rows)
    if record is None:
        raise Http404
    record.shown = client
    return record


def client_in_document(user, client: Client, organisation):
    """The client in a document the user makes for an organisation (the doctor's summary): what
    both the user and the organisation may see."""
    from .shown import ShownClient

    return ShownClient(client, access_for(user, client), viewer_for(user),
                       recipient=organisation_access(client, organisation))


# --- Records ------------------------------------------------------------------------------------

def visible_condition(access: ClientAccess, model) -> Q:
    own = Q(organisation_id__in=access.own_organisation_ids)
    if access.banned:
        return own
    if model.ADDRESSED_TO:
        own |= Q(**{f"{model.ADDRESSED_TO}_id__in": access.own_organisation_ids})
    shared = model.shared_with(access.viewer_id) if access.viewer_id else None
    if shared is not None:
        own |= shared
    if model.CATEGORY is not None:
        return own | access.source_condition(model.CATEGORY)
    return own | reduce(or_, (Q(category=category) & access.source_condition(category)
                              for category in DataCategory))


def visible_records(user, client: Client, records: QuerySet) -> QuerySet:
    """The client's records the user may see: their organisation's own, and consented ones."""
    access = access_for(user, client)
    return records.filter(client=client).filter(visible_condition(access, records.model))


def hidden_record_counts(user, client: Client, records: QuerySet) -> dict[str, int]:
    """How many records of each category exist but are not shown: the placeholders' numbers,
    for those who may know that other organisations hold data at all."""
    access = access_for(user, client)
    if not access.may_know_of_others:
        return {}
    hidden = records.filter(client=client).exclude(visible_condition(access, records.model))
    if records.model.CATEGORY is not None:
        count = hidden.count()
        return {records.model.CATEGORY.value: count} if count else {}
    return dict(hidden.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))


def identity_consents(user, client_ids) -> dict[int, tuple[int | None, int | None]]:
    """
    For clients whose card a list shows to the user under a consent: which organisation's card
    it is and the consent allowing it (confirmed by that organisation). Two queries a page.
    """
    viewer = viewer_for(user)
    writers = dict(Client.objects.filter(pk__in=client_ids).values_list("pk", "organisation_id"))
    consents: dict[int, int] = {}
    rows = (
        Consent.objects.valid_on(timezone.localdate())
        .filter(_addressed_to(viewer), client_id__in=client_ids,
                category_rows__category=DataCategory.IDENTITY)
        .values_list("client_id", "pk", "recorded_by_organisation_id",
                     "confirmations__organisation_id", "confirmed_by_client_at")
        .order_by("pk")
    )
    for client_id, consent_id, recorder, confirmer, by_client in rows:
        writer = writers.get(client_id)
        if by_client or (writer is not None and writer in (recorder, confirmer)):
            consents.setdefault(client_id, consent_id)
    return {pk: (writers.get(pk), consents.get(pk)) for pk in client_ids}


def clients_banned_for(user) -> QuerySet:
    """The ids of clients who have forbidden disclosing their data to the user's organisation
    or sector: for lists that would otherwise name a meeting of theirs (a calendar feed)."""
    return DisclosureBan.objects.in_force().filter(_bans_on(viewer_for(user))).values(
        "client_id")


def banned(client, organisation) -> bool:
    """Has the client forbidden disclosing their data to the organisation or its sector?"""
    return DisclosureBan.objects.in_force().filter(
        _bans_on(_organisation_viewer(organisation)), client=client).exists()


def keeps_card(client, organisation) -> bool:
    """Does the organisation keep the client's card — did it write it, or was it sent it with a
    referral or feedback — with no ban on it?"""
    if organisation is None:
        return False
    kept = client.organisation_id == organisation.pk or client.relationships.in_force().filter(
        organisation=organisation, carries_card=True).exists()
    return kept and not banned(client, organisation)


def own_card(client, organisation) -> ClientRelationship | None:
    """The card the organisation typed of the client (at a visit, or carried by a referral
    from an organisation that knew the client by its own card)."""
    return client.relationships.in_force().filter(
        organisation=organisation, last_name__gt="").order_by("-pk").first()


def municipality_known_to(client, organisation):
    """The client's municipality as the organisation knows it: from the client's card if it
    keeps it, from its own card otherwise (None when it knows neither)."""
    if keeps_card(client, organisation):
        return client.municipality_id
    typed = own_card(client, organisation)
    return typed.municipality_id if typed else None


def organisation_of(user):
    """The organisation a staff member acts for: their first care membership's."""
    membership = viewer_for(user).membership if user is not None else None
    return membership.organisation if membership else None


def consent_for_sending(client, organisation, category, *, source, today=None) -> Consent | None:
    """
    The consent under which `source`'s data of `category` may be sent to `organisation` —
    valid, covering the organisation or its sector, recorded or confirmed by `source` (or by
    the client), and no disclosure ban on the recipient — or None.
    """
    today = today or timezone.localdate()
    if banned(client, organisation):
        return None
    return (
        Consent.objects.valid_on(today)
        .filter(_addressed_to(_organisation_viewer(organisation)), _confirmed_by(source.pk),
                client=client, category_rows__category=category)
        .order_by("pk")
        .first()
    )


def consents_to_confirm(user) -> QuerySet[Consent]:
    """
    Consents another organisation recorded that wait for the confirmation of the user's
    organisation, as the controller of its data, before they open it: of the clients whose
    case the user sees whole and works with as a case manager or the own nurse (My work).
    """
    viewer = viewer_for(user)
    if viewer.membership is None or not user.has_perm("consents.add_consentconfirmation"):
        return Consent.objects.none()
    organisation_id = viewer.membership.organisation_id
    works_with = Q(client__own_nurse=user) | Q(
        client__case_manager_assignments__user=user,
        client__case_manager_assignments__ended_on__isnull=True)
    return (
        Consent.objects.valid_on(timezone.localdate())
        .filter(works_with, client__in=clients_known_with_others(user).values("pk"),
                client__status="active", confirmed_by_client_at__isnull=True)
        .exclude(recorded_by_organisation_id=organisation_id)
        .exclude(confirmations__organisation_id=organisation_id)
        .distinct().order_by("valid_from", "pk")
    )


def addressed_to_me(user, records: QuerySet, field: str) -> QuerySet:
    """
    Records sent to the user's organisations (a worklist of incoming referrals), of clients
    who have not banned disclosing to them since. A referral carried the card it could (or the
    sender's own), so its client is always known by name to the organisation it was sent to.
    """
    return records.filter(**{f"{field}__in": care_organisation_ids(user)}).exclude(
        client__in=clients_banned_for(user))


def written_by_me(user, records: QuerySet) -> QuerySet:
    """Records the user's organisations wrote (the referrals they sent), of visible clients."""
    return records.filter(
        organisation__in=care_organisation_ids(user),
        client__in=searchable_clients(user).values("pk"),
    )


def organisation_access(client, organisation) -> ClientAccess:
    """
    What an organisation as a whole may see of the client: for a document made for it, such
    as the doctor's summary of a team meeting, whoever of its staff will read it.
    """
    return _access(_organisation_viewer(organisation), client.pk)[1]
