"""The outbox left for the work app (work/migrations/0002): the state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('work', '0002_outbox_moved_from_tyokyky'),
        ('tyokyky', '0002_rendered_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.DeleteModel(
            name='OutboxMessage',
        ),
        ]),
    ]
