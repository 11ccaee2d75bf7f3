"""
When a controller's records of a client have passed their retention period.

A controller's file of a client is closed
- when the client is closed (plans.services.close_client: `Client.closed_on`), or
- for an organisation that ended its own client relationship while others go on
  (plans.services.end_relationship): when the last of its relationships ended.
The period then runs from the later of that day and the last day the controller wrote a record
of the client or took them on again: a late entry, or a new relationship after the closing,
starts the count again. A file that is open has no due date. Each record type is due when its
period (retention/defaults.py, or the controller's own RetentionPeriod) has passed; records of
people in the archive authority's birth-date sample are never due.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone

from clients.models import Client, ClientRelationship, ClientStatus
from teams.models import Organisation

from . import records
from .defaults import DEFAULTS, CountedFrom, Period, add_years, default_period, kept_for_good
from .models import RetentionPeriod


class Periods:
    """The periods of controllers, read from the admin's rows once per run."""

    def __init__(self):
        self._own: dict[tuple[int, str], RetentionPeriod] = {
            (row.organisation_id, row.record_type): row for row in RetentionPeriod.objects.all()
        }

    def for_type(self, organisation, record_type: str) -> Period:
        own = self._own.get((organisation.pk, record_type))
        if own is not None:
            return Period(years=own.years, counted_from=own.counted_from,
                          source=own.basis, is_default=False)
        return default_period(organisation.sector, record_type)

    def shortest(self) -> tuple[int | None, int | None]:
        """The fewest years any controller keeps any type from the file's closing, and from
        birth: the bounds that pick the candidate clients (None: no such period)."""
        closing, birth = [], []
        rows = [(years, counted_from) for _s, _t, years, counted_from, _st, _src in DEFAULTS]
        rows += [(own.years, own.counted_from) for own in self._own.values()]
        for years, counted_from in rows:
            if years is None:
                continue
            if counted_from == CountedFrom.FILE_CLOSED:
                closing.append(years)
            elif counted_from == CountedFrom.BIRTH:
                birth.append(years)
        return (min(closing) if closing else None), (min(birth) if birth else None)


def period_for(organisation, record_type: str) -> Period:
    """The controller's period for one record type (the admin's row, or the default)."""
    return Periods().for_type(organisation, record_type)


@dataclass
class File:
    """One controller's file of one client: when it was closed, and what of it is due."""

    organisation: object
    client: object
    closed_on: date | None
    counts: dict[str, int] = field(default_factory=dict)
    due: dict[str, date] = field(default_factory=dict)

    @property
    def due_on(self) -> date | None:
        return max(self.due.values()) if self.due else None


def _localdate(moment) -> date:
    return timezone.localdate(moment)


def file_closed_on(client, organisation, *, relationships, last_written=None,
                   now=None) -> date | None:
    """
    The day from which the controller's retention periods run, or None while its file is
    open. `relationships` are the client's relationship rows (any organisation's);
    `last_written` the day of the controller's latest record of the client.
    """
    now = now or timezone.now()
    own = [r for r in relationships if r.organisation_id == organisation.pk]
    if client.status == ClientStatus.CLOSED and client.closed_on:
        closed = client.closed_on
    elif own and all(r.ended_reason and r.ends_at and r.ends_at <= now for r in own):
        closed = max(_localdate(r.ends_at) for r in own)
    else:
        return None
    later = [_localdate(r.started_at) for r in own]
    if last_written:
        later.append(last_written)
    return max([closed, *later])


