"""The feedback discussion's meeting is now meetings.Meeting: the state only, the table is the same."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_moved_from_teams'),
        ('plans', '0005_reminder_cancelled'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.AlterField(
            model_name='feedbackdiscussion',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='feedback_discussions', to='meetings.meeting', verbose_name='after the meeting'),
        ),
        migrations.AlterField(
            model_name='historicalfeedbackdiscussion',
            name='meeting',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='after the meeting'),
        ),
        ]),
    ]
