"""
The access rules' conclusions as rows (consents.models.Reach): worked out here, for a client at
a time, from what the rules read; read by consents/policy.py, which asks one indexed question
per rule instead of evaluating the rules for every client of a list.

The rules (stated whole in consents/policy.py) as this module concludes them, client by client:
- An organisation serves the client while a relationship is in force (SERVED, until its end);
  a referral or feedback that carried the client's card lets it keep the card (CARD_SENT); a
  card it typed itself is its own (TYPED_CARD at a visit, OWN_CARD however it came).
- A disclosure ban in force on an organisation or a sector (BANNED).
- An identity consent, not revoked and not ended, recorded or confirmed by the organisation that
  wrote the client's card, or confirmed by the client (IDENTITY_CONSENT, for its recipient
  organisations and sectors, from its first to its last day).
- The client's team (TEAM): the own nurse; each current case manager and each person granted
  the client, when named by an organisation that keeps the client's card — wrote it, or a
  card-carrying relationship is in force — and is under no ban (until that relationship ends);
  a group granted the client; and what later steps record (a meeting's participants), through
  `team_ground`.

Every change of these sources calls `refresh(client_id)` inside its transaction: the model
signals below, and the services that write sources in bulk.
"""

from collections import defaultdict
from datetime import datetime, time
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from clients.models import CaseManagerAssignment, Client, ClientRelationship, RelationshipBasis
from clients.records import DataCategory
from teams.models import Organisation

from .models import (
    GRANT_CODENAME,
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
    ConsentCategory,
    ConsentConfirmation,
    ConsentSector,
    DisclosureBan,
    Reach,
    ReachKind,
    TeamGround,
)

BATCH = 2000

# Grounds recorded by a later step of the service path (meetings/access.py): functions
# `rows(client_ids, now) -> iterable of (client_id, user_id, until)`, each person on the
# client's team until `until` (None: no end). The app refreshes the clients it changes.
TEAM_GROUNDS: list = []


def team_ground(function):
    TEAM_GROUNDS.append(function)
    return function


# --- Working the rows out -------------------------------------------------------------------------

class Facts:
    """What the rules read about a batch of clients, in a few queries."""

    def __init__(self, client_ids, now):
        self.now = now
        self.clients = {row["pk"]: row for row in Client.objects.filter(pk__in=client_ids)
                        .values("pk", "organisation_id", "own_nurse_id")}
        ids = list(self.clients)
        self.relationships = defaultdict(list)
        for row in ClientRelationship.objects.in_force(now).filter(client_id__in=ids).values(
                "client_id", "organisation_id", "basis", "ends_at", "carries_card", "last_name"):
            self.relationships[row["client_id"]].append(row)
        self.bans = defaultdict(list)
        for row in DisclosureBan.objects.in_force().filter(client_id__in=ids).values(
                "client_id", "organisation_id", "sector"):
            self.bans[row["client_id"]].append(row)
        self.sector_of = {}

    def load_sectors(self, organisation_ids) -> None:
        missing = set(organisation_ids) - set(self.sector_of) - {None}
        if missing:
            self.sector_of.update(Organisation.objects.filter(pk__in=missing)
                                  .values_list("pk", "sector"))

    def banned(self, client_id, organisation_id) -> bool:
        sector = self.sector_of.get(organisation_id)
        return any(ban["organisation_id"] == organisation_id or (sector and ban["sector"] ==
                                                                 sector)
                   for ban in self.bans[client_id])

    def kept_until(self, client_id, organisation_id):
        """Does the organisation keep the client's card — wrote it, or a card-carrying
        relationship is in force — under no ban? (True, until) or (False, None)."""
        if organisation_id is None or self.banned(client_id, organisation_id):
            return False, None
        if self.clients[client_id]["organisation_id"] == organisation_id:
            return True, None
        ends = [row["ends_at"] for row in self.relationships[client_id]
                if row["organisation_id"] == organisation_id and row["carries_card"]]
        if not ends:
            return False, None
        return True, None if None in ends else max(ends)


class Row(NamedTuple):
    """One conclusion, before it is a Reach row (tuples: a rebuild writes millions)."""

    client_id: int
    kind: str
    organisation_id: int | None = None
    sector: str = ""
    user_id: int | None = None
    group_id: int | None = None
    ground: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day):
    return None if day is None else timezone.make_aware(datetime.combine(day, time.max))


def _relationship_rows(facts: Facts, client_id):
    for row in facts.relationships[client_id]:
        until, organisation = row["ends_at"], row["organisation_id"]
        yield Row(client_id=client_id, organisation_id=organisation, kind=ReachKind.SERVED,
                    until=until)
        if row["carries_card"]:
            yield Row(client_id=client_id, organisation_id=organisation,
                        kind=ReachKind.CARD_SENT, until=until)
        if row["last_name"]:
            yield Row(client_id=client_id, organisation_id=organisation,
                        kind=ReachKind.OWN_CARD, until=until)
            if row["basis"] == RelationshipBasis.VISIT:
                yield Row(client_id=client_id, organisation_id=organisation,
                            kind=ReachKind.TYPED_CARD, until=until)


