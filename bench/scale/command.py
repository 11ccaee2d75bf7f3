"""
The generator's command line: it checks that the database is the right one to fill, runs the
generator and reports. bench/generate_scale_data.py runs it; tests call it with call_command().
"""

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from clients.models import Client
from demo.management.commands.seed_demo import CLIENTS as DEMO_CLIENTS
from demo.management.commands.seed_demo import DEVELOPMENT_PASSWORD, USERS
from teams.models import User

from .extras_only import ExtrasOnlyRun
from .run import Run


class Command(BaseCommand):
    help = ("Fills the database with national-scale generated data for benchmarks: about 300 "
            "municipalities, their organisations, staff and teams, and N clients with about "
            "ten rows each along the service path. Run seed_demo first.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int,
                            help="How many clients to generate, e.g. 1000000.")
        parser.add_argument("--seed", type=int, default=1,
                            help="Random seed: the same seed gives the same data (default 1).")
        parser.add_argument("--batch-size", type=int, default=20_000,
                            help="Clients per transaction (default 20000).")
        parser.add_argument("--append", action="store_true",
                            help="Add to a database that already has generated clients.")
        parser.add_argument("--extras-only", action="store_true",
                            help="Generate no clients: add the consents, disclosure bans, "
                                 "situation notes and meeting decisions to every generated "
                                 "client that has none yet (a database made without them).")

    def handle(self, *args, clients, seed, batch_size, append, extras_only, **options):
        if extras_only:
            return self._extras_only(seed, batch_size)
        if clients is None:
            raise CommandError("Give --clients N (or --extras-only).")
        if clients < 1 or batch_size < 1:
            raise CommandError("--clients and --batch-size must be positive.")
        self._check_database(append)
        started = time.perf_counter()
        run = Run(clients=clients, seed=seed, batch_size=batch_size,
                  password_hash=self._password_hash(), progress=self.stdout.write)
        try:
            counts = run()
        except (LookupError, OverflowError) as error:  # no demo team; codes run out
            raise CommandError(str(error)) from None
        self._summary(counts, time.perf_counter() - started)

    def _extras_only(self, seed: int, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        self._check_database(append=True)
        started = time.perf_counter()
        run = ExtrasOnlyRun(seed=seed, batch_size=batch_size,
                            password_hash=self._password_hash(), progress=self.stdout.write)
        try:
            counts = run()
        except LookupError as error:  # no demo team
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        seen, drawn = counts.pop("clients seen"), counts.pop("clients drawn")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"Added {total:,} rows of extras in {seconds:.1f} s "
            f"({total / max(seconds, 1e-9):,.0f} rows/s) for the {drawn:,} of {seen:,} "
            "generated clients that had none:"))
        self._table(counts)
        if drawn and total:
            self.stdout.write(f"  {'rows per client':<24} {total / drawn:>12.1f}")

    def _check_database(self, append: bool) -> None:
        demo_users = User.objects.filter(username__in=USERS).count()
        if demo_users < len(USERS):
            raise CommandError("The demo world is missing: run `manage.py seed_demo` first. "
                               "The generated data builds on its organisations, users and team.")
        existing = Client.objects.count()
        if existing > len(DEMO_CLIENTS) and not append:
            raise CommandError(
                f"The database already has {existing:,} clients, more than the demo's "
                f"{len(DEMO_CLIENTS)}: it may hold real data or an earlier run's. Give "
                "--append to add the clients to it anyway, or use a fresh database."
            )

    def _password_hash(self) -> str:
        """One hash for every generated user: the demo password, or no usable password."""
        password = settings.DEMO_PASSWORD or (DEVELOPMENT_PASSWORD if settings.DEBUG else "")
        return make_password(password or None)

    def _summary(self, counts: dict[str, int], seconds: float) -> None:
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"Generated {total:,} rows in {seconds:.1f} s ({total / seconds:,.0f} rows/s):"))
        self._table(counts)
        clients = counts["clients"]
        self.stdout.write(f"  {'rows per client':<24} {total / clients:>12.1f}")

    def _table(self, counts: dict[str, int]) -> None:
        for label, count in counts.items():
            self.stdout.write(f"  {label:<24} {count:>12,}")
