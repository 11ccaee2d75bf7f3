"""
The add-on pass (generate_scale_data.py --extras-only): the extras (extras.py) for the clients
a generator without them made, without generating any client again.

It walks the generated clients by id, a batch at a time. For each batch it reads back what the
extras are drawn from — the serving organisations, case managers, own nurse, the team meeting
and its participants — leaves out the clients that already have extras, and writes the rest's
in one transaction, as a full run would have (each client's extras come from a generator
seeded by the run's seed and the client's code). A pass stopped half way, or run twice, adds
each client's extras once.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection

from clients.models import CaseManagerAssignment, Client, ClientRelationship, SituationNote
from consents.models import Consent, DisclosureBan
from demo.management.commands.seed_demo import CLIENTS as DEMO_CLIENTS
from meetings.models import Meeting, MeetingDecision, MeetingParticipant, MeetingStatus
from plans.models import FeedbackDiscussion

from .calendar import HELSINKI, Calendar
from .extras import ClientFacts, ExtrasDrawer
from .rows import Rows
from .run import BatchWriter, after_generation, assign_extra_ids, pipelined
from .stories import CaseManagerStory, MeetingStory
from .tables import EXTRA_TABLES
from .world import build_world
from .writers import CopyWriter, InsertWriter

DEMO_HETUS = [client["hetu"] for client in DEMO_CLIENTS]


@dataclass(slots=True)
class Item:
    """A client of the batch as extras_rows.py reads it."""

    id: int
    extras: object


@dataclass
class ExtrasOnlyRun:
    """Adds the extras to every generated client that has none, `batch_size` at a time."""

    seed: int
    batch_size: int
    password_hash: str
    progress: object
    started: float = field(default_factory=time.perf_counter)
    seen: int = 0
    drawn: int = 0  # clients without extras, whose extras were drawn (some get none)

    def __call__(self) -> dict[str, int]:
        calendar = Calendar(datetime.now(HELSINKI).date())
        world = build_world(password_hash=self.password_hash, calendar=calendar)
        now = datetime.now(UTC)
        self.drawer = ExtrasDrawer(world, calendar, now, self.seed)
        self.area_of = {municipality: area for area in [*world.areas, world.demo_area]
                        for municipality in area.municipalities}
        writer = CopyWriter() if connection.vendor == "postgresql" else InsertWriter()
        write = BatchWriter(writer, Rows(world, now), self._report, tables=EXTRA_TABLES,
                            assign=assign_extra_ids)
        with pipelined(write) as send:
            for clients in self._batches():
                items = self._items(clients)
                self.seen += len(clients)
                if items:
                    send(items)
        writer.finish(EXTRA_TABLES)
        after_generation(self.progress)
        return {"clients seen": self.seen, "clients drawn": self.drawn, **write.counts}

    def _batches(self):
        """The generated clients (not the demo's own) in order of id, a batch at a time."""
        last = 0
        clients = Client.objects.exclude(hetu__in=DEMO_HETUS).order_by("pk")
        while batch := list(clients.filter(pk__gt=last).values(
                "pk", "hetu", "organisation_id", "municipality_id", "own_nurse_id",
                "created_at", "closed_on")[:self.batch_size]):
            last = batch[-1]["pk"]
            yield batch

    def _items(self, clients: list[dict]) -> list[Item]:
        span = (clients[0]["pk"], clients[-1]["pk"])
        done = _with_extras(span)
        facts = _Facts(span)
        items = []
        for client in clients:
            pk = client["pk"]
            area = self.area_of.get(client["municipality_id"])
            if pk in done or area is None or not facts.organisations.get(pk) \
                    or not facts.managers.get(pk) or client["organisation_id"] is None:
                continue  # done before, or not of the generated world
            items.append(Item(pk, self.drawer.draw(facts.of(client, area))))
        self.drawn += len(items)
        return items

    def _report(self, batch: int, counts: dict) -> None:
        rows = sum(counts.values())
        elapsed = time.perf_counter() - self.started
        self.progress(f"{self.seen:>10,} clients read {self.drawn:>10,} drawn "
                      f"{rows:>12,} rows {rows / elapsed:>9,.0f} rows/s {elapsed:>8.1f} s")


def _within(field: str, span) -> dict:
    """A filter on a client field for the id range (a foreign key takes no `range`)."""
    return {f"{field}__gte": span[0], f"{field}__lte": span[1]}


def _with_extras(span) -> set[int]:
    """The clients of the id range that already have extras of any kind."""
    done = set()
    for model in (Consent, SituationNote, DisclosureBan):
        done.update(model.objects.filter(**_within("client_id", span))
                    .values_list("client_id", flat=True).distinct())
    done.update(MeetingDecision.objects.filter(**_within("meeting__client_id", span))
                .values_list("meeting__client_id", flat=True))
    return done


class _Facts:
    """What the extras of a range of clients are drawn from, read in six queries."""

    def __init__(self, span):
        of_clients = _within("client_id", span)
        self.organisations: dict[int, list[int]] = {}
        for client_id, organisation in (ClientRelationship.objects.filter(**of_clients)
                                        .order_by("pk")
                                        .values_list("client_id", "organisation_id")):
            self.organisations.setdefault(client_id, []).append(organisation)
        self.managers: dict[int, list[CaseManagerStory]] = {}
        for client_id, *manager in (CaseManagerAssignment.objects.filter(**of_clients)
                                    .order_by("started_on", "pk")
                                    .values_list("client_id", "user_id", "organisation_id",
                                                 "started_on", "ended_on")):
            self.managers.setdefault(client_id, []).append(CaseManagerStory(*manager))
        self.meetings = self._meetings(span)
        self.discussions = dict(FeedbackDiscussion.objects.filter(
            **of_clients, meeting__isnull=False).order_by("pk")
            .values_list("meeting_id", "scheduled_for"))

    def _meetings(self, span) -> dict[int, tuple[MeetingStory, bool]]:
        """Each client's latest team meeting, and whether it was held (has its minutes)."""
        meetings = {}
        rows = (Meeting.objects.filter(**_within("client_id", span)).order_by("starts_at", "pk")
                .values_list("pk", "client_id", "team_id", "organisation_id", "created_by_id",
                             "created_at", "starts_at", "ends_at", "status", "mode", "uid",
                             "minutes"))
        by_id = {}
        for pk, client_id, team, organisation, by, created, starts, ends, status, mode, uid, \
                minutes in rows:
            meeting = MeetingStory(
                team=team, organisation=organisation, created_by=by, created_at=created,
                day=starts.astimezone(HELSINKI).date(), starts_at=starts, status=status,
                mode=mode, participants=[], uid=str(uid), id=pk)
            if ends - starts != timedelta(hours=1):
                continue  # not one the generator booked
            held = status == MeetingStatus.SCHEDULED and bool(minutes)
            meetings[client_id] = (meeting, held)
            by_id[pk] = meeting
        for meeting_id, user, answer in (MeetingParticipant.objects.filter(
                meeting_id__in=list(by_id), user__isnull=False).order_by("pk")
                .values_list("meeting_id", "user_id", "answer")):
            by_id[meeting_id].participants.append((user, answer))
        return meetings

    def of(self, client: dict, area) -> ClientFacts:
        pk = client["pk"]
        meeting, held = self.meetings.get(pk, (None, False))
        return ClientFacts(
            hetu=client["hetu"], area=area, writer=client["organisation_id"],
            organisations=sorted(set(self.organisations[pk])), case_managers=self.managers[pk],
            own_nurse=client["own_nurse_id"], created_at=client["created_at"],
            closed_on=client["closed_on"], meeting=meeting, meeting_held=held,
            discussion_at=self.discussions.get(meeting.id) if meeting else None,
        )
