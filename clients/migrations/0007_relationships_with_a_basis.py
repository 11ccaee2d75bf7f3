"""
The organisations that serve a client, each on a recorded basis, and the organisation that wrote
the client's card. Existing rows: the first organisation wrote the card; an organisation a
referral or feedback was addressed to serves on that basis; any other came by the client's visit
and keeps the card it then typed.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import clients.hetu

CARD_FIELDS = ["first_name", "last_name", "phone", "email", "street_address", "postal_code",
               "post_office", "language", "interpreter_language", "municipality_id"]


def copy_relationships(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Relationship = apps.get_model("clients", "ClientRelationship")
    Referral = apps.get_model("referrals", "Referral")
    Feedback = apps.get_model("referrals", "Feedback")
    through = Client.organisations.through
    referred = set(Referral.objects.filter(is_self_referral=False)
                   .values_list("client_id", "recipient_id"))
    fed_back = set(Feedback.objects.exclude(recipient=None)
                   .values_list("client_id", "recipient_id"))
    writers = {}
    for row in through.objects.order_by("pk").iterator():
        pair = (row.client_id, row.organisation_id)
        if row.client_id not in writers:
            writers[row.client_id] = row.organisation_id
            Relationship.objects.create(client_id=row.client_id,
                                        organisation_id=row.organisation_id, basis="visit")
        elif pair in referred or pair in fed_back:
            Relationship.objects.create(client_id=row.client_id,
                                        organisation_id=row.organisation_id, carries_card=True,
                                        basis="referral" if pair in referred else "feedback")
        else:
            client = Client.objects.get(pk=row.client_id)
            Relationship.objects.create(
                client_id=row.client_id, organisation_id=row.organisation_id, basis="visit",
                **{name: getattr(client, name) for name in CARD_FIELDS})
    for client_id, organisation_id in writers.items():
        Client.objects.filter(pk=client_id).update(organisation_id=organisation_id)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0006_name_search_index'),
        ('teams', '0004_leader_role'),
        ('referrals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='client',
            name='organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.organisation', verbose_name='card written by'),
        ),
        migrations.AddField(
            model_name='historicalclient',
            name='organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='card written by'),
        ),
        migrations.AlterField(
            model_name='client',
            name='hetu',
            field=models.CharField(max_length=11, unique=True, validators=[clients.hetu.validate_hetu], verbose_name='personal identity code'),
        ),
        migrations.AlterField(
            model_name='historicalclient',
            name='hetu',
            field=models.CharField(db_index=True, max_length=11, validators=[clients.hetu.validate_hetu], verbose_name='personal identity code'),
        ),
        migrations.CreateModel(
            name='ClientRelationship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('street_address', models.CharField(blank=True, max_length=200, verbose_name='street address')),
                ('postal_code', models.CharField(blank=True, max_length=5, verbose_name='postal code')),
                ('post_office', models.CharField(blank=True, max_length=100, verbose_name='post office')),
                ('interpreter_language', models.CharField(blank=True, help_text='Leave empty if no interpreter is needed.', max_length=100, verbose_name='interpreter needed for')),
                ('basis', models.CharField(choices=[('visit', "The client's own visit or application"), ('referral', 'A referral addressed to the organisation'), ('feedback', 'Health check feedback sent to the organisation'), ('invitation', "An invitation to the client's team meeting")], max_length=20, verbose_name='basis')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='since')),
                ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='until')),
                ('carries_card', models.BooleanField(default=False, verbose_name="carries the client's card")),
                ('ended_reason', models.CharField(blank=True, choices=[('employed', 'Employed'), ('studying', 'Studying'), ('rehabilitation', 'Rehabilitation'), ('pension', 'Pension'), ('moved', 'Moved away'), ('other', 'Other')], max_length=20, verbose_name='reason for closing')),
                ('first_name', models.CharField(blank=True, max_length=100, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=100, verbose_name='last name')),
                ('language', models.CharField(blank=True, choices=[('fi', 'suomi'), ('sv', 'svenska'), ('en', 'English')], max_length=2, verbose_name='language of service')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='relationships', to='clients.client', verbose_name='client')),
                ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.municipality', verbose_name='municipality')),
                ('own_nurse', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='own nurse')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='client_relationships', to='teams.organisation', verbose_name='organisation')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'client relationship',
                'verbose_name_plural': 'client relationships',
                'ordering': ['started_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalClientRelationship',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('street_address', models.CharField(blank=True, max_length=200, verbose_name='street address')),
                ('postal_code', models.CharField(blank=True, max_length=5, verbose_name='postal code')),
                ('post_office', models.CharField(blank=True, max_length=100, verbose_name='post office')),
                ('interpreter_language', models.CharField(blank=True, help_text='Leave empty if no interpreter is needed.', max_length=100, verbose_name='interpreter needed for')),
                ('basis', models.CharField(choices=[('visit', "The client's own visit or application"), ('referral', 'A referral addressed to the organisation'), ('feedback', 'Health check feedback sent to the organisation'), ('invitation', "An invitation to the client's team meeting")], max_length=20, verbose_name='basis')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='since')),
                ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='until')),
                ('carries_card', models.BooleanField(default=False, verbose_name="carries the client's card")),
                ('ended_reason', models.CharField(blank=True, choices=[('employed', 'Employed'), ('studying', 'Studying'), ('rehabilitation', 'Rehabilitation'), ('pension', 'Pension'), ('moved', 'Moved away'), ('other', 'Other')], max_length=20, verbose_name='reason for closing')),
                ('first_name', models.CharField(blank=True, max_length=100, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=100, verbose_name='last name')),
                ('language', models.CharField(blank=True, choices=[('fi', 'suomi'), ('sv', 'svenska'), ('en', 'English')], max_length=2, verbose_name='language of service')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.client', verbose_name='client')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('municipality', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.municipality', verbose_name='municipality')),
                ('own_nurse', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='own nurse')),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.organisation', verbose_name='organisation')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'historical client relationship',
                'verbose_name_plural': 'historical client relationships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(copy_relationships, migrations.RunPython.noop),
        migrations.RemoveField(model_name='client', name='organisations'),
        migrations.AddField(
            model_name='client',
            name='organisations',
            field=models.ManyToManyField(blank=True, related_name='clients', through='clients.ClientRelationship', to='teams.organisation', verbose_name='client of'),
        ),
        migrations.DeleteModel(
            name='HistoricalClient_organisations',
        ),
        migrations.AddIndex(
            model_name='clientrelationship',
            index=models.Index(fields=['organisation', 'client'], name='relationship_org_client_idx'),
        ),
        migrations.AddConstraint(
            model_name='clientrelationship',
            constraint=models.UniqueConstraint(fields=('client', 'organisation', 'basis'), name='one_relationship_per_basis'),
        ),
    ]
