"""
A run: the world first, then the clients in batches. Each batch of stories is drawn with its
extras (extras.py), its parents' primary keys are reserved, and its rows are written in one
transaction, so memory stays flat. On PostgreSQL a second thread writes one batch while the
next one is drawn. When all is written, after_generation() runs.
"""

import queue
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from clients.models import Client
from consents import reach
from consents.models import Consent
from meetings.models import Meeting, MeetingDecision
from plans.models import SupportPlan
from referrals.models import HealthCheck, Referral
from reporting import facts as dashboard_facts

from .calendar import HELSINKI, Calendar
from .client_story import ClientDrawer
from .extras import ExtrasDrawer, facts_of_story
from .hetu import HetuSource
from .rows import Rows
from .stories import ClientStory, Drawing
from .tables import ALL_TABLES
from .world import build_world
from .writers import CopyWriter, InsertWriter

# Kainuu's share of the clients: enough for the demo users' lists to be full, not national.
DEMO_AREA_MAX_CLIENTS = 3000
DEMO_AREA_MIN_CLIENTS = 60


def demo_area_clients(total: int) -> int:
    """How many of `total` clients live in Kainuu: a few thousand at scale."""
    return min(DEMO_AREA_MAX_CLIENTS, max(total // 20, min(total, DEMO_AREA_MIN_CLIENTS)))


def assign_ids(stories: list[ClientStory], reserve) -> None:
    """Give the batch's parent rows their reserved primary keys, so children can name them."""
    referrals = [referral for story in stories for referral in story.referrals]
    checks = [referral.check for referral in referrals if referral.check]
    meetings = [story.meeting for story in stories if story.meeting]
    plans = [story.plan for story in stories if story.plan]
    for model, rows in ((Client, stories), (Referral, referrals), (HealthCheck, checks),
                        (Meeting, meetings), (SupportPlan, plans)):
        first = reserve(model, len(rows))
        for offset, row in enumerate(rows):
            row.id = first + offset
    assign_extra_ids(stories, reserve)


def assign_extra_ids(items, reserve) -> None:
    """The same for the extras' parents: consents (their categories, recipients and
    confirmations name them) and meeting decisions (their case managers)."""
    extras = [item.extras for item in items if item.extras is not None]
    consents = [consent for e in extras for consent in e.consents]
    decisions = [e.decision for e in extras if e.decision]
    for model, rows in ((Consent, consents), (MeetingDecision, decisions)):
        first = reserve(model, len(rows))
        for offset, row in enumerate(rows):
            row.id = first + offset


def after_generation(progress=print) -> None:
    """
    Runs once the clients and their extras are written, in a full run and after the add-on
    pass (--extras-only), before the benchmarks read the database.

    The generator writes with COPY, past the signals and services that keep the access rules'
    conclusions (consents/reach.py) in step with every consent, ban, relationship and team
    change, so they are rebuilt for all clients here; and the dashboard's facts are counted.
    """
    started = time.perf_counter()
    clients = reach.rebuild_all()
    progress(f"Access conclusions rebuilt for {clients:,} clients in "
             f"{time.perf_counter() - started:.1f} s.")
    # The dashboard reads facts counted ahead (reporting/facts.py), by beat in service.
    started = time.perf_counter()
    refreshed = dashboard_facts.refresh(everything=True)
    progress(f"Dashboard facts counted for {len(refreshed.months.split())} months in "
             f"{time.perf_counter() - started:.1f} s.")


class BatchWriter:
    """Writes one batch of stories in one transaction, counting rows per table."""

    def __init__(self, writer, rows: Rows, on_written, tables=ALL_TABLES, assign=assign_ids):
        self.writer = writer
        self.rows = rows
        self.on_written = on_written
        self.tables = tables
        self.assign = assign
        self.counts = dict.fromkeys((table.label for table in tables), 0)

    def __call__(self, stories: list[ClientStory]) -> None:
        with transaction.atomic():
            self.writer.begin_batch()
            self.assign(stories, self.writer.reserve)
            for table in self.tables:
                self.counts[table.label] += self.writer.write(table,
                                                              self.rows.of(table, stories))
        self.on_written(len(stories), self.counts)


class Pipeline:
    """
    Writes batches in a second thread, on its own database connection, while the main thread
    draws the next batch: Python and PostgreSQL each keep one core busy instead of taking turns.
    """

    def __init__(self, write):
        self.write = write
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="scale-data-writer")
        self.thread.start()

    def _work(self) -> None:
        try:
            while (stories := self.queue.get()) is not None:
                if self.error is None:
                    self.write(stories)
        except BaseException as error:  # handed over to the main thread in send() and close()
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()  # this thread's own connection

    def send(self, stories: list[ClientStory]) -> None:
        if self.error:
            raise self.error
        self.queue.put(stories)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            raise self.error


@contextmanager
def pipelined(write):
    """`send(batch)`: written in a second thread on PostgreSQL, at once elsewhere. Inside a
    transaction (a test) another connection would not see the world: no thread then."""
    threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
    pipeline = Pipeline(write) if threaded else None
    try:
        yield pipeline.send if pipeline else write
    finally:
        if pipeline:
            pipeline.close()


@dataclass
class Run:
    """Generates `clients` clients in batches and reports progress to `progress(line)`."""

    clients: int
    seed: int
    batch_size: int
    password_hash: str
    progress: object
    started: float = field(default_factory=time.perf_counter)
    written: int = 0

    def __call__(self) -> dict[str, int]:
        calendar = Calendar(datetime.now(HELSINKI).date())
        world = build_world(password_hash=self.password_hash, calendar=calendar)
        self.progress(f"World ready in {self._elapsed():.1f} s: {len(world.areas)} areas and "
                      f"Kainuu, {len(world.role_of):,} staff.")
        start = Client.objects.count()
        rng = random.Random(f"{self.seed}:{start}")  # noqa: S311 (test data, not secrets)
        drawing = Drawing(world, calendar, rng)
        drawer = ClientDrawer(drawing, demo_share=demo_area_clients(self.clients) / self.clients)
        writer = CopyWriter() if connection.vendor == "postgresql" else InsertWriter()
        extras = ExtrasDrawer(world, calendar, drawing.now, self.seed)
        write = BatchWriter(writer, Rows(world, drawing.now), self._report)
        self._draw_and_write(drawer, extras, HetuSource(start), write)
        analysed = time.perf_counter()
        writer.finish(ALL_TABLES)
        if connection.vendor == "postgresql":
            self.progress(f"ANALYZE in {time.perf_counter() - analysed:.1f} s.")
        after_generation(self.progress)
        return write.counts

    def _draw_and_write(self, drawer: ClientDrawer, extras: ExtrasDrawer, hetus: HetuSource,
                        write) -> None:
        now = extras.now
        with pipelined(write) as send:
            for size in self._batch_sizes():
                stories = [drawer.draw(hetu) for hetu in hetus.take(size)]
                for story in stories:
                    story.extras = extras.draw(facts_of_story(story, now))
                send(stories)

    def _batch_sizes(self):
        for done in range(0, self.clients, self.batch_size):
            yield min(self.batch_size, self.clients - done)

    def _elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _report(self, batch: int, counts: dict) -> None:
        self.written += batch
        rows = sum(counts.values())
        elapsed = self._elapsed()
        self.progress(f"{self.written:>10,} / {self.clients:,} clients {rows:>12,} rows "
                      f"{rows / elapsed:>9,.0f} rows/s {elapsed:>8.1f} s")
