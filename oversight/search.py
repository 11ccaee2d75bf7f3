"""
Searching the logs as a data protection officer.

Scope: an officer oversees their own controller — the organisations in which they hold the
data protection officer's role. They see the access-log rows of reads made for those
organisations (the acting user's organisation), the disclosure-log rows from or to them, and
the administration-log rows of their memberships and organisation, and about their present
members. Another
organisation's officer sees none of it; reads of this organisation's data by another
organisation are in the disclosure log as disclosed from this one.

The criteria of a search are kept in the session under a short random key (tyokyky/search.py),
so that the pages and the CSV find them without putting them in a URL: a client searched by
personal identity code is kept by id, the code itself nowhere. Pages go by keyset (the last
row's time and id), never with a COUNT over the whole log.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from consents.models import AccessLogEntry, DisclosureLogEntry
from teams.models import Membership, Role
from tyokyky.search import recall_search, remember_search

from .models import LogKind

try:  # the administration log comes with the teams room's change log
    from teams.models import AdministrationLogEntry
except ImportError:  # pragma: no cover - before it exists
    AdministrationLogEntry = None

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
SESSION_MARK = "oversight"


def officer_organisation_ids(user) -> frozenset[int]:
    """The organisations whose logs the user oversees: their active officer memberships."""
    if not hasattr(user, "_oversight_organisations"):
        user._oversight_organisations = frozenset(
            Membership.objects.active()
            .filter(user_id=user.pk, role=Role.DATA_PROTECTION_OFFICER)
            .values_list("organisation_id", flat=True)
        ) if user.is_authenticated else frozenset()
    return user._oversight_organisations


def available_logs() -> list[str]:
    return [kind for kind in LogKind.values
            if kind != LogKind.ADMINISTRATION or AdministrationLogEntry is not None]


@dataclass
class Criteria:
    """One search: which log, whose rows, when. `client_id` is set by a personal identity code
    the officer typed (`by_hetu`); `no_client` when that code named no client."""

    log: str = LogKind.ACCESS
    user_id: int | None = None
    target_user_id: int | None = None
    organisation_id: int | None = None
    client_id: int | None = None
    by_hetu: bool = False
    no_client: bool = False
    since: datetime | None = None
    until: datetime | None = None

    def to_session(self) -> dict:
        data = asdict(self)
        for name in ("since", "until"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_session(cls, data: dict) -> "Criteria":
        data = dict(data)
        for name in ("since", "until"):
            data[name] = parse_datetime(data[name]) if data.get(name) else None
        return cls(**{key: value for key, value in data.items()
                      if key in cls.__dataclass_fields__})

    def logged(self) -> dict:
        """What the officer's own log keeps of the search: ids and times, never a code."""
        data = self.to_session()
        data.pop("log")
        return {key: value for key, value in data.items() if value not in (None, False)}


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """A period of whole days, Helsinki time, as [since, until)."""
    zone = timezone.get_default_timezone()
    since = datetime(start.year, start.month, start.day, tzinfo=zone) if start else None
    until = (datetime(end.year, end.month, end.day, tzinfo=zone) + timedelta(days=1)
             if end else None)
    return since, until


# --- Saving a search for its pages --------------------------------------------------------------
# Kept with the other searches of the session (tyokyky/search.py), marked as the officer's.

def remember(request, criteria: Criteria) -> str:
    """Keep the search in the session (the last few); returns its key."""
    return remember_search(request, {SESSION_MARK: criteria.to_session()})


def recall(request, key) -> Criteria | None:
    data = recall_search(request, str(key or ""))
    if not isinstance(data, dict) or SESSION_MARK not in data:
        return None
    return Criteria.from_session(data[SESSION_MARK])


# --- The rows -----------------------------------------------------------------------------------

def _period(rows: QuerySet, criteria: Criteria) -> QuerySet:
    if criteria.since:
        rows = rows.filter(at__gte=criteria.since)
    if criteria.until:
        rows = rows.filter(at__lt=criteria.until)
    return rows


def entries(criteria: Criteria, organisation_ids) -> QuerySet:
    """The log rows of the search within the officer's scope, newest first."""
    organisation_ids = list(organisation_ids)
    if criteria.log == LogKind.DISCLOSURE:
        rows = DisclosureLogEntry.objects.filter(
            Q(source_organisation_id__in=organisation_ids)
            | Q(recipient_organisation_id__in=organisation_ids)
        ).select_related("user", "source_organisation", "recipient_organisation")
        if criteria.organisation_id:
            rows = rows.filter(Q(source_organisation_id=criteria.organisation_id)
                               | Q(recipient_organisation_id=criteria.organisation_id))
    elif criteria.log == LogKind.ADMINISTRATION and AdministrationLogEntry is not None:
        organisations = [criteria.organisation_id] if criteria.organisation_id else list(
            organisation_ids)
        members = Membership.objects.active().filter(
            organisation_id__in=organisations).values("user_id")
        # The organisation's own memberships and card, ever; and what its present members
        # did or had done to them (not those of a past membership, now elsewhere).
        rows = AdministrationLogEntry.objects.filter(
            Q(organisation_id__in=organisations) | Q(actor_id__in=members)
            | Q(target_user_id__in=members))
        if criteria.user_id:
            rows = rows.filter(actor_id=criteria.user_id)
        if criteria.target_user_id:
            rows = rows.filter(target_user_id=criteria.target_user_id)
        return _period(rows, criteria).order_by("-at", "-pk")
    elif criteria.log == LogKind.ACCESS:
        rows = AccessLogEntry.objects.filter(organisation_id__in=organisation_ids
                                             ).select_related("user", "organisation")
        if criteria.organisation_id:
            rows = rows.filter(organisation_id=criteria.organisation_id)
    else:
        return AccessLogEntry.objects.none()
    if criteria.no_client:
        return rows.none()
    if criteria.user_id:
        rows = rows.filter(user_id=criteria.user_id)
    if criteria.client_id:
        rows = rows.filter(client_id=criteria.client_id)
    return _period(rows, criteria).order_by("-at", "-pk")


@dataclass(frozen=True)
class Cursor:
    """Where a page begins: after the row of this time and id (newest first)."""

    at: datetime
    pk: int

    def __str__(self):
        return f"{(self.at - EPOCH) // MICROSECOND}.{self.pk}"

    @classmethod
    def parse(cls, value) -> "Cursor | None":
        try:
            micros, pk = str(value).split(".")
            at = EPOCH + int(micros) * MICROSECOND
            return cls(at, int(pk)) if 0 < int(pk) < 2**63 else None
        except (ValueError, OverflowError):
            return None


@dataclass
class Page:
    rows: list
    next_cursor: Cursor | None
    first: int  # the number of the page's first row, for "rows 51–100"

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def page(rows: QuerySet, after: Cursor | None, first: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of rows after the cursor: one query, a row more than shown to know whether
    there is a next page."""
    if after is not None:
        rows = rows.filter(Q(at__lt=after.at) | Q(at=after.at, pk__lt=after.pk))
    found = list(rows[:size + 1])
    shown = found[:size]
    more = len(found) > size
    return Page(shown, Cursor(shown[-1].at, shown[-1].pk) if more else None, first)


def export_limit() -> int:
    """The most rows a CSV of a search holds (OVERSIGHT_EXPORT_MAX_ROWS)."""
    from django.conf import settings

    return settings.OVERSIGHT_EXPORT_MAX_ROWS
