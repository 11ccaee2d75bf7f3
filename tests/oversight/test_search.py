"""The officer's log search: each criterion, the code POSTed and kept out of every URL and log,
pages by keyset, the CSV and its bound, and the officer's own log of it."""

import csv
import io
import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from consents.models import Action
from oversight.models import LogKind, OfficerAction, OfficerLogEntry
from tests.factories import ClientFactory
from tests.oversight.conftest import at, log_disclosure, log_reads
from tests.utils import log_in


def nothing_found() -> str:
    return _("No log rows match the search in your organisation's logs. Widen the period or "
             "remove a criterion.")


def rows_label(first, last) -> str:
    return _("Rows %(first)s–%(last)s, newest first") % {"first": first, "last": last}


def search(client, **data):
    """POST the search form; follow to the results page."""
    form = {"log": LogKind.ACCESS, "username": "", "target_username": "", "organisation": "",
            "hetu": "", "start": "", "end": "", **data}
    return client.post(reverse("oversight:search"), form, follow=True)


def shown(response) -> str:
    return response.content.decode()


@pytest.fixture
def officer(client, world):
    log_in(client, world.officer)
    return client


@pytest.fixture
def reads(world):
    log_reads(world.nurse, world.health, [world.own_client], [at(2026, 3, 2, 9)])
    log_reads(world.doctor, world.health, [world.own_client], [at(2026, 3, 3, 10)],
              action=Action.SUMMARY_PDF, role="doctor")
    log_reads(world.coach, world.employment, [world.other_client], [at(2026, 3, 3, 11)],
              role="employment_expert")


def test_the_search_by_user_shows_only_that_users_reads(officer, world, reads):
    page = shown(search(officer, username="nnurmi"))
    assert "Nina Hoitajamerkki" in page
    assert "Lauri Laakarimerkki" not in page


def test_an_unknown_username_is_a_clear_error(officer, world):
    page = shown(search(officer, username="eiole"))
    assert _("No user has the username %(username)s.") % {"username": "eiole"} in page


def test_the_search_by_period_takes_whole_days_in_helsinki_time(officer, world, reads):
    page = shown(search(officer, start="2026-03-03", end="2026-03-03"))
    assert "Lauri Laakarimerkki" in page
    assert "Nina Hoitajamerkki" not in page


def test_a_period_that_ends_before_it_starts_is_refused(officer, world):
    page = shown(search(officer, start="2026-03-03", end="2026-03-01"))
    assert _("The end of the period cannot be before its start.") in page


def test_the_search_by_hetu_names_the_client_and_no_url_holds_the_code(officer, world,
                                                                         reads):
    response = search(officer, hetu=world.own_client.hetu.lower())
    page = shown(response)
    assert f"Oona Omamerkki ({world.own_client.hetu})" in page
    for url, _status in response.redirect_chain:
        assert world.own_client.hetu not in url
    assert world.own_client.hetu not in response.request["QUERY_STRING"]
    entry = OfficerLogEntry.objects.get(action=OfficerAction.SEARCH)
    assert entry.client_id == world.own_client.pk
    assert world.own_client.hetu not in str(entry.criteria)


def test_without_a_hetu_search_rows_name_the_client_by_number(officer, world, reads):
    page = shown(search(officer))
    assert _("Client no. {number}").format(number=world.own_client.pk) in page
    assert "Omamerkki" not in page
    assert world.own_client.hetu not in page


def test_the_code_is_in_no_session_log_line_or_link(officer, world, reads, caplog):
    with caplog.at_level(logging.DEBUG):
        response = search(officer, hetu=world.own_client.hetu)
    assert world.own_client.hetu not in caplog.text
    page = shown(response)
    assert f'value="{world.own_client.hetu}"' not in page
    assert f"={world.own_client.hetu}" not in page  # no link or form carries it
    for session in Session.objects.all():
        assert world.own_client.hetu not in str(session.get_decoded())


def test_a_hetu_with_a_wrong_check_character_is_a_finnish_error(officer, world):
    wrong = world.own_client.hetu[:-1] + ("A" if world.own_client.hetu[-1] != "A" else "B")
    page = shown(search(officer, hetu=wrong))
    assert "Henkilötunnuksen tarkistemerkki on väärä. Tarkista tunnus." in page
    assert not OfficerLogEntry.objects.exists()


def test_a_hetu_of_nobody_finds_nothing_and_names_nobody(officer, world, reads):
    stranger = ClientFactory.build().hetu  # valid, but no such client
    page = shown(search(officer, hetu=stranger))
    assert nothing_found() in page
    assert "Nina Hoitajamerkki" not in page


