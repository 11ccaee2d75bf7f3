"""Working days and Helsinki office hours over the generated history, as fast look-ups."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tyokyky.workdays import is_working_day

HELSINKI = ZoneInfo("Europe/Helsinki")
HISTORY_DAYS = 730
# How far ahead meetings, bookings and plan dates may lie.
DAYS_AHEAD = 200


class Calendar:
    """Working days and Helsinki office hours from two years back to a few months ahead."""

    def __init__(self, today: date):
        self.today = today
        self.first = today - timedelta(days=HISTORY_DAYS + 120)
        span = HISTORY_DAYS + 120 + DAYS_AHEAD
        days = [self.first + timedelta(days=i) for i in range(span + 30)]
        self.working = [day for day in days if is_working_day(day)]
        self._span = span
        self._next = self._next_working_positions(days[:span])
        self._midnight = [_utc_midnight(day) for day in days[:span]]

    def _next_working_positions(self, days: list[date]) -> list[int]:
        """For each day: the position in `working` of that day or of the next working day."""
        positions, position = [], 0
        for day in days:
            while self.working[position] < day:
                position += 1
            positions.append(position)
        return positions

    def _index(self, day: date) -> int:
        index = (day - self.first).days
        return index if 0 <= index < self._span else min(max(index, 0), self._span - 1)

    def add(self, day: date, working_days: int) -> date:
        """The working day `working_days` after the day (or the next working day, for 0)."""
        position = self._next[self._index(day)] + working_days
        return self.working[min(max(position, 0), len(self.working) - 1)]

    def on_or_before(self, day: date) -> date:
        found = self.add(day, 0)
        return found if found == day else self.add(day, -1)

    def at(self, day: date, minute: int) -> datetime:
        """An aware moment: `minute` minutes after midnight in Helsinki on the day."""
        return self._midnight[self._index(day)] + timedelta(minutes=minute)

    def day_number(self, day: date) -> int:
        return (day - self.first).days


def _utc_midnight(day: date) -> datetime:
    # The offset at noon: office hours never fall in the night hour that summer time moves.
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=HELSINKI).utcoffset()
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - offset
