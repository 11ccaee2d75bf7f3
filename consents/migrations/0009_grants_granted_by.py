"""Who put each person on a client's team; the grants so far: the client's card writer."""

import django.db.models.deletion
from django.db import migrations, models


def granted_by_the_writer(apps, schema_editor):
    Grant = apps.get_model("consents", "ClientUserObjectPermission")
    Client = apps.get_model("clients", "Client")
    for client_id, writer_id in Client.objects.values_list("pk", "organisation_id"):
        Grant.objects.filter(content_object_id=client_id).update(
            granted_by_organisation_id=writer_id)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0008_case_managers_named_by'),
        ('consents', '0008_consents_need_the_controller'),
        ('teams', '0004_leader_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientuserobjectpermission',
            name='granted_by_organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='granted by organisation'),
        ),
        migrations.AddField(
            model_name='historicalclientuserobjectpermission',
            name='granted_by_organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='granted by organisation'),
        ),
        migrations.RunPython(granted_by_the_writer, migrations.RunPython.noop),
    ]
