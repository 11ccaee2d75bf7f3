"""
The access policy: the one place that decides who may see which client data.

Every view that shows client data asks here: `get_client_for_user` loads one client (404 for
anyone who may not know of them, so an outsider cannot even learn the client exists),
`can_view` answers per data category, `visible_records` filters a client's records,
`visible_clients` and `searchable_clients` filter lists.

The rules (DESIGN.md, "Consent and data categories"):
- Only staff with a care role in an active organisation see client data. The admin role manages
  the system and reads nothing unless the person also holds a care role.
- The organisation that wrote a record always sees it. A client's identity is written by the
  organisations the client is a client of.
- A member of the client's team — a current case manager, the own nurse, someone granted the
  client one by one (guardian), a participant of the client's meeting while it is coming or
  until 30 days after it — sees a category of other organisations' data only while a valid
  consent covers their organisation or sector for it.
- A disclosure ban (luovutuskielto) on their organisation or sector overrides every consent.
- Nobody else sees anything.

Consents and bans are read on every request, so a revocation takes effect at the next one.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils import timezone

from clients.models import CaseManagerAssignment, Client
from teams.models import Meeting, MeetingParticipant, MeetingStatus, Membership

from .models import (
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
    DataCategory,
    DisclosureBan,
)

GRANT_CODENAME = "view_client"


@dataclass(frozen=True)
class Viewer:
    """The user asking, with the organisations and sectors in which they work as care staff."""

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


def care_organisation_ids(user) -> frozenset[int]:
    return viewer_for(user).organisation_ids


# --- The rules as SQL, each about the client of the outer query --------------------------------

def _served_by_my_organisation(viewer: Viewer) -> Exists:
    return Exists(
        Client.organisations.through.objects.filter(
            client_id=OuterRef("pk"), organisation_id__in=viewer.organisation_ids
        )
    )


def _meeting_participant(viewer: Viewer) -> Exists:
    since = timezone.now() - timedelta(days=Meeting.PARTICIPATION_DAYS)
    return Exists(
        MeetingParticipant.objects.filter(
            meeting__client_id=OuterRef("pk"), user=viewer.user, meeting__ends_at__gte=since,
        ).exclude(meeting__status=MeetingStatus.CANCELLED)
    )


def _on_the_team(viewer: Viewer) -> Q:
    user = viewer.user
    client = OuterRef("pk")
    return (
        Q(own_nurse_id=user.pk)
        | Q(_meeting_participant(viewer))
        | Q(Exists(CaseManagerAssignment.objects.current().filter(client_id=client, user=user)))
        | Q(Exists(ClientUserObjectPermission.objects.filter(
            content_object_id=client, user=user, permission__codename=GRANT_CODENAME)))
        | Q(Exists(ClientGroupObjectPermission.objects.filter(
            content_object_id=client, group__user=user, permission__codename=GRANT_CODENAME)))
    )


def _addressed_to(viewer: Viewer) -> Q:
    """A consent row naming one of the viewer's organisations or sectors."""
    return Q(recipient_organisations__in=viewer.organisation_ids) | Q(
        sector_rows__sector__in=viewer.sectors
    )


def _consented(viewer: Viewer, category: DataCategory, today) -> Exists:
    return Exists(
        Consent.objects.valid_on(today).filter(
            _addressed_to(viewer), client_id=OuterRef("pk"), category_rows__category=category
        )
    )


def _banned(viewer: Viewer) -> Exists:
    return Exists(
        DisclosureBan.objects.in_force().filter(
            Q(organisation_id__in=viewer.organisation_ids) | Q(sector__in=viewer.sectors),
            client_id=OuterRef("pk"),
        )
    )


