"""What makes a written file open right in a spreadsheet: text stays text, UTF-8 stays UTF-8.

A CSV cell that starts like a formula gets a leading quote (OWASP's advice against formula
injection); one that already starts with a quote gets one more, so that exactly one quote is
ever the importer's and ``restored`` gives back the cell exactly. XLSX cells are never
quoted: they are stored as text, which a spreadsheet never runs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_STARTS",
    "CellValue",
    "keep_text",
    "neutralised",
    "new_workbook",
    "restored",
    "write_csv",
    "write_row",
]

# What the importer puts in a cell of a workbook it writes.
CellValue: TypeAlias = str | int | float | Decimal | date | time | None

# OWASP's list of what makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What ``neutralised`` quotes: a formula, and a value already quoted (so the quote it adds is
# always the one ``restored`` takes off).
_QUOTED_STARTS = (*FORMULA_STARTS, "'")


def neutralised(value: str) -> str:
    """A text cell made safe for CSV: one that starts like a formula gets a leading quote.

    A value that already starts with a quote gets one more, so that ``restored`` can always
    tell the quote it must take off from one that was in the cell (``'=x`` -> ``''=x``).
    """
    return "'" + value if value.startswith(_QUOTED_STARTS) else value


def restored(value: str) -> str:
    """A CSV cell as it was before ``neutralised``: its exact inverse."""
    if value.startswith("'") and value[1:].startswith(_QUOTED_STARTS):
        return value[1:]
    return value


def write_csv(path: Path, rows: Iterable[Sequence[object]], *, delimiter: str = ",") -> None:
    """Write ``rows`` as they are (neutralise text first) to ``path``, as UTF-8 with a BOM."""
    # The BOM makes Excel open UTF-8 as UTF-8 rather than as the computer's code page.
    with path.open("w", newline="", encoding="utf-8-sig") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)


def write_row(sheet: Worksheet, number: int, values: Iterable[CellValue]) -> list[Cell]:
    """Fill row ``number`` of ``sheet`` with ``values``, text kept as text; its cells, to format.

    The row is named rather than found: ``sheet[sheet.max_row]`` looks through every cell
    of the sheet, and a row at a time that makes a long sheet take hours.
    """
    cells = [sheet.cell(number, column, value) for column, value in enumerate(values, start=1)]
    keep_text(cells)
    return cells


def keep_text(cells: Iterable[Cell | MergedCell]) -> None:
    """Store the text cells among ``cells`` as text: openpyxl would make "=..." a formula."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def new_workbook(title: str) -> tuple[openpyxl.Workbook, Worksheet]:
    """A new workbook and its one sheet, called ``title``."""
    workbook = openpyxl.Workbook()
    sheet: Worksheet = workbook.create_sheet(title)
    # openpyxl starts every workbook with an empty "Sheet"; ours takes its place.
    del workbook[workbook.sheetnames[0]]
    return workbook, sheet
