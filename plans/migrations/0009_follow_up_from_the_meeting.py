"""Who follows up, as the team meeting decided (issue 16)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_interpreter_booked'),
        ('plans', '0008_goals_and_plain_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='meetings.meetingdecision', verbose_name='agreed in the team meeting'),
        ),
        migrations.AddField(
            model_name='followup',
            name='responsible',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='follows up'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='decision',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meetingdecision', verbose_name='agreed in the team meeting'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='responsible',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='follows up'),
        ),
    ]
