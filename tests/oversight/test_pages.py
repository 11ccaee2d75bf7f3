"""The officer's pages: reviewing a flag, opening its rows, the e-mail choice, and query counts
that stay the same however long the log and the list of flags grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from oversight.models import (
    AccessFlag,
    FlagKind,
    FlagState,
    LogKind,
    OfficerAction,
    OfficerLogEntry,
    OfficerPreference,
)
from tests.oversight.conftest import at, log_reads
from tests.oversight.test_access import make_flag
from tests.utils import log_in


@pytest.fixture
def officer(client, world):
    log_in(client, world.officer)
    return client


def test_reviewing_a_flag_keeps_the_note_reviewer_and_history(officer, world):
    flag = make_flag(world.nurse, world.health, at(2026, 3, 2))
    page = officer.get(reverse("oversight:flag", args=[flag.pk])).content.decode()
    assert "Nina Hoitajamerkki" in page
    response = officer.post(reverse("oversight:flag_review", args=[flag.pk]),
                            {"note": "Sijaisuus toisessa yksikössä"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.reviewed_by, flag.note) == (
        FlagState.REVIEWED, world.officer, "Sijaisuus toisessa yksikössä")
    assert flag.history.first().history_user == world.officer
    assert OfficerLogEntry.objects.get().action == OfficerAction.FLAG_REVIEW
    home = officer.get(reverse("oversight:overview")).content.decode()
    assert _("Reviewed recently") in home


def test_a_review_needs_a_note(officer, world):
    flag = make_flag(world.nurse, world.health, at(2026, 3, 2))
    response = officer.post(reverse("oversight:flag_review", args=[flag.pk]), {"note": " "})
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN


def test_a_flag_opens_its_rows_as_a_search(officer, world):
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 4, 22, 10), at(2026, 3, 4, 23, 10), at(2026, 3, 4, 21, 50)])
    flag = AccessFlag.objects.create(
        kind=FlagKind.OFF_HOURS, user=world.nurse, organisation=world.health,
        window_start=at(2026, 3, 4, 22), window_end=at(2026, 3, 4, 23), count=1,
        first_log_id=1, last_log_id=1)
    response = officer.post(reverse("oversight:flag_rows", args=[flag.pk]), follow=True)
    assert [row["at"] for row in response.context["rows"]] == [at(2026, 3, 4, 22, 10)]
    assert OfficerLogEntry.objects.get().flag == flag


def test_the_officer_opts_in_to_email(officer, world):
    officer.post(reverse("oversight:preferences"), {"email_flags": "on"})
    assert OfficerPreference.objects.get(user=world.officer).email_flags
    officer.post(reverse("oversight:preferences"), {})
    assert not OfficerPreference.objects.get(user=world.officer).email_flags


def test_an_officer_of_no_organisation_is_told_so(client, world):
    from django.contrib.auth.models import Permission

    superuser_like = world.nurse
    superuser_like.user_permissions.add(Permission.objects.get(codename="view_logs"))
    log_in(client, superuser_like)
    page = client.get(reverse("oversight:overview")).content.decode()
    assert _("You are not the data protection officer of any organisation, so there are no "
             "logs to show.").split(",")[0] in page


# --- Query counts at two sizes --------------------------------------------------------------------

def test_the_home_page_makes_as_many_queries_with_many_flags(officer, world, count_queries):
    make_flag(world.nurse, world.health, at(2026, 3, 1))
    few = count_queries(officer, reverse("oversight:overview"))
    for day in range(2, 40):
        make_flag(world.doctor, world.health, at(2026, 3, 1) + timedelta(days=day),
                  kind=FlagKind.OFF_HOURS)
    assert count_queries(officer, reverse("oversight:overview")) == few


def _results_queries(client, log) -> int:
    key = client.post(reverse("oversight:search"), {"log": log}, follow=True
                      ).context["search_key"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("oversight:results") + f"?search={key}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("log", [LogKind.ACCESS, LogKind.DISCLOSURE])
def test_the_results_page_makes_as_many_queries_with_a_longer_log(officer, world, log):
    from tests.oversight.conftest import log_disclosure

    def grow(n):
        start = at(2026, 3, 2, 8)
        log_reads(world.nurse, world.health, [world.own_client],
                  [start + timedelta(minutes=i) for i in range(n)])
        for i in range(n):
            log_disclosure(world.coach, world.own_client, world.health, world.employment,
                           start + timedelta(minutes=i))

    grow(3)
    few = _results_queries(officer, log)
    grow(120)
    assert _results_queries(officer, log) == few
