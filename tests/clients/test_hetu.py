from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clients.hetu import birth_date, is_hetu_ending, mask_hetu

# The published examples of the Digital and Population Data Services Agency for the century
# signs in use since 2023, plus the classic -, + and A.
VALID = [
    ("131052-308T", date(1952, 10, 13)),
    ("150299+9051", date(1899, 2, 15)),
    ("010100A9503", date(2000, 1, 1)),
    ("020504A902E", date(2004, 5, 2)),
    ("010594Y9032", date(1994, 5, 1)),
    ("020594X903P", date(1994, 5, 2)),
    ("030694W9024", date(1994, 6, 3)),
    ("040594V902Y", date(1994, 5, 4)),
    ("050594U903M", date(1994, 5, 5)),
    ("010516B903X", date(2016, 5, 1)),
    ("020516C903K", date(2016, 5, 2)),
    ("030516D9037", date(2016, 5, 3)),
    ("010501E9032", date(2001, 5, 1)),
    ("020503F9037", date(2003, 5, 2)),
]


@pytest.mark.parametrize(("hetu", "born"), VALID)
def test_valid_codes_give_the_date_of_birth(hetu, born):
    assert birth_date(hetu) == born


def test_temporary_individual_numbers_900_to_999_are_accepted():
    assert birth_date("010190-999W") == date(1990, 1, 1)


def test_the_century_sign_is_part_of_the_code_not_normalised_away():
    # Two different persons with the same date and number (DESIGN.md, "HETU").
    assert birth_date("010190-999W") == birth_date("010190Y999W")


@pytest.mark.parametrize(
    ("hetu", "code"),
    [
        ("131052-308U", "checksum"),   # wrong check character
        ("010594Y9033", "checksum"),
        ("310252-308T", "date"),       # 31 February
        ("290201A9022", "date"),       # 2001 is no leap year
        ("131052-000T", "individual_number"),
        ("131052-001T", "individual_number"),
        ("131052308T", "format"),      # no century sign
        ("131052G308T", "format"),     # not a century sign
        ("131052-308", "format"),
        ("13105-2308T", "format"),
        ("", "format"),
    ],
)
def test_invalid_codes_are_refused_with_a_reason(hetu, code):
    with pytest.raises(ValidationError) as error:
        birth_date(hetu)
    assert error.value.code == code


def test_a_date_of_birth_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        birth_date("010150F9006")  # 2050
    assert error.value.code == "date"


def test_the_error_message_is_finnish():
    with pytest.raises(ValidationError) as error:
        birth_date("131052-308U")
    assert "tarkistemerkki" in error.value.messages[0].lower()


def test_lists_show_only_the_last_four_characters():
    assert mask_hetu("131052-308T") == "•••••••308T"
    assert "131052" not in mask_hetu("131052-308T")


@pytest.mark.parametrize(("text", "expected"), [("308T", True), ("9051", True), ("308", False),
                                                ("Matt", False), ("-308T", False)])
def test_hetu_ending(text, expected):
    assert is_hetu_ending(text) is expected
