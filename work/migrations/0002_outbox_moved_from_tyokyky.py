"""
The outbox moves from the core package: the state only. Its table keeps its name
(`tyokyky_outboxmessage`), so no message moves; its content type, and with it the
administrators' permissions, is renamed to this app.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def _rename(apps, old, new):
    """Rename, unless the new label is already taken (then the old row is left as it was)."""
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label=new, model="outboxmessage").exists():
        content_types.objects.filter(app_label=old, model="outboxmessage").update(app_label=new)


def move_content_type(apps, schema_editor):
    _rename(apps, "tyokyky", "work")


def move_content_type_back(apps, schema_editor):
    _rename(apps, "work", "tyokyky")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('tyokyky', '0002_rendered_documents'),
        ('clients', '0008_case_managers_named_by'),
        ('work', '0001_moved_from_plans'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('to', models.EmailField(max_length=254, verbose_name='recipient')),
                ('subject', models.CharField(max_length=300, verbose_name='subject')),
                ('body', models.TextField(verbose_name='message')),
                ('attachment_name', models.CharField(blank=True, max_length=100)),
                ('attachment_type', models.CharField(blank=True, max_length=100)),
                ('attachment', models.BinaryField(blank=True, default=b'')),
                ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('parked', 'Not delivered'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='state')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_error', models.CharField(blank=True, max_length=500, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clients.client')),
            ],
            options={
                'verbose_name': 'outgoing e-mail',
                'verbose_name_plural': 'outgoing e-mails',
                'db_table': 'tyokyky_outboxmessage',
                'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['next_attempt_at'], name='outbox_waiting_idx'), models.Index(condition=models.Q(('state', 'pending')), fields=['client'], name='outbox_client_waiting_idx')],
            },
        ),
        ]),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