def _as_boolean(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


# --- Lists --------------------------------------------------------------------------------------

def visible_clients(user) -> QuerySet[Client]:
    """
    The clients the user may know of: their organisations' clients and their team's clients.

    Annotated `identity_visible`: whether the row may show who the client is. A team member
    without a consent for identity sees a placeholder in its place.
    """
    viewer = viewer_for(user)
    if not viewer.is_care_staff:
        return Client.objects.none().annotate(
            identity_served=Value(False), identity_visible=Value(False)
        )
    served = _served_by_my_organisation(viewer)
    team = _on_the_team(viewer)
    consented = _consented(viewer, DataCategory.IDENTITY, timezone.localdate())
    identity_shared = team & Q(consented) & ~Q(_banned(viewer))
    return Client.objects.filter(Q(served) | team).annotate(
        identity_served=_as_boolean(Q(served)),
        identity_visible=_as_boolean(Q(served) | identity_shared),
    )


def searchable_clients(user) -> QuerySet[Client]:
    """Clients whose name and code the user may search by: never match what they may not see."""
    return visible_clients(user).filter(identity_visible=True)


# --- One client ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientAccess:
    """What one user may see of one client, worked out in one query."""

    viewer_id: int | None
    own_organisation_ids: frozenset[int]
    served: bool
    on_team: bool
    banned: bool
    consented: frozenset[DataCategory] = field(default_factory=frozenset)

    @property
    def may_know_of_client(self) -> bool:
        return self.served or self.on_team

    def shares(self, category: DataCategory) -> bool:
        """Are other organisations' records of this category shown to the user?"""
        return self.on_team and not self.banned and category in self.consented

    def can_view(self, category: DataCategory) -> bool:
        if category == DataCategory.IDENTITY and self.served:
            return True
        return self.shares(category)

    def shared_categories(self) -> list[DataCategory]:
        return [category for category in DataCategory if self.shares(category)]


NO_ACCESS = ClientAccess(None, frozenset(), served=False, on_team=False, banned=False)


def _load_with_access(user, pk) -> tuple[Client | None, ClientAccess]:
    viewer = viewer_for(user)
    if not viewer.is_care_staff:
        return None, NO_ACCESS
    today = timezone.localdate()
    client = (
        Client.objects.filter(pk=pk)
        .annotate(
            access_served=_served_by_my_organisation(viewer),
            access_on_team=_as_boolean(_on_the_team(viewer)),
            access_banned=_banned(viewer),
            **{f"consent_{c.value}": _consented(viewer, c, today) for c in DataCategory},
        )
        .select_related("municipality", "own_nurse")
        .first()
    )
    if client is None:
        return None, NO_ACCESS
    access = ClientAccess(
        viewer_id=viewer.user.pk,
        own_organisation_ids=viewer.organisation_ids,
        served=client.access_served,
        on_team=client.access_on_team,
        banned=client.access_banned,
        consented=frozenset(c for c in DataCategory if getattr(client, f"consent_{c.value}")),
    )
    return client, access


def _known_access(user) -> dict[int, ClientAccess]:
    if not hasattr(user, "_policy_access"):
        user._policy_access = {}
    return user._policy_access


def access_for(user, client: Client) -> ClientAccess:
    known = _known_access(user)
    if client.pk not in known:
        known[client.pk] = _load_with_access(user, client.pk)[1]
    return known[client.pk]


def get_client_for_user(user, pk) -> Client:
    """The client, if the user may know of them at all; otherwise 404, as if they did not exist."""
    client, access = _load_with_access(user, pk)
    if client is None or not access.may_know_of_client:
        raise Http404
    _known_access(user)[client.pk] = access
    return client


def can_view(user, client: Client, category: DataCategory) -> bool:
    """May the user see this category of the client's data, whoever wrote it?"""
    return access_for(user, client).can_view(category)


# --- Records ------------------------------------------------------------------------------------

def _visible_condition(access: ClientAccess, model) -> Q:
    own = Q(organisation_id__in=access.own_organisation_ids)
    if model.ADDRESSED_TO:
        own |= Q(**{f"{model.ADDRESSED_TO}_id__in": access.own_organisation_ids})
    shared = model.shared_with(access.viewer_id)
    if shared is not None:
        own |= shared
    if model.CATEGORY is not None:
        return Q() if access.shares(model.CATEGORY) else own
    return own | Q(category__in=access.shared_categories())


def visible_records(user, client: Client, records: QuerySet) -> QuerySet:
    """The client's records the user may see: their organisation's own, and consented ones."""
    access = access_for(user, client)
    return records.filter(client=client).filter(_visible_condition(access, records.model))


def hidden_record_counts(user, client: Client, records: QuerySet) -> dict[str, int]:
    """How many records of each category exist but are not shown: the placeholders' numbers."""
    access = access_for(user, client)
    hidden = records.filter(client=client).exclude(_visible_condition(access, records.model))
    if records.model.CATEGORY is not None:
        count = hidden.count()
        return {records.model.CATEGORY.value: count} if count else {}
    return dict(hidden.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))