def test_a_client_of_another_controller_is_not_named_by_their_code(officer, world, reads):
    """Veera is employment services' client: health care's logs have nothing of her, so the
    officer learns neither her name nor that she is anyone's client."""
    page = shown(search(officer, hetu=world.other_client.hetu))
    assert "Vieramerkki" not in page
    assert nothing_found() in page


def test_the_disclosure_log_by_the_other_organisation(officer, world):
    log_disclosure(world.coach, world.own_client, world.health, world.employment,
                   at(2026, 3, 4, 12))
    page = shown(search(officer, log=LogKind.DISCLOSURE, organisation=world.employment.pk))
    assert "Ville Valmentajamerkki" in page
    assert "Työllisyyspalvelut" in page


def test_pages_go_by_keyset_without_counting(officer, world, django_assert_max_num_queries):
    start = at(2026, 3, 2, 8)
    log_reads(world.nurse, world.health, [world.own_client],
              [start + timedelta(minutes=n) for n in range(120)])
    first = search(officer)
    assert rows_label(1, 50) in shown(first)
    next_url = first.context["next_url"]
    assert next_url
    second = officer.get(next_url)
    assert rows_label(51, 100) in shown(second)
    third = officer.get(second.context["next_url"])
    assert rows_label(101, 120) in shown(third)
    assert third.context["next_url"] is None
    times = [row["at"] for row in first.context["rows"] + second.context["rows"]
             + third.context["rows"]]
    assert times == sorted(times, reverse=True) and len(set(times)) == 120


def test_an_expired_search_says_so(officer, world):
    response = officer.get(reverse("oversight:results") + "?search=nothere", follow=True)
    assert _("The search has expired. Search again.") in shown(response)


def test_the_csv_has_the_rows_and_is_logged(officer, world, reads):
    response = search(officer)
    export = officer.post(reverse("oversight:export"),
                          {"search": response.context["search_key"]})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Aika", "Käyttäjä", "Organisaatio", "Rooli", "Mitä", "Tietoryhmät",
                       "Asiakas"]
    assert {row[1] for row in rows[1:]} == {"Nina Hoitajamerkki", "Lauri Laakarimerkki"}
    entry = OfficerLogEntry.objects.get(action=OfficerAction.EXPORT)
    assert entry.rows == 2
    assert export["Cache-Control"] == "no-store"


def test_the_csv_is_cut_at_its_bound_and_says_so(officer, world, settings):
    settings.OVERSIGHT_EXPORT_MAX_ROWS = 5
    log_reads(world.nurse, world.health, [world.own_client],
              [at(2026, 3, 2, 8, n) for n in range(8)])
    key = search(officer).context["search_key"]
    export = officer.post(reverse("oversight:export"), {"search": key})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 5 + 1
    assert rows[-1][0] == _("Only the newest {limit} rows are in this file. Narrow the search "
                            "to get the rest.").format(limit=5)
    assert OfficerLogEntry.objects.get(action=OfficerAction.EXPORT).rows == 5


def test_the_officers_log_cannot_be_changed(officer, world, reads):
    search(officer)
    entry = OfficerLogEntry.objects.get()
    entry.rows = 99
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_the_home_page_lists_the_officers_own_searches(officer, world, reads):
    search(officer, username="nnurmi")
    page = shown(officer.get(reverse("oversight:overview")))
    assert _("Log search") in page
    assert "Helena Partanen" in page


def test_the_administration_log_by_concerning_user_within_scope(client, world):
    """Creating the nurse's account and membership is in the administration log; health care's
    officer finds it, employment services' officer does not."""
    from oversight.search import AdministrationLogEntry

    if AdministrationLogEntry is None:
        pytest.skip("No administration log in this tree yet.")
    assert AdministrationLogEntry.objects.filter(target_user=world.nurse).exists()
    log_in(client, world.officer)
    mine = search(client, log=LogKind.ADMINISTRATION, target_username="nnurmi")
    assert mine.context["rows"]
    assert all(row["target"] == world.nurse for row in mine.context["rows"])
    log_in(client, world.other_officer)
    theirs = search(client, log=LogKind.ADMINISTRATION, target_username="nnurmi")
    assert theirs.context["rows"] == []
    everything = search(client, log=LogKind.ADMINISTRATION)
    assert "Hoitajamerkki" not in shown(everything)


def test_a_hetu_is_refused_for_the_administration_log(officer, world):
    page = shown(search(officer, log=LogKind.ADMINISTRATION, hetu=world.own_client.hetu))
    assert _("The administration log is about users, not clients: leave the personal "
             "identity code empty.") in page
