"""
Reminders and notifications move from the plans app: the state only. Their tables keep their
names (`plans_reminder`, `plans_notification`), so no row moves; their content types are
renamed to the new app.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["reminder", "notification"]


def _rename(apps, old, new):
    """Rename, unless the new label is already taken (then the old row is left as it was)."""
    content_types = apps.get_model("contenttypes", "ContentType")
    taken = content_types.objects.filter(app_label=new).values("model")
    content_types.objects.filter(app_label=old, model__in=MODELS).exclude(
        model__in=taken).update(app_label=new)


def move_content_types(apps, schema_editor):
    _rename(apps, "plans", "work")


def move_content_types_back(apps, schema_editor):
    _rename(apps, "work", "plans")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('plans', '0006_meetings_in_their_own_app'),
        ('clients', '0008_case_managers_named_by'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('feedback_discussion', 'A feedback discussion is due'), ('action', 'A plan action is due'), ('follow_up', 'A follow-up date has come'), ('health_check', 'The unemployed health check is due'), ('referral_feedback', 'A referral is waiting for feedback'), ('consent_expiring', 'A consent is about to expire'), ('new_organisation', 'Another organisation now serves your client')], max_length=30)),
                ('stage', models.CharField(choices=[('due', 'due'), ('overdue', 'overdue')], default='due', max_length=10)),
                ('url', models.CharField(max_length=200)),
                ('due_on', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clients.client')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'plans_notification',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='notification_user_idx'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['user'], name='unread_notification_idx')],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('feedback_discussion', 'A feedback discussion is due'), ('action', 'A plan action is due'), ('follow_up', 'A follow-up date has come'), ('health_check', 'The unemployed health check is due'), ('referral_feedback', 'A referral is waiting for feedback'), ('consent_expiring', 'A consent is about to expire'), ('new_organisation', 'Another organisation now serves your client')], max_length=30)),
                ('object_id', models.BigIntegerField()),
                ('stage', models.CharField(choices=[('due', 'due'), ('overdue', 'overdue')], default='due', max_length=10)),
                ('due_on', models.DateField()),
                ('url', models.CharField(max_length=200)),
                ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('cancelled', 'Cancelled: the client was closed')], default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clients.client')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'plans_reminder',
                'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['created_at'], name='pending_reminder_idx')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id', 'stage', 'user'), name='reminder_sent_once')],
            },
        ),
        ]),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
