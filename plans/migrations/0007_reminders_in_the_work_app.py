"""Reminders and notifications left for the work app (work/migrations/0001): the state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0006_meetings_in_their_own_app'),
        ('work', '0001_moved_from_plans'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='reminder',
            name='client',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='user',
        ),
        migrations.DeleteModel(
            name='Notification',
        ),
        migrations.DeleteModel(
            name='Reminder',
        ),
        ]),
    ]
