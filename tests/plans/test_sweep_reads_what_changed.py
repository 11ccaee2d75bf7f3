"""
The five-minute sweep reads what became due or changed since the last one, not the whole
backlog of open items long reminded; once a night it reads everything (work/reminders.py). Its
queries, and My work's due items, are as many for a handful of open items as for many.
"""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client
from plans.models import PlanAction
from plans.services import add_action, create_plan
from work import due
from work.models import Reminder, ReminderKind, SweepMark
from work.my_work import work_for
from work.reminders import SINCE_SLACK, sweep


def _plan(demo):
    typ = demo["typ_expert"]
    return create_plan(client=Client.objects.get(first_name="Jaakko"), by=typ,
                       organisation=typ.memberships.get().organisation, case_managers=[typ],
                       short_term_goals="Työkokeilu")


def _open_actions(demo, plan, count, *, days_ago=3):
    """`count` open actions of the nurse's, come due `days_ago` days ago."""
    for n in range(count):
        add_action(plan=plan, by=demo["typ_expert"], what=f"Tehtävä {n}",
                   responsible=demo["nurse"],
                   due_on=timezone.localdate() - timedelta(days=days_ago))


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def _action_reminders():
    return Reminder.objects.filter(kind=ReminderKind.ACTION)


def test_the_sweeps_queries_do_not_grow_with_the_open_items(demo):
    plan = _plan(demo)
    counts = []
    for backlog in (3, 9):  # N, then 3N open actions long reminded
        _open_actions(demo, plan, backlog - PlanAction.objects.count())
        sweep()
        _open_actions(demo, plan, 1, days_ago=0)  # and one new this morning
        counts.append(_queries(sweep))
    assert counts[0] == counts[1]
    assert _action_reminders().filter(stage="due").count() == 10


def test_my_works_due_items_take_as_many_queries_for_many_items(demo):
    plan = _plan(demo)
    nurse, today = demo["nurse"], timezone.localdate()
    counts = []
    for items in (3, 9):
        _open_actions(demo, plan, items - PlanAction.objects.count())
        counts.append(_queries(lambda: due.due_items(today, users={nurse.pk},
                                                     until=today + timedelta(days=6))))
    assert counts[0] == counts[1]
    assert len([item for item in work_for(nurse).overdue if item.label == str(
        ReminderKind.ACTION.label)]) == 9


def test_after_a_sweep_what_changed_is_reminded_at_once(demo):
    """An action written today with an old date, and one reopened: neither came due since the
    last sweep, both changed since it."""
    plan = _plan(demo)
    _open_actions(demo, plan, 2)
    reopened = PlanAction.objects.filter(plan=plan).order_by("pk").last()
    reopened.status = "done"
    reopened.save()
    sweep()
    assert SweepMark.objects.get().day == timezone.localdate()
    assert _action_reminders().count() == 1
    _open_actions(demo, plan, 1, days_ago=20)  # written late
    reopened.status = "in_progress"
    reopened.save()  # its history row tells the sweep
    sweep()
    assert _action_reminders().filter(stage="due", user=demo["nurse"]).count() == 3


def test_what_changed_without_a_trace_waits_for_the_nightly_sweep(demo):
    """A due item that neither came due nor changed since the last sweep is not read by the
    next five-minute one (here: its reminder's key removed behind the sweep's back); the
    nightly sweep reads everything and finds it."""
    # Written before the slack the sweep looks back for late commits (reminders.SINCE_SLACK).
    with time_machine.travel(timezone.now() - SINCE_SLACK - timedelta(minutes=10)):
        plan = _plan(demo)
        _open_actions(demo, plan, 1)
    sweep()
    _action_reminders().delete()
    sweep()
    assert not _action_reminders().exists()
    sweep(full=True)
    assert _action_reminders().filter(stage="due").count() == 1


def test_a_sweep_for_an_earlier_day_reads_everything(demo):
    """The mark never moves back, and a sweep for a day before it reads everything."""
    plan = _plan(demo)
    _open_actions(demo, plan, 1, days_ago=10)
    sweep()
    _action_reminders().delete()
    sweep(today=timezone.localdate() - timedelta(days=1))
    assert SweepMark.objects.get().day == timezone.localdate()
    assert _action_reminders().filter(stage="due").count() == 1
