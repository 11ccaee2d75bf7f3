"""Jaakko's case: a team meeting that named his case manager, and then nothing more."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from meetings.services import book_meeting, record_decisions
from teams.models import Team


def jaakkos_meeting(demo, *, ended_days_ago=20, when=None, case_manager="typ_expert"):
    """Booked and held `ended_days_ago` days ago (or at `when`); the decisions name the TYP
    expert (or `case_manager`) as the case manager and leave the feedback discussion to
    them."""
    jaakko = Client.objects.get(first_name="Jaakko")
    start = when or timezone.now() - timedelta(days=ended_days_ago, hours=1)
    with time_machine.travel(start - timedelta(days=7)):
        meeting = book_meeting(
            client=jaakko, team=Team.objects.get(), by=demo["coordinator"],
            organisation=demo["coordinator"].memberships.get().organisation,
            starts_at=start, ends_at=start + timedelta(hours=1), mode="phone",
            users=[demo["typ_expert"], demo["nurse"]],
        )
    record_decisions(meeting=meeting, by=demo["coordinator"], minutes="Käytiin läpi",
                     case_managers=[demo[case_manager]],
                     realistic_goal="Työkokeilu metallialalla")
    return meeting


def discussion_url(meeting) -> str:
    """Where the reminder of the meeting's feedback discussion leads: its form."""
    return f"{reverse('plans:discussion_create', args=[meeting.client_id])}?meeting={meeting.pk}"
