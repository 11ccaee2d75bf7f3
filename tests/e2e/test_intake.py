"""
The coordinator's intake queue in the browser (issue 16): the TE expert asks for a team meeting
about Tiina on her page, the coordinator finds it on My work and books it with one click from
the queue — the request fills the form in and the nurse who did Tiina's check is invited at
first. Every page passes axe (conftest.py).

The new texts are matched in Finnish or in their English source, so that the journey holds
before and after the translations are compiled.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Client
from meetings.models import MeetingRequest, RequestState
from referrals.services import record_health_check, send_referral
from teams.models import Organisation, Sector

pytestmark = pytest.mark.e2e

REASON = "Työkyky ja uusi ala selvitettävä yhdessä"


def _checked_by_the_nurse(demo, tiina):
    """Tiina's health check by the demo nurse, without asking for a meeting itself."""
    health = Organisation.objects.get(sector=Sector.HEALTH)
    referral = send_referral(client=tiina, by=demo["te_expert"],
                             organisation=Organisation.objects.get(sector=Sector.EMPLOYMENT),
                             recipient=health, reason="year_since_check", urgency="normal")
    record_health_check(referral=referral, by=demo["nurse"], organisation=health,
                        nurse=demo["nurse"], performed_on=timezone.localdate(), work_ability=5,
                        nurse_view="unclear", next_steps="Verkostotapaaminen")


def test_the_coordinator_books_a_requested_meeting_from_the_intake_queue(
        transactional_db, demo, person):
    tiina = Client.objects.get(first_name="Tiina")
    _checked_by_the_nurse(demo, tiina)

    te_expert = person("te_expert")
    te_expert.get_by_role("link", name="Asiakkaat").click()
    te_expert.get_by_role("link", name="Leinonen, Tiina").click()
    te_expert.locator(f'a[href="{reverse("meetings:request", args=[tiina.pk])}"]').click()
    te_expert.locator("textarea[name=reason]").fill(REASON)
    te_expert.locator("input[name=needs_support]").check()
    te_expert.locator("input[name=not_solved_by_basic_services]").check()
    te_expert.get_by_role("button", name=re.compile("Lähetä pyyntö|Send the request")).click()
    expect(te_expert.locator("#meeting-requests-heading")).to_be_visible()
    meeting_request = MeetingRequest.objects.get()

    coordinator = person("coordinator")  # lands on My work
    queue = coordinator.locator("section[aria-labelledby=intake-heading]")
    expect(queue.get_by_role("rowheader")).to_contain_text("Leinonen")
    queue.locator(f'a[href$="?request={meeting_request.pk}"]').click()  # one click

    expect(coordinator.locator("textarea[name=agenda]")).to_have_value(REASON)
    expect(coordinator.locator("input[name=needs_support]")).to_be_checked()
    expect(coordinator.get_by_label("Nina Korhonen")).to_be_checked()  # the check's nurse
    coordinator.get_by_label("Puhelimitse").check()
    coordinator.get_by_role("button", name="Näytä heidän viikkonsa").click()
    coordinator.get_by_role("button", name=re.compile(r"^(ma|ti|ke|to|pe) ")).first.click()
    coordinator.get_by_role("button", name="Varaa ja lähetä kutsut").click()
    expect(coordinator.get_by_text("Tapaaminen varattu. Kutsut lähtevät.")).to_be_visible()

    meeting_request.refresh_from_db()
    assert meeting_request.state == RequestState.BOOKED
    coordinator.goto(coordinator.url.split("/meetings/")[0] + reverse("home"))
    expect(coordinator.locator(f'a[href$="?request={meeting_request.pk}"]')).to_have_count(0)
