"""The clients' feedback after meetings on the dashboard: averages and the number of answers,
an average of fewer than five answers not shown, the clients' words never; and the attacks on
the averages (reporting/feedback.py): a running period, one more answer a day, all
municipalities less one."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from meetings.models import MeetingFeedback
from reporting.reports import NOT_SHOWN
from tests.factories import MunicipalityFactory
from tests.reporting.conftest import csv_rows, page_tables
from tests.reporting.world import at
from tests.utils import log_in

MARCH = {"kind": "month", "period": "2026-03"}
HEARD = gettext("Was I heard in the meeting?")
ANSWERS = gettext("Answers")
HELSINKI = ZoneInfo("Europe/Helsinki")
WORDS = "Palaute: kokous oli liian pitkä 5531"


def _answers(world, scores, municipality=None, *, month=3):
    """One answer per (heard, knows_next_steps, useful), each on a meeting of its own client
    held in `month` of 2026 and answered the same day."""
    for day, (heard, knows, useful) in enumerate(scores, start=2):
        client = world.client(municipality)
        meeting = world.meeting(client, date(2026, month, day))
        MeetingFeedback.objects.create(client=client, meeting=meeting, heard=heard,
                                       knows_next_steps=knows, useful=useful, comment=WORDS,
                                       submitted_at=at(date(2026, month, day), 12))


def on(day: date):
    return time_machine.travel(datetime.combine(day, datetime.min.time(), HELSINKI)
                               + timedelta(hours=12))


def _feedback_table(client, params) -> dict[str, list[str]]:
    response = client.get(reverse("reporting:dashboard"), params)
    assert response.status_code == 200
    assert WORDS not in response.content.decode()
    return {row[0]: row[1:] for row in page_tables(response.content.decode())[
        "meeting_feedback"][1:]}


def _number(value) -> str:
    return formats.number_format(value, 1)


@pytest.fixture
def five(world):
    _answers(world, [(1, 4, 5), (2, 4, 5), (3, 4, 5), (4, 4, 5), (5, 4, 4)])


def test_five_answers_show_their_averages_and_count(client, manager, world, five):
    log_in(client, manager)
    table = _feedback_table(client, MARCH)

    averages = [row[0] for label, row in table.items() if label != ANSWERS]
    assert averages == [_number(3), _number(4), _number(4.8)]
    assert table[ANSWERS][0] == "5"


def test_four_answers_show_no_average(client, manager, world):
    _answers(world, [(1, 1, 1), (5, 5, 5), (5, 5, 5), (5, 5, 5)])
    log_in(client, manager)
    table = _feedback_table(client, MARCH)

    assert [row[0] for label, row in table.items() if label != ANSWERS] == [NOT_SHOWN] * 3
    assert table[ANSWERS][0] != "4"  # a count is published by the dashboard's rule: 0 or 5


def test_a_municipality_with_too_few_answers_shows_no_average(client, manager, world, five):
    _answers(world, [(1, 1, 1)] * 4, municipality=world.sotkamo)
    log_in(client, manager)

    sotkamo = _feedback_table(client, {**MARCH, "municipality": world.sotkamo.pk})
    everywhere = _feedback_table(client, MARCH)

    assert sotkamo[HEARD][0] == NOT_SHOWN
    assert everywhere[HEARD][0] == _number(Decimal("2.1"))  # 19 / 9 = 2.11...


def test_the_exports_hold_the_averages_but_never_the_clients_words(client, manager, world,
                                                                      five):
    log_in(client, manager)
    rows = csv_rows(client, MARCH)

    assert [HEARD, _number(3), NOT_SHOWN] in rows
    assert WORDS not in str(rows)


def test_the_previous_period_is_compared(client, manager, world, five):
    log_in(client, manager)
    table = _feedback_table(client, {"kind": "month", "period": "2026-04"})
    assert table[HEARD] == [NOT_SHOWN, _number(3)]


# --- The attacks on the averages -----------------------------------------------------------------

TEN = [(4, 4, 4)] * 5 + [(3, 3, 3)] * 4 + [(2, 5, 1)]  # heard (20 + 12 + 2) / 10: 3,4


def test_a_running_period_shows_no_average_not_even_on_its_last_day(client, manager, world):
    """One answer more a day, and (n+1)·a₁ - n·a₀ is that day's answer: while March runs, and
    on its last day too, its averages are not shown anywhere; the day after, they are."""
    _answers(world, TEN)
    average = _number(Decimal("3.4"))
    for day in (date(2026, 3, 20), date(2026, 3, 31)):
        with on(day):
            log_in(client, manager)
            table = _feedback_table(client, MARCH)
            assert [row[0] for label, row in table.items() if label != ANSWERS] == \
                [NOT_SHOWN] * 3, day
            page = client.get(reverse("reporting:dashboard"), MARCH).content.decode()
            assert average not in page, day
            assert average not in str(csv_rows(client, MARCH)), day
            year = _feedback_table(client, {"kind": "year", "period": "2026"})
            assert year[HEARD][0] == NOT_SHOWN  # the year runs as well
    with on(date(2026, 4, 1)):
        log_in(client, manager)
        assert _feedback_table(client, MARCH)[HEARD][0] == average
        # April runs: March is there as the period before, not April's own answers.
        assert _feedback_table(client, {"kind": "month", "period": "2026-04"})[HEARD] == \
            [NOT_SHOWN, average]


def test_a_late_answer_does_not_change_a_closed_period(client, manager, world):
    """An answer given in April on a meeting held in March counts in April: the averages of
    March, once shown, never change, so no later day can be subtracted from them."""
    _answers(world, TEN)
    with on(date(2026, 4, 2)):
        log_in(client, manager)
        before = _feedback_table(client, MARCH)
    late = world.client()
    MeetingFeedback.objects.create(client=late, meeting=world.meeting(late, date(2026, 3, 30)),
                                   heard=1, knows_next_steps=1, useful=1,
                                   submitted_at=at(date(2026, 4, 3)))
    with on(date(2026, 4, 4)):
        log_in(client, manager)
        assert _feedback_table(client, MARCH) == before
        assert before[HEARD][0] == _number(Decimal("3.4"))


def test_all_municipalities_less_one_never_reveals_a_small_group(client, manager, world, five):
    """Kajaani has five answers and Sotkamo four. Before the rule Kajaani's average was shown
    and all municipalities' too, and 9·all - 5·Kajaani was Sotkamo's four answers: Kajaani's
    average is not shown, all municipalities' is."""
    _answers(world, [(1, 1, 1)] * 4, municipality=world.sotkamo)
    log_in(client, manager)

    kajaani = _feedback_table(client, {**MARCH, "municipality": world.kajaani.pk})
    sotkamo = _feedback_table(client, {**MARCH, "municipality": world.sotkamo.pk})
    everywhere = _feedback_table(client, MARCH)

    assert [row[0] for label, row in kajaani.items() if label != ANSWERS] == [NOT_SHOWN] * 3
    assert _number(3) not in str(csv_rows(client, {**MARCH, "municipality": world.kajaani.pk}))
    assert sotkamo[HEARD][0] == NOT_SHOWN
    assert everywhere[HEARD][0] == _number(Decimal("2.1"))


