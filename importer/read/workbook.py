"""Workbooks (XLSX, XLSM, XLS, ODS) through python-calamine: the sheet, and its cells as text.

Every cell becomes the text the user sees, give or take number formats calamine does not
report (zero padding is put back for XLSX, see ``xlsx``): a date cell becomes an ISO date, a
number its shortest exact text. Which cells hold numbers is kept apart, since a number cell
is written with "." whatever the text beside it says.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import python_calamine

from importer.errors import InputFileError
from importer.read import layout
from importer.read.layout import HeaderCheck, PaymentsFile, SourceRow
from importer.read.xlsx import ZeroPadding, pad_zeros, scanned, sheet_parts, zero_padding

# calamine lays a sheet out as a grid from A1 to its farthest cell before handing over any
# of it, at some 40 bytes a cell: a stray value at XFD1048576 in a 5 KB file would ask for
# hundreds of gigabytes. Ten million cells (a million payments of ten columns, some 2 GB to
# lay out) is past any payments sheet and still within reach of an office computer.
_MAX_SHEET_CELLS = 10_000_000


def read_workbook(
    path: Path, file_format: str, *, sheet: str | None, header_fits: HeaderCheck | None
) -> PaymentsFile:
    """The payments of the sheet named, or else of the first shown sheet whose header fits.

    calamine's own errors (a password, a damaged file, a Rust panic) reach the caller.
    """
    with _rust_panics_kept_quiet():
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    padding = zero_padding(path) if file_format == "xlsx" else None
    parts = sheet_parts(path) if file_format == "xlsx" else None
    try:
        names = [str(name) for name in book.sheet_names]
        if sheet is not None:
            chosen = _sheet_by_name_or_position(path, names, sheet)
            grid = _sheet_grid(book, chosen, path=path, padding=padding, parts=parts)
            return replace(
                _from_grid(path, file_format, chosen, grid, header_fits=header_fits),
                sheets=tuple(names),
            )
        refusal: InputFileError | None = None
        # A cover sheet ("Prepared by | Ana") has a header and rows too, but not the template's.
        unfit: PaymentsFile | None = None
        # Hidden sheets (lookups, old months) are not what the user means when naming none.
        shown = [
            str(sheet_info.name)
            for sheet_info in book.sheets_metadata
            if sheet_info.visible == python_calamine.SheetVisibleEnum.Visible
        ] or names
        for name in shown:
            try:
                grid = _sheet_grid(book, name, path=path, padding=padding, parts=parts)
                loaded = _from_grid(path, file_format, name, grid, header_fits=header_fits)
            except InputFileError as error:
                refusal = refusal or error
                continue
            if header_fits is None or header_fits(loaded.columns):
                return _read_among(loaded, names)
            unfit = unfit or loaded
        if unfit is not None:
            return _read_among(unfit, names)
        if refusal is not None and len(names) == 1:
            raise refusal
        raise InputFileError(
            f"{path}: no sheet holds a header and payment rows (sheets: {', '.join(names)})."
        )
    finally:
        book.close()


def _read_among(loaded: PaymentsFile, names: list[str]) -> PaymentsFile:
    """The sheet read, with a note saying which when the workbook has several."""
    if len(names) == 1:
        return replace(loaded, sheets=tuple(names))
    note = f'Read sheet "{loaded.sheet}"' + (
        ", the first with a header and payment rows" if loaded.sheet != names[0] else ""
    )
    note += f" (the workbook has {len(names)} sheets; choose another with --sheet)."
    return replace(loaded, notes=(*loaded.notes, note), sheets=tuple(names))


def _sheet_by_name_or_position(path: Path, names: list[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    folded = [name for name in names if name.casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    listed = ", ".join(f'{i}: "{name}"' for i, name in enumerate(names, start=1))
    raise InputFileError(
        f"{path}: no sheet named {wanted!r}. Its sheets are {listed}; "
        "give --sheet a name or a number."
    )


@contextmanager
def _rust_panics_kept_quiet() -> Iterator[None]:
    """Keep a Rust panic's backtrace off the user's screen; the exception still reaches load.

    A panic prints straight to file descriptor 2, past Python's sys.stderr, so only pointing
    that descriptor at /dev/null for the duration of the call keeps the one-line promise.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _sheet_grid(
    book: Any,
    name: str,
    *,
    path: Path,
    padding: ZeroPadding | None = None,
    parts: dict[str, str] | None = None,
) -> list[list[Any]]:
    scan = scanned(path, parts[name]) if parts and name in parts else None
    if scan is not None and scan.rows * scan.columns > _MAX_SHEET_CELLS:
        corner = f"{layout.column_letters(scan.columns - 1)}{scan.rows}"
        raise InputFileError(
            f'{path}: sheet "{name}" reaches cell {corner}, {scan.rows:,} rows by '
            f"{scan.columns:,} columns from A1: far more than a payments sheet holds. Something "
            "typed far below or to the right of the payments makes it this big: delete those "
            "rows and columns (or copy the payments into a new workbook), save, and try again."
        )
    with _rust_panics_kept_quiet():
        # Without skip_empty_area the grid starts at A1, so grid[r - 1][c - 1] is cell (r, c).
        grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if padding is not None and name in padding.parts:
        pad_zeros(path, padding, name, grid)
    # A lookup that failed is not an empty cell, as calamine reads it: the accountant sees
    # #N/A in Excel and should read it in the message too.
    for (row, column), error in scan.errors.items() if scan is not None else ():
        if row < len(grid) and column < len(grid[row]) and grid[row][column] == "":
            grid[row][column] = error
    return grid


