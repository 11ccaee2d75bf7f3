"""Who reaches the officer's pages, what an officer sees of another controller (nothing), and
that the officer reads no client's page, search or print."""

from datetime import timedelta

import pytest
from django.urls import reverse

from oversight.models import AccessFlag, FlagKind, LogKind
from teams.models import Role
from tests.factories import staff
from tests.oversight.conftest import at, log_disclosure, log_reads
from tests.utils import log_in

# Each page of the room, with its method: (name, method, needs a flag id).
PAGES = [
    ("oversight:overview", "get", False),
    ("oversight:search", "post", False),
    ("oversight:results", "get", False),
    ("oversight:export", "post", False),
    ("oversight:flag", "get", True),
    ("oversight:flag_review", "post", True),
    ("oversight:flag_rows", "post", True),
    ("oversight:preferences", "post", False),
]


def make_flag(user, organisation, start, count=25, kind=FlagKind.UNRELATED_CLIENTS):
    return AccessFlag.objects.create(
        kind=kind, user=user, organisation=organisation, window_start=start,
        window_end=start + timedelta(days=1), count=count, first_log_id=1, last_log_id=2)


@pytest.mark.parametrize("role", [Role.NURSE, Role.ADMIN, Role.MANAGER, Role.COORDINATOR])
def test_no_other_role_reaches_the_officers_pages(client, world, role):
    flag = make_flag(world.nurse, world.health, at(2026, 3, 2))
    log_in(client, staff(role, organisation=world.health))
    for name, method, with_flag in PAGES:
        url = reverse(name, args=[flag.pk] if with_flag else [])
        response = getattr(client, method)(url)
        assert response.status_code == 403, (role, name, response.status_code)


def test_the_anonymous_go_to_the_login_page(client, world):
    response = client.get(reverse("oversight:overview"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_navigation_shows_the_page_to_the_officer_only(client, world):
    link = f'<a href="{reverse("oversight:overview")}" aria-current="page">'
    log_in(client, world.officer)
    page = client.get(reverse("oversight:overview")).content.decode()
    assert link in page  # the officer's page is the current one, not My work
    assert page.count('aria-current="page"') == 1
    log_in(client, world.nurse)
    assert reverse("oversight:overview") not in client.get(
        reverse("accounts:account")).content.decode()


# --- Scope: each officer oversees their own controller -----------------------------------------

@pytest.fixture
def both(world):
    """Rows and flags of both controllers, each marked with its staff's names."""
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 2, 9)])
    log_reads(world.coach, world.employment, [world.other_client], [at(2026, 3, 2, 10)],
              role="employment_expert")
    make_flag(world.nurse, world.health, at(2026, 3, 2))
    make_flag(world.coach, world.employment, at(2026, 3, 3))
    return world


HEALTH_MARKERS = ["Hoitajamerkki", "Omamerkki"]
EMPLOYMENT_MARKERS = ["Valmentajamerkki", "Vieramerkki"]


def _everything_an_officer_sees(client, world, officer) -> str:
    log_in(client, officer)
    pages = [client.get(reverse("oversight:overview")).content.decode()]
    for log in (LogKind.ACCESS, LogKind.DISCLOSURE):
        response = client.post(reverse("oversight:search"), {"log": log}, follow=True)
        pages.append(response.content.decode())
        pages.append(client.post(reverse("oversight:export"), {
            "search": response.context["search_key"]}).content.decode("utf-8-sig"))
    for hetu in (world.own_client.hetu, world.other_client.hetu):
        pages.append(client.post(reverse("oversight:search"), {"log": LogKind.ACCESS,
                                                               "hetu": hetu},
                                 follow=True).content.decode())
    return "\n".join(pages)


def test_an_officer_sees_their_own_controllers_rows_and_flags_only(client, both):
    health = _everything_an_officer_sees(client, both, both.officer)
    for marker in HEALTH_MARKERS:
        assert marker in health
    for marker in EMPLOYMENT_MARKERS:
        assert marker not in health
    employment = _everything_an_officer_sees(client, both, both.other_officer)
    for marker in EMPLOYMENT_MARKERS:
        assert marker in employment
    for marker in HEALTH_MARKERS:
        assert marker not in employment


def test_another_controllers_flag_answers_404(client, both):
    theirs = AccessFlag.objects.get(organisation=both.employment)
    log_in(client, both.officer)
    assert client.get(reverse("oversight:flag", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("oversight:flag_review", args=[theirs.pk]), {"note": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "open"


def test_a_disclosure_is_seen_by_the_officers_of_both_ends_only(client, world):
    third = staff(Role.DATA_PROTECTION_OFFICER, username="kolmas").memberships.get().organisation
    log_disclosure(world.coach, world.other_client, world.employment, world.health,
                   at(2026, 3, 5, 12))
    log_disclosure(world.coach, world.other_client, world.employment, third,
                   at(2026, 3, 5, 13))
    log_in(client, world.officer)
    response = client.post(reverse("oversight:search"), {"log": LogKind.DISCLOSURE},
                           follow=True)
    assert len(response.context["rows"]) == 1
    assert response.context["rows"][0]["recipient"] == world.health
    log_in(client, world.other_officer)
    response = client.post(reverse("oversight:search"), {"log": LogKind.DISCLOSURE},
                           follow=True)
    assert len(response.context["rows"]) == 2


def test_a_search_of_another_officer_is_not_found_in_my_session(client, world):
    log_in(client, world.other_officer)
    key = client.post(reverse("oversight:search"), {"log": LogKind.ACCESS},
                      follow=True).context["search_key"]
    log_in(client, world.officer)  # a new session
    response = client.get(reverse("oversight:results") + f"?search={key}")
    assert response.status_code == 302
