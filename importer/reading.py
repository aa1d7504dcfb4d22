"""The reading options in people's words: the choices a person is offered for each (the
workbench's Columns step), what the file itself settled where none is chosen, and the choices
made turned into the ``ReadingChoices`` the command line builds from its flags.

Each choice's value is what the command line's flag takes (``--date-format DD/MM/YYYY``), so
the page and ``importer run`` read a file the same way, and a template saved from the page
keeps the dates and decimal mark where a template file keeps them (its ``[format]``).
"""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from importer.check.mapping import ColumnMap
from importer.check.rows import map_file
from importer.check.templates import Template
from importer.check.values import (
    UnreadableValue,
    decimal_option,
    infer_date_order,
    infer_decimal,
    parse_amount,
    parse_date,
)
from importer.choices import ReadingChoices
from importer.errors import ConfigurationError, ImporterError
from importer.opening import OpenedFile
from importer.read.layout import PaymentsFile
from importer.review import UnmappedFile
from importer.words import encoding_words

__all__ = [
    "DATE_CHOICES",
    "DECIMAL_CHOICES",
    "DELIMITER_CHOICES",
    "ENCODING_CHOICES",
    "ReadingOption",
    "chosen_reading",
    "reading_options",
]

# (the flag's value, the words a person chooses it by), in the order offered.
DATE_CHOICES = (
    ("DD/MM/YYYY", "Day first (31/12/2026)"),
    ("MM/DD/YYYY", "Month first (12/31/2026)"),
    ("YYYY-MM-DD", "Year first (2026-12-31)"),
)
DECIMAL_CHOICES = ((".", "1,234.56 (point)"), (",", "1.234,56 (comma)"))
ENCODING_CHOICES = (
    ("utf-8", "Unicode (UTF-8)"),
    ("utf-16", "Unicode (UTF-16, Excel's Unicode text)"),
    ("cp1252", "Windows (Western European)"),
    ("mac_roman", "Mac Roman"),
    ("latin_1", "Latin-1"),
    ("iso8859_15", "Latin-9 (Latin-1 with the € sign)"),
    ("cp850", "DOS (Western European)"),
    ("cp1250", "Windows (Central European)"),
    ("cp1251", "Windows (Cyrillic)"),
    ("cp1253", "Windows (Greek)"),
    ("cp1254", "Windows (Turkish)"),
)
DELIMITER_CHOICES = (
    (",", "Comma (,)"),
    (";", "Semicolon (;)"),
    ("tab", "Tab"),
    ("|", "Vertical bar (|)"),
)
_ORDER_VALUES = {"DMY": "DD/MM/YYYY", "MDY": "MM/DD/YYYY", "YMD": "YYYY-MM-DD"}
_DELIMITER_VALUES = {",": ",", ";": ";", "\t": "tab", "|": "|"}


@dataclass(frozen=True)
class ReadingOption:
    """One reading option as a person chooses it: its name (the ``ReadingChoices`` field),
    its label, the choices, the one chosen ("" for what the file says), and the words for
    what the file says."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    chosen: str
    found: str


def reading_options(review: OpenedFile | UnmappedFile) -> list[ReadingOption]:
    """The options that say how ``review``'s file is read: the dates and the decimal mark of
    any file, and for a text file its encoding and column separator too."""
    file, reading = review.file, review.reading
    template = reading.template
    column_map = review.validation.column_map if isinstance(review, OpenedFile) else None
    if column_map is None and template is not None:
        try:
            column_map = map_file(file, template)
        except ImporterError:
            column_map = None
    options = [
        ReadingOption(
            "date_format",
            "Dates",
            DATE_CHOICES,
            _given(reading.date_format, DATE_CHOICES),
            _dates_found(file, column_map, template),
        ),
        ReadingOption(
            "decimal",
            "Decimal mark",
            DECIMAL_CHOICES,
            _given(reading.decimal, DECIMAL_CHOICES),
            _decimal_found(file, column_map, template),
        ),
    ]
    if file.format == "csv":
        options += [
            ReadingOption(
                "encoding",
                "Encoding",
                ENCODING_CHOICES,
                _given(reading.encoding, ENCODING_CHOICES),
                _found(_words_for_encoding(file.encoding)),
            ),
            ReadingOption(
                "delimiter",
                "Column separator",
                DELIMITER_CHOICES,
                _given(reading.delimiter, DELIMITER_CHOICES),
                _found(_words(_DELIMITER_VALUES.get(file.delimiter or ""), DELIMITER_CHOICES)),
            ),
        ]
    return options


def chosen_reading(reading: ReadingChoices, form: Mapping[str, Any]) -> ReadingChoices:
    """``reading`` with the options as chosen in ``form`` (each by its name; empty for what the
    file says), the values the command line's flags take. ConfigurationError for a value that
    is not one of the choices."""
    chosen: dict[str, str | None] = {}
    for name, label, choices in (
        ("date_format", "Dates", DATE_CHOICES),
        ("decimal", "Decimal mark", DECIMAL_CHOICES),
        ("encoding", "Encoding", ENCODING_CHOICES),
        ("delimiter", "Column separator", DELIMITER_CHOICES),
    ):
        value = str(form.get(name, "") or "")
        if value and value not in dict(choices):
            raise ConfigurationError(
                f"{label}: {value[:30]!r} is not one of the choices. Choose one from the list, "
                'or "Found from the file".'
            )
        chosen[name] = value or None
    return dataclasses.replace(
        reading,
        date_format=chosen["date_format"],
        decimal=chosen["decimal"],
        encoding=chosen["encoding"],
        delimiter=chosen["delimiter"],
    )


def _given(value: str | None, choices: Iterable[tuple[str, str]]) -> str:
    """The choice a reading option's value is (as the command line may spell it), or ""."""
    if value is None:
        return ""
    for choice, _words in choices:
        if _same(value, choice):
            return choice
    return ""


