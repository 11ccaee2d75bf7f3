"""
The meeting models move from the teams app: the state only. Their tables keep their names
(`teams_meeting` …), so no row moves; their content types — and with them the permissions that
roles and users hold — are renamed to the new app.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import meetings.models

MODELS = [
    "room", "meeting", "meetingparticipant", "meetingdecision", "calendarfeed",
    "historicalroom", "historicalmeeting", "historicalmeetingparticipant",
    "historicalmeetingdecision", "historicalmeetingdecision_case_managers",
]


def _rename(apps, old, new):
    """Rename, unless the new label is already taken (then the old row is left as it was)."""
    content_types = apps.get_model("contenttypes", "ContentType")
    taken = content_types.objects.filter(app_label=new).values("model")
    content_types.objects.filter(app_label=old, model__in=MODELS).exclude(
        model__in=taken).update(app_label=new)


def move_content_types(apps, schema_editor):
    _rename(apps, "teams", "meetings")


def move_content_types_back(apps, schema_editor):
    _rename(apps, "meetings", "teams")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('clients', '0008_case_managers_named_by'),
        ('teams', '0005_no_client_double_booked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(default=meetings.models._new_feed_token, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'teams_calendarfeed',
            },
        ),
        migrations.CreateModel(
            name='HistoricalRoom',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('municipality', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.municipality', verbose_name='municipality')),
            ],
            options={
                'verbose_name': 'historical room',
                'verbose_name_plural': 'historical rooms',
                'db_table': 'teams_historicalroom',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written')),
                ('starts_at', models.DateTimeField(verbose_name='starts')),
                ('ends_at', models.DateTimeField(verbose_name='ends')),
                ('mode', models.CharField(choices=[('in_person', 'In person'), ('phone', 'By phone'), ('video', 'By video')], default='in_person', max_length=20, verbose_name='held')),
                ('video_link', models.URLField(blank=True, verbose_name='video link')),
                ('phone_details', models.CharField(blank=True, help_text='Who calls whom, or the number to call.', max_length=200, verbose_name='phone details')),
                ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], db_index=True, default='scheduled', max_length=20, verbose_name='status')),
                ('needs_support', models.BooleanField(default=False, verbose_name='the client needs work-ability support')),
                ('wants_to_work', models.BooleanField(default=False, verbose_name='the client wants to enter or stay in working life')),
                ('not_solved_by_basic_services', models.BooleanField(default=False, verbose_name='basic services have not solved the situation')),
                ('client_motivated', models.BooleanField(default=False, verbose_name='the client is motivated to attend')),
                ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('sequence', models.PositiveIntegerField(default=0, editable=False)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='clients.client', verbose_name='client')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='written by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='written by organisation')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='teams.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'team meeting',
                'verbose_name_plural': 'team meetings',
                'db_table': 'teams_meeting',
                'ordering': ['starts_at', 'pk'],
                'permissions': [('book_meeting', 'Can book team meetings')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalMeetingParticipant',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('organisation_name', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('role', models.CharField(blank=True, max_length=200, verbose_name='role')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('answer', models.CharField(choices=[('invited', 'Invited'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='invited', max_length=20, verbose_name='answer')),
                ('starts_at', models.DateTimeField(editable=False)),
                ('ends_at', models.DateTimeField(editable=False)),
                ('blocks_calendar', models.BooleanField(default=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'historical participant',
                'verbose_name_plural': 'historical participants',
                'db_table': 'teams_historicalmeetingparticipant',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeetingDecision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('realistic_goal', models.TextField(verbose_name='the realistic goal')),
                ('support', models.TextField(blank=True, verbose_name='support to pursue')),
                ('financial_support', models.TextField(blank=True, verbose_name='financial support')),
                ('information_for_doctor', models.TextField(blank=True, help_text="Only what is essential for the doctor's assessment.", verbose_name='information for the doctor')),
                ('questions_for_doctor', models.TextField(blank=True, verbose_name='questions for the doctor')),
                ('statement_possible_now', models.BooleanField(default=False, verbose_name="the doctor's statement can be written already")),
                ('doctor_appointment', models.CharField(blank=True, max_length=200, verbose_name="doctor's appointment")),
                ('case_manager_attends_appointment', models.BooleanField(default=False, verbose_name='the case manager comes to the appointment')),
                ('feedback_discussion_at', models.DateTimeField(blank=True, null=True, verbose_name='feedback discussion agreed for')),
                ('follow_up', models.TextField(blank=True, verbose_name='how the situation is followed up')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('doctor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='doctor')),
                ('feedback_discussion_holder', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='holds the feedback discussion')),
                ('follow_up_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='follows up')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'historical meeting decisions',
                'verbose_name_plural': 'historical meeting decisions',
                'db_table': 'teams_historicalmeetingdecision',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='MeetingDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('realistic_goal', models.TextField(verbose_name='the realistic goal')),
                ('support', models.TextField(blank=True, verbose_name='support to pursue')),
                ('financial_support', models.TextField(blank=True, verbose_name='financial support')),
                ('information_for_doctor', models.TextField(blank=True, help_text="Only what is essential for the doctor's assessment.", verbose_name='information for the doctor')),
                ('questions_for_doctor', models.TextField(blank=True, verbose_name='questions for the doctor')),
                ('statement_possible_now', models.BooleanField(default=False, verbose_name="the doctor's statement can be written already")),
                ('doctor_appointment', models.CharField(blank=True, max_length=200, verbose_name="doctor's appointment")),
                ('case_manager_attends_appointment', models.BooleanField(default=False, verbose_name='the case manager comes to the appointment')),
                ('feedback_discussion_at', models.DateTimeField(blank=True, null=True, verbose_name='feedback discussion agreed for')),
                ('follow_up', models.TextField(blank=True, verbose_name='how the situation is followed up')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('case_managers', models.ManyToManyField(related_name='meeting_decisions_as_case_manager', to=settings.AUTH_USER_MODEL, verbose_name='case managers')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('doctor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='doctor')),
                ('feedback_discussion_holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='holds the feedback discussion')),
                ('follow_up_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='follows up')),
                ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='decision', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'meeting decisions',
                'verbose_name_plural': 'meeting decisions',
                'db_table': 'teams_meetingdecision',
            },
        ),
        migrations.CreateModel(
            name='HistoricalMeetingDecision_case_managers',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='meetings.historicalmeetingdecision')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meetingdecision', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meetingdecision')),
            ],
            options={
                'verbose_name': 'HistoricalMeetingDecision_case_managers',
                'db_table': 'teams_historicalmeetingdecision_case_managers',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Room',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rooms', to='teams.municipality', verbose_name='municipality')),
            ],
            options={
                'verbose_name': 'room',
                'verbose_name_plural': 'rooms',
                'db_table': 'teams_room',
                'ordering': ['municipality__name', 'name'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='room',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='meetings.room', verbose_name='room'),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written')),
                ('starts_at', models.DateTimeField(verbose_name='starts')),
                ('ends_at', models.DateTimeField(verbose_name='ends')),
                ('mode', models.CharField(choices=[('in_person', 'In person'), ('phone', 'By phone'), ('video', 'By video')], default='in_person', max_length=20, verbose_name='held')),
                ('video_link', models.URLField(blank=True, verbose_name='video link')),
                ('phone_details', models.CharField(blank=True, help_text='Who calls whom, or the number to call.', max_length=200, verbose_name='phone details')),
                ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], db_index=True, default='scheduled', max_length=20, verbose_name='status')),
                ('needs_support', models.BooleanField(default=False, verbose_name='the client needs work-ability support')),
                ('wants_to_work', models.BooleanField(default=False, verbose_name='the client wants to enter or stay in working life')),
                ('not_solved_by_basic_services', models.BooleanField(default=False, verbose_name='basic services have not solved the situation')),
                ('client_motivated', models.BooleanField(default=False, verbose_name='the client is motivated to attend')),
                ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                ('uid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('sequence', models.PositiveIntegerField(default=0, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.client', verbose_name='client')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='written by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='written by organisation')),
                ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team', verbose_name='team')),
                ('room', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.room', verbose_name='room')),
            ],
            options={
                'verbose_name': 'historical team meeting',
                'verbose_name_plural': 'historical team meetings',
                'db_table': 'teams_historicalmeeting',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='MeetingParticipant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('organisation_name', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('role', models.CharField(blank=True, max_length=200, verbose_name='role')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('answer', models.CharField(choices=[('invited', 'Invited'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='invited', max_length=20, verbose_name='answer')),
                ('starts_at', models.DateTimeField(editable=False)),
                ('ends_at', models.DateTimeField(editable=False)),
                ('blocks_calendar', models.BooleanField(default=True, editable=False)),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='meetings.meeting', verbose_name='meeting')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meeting_participations', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'participant',
                'verbose_name_plural': 'participants',
                'db_table': 'teams_meetingparticipant',
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['user', 'starts_at'], name='participant_calendar_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('user__isnull', False), models.Q(('name', ''), _negated=True), _connector='OR'), name='participant_is_a_user_or_named'), models.UniqueConstraint(fields=('meeting', 'user'), name='invited_once')],
            },
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['team', 'starts_at'], name='meeting_team_time_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['client', 'starts_at'], name='meeting_client_time_idx'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='meeting_ends_after_it_starts'),
        ),
        ]),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
