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