def record_rows(client_ids, organisation_ids=None):
    """
    {(organisation id, client id): {record type: (count, latest written day)}} of the records
    each controller holds of these clients: those it wrote, and those sent to it (its copy).
    One query per record model and addressee.
    """
    held: dict[tuple[int, int], dict[str, tuple[int, date]]] = {}

    def add(rows, key):
        for organisation_id, client_id, count, latest in rows:
            if organisation_id is None:
                continue
            if organisation_ids is not None and organisation_id not in organisation_ids:
                continue
            types = held.setdefault((organisation_id, client_id), {})
            before = types.get(key, (0, None))
            latest_day = _localdate(latest)
            types[key] = (before[0] + count,
                          max(filter(None, [before[1], latest_day])))

    for model in records.record_models():
        key = records.key_of(model)
        holders = ["organisation_id"]
        if records.addressed_to(model):
            holders.append(f"{records.addressed_to(model)}_id")
        for holder in holders:
            rows = (model._base_manager.filter(client_id__in=client_ids)
                    .exclude(**{holder: None})
                    .values_list(holder, "client_id")
                    .annotate(n=Count("pk"), latest=Max("created_at"))
                    .values_list(holder, "client_id", "n", "latest").order_by())
            add(rows, key)
    return held


def files_of(clients, *, periods: Periods, today: date, organisation=None) -> list[File]:
    """
    Every controller's file of these clients with the record types due on `today`: a file
    whose types are all still in their period comes back with an empty `due`.
    """
    client_ids = [client.pk for client in clients]
    organisation_ids = {organisation.pk} if organisation is not None else None
    held = record_rows(client_ids, organisation_ids)
    relationships: dict[int, list[ClientRelationship]] = {}
    for relationship in ClientRelationship.objects.filter(client_id__in=client_ids).order_by():
        relationships.setdefault(relationship.client_id, []).append(relationship)
    pairs = set(held)
    for client in clients:
        for relationship in relationships.get(client.pk, []):
            pairs.add((relationship.organisation_id, client.pk))
        if client.organisation_id:
            pairs.add((client.organisation_id, client.pk))
    if organisation_ids is not None:
        pairs = {pair for pair in pairs if pair[0] in organisation_ids}
    organisations = Organisation.objects.in_bulk({pair[0] for pair in pairs})
    by_id = {client.pk: client for client in clients}
    files = []
    now = timezone.now()
    for organisation_id, client_id in sorted(pairs):
        owner, client = organisations[organisation_id], by_id[client_id]
        types = held.get((organisation_id, client_id), {})
        last_written = max((latest for _n, latest in types.values()), default=None)
        closed_on = file_closed_on(client, owner, relationships=relationships.get(client_id, []),
                                   last_written=last_written, now=now)
        counts = {key: n for key, (n, _latest) in types.items()}
        card = sum(1 for r in relationships.get(client_id, []) if r.organisation_id == owner.pk)
        counts[records.CARD] = card + (client.organisation_id == owner.pk)
        file = File(owner, client, closed_on, {k: n for k, n in counts.items() if n})
        if closed_on is not None and not kept_for_good(owner.sector, client.date_of_birth):
            for key in file.counts:
                due_on = periods.for_type(owner, key).due_on(closed_on=closed_on,
                                                             birth=client.date_of_birth)
                if due_on is not None and due_on <= today:
                    file.due[key] = due_on
        files.append(file)
    return files


def file_of(client, organisation, *, today: date, periods: Periods | None = None) -> File:
    """One controller's file of one client, as `files_of` sees it."""
    files = files_of([client], periods=periods or Periods(), today=today,
                     organisation=organisation)
    return files[0] if files else File(organisation, client, None)


def candidate_clients(*, periods: Periods, today: date):
    """
    The clients some controller's file of whom may be due: closed long enough ago, or born
    long enough ago, or with a relationship ended long enough ago. A bound, not the answer:
    `files_of` decides.
    """
    def ended_by(day):
        return Q(pk__in=ClientRelationship.objects.filter(
            ended_reason__gt="", ends_at__date__lte=day).values("client_id"))

    closing, birth = periods.shortest()
    condition = Q(pk__in=[])
    if closing is not None:
        cutoff = add_years(today, -closing)
        condition |= Q(status=ClientStatus.CLOSED, closed_on__lte=cutoff) | ended_by(cutoff)
    if birth is not None:
        condition |= (Q(status=ClientStatus.CLOSED) | ended_by(today)) & Q(
            date_of_birth__lte=add_years(today, -birth))
    return Client.objects.filter(condition).order_by("pk")
