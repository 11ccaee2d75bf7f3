"""Joins the notices' branch (0004) to the outbox's move (0003): one latest migration again."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tyokyky', '0003_outbox_in_the_work_app'),
        ('tyokyky', '0004_notices'),
    ]

    operations = []
