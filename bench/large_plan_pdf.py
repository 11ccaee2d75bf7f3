"""
How long a support plan of 500 actions (BENCH_ACTIONS) takes to render as a PDF: median of 5
renders (BENCH_RENDERS).

    make bench-plan-pdf

Runs on the configured database inside a transaction that is rolled back: the demo world,
Jaakko's plan with 500 actions of mixed length (a third of them the field's full 300
characters), then renders through the same function the background worker calls
(tyokyky/documents.py). Issue 13: the same plan took 41 s inside the request, as one table
over a hundred pages; the goal is under 10 s.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tyokyky.settings")
os.environ.setdefault("DEBUG", "True")

import django

django.setup()

from datetime import timedelta  # noqa: E402
from io import BytesIO, StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "500"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "5"))
WHAT = [
    "Hae työkokeilupaikkaa metallialalta",
    "Selvitä Kelan ammatillisen kuntoutuksen mahdollisuudet yhdessä työterveyshuollon ja "
    "TE-palveluiden kanssa; sovi seuraava tapaaminen",
    ("Selvitetään asiakkaan työkyky ja kuntoutusmahdollisuudet yhdessä työterveyshuollon, "
     "Kelan ja TE-palveluiden kanssa; sovitaan työkokeilusta ja sen tavoitteista. ") * 3,
]


def world():
    from clients.models import Client
    from plans.models import ActionStatus, PlanAction
    from plans.services import create_plan
    from teams.models import User

    call_command("seed_demo", force=True, bare=True, stdout=StringIO())
    typ_expert = User.objects.get(username="typ_expert")
    jaakko = Client.objects.get(first_name="Jaakko")
    plan = create_plan(
        client=jaakko, by=typ_expert, organisation=typ_expert.memberships.get().organisation,
        case_managers=[typ_expert], short_term_goals="Työkokeilu metallialalla",
        long_term_goals="Vakituinen työ", follow_up_weeks=4,
        first_follow_up=timezone.localdate() + timedelta(days=28),
    )
    today = timezone.localdate()
    statuses = list(ActionStatus.values)
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, what=WHAT[number % 3][:300],
                   responsible=typ_expert if number % 2 else None,
                   responsible_other="" if number % 2 else "Jaakko itse ja tukihenkilö",
                   due_on=today + timedelta(days=number), status=statuses[number % len(statuses)])
        for number in range(ACTIONS))
    return jaakko, typ_expert


def main():
    from plans.views import plan_document
    from tyokyky import documents

    timings, cpu = [], []
    with transaction.atomic():
        jaakko, typ_expert = world()
        for _ in range(RENDERS):
            began, began_cpu = time.perf_counter(), time.process_time()
            pdf = documents.render(plan_document(typ_expert, jaakko.pk))
            timings.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        transaction.set_rollback(True)
    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(f"Support plan PDF, {ACTIONS} actions, {RENDERS} renders, {len(pdf) // 1024} KiB, "
          f"{pages} pages (PDF/UA-1, DejaVu Sans)")
    print(f"  first  {timings[0]:.2f} s")
    print(f"  median {statistics.median(timings):.2f} s")
    print(f"  max    {max(timings):.2f} s")
    # On a shared machine the process's own CPU time says more than the clock.
    print(f"  median CPU time {statistics.median(cpu):.2f} s")


if __name__ == "__main__":
    main()
