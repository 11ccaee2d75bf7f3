"""The calendar and the private feed: constant queries, no client names in the feed."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clients.models import Client
from meetings.models import CalendarFeed, Meeting, MeetingParticipant
from teams.models import Team
from tests.factories import ClientFactory
from tests.utils import log_in

from .meeting_steps import next_tuesday


def add_meetings(demo, count, start_day):
    """`count` more ten-minute meetings for the nurse, none overlapping, straight into the
    database."""
    team = Team.objects.get()
    health = demo["nurse"].memberships.get().organisation
    people = ClientFactory.create_batch(count, organisations=[health])
    first = MeetingParticipant.objects.filter(user=demo["nurse"]).count()
    for number, person in enumerate(people, start=first):
        day = start_day + timedelta(days=number % 5)
        start = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
            hours=8, minutes=10 * (number // 5)
        )
        meeting = Meeting.objects.create(
            client=person, organisation=health, created_by=demo["coordinator"], team=team,
            starts_at=start, ends_at=start + timedelta(minutes=10), mode="phone",
        )
        MeetingParticipant.objects.create(meeting=meeting, user=demo["nurse"],
                                          starts_at=meeting.starts_at, ends_at=meeting.ends_at)


@pytest.mark.parametrize("url", [
    "/calendar/?view=week&scope=mine", "/calendar/?view=month&scope=mine",
    "/calendar/?view=week&scope=team",
])
def test_the_calendar_keeps_a_constant_query_count(client, demo, count_queries, url):
    monday = next_tuesday() - timedelta(days=1)
    log_in(client, demo["nurse"])
    add_meetings(demo, 10, monday)
    with_10 = count_queries(client, f"{url}&date={monday.isoformat()}")
    add_meetings(demo, 190, monday)
    response = client.get(f"{url}&date={monday.isoformat()}")
    shown = sum(len(cell["meetings"]) for week in response.context["weeks"] for cell in week)
    assert shown == 200
    assert count_queries(client, f"{url}&date={monday.isoformat()}") == with_10


def test_the_booking_page_keeps_a_constant_query_count(client, demo, count_queries):
    monday = next_tuesday() - timedelta(days=1)
    petri = Client.objects.get(first_name="Petri")
    log_in(client, demo["coordinator"])
    url = reverse("meetings:book", args=[petri.pk]) + f"?week={monday.isoformat()}"
    petri.case_manager_assignments.create(user=demo["nurse"])
    add_meetings(demo, 10, monday)
    with_10 = count_queries(client, url)
    add_meetings(demo, 190, monday)
    assert count_queries(client, url) == with_10


def test_the_calendar_names_clients_only_when_the_policy_allows(client, demo):
    monday = next_tuesday() - timedelta(days=1)
    add_meetings(demo, 1, monday)
    meeting = Meeting.objects.get()
    log_in(client, demo["kela_expert"])
    MeetingParticipant.objects.create(meeting=meeting, user=demo["kela_expert"],
                                      starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    content = client.get(f"/calendar/?date={monday.isoformat()}").content.decode()
    assert meeting.client.last_name not in content
    assert f"Tapaaminen {meeting.pk}" in content


def test_the_private_feed_works_without_login_and_names_no_client(client, demo):
    monday = next_tuesday() - timedelta(days=1)
    add_meetings(demo, 2, monday)
    log_in(client, demo["nurse"])
    client.get(reverse("meetings:feed_settings"))
    feed = CalendarFeed.objects.get(user=demo["nurse"])
    client.logout()
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    text = response.content.decode()
    for meeting in Meeting.objects.select_related("client"):
        assert meeting.client.last_name not in text
        assert meeting.client.hetu not in text


def test_a_new_feed_address_revokes_the_old(client, demo):
    log_in(client, demo["nurse"])
    client.get(reverse("meetings:feed_settings"))
    old = CalendarFeed.objects.get(user=demo["nurse"]).token
    client.post(reverse("meetings:feed_settings"))
    new = CalendarFeed.objects.get(user=demo["nurse"]).token
    assert new != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200
