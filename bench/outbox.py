"""
The outbox through a real SMTP server on this machine: throughput, and what a crash costs.

    make bench-outbox                     # 5,000 messages; 20 crashes
    BENCH_MESSAGES=20000 make bench-outbox

1. Throughput: BENCH_MESSAGES e-mails queued (a fifth with a calendar attached, as meeting
   invitations are), delivered by one worker process, then by two at once; messages per second
   from the first claim to the last recorded "sent".
2. Crashes: 20 times, 200 messages queued and a worker killed with SIGKILL right after the
   server has accepted a random one of them (before the worker can record it). The messages
   are then delivered by another worker once the lease has run out. Counted: messages lost
   (never accepted) and messages the server accepted twice.

The SMTP server (aiosmtpd) runs in this process and only counts; the workers are separate
processes on the database tyokyky_bench_outbox, as Celery's are.
"""

import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import django
import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tyokyky_bench_outbox")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tyokyky.settings")
os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("SECRET_KEY", "bench-only")

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "5000"))
CRASHES = int(os.environ.get("BENCH_CRASHES", "20"))
CRASH_BATCH = 200


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


class Counting:
    """Counts Message-IDs; can call back before answering "250"."""

    def __init__(self):
        self.ids = Counter()
        self.lock = threading.Lock()
        self.on_accept = None

    async def handle_DATA(self, server, session, envelope):
        message_id = message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.ids[message_id] += 1
            accepted = sum(self.ids.values())
        if self.on_accept:
            self.on_accept(accepted)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker(port, *, later=False) -> subprocess.Popen:
    """A worker process delivering the outbox (with `later`, as if the leases had run out)."""
    now = "timezone.now() + timedelta(hours=1)" if later else "None"
    code = ("import django; django.setup(); from datetime import timedelta; "
            "from django.utils import timezone; from work import outbox; "
            f"outbox.deliver(now={now})")
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT,
                            env={**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"})


def queue(count: int) -> list[str]:
    from django.db import transaction

    from work import outbox

    calendar = ("kutsu.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * 900 + b"\r\nEND:VCALENDAR\r\n",
                "text/calendar; charset=utf-8; method=REQUEST")
    messages = [outbox.message(
        to=f"user{n}@tyokyky.invalid", subject="Työkyvyn muistutus: Palautekeskustelu",
        body="Muistutus Työkyvystä.\n\nAvaa: https://tyokyky.example/clients/1/\n" * 3,
        attachment=calendar if n % 5 == 0 else None) for n in range(count)]
    with transaction.atomic():
        outbox.enqueue(messages)
    return [m.message_id for m in messages]


def clear():
    from work.models import OutboxMessage

    OutboxMessage.objects.all().delete()


def throughput(server, port, workers: int) -> float:
    clear()
    server.ids.clear()
    queue(MESSAGES)
    started = time.perf_counter()
    for process in [worker(port) for _ in range(workers)]:
        process.wait()
    elapsed = time.perf_counter() - started
    assert sum(server.ids.values()) == MESSAGES, sum(server.ids.values())
    return MESSAGES / elapsed


def crash(server, port) -> tuple[int, int]:
    """(lost, accepted twice) after one worker killed just after an acceptance."""
    clear()
    server.ids.clear()
    ids = queue(CRASH_BATCH)
    kill_at = random.randint(1, CRASH_BATCH - 1)  # noqa: S311 - not a secret
    process = None

    def kill(accepted):
        if accepted == kill_at:
            os.kill(process.pid, signal.SIGKILL)

    server.on_accept = kill
    process = worker(port)
    process.wait()
    server.on_accept = None
    worker(port, later=True).wait()
    lost = sum(1 for message_id in ids if server.ids[message_id] == 0)
    twice = sum(count - 1 for count in server.ids.values())
    return lost, twice


def main():
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    server, port = Counting(), free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        one = throughput(server, port, 1)
        two = throughput(server, port, 2)
        outcomes = [crash(server, port) for _ in range(CRASHES)]
    finally:
        controller.stop()
    lost = sum(outcome[0] for outcome in outcomes)
    twice = sum(outcome[1] for outcome in outcomes)
    print(f"outbox: {MESSAGES} messages through SMTP on 127.0.0.1")
    print(f"  one worker:  {one:,.0f} messages/s")
    print(f"  two workers: {two:,.0f} messages/s")
    print(f"  {CRASHES} workers killed mid-delivery ({CRASH_BATCH} messages each): "
          f"{lost} lost, {twice} accepted twice (at most one per crash is expected)")


if __name__ == "__main__":
    main()
