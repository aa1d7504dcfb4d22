"""Amounts and dates as accountants write them: read per cell, settled per column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.check.values import (
    DecimalMark,
    UnreadableValue,
    date_order_option,
    decimal_option,
    format_amount,
    infer_date_order,
    infer_decimal,
    parse_amount,
    parse_date,
)
from importer.errors import ConfigurationError, InputFileError


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("$1,234.50", "1234.50"),
        ("€ 1.234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1'234.50", "1234.50"),
        ("(50.00)", "-50.00"),
        ("-12.00", "-12.00"),
        ("12.00-", "-12.00"),
        ("-$5.00", "-5.00"),
        ("USD 1,234.50", "1234.50"),
        ("MX$1,234.50", "1234.50"),
        ("12 EUR", "12"),
        ("12,5", "12.5"),
        ("0,500", "0.500"),
        ("1.234.567", "1234567"),
        ("1,234,567.89", "1234567.89"),
        ("1234.5", "1234.5"),
    ],
)
def test_amounts_in_every_locale_style_read_alone(text: str, amount: str) -> None:
    """A value that shows its own decimal mark reads the same whatever the column's mark."""
    assert parse_amount(text, decimal=".") == Decimal(amount)
    assert parse_amount(text, decimal=",") == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "dot", "comma"), [("1,234", "1234", "1.234"), ("1.234", "1.234", "1234")]
)
def test_a_lone_mark_before_three_digits_takes_the_columns_mark(
    text: str, dot: str, comma: str
) -> None:
    """1,234 is read with the column's decimal mark, and refused when there is none."""
    assert parse_amount(text, decimal=".") == Decimal(dot)
    assert parse_amount(text, decimal=",") == Decimal(comma)
    with pytest.raises(UnreadableValue, match="--decimal"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["twelve", "1,2,3", "1.234.5", "12abc", "--5", "$"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    """Words, misplaced marks and stray letters are not amounts."""
    with pytest.raises(UnreadableValue) as caught:
        parse_amount(text, decimal=".")
    assert str(caught.value) == f"{text!r} is not an amount."


def test_the_column_decides_the_decimal_mark() -> None:
    """One value with a visible decimal mark settles the ambiguous ones of its column."""
    assert infer_decimal([(2, "1,234"), (3, "12.50")], column="Amount") == "."
    assert infer_decimal([(2, "1.234"), (3, "12,50")], column="Amount") == ","
    assert infer_decimal([(2, "1.234.567"), (3, "1,234")], column="Amount") == ","
    # Nothing ambiguous: any mark reads the column the same.
    assert infer_decimal([(2, "12"), (3, "1.234,50"), (4, "99.5")], column="Amount") == ","


def test_a_column_that_cannot_settle_its_decimal_mark_is_refused() -> None:
    """With only 1,500-like values, or both marks seen, the message names --decimal."""
    with pytest.raises(InputFileError) as nothing:
        infer_decimal([(2, "1,500"), (3, "300")], column="Importe")
    assert str(nothing.value) == (
        'Column "Importe": nothing in it says whether row 2\'s \'1,500\' has "," or "." as '
        'the decimal mark. Run again with --decimal "." (1,234.50) or --decimal "," (1.234,50).'
    )
    with pytest.raises(InputFileError) as both:
        infer_decimal([(2, "1.234,50"), (3, "1,234.50"), (4, "1,234")], column="Amount")
    assert str(both.value) == (
        "Column \"Amount\": it holds both '1.234,50' (row 2) and '1,234.50' (row 3), so row "
        "4's '1,234' cannot be read for sure. Run again with --decimal \".\" (1,234.50) or "
        '--decimal "," (1.234,50).'
    )


STYLES: list[tuple[DecimalMark, str, str]] = [
    # (decimal mark, grouping, how a currency is written around the number)
    (".", ",", "{}"),
    (".", ",", "${}"),
    (".", ",", "USD {}"),
    (".", "'", "{} CHF"),
    (",", ".", "€ {}"),
    (",", ".", "{} EUR"),
    (",", " ", "{} €"),
    (",", "\u00a0", "{}"),
    (".", "", "{}"),
    (",", "", "{}"),
]


@given(
    cents=st.integers(min_value=-(10**11), max_value=10**11),
    style=st.sampled_from(STYLES),
    parentheses=st.booleans(),
)
def test_amounts_format_and_parse_back_unchanged_in_every_style(
    cents: int, style: tuple[DecimalMark, str, str], parentheses: bool
) -> None:
    """Any amount written in a locale's style reads back as the same amount."""
    mark, grouping, currency = style
    amount = Decimal(cents) / 100
    wrapped = parentheses and amount < 0
    written = format_amount(-amount if wrapped else amount, decimal=mark, grouping=grouping)
    text = f"({currency.format(written)})" if wrapped else currency.format(written)
    assert parse_amount(text, decimal=mark) == amount
    assert infer_decimal([(2, text)], column="Amount") in (mark, ".")


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    order=st.sampled_from(["DMY", "MDY"]),
    separator=st.sampled_from(["/", "-", "."]),
)
def test_numeric_dates_read_back_in_their_order(day: date, order: str, separator: str) -> None:
    """A date written day-first or month-first reads back as itself in that order."""
    parts = (day.day, day.month) if order == "DMY" else (day.month, day.day)
    text = f"{parts[0]:02d}{separator}{parts[1]:02d}{separator}{day.year}"
    assert parse_date(text, order=order) == day  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-10-03", date(2026, 10, 3)),
        ("2026/10/03", date(2026, 10, 3)),
        ("2026-10-03 14:30:00", date(2026, 10, 3)),
        ("2026-10-03T14:30:00Z", date(2026, 10, 3)),
        ("20261003", date(2026, 10, 3)),
        ("46298", date(2026, 10, 3)),
        ("46298.5", date(2026, 10, 3)),
        ("3 Oct 2026", date(2026, 10, 3)),
        ("03-Oct-26", date(2026, 10, 3)),
        ("Oct 3, 2026", date(2026, 10, 3)),
        ("3 octubre 2026", date(2026, 10, 3)),
    ],
)
def test_dates_that_need_no_order(text: str, day: date) -> None:
    """ISO dates, Excel serial numbers and month names read the same in either order."""
    assert parse_date(text, order="DMY") == day
    assert parse_date(text, order="MDY") == day