def _ban_rows(facts: Facts, client_id):
    for ban in facts.bans[client_id]:
        yield Row(client_id=client_id, kind=ReachKind.BANNED,
                    organisation_id=ban["organisation_id"], sector=ban["sector"])


def _identity_consent_rows(facts: Facts):
    today = timezone.localdate(facts.now)
    consents = (Consent.objects.filter(client_id__in=list(facts.clients), revoked_at__isnull=True)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                .filter(pk__in=ConsentCategory.objects.filter(category=DataCategory.IDENTITY)
                        .values("consent_id"))
                .values("pk", "client_id", "recorded_by_organisation_id",
                        "confirmed_by_client_at", "valid_from", "valid_until"))
    consents = {row["pk"]: row for row in consents}
    confirmers = defaultdict(set)
    for consent_id, organisation_id in ConsentConfirmation.objects.filter(
            consent_id__in=list(consents)).values_list("consent_id", "organisation_id"):
        confirmers[consent_id].add(organisation_id)
    recipients = defaultdict(list)
    for consent_id, organisation_id in Consent.recipient_organisations.through.objects.filter(
            consent_id__in=list(consents)).values_list("consent_id", "organisation_id"):
        recipients[consent_id].append({"organisation_id": organisation_id})
    for consent_id, sector in ConsentSector.objects.filter(
            consent_id__in=list(consents)).values_list("consent_id", "sector"):
        recipients[consent_id].append({"sector": sector})
    for consent in consents.values():
        writer = facts.clients[consent["client_id"]]["organisation_id"]
        # A card with no writer left (its data destroyed) is confirmed by nobody but the client.
        by_writer = writer is not None and (writer == consent["recorded_by_organisation_id"]
                                            or writer in confirmers[consent["pk"]])
        confirmed = consent["confirmed_by_client_at"] is not None or by_writer
        if not confirmed:
            continue
        for audience in recipients[consent["pk"]]:
            yield Row(client_id=consent["client_id"], kind=ReachKind.IDENTITY_CONSENT,
                        since=_day_start(consent["valid_from"]),
                        until=_day_end(consent["valid_until"]), **audience)


def _team_rows(facts: Facts):
    ids = list(facts.clients)
    for client_id, client in facts.clients.items():
        if client["own_nurse_id"]:
            yield _team(client_id, client["own_nurse_id"], TeamGround.OWN_NURSE)
    named = [(row, TeamGround.CASE_MANAGER) for row in CaseManagerAssignment.objects.current()
             .filter(client_id__in=ids).values("client_id", "user_id",
                                               namer=F("assigned_by_organisation_id"))]
    named += [(row, TeamGround.GRANT) for row in ClientUserObjectPermission.objects.filter(
        content_object_id__in=ids, permission__codename=GRANT_CODENAME).values(
        "user_id", client_id=F("content_object_id"), namer=F("granted_by_organisation_id"))]
    facts.load_sectors(row["namer"] for row, _ground in named)
    for row, ground in named:
        kept, until = facts.kept_until(row["client_id"], row["namer"])
        if kept:  # with who named them: reminders go by each period (policy.team_case_managers)
            yield Row(client_id=row["client_id"], user_id=row["user_id"], kind=ReachKind.TEAM,
                      ground=ground, until=until, organisation_id=row["namer"])
    for client_id, group_id in ClientGroupObjectPermission.objects.filter(
            content_object_id__in=ids, permission__codename=GRANT_CODENAME).values_list(
            "content_object_id", "group_id"):
        yield Row(client_id=client_id, group_id=group_id, kind=ReachKind.TEAM,
                    ground=TeamGround.GRANT)
    for ground in TEAM_GROUNDS:
        for client_id, user_id, until in ground(ids, facts.now):
            yield _team(client_id, user_id, TeamGround.MEETING, until)


def _team(client_id, user_id, ground, until=None) -> Row:
    return Row(client_id=client_id, user_id=user_id, kind=ReachKind.TEAM, ground=ground,
                 until=until)


def conclusions(client_ids, now=None) -> list[Row]:
    """The rows the rules conclude for these clients now (what ends later carries its end)."""
    facts = Facts(client_ids, now or timezone.now())
    facts.load_sectors({org for rows in facts.relationships.values() for org in
                        (row["organisation_id"] for row in rows)})
    rows = [row for client_id in facts.clients for row in (
        *_relationship_rows(facts, client_id), *_ban_rows(facts, client_id))]
    rows += [*_identity_consent_rows(facts), *_team_rows(facts)]
    return rows


# --- Keeping them ---------------------------------------------------------------------------------

def refresh(*client_ids) -> None:
    """Rewrite the clients' rows from the sources, in the caller's transaction."""
    ids = {pk for pk in client_ids if pk is not None}
    if not ids:
        return
    _rewrite(ids)


# The key space of the rewrites' advisory locks (any constant of our own: "reach").
LOCK_SPACE = 0x7265_6163


