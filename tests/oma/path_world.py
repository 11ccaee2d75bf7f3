"""Tiina's service path as she sees it in Oma Työkyky: her plan with an action of her own, a
coming meeting, a booked feedback discussion and health check, and the feedback of an earlier
check. Shared by tests/oma/test_path_*.py."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from clients.models import CaseManagerAssignment, Client
from meetings.models import Room
from meetings.services import book_meeting
from plans.services import add_action, add_goal, create_plan, record_feedback_discussion
from referrals.services import (
    acknowledge_feedback,
    book_health_check,
    open_referral,
    record_health_check,
    send_feedback,
    send_referral,
)
from teams.models import Municipality, Team
from tests.stories import PLAN_GOAL

PLAIN = "Haen töitä. Käyn uravalmennuksessa."  # the plan in plain language
OWN_ACTION = "Päivitän ansioluetteloni"  # an action given to Tiina herself
STAFF_ACTION = "Varaa uravalmennusaika"  # an action of the TE expert's
FINDINGS = "Polven rasitus rajoittaa seisomatyötä"  # the health check's feedback (health)
RECOMMENDATIONS = "Fysioterapeutin arvio ennen työkokeilua"
NEXT_STEPS = "Sovittiin kuntosaliohjauksesta"
ROOM = "Terveysasema, huone 12"  # where her meeting is
REASON = "Minulla on silloin lääkäri"  # the client's reason to move a time


def path_world(story):
    users, tiina = story.users, story.tiina
    te_expert, nurse, coordinator = users["te_expert"], users["nurse"], users["coordinator"]
    # The TE expert is her case manager already (the demo world).
    assert CaseManagerAssignment.objects.current().filter(client=tiina, user=te_expert).exists()
    te_expert.phone, te_expert.email = "029 502 0001", "te.asiantuntija@example.invalid"
    te_expert.save(update_fields=["phone", "email"])
    Client.objects.filter(pk=tiina.pk).update(own_nurse=nurse)
    plan = create_plan(client=tiina, by=te_expert, organisation=story.employment,
                       case_managers=[te_expert], short_term_goals=PLAN_GOAL,
                       plain_language=PLAIN)
    goal = add_goal(plan=plan, by=te_expert, text="Työkokeilu painotalossa")
    own_action = add_action(plan=plan, by=te_expert, what=OWN_ACTION, client_responsible=True)
    staff_action = add_action(plan=plan, by=te_expert, what=STAFF_ACTION, responsible=te_expert)
    start = timezone.now() + timedelta(days=7)
    meeting = book_meeting(client=tiina, team=Team.objects.get(), by=coordinator,
                           organisation=story.health, starts_at=start,
                           ends_at=start + timedelta(hours=1), mode="in_person",
                           room=Room.objects.create(name=ROOM, address="Kauppakatu 1",
                                                    municipality=Municipality.objects.first()),
                           users=[nurse])
    discussion = record_feedback_discussion(
        client=tiina, by=te_expert, organisation=story.employment, holder=te_expert,
        scheduled_for=timezone.now() + timedelta(days=10))
    checked = _checked(story, tiina)  # first: one open referral at a time
    booked = send_referral(client=tiina, by=te_expert, organisation=story.employment,
                           recipient=story.health, reason="other", urgency="normal")
    book_health_check(referral=booked, by=nurse, when=timezone.now() + timedelta(days=3))
    return SimpleNamespace(
        story=story, tiina=tiina, petri=Client.objects.get(first_name="Petri"),
        users=users, plan=plan, goal=goal, own_action=own_action, staff_action=staff_action,
        meeting=meeting, discussion=discussion, booked=booked,
        checked=checked,
    )


def _checked(story, tiina):
    """An earlier referral of Tiina's, checked, with the feedback the nurse gave her."""
    nurse = story.users["nurse"]
    # The demo world's open referral of hers, if it has one, else a new one.
    referral = open_referral(tiina, story.health, story.employment) or send_referral(
        client=tiina, by=story.users["te_expert"], organisation=story.employment,
        recipient=story.health, reason="other", urgency="normal")
    record_health_check(referral=referral, by=nurse, organisation=story.health, nurse=nurse,
                        performed_on=timezone.localdate(), work_ability=6,
                        nurse_view="unemployed", next_steps=NEXT_STEPS)
    feedback = send_feedback(referral=referral, by=nurse, organisation=story.health,
                             given_on=timezone.localdate(), findings=FINDINGS,
                             recommendations=RECOMMENDATIONS)
    acknowledge_feedback(feedback=feedback, by=story.users["te_expert"])  # the loop closed
    return referral
