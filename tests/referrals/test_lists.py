"""Worklists: constant queries as referrals grow, overdue flags on both sides."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.services import record_health_check, send_referral
from tests.factories import ClientFactory
from tests.utils import log_in


@pytest.fixture
def ordinary_monday():
    """A Monday with no holiday in the two weeks after it: its tenth working day is the
    Monday 14 days on."""
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Europe/Helsinki"))):
        yield


def refer(world, count):
    for person in ClientFactory.create_batch(count, organisations=[world["employment"]],
                                             municipality=world["municipality"]):
        send_referral(client=person, by=world["te_expert"], organisation=world["employment"],
                      recipient=world["health"], reason="other", urgency="normal",
                      services=[{"service": "Työnhaku", "organisation_name": "",
                                 "contact_person": ""}])


@pytest.mark.parametrize(("viewer", "url_name"), [("nurse", "referrals:worklist"),
                                                  ("te_expert", "referrals:sent")])
def test_worklists_keep_a_constant_query_count(client, world, count_queries, viewer, url_name):
    log_in(client, world[viewer])
    refer(world, 10)
    with_10 = count_queries(client, reverse(url_name))
    refer(world, 190)
    assert count_queries(client, reverse(url_name)) == with_10


def test_the_worklist_is_ordered_by_age_and_paginated(client, world):
    refer(world, 30)
    log_in(client, world["nurse"])
    page = client.get(reverse("referrals:worklist")).context["page"]
    assert len(page) == 25
    created = [referral.created_at for referral in page]
    assert created == sorted(created)


def test_a_referral_not_booked_in_time_is_flagged(client, ordinary_monday, world):
    refer(world, 1)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        log_in(client, world["nurse"])
        content = client.get(reverse("referrals:worklist")).content.decode()
    assert "Ei varattu 10 arkipäivässä" in content


def test_no_feedback_ten_working_days_after_the_check_is_flagged_on_both_lists(
    client, ordinary_monday, world
):
    refer(world, 1)
    referral = Referral.objects.get()
    record_health_check(
        referral=referral, by=world["nurse"], organisation=world["health"],
        nurse=world["nurse"], performed_on=timezone.localdate(), work_ability=5,
        nurse_view="unclear", next_steps="Lääkäri",
    )
    for viewer, url_name in (("nurse", "referrals:worklist"), ("te_expert", "referrals:sent")):
        for days, flagged in ((13, False), (15, True)):
            with time_machine.travel(timezone.now() + timedelta(days=days)):
                log_in(client, world[viewer])
                content = client.get(reverse(url_name)).content.decode()
                assert ("Ei palautetta 10 arkipäivään" in content) is flagged, (viewer, days)


def test_the_worklist_searches_by_name_without_putting_it_in_the_url(client, world):
    refer(world, 3)
    person = Referral.objects.first().client
    log_in(client, world["nurse"])
    response = client.post(reverse("referrals:worklist"),
                           {"q": person.last_name, "status": "open"})
    assert person.last_name not in response.url
    page = client.get(response.url).context["page"]
    assert [referral.client for referral in page] == [person]


def test_the_empty_worklist_says_what_to_expect(client, world):
    log_in(client, world["nurse"])
    assert "Ei odottavia lähetteitä." in client.get(reverse("referrals:worklist")).content.decode()
