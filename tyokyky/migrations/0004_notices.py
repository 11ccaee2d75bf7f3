"""
The public notices: the privacy notice and the accessibility statement, one row per language,
with their first texts (tyokyky/notice_texts.py) and a first line in their history.

This migration follows 0002, not 0003: 0003 hangs on the rooms' moves, and
tests/test_migrations_forward.py takes the schema back to before the moves and forward again,
finding every table's rows unchanged. Following 0002 the notices stay where they are through
that round trip; 0005 joins the two branches again.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from tyokyky.notice_texts import NOTICES


def write_first_texts(apps, schema_editor):
    Notice = apps.get_model("tyokyky", "Notice")
    HistoricalNotice = apps.get_model("tyokyky", "HistoricalNotice")
    now = timezone.now()
    for (kind, language), (title, body) in NOTICES.items():
        notice = Notice.objects.create(kind=kind, language=language, title=title, body=body)
        HistoricalNotice.objects.create(
            id=notice.pk, kind=kind, language=language, title=title, body=body,
            updated_at=notice.updated_at, history_date=now, history_type="+",
            history_change_reason="First text",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('tyokyky', '0002_rendered_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalNotice',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('privacy', 'Privacy notice'), ('accessibility', 'Accessibility statement')], max_length=20, verbose_name='notice')),
                ('language', models.CharField(choices=[('fi', 'suomi'), ('sv', 'svenska'), ('en', 'English')], max_length=2, verbose_name='language')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('body', models.TextField(help_text='Plain text. Separate paragraphs with a blank line. A line starting with "## " is a heading, "### " a subheading and "- " a list item. Web and e-mail addresses become links; HTML is shown as text.', verbose_name='text')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='last updated')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical notice',
                'verbose_name_plural': 'historical notices',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('privacy', 'Privacy notice'), ('accessibility', 'Accessibility statement')], max_length=20, verbose_name='notice')),
                ('language', models.CharField(choices=[('fi', 'suomi'), ('sv', 'svenska'), ('en', 'English')], max_length=2, verbose_name='language')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('body', models.TextField(help_text='Plain text. Separate paragraphs with a blank line. A line starting with "## " is a heading, "### " a subheading and "- " a list item. Web and e-mail addresses become links; HTML is shown as text.', verbose_name='text')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last updated')),
            ],
            options={
                'verbose_name': 'notice',
                'verbose_name_plural': 'notices',
                'ordering': ['kind', 'language'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'language'), name='one_notice_per_language')],
            },
        ),
        migrations.RunPython(write_first_texts, migrations.RunPython.noop),
    ]
