"""
The client always gets the health check's feedback (DESIGN.md step 2, KainOTE): every feedback
records how and when the client got it, and nothing closes without it — least of all a
self-referral, which has no referrer to send the feedback to.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import CLIENT_FEEDBACK_MISSING, Feedback, ReferralStatus
from tests.utils import log_in

from .steps import give_feedback, latest_referral, record_check, send_referral
from .test_loop import take_on


def missing() -> str:
    """The Finnish error (Asiakas saa terveystarkastuksen palautteen aina...), in the language
    of the test: its fi translation comes with the project's message catalogue."""
    return str(CLIENT_FEEDBACK_MISSING)


@pytest.fixture
def checked_self_referral(client, demo, mari, health):
    nurse = demo["nurse"]
    take_on(client, nurse, mari, health)
    client.post(reverse("referrals:self_referral", args=[mari.pk]), {"when": ""})
    referral = latest_referral()
    record_check(client, nurse, referral)
    return referral


@pytest.fixture
def checked_referral(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    record_check(client, demo["nurse"], referral)
    return referral


@pytest.mark.parametrize("to_client", ["", "not_given"])
def test_a_self_referral_does_not_close_without_the_clients_feedback(
    client, demo, checked_self_referral, to_client
):
    response = give_feedback(client, demo["nurse"], checked_self_referral, recipient="",
                             to_client=to_client)
    assert response.status_code == 200
    assert missing() in response.content.decode()
    checked_self_referral.refresh_from_db()
    assert checked_self_referral.status == ReferralStatus.DONE
    assert not Feedback.objects.exists()


def test_a_self_referral_closes_when_the_clients_feedback_is_recorded(
    client, demo, checked_self_referral
):
    response = give_feedback(client, demo["nurse"], checked_self_referral, recipient="",
                             to_client="phone")
    assert response.status_code == 302
    checked_self_referral.refresh_from_db()
    assert checked_self_referral.status == ReferralStatus.GIVEN_TO_CLIENT
    feedback = checked_self_referral.feedback
    assert (feedback.to_client, feedback.given_on) == ("phone", timezone.localdate())


def test_the_form_offers_no_channel_beforehand_and_no_not_given(client, demo,
                                                               checked_self_referral):
    log_in(client, demo["nurse"])
    form = client.get(reverse("referrals:feedback", args=[checked_self_referral.pk])).context[
        "form"]
    assert form["to_client"].value() is None
    assert [value for value, _label in form.fields["to_client"].choices] == [
        "in_person", "letter", "phone"]


def test_feedback_to_the_referrer_is_refused_without_the_clients_feedback(
    client, demo, checked_referral
):
    response = give_feedback(client, demo["nurse"], checked_referral, to_client="not_given")
    assert missing() in response.content.decode()
    checked_referral.refresh_from_db()
    assert checked_referral.status == ReferralStatus.DONE
    assert not Feedback.objects.exists()


def test_feedback_to_the_referrer_records_the_clients_feedback_too(client, demo,
                                                                 checked_referral):
    assert give_feedback(client, demo["nurse"], checked_referral,
                         to_client="letter").status_code == 302
    checked_referral.refresh_from_db()
    assert checked_referral.status == ReferralStatus.FEEDBACK_SENT
    assert checked_referral.feedback.to_client == "letter"


def test_no_other_path_saves_feedback_the_client_did_not_get(demo, checked_self_referral):
    with pytest.raises(ValidationError) as refused:
        services.send_feedback(
            referral=checked_self_referral, by=demo["nurse"],
            organisation=checked_self_referral.recipient, given_on=timezone.localdate(),
            to_client="not_given", findings="x", recommendations="y",
        )
    assert refused.value.message_dict["to_client"][0] == missing()
    checked_self_referral.refresh_from_db()
    assert checked_self_referral.status == ReferralStatus.DONE
    assert not Feedback.objects.exists()
