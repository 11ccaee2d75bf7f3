"""Tiina's contacts, coming times (and asking to move one), her health check's feedback and
her process summary, in Oma Työkyky."""

import pytest
from django.urls import reverse

from consents.models import AccessLogEntry, Action
from oma import moving
from oma.models import MoveKind, MoveRequest
from tests.oma.path_world import (
    FINDINGS,
    NEXT_STEPS,
    OWN_ACTION,
    REASON,
    RECOMMENDATIONS,
    ROOM,
    path_world,
)
from tests.stories import ALL_MARKERS, PLAN_GOAL
from tests.utils import log_in, log_in_as_client
from tests.visibility import text_of
from work.models import Notification, ReminderKind

NOT_TIINAS = ["Leinonen", *ALL_MARKERS, FINDINGS, RECOMMENDATIONS, NEXT_STEPS, ROOM,
              OWN_ACTION]


@pytest.fixture
def path(story):
    return path_world(story)


def _move_url(kind, pk):
    return reverse("oma:move_request", kwargs={"kind": kind, "pk": pk})


def test_tiina_sees_her_case_manager_and_own_nurse_with_work_contacts(client, path):
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:contacts")).content.decode()
    te_expert, nurse = path.users["te_expert"], path.users["nurse"]
    assert te_expert.get_full_name() in page and "029 502 0001" in page
    assert "te.asiantuntija@example.invalid" in page
    assert path.story.employment.name in page and nurse.get_full_name() in page


def test_tiina_sees_her_coming_meeting_discussion_and_health_check(client, path):
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:appointments")).content.decode()
    assert ROOM in page and path.users["coordinator"].get_full_name() in page
    for url in (_move_url("tapaaminen", path.meeting.pk),
                _move_url("palautekeskustelu", path.discussion.pk),
                _move_url("terveystarkastus", path.booked.pk)):
        assert url in page
    entry = AccessLogEntry.objects.filter(client=path.tiina).latest("pk")
    assert entry.by_client and entry.action == Action.OWN_SERVICE


def test_asking_to_move_the_meeting_tells_who_booked_it_without_the_reason(client, path):
    log_in_as_client(client, path.tiina)
    response = client.post(_move_url("tapaaminen", path.meeting.pk),
                           {"reason": REASON, "preferred_times": "aamupäivät"})
    assert response.status_code == 302 and response.url == reverse("oma:appointments")
    request = MoveRequest.objects.get()
    assert (request.kind, request.object_id, request.reason) == (
        MoveKind.MEETING, path.meeting.pk, REASON)
    notification = Notification.objects.get(kind=ReminderKind.MOVE_REQUEST)
    assert notification.user == path.users["coordinator"]
    assert notification.url == reverse("meetings:detail", args=[path.meeting.pk])
    assert REASON not in str(notification.__dict__)


def test_the_discussion_holder_and_the_nurse_are_told_of_theirs(client, path):
    log_in_as_client(client, path.tiina)
    client.post(_move_url("palautekeskustelu", path.discussion.pk), {"reason": REASON})
    client.post(_move_url("terveystarkastus", path.booked.pk), {"reason": REASON})
    told = set(Notification.objects.filter(kind=ReminderKind.MOVE_REQUEST).values_list(
        "user__username", flat=True))
    assert told == {"te_expert", "nurse"}


def test_a_second_request_for_the_same_time_is_refused_with_a_clear_message(client, path):
    log_in_as_client(client, path.tiina)
    url = _move_url("tapaaminen", path.meeting.pk)
    client.post(url, {"reason": REASON})
    response = client.post(url, {"reason": "Toinen kerta"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(moving._already_asked().message)]
    assert MoveRequest.objects.count() == 1
    assert Notification.objects.filter(kind=ReminderKind.MOVE_REQUEST).count() == 1


def test_the_list_says_the_time_was_already_asked_to_be_moved(client, path):
    log_in_as_client(client, path.tiina)
    client.post(_move_url("tapaaminen", path.meeting.pk), {"reason": REASON})
    page = client.get(reverse("oma:appointments")).content.decode()
    assert _move_url("tapaaminen", path.meeting.pk) not in page
    assert _move_url("palautekeskustelu", path.discussion.pk) in page


def test_a_request_without_a_reason_is_refused(client, path):
    log_in_as_client(client, path.tiina)
    response = client.post(_move_url("tapaaminen", path.meeting.pk), {"reason": "   "})
    assert response.status_code == 200 and not MoveRequest.objects.exists()


def test_an_unknown_kind_is_404(client, path):
    log_in_as_client(client, path.tiina)
    assert client.get(_move_url("lounas", path.meeting.pk)).status_code == 404


def test_petri_cannot_ask_to_move_tiinas_times(client, path):
    log_in_as_client(client, path.petri)
    for url in (_move_url("tapaaminen", path.meeting.pk),
                _move_url("palautekeskustelu", path.discussion.pk),
                _move_url("terveystarkastus", path.booked.pk)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": REASON}).status_code == 404, url
    assert not MoveRequest.objects.exists()
    assert not Notification.objects.filter(kind=ReminderKind.MOVE_REQUEST).exists()


@pytest.mark.parametrize("name", ["oma:contacts", "oma:appointments", "oma:plan",
                                  "oma:health_check_feedback", "oma:process_pdf"])
def test_petri_sees_nothing_of_tiinas_on_his_pages(client, path, name):
    log_in_as_client(client, path.petri)
    response = client.get(reverse(name))
    assert response.status_code == 200
    shown = text_of(response)
    for marker in NOT_TIINAS:
        assert marker not in shown, marker


@pytest.mark.parametrize("name", ["oma:contacts", "oma:appointments", "oma:plan",
                                  "oma:health_check_feedback", "oma:process_pdf"])
def test_a_staff_session_is_sent_to_the_client_login(client, path, name):
    log_in(client, path.users["te_expert"])
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url == reverse("oma:login")


def test_tiina_sees_the_feedback_the_nurse_gave_her(client, path):
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:health_check_feedback")).content.decode()
    assert FINDINGS in page and RECOMMENDATIONS in page and NEXT_STEPS in page
    entry = AccessLogEntry.objects.filter(client=path.tiina).latest("pk")
    assert "health" in entry.categories and entry.by_client


def test_the_process_summary_is_printed_for_tiina_and_logged_as_her_read(client, path):
    log_in_as_client(client, path.tiina)
    response = client.get(reverse("oma:process_pdf"))
    assert response["Content-Type"].startswith("application/pdf")
    text = text_of(response)
    assert PLAN_GOAL in text and "Leinonen" in text
    entry = AccessLogEntry.objects.filter(client=path.tiina).latest("pk")
    assert entry.by_client and entry.user is None and entry.action == Action.PROCESS_PDF


def test_the_coming_times_make_as_many_queries_when_asked_to_move(client, path,
                                                                   count_queries):
    log_in_as_client(client, path.tiina)
    few = count_queries(client, reverse("oma:appointments"))
    client.post(_move_url("tapaaminen", path.meeting.pk), {"reason": REASON})
    client.post(_move_url("terveystarkastus", path.booked.pk), {"reason": REASON})
    client.get(reverse("oma:appointments"))  # the confirmation shown once
    assert count_queries(client, reverse("oma:appointments")) == few
