"""
Personal identity codes for the generated clients: every day of 1950-2005 times the temporary
individual numbers 900-999 (which no permanent code uses), walked in a scrambled order so that
neighbours differ.
"""

from datetime import date, timedelta

from clients.hetu import check_character
from clients.models import Client

FIRST_BIRTH_DAY = date(1950, 1, 1)
BIRTH_DAYS = (date(2005, 12, 31) - FIRST_BIRTH_DAY).days + 1
HETU_SPACE = BIRTH_DAYS * 100
HETU_STRIDE = 1_000_003  # a prime that does not divide HETU_SPACE: n -> code is one-to-one
# Codes looked up at once when leaving out those in use: well under PostgreSQL's limits.
LOOKUP_CHUNK = 5000


def hetu_for_index(n: int) -> str:
    """The n-th generated personal identity code: valid, and distinct for n < 2,045,400."""
    scrambled = (n * HETU_STRIDE + 7919) % HETU_SPACE
    born = FIRST_BIRTH_DAY + timedelta(days=scrambled % BIRTH_DAYS)
    individual = f"{900 + scrambled // BIRTH_DAYS:03d}"
    ddmmyy = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}"
    sign = "-" if born.year < 2000 else "A"
    return f"{ddmmyy}{sign}{individual}{check_character(ddmmyy, individual)}"


def birth_date_of(hetu: str) -> date:
    century = 1900 if hetu[6] == "-" else 2000
    return date(century + int(hetu[4:6]), int(hetu[2:4]), int(hetu[0:2]))


class HetuSource:
    """Personal identity codes in the generated order, leaving out any already in use."""

    def __init__(self, start: int):
        self.next_index = start

    def take(self, count: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < count:
            if self.next_index + count - len(codes) > HETU_SPACE:
                raise OverflowError("The generated personal identity codes have run out.")
            candidates = [hetu_for_index(self.next_index + n) for n in range(count - len(codes))]
            self.next_index += len(candidates)
            taken = _in_use(candidates)
            codes += [code for code in candidates if code not in taken]
        return codes


def _in_use(codes: list[str]) -> set[str]:
    taken = set()
    for start in range(0, len(codes), LOOKUP_CHUNK):
        taken.update(Client.objects.filter(hetu__in=codes[start:start + LOOKUP_CHUNK])
                     .values_list("hetu", flat=True))
    return taken