def covering_consents(user, client: Client) -> dict[str, Consent]:
    """For each category shared with the user, a consent that allows it: the legal basis logged."""
    viewer = viewer_for(user)
    consents = (
        Consent.objects.valid_on(timezone.localdate())
        .filter(_addressed_to(viewer), client=client)
        .distinct()
        .prefetch_related("category_rows")
        .order_by("pk")
    )
    basis = {}
    for consent in consents:
        for row in consent.category_rows.all():
            basis.setdefault(row.category, consent)
    return basis


def identity_sources(user, client_ids) -> dict[int, tuple[int | None, Consent | None]]:
    """
    For clients whose identity a list shows to the user under a consent: which organisation's
    data it is (the first that has the client) and the consent allowing it. Two queries for a
    whole page.
    """
    viewer = viewer_for(user)
    sources: dict[int, int] = {}
    for client_id, organisation_id in (
        Client.organisations.through.objects.filter(client_id__in=client_ids)
        .order_by("pk").values_list("client_id", "organisation_id")
    ):
        sources.setdefault(client_id, organisation_id)
    consents: dict[int, Consent] = {}
    for consent in (
        Consent.objects.valid_on(timezone.localdate())
        .filter(_addressed_to(viewer), client_id__in=client_ids,
                category_rows__category=DataCategory.IDENTITY)
        .order_by("pk")
    ):
        consents.setdefault(consent.client_id, consent)
    return {pk: (sources.get(pk), consents.get(pk)) for pk in client_ids}


def consent_for_sending(client, organisation, category, today=None) -> Consent | None:
    """
    The consent under which data of `category` may be sent to `organisation` — valid, covering
    the organisation or its sector, and no disclosure ban on either — or None.
    """
    today = today or timezone.localdate()
    banned = DisclosureBan.objects.in_force().filter(
        Q(organisation=organisation) | Q(sector=organisation.sector), client=client
    )
    if banned.exists():
        return None
    addressed = Q(recipient_organisations=organisation) | Q(
        sector_rows__sector=organisation.sector
    )
    return (
        Consent.objects.valid_on(today)
        .filter(addressed, client=client, category_rows__category=category)
        .order_by("pk")
        .first()
    )


def addressed_to_me(user, records: QuerySet, field: str) -> QuerySet:
    """
    Records sent to the user's organisations (a worklist of incoming referrals), of clients
    whose identity the user may see.
    """
    return records.filter(
        **{f"{field}__in": care_organisation_ids(user)},
        client__in=searchable_clients(user).values("pk"),
    )


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
    today = timezone.localdate()
    banned = DisclosureBan.objects.in_force().filter(
        Q(organisation=organisation) | Q(sector=organisation.sector), client=client
    ).exists()
    addressed = Q(recipient_organisations=organisation) | Q(
        sector_rows__sector=organisation.sector
    )
    consented = frozenset(
        DataCategory(value) for value in Consent.objects.valid_on(today)
        .filter(addressed, client=client).values_list("category_rows__category", flat=True)
        if value
    )
    return ClientAccess(
        viewer_id=None,
        own_organisation_ids=frozenset([organisation.pk]),
        served=client.organisations.filter(pk=organisation.pk).exists(),
        on_team=True,
        banned=banned,
        consented=consented,
    )


def visible_to_both(user, organisation, client, records: QuerySet) -> QuerySet:
    """Records the user may see and the organisation may receive: what a document for that
    organisation, made by this user, may contain."""
    return visible_records(user, client, records).filter(
        _visible_condition(organisation_access(client, organisation), records.model)
    )
