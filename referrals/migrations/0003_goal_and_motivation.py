"""The goal and the client's motivation, defined with the referral (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0002_keepers_and_per_organisation_uniqueness'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalreferral',
            name='goal',
            field=models.TextField(blank=True, help_text='Work, studies, rehabilitation… as the client puts it.', verbose_name="the client's goal"),
        ),
        migrations.AddField(
            model_name='historicalreferral',
            name='motivation',
            field=models.TextField(blank=True, help_text='How the client sees the referral and their own part in it.', verbose_name="the client's motivation"),
        ),
        migrations.AddField(
            model_name='referral',
            name='goal',
            field=models.TextField(blank=True, help_text='Work, studies, rehabilitation… as the client puts it.', verbose_name="the client's goal"),
        ),
        migrations.AddField(
            model_name='referral',
            name='motivation',
            field=models.TextField(blank=True, help_text='How the client sees the referral and their own part in it.', verbose_name="the client's motivation"),
        ),
    ]
