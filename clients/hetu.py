"""
The Finnish personal identity code (henkilötunnus, HETU).

Format: ddmmyy, a century sign, an individual number and a check character, e.g. 131052-308T.
Individual numbers 002–899 are permanent; 900–999 are temporary codes (hospitals use them) and
are accepted. The century sign tells people apart — 010190-999W and 010190Y999W are two
persons — so it is kept as written, never normalised. Gender is not derived: a reform drops it.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# The letters Y, X, W, V, U and B–F are in use since 1 January 2023.
CENTURY_SIGNS = {
    "+": 1800,
    **dict.fromkeys("-YXWVU", 1900),
    **dict.fromkeys("ABCDEF", 2000),
}

HETU_PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+YXWVUABCDEF])(\d{3})([0-9A-Y])$")
ENDING_PATTERN = re.compile(r"^\d{3}[0-9A-Y]$")


def normalise_hetu(value: str) -> str:
    """Uppercase and without surrounding spaces; the century sign stays as it is."""
    return value.strip().upper()


def check_character(ddmmyy: str, individual_number: str) -> str:
    return CHECK_CHARACTERS[int(ddmmyy + individual_number) % 31]


def birth_date(hetu: str) -> date:
    """The date of birth of a valid HETU; raises ValidationError with a message for the user."""
    match = HETU_PATTERN.match(hetu)
    if not match:
        raise ValidationError(
            _("Enter the personal identity code in the form ddmmyyCnnnX, e.g. 131052-308T."),
            code="format",
        )
    day, month, year, sign, individual, check = match.groups()
    try:
        born = date(CENTURY_SIGNS[sign] + int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("The personal identity code does not begin with a valid date."), code="date"
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("The date of birth in the personal identity code is in the future."), code="date"
        )
    if int(individual) < 2:
        raise ValidationError(
            _("The individual number of the personal identity code must be 002–999."),
            code="individual_number",
        )
    if check != check_character(day + month + year, individual):
        raise ValidationError(
            _("The check character of the personal identity code is wrong. Check the code."),
            code="checksum",
        )
    return born


def validate_hetu(value: str) -> None:
    birth_date(value)


def is_hetu_ending(value: str) -> bool:
    """True for the last four characters of a HETU, the part lists show and search accepts."""
    return bool(ENDING_PATTERN.match(value))


def mask_hetu(hetu: str) -> str:
    """Only the last four characters, for lists: 131052-308T -> •••••••308T."""
    return "•" * 7 + hetu[-4:]
