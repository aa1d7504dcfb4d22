"""Amounts and dates as accountants write them, read without guessing.

A payments file is read as text (see ``loader``); this module turns that text into a
``Decimal`` or a ``date``. What a single value cannot settle on its own (is ``1,234`` one
thousand two hundred and thirty-four, or one and a bit? is ``03/04/2026`` the 3rd of April or
March the 4th?) is settled once per column from all of its values: a ``1.234,50`` elsewhere in
the column says the comma is the decimal mark, a ``25/03/2026`` says the day comes first. When
nothing in the column settles it, the column is refused with a message naming the option that
does (``--decimal``, ``--date-format``): a wrong guess would record the wrong money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from importer.errors import ConfigurationError, InputFileError

DecimalMark = Literal[".", ","]
DateOrder = Literal["DMY", "MDY", "YMD"]

DECIMAL_MARKS: tuple[DecimalMark, ...] = (".", ",")
# What --date-format accepts, in the accountant's notation, and the order each one means.
DATE_FORMATS: dict[str, DateOrder] = {
    "DD/MM/YYYY": "DMY",
    "MM/DD/YYYY": "MDY",
    "YYYY-MM-DD": "YMD",
}


def decimal_option(text: str | None) -> DecimalMark | None:
    """The mark --decimal names ("." or ","), None when not given; ConfigurationError else."""
    if text is None:
        return None
    for mark in DECIMAL_MARKS:
        if text.strip() == mark:
            return mark
    raise ConfigurationError(f'--decimal {text!r}: use --decimal "." or --decimal ",".')


def date_order_option(text: str | None) -> DateOrder | None:
    """The order --date-format names (DD/MM/YYYY…), None when not given; ConfigurationError else."""
    if text is None:
        return None
    order = DATE_FORMATS.get(text.strip().upper())
    if order is None:
        raise ConfigurationError(f"--date-format {text!r}: use one of {', '.join(DATE_FORMATS)}.")
    return order


def quoted(cell: str, limit: int = 60) -> str:
    """A cell's text in quotes for a message, cut short: a message names a cell, it does not
    carry a megabyte of it."""
    return repr(cell if len(cell) <= limit else cell[: limit - 1] + "…")


class UnreadableValue(ValueError):
    """A cell that is not an amount (or not a date) in any reading; its message says why."""


class AmountTooLarge(UnreadableValue):
    """An amount past ``MAX_AMOUNT``: a typing slip, or a cell that is no payment at all."""


# No payment is this large; past it an amount is a slip (a reference pasted into the amount
# column), and 27 digits and more are beyond what Decimal rounds to the cent.
MAX_AMOUNT = Decimal("999999999999.99")


def _other_digits(text: str) -> None:
    """UnreadableValue for a cell holding digits other than 0 to 9 (Arabic-Indic, full-width...).

    Amounts and dates alike are read with the digits 0 to 9 only: what a spreadsheet writes
    for a number or a date. Other scripts' digits come from text typed or pasted, and were
    once read in dates while refused in amounts.
    """
    for character in text:
        if character.isdecimal() and not "0" <= character <= "9":
            raise UnreadableValue(f"{quoted(text)} has digits other than 0 to 9 ({character!r}).")


# --- amounts -----------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007']")
_MINUS = "-\u2212\u2013"  # hyphen, minus sign, en dash: all seen in exports as a minus
_SYMBOLS = "$€£¥₹"
# A currency before or after the number: a code (USD), a symbol ($) or both (US$, MX$).
_CURRENCY_BEFORE = re.compile(rf"^(?:[A-Z]{{3}}|[A-Z]{{0,2}}[{_SYMBOLS}])")
_CURRENCY_AFTER = re.compile(rf"(?:[A-Z]{{3}}|[{_SYMBOLS}])$")
_NUMBER = re.compile(r"[0-9.,]*[0-9][0-9.,]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})*")
# What a cell shows when its formula fails (a lookup that found nothing: #N/A).
_EXCEL_ERROR = re.compile(
    r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)"
)
# Most cells are plain (1234, 1234.5, 1234,50): no sign, symbol, space or thousands mark.
_PLAIN = re.compile(r"([0-9]+)(?:([.,])([0-9]{1,2}))?")


@dataclass(frozen=True)
class _Amount:
    """One amount cell taken apart: its sign, its digits, and what its marks say."""

    negative: bool
    # The decimal mark this value shows on its own, or None if it shows none.
    decimal: DecimalMark | None
    # True when the value reads differently with "." and "," as the decimal mark.
    ambiguous: bool
    number: str


def _take_apart(text: str) -> _Amount:
    core = _SPACES.sub("", text)
    negative = False
    if core.startswith("(") and core.endswith(")"):
        negative, core = True, core[1:-1]
    if core[:1] in _MINUS:
        negative, core = True, core[1:]
    core = _CURRENCY_BEFORE.sub("", core, count=1)
    if core[:1] in _MINUS and not negative:
        negative, core = True, core[1:]
    core = _CURRENCY_AFTER.sub("", core, count=1)
    if core[-1:] in _MINUS and not negative:
        negative, core = True, core[:-1]
    if not _NUMBER.fullmatch(core):
        if _EXCEL_ERROR.fullmatch(text):
            raise UnreadableValue(_excel_error(text, "an amount"))
        raise UnreadableValue(f"{quoted(text)} is not an amount.")
    dots, commas = core.count("."), core.count(",")
    if dots and commas:
        mark: DecimalMark = "." if core.rfind(".") > core.rfind(",") else ","
        whole, _, fraction = core.rpartition(mark)
        if whole.count(mark) or not _GROUPED.fullmatch(whole):
            raise UnreadableValue(f"{quoted(text)} is not an amount.")
        return _Amount(negative, mark, False, f"{_digits(whole)}.{fraction}")
    if dots + commas == 0:
        return _Amount(negative, None, False, core)
    separator: DecimalMark = "." if dots else ","
    other: DecimalMark = "," if dots else "."
    if dots + commas > 1:
        # The same mark more than once can only be separating thousands.
        if not _GROUPED.fullmatch(core):
            raise UnreadableValue(f"{quoted(text)} is not an amount.")
        return _Amount(negative, other, False, _digits(core))
    whole, _, fraction = core.partition(separator)
    if len(fraction) == 3 and _GROUPED.fullmatch(core) and whole != "0":
        # 1,234 or 1.234: a thousands separator or a decimal mark, the column will say which.
        return _Amount(negative, None, True, core)
    return _Amount(negative, separator, False, f"{whole or '0'}.{fraction or '0'}")


def _excel_error(text: str, wanted: str) -> str:
    return (
        f"{quoted(text)} is an Excel error, not {wanted}: correct the formula in Excel, or type "
        f"{wanted} instead."
    )


def _digits(grouped: str) -> str:
    return grouped.replace(".", "").replace(",", "")


# The currency an amount cell names, as _take_apart finds it before or after the number.
_WRITTEN_CURRENCY = re.compile(
    rf"^[(\-\u2212\u2013]*(?P<before>[A-Z]{{3}}|[A-Z]{{0,2}}[{_SYMBOLS}])"
    rf"|(?P<after>[A-Z]{{3}}|[{_SYMBOLS}])[)\-\u2212\u2013]*$"
)


def written_currency(text: str) -> str | None:
    """The currency an amount cell names (``5 EUR``, ``€5.00``, ``US$ 7``), as written: three
    capital letters, or a symbol; None when it names none."""
    if _PLAIN.fullmatch(text):
        return None
    found = _WRITTEN_CURRENCY.search(_SPACES.sub("", text))
    if found is None:
        return None
    return found.group("before") or found.group("after")


def parse_amount(text: str, *, decimal: DecimalMark | None = None) -> Decimal:
    """The amount a cell shows, signed; ``decimal`` settles values such as ``1,234``.

    UnreadableValue when the cell is not an amount, or is ambiguous and ``decimal`` is None.
    """
    if _PLAIN.fullmatch(text):
        # The same reading as _take_apart's, without its substitutions or the record it builds,
        # for the cells nearly every file is made of: without it the 100k-row workbook of
        # benchmarks/bench_validate.py took 4.3 to 5.0 s to read and check (target 5 s).
        return _at_most_max(Decimal(text.replace(",", ".")), text)
    _other_digits(text)
    parts = _take_apart(text)
    number = parts.number
    if parts.ambiguous:
        if decimal is None:
            raise UnreadableValue(
                f'{quoted(text)} could be read with "." or "," as the decimal mark; '
                'run again with --decimal "." or --decimal ",".'
            )
        separator = "," if "," in number else "."
        number = number.replace(separator, "." if separator == decimal else "")
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise UnreadableValue(f"{quoted(text)} is not an amount.") from None
    return _at_most_max(-amount if parts.negative else amount, text)


def _at_most_max(amount: Decimal, text: str) -> Decimal:
    # copy_abs, not abs(): exact, where abs() rounds and overflows on a thousand digits.
    if amount.copy_abs() > MAX_AMOUNT:
        raise AmountTooLarge(
            f"{quoted(text)} is more than {format_amount(MAX_AMOUNT)}, far more than any payment."
        )
    return amount


def infer_decimal(cells: Iterable[tuple[int, str]], *, column: str) -> DecimalMark:
    """The decimal mark of a column of amounts, from all of its (row, text) cells.

    InputFileError when the column holds values that read differently with either mark and no
    value settles which: the user must say it with --decimal.
    """
    votes: dict[DecimalMark, tuple[int, str]] = {}
    ambiguous: tuple[int, str] | None = None
    for row, text in cells:
        if not text:
            continue
        if plain := _PLAIN.fullmatch(text):
            # A plain amount shows its mark, if any, without being taken apart.
            written = plain.group(2)
            if written is not None and written not in votes:
                votes["." if written == "." else ","] = (row, text)
            continue
        try:
            parts = _take_apart(text)
        except UnreadableValue:
            continue  # the row's own problem, reported when the row is checked
        if parts.ambiguous:
            ambiguous = ambiguous or (row, text)
        elif parts.decimal is not None:
            votes.setdefault(parts.decimal, (row, text))
    if ambiguous is None:
        # Nothing depends on the mark; "." is as good as ",".
        return next(iter(votes), ".")
    if len(votes) == 1:
        return next(iter(votes))
    row, text = ambiguous
    if votes:
        seen = " and ".join(f"{quoted(value)} (row {number})" for number, value in votes.values())
        why = f"it holds both {seen}, so row {row}'s {quoted(text)} cannot be read for sure"
    else:
        why = (
            f'nothing in it says whether row {row}\'s {quoted(text)} has "," or "." as the '
            "decimal mark"
        )
    raise InputFileError(
        f'Column "{column}": {why}. Run again with --decimal "." (1,234.50) '
        'or --decimal "," (1.234,50).'
    )


def format_amount(
    amount: Decimal, *, decimal: DecimalMark = ".", grouping: str | None = None
) -> str:
    """An amount written with 2 decimals the way a locale writes it (``1.234,50``)."""
    if grouping is None:
        grouping = "," if decimal == "." else "."
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return sign + grouping.join([whole, *groups]) + decimal + cents


# --- dates -------------------------------------------------------------------------------

# An optional time after a date (14:30, 2:30 PM, 14:30:00.000Z): checked, then not kept.
_TIME = (
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:(?P<half>[AaPp])\.?[Mm]\.?)?(?:Z|[+-](?P<zone>\d{2}):?(?P<zone_minute>\d{2}))?)?"
)
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMERIC = re.compile(rf"(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}")
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_DAY_MONTH_NAME = re.compile(
    rf"(\d{{1,2}})[-/ .]+([^\W\d_]{{3,10}})\.?[-/ .,]+(\d{{4}}|\d{{2}}){_TIME}"
)
_MONTH_NAME_DAY = re.compile(rf"([^\W\d_]{{3,10}})\.?[ ]+(\d{{1,2}}),?[ ]+(\d{{4}}){_TIME}")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "ene", "enero"),
            ("feb", "february", "febrero"),
            ("mar", "march", "marzo"),
            ("apr", "april", "abr", "abril"),
            ("may", "mayo"),
            ("jun", "june", "junio"),
            ("jul", "july", "julio"),
            ("aug", "august", "ago", "agosto"),
            ("sep", "sept", "september", "septiembre", "set", "setiembre"),
            ("oct", "october", "octubre"),
            ("nov", "november", "noviembre"),
            ("dec", "december", "dic", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in); 5-digit serials are
# the years 1927 to 2173, which covers every payment date and no plausible invoice number.
_EXCEL_EPOCH = date(1899, 12, 30)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _day_and_month(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) for a numeric date such as 03/04/2026, else None."""
    if match := _NUMERIC.fullmatch(text):
        return int(match[1]), int(match[2]), _year(match[3])
    return None


