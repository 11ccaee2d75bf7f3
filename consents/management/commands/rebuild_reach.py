"""Write every client's access conclusions (consents.models.Reach) afresh from the sources."""

import time

from django.core.management.base import BaseCommand

from consents.reach import rebuild_all


class Command(BaseCommand):
    help = "Rewrite the access rules' conclusions of every client from the sources."

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done, total):
            if self.verbosity > 1 or done == total or done % 100_000 < 2000:
                self.stdout.write(f"{done:,} / {total:,} clients "
                                  f"{time.perf_counter() - started:.0f} s")

        total = rebuild_all(progress)
        self.stdout.write(f"{total:,} clients in {time.perf_counter() - started:.1f} s.")
