"""Where the payments lie among a sheet's rows, and the ``PaymentsFile`` they make.

A sheet as exported holds more than payments: title lines above the header ("Deposit date:
| 03/10/2026"), blank rows and columns, a totals row under the payments and a line or two
under that ("Page 1 of 1"). The header is found among the first rows, blanks are dropped, and
the totals row is kept apart as a control total, never as a payment. CSVs and workbooks are
laid out alike; only how their cells become text differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from importer.errors import InputFileError

# The header is looked for among the first rows only: title lines are a handful.
HEADER_SEARCH_ROWS = 50
# A report's lines under its totals row ("Printed by", "Page 1 of 1") that are passed over.
_MAX_FOOTER_ROWS = 3
_NUMERIC = re.compile(r"[-+(]?[\s$€£¥]*[0-9][0-9\s.,/:'$€£¥()+-]*[A-Za-z]{0,3}")
_TOTAL_WORDS = re.compile(r"(grand\s+)?(totals?|totales|total\s+general|suma|summe|sum)\b.*")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T][0-9:. APMapm]*)?")


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as the user sees it: its sheet, its row number and its cells as text."""

    sheet: str
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ControlTotal:
    """A totals row under the payments: not a payment, but the sum the file says they make."""

    sheet: str
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PaymentsFile:
    """A loaded payments file: its header and its data rows, blanks already dropped."""

    path: Path
    format: str
    sheet: str
    columns: tuple[str, ...]
    rows: Sequence[SourceRow]
    header_row: int = 1
    total: ControlTotal | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # Things the user should know about how the file was read (which sheet, which encoding).
    notes: tuple[str, ...] = ()
    # Column index -> the rows whose cell there is a workbook number, not text. Its text is
    # the number written with "." and no thousands mark, whatever the column's text says:
    # 12.345 is twelve and a bit even beside "1.234,50", so it is read with ".", and it does
    # not vote on how the column's text is written.
    number_cells: Mapping[int, frozenset[int]] = field(default_factory=dict)
    # Every sheet of a workbook, the one read among them.
    sheets: tuple[str, ...] = ()
    # Column index -> the rows whose cell there is a workbook date or time: its text is the
    # ISO date (and time), so a results workbook can write the date back as a date.
    date_cells: Mapping[int, frozenset[int]] = field(default_factory=dict)
    # Each column's place in the sheet (from A = 0), blank columns being dropped; empty when
    # each is where it stands.
    sheet_columns: tuple[int, ...] = ()


# Whether a row of headers is one the caller can use: it holds the template's columns.
HeaderCheck = Callable[[Sequence[str]], bool]


def find_header(head: Sequence[Sequence[str]], fits: HeaderCheck | None = None) -> int:
    """Index of the header among the first non-blank rows: a row of words, the widest.

    Title lines hold numbers and dates ("Deposit date: | 03/10/2026") or are narrower than
    the table ("Account Name: | ACME Trading" above six columns); a header holds only words.
    A row that ``fits`` the caller's template wins over a wider one.
    """
    filled = [[cell for cell in cells if cell] for cells in head]
    words = [
        index
        for index, cells in enumerate(filled)
        if len(cells) >= 2 and not any(_NUMERIC.fullmatch(cell) for cell in cells)
    ]
    if fits is not None:
        for index in words:
            if fits(head[index]):
                return index
    # The first of the widest: max keeps the first of equals.
    return max(words, key=lambda index: len(filled[index]), default=0)


