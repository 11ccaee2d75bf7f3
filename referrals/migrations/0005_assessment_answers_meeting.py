"""A doctor's assessment names the team meeting whose questions it answers: it takes the
meeting off the named doctor's worklist (meetings/doctor.py)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_attendance'),
        ('referrals', '0004_missed_appointment'),
    ]

    operations = [
        migrations.AddField(
            model_name='doctorassessment',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='doctor_assessments', to='meetings.meeting', verbose_name='answers the team meeting'),
        ),
        migrations.AddField(
            model_name='historicaldoctorassessment',
            name='meeting',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='answers the team meeting'),
        ),
    ]
