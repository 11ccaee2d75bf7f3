"""
National-scale data for the benchmarks, on top of the demo world (seed_demo first): about 300
municipalities with their organisations, staff and teams, and N clients with about ten rows
each along the service path, spread over two years, with consents, disclosure bans,
situation notes and meeting decisions.

    python bench/generate_scale_data.py --clients 100000 [--seed 1] [--batch-size 20000]
    make bench-data BENCH_CLIENTS=100000
    python bench/generate_scale_data.py --extras-only [--seed 1]   # consents, bans, notes and
                                          # decisions for clients generated without them

It fills DATABASE_URL; bench/pages.py runs it once for its scale database. The generator is in
bench/scale/. It is not a management command: bench/ is not an installed app, and the
production image leaves it out.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(arguments: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench.scale.command import Command

    # As manage.py would run it: arguments parsed, a CommandError printed, exit status 1.
    Command().run_from_argv(["python", "bench/generate_scale_data.py", *arguments])


if __name__ == "__main__":
    main(sys.argv[1:])
