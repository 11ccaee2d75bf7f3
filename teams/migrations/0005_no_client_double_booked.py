"""
The client cannot be in two meetings at once, nor can a person from outside Työkyky (a support
person, an occupational therapist), known by their e-mail in any letter case — refused by
PostgreSQL itself, as for users and rooms (0003), so that two coordinators booking the same
client at the same moment cannot both succeed. Other databases rely on the check inside the
booking service's transaction.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import migrations
from django.db.models import Func, Q
from django.db.models.functions import Lower


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _period():
    return (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS)


def constraints():
    return {
        "Meeting": ExclusionConstraint(
            name="no_client_double_booked",
            expressions=[_period(), ("client", RangeOperators.EQUAL)],
            condition=~Q(status="cancelled"),
        ),
        "MeetingParticipant": ExclusionConstraint(
            name="no_outsider_double_booked",
            expressions=[_period(), (Lower("email"), RangeOperators.EQUAL)],
            condition=Q(blocks_calendar=True, user__isnull=True) & ~Q(email=""),
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
    dependencies = [("teams", "0004_leader_role")]

    operations = [migrations.RunPython(add, remove)]
