"""
Nobody is booked into two meetings at once, and no room either — refused by PostgreSQL itself,
so that two coordinators booking the same slot at the same moment cannot both succeed.
Half-open ranges [start, end): back-to-back meetings fit. Other databases rely on the check
inside the booking service's transaction.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import migrations
from django.db.models import Func, Q


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _period():
    return (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS)


def constraints():
    return {
        "MeetingParticipant": ExclusionConstraint(
            name="no_person_double_booked",
            expressions=[_period(), ("user", RangeOperators.EQUAL)],
            condition=Q(blocks_calendar=True, user__isnull=False),
        ),
        "Meeting": ExclusionConstraint(
            name="no_room_double_booked",
            expressions=[_period(), ("room", RangeOperators.EQUAL)],
            condition=Q(room__isnull=False) & ~Q(status="cancelled"),
        ),
    }


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for model_name, constraint in constraints().items():
        schema_editor.add_constraint(apps.get_model("teams", model_name), constraint)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, constraint in constraints().items():
        schema_editor.remove_constraint(apps.get_model("teams", model_name), constraint)


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_meetings")]

    operations = [migrations.RunPython(add, remove)]