def test_the_column_decides_the_date_order() -> None:
    """A day above 12 anywhere in the column settles the order of every date in it."""
    assert infer_date_order([(2, "03/04/2026"), (3, "25/04/2026")], column="Date") == "DMY"
    assert infer_date_order([(2, "03/04/2026"), (3, "04/25/2026")], column="Date") == "MDY"
    assert infer_date_order([(2, "01/01/2026"), (3, "2026-10-03")], column="Date") == "DMY"
    assert parse_date("25/10/2026 2:30 PM", order="DMY") == date(2026, 10, 25)


def test_a_date_read_alone_is_refused_only_when_it_could_be_two_dates() -> None:
    """Without an order, 25/10/2026 and 10/25/2026 read; 03/04/2026 names --date-format."""
    assert parse_date("25/10/2026") == date(2026, 10, 25)
    assert parse_date("10/25/2026") == date(2026, 10, 25)
    assert parse_date("04/04/2026") == date(2026, 4, 4)
    with pytest.raises(UnreadableValue) as caught:
        parse_date("03/04/2026")
    assert str(caught.value) == (
        "'03/04/2026' could be day/month or month/day; run again with --date-format "
        "DD/MM/YYYY or --date-format MM/DD/YYYY."
    )


def test_a_column_of_ambiguous_dates_is_refused_naming_the_option() -> None:
    """All dates with both numbers up to 12: refused, naming the column and --date-format."""
    with pytest.raises(InputFileError) as caught:
        infer_date_order([(5, "03/04/2026"), (6, "04/05/2026")], column="Fecha")
    assert str(caught.value) == (
        "Column \"Fecha\": no date in it has a day above 12, so row 5's '03/04/2026' could be "
        "day/month or month/day. Run again with --date-format DD/MM/YYYY or --date-format "
        "MM/DD/YYYY."
    )


def test_a_column_mixing_orders_is_refused() -> None:
    """Day-first and month-first dates in one column: refused, naming both rows."""
    with pytest.raises(InputFileError, match=r"row 2: '25/10/2026'.*row 3: '10/26/2026'"):
        infer_date_order([(2, "25/10/2026"), (3, "10/26/2026")], column="Date")


@pytest.mark.parametrize(
    ("text", "order", "message"),
    [
        ("31/02/2026", "DMY", "'31/02/2026' is not a real date (day is out of range for month)."),
        ("25/10/2026", "MDY", "'25/10/2026' is not a real date (month must be in 1..12)."),
        ("03/10/2026", "YMD", "'03/10/2026' is not a date written YYYY-MM-DD."),
        ("yesterday", "DMY", "'yesterday' is not a date this importer reads."),
        (
            "3 Brumaire 2026",
            "DMY",
            "'3 Brumaire 2026': 'Brumaire' is not a month this importer knows.",
        ),
    ],
)
def test_unreadable_dates_say_why(text: str, order: str, message: str) -> None:
    """A date that cannot be read says why, in one sentence."""
    with pytest.raises(UnreadableValue) as caught:
        parse_date(text, order=order)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_options_are_checked() -> None:
    """--decimal and --date-format accept their documented values, in any case."""
    assert decimal_option(",") == ","
    assert decimal_option(None) is None
    assert date_order_option("dd/mm/yyyy") == "DMY"
    assert date_order_option("MM/DD/YYYY") == "MDY"
    with pytest.raises(ConfigurationError, match="use one of DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD"):
        date_order_option("D.M.Y")
    with pytest.raises(ConfigurationError):
        decimal_option(";")