def test_a_municipality_is_shown_when_the_rest_is_five_or_more(client, manager, world, five):
    """Kajaani five, Sotkamo four and Kuhmo (no longer in use, so never chosen on its own) two:
    the six not shown are no small group, so Kajaani's average is shown; all less Kajaani is
    those six together."""
    kuhmo = MunicipalityFactory(name="Kuhmo", code="290", is_active=False)
    _answers(world, [(1, 1, 1)] * 4, municipality=world.sotkamo)
    _answers(world, [(5, 5, 5)] * 2, municipality=kuhmo)
    log_in(client, manager)

    kajaani = _feedback_table(client, {**MARCH, "municipality": world.kajaani.pk})
    everywhere = _feedback_table(client, MARCH)

    assert kajaani[HEARD][0] == _number(3)
    assert everywhere[HEARD][0] == _number(Decimal("2.6"))  # (15 + 4 + 10) / 11 = 2.63...


def test_a_closed_period_shows_the_average_rounded_half_up(client, manager, world):
    """Twenty answers in March: heard 19 x 3 + 4 = 61, 61 / 20 = 3.05, shown 3,1 (half up);
    knows 4.0; useful 10 x 5 + 10 x 4 = 90, 4.5."""
    _answers(world, [(3, 4, 5)] * 10 + [(3, 4, 4)] * 9 + [(4, 4, 4)])
    log_in(client, manager)
    table = _feedback_table(client, MARCH)

    averages = [row[0] for label, row in table.items() if label != ANSWERS]
    assert averages == [_number(Decimal("3.1")), _number(Decimal("4.0")),
                        _number(Decimal("4.5"))]
    assert table[ANSWERS][0] == "20"