def _time_of_day(match: re.Match[str]) -> None:
    """ValueError for a time no clock shows (25:00, 10:75, 13:00 PM, +25:00): "2 November at
    25:00" is not 2 November, it is a cell that is not what it seems."""
    if match["hour"] is None:
        return
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    shown = match.group(0)[match.start("hour") - match.start() :].strip()
    late = hour > (12 if match["half"] else 23) or (match["half"] and hour == 0)
    if late or minute > 59 or second > 59:
        raise ValueError(f"{shown} is not a time of day")
    if match["zone"] is not None and (int(match["zone"]) > 14 or int(match["zone_minute"]) > 59):
        zone = match.group(0)[match.start("zone") - 1 - match.start() :]
        raise ValueError(f"{zone} is not a time zone")


def parse_date(text: str, *, order: DateOrder | None = None) -> date:
    """The date a cell shows (time of day dropped); ``order`` settles 03/04/2026.

    UnreadableValue when the cell is not a date in that order, or when ``order`` is None and
    the cell could be read day-first and month-first as two different dates.
    """
    text = text.strip()
    _other_digits(text)
    try:
        if match := _ISO.fullmatch(text):
            _time_of_day(match)
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _COMPACT.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _SERIAL.fullmatch(text):
            return _EXCEL_EPOCH + timedelta(days=int(match[1]))
        if match := _NUMERIC.fullmatch(text):
            _time_of_day(match)
            first, second, year = int(match[1]), int(match[2]), _year(match[3])
            if order is None:
                order = _order_of(first, second)
            if order is None:
                raise UnreadableValue(
                    f"{quoted(text)} could be day/month or month/day; run again with "
                    "--date-format DD/MM/YYYY or --date-format MM/DD/YYYY."
                )
            if order == "DMY":
                return date(year, second, first)
            if order == "MDY":
                return date(year, first, second)
            raise UnreadableValue(f"{quoted(text)} is not a date written YYYY-MM-DD.")
        if match := _DAY_MONTH_NAME.fullmatch(text):
            _time_of_day(match)
            return date(_year(match[3]), _month(match[2], text), int(match[1]))
        if match := _MONTH_NAME_DAY.fullmatch(text):
            _time_of_day(match)
            return date(int(match[3]), _month(match[1], text), int(match[2]))
    except ValueError as error:
        if isinstance(error, UnreadableValue):
            raise
        raise UnreadableValue(f"{quoted(text)} is not a real date ({error}).") from None
    if _EXCEL_ERROR.fullmatch(text):
        raise UnreadableValue(_excel_error(text, "a date"))
    raise UnreadableValue(f"{quoted(text)} is not a date this importer reads.")


