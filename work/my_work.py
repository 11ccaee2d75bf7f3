"""
My work (Omat tehtävät): what is overdue, due today and coming this week for one person,
across referrals, meetings, feedback discussions, plan actions and follow-ups — from the same
rules as the reminders (work/due.py), each one click from its record. The apps above this one
add their own items (referrals to book, the week's meetings) and panels (the team's meetings)
by registering them here.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from clients.models import CaseManagerAssignment, ClientStatus
from consents.policy import consents_to_confirm
from consents.shown import shown_clients

from . import due
from .models import ReminderKind, ReminderStage


@dataclass
class WorkItem:
    day: date
    label: str
    url: str
    client_id: int | None = None
    shown_client: object = field(default=None, compare=False)  # consents.shown.ShownClient


@dataclass
class MyWork:
    overdue: list
    today: list
    week: list
    panels: dict  # name -> rows, from the registered panels
    my_clients: list
    to_confirm: list
    clients: list  # the clients the page names, as the user may see them (for the access log)


# `source(user, today, week_end) -> list[WorkItem]`: items an app adds beside the due rules.
ITEM_SOURCES = []
# name -> `panel(user) -> list`: a list of its own on the page (the team's coming meetings),
# each row with `shown_client` for the access log.
PANELS = {}


def item_source(function):
    ITEM_SOURCES.append(function)
    return function


def panel(name):
    def register(function):
        PANELS[name] = function
        return function
    return register


def _due_items(user, today, week_end) -> list[WorkItem]:
    found = due.due_items(today, users={user.pk}, until=week_end)
    return [WorkItem(item.due_on, str(ReminderKind(item.kind).label), item.url, item.client_id)
            for item in found if item.stage == ReminderStage.DUE and item.due_on <= week_end]


def work_for(user, today=None) -> MyWork:
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday()) if today.weekday() < 5 else (
        today + timedelta(days=7)
    )
    items = [*_due_items(user, today, week_end),
             *(item for source in ITEM_SOURCES for item in source(user, today, week_end))]
    panels = {name: build(user) for name, build in PANELS.items()}
    my_clients = list(
        CaseManagerAssignment.objects.current().filter(user=user,
                                                       client__status=ClientStatus.ACTIVE)
        .order_by("client__last_name")
    )
    to_confirm = list(consents_to_confirm(user).select_related("recorded_by_organisation"))
    shown = shown_clients(user, {i.client_id for i in items} | {a.client_id for a in my_clients}
                          | {c.client_id for c in to_confirm})
    for row in [*items, *my_clients, *to_confirm]:
        row.shown_client = shown.get(row.client_id)
    items.sort(key=lambda item: (item.day, item.label))
    return MyWork(
        overdue=[i for i in items if i.day < today],
        today=[i for i in items if i.day == today],
        week=[i for i in items if today < i.day <= week_end],
        panels=panels,
        my_clients=my_clients,
        to_confirm=to_confirm,
        clients=[*shown.values(), *(row.shown_client for rows in panels.values()
                                    for row in rows if row.shown_client)],
    )
