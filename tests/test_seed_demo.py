import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clients.models import CaseManagerAssignment, Client
from teams.models import Membership, Municipality, Organisation, User


def counts():
    return [model.objects.count() for model in
            (Municipality, Organisation, User, Membership, Client, CaseManagerAssignment)]


def test_seed_demo_is_idempotent(demo):
    before = counts()
    assert before == [8, 8, 10, 10, 6, 8]
    call_command("seed_demo", force=True, stdout=io.StringIO())
    # The full demo adds no one; Jaakko, reopened, has his case manager's new period.
    assert counts() == [*before[:5], 9]
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == [*before[:5], 9]


def test_demo_users_can_log_in(client, demo):
    response = client.post(reverse("login"),
                           {"username": "nurse", "password": "demo-password-for-tests"})
    assert response.url == reverse("home")


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_the_full_demo_has_work_in_progress_and_stays_idempotent(db, settings):
    from meetings.models import Meeting
    from referrals.models import Referral
    from work.models import Notification
    from work.reminders import sweep

    settings.DEMO_PASSWORD = "x" * 12
    for _run in range(2):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    assert Referral.objects.filter(client__first_name="Tiina").count() == 1
    assert Meeting.objects.get(client__first_name="Jaakko")
    sweep()
    # (The doctor Jaakko's meeting named was told when it was; meetings/doctor.py. Tuomas of
    # employment services is proposed a health check for the clients he knows of none for:
    # referrals/check_proposals.py.)
    assert Notification.objects.exclude(
        kind__in=["doctor_assessment", "first_health_check"]).get().user.username == (
        "typ_expert")
    assert set(Notification.objects.filter(kind="first_health_check").values_list(
        "user__username", flat=True)) == {"te_expert"}


def test_the_full_demo_records_its_consents_as_confirmed_by_the_right_organisations(
    client, db, settings
):
    """Employment services wrote Tiina's card and recorded her consent; health care, whose
    information it also opens, confirmed it. Kela has no consent: the demo shows it asked."""
    from consents.models import Consent

    settings.DEMO_PASSWORD = "x" * 12
    call_command("seed_demo", force=True, stdout=io.StringIO())
    employment = Organisation.objects.get(sector="employment")
    health = Organisation.objects.get(sector="health")
    tiina = Client.objects.get(first_name="Tiina")
    consent = Consent.objects.get(client=tiina)
    assert consent.recorded_by_organisation == employment
    assert [c.organisation for c in consent.confirmations.all()] == [health]
    jaakko = Consent.objects.get(client__first_name="Jaakko")
    assert jaakko.recorded_by_organisation.sector == "typ" and not jaakko.confirmations.exists()

    from tests.utils import log_in

    log_in(client, User.objects.get(username="nurse"))
    page = client.get(reverse("clients:detail", args=[tiina.pk])).content.decode()
    assert "Leinonen" in page and "Tuomas Huttunen" in page  # the card and her case manager
    log_in(client, User.objects.get(username="kela_expert"))
    assert client.get(reverse("clients:detail", args=[tiina.pk])).status_code == 404


def test_the_full_demo_tells_tiinas_way_through_the_intake_queue(client, db, settings):
    """Tiina's check found a multi-professional assessment needed; the coordinator booked her
    meeting from the queue with the nurse invited. Saara's request waits on My work."""
    from meetings.models import MeetingRequest
    from tests.utils import log_in

    settings.DEMO_PASSWORD = "x" * 12
    for _run in range(2):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    tiinas = MeetingRequest.objects.get(client__first_name="Tiina")
    assert tiinas.health_check is not None and tiinas.state == "booked"
    assert tiinas.meeting.participants.filter(user__username="nurse").exists()
    # The meeting was held and named the doctor: that is how she is on the doctor's worklist.
    assert tiinas.meeting.is_past and tiinas.meeting.decision.doctor.username == "doctor"
    saaras = MeetingRequest.objects.get(client__first_name="Saara")
    assert saaras.state == "open"
    log_in(client, User.objects.get(username="coordinator"))
    page = client.get(reverse("home")).content.decode()
    assert f"?request={saaras.pk}" in page and f"?request={tiinas.pk}" not in page
