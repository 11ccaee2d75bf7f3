"""
Two people at once on a plan, its actions, a feedback discussion and closing (issue 13): the
one who saves second sees what the first changed and keeps their own input; closing and ending
a relationship happen once, whoever clicks second is told so.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clients.models import Client, ClientStatus
from meetings.models import MeetingParticipant
from plans.models import FeedbackDiscussion, PlanAction, SupportPlan
from plans.services import add_action, create_plan
from teams.models import Organisation, Role, Sector
from tests.concurrency import as_posted, logged_in, meet_at, opened, posting, race, refused
from tests.factories import ClientFactory, OrganisationFactory, staff
from tyokyky.versions import version_of

from .story import jaakkos_meeting


def label(model, name) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


@pytest.fixture
def jaakko(demo):
    return Client.objects.get(first_name="Jaakko")


@pytest.fixture
def typ_colleagues(demo):
    """TYP wrote Jaakko in; Ville is his case manager, Tarja works beside him."""
    typ = Organisation.objects.get(sector=Sector.TYP)
    return demo["typ_expert"], staff(Role.TYP_EXPERT, typ, first_name="Tarja",
                                     last_name="Tolonen")


@pytest.fixture
def plan(jaakko, typ_colleagues):
    ville = typ_colleagues[0]
    return create_plan(client=jaakko, by=ville, organisation=ville.memberships.get().organisation,
                       case_managers=[ville], short_term_goals="Työkokeilu metallialalla")


def test_a_plan_saved_by_a_colleague_meanwhile_is_shown_before_it_is_replaced(
        jaakko, plan, typ_colleagues):
    url = reverse("plans:plan_edit", args=[jaakko.pk])
    ville, tarja = (logged_in(user) for user in typ_colleagues)
    villes, tarjas = opened(ville, url), opened(tarja, url)
    assert villes["version"] == tarjas["version"] == str(version_of(plan))

    changed = {**villes, "short_term_goals": "Työkokeilu ja kuntoutuskurssi"}
    assert ville.post(url, changed).status_code == 302
    response = tarja.post(url, {**tarjas, "long_term_goals": "Oma yritys"})

    errors = refused(response)
    assert "Ville Karppinen" in errors[0]
    assert (f"{label(SupportPlan, 'short_term_goals')}: Työkokeilu ja kuntoutuskurssi"
            in errors)
    form = response.context["form"]
    assert form["long_term_goals"].value() == "Oma yritys"  # Tarja's input is kept
    plan.refresh_from_db()
    assert plan.long_term_goals == ""
    assert form["version"].value() == str(version_of(plan))

    assert tarja.post(url, as_posted(form)).status_code == 302
    plan.refresh_from_db()
    assert (plan.short_term_goals, plan.long_term_goals) == ("Työkokeilu metallialalla",
                                                             "Oma yritys")


def test_an_actions_status_changed_by_a_colleague_meanwhile_is_shown(jaakko, plan,
                                                                      typ_colleagues):
    action = add_action(plan=plan, by=typ_colleagues[0], what="Hae työkokeilupaikka",
                        responsible_other="Jaakko itse")
    ville, tarja = (logged_in(user) for user in typ_colleagues)
    page = reverse("plans:plan", args=[jaakko.pk])
    opened_at = {browser: next(a.version for a in browser.get(page).context["actions"])
                 for browser in (ville, tarja)}
    url = reverse("plans:action_status", args=[action.pk])
    assert ville.post(url, {"status": "in_progress",
                            "version": opened_at[ville]}).status_code == 302

    response = tarja.post(url, {"status": "done", "version": opened_at[tarja]})

    errors = refused(response)
    assert "Ville Karppinen" in errors[0]
    assert f"{label(PlanAction, 'status')}: {_('In progress')}" in errors
    form = response.context["form"]
    assert form["status"].value() == "done"
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert tarja.post(url, as_posted(form)).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_a_discussion_recorded_by_a_colleague_meanwhile_is_shown_not_doubled(
        demo, jaakko, typ_colleagues):
    meeting = jaakkos_meeting(demo)
    MeetingParticipant.objects.create(meeting=meeting, user=typ_colleagues[1],  # both were there
                                      starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    url = f"{reverse('plans:discussion_create', args=[jaakko.pk])}?meeting={meeting.pk}"
    ville, tarja = (logged_in(user) for user in typ_colleagues)
    villes, tarjas = opened(ville, url), opened(tarja, url)
    assert villes["version"] == tarjas["version"] == "0"  # none recorded yet
    today = timezone.localdate().isoformat()
    held = {"meeting": meeting.pk, "held_on": today, "follows_own_affairs": "partly"}
    assert ville.post(url, {**villes, **held, "reviewed": "Tavoite sovittu"}).status_code == 302

    response = tarja.post(url, {**tarjas, **held, "reviewed": "Työkokeilu alkaa"})

    errors = refused(response)
    assert "Ville Karppinen" in errors[0]
    assert f"{label(FeedbackDiscussion, 'reviewed')}: Tavoite sovittu" in errors
    form = response.context["form"]
    assert form["reviewed"].value() == "Työkokeilu alkaa"
    assert FeedbackDiscussion.objects.get().reviewed == "Tavoite sovittu"
    assert tarja.post(url, {**as_posted(form), "meeting": meeting.pk}).status_code == 302
    assert FeedbackDiscussion.objects.get().reviewed == "Työkokeilu alkaa"


# --- At the same moment, on PostgreSQL: two connections, two threads -----------------------------

def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Two connections at once need PostgreSQL; CI runs this there.")


def no_error_pages(responses):
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code in (200, 302) for r in responses), responses


def closing(holder, **overrides):
    return {"reason": "employed", "closed_on": timezone.localdate().isoformat(),
            "holder": holder.pk, "client_present": "on", "others_present": "",
            "reviewed": "Työpaikka löytyi", **overrides}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writing_the_first_plan_at_once_make_one_and_the_second_sees_it(
        jaakko, typ_colleagues):
    needs_postgresql()
    url = reverse("plans:plan_edit", args=[jaakko.pk])
    attempts = [posting(logged_in(user), url, {
        "short_term_goals": goals, "long_term_goals": "", "follow_up_weeks": "",
        "case_managers": [typ_colleagues[0].pk], "first_follow_up": "", "version": "0"})
        for user, goals in zip(typ_colleagues, ("Työkokeilu", "Kuntoutuskurssi"), strict=True)]
    with meet_at("plans.services._save"):
        responses = race(*attempts)
    no_error_pages(responses)
    assert sorted(r.status_code for r in responses) == [200, 302]
    plan = SupportPlan.objects.get()
    second = next(r for r in responses if r.status_code == 200)
    assert f"{label(SupportPlan, 'short_term_goals')}: {plan.short_term_goals}" in refused(
        second)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_closing_the_same_client_at_once_close_it_once(jaakko, typ_colleagues):
    needs_postgresql()
    url = reverse("plans:close_client", args=[jaakko.pk])
    attempts = [posting(logged_in(user), url, closing(typ_colleagues[0]))
                for user in typ_colleagues]
    with meet_at("plans.services.record_feedback_discussion"):
        responses = race(*attempts)
    no_error_pages(responses)
    assert sorted(r.status_code for r in responses) == [200, 302]
    second = next(r for r in responses if r.status_code == 200)
    assert refused(second) == [_("The client has already been closed.")]
    jaakko.refresh_from_db()
    assert jaakko.status == ClientStatus.CLOSED
    assert FeedbackDiscussion.objects.filter(is_final=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ending_their_organisations_relationship_at_once_end_it_once(db):
    """Health care knows the client by a card of its own: it ends its own relationship."""
    needs_postgresql()
    employment = OrganisationFactory(name="Työllisyyspalvelut", sector=Sector.EMPLOYMENT)
    health = OrganisationFactory(name="Terveyspalvelut", sector=Sector.HEALTH)
    nurses = [staff(Role.NURSE, health) for _ in range(2)]
    person = ClientFactory(organisations=[employment, health])
    url = reverse("plans:close_client", args=[person.pk])
    attempts = [posting(logged_in(nurse), url, closing(nurses[0])) for nurse in nurses]
    with meet_at("plans.services.record_feedback_discussion"):
        responses = race(*attempts)
    no_error_pages(responses)
    assert sorted(r.status_code for r in responses) == [200, 302]
    second = next(r for r in responses if r.status_code == 200)
    assert refused(second) == [
        _("Your organisation's relationship with the client has already ended.")]
    assert not person.relationships.in_force().filter(organisation=health).exists()
    assert FeedbackDiscussion.objects.filter(is_final=True).count() == 1
