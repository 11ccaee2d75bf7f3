"""
After a team meeting she took part in, Tiina answers a short questionnaire in Oma Työkyky, once.
Through the views.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from meetings.client_feedback import ALREADY_GIVEN
from meetings.models import Attendance, MeetingFeedback
from tests.oma.feedback_steps import held_meeting
from tests.utils import log_in, log_in_as_client

OWN_WORDS = "Palaute: toivon lyhyempää kokousta 4821"
ANSWERS = {"heard": "5", "knows_next_steps": "3", "useful": "4", "comment": OWN_WORDS}


@pytest.fixture
def meeting(story):
    return held_meeting(story)


def _answer(client, person, meeting, **changes):
    log_in_as_client(client, person)
    return client.post(reverse("oma:meeting_feedback", args=[meeting.pk]),
                       {**ANSWERS, **changes})


def test_tiina_answers_the_questionnaire_after_a_meeting_she_took_part_in(
        client, story, meeting):
    log_in_as_client(client, story.tiina)
    listed = client.get(reverse("oma:meeting_feedback_list"))
    assert reverse("oma:meeting_feedback", args=[meeting.pk]) in listed.content.decode()

    response = _answer(client, story.tiina, meeting)

    assert response.status_code == 302
    given = MeetingFeedback.objects.get()
    assert (given.client, given.meeting) == (story.tiina, meeting)
    assert (given.heard, given.knows_next_steps, given.useful) == (5, 3, 4)
    assert given.comment == OWN_WORDS


def test_a_second_answer_is_refused_with_a_message(client, story, meeting):
    _answer(client, story.tiina, meeting)

    again = _answer(client, story.tiina, meeting, heard="1")

    assert again.status_code == 200
    assert str(ALREADY_GIVEN) in again.content.decode()
    assert MeetingFeedback.objects.get().heard == 5


def test_the_database_refuses_a_second_answer_too(story, meeting):
    from django.db import IntegrityError, transaction

    MeetingFeedback.objects.create(client=story.tiina, meeting=meeting, heard=1,
                                   knows_next_steps=1, useful=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFeedback.objects.create(client=story.tiina, meeting=meeting, heard=2,
                                       knows_next_steps=2, useful=2)


@pytest.mark.parametrize("bad", [{"heard": "6"}, {"useful": "0"}, {"knows_next_steps": ""},
                                 {"heard": "viisi"}])
def test_an_answer_outside_1_to_5_or_a_missing_one_is_an_error(client, story, meeting, bad):
    response = _answer(client, story.tiina, meeting, **bad)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not MeetingFeedback.objects.exists()


@pytest.mark.parametrize("attendance", [Attendance.DID_NOT_ATTEND, Attendance.UNKNOWN])
def test_no_feedback_on_a_meeting_the_client_did_not_take_part_in(client, story, attendance):
    meeting = held_meeting(story, attendance=attendance)

    response = _answer(client, story.tiina, meeting)

    assert response.status_code == 404
    assert not MeetingFeedback.objects.exists()


def test_no_feedback_before_the_meeting(client, story):
    meeting = held_meeting(story, days_ago=-2)  # in two days
    assert _answer(client, story.tiina, meeting).status_code == 404


def test_petri_cannot_open_or_answer_tiinas_meeting(client, story, meeting):
    _answer(client, story.tiina, meeting)
    petri = Client.objects.get(first_name="Petri")
    log_in_as_client(client, petri)

    url = reverse("oma:meeting_feedback", args=[meeting.pk])
    opened = client.get(url)
    sent = client.post(url, {**ANSWERS, "comment": "Petri"})
    listed = client.get(reverse("oma:meeting_feedback_list"))

    assert opened.status_code == 404 and sent.status_code == 404
    assert OWN_WORDS not in opened.content.decode() + listed.content.decode()
    assert MeetingFeedback.objects.count() == 1


def test_staff_cannot_use_the_clients_questionnaire(client, story, meeting):
    log_in(client, story.users["nurse"])
    response = client.post(reverse("oma:meeting_feedback", args=[meeting.pk]), ANSWERS)
    assert response.url.startswith(reverse("oma:login"))
    assert not MeetingFeedback.objects.exists()


def test_tiina_sees_her_own_answers_afterwards(client, story, meeting):
    _answer(client, story.tiina, meeting)
    response = client.get(reverse("oma:meeting_feedback", args=[meeting.pk]))
    assert response.status_code == 200
    assert OWN_WORDS in response.content.decode()
    assert response.context["given"] is not None


def test_with_no_meetings_the_page_says_what_happens_next(client, story):
    log_in_as_client(client, story.tiina)
    response = client.get(reverse("oma:meeting_feedback_list"))
    assert response.status_code == 200
    assert response.context["meetings"].paginator.count == 0


def test_the_list_takes_as_many_queries_for_three_meetings_as_for_one(client, story, meeting):
    log_in_as_client(client, story.tiina)
    url = reverse("oma:meeting_feedback_list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    held_meeting(story, days_ago=2)
    _answer(client, story.tiina, held_meeting(story, days_ago=3))
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).context["meetings"].paginator.count == 3
    assert len(three) == len(one)