def _from_grid(
    path: Path,
    file_format: str,
    sheet: str,
    grid: list[list[Any]],
    *,
    header_fits: HeaderCheck | None = None,
) -> PaymentsFile:
    head: list[tuple[int, list[str]]] = []
    for index, record in enumerate(grid):
        cells = [_cell_text(value) for value in record]
        if any(cells):
            head.append((index, cells))
            if len(head) >= layout.HEADER_SEARCH_ROWS:
                break
    if not head:
        raise InputFileError(f"{path}: the file has no rows.")
    header_index, header = head[layout.find_header([cells for _index, cells in head], header_fits)]
    rows: list[SourceRow] = []
    numbers: dict[int, set[int]] = {}  # column -> the rows whose cell there is a number
    dates: dict[int, set[int]] = {}  # column -> the rows whose cell there is a date or time
    for number, record in enumerate(grid[header_index + 1 :], start=header_index + 2):
        # A text cell is only trimmed: a non-breaking space within it stays as typed.
        texts = tuple(
            [value.strip() if type(value) is str else _cell_text(value) for value in record]
        )
        if any(texts):
            rows.append(SourceRow(sheet, number, texts))
        for column, value in enumerate(record):
            kind = type(value)
            if kind is str:
                continue
            if kind is float or kind is int:
                numbers.setdefault(column, set()).add(number)
            elif kind is datetime or kind is date or kind is time:
                dates.setdefault(column, set()).add(number)
    return layout.payments_file(
        path,
        file_format=file_format,
        sheet=sheet,
        header=header,
        header_row=header_index + 1,
        rows=rows,
        number_cells={column: frozenset(found) for column, found in numbers.items()},
        date_cells={column: frozenset(found) for column, found in dates.items()},
    )


def _cell_text(value: object) -> str:
    """A cell as the user sees it, give or take number formats calamine does not report."""
    if type(value) is str:
        return value.replace("\u00a0", " ").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        shortest = repr(value)
        if len(shortest) <= 16 and "e" not in shortest:
            return shortest
        # 15 significant digits is what Excel shows; past them lies binary noise (12.4999…).
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).replace("\u00a0", " ").strip()
