"""Payments file -> rows of text cells, each with its sheet and spreadsheet row number.

Every cell is read as text so that cheque numbers and card digits keep their leading zeros;
parsing amounts and dates is the validator's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError

from importer.errors import InputFileError

EXCEL_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as the user sees it: its sheet, its row number and its cells as text."""

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
    rows: list[SourceRow]


def load(path: Path, *, sheet: str | None = None) -> PaymentsFile:
    """Read a CSV, XLSX, XLS or ODS payments file; InputFileError when it cannot be read."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file.")
    if not path.is_file():
        raise InputFileError(f"{path}: is not a file.")
    if path.stat().st_size == 0:
        raise InputFileError(f"{path}: the file is empty.")
    suffix = path.suffix.lower()
    try:
        if suffix in EXCEL_SUFFIXES:
            with pd.ExcelFile(path, engine="calamine") as book:
                names = [str(name) for name in book.sheet_names]
                if sheet is not None and sheet not in names:
                    raise InputFileError(
                        f"{path}: no sheet named {sheet!r}; its sheets are {', '.join(names)}."
                    )
                shown_sheet = sheet if sheet is not None else names[0]
                table = pd.read_excel(book, sheet_name=shown_sheet, header=None, dtype=str)
            file_format = EXCEL_SUFFIXES[suffix]
        else:
            table = pd.read_csv(
                path,
                header=None,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                encoding="utf-8-sig",
            )
            shown_sheet = path.name
            file_format = "csv"
    except (OSError, ValueError, CalamineError, pd.errors.ParserError) as error:
        raise InputFileError(f"{path}: cannot be read ({_reason(error)}).") from None
    return _rows_from_table(path, file_format, shown_sheet, table)


def _rows_from_table(path: Path, file_format: str, sheet: str, table: pd.DataFrame) -> PaymentsFile:
    grid = [[_cell_text(value) for value in record] for record in table.itertuples(index=False)]
    numbered = [(index + 1, cells) for index, cells in enumerate(grid) if any(cells)]
    if not numbered:
        raise InputFileError(f"{path}: the file has no rows.")
    _header_number, header = numbered[0]
    if len(numbered) == 1:
        raise InputFileError(f"{path}: the file has a header but no payment rows.")
    rows = [SourceRow(sheet, number, tuple(cells)) for number, cells in numbered[1:]]
    return PaymentsFile(path, file_format, sheet, tuple(header), rows)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("\u00a0", " ").strip()


def _reason(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
