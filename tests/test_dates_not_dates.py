"""A date cell that is not a date is a row problem: a time no clock shows is not dropped to
keep the day (2026-11-02T25:00 was recorded as 2 November), and dates follow the amounts'
one rule for digits, 0 to 9 only, with the same words."""

from __future__ import annotations

from datetime import date

import pytest

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.values import UnreadableValue, parse_amount, parse_date
from importer.read.files import load
from tests.conftest import TODAY
from tests.make_hostile import HOSTILE

WRITE = "Write it as YYYY-MM-DD."
UNREADABLE = "date.unreadable"


def not_real(text: str, why: str) -> str:
    return f"{text!r} is not a real date ({why}). {WRITE}"


def other_digits(text: str, digit: str) -> str:
    return f"{text!r} has digits other than 0 to 9 ({digit!r}). {WRITE}"


def test_every_date_that_is_not_a_date_is_its_rows_problem() -> None:
    """Times past the clock, time zones past the globe and other scripts' digits are each a
    date.unreadable problem saying which; real times of day are read past."""
    validation = validate_file(load(HOSTILE / "not-dates.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.code, p.message) for p in validation.problems] == [
        (2, UNREADABLE, not_real("2026-11-02T25:00", "25:00 is not a time of day")),
        (3, UNREADABLE, not_real("2026-11-02 23:60", "23:60 is not a time of day")),
        (4, UNREADABLE, not_real("20/11/2026 13:00 PM", "13:00 PM is not a time of day")),
        (5, UNREADABLE, not_real("2026-11-02T10:00+25:00", "+25:00 is not a time zone")),
        (6, UNREADABLE, other_digits("٢٠٢٦-١١-٠٢", "٢")),
        (7, UNREADABLE, other_digits("２０２６-１１-０２", "２")),
        (8, UNREADABLE, not_real("2 Nov 2026 24:00", "24:00 is not a time of day")),
        (9, UNREADABLE, other_digits("۲۰۲۶/۱۱/۰۲", "۲")),
    ]
    assert [(p.row, p.paid_on) for p in validation.payments] == [
        (10, date(2026, 11, 2)),
        (11, date(2026, 11, 2)),
    ]


@pytest.mark.parametrize(
    "text",
    ["2026-11-02 0:30 AM", "2026-11-02 12:60 PM", "02/11/2026 99:99", "Nov 2, 2026 30:00",
     "2026-11-02T10:00:61", "2026-11-02T10:00-14:60"],
)  # fmt: skip
def test_times_no_clock_shows_are_refused(text: str) -> None:
    """An hour, minute, second or time zone past what a clock shows makes the cell no date."""
    with pytest.raises(UnreadableValue, match="is not a real date"):
        parse_date(text, order="DMY")


@pytest.mark.parametrize(
    "text",
    ["2026-11-02 00:00", "2026-11-02T23:59:59.999Z", "02/11/2026 12:00 AM",
     "2026-11-02T10:00-14:00", "2 Nov 2026 9:05 pm"],
)  # fmt: skip
def test_times_of_day_are_read_past(text: str) -> None:
    """Real times of day are read past, the day kept."""
    assert parse_date(text, order="DMY") == date(2026, 11, 2)


# One of each script's digits that Unicode calls decimal: the rule is the same for both.
DIGITS = ["\u0662", "\u06f2", "\u0968", "\u09e8", "\u0e52", "\uff12", "\U0001d7d0"]


@pytest.mark.parametrize("digit", DIGITS)
def test_amounts_and_dates_refuse_other_digits_in_the_same_words(digit: str) -> None:
    """A digit other than 0 to 9 is refused alike in an amount and in a date."""
    with pytest.raises(UnreadableValue) as amount:
        parse_amount(f"1{digit}.00")
    with pytest.raises(UnreadableValue) as day:
        parse_date(f"2026-11-0{digit}")
    assert str(amount.value) == f"'1{digit}.00' has digits other than 0 to 9 ({digit!r})."
    assert str(day.value) == f"'2026-11-0{digit}' has digits other than 0 to 9 ({digit!r})."