def payments_file(
    path: Path,
    *,
    file_format: str,
    sheet: str,
    header: Sequence[str],
    header_row: int,
    rows: list[SourceRow],
    number_cells: Mapping[int, frozenset[int]] | None = None,
    date_cells: Mapping[int, frozenset[int]] | None = None,
    notes: tuple[str, ...] = (),
) -> PaymentsFile:
    """The file of the non-blank ``rows`` under ``header``: totals row apart, blank columns out.

    Rows may be of any length: a short one (a totals row, a row that lost its trailing empty
    fields) is padded with empty cells, and a wider one widens the table. ``number_cells`` is
    by column as read, before blank columns are dropped, and holds no empty set; so is
    ``date_cells``.
    """
    width = max(len(header), max((len(row.cells) for row in rows), default=0))
    rows = [
        row
        if len(row.cells) == width
        else SourceRow(row.sheet, row.number, row.cells + ("",) * (width - len(row.cells)))
        for row in rows
    ]
    total = None
    tail = rows[-_MAX_FOOTER_ROWS - 1 :]
    below = _rows_under_total(tail, header)
    if below is not None:
        total = tail[-1 - below]
        notes += _footer_notes(tail[len(tail) - below :])
        del rows[len(rows) - 1 - below :]
    if not rows:
        raise InputFileError(
            f"{path}: the file has a header but no payment rows (header on row {header_row})."
        )
    named = [*header, *[""] * (width - len(header))]
    kept = [
        index for index in range(width) if named[index] or any(row.cells[index] for row in rows)
    ]
    numbers = number_cells or {}
    dates = date_cells or {}
    if len(kept) < width:
        rows = [SourceRow(row.sheet, row.number, _only(row.cells, kept)) for row in rows]
    return PaymentsFile(
        path,
        file_format,
        sheet,
        _only(named, kept),
        rows,
        header_row=header_row,
        total=None
        if total is None
        else ControlTotal(sheet, total.number, _only(total.cells, kept)),
        notes=notes,
        number_cells={at: numbers[index] for at, index in enumerate(kept) if index in numbers},
        date_cells={at: dates[index] for at, index in enumerate(kept) if index in dates},
        sheet_columns=tuple(kept) if len(kept) < width else (),
    )


def _only(cells: Sequence[str], kept: list[int]) -> tuple[str, ...]:
    return tuple([cells[index] for index in kept])


def column_letters(index: int) -> str:
    """Excel's name of the column at ``index`` from 0: A, B, … Z, AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _rows_under_total(tail: Sequence[SourceRow], header: Sequence[str]) -> int | None:
    """How many footer lines stand under the totals row among the last rows, or None.

    A report often ends with a line or two under its total ("Printed 2026-10-05 by ana",
    "Page 1 of 1"): words only, as narrow as a title line. They are passed over only to
    reach a totals row; without one above them, they stay rows like any other.
    """
    for below in range(len(tail)):
        cells = tail[-1 - below].cells
        if _is_total(cells, header):
            return below
        filled = [cell for cell in cells if cell]
        if len(filled) > max(1, _width(header) // 2) or any(
            _NUMERIC.fullmatch(cell) for cell in filled
        ):
            return None
    return None


def _is_total(cells: Sequence[str], header: Sequence[str]) -> bool:
    """A row that says Total (Totales, Suma…) by its sum, or a narrow row of one number.

    "Total" with its amount, and perhaps a date, is a totals row in any column and at any
    width. Otherwise only a row much narrower than a payment qualifies: a last payment whose
    note says "Total due" still has its invoice, amount, date and method, and must stay a
    payment.
    """
    filled = [cell for cell in cells if cell]
    labels = [cell for cell in filled if _TOTAL_WORDS.fullmatch(cell.casefold().rstrip(":. "))]
    others = [cell for cell in filled if cell not in labels]
    if (
        labels
        and all(_NUMERIC.fullmatch(cell) for cell in others)
        and sum(1 for cell in others if not _DATE_LIKE.fullmatch(cell)) <= 1
    ):
        return True
    if len(filled) > max(1, _width(header) // 2):
        return False
    if labels:
        return True
    return len(filled) == 1 and bool(_NUMERIC.fullmatch(filled[0]))


def _width(header: Sequence[str]) -> int:
    return sum(1 for cell in header if cell)


def _footer_notes(footer: Sequence[SourceRow]) -> tuple[str, ...]:
    return tuple(
        f"Row {row.number}, under the totals row, is not a payment: "
        f'"{" ".join(filter(None, row.cells))}".'
        for row in footer
    )
