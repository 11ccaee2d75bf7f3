"""The staff's side of Tiina's requests to move a time: the holding organisation reads the
reason and the suiting times on her page and marks the request handled; nobody else does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from consents.models import AccessLogEntry
from consents.services import confirm_consent, record_consent
from meetings.services import reschedule_meeting
from oma.models import MoveRequest
from teams.models import Membership
from tests.oma.path_world import REASON, path_world
from tests.utils import log_in, log_in_as_client

SUITING = "Tiistaiaamupäivät käyvät"  # the suiting times Tiina wrote


@pytest.fixture
def path(story):
    return path_world(story)


def _ask(client, path, slug, pk, reason=REASON):
    log_in_as_client(client, path.tiina)
    response = client.post(reverse("oma:move_request", kwargs={"kind": slug, "pk": pk}),
                           {"reason": reason, "preferred_times": SUITING})
    assert response.status_code == 302
    client.logout()
    return MoveRequest.objects.get(kind={"tapaaminen": "meeting",
                                         "palautekeskustelu": "discussion",
                                         "terveystarkastus": "health_check"}[slug], object_id=pk)


def _page(client, path, role):
    client.logout()
    log_in(client, path.users[role])
    response = client.get(reverse("clients:detail", args=[path.tiina.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _handled_url(move):
    return reverse("move_requests:handled", args=[move.pk])


def test_the_meetings_organisation_reads_the_reason_and_suiting_times(client, path):
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    page = _page(client, path, "coordinator")
    assert REASON in page and SUITING in page
    assert reverse("meetings:detail", args=[path.meeting.pk]) in page
    assert _handled_url(move) in page
    # The page's access log row names health data: the reason may be about her health.
    entry = AccessLogEntry.objects.filter(client=path.tiina, user=path.users["coordinator"])
    assert "health" in entry.latest("pk").categories


def test_each_holder_sees_only_the_requests_for_their_own_organisations_times(client, path):
    discussion = _ask(client, path, "palautekeskustelu", path.discussion.pk,
                      reason="Keskustelun syy XQ1")
    check = _ask(client, path, "terveystarkastus", path.booked.pk, reason="Tarkastuksen syy XQ2")
    te_page = _page(client, path, "te_expert")  # employment services hold the discussion
    assert "XQ1" in te_page and "XQ2" not in te_page and _handled_url(check) not in te_page
    assert _handled_url(discussion) in te_page
    nurse_page = _page(client, path, "nurse")  # health care received the referral
    assert "XQ2" in nurse_page and "XQ1" not in nurse_page
    assert reverse("referrals:detail", args=[path.booked.pk]) in nurse_page


def test_kela_on_her_team_with_a_consent_never_reads_the_reason(client, path):
    """Attacker: Kela sees her page, and under her consent the health organisation's data,
    but the reason was written to the holder only."""
    users = path.users
    consent = record_consent(client=path.tiina, by=users["nurse"],
                             categories=["identity", "employment", "health"],
                             organisations=[path.story.kela], purpose="Kuntoutus",
                             method="written", valid_from="2026-01-01")
    confirm_consent(consent=consent, organisation=path.story.employment, by=users["te_expert"])
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    page = _page(client, path, "kela_expert")
    assert REASON not in page and SUITING not in page and _handled_url(move) not in page


@pytest.mark.parametrize("role", ["kela_expert", "social_worker", "te_expert"])
def test_others_cannot_mark_the_request_handled(client, path, role):
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    log_in(client, path.users[role])
    assert client.post(_handled_url(move)).status_code == 404
    move.refresh_from_db()
    assert move.handled_at is None


def test_a_client_session_is_sent_to_the_staff_login(client, path):
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    log_in_as_client(client, path.tiina)
    response = client.post(_handled_url(move))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    move.refresh_from_db()
    assert move.handled_at is None


def test_the_holder_marks_it_handled_and_it_leaves_the_page(client, path):
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    log_in(client, path.users["coordinator"])
    assert client.get(_handled_url(move)).status_code == 405  # POST only
    response = client.post(_handled_url(move), follow=True)
    assert response.redirect_chain[-1][0] == reverse("clients:detail", args=[path.tiina.pk])
    assert [str(m) for m in response.context["messages"]] == [
        gettext("The request to move the time was marked handled.")]
    move.refresh_from_db()
    assert move.handled_at is not None
    assert REASON not in response.content.decode()
    # A second click finds nothing open.
    assert client.post(_handled_url(move)).status_code == 404
    # Tiina may ask again.
    log_in_as_client(client, path.tiina)
    page = client.get(reverse("oma:appointments")).content.decode()
    assert reverse("oma:move_request", kwargs={"kind": "tapaaminen",
                                               "pk": path.meeting.pk}) in page


def test_moving_the_time_handles_the_request_on_the_staff_page_too(client, path):
    move = _ask(client, path, "tapaaminen", path.meeting.pk)
    meeting = path.meeting
    reschedule_meeting(meeting=meeting, by=path.users["coordinator"],
                       starts_at=meeting.starts_at + timedelta(days=1),
                       ends_at=meeting.ends_at + timedelta(days=1), mode=meeting.mode,
                       room=meeting.room)
    assert REASON not in _page(client, path, "coordinator")
    assert client.post(_handled_url(move)).status_code == 404


def test_an_id_of_nothing_answers_404(client, path):
    log_in(client, path.users["coordinator"])
    assert client.post(reverse("move_requests:handled", args=[987654321])).status_code == 404


def _items(client):
    """My work's items of today, as (label, URL)."""
    return {(item.label, item.url) for item in client.get(reverse("home")).context["work"].today}


def test_the_holder_finds_the_request_on_my_work_until_it_is_handled(client, path):
    before = {}
    for role in ("nurse", "coordinator"):
        log_in(client, path.users[role])
        before[role] = _items(client)
    move = _ask(client, path, "terveystarkastus", path.booked.pk)
    log_in(client, path.users["nurse"])  # she booked the health check
    [(_label, url)] = _items(client) - before["nurse"]
    assert url == reverse("clients:detail", args=[path.tiina.pk])
    assert REASON not in client.get(reverse("home")).content.decode()
    log_in(client, path.users["coordinator"])  # same organisation, not the holder
    assert _items(client) == before["coordinator"]
    log_in(client, path.users["nurse"])
    client.post(_handled_url(move))
    assert _items(client) == before["nurse"]


def test_a_holder_who_left_the_organisation_no_longer_finds_it_on_my_work(client, path):
    log_in(client, path.users["nurse"])
    before = _items(client)
    _ask(client, path, "terveystarkastus", path.booked.pk)
    log_in(client, path.users["nurse"])
    assert len(_items(client) - before) == 1
    Membership.objects.filter(user=path.users["nurse"]).update(is_active=False)
    # She has no care membership any more: My work no longer offers the client's request.
    response = client.get(reverse("home"))
    assert reverse("clients:detail", args=[path.tiina.pk]) not in response.content.decode()
