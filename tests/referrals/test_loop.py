"""
The full loop for the demo clients, through the views: Tiina referred by the TE expert,
checked by the nurse, feedback acknowledged by the TE expert; Mari by herself, feedback to her
and, with her consent, to employment services.
"""

from django.urls import reverse

from consents.models import Action, DisclosureLogEntry, LegalBasis
from consents.services import record_consent
from referrals.models import ReferralStatus
from tests.utils import log_in

from .steps import give_feedback, latest_referral, record_check, send_referral


def test_tiinas_loop_from_referral_to_acknowledged_feedback(client, demo, tiina, health,
                                                           employment):
    te_expert, nurse = demo["te_expert"], demo["nurse"]

    response = send_referral(client, te_expert, tiina, health)
    referral = latest_referral()
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert referral.organisation == employment and referral.recipient == health
    assert referral.services.get().service == "Uravalmennus"

    log_in(client, nurse)
    worklist = client.get(reverse("referrals:worklist"))
    assert [r.pk for r in worklist.context["page"]] == [referral.pk]
    client.post(reverse("referrals:receive", args=[referral.pk]))
    client.post(reverse("referrals:book", args=[referral.pk]), {"when": "2099-01-15T09:30"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BOOKED

    assert record_check(client, nurse, referral).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert give_feedback(client, nurse, referral).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.FEEDBACK_SENT

    log_in(client, te_expert)
    sent = client.get(reverse("referrals:sent"))
    assert [r.get_status_display() for r in sent.context["page"]] == ["Palaute lähetetty"]
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "ei raskasta nostamista" in page          # the feedback reached the referrer
    assert "Liikkumisen rajoitteet" not in page      # the health check itself did not
    client.post(reverse("referrals:acknowledge", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    assert referral.feedback.acknowledged_by == te_expert


def test_sending_and_feedback_are_logged_as_disclosures(client, demo, tiina, health,
                                                        employment):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    record_check(client, demo["nurse"], referral)
    give_feedback(client, demo["nurse"], referral)
    sent, fed_back = (DisclosureLogEntry.objects.get(action=action)
                      for action in (Action.REFERRAL_SENT, Action.FEEDBACK_SENT))
    assert (sent.source_organisation, sent.recipient_organisation) == (employment, health)
    assert (fed_back.source_organisation, fed_back.recipient_organisation) == (health, employment)
    assert fed_back.categories == ["health"]
    assert fed_back.legal_basis == LegalBasis.REFERRAL


def take_on(client, user, person, organisation):
    """Mari gives her name and code at the health check: the nurse writes her in."""
    log_in(client, user)
    return client.post(reverse("clients:create"), {
        "first_name": person.first_name, "last_name": person.last_name,
        "hetu": person.hetu.lower(), "municipality": person.municipality_id, "language": "fi",
        "organisation": organisation.pk, "case_managers": [user.pk],
    })


def test_maris_self_referral_with_feedback_to_her_and_with_consent_to_employment(
    client, demo, mari, health, employment
):
    nurse = demo["nurse"]
    # Mari is adult social work's client; she walks into the health check herself.
    log_in(client, nurse)
    assert client.get(reverse("clients:detail", args=[mari.pk])).status_code == 404
    assert take_on(client, nurse, mari, health).url == reverse("clients:detail", args=[mari.pk])
    response = client.post(reverse("referrals:self_referral", args=[mari.pk]), {"when": ""})
    referral = latest_referral()
    assert referral.is_self_referral
    assert response.url == reverse("referrals:health_check", args=[referral.pk])
    record_check(client, nurse, referral)

    # Without her consent, the feedback may not go to employment services.
    refused = give_feedback(client, nurse, referral, recipient=employment.pk)
    assert "ei ole antanut suostumusta" in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE

    record_consent(client=mari, by=nurse, categories=["identity", "health"],
                   organisations=[employment], purpose="Palaute TE-palveluille",
                   method="verbal", heard_by=nurse, valid_from="2026-01-01")
    give_feedback(client, nurse, referral, recipient=employment.pk, to_client="in_person")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.FEEDBACK_SENT
    assert referral.feedback.to_client == "in_person"
    disclosure = DisclosureLogEntry.objects.get(action=Action.FEEDBACK_SENT)
    assert disclosure.legal_basis == LegalBasis.CONSENT and disclosure.consent is not None

    log_in(client, demo["te_expert"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "ei raskasta nostamista" in page
    client.post(reverse("referrals:acknowledge", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED


def test_a_self_referral_with_feedback_to_the_client_only_closes(client, demo, mari, health):
    nurse = demo["nurse"]
    take_on(client, nurse, mari, health)
    client.post(reverse("referrals:self_referral", args=[mari.pk]), {"when": ""})
    referral = latest_referral()
    record_check(client, nurse, referral)
    give_feedback(client, nurse, referral, recipient="")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.GIVEN_TO_CLIENT
    assert not DisclosureLogEntry.objects.filter(action=Action.FEEDBACK_SENT).exists()
