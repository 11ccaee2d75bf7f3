"""The full demo tells Mari's no-shows (demo/no_shows.py): a missed health check and a missed
team meeting, each booked again, as the nurse and the coordinator meet them."""

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from meetings.models import Meeting, ParticipantKind
from referrals.models import MissedAppointment, ReferralStatus
from teams.models import User
from tests.utils import log_in
from work.models import ReminderKind
from work.reminders import collect_due


def test_the_demo_tells_maris_missed_appointments_and_their_rebooking(client, db, settings):
    settings.DEMO_PASSWORD = "x" * 12
    for _run in range(2):  # and a second seed adds nothing
        call_command("seed_demo", force=True, stdout=io.StringIO())
    users = {user.username: user for user in User.objects.all()}
    mari = Client.objects.get(first_name="Mari")

    referral = mari.referral_set.get()
    missed = MissedAppointment.objects.get(client=mari)
    assert referral.status == ReferralStatus.BOOKED
    assert missed.booked_for < timezone.now() < referral.booked_for
    log_in(client, users["nurse"])
    content = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert 'class="missed-appointment"' in content

    first, second = Meeting.objects.filter(client=mari).order_by("starts_at")
    assert first.client_missed and not first.needs_rebooking
    assert second.participants.filter(kind=ParticipantKind.SUPPORT_PERSON).exists()
    assert second.participants.filter(kind=ParticipantKind.CLIENT).exists()
    collect_due()
    assert not users["coordinator"].reminders.filter(kind=ReminderKind.REBOOK_MEETING).exists()
    log_in(client, users["coordinator"])
    labels = [event.label for event in client.get(
        reverse("clients:detail", args=[mari.pk])).context["timeline"]]
    assert str(_("The client did not arrive at the team meeting")) in labels
    assert str(_("Did not arrive at the unemployed health check")) in labels
