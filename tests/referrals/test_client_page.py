"""The client page: the last check and when the next is due, and a timeline the policy filters."""

from datetime import date

import time_machine
from django.urls import reverse

from consents.services import add_to_team
from referrals.models import HealthCheck
from tests.utils import log_in

from .steps import give_feedback, latest_referral, record_check, send_referral


def loop_until_feedback(client, demo, tiina, health):
    with time_machine.travel("2026-03-01 10:00 +0200"):
        send_referral(client, demo["te_expert"], tiina, health)
    referral = latest_referral()
    record_check(client, demo["nurse"], referral, performed_on="2026-03-02")
    give_feedback(client, demo["nurse"], referral, given_on="2026-03-09")
    return referral


def test_the_client_page_shows_the_last_check_and_the_next_due(client, demo, tiina, health):
    loop_until_feedback(client, demo, tiina, health)
    log_in(client, demo["nurse"])
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    assert "Viimeisin tarkastus 2.3.2026; seuraava on ajankohtainen 2.3.2027." in page


def test_the_timeline_shows_the_events_in_time_order(client, demo, tiina, health):
    loop_until_feedback(client, demo, tiina, health)
    log_in(client, demo["nurse"])
    timeline = client.get(reverse("clients:detail", args=[tiina.pk])).context["timeline"]
    labels = [event.label for event in timeline]
    assert labels == [
        # The demo's case manager was named today, after the loop of March (cases/timeline.py).
        f"{demo['te_expert'].get_full_name()} aloitti vastuuhenkilönä",
        "Palaute annettu",
        "Työttömän terveystarkastus tehty",
        "Lähete terveystarkastukseen: Kainuun työllisyysalue",
    ]
    assert all(event.url.startswith("/referrals/") for event in timeline[1:])


def test_the_timeline_hides_what_the_viewer_may_not_see(client, demo, tiina, health):
    loop_until_feedback(client, demo, tiina, health)
    log_in(client, demo["te_expert"])  # employment services: the feedback, not the check
    labels = [e.label for e in
              client.get(reverse("clients:detail", args=[tiina.pk])).context["timeline"]]
    assert "Palaute annettu" in labels
    assert "Työttömän terveystarkastus tehty" not in labels

    add_to_team(client=tiina, user=demo["kela_expert"], by=demo["nurse"])
    log_in(client, demo["kela_expert"])  # on the team, no consent: nothing
    timeline = client.get(reverse("clients:detail", args=[tiina.pk])).context["timeline"]
    assert timeline == []


def test_the_next_check_is_due_twelve_months_after(db):
    """Twelve months by default (teams/deadlines.py), read from the settings."""
    check = HealthCheck(performed_on=date(2024, 2, 29))
    assert str(check.next_due) == "2025-02-28"
