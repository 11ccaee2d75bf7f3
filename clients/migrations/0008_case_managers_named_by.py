"""Who named each case manager; the periods so far were named by the client's card writer."""

import django.db.models.deletion
from django.db import migrations, models


def named_by_the_writer(apps, schema_editor):
    Assignment = apps.get_model("clients", "CaseManagerAssignment")
    Client = apps.get_model("clients", "Client")
    for client_id, writer_id in Client.objects.values_list("pk", "organisation_id"):
        Assignment.objects.filter(client_id=client_id).update(assigned_by_organisation_id=writer_id)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0007_relationships_with_a_basis'),
        ('teams', '0004_leader_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='casemanagerassignment',
            name='assigned_by_organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='named by organisation'),
        ),
        migrations.AddField(
            model_name='historicalcasemanagerassignment',
            name='assigned_by_organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='named by organisation'),
        ),
        migrations.RunPython(named_by_the_writer, migrations.RunPython.noop),
    ]
