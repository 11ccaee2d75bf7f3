"""A notification for the doctor a team meeting names to assess the client."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('work', '0003_follow_up_period_reminder'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('feedback_discussion', 'A feedback discussion is due'), ('action', 'A plan action is due'), ('follow_up', 'A follow-up date has come'), ('health_check', 'The unemployed health check is due'), ('referral_feedback', 'A referral is waiting for feedback'), ('consent_expiring', 'A consent is about to expire'), ('new_organisation', 'Another organisation now serves your client'), ('doctor_assessment', 'A client waits for your assessment'), ('follow_up_period', 'The follow-up period after closing is ending')], max_length=30),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(choices=[('feedback_discussion', 'A feedback discussion is due'), ('action', 'A plan action is due'), ('follow_up', 'A follow-up date has come'), ('health_check', 'The unemployed health check is due'), ('referral_feedback', 'A referral is waiting for feedback'), ('consent_expiring', 'A consent is about to expire'), ('new_organisation', 'Another organisation now serves your client'), ('doctor_assessment', 'A client waits for your assessment'), ('follow_up_period', 'The follow-up period after closing is ending')], max_length=30),
        ),
    ]