def _order_of(first: int, second: int) -> DateOrder | None:
    """The order a numeric date shows on its own: a day above 12, or the same number twice."""
    if first > 12 or first == second:
        return "DMY"
    if second > 12:
        return "MDY"
    return None


def _month(name: str, text: str) -> int:
    number = _MONTHS.get(name.casefold())
    if number is None:
        raise UnreadableValue(f"{quoted(text)}: {name!r} is not a month this importer knows.")
    return number


def infer_date_order(cells: Iterable[tuple[int, str]], *, column: str) -> DateOrder:
    """Day-first or month-first for a column of dates, from all of its (row, text) cells.

    A day above 12 decides. InputFileError when every numeric date could be either (the user
    must say it with --date-format), or when some rows say day-first and others month-first.
    """
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    undecided: tuple[int, str] | None = None
    for row, text in cells:
        parts = _day_and_month(text.strip())
        if parts is None:
            continue  # ISO, a serial, a month name, or unreadable: none depends on the order
        first, second = parts[0], parts[1]
        if first > 12 >= second:
            day_first = day_first or (row, text)
        elif second > 12 >= first:
            month_first = month_first or (row, text)
        elif first != second and first <= 12 and second <= 12:
            undecided = undecided or (row, text)
    options = "--date-format DD/MM/YYYY or --date-format MM/DD/YYYY"
    if day_first and month_first:
        raise InputFileError(
            f'Column "{column}" mixes day-first dates (row {day_first[0]}: {quoted(day_first[1])}) '
            f"and month-first dates (row {month_first[0]}: {quoted(month_first[1])}). Correct the "
            f"rows that are wrong, or run again with {options} to say which is meant."
        )
    if day_first:
        return "DMY"
    if month_first:
        return "MDY"
    if undecided:
        row, text = undecided
        raise InputFileError(
            f'Column "{column}": no date in it has a day above 12, so row {row}\'s {quoted(text)} '
            f"could be day/month or month/day. Run again with {options}."
        )
    return "DMY"  # every date reads the same either way
