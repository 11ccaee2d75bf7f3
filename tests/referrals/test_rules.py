"""Bad input gets a clear Finnish error and saves nothing; the loop cannot skip a step."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from referrals.models import Feedback, HealthCheck, Referral, ReferralStatus
from tests.utils import log_in

from .steps import give_feedback, latest_referral, record_check, send_referral


def test_a_check_dated_in_the_future_is_refused(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = record_check(client, demo["nurse"], latest_referral(), performed_on=tomorrow)
    assert "Tarkastusta ei voi päivätä tulevaisuuteen." in response.content.decode()
    assert not HealthCheck.objects.exists()


def test_feedback_before_the_check_is_refused(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    early = give_feedback(client, demo["nurse"], referral)
    assert early.status_code == 302  # no check yet: sent back with a message
    assert "Kirjaa terveystarkastus ennen palautetta." in client.get(early.url).content.decode()

    record_check(client, demo["nurse"], referral)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = give_feedback(client, demo["nurse"], referral, given_on=yesterday)
    assert "Palautetta ei voi antaa ennen tarkastusta." in response.content.decode()
    assert not Feedback.objects.exists()


def test_acknowledging_someone_elses_referral_is_refused(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    record_check(client, demo["nurse"], referral)
    give_feedback(client, demo["nurse"], referral)
    log_in(client, demo["nurse"])  # the health check's side, not the referrer
    response = client.post(reverse("referrals:acknowledge", args=[referral.pk]), follow=True)
    assert "Vain organisaatio, jolle palaute lähetettiin, voi kuitata sen." in (
        response.content.decode()
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.FEEDBACK_SENT
    log_in(client, demo["typ_expert"])  # cannot even see it
    assert client.post(reverse("referrals:acknowledge", args=[referral.pk])).status_code == 404


def test_a_second_open_referral_offers_the_existing_one(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    first = latest_referral()
    response = send_referral(client, demo["te_expert"], tiina, health)
    content = response.content.decode()
    assert "Asiakkaalla on jo avoin lähete tähän terveystarkastukseen." in content
    assert reverse("referrals:detail", args=[first.pk]) in content
    assert Referral.objects.count() == 1


def test_after_the_loop_closes_a_new_referral_may_be_sent(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    client.post(reverse("referrals:cancel", args=[referral.pk]), {"reason": "Väärä asiakas"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    send_referral(client, demo["te_expert"], tiina, health)
    assert Referral.objects.count() == 2


def test_cancelling_asks_for_a_reason_first(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    url = reverse("referrals:cancel", args=[referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert "Tämä kenttä vaaditaan." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_booking_in_the_past_is_refused(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    log_in(client, demo["nurse"])
    response = client.post(reverse("referrals:book", args=[referral.pk]),
                           {"when": "2020-01-01T09:00"})
    assert "Aika on mennyt. Valitse tuleva aika." in response.content.decode()
    referral.refresh_from_db()
    assert referral.booked_for is None


def test_the_work_ability_score_is_0_to_10(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    response = record_check(client, demo["nurse"], latest_referral(), work_ability="11")
    assert "Tämän arvon on oltava enintään 10." in (
        response.content.decode()
    )
    assert not HealthCheck.objects.exists()


def test_only_the_health_check_records_the_check(client, demo, tiina, health):
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    log_in(client, demo["te_expert"])
    assert client.get(reverse("referrals:health_check", args=[referral.pk])).status_code == 403


def test_referrals_go_only_to_health_organisations(client, demo, tiina, employment):
    response = send_referral(client, demo["te_expert"], tiina, employment)
    assert "Valitse oikea vaihtoehto." in response.content.decode()
    assert not Referral.objects.exists()
