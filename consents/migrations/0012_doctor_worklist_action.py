"""The doctor's worklist is logged as what showed the clients it names."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0011_data_package_actions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='action',
            field=models.CharField(choices=[('client_list', 'Client list'), ('client_page', 'Client page'), ('client_edit', 'Client details form'), ('note_form', 'Note form'), ('summary_pdf', 'Client summary (PDF)'), ('notes_csv', 'Notes (CSV)'), ('consent_form', 'Consent form'), ('consent', 'Consent'), ('consent_revoke_form', 'Revoking a consent'), ('consent_pdf', 'Consent (PDF)'), ('disclosure_ban_form', 'Disclosure ban form'), ('disclosure_ban_lift_form', 'Lifting a disclosure ban'), ('team', "Client's team"), ('access_log', 'Access log'), ('access_log_csv', 'Access log (CSV)'), ('referral_sent', 'Referral sent'), ('referral', 'Referral'), ('referral_form', 'Referral form'), ('referral_worklist', 'Health check worklist'), ('sent_referrals', 'Referrals sent'), ('health_check_form', 'Health check form'), ('feedback_sent', 'Feedback sent'), ('feedback_form', 'Feedback form'), ('assessment', "Doctor's assessment"), ('assessment_form', "Doctor's assessment form"), ('meeting_form', 'Meeting booking'), ('meeting', 'Team meeting'), ('meeting_decisions', 'Meeting decisions'), ('doctor_summary_pdf', "Doctor's summary (PDF)"), ('doctor_worklist', "Doctor's worklist"), ('calendar', 'Calendar'), ('my_work', 'My work'), ('plan', 'Support plan'), ('plan_pdf', 'Support plan (PDF)'), ('feedback_discussion', 'Feedback discussion'), ('close_client', 'Closing the client'), ('process_pdf', "The client's process (PDF)"), ('handover', 'Handing over'), ('data_package_request', "The client's data package requested"), ('data_package_pdf', "The client's data package (PDF)"), ('data_package_json', "The client's data package (JSON)")], max_length=60, verbose_name='what'),
        ),
        migrations.AlterField(
            model_name='disclosurelogentry',
            name='action',
            field=models.CharField(choices=[('client_list', 'Client list'), ('client_page', 'Client page'), ('client_edit', 'Client details form'), ('note_form', 'Note form'), ('summary_pdf', 'Client summary (PDF)'), ('notes_csv', 'Notes (CSV)'), ('consent_form', 'Consent form'), ('consent', 'Consent'), ('consent_revoke_form', 'Revoking a consent'), ('consent_pdf', 'Consent (PDF)'), ('disclosure_ban_form', 'Disclosure ban form'), ('disclosure_ban_lift_form', 'Lifting a disclosure ban'), ('team', "Client's team"), ('access_log', 'Access log'), ('access_log_csv', 'Access log (CSV)'), ('referral_sent', 'Referral sent'), ('referral', 'Referral'), ('referral_form', 'Referral form'), ('referral_worklist', 'Health check worklist'), ('sent_referrals', 'Referrals sent'), ('health_check_form', 'Health check form'), ('feedback_sent', 'Feedback sent'), ('feedback_form', 'Feedback form'), ('assessment', "Doctor's assessment"), ('assessment_form', "Doctor's assessment form"), ('meeting_form', 'Meeting booking'), ('meeting', 'Team meeting'), ('meeting_decisions', 'Meeting decisions'), ('doctor_summary_pdf', "Doctor's summary (PDF)"), ('doctor_worklist', "Doctor's worklist"), ('calendar', 'Calendar'), ('my_work', 'My work'), ('plan', 'Support plan'), ('plan_pdf', 'Support plan (PDF)'), ('feedback_discussion', 'Feedback discussion'), ('close_client', 'Closing the client'), ('process_pdf', "The client's process (PDF)"), ('handover', 'Handing over'), ('data_package_request', "The client's data package requested"), ('data_package_pdf', "The client's data package (PDF)"), ('data_package_json', "The client's data package (JSON)")], max_length=60, verbose_name='what'),
        ),
    ]