def _same(value: str, choice: str) -> bool:
    if value.strip().upper() == choice.upper():
        return True
    try:
        return codecs.lookup(value).name == codecs.lookup(choice).name
    except LookupError:
        return False


def _words(value: str | None, choices: Iterable[tuple[str, str]]) -> str:
    return next((words for choice, words in choices if choice == value), "")


def _words_for_encoding(encoding: str | None) -> str:
    if encoding is None:
        return ""
    given = _given(encoding, ENCODING_CHOICES)
    return _words(given, ENCODING_CHOICES) if given else encoding_words(encoding)


def _found(words: str) -> str:
    return f"Found from the file: {words}" if words else "Found from the file"


def _dates_found(
    file: PaymentsFile, column_map: ColumnMap | None, template: Template | None
) -> str:
    if template is not None and template.date_format:
        return _as_template_says(_words(_given(template.date_format, DATE_CHOICES), DATE_CHOICES))
    cells = _cells(file, column_map, "payment_date")
    return _settled(
        cells,
        _date_read,
        ("DMY", "MDY"),
        lambda: _words(_ORDER_VALUES[infer_date_order(cells, column="")], DATE_CHOICES),
        what="date",
    )


def _decimal_found(
    file: PaymentsFile, column_map: ColumnMap | None, template: Template | None
) -> str:
    if template is not None and decimal_option(template.decimal):
        return _as_template_says(_words(template.decimal, DECIMAL_CHOICES))
    numbers = (
        file.number_cells.get(column_map.columns["amount"][0], frozenset())
        if column_map is not None and "amount" in column_map.columns
        else frozenset()
    )
    cells = [cell for cell in _cells(file, column_map, "amount") if cell[0] not in numbers]
    return _settled(
        cells,
        _amount_read,
        (".", ","),
        lambda: _words(infer_decimal(cells, column=""), DECIMAL_CHOICES),
        what="amount",
    )


def _settled(
    cells: list[tuple[int, str]],
    read: Callable[[str, str], object],
    ways: tuple[str, str],
    inferred: Callable[[], str],
    *,
    what: str,
) -> str:
    """What the file says of an option: nothing (no cells), that it does not matter (every
    cell reads the same both ways), that it cannot tell, or the way its cells settle."""
    if not cells:
        return _found("")
    if not _depends(cells, read, ways):
        return _found(f"each {what} reads the same either way")
    try:
        return _found(inferred())
    except ImporterError:
        return _found("cannot tell; choose one")


def _as_template_says(words: str) -> str:
    return f"As the template says: {words}"


def _cells(
    file: PaymentsFile, column_map: ColumnMap | None, field_name: str
) -> list[tuple[int, str]]:
    if column_map is None or field_name not in column_map.columns:
        return []
    index = column_map.columns[field_name][0]
    return [
        (row.number, row.cells[index].strip())
        for row in file.rows
        if index < len(row.cells) and row.cells[index].strip()
    ]


def _depends(
    cells: Iterable[tuple[int, str]], read: Callable[[str, str], object], ways: tuple[str, str]
) -> bool:
    """True when some cell reads differently one way and the other: only then does the file
    have anything to say about the option."""
    first, second = ways
    return any(read(text, first) != read(text, second) for _row, text in cells)


def _date_read(text: str, order: str) -> object:
    try:
        return parse_date(text, order=order)  # type: ignore[arg-type]
    except UnreadableValue:
        return None


def _amount_read(text: str, mark: str) -> object:
    try:
        return parse_amount(text, decimal=mark)  # type: ignore[arg-type]
    except UnreadableValue:
        return None
