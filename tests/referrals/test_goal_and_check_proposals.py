"""
Issue 16: the referral carries the client's goal and motivation to the nurse; the unemployed
health check is proposed to the client's employment-services (TE) case manager — a year after
the last check TE knows of, and at once when it knows of none — one click from the referral
form, and the proposal tells TE nothing of health care's records.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clients.models import CaseManagerAssignment, Client
from referrals.models import Referral
from referrals.services import record_health_check, start_self_referral
from teams.models import Organisation, Role, Sector
from tests.factories import staff
from tests.utils import log_in
from work.models import Notification, ReminderKind
from work.reminders import sweep

from .steps import latest_referral, send_referral

GOAL = "Tavoite-MERKKI: graafisen alan täydennyskoulutus"
MOTIVATION = "Motivaatio-MERKKI: haluaa takaisin työelämään"
PROPOSE = str(ReminderKind.FIRST_HEALTH_CHECK.label)
CHECK_DUE = str(ReminderKind.HEALTH_CHECK.label)


@pytest.fixture
def saara(demo):
    """Saara: TE's Tuomas her case manager; no health check, no referral."""
    return Client.objects.get(first_name="Saara")


def my_work(client, user):
    log_in(client, user)
    work = client.get(reverse("home")).context["work"]
    return [*work.overdue, *work.today, *work.week]


def proposals_for(client, user, person):
    return [item for item in my_work(client, user)
            if item.client_id == person.pk and item.label in (PROPOSE, CHECK_DUE)]


# --- The goal and the motivation ----------------------------------------------------------------

def test_the_referral_carries_the_goal_and_motivation_to_the_nurse(client, demo, saara, health):
    response = send_referral(client, demo["te_expert"], saara, health, goal=GOAL,
                             motivation=MOTIVATION)
    referral = latest_referral()
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert (referral.goal, referral.motivation) == (GOAL, MOTIVATION)
    detail = reverse("referrals:detail", args=[referral.pk])
    for user in (demo["te_expert"], demo["nurse"]):
        log_in(client, user)
        page = client.get(detail).content.decode()
        assert GOAL in page and MOTIVATION in page, user
    # The nurse has them at hand when recording the check, too.
    page = client.get(reverse("referrals:health_check", args=[referral.pk])).content.decode()
    assert GOAL in page and MOTIVATION in page


def test_the_form_asks_for_the_goal_and_motivation(client, demo, saara):
    log_in(client, demo["te_expert"])
    page = client.get(reverse("referrals:create", args=[saara.pk])).content.decode()
    assert 'name="goal"' in page and 'name="motivation"' in page


@pytest.mark.parametrize("intruder", ["kela_expert", "social_worker", "typ_expert", "admin"])
def test_others_do_not_read_the_referrals_goal_and_motivation(client, demo, saara, health,
                                                              intruder):
    """Kela on Saara's team without an employment consent, social work with no relationship,
    the TYP expert under a disclosure ban, the administrator: none of them reads them."""
    from consents.services import add_to_team, record_disclosure_ban

    add_to_team(client=saara, user=demo["kela_expert"], by=demo["coordinator"])
    add_to_team(client=saara, user=demo["typ_expert"], by=demo["coordinator"])
    record_disclosure_ban(client=saara, by=demo["nurse"], sector="typ")
    send_referral(client, demo["te_expert"], saara, health, goal=GOAL, motivation=MOTIVATION)
    referral = latest_referral()
    log_in(client, demo[intruder])
    for url in (reverse("referrals:detail", args=[referral.pk]),
                reverse("clients:detail", args=[saara.pk]),
                reverse("referrals:health_check", args=[referral.pk])):
        response = client.get(url)
        content = response.content.decode()
        assert GOAL not in content and MOTIVATION not in content, (intruder, url)


# --- The proposal of the health check -----------------------------------------------------------

def test_a_client_without_a_check_is_proposed_one_to_the_te_case_manager(
        client, demo, saara, health):
    [proposal] = proposals_for(client, demo["te_expert"], saara)
    assert proposal.label == PROPOSE
    assert proposal.url == reverse("referrals:create", args=[saara.pk]) + "?reason=other"
    # One click: the referral form, the reason already chosen.
    form = client.get(proposal.url).context["form"]
    assert form["reason"].value() == "other"
    # Nobody outside employment services is asked: not her nurse, not the coordinator.
    for other in ("nurse", "coordinator", "social_worker"):
        assert proposals_for(client, demo[other], saara) == []
    sweep()
    sweep()
    notification = Notification.objects.get(user=demo["te_expert"], client=saara)
    assert notification.kind == ReminderKind.FIRST_HEALTH_CHECK
    # Sending the referral answers the proposal.
    send_referral(client, demo["te_expert"], saara, health, reason="other")
    assert proposals_for(client, demo["te_expert"], saara) == []
    for message in mail.outbox:
        for secret in (saara.first_name, saara.last_name, saara.hetu):
            assert secret not in message.subject + message.body


def test_a_year_after_the_check_the_te_case_manager_is_proposed_the_next(
        client, demo, saara, health):
    send_referral(client, demo["te_expert"], saara, health)
    record_health_check(referral=latest_referral(), by=demo["nurse"], organisation=health,
                        nurse=demo["nurse"], performed_on=timezone.localdate(), work_ability=6,
                        nurse_view="unemployed", next_steps="Uravalmennus")
    assert proposals_for(client, demo["te_expert"], saara) == []  # done: nothing to propose
    with time_machine.travel(datetime.now(ZoneInfo("Europe/Helsinki")) + timedelta(days=380),
                             tick=False):
        [proposal] = proposals_for(client, demo["te_expert"], saara)
        assert proposal.label == CHECK_DUE
        assert proposal.url.endswith("?reason=year_since_check")
        assert proposals_for(client, demo["nurse"], saara) == []


def test_another_te_organisation_learns_nothing_of_health_cares_check(client, demo, saara,
                                                                     health):
    """Health care checked Saara when she came by herself; a TE organisation that sent no
    referral and got no feedback names its own case manager. A year on, no reminder of that
    check reaches it, nor does its date: it is proposed a check as for anyone it knows of no
    check of — from the day it named its case manager."""
    start_self_referral(client=saara, by=demo["nurse"], organisation=health, booked_for=None)
    record_health_check(referral=Referral.objects.get(), by=demo["nurse"], organisation=health,
                        nurse=demo["nurse"], performed_on=date(2026, 1, 5), work_ability=3,
                        nurse_view="sick", next_steps="Lääkäri")
    other_te = Organisation.objects.create(name="Toinen työllisyysalue",
                                           sector=Sector.EMPLOYMENT)
    intruder = staff(Role.EMPLOYMENT_EXPERT, organisation=other_te, username="te2")
    CaseManagerAssignment.objects.create(client=saara, user=intruder, organisation=other_te,
                                         assigned_by_organisation=other_te,
                                         started_on=date(2026, 3, 2))
    with time_machine.travel(datetime(2027, 2, 1, 9, tzinfo=ZoneInfo("Europe/Helsinki")),
                             tick=False):
        sweep()
        kinds = set(Notification.objects.filter(user=intruder).values_list("kind", flat=True))
        assert kinds == {ReminderKind.FIRST_HEALTH_CHECK}
        notification = Notification.objects.get(user=intruder)
        assert notification.due_on == date(2026, 3, 2)  # the day named, not the check's
        # Her own TE case manager, who knows of no check either, is proposed one likewise.
        assert Notification.objects.get(user=demo["te_expert"], client=saara).kind == (
            ReminderKind.FIRST_HEALTH_CHECK)
