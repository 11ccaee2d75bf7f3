"""
How long the doctor's summary of a team meeting takes to render: median of 20 renders.

    make bench-pdf

Runs on the configured database inside a transaction that is rolled back: the demo world,
Petri's meeting with its decisions and notes, then 20 renders of the PDF through the same
function the view calls.
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
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

RENDERS = 20


def world():
    from cases.services import add_note
    from clients.models import Client
    from meetings.services import book_meeting, record_decisions
    from teams.models import Team, User

    call_command("seed_demo", force=True, stdout=StringIO())
    users = {user.username: user for user in User.objects.all()}
    petri = Client.objects.get(first_name="Petri")
    health = users["coordinator"].memberships.get().organisation
    for number in range(12):
        add_note(client=petri, by=users["nurse"], organisation=health, category="health",
                 text=f"Kirjaus {number}: selkä- ja käsivaivat, kuntoutustarve. " * 6)
    start = timezone.now() + timedelta(days=30)
    meeting = book_meeting(
        client=petri, team=Team.objects.get(), by=users["coordinator"], organisation=health,
        starts_at=start, ends_at=start + timedelta(hours=1), mode="phone",
        users=[users["nurse"], users["te_expert"], users["doctor"]],
    )
    record_decisions(
        meeting=meeting, by=users["coordinator"], minutes="Tilanne käytiin läpi. " * 20,
        case_managers=[users["te_expert"], users["coordinator"]],
        realistic_goal="Ammatinvaihto kiinteistöalalle", support="Kuntoutusselvitys",
        information_for_doctor="Selkä- ja käsivaivat, lukivaikeus. " * 10,
        questions_for_doctor="Voiko B-lausunnon kirjoittaa ammatillista kuntoutusta varten?",
        doctor=users["doctor"],
    )
    return meeting, users["coordinator"]


def main():
    from consents.policy import client_for
    from meetings.summary import build_doctor_summary

    timings = []
    with transaction.atomic():
        meeting, coordinator = world()
        meeting.shown = client_for(coordinator, meeting.client_id)
        request = RequestFactory().get("/")
        request.user = coordinator
        for _ in range(RENDERS):
            began = time.perf_counter()
            summary = build_doctor_summary(request, meeting)
            timings.append(time.perf_counter() - began)
        transaction.set_rollback(True)
    pages = len(PdfReader(BytesIO(summary.pdf)).pages)
    print(f"Doctor's summary PDF, {RENDERS} renders, {len(summary.pdf) // 1024} KiB, "
          f"{pages} pages (PDF/UA-1, DejaVu Sans)")
    print(f"  first  {timings[0]:.3f} s")
    print(f"  median {statistics.median(timings):.3f} s")
    print(f"  p95    {sorted(timings)[int(0.95 * (RENDERS - 1))]:.3f} s")
    print(f"  max    {max(timings):.3f} s")


if __name__ == "__main__":
    main()
