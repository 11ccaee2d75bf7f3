"""Tiina's own plan in Oma Työkyky: her own words first, and her own actions marked done."""

import pytest
from django.urls import reverse

from consents.models import AccessLogEntry
from plans.models import ActionStatus, PlanAction
from tests.oma.path_world import OWN_ACTION, PLAIN, STAFF_ACTION, path_world
from tests.stories import ALL_MARKERS, PLAN_GOAL
from tests.utils import log_in, log_in_as_client


@pytest.fixture
def path(story):
    return path_world(story)


def test_tiina_sees_her_plan_in_her_own_words_first(client, path):
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:plan")).content.decode()
    assert PLAIN in page and PLAN_GOAL in page and OWN_ACTION in page
    assert page.index(PLAIN) < page.index(PLAN_GOAL) < page.index("Työkokeilu painotalossa")
    assert page.index("Työkokeilu painotalossa") < page.index(OWN_ACTION)


def test_the_plan_page_is_logged_as_her_own_read_of_employment_data(client, path):
    log_in_as_client(client, path.tiina)
    client.get(reverse("oma:plan"))
    entry = AccessLogEntry.objects.filter(client=path.tiina).latest("pk")
    assert entry.by_client and entry.user is None and "employment" in entry.categories


def test_only_her_own_action_has_a_button_to_mark_it_done(client, path):
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:plan")).content.decode()
    assert reverse("oma:action_done", args=[path.own_action.pk]) in page
    assert reverse("oma:action_done", args=[path.staff_action.pk]) not in page


def test_tiina_marks_her_own_action_done_and_the_history_says_so(client, path):
    log_in_as_client(client, path.tiina)
    response = client.post(reverse("oma:action_done", args=[path.own_action.pk]))
    assert response.status_code == 302 and response.url == reverse("oma:plan")
    action = PlanAction.objects.get(pk=path.own_action.pk)
    assert action.status == ActionStatus.DONE and action.done_on is not None
    latest = action.history.latest("history_id")
    assert latest.history_user is None and latest.history_change_reason == "by the client"


def test_marking_done_twice_says_it_is_already_done(client, path):
    log_in_as_client(client, path.tiina)
    url = reverse("oma:action_done", args=[path.own_action.pk])
    client.post(url, follow=True)  # done, and its confirmation shown
    count = path.own_action.history.count()
    response = client.post(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert path.own_action.history.count() == count


def test_an_action_of_the_staff_cannot_be_marked_done_by_her(client, path):
    log_in_as_client(client, path.tiina)
    response = client.post(reverse("oma:action_done", args=[path.staff_action.pk]))
    assert response.status_code == 404
    assert PlanAction.objects.get(pk=path.staff_action.pk).status == ActionStatus.PLANNED


def test_marking_done_is_post_only(client, path):
    log_in_as_client(client, path.tiina)
    response = client.get(reverse("oma:action_done", args=[path.own_action.pk]))
    assert response.status_code == 405
    assert PlanAction.objects.get(pk=path.own_action.pk).status == ActionStatus.PLANNED


def test_marking_done_needs_the_csrf_token(path):
    from django.test import Client as Browser

    browser = Browser(enforce_csrf_checks=True)
    log_in_as_client(browser, path.tiina)
    response = browser.post(reverse("oma:action_done", args=[path.own_action.pk]))
    assert response.status_code == 403
    assert PlanAction.objects.get(pk=path.own_action.pk).status == ActionStatus.PLANNED


def test_petri_cannot_mark_tiinas_action_done(client, path):
    log_in_as_client(client, path.petri)
    response = client.post(reverse("oma:action_done", args=[path.own_action.pk]))
    assert response.status_code == 404
    assert PlanAction.objects.get(pk=path.own_action.pk).status == ActionStatus.PLANNED


def test_petri_sees_nothing_of_tiinas_plan(client, path):
    log_in_as_client(client, path.petri)
    page = client.get(reverse("oma:plan")).content.decode()
    for marker in ["Leinonen", *ALL_MARKERS, PLAIN, OWN_ACTION, STAFF_ACTION]:
        assert marker not in page, marker


def test_a_plan_action_for_the_client_is_set_in_the_staff_form(client, path):
    log_in(client, path.users["te_expert"])
    client.post(reverse("plans:action_add", args=[path.tiina.pk]),
                {"what": "Käyn kirjastossa", "client_responsible": "on"})
    action = PlanAction.objects.get(what="Käyn kirjastossa")
    assert action.client_responsible and action.responsible is None


def test_a_staff_session_cannot_mark_an_action_done(client, path):
    log_in(client, path.users["te_expert"])
    response = client.post(reverse("oma:action_done", args=[path.own_action.pk]))
    assert response.status_code == 302 and response.url == reverse("oma:login")
    assert PlanAction.objects.get(pk=path.own_action.pk).status == ActionStatus.PLANNED


def test_the_plan_page_makes_as_many_queries_for_many_actions_as_for_few(client, path,
                                                                         count_queries):
    from plans.services import add_action, add_goal

    log_in_as_client(client, path.tiina)
    few = count_queries(client, reverse("oma:plan"))
    for number in range(5):
        add_action(plan=path.plan, by=path.users["te_expert"], what=f"Tehtävä {number}",
                   client_responsible=True)
        add_goal(plan=path.plan, by=path.users["te_expert"], text=f"Tavoite {number}")
    assert count_queries(client, reverse("oma:plan")) == few
