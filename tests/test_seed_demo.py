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
    assert before == [8, 8, 9, 9, 6, 8]
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == before


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
    from plans.models import Notification
    from plans.reminders import sweep
    from referrals.models import Referral
    from teams.models import Meeting

    settings.DEMO_PASSWORD = "x" * 12
    for _run in range(2):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    assert Referral.objects.get().client.first_name == "Tiina"
    assert Meeting.objects.get().client.first_name == "Jaakko"
    sweep()
    assert Notification.objects.get().user.username == "typ_expert"
