"""
Issue 16: the client did not arrive at the booked unemployed health check (ei saapunut). The
nurse records it for the booked time; the referral goes back to waiting for a time, with the
prompt to book again on the worklist and My work; the no-show stays in the referral's history
and on the client's timeline — health care's record, shown to others only under a consent.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from referrals.models import MissedAppointment, ReferralStatus
from tests.utils import log_in

from .steps import latest_referral, send_referral

MISSED_ROW = 'class="missed-appointment"'
NOTE = "EI-SAAPUNUT-MERKKI: asiakas ilmoitti sairastuneensa"
REBOOK_FLAG = 'id="rebook-health-check"'


def _time(days) -> str:
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=9, minute=30, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def booked(client, demo, tiina, health):
    """Tiina's referral from employment services, booked by the nurse for in two days."""
    send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    log_in(client, demo["nurse"])
    assert client.post(reverse("referrals:book", args=[referral.pk]),
                       {"when": _time(2)}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BOOKED
    return referral


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def after_the_time(referral):
    return time_machine.travel(referral.booked_for + timedelta(minutes=30), tick=False)


def test_a_missed_health_check_is_booked_again(client, demo, tiina, booked):
    nurse = demo["nurse"]
    booked_for = booked.booked_for
    url = reverse("referrals:no_show", args=[booked.pk])
    detail = reverse("referrals:detail", args=[booked.pk])
    with after_the_time(booked):
        log_in(client, nurse)
        assert f'href="{url}"' in page(client, detail)
        assert 'name="version"' in page(client, url)  # asked first
        response = client.post(url, {"version": booked.history.latest("history_id").pk})
        assert response.status_code == 302
        booked.refresh_from_db()
        assert (booked.status, booked.booked_for) == (ReferralStatus.RECEIVED, None)
        missed = MissedAppointment.objects.get()
        assert (missed.referral, missed.booked_for, missed.created_by) == (booked, booked_for,
                                                                           nurse)
        content = page(client, detail)
        assert MISSED_ROW in content and REBOOK_FLAG in content
        assert f'href="{url}"' not in content
        assert _("The client did not arrive: book a new time") in page(
            client, reverse("referrals:worklist"))
        rebook = _("The client did not arrive: book a new time for the health check")
        assert rebook in page(client, reverse("home"))
        assert _("Did not arrive at the unemployed health check") in page(
            client, reverse("clients:detail", args=[tiina.pk]))
        # A new time: the prompt goes, the missed appointment stays in the history.
        assert client.post(reverse("referrals:book", args=[booked.pk]),
                           {"when": _time(7)}).status_code == 302
        booked.refresh_from_db()
        assert booked.status == ReferralStatus.BOOKED
        content = page(client, detail)
        assert MISSED_ROW in content and REBOOK_FLAG not in content
        assert rebook not in page(client, reverse("home"))
        assert _("Did not arrive at the unemployed health check") in page(
            client, reverse("clients:detail", args=[tiina.pk]))


def test_no_show_is_not_recorded_before_the_booked_time(client, demo, booked):
    url = reverse("referrals:no_show", args=[booked.pk])
    with time_machine.travel(booked.booked_for - timedelta(minutes=1), tick=False):
        log_in(client, demo["nurse"])
        assert f'href="{url}"' not in page(client, reverse("referrals:detail",
                                                           args=[booked.pk]))
        response = client.post(url, {})
        assert response.status_code == 200
    booked.refresh_from_db()
    assert booked.status == ReferralStatus.BOOKED and booked.booked_for is not None
    assert not MissedAppointment.objects.exists()


def test_a_time_changed_meanwhile_is_not_marked_missed(client, demo, booked):
    """The page was opened on the first time; another nurse moved it meanwhile."""
    url = reverse("referrals:no_show", args=[booked.pk])
    version = booked.history.latest("history_id").pk
    with after_the_time(booked):
        log_in(client, demo["nurse"])
        client.post(reverse("referrals:book", args=[booked.pk]), {"when": _time(7)})
        assert client.post(url, {"version": version}).status_code == 200
    assert not MissedAppointment.objects.exists()


@pytest.mark.parametrize("who", ["te_expert", "social_worker", "admin", "kela_expert"])
def test_only_the_health_check_records_a_no_show(client, demo, booked, who):
    url = reverse("referrals:no_show", args=[booked.pk])
    with after_the_time(booked):
        log_in(client, demo[who])
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    booked.refresh_from_db()
    assert booked.status == ReferralStatus.BOOKED
    assert not MissedAppointment.objects.exists()


def test_the_referrer_without_consent_does_not_see_the_no_show(client, demo, tiina, booked):
    """Employment services sent the referral; the no-show is health care's record."""
    with after_the_time(booked):
        log_in(client, demo["nurse"])
        client.post(reverse("referrals:no_show", args=[booked.pk]), {"note": NOTE})
        assert MissedAppointment.objects.get().note == NOTE
        assert NOTE in page(client, reverse("referrals:detail", args=[booked.pk]))
        log_in(client, demo["te_expert"])
        content = page(client, reverse("referrals:detail", args=[booked.pk]))
        assert MISSED_ROW not in content and REBOOK_FLAG not in content and NOTE not in content
        timeline = page(client, reverse("clients:detail", args=[tiina.pk]))
        assert _("Did not arrive at the unemployed health check") not in timeline
        assert NOTE not in timeline
        sent = page(client, reverse("referrals:sent"))
        assert _("The client did not arrive: book a new time") not in sent
