"""
The rule behind every count the dashboard publishes (reporting/reports.py: `carried`,
`rounded`), checked on its own: exhaustively on a quarter of small months, and on many years
of random months with every start, as the reasoning in the module's docstring needs it.
"""

import itertools
import random

from reporting.reports import BASE, carried, offset, rounded


def _years(count=2000, seed=5):
    generator = random.Random(seed)  # noqa: S311 - reproducible test data, no secret
    for _n in range(count):
        months = [generator.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 40]) for _month in range(12)]
        yield months, generator.randrange(BASE)


def test_every_run_of_months_adds_up_to_fives_within_four_of_the_truth():
    for months, start in _years():
        published = carried(months, start)
        for first, last in itertools.combinations(range(13), 2):
            shown, true = sum(published[first:last]), sum(months[first:last])
            assert shown % BASE == 0 and shown >= 0
            assert abs(shown - true) <= 4, (months, start, first, last)


def test_the_published_numbers_counted_again_publish_themselves():
    """The world in which every cell holds its published number shows the same numbers."""
    for months, start in _years():
        published = carried(months, start)
        assert carried(published, start) == published
    for count, start in itertools.product(range(60), range(BASE)):
        assert rounded(rounded(count, start), start) == rounded(count, start)


def test_a_month_still_running_only_grows_and_in_fives():
    """Today against yesterday: the months before stay as they were, the running one moves
    by a multiple of five or not at all."""
    for months, start in _years(300):
        yesterday = carried(months, start)
        for more in range(1, 9):
            today = carried([*months[:-1], months[-1] + more], start)
            assert today[:-1] == yesterday[:-1]
            step = today[-1] - yesterday[-1]
            assert step >= 0 and step % BASE == 0


def test_no_quarter_of_small_months_can_be_unpicked():
    """Every quarter of months of 0–9, each start — the start known to whoever subtracts: the
    quarter, its months and every difference of them are also what the world rounded to
    fives publishes, so the attacker cannot rule out that each month is 0 or 5 or more."""
    for months in itertools.product(range(10), repeat=3):
        for start in range(BASE):
            published = carried(list(months), start)
            assert carried(published, start) == published
            assert sum(published) % BASE == 0
            assert all(value % BASE == 0 for value in published)


def test_rounding_each_number_on_its_own_would_be_unpicked():
    """Why the rule carries: twelve months of four, each shown as "<5" and the year's 48
    rounded to the nearest five, tell that every month was exactly four."""
    def conventional(count):
        return "<5" if 0 < count < BASE else BASE * round(count / BASE)

    months, year = [4] * 12, conventional(48)
    assert [conventional(m) for m in months] == ["<5"] * 12 and year == 50
    low = year - 2 - 4 * 11  # the year at least 48; the eleven others at most four each
    assert low == 4  # each month is exactly four: disclosed
    # The dashboard's rule on the same months: the year is the sum of the months published.
    for start in range(BASE):
        published = carried(months, start)
        assert sum(published) == rounded(48, start)
        assert carried(published, start) == published  # and zeros and fives stand for them


def test_the_starts_are_fixed_and_spread():
    assert offset("checks", "205", 2026) == offset("checks", "205", 2026)
    starts = [offset("checks", f"{code:03d}", 2026) for code in range(300)]
    assert set(starts) == set(range(BASE))
    assert all(30 <= starts.count(value) <= 90 for value in range(BASE))
