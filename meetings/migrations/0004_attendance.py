"""
The client takes part in their meeting, and attendance is recorded (ei saapunut = did not
arrive). Existing people from outside become `external`; every meeting gets the client's own
row — without a name: who the client is comes from the card, as the policy allows — in one
statement each, so that the migration stays quick on a national database.

Taken back, the client's rows stay (the old schema keeps every row, tests/
test_migrations_forward.py), named by a placeholder the old constraint accepts; forward again
they are the client's rows once more, and only meetings without one get a new one.
"""

from django.conf import settings
from django.db import migrations, models

PLACEHOLDER = "(asiakas)"


def mark_kinds_and_add_the_clients(apps, schema_editor):
    schema_editor.execute(
        "UPDATE teams_meetingparticipant SET kind = 'client', name = '' "
        "WHERE user_id IS NULL AND email = '' AND name = %s", [PLACEHOLDER])
    schema_editor.execute(
        "UPDATE teams_meetingparticipant SET kind = 'external' "
        "WHERE user_id IS NULL AND kind <> 'client'")
    schema_editor.execute(
        "INSERT INTO teams_meetingparticipant (meeting_id, user_id, name, organisation_name, "
        "role, email, answer, kind, attendance, starts_at, ends_at, blocks_calendar) "
        "SELECT m.id, NULL, '', '', '', '', 'invited', 'client', 'unknown', m.starts_at, "
        "m.ends_at, m.status <> 'cancelled' FROM teams_meeting m WHERE NOT EXISTS ("
        "SELECT 1 FROM teams_meetingparticipant p WHERE p.meeting_id = m.id "
        "AND p.kind = 'client')")


def name_the_clients_for_the_old_schema(apps, schema_editor):
    schema_editor.execute(
        "UPDATE teams_meetingparticipant SET name = %s WHERE kind = 'client'", [PLACEHOLDER])


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_meeting_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='meetingparticipant',
            name='participant_is_a_user_or_named',
        ),
        migrations.AddField(
            model_name='historicalmeetingparticipant',
            name='attendance',
            field=models.CharField(choices=[('unknown', 'Not recorded'), ('attended', 'Attended'), ('did_not_attend', 'Did not arrive')], default='unknown', max_length=20, verbose_name='attendance'),
        ),
        migrations.AddField(
            model_name='historicalmeetingparticipant',
            name='kind',
            field=models.CharField(choices=[('staff', 'Staff'), ('client', 'The client'), ('support_person', 'Support person'), ('external', 'Other participant from outside')], default='staff', max_length=20, verbose_name='participates as'),
        ),
        migrations.AddField(
            model_name='meetingparticipant',
            name='attendance',
            field=models.CharField(choices=[('unknown', 'Not recorded'), ('attended', 'Attended'), ('did_not_attend', 'Did not arrive')], default='unknown', max_length=20, verbose_name='attendance'),
        ),
        migrations.AddField(
            model_name='meetingparticipant',
            name='kind',
            field=models.CharField(choices=[('staff', 'Staff'), ('client', 'The client'), ('support_person', 'Support person'), ('external', 'Other participant from outside')], default='staff', max_length=20, verbose_name='participates as'),
        ),
        migrations.RunPython(mark_kinds_and_add_the_clients,
                             name_the_clients_for_the_old_schema),
        migrations.AddIndex(
            model_name='meetingparticipant',
            index=models.Index(condition=models.Q(('attendance', 'did_not_attend')), fields=['meeting'], name='participant_no_show_idx'),
        ),
        migrations.AddConstraint(
            model_name='meetingparticipant',
            constraint=models.CheckConstraint(condition=models.Q(('user__isnull', False), models.Q(('name', ''), _negated=True), ('kind', 'client'), _connector='OR'), name='participant_is_a_user_or_named'),
        ),
        migrations.AddConstraint(
            model_name='meetingparticipant',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'staff'), ('user__isnull', False)), models.Q(models.Q(('kind', 'staff'), _negated=True), ('user__isnull', True)), _connector='OR'), name='participant_kind_matches_user'),
        ),
        migrations.AddConstraint(
            model_name='meetingparticipant',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'client'), _negated=True), models.Q(('email', ''), ('name', '')), _connector='OR'), name='client_participant_carries_no_name'),
        ),
        migrations.AddConstraint(
            model_name='meetingparticipant',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'client')), fields=('meeting',), name='client_participates_once'),
        ),
    ]
