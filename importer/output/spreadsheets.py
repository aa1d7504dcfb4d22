"""What makes a written file open right in a spreadsheet: text stays text, UTF-8 stays UTF-8.

A CSV cell that starts like a formula gets a leading quote (OWASP's advice against formula
injection); one that already starts with a quote gets one more, so that exactly one quote is
ever the importer's and ``restored`` gives back the cell exactly. XLSX cells are never
quoted: they are stored as text, which a spreadsheet never runs. A control character, which
XML cannot hold, is written in an XLSX cell as Excel writes it (``_x0001_``, see
``xlsx_text``), so that the cell reads back exactly as it was.
"""

from __future__ import annotations

import csv
import re
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
    "xlsx_text",
    "xlsx_values",
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


# What an XLSX cell's XML cannot carry (control characters, which openpyxl refuses with
# IllegalCharacterError), and an underscore that would otherwise start such an escape.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell holds it: each character XML cannot carry as ``_xHHHH_``.

    That is how Excel itself saves a cell holding such a character, how Excel shows it (as the
    character), and how calamine reads it back: a reference holding one reads back the same,
    and the payment it keys is recognised. A "_x0041_" typed in a cell has its underscore
    written ``_x005F_``, so that it too reads back as typed.
    """
    return _NOT_IN_XML.sub(lambda found: f"_x{ord(found[0]):04X}_", value)


def xlsx_values(values: Iterable[CellValue]) -> list[CellValue]:
    """``values`` with their text as an XLSX cell holds it (``xlsx_text``)."""
    return [xlsx_text(value) if isinstance(value, str) else value for value in values]


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
    cells = [
        sheet.cell(number, column, value)
        for column, value in enumerate(xlsx_values(values), start=1)
    ]
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
