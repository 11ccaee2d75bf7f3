"""
The warning of a consent's end counted once (consents/due.py), on the working-day calendar of
every due date: the client page's "expires soon" and the reminder come on the same day.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from clients.models import Client
from consents.services import record_consent
from teams.models import DeadlineSettings, Team
from tests.utils import log_in
from work import due

HELSINKI = ZoneInfo("Europe/Helsinki")
ENDS_ON = date(2026, 7, 21)  # 30 days before is Sunday 21 June, after Midsummer


def test_the_warning_thirty_days_before_a_sunday_comes_on_monday_on_page_and_reminder(
    client, demo
):
    tiina = Client.objects.get(first_name="Tiina")
    kela = demo["kela_expert"].memberships.get().organisation
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=HELSINKI)):
        consent = record_consent(client=tiina, by=demo["nurse"], categories=["health"],
                                 organisations=[kela], purpose="Kuntoutus", method="written",
                                 valid_from=date(2026, 6, 1), valid_until=ENDS_ON)

    for day, warned in ((date(2026, 6, 21), False), (date(2026, 6, 22), True)):
        assert consent.is_expiring(day) is warned, day
        assert bool(due.expiring_consents(day)) is warned, day
        with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=HELSINKI)):
            log_in(client, demo["nurse"])
            page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
        assert ("päättyy pian" in page) is warned, day


def test_a_teams_longer_notice_warns_its_clients_earlier(client, demo):
    """Tiina's team warns 60 days ahead (teams/deadlines.py): 50 days before the end the page
    and the reminder say so, which the county's 30 days would not yet."""
    tiina = Client.objects.get(first_name="Tiina")
    kela = demo["kela_expert"].memberships.get().organisation
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=HELSINKI)):
        consent = record_consent(client=tiina, by=demo["nurse"], categories=["health"],
                                 organisations=[kela], purpose="Kuntoutus", method="written",
                                 valid_from=date(2026, 6, 1), valid_until=ENDS_ON)
    day = date(2026, 6, 1)  # 50 days before the end
    assert not consent.is_expiring(day)
    assert consent.pk not in [item.object_id for item in due.expiring_consents(day)]
    team = Team.objects.create(name="Tiinan oma tiimi")
    team.municipalities.add(tiina.municipality)
    DeadlineSettings.objects.create(team=team, consent_warning_days=60)
    consent.refresh_from_db()
    assert consent.is_expiring(day)
    assert consent.pk in [item.object_id for item in due.expiring_consents(day)]
    with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=HELSINKI)):
        log_in(client, demo["nurse"])
        page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    assert "päättyy pian" in page