# More clients than this in one transaction lock the whole table instead: a lock each would
# fill PostgreSQL's shared lock table (max_locks_per_transaction).
ADVISORY_MAX = 100


def _one_rewrite_at_a_time(client_ids) -> None:
    """Another transaction's rewrite of the same client waits here until this one commits,
    then works from what this one wrote (each statement of READ COMMITTED sees what has
    committed) instead of leaving rows of its own older view. An advisory lock of the
    transaction per client, not the client's row lock: the rewrite must not wait for whoever
    else holds the client's row (a destruction, an edit of the card) — only for another
    rewrite. Many clients at once (a rebuild, a seeded world) lock the table against every
    other rewrite instead (SHARE ROW EXCLUSIVE: a rewrite's DELETE waits for it, and it waits
    for rewrites under way)."""
    if connection.vendor != "postgresql":
        return  # SQLite, the development default, has one writer at a time anyway
    with connection.cursor() as cursor:
        if len(client_ids) > ADVISORY_MAX:
            cursor.execute(f"LOCK TABLE {Reach._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            return
        cursor.execute("SELECT count(pg_advisory_xact_lock(%s, id)) FROM "
                       "(SELECT unnest(%s::integer[]) AS id ORDER BY 1) AS clients",
                       [LOCK_SPACE, list(client_ids)])


def _insert(rows: list[Row]) -> None:
    Reach.objects.bulk_create([Reach(**row._asdict()) for row in rows], batch_size=5000)


def _rewrite(ids, write=_insert) -> None:
    ids = sorted(ids)
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            _one_rewrite_at_a_time(batch)
            Reach.objects.filter(client_id__in=batch).delete()
            write(conclusions(batch))


def rebuild_all(progress=None) -> int:
    """Every client's rows afresh (a migration, `rebuild_reach`, the scale-data generator), a
    batch of clients at a time, each batch locked and rewritten as a change rewrites it — so
    changes saved meanwhile are never overwritten by an older view — and written with COPY on
    PostgreSQL (millions of rows at national scale)."""
    ids = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _rewrite(ids[start:start + BATCH], write=_write)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def _write(rows: list[Row]) -> None:
    if connection.vendor != "postgresql":
        _insert(rows)
        return
    columns = ", ".join(Row._fields)
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {Reach._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# --- What changes them ----------------------------------------------------------------------------

def _client_of(attribute):
    def receiver(sender, instance, raw=False, **kwargs):
        refresh(getattr(instance, attribute))
    return receiver


def _consent_part(sender, instance, **kwargs):
    client_id = Consent.objects.filter(pk=instance.consent_id).values_list(
        "client_id", flat=True).first()
    refresh(client_id)


def _recipients_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        refresh(instance.client_id)


def _organisation_before_save(sender, instance, raw=False, **kwargs):
    instance._sector_before = Organisation.objects.filter(pk=instance.pk).values_list(
        "sector", flat=True).first() if instance.pk else None


def _organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    """An organisation's sector decides whether a sector ban stops the people it named on a
    client's team: when it changes, the clients it named people for who have a sector ban are
    rewritten. The tables of naming are locked first (a rare administrator's act), so that a
    naming saved meanwhile by another transaction is seen, not rewritten from the old sector."""
    if created or getattr(instance, "_sector_before", None) == instance.sector:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CaseManagerAssignment._meta.db_table}, "
                           f"{ClientUserObjectPermission._meta.db_table} IN SHARE MODE")
    named = {*CaseManagerAssignment.objects.current().filter(
        assigned_by_organisation=instance).values_list("client_id", flat=True),
        *ClientUserObjectPermission.objects.filter(granted_by_organisation=instance)
        .values_list("content_object_id", flat=True)}
    refresh(*DisclosureBan.objects.in_force().exclude(sector="").filter(
        client_id__in=named).values_list("client_id", flat=True).distinct())


SOURCES = {
    Client: "pk",
    ClientRelationship: "client_id",
    CaseManagerAssignment: "client_id",
    DisclosureBan: "client_id",
    Consent: "client_id",
    ClientUserObjectPermission: "content_object_id",
    ClientGroupObjectPermission: "content_object_id",
}


def connect() -> None:
    for model, attribute in SOURCES.items():
        receiver = _client_of(attribute)
        post_save.connect(receiver, sender=model, weak=False,
                          dispatch_uid=f"reach-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, weak=False,
                            dispatch_uid=f"reach-delete-{model.__name__}")
    for model in (ConsentCategory, ConsentSector, ConsentConfirmation):
        post_save.connect(_consent_part, sender=model, dispatch_uid=f"reach-{model.__name__}")
        post_delete.connect(_consent_part, sender=model,
                            dispatch_uid=f"reach-delete-{model.__name__}")
    pre_save.connect(_organisation_before_save, sender=Organisation,
                     dispatch_uid="reach-organisation-before")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="reach-organisation")
    m2m_changed.connect(_recipients_changed, sender=Consent.recipient_organisations.through,
                        dispatch_uid="reach-recipients")

