"""Retention periods, destruction proposals and the append-only tombstones."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from tyokyky.append_only import guards


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clients', '0008_case_managers_named_by'),
        ('teams', '0005_no_client_double_booked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DestructionProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('closed_on', models.DateField(verbose_name='file closed')),
                ('due_on', models.DateField(verbose_name='retention ended')),
                ('items', models.JSONField(default=dict, verbose_name='records')),
                ('state', models.CharField(choices=[('proposed', 'Waiting for a decision'), ('approved', 'Approved: destroyed tonight'), ('destroyed', 'Destroyed'), ('rejected', 'Kept: destruction rejected'), ('void', 'Void: the file was reopened')], db_index=True, default='proposed', max_length=20, verbose_name='state')),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='proposed')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('rejection_reason', models.CharField(blank=True, choices=[('still_needed', "Still needed for the client's service or care"), ('claim', 'A complaint, claim or legal proceeding is pending'), ('review', 'The records must first be reviewed or archived')], max_length=20, verbose_name='reason for keeping')),
                ('destroyed_at', models.DateTimeField(blank=True, null=True, verbose_name='destroyed')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.client', verbose_name='client')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='controller')),
            ],
            options={
                'verbose_name': 'destruction proposal',
                'verbose_name_plural': 'destruction proposals',
                'ordering': ['due_on', 'pk'],
                'permissions': [('approve_destruction', 'Can approve destroying the records whose retention has passed')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDestructionProposal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('closed_on', models.DateField(verbose_name='file closed')),
                ('due_on', models.DateField(verbose_name='retention ended')),
                ('items', models.JSONField(default=dict, verbose_name='records')),
                ('state', models.CharField(choices=[('proposed', 'Waiting for a decision'), ('approved', 'Approved: destroyed tonight'), ('destroyed', 'Destroyed'), ('rejected', 'Kept: destruction rejected'), ('void', 'Void: the file was reopened')], db_index=True, default='proposed', max_length=20, verbose_name='state')),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='proposed')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('rejection_reason', models.CharField(blank=True, choices=[('still_needed', "Still needed for the client's service or care"), ('claim', 'A complaint, claim or legal proceeding is pending'), ('review', 'The records must first be reviewed or archived')], max_length=20, verbose_name='reason for keeping')),
                ('destroyed_at', models.DateTimeField(blank=True, null=True, verbose_name='destroyed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.client', verbose_name='client')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='controller')),
            ],
            options={
                'verbose_name': 'historical destruction proposal',
                'verbose_name_plural': 'historical destruction proposals',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRetentionPeriod',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('record_type', models.CharField(max_length=100, verbose_name='record type')),
                ('years', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to keep the records for good.', null=True, verbose_name='years')),
                ('counted_from', models.CharField(choices=[('file_closed', "the day the client's file was closed"), ('birth', "the client's birth"), ('death', "the client's death (not recorded in Työkyky: never ends)")], default='file_closed', max_length=20, verbose_name='counted from')),
                ('basis', models.TextField(blank=True, help_text='The law, decision or archive plan the period comes from.', verbose_name='basis')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='controller')),
            ],
            options={
                'verbose_name': 'historical retention period',
                'verbose_name_plural': 'historical retention periods',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RetentionPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_type', models.CharField(max_length=100, verbose_name='record type')),
                ('years', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to keep the records for good.', null=True, verbose_name='years')),
                ('counted_from', models.CharField(choices=[('file_closed', "the day the client's file was closed"), ('birth', "the client's birth"), ('death', "the client's death (not recorded in Työkyky: never ends)")], default='file_closed', max_length=20, verbose_name='counted from')),
                ('basis', models.TextField(blank=True, help_text='The law, decision or archive plan the period comes from.', verbose_name='basis')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='controller')),
            ],
            options={
                'verbose_name': 'retention period',
                'verbose_name_plural': 'retention periods',
                'ordering': ['organisation__name', 'record_type'],
            },
        ),
        migrations.CreateModel(
            name='Tombstone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('closed_on', models.DateField(verbose_name='file closed')),
                ('record_types', models.JSONField(default=list, verbose_name='record types')),
                ('destroyed', models.JSONField(default=dict, verbose_name='destroyed')),
                ('kept_for_others', models.JSONField(default=dict, verbose_name='kept for other controllers')),
                ('card_destroyed', models.BooleanField(default=False, verbose_name="the client's card destroyed")),
                ('approved_at', models.DateTimeField(verbose_name='approved')),
                ('destroyed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='destroyed')),
                ('approved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.client', verbose_name='client')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='controller')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tombstones', to='retention.destructionproposal', verbose_name='proposal')),
            ],
            options={
                'verbose_name': 'tombstone',
                'verbose_name_plural': 'tombstones',
                'ordering': ['-destroyed_at', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='destructionproposal',
            index=models.Index(fields=['organisation', 'state', 'due_on'], name='proposal_list_idx'),
        ),
        migrations.AddConstraint(
            model_name='destructionproposal',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['proposed', 'approved'])), fields=('organisation', 'client'), name='one_open_proposal_per_controller_and_client'),
        ),
        migrations.AddConstraint(
            model_name='destructionproposal',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['proposed', 'void']), ('decided_by__isnull', False), _connector='OR'), name='a_decision_names_who_decided'),
        ),
        migrations.AddConstraint(
            model_name='retentionperiod',
            constraint=models.UniqueConstraint(fields=('organisation', 'record_type'), name='one_period_per_controller_and_type'),
        ),
        migrations.AddIndex(
            model_name='tombstone',
            index=models.Index(fields=['client', 'organisation'], name='tombstone_client_idx'),
        ),
        guards("retention_tombstone"),
    ]
