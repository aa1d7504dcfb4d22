"""The proposals file: a statement's every line as read, then Invoice, Match, Why and Accept.

The accountant opens it, checks each proposal, types or corrects an invoice, writes yes in
Accept, and gives it back to ``importer run``. It is written beside the statement (XLSX by
default, CSV when asked), never over a file that may already hold someone's confirmations.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from importer.check.accepted import PROPOSAL_COLUMNS
from importer.errors import ConfigurationError
from importer.output.files import write_atomically
from importer.output.spreadsheets import (
    CellValue,
    neutralised,
    new_workbook,
    restored,
    write_csv,
    write_row,
)
from importer.read.layout import PaymentsFile
from importer.status import Match

__all__ = ["default_proposals_path", "proposals_as_read", "write_proposals"]

_FILLS = {
    str(Match.SURE): "C6EFCE",
    str(Match.LIKELY): "DDEBF7",
    str(Match.SEVERAL): "FFEB9C",
    str(Match.NONE): "FFC7CE",
}
_WRITTEN = (".xlsx", ".csv")


def default_proposals_path(statement: Path, *, folder: Path | None = None) -> Path:
    """``<stem>.matches.xlsx`` in ``folder`` (the statement's own by default); ``-2``, ``-3``
    when that name is taken, so that a file someone has been confirming is never replaced."""
    folder = statement.parent if folder is None else folder
    path = folder / f"{statement.stem}.matches.xlsx"
    round_ = 2
    while path.exists():
        path = folder / f"{statement.stem}.matches-{round_}.xlsx"
        round_ += 1
    return path


def check_proposals_path(path: Path, statement: Path) -> None:
    """ConfigurationError for a proposals file name that cannot be written as one."""
    if path.suffix.lower() not in _WRITTEN:
        raise ConfigurationError(
            f"-o {path}: the proposals file is written as .xlsx or .csv; name it "
            f"{path.with_suffix('.xlsx').name} (or .csv)."
        )
    if path.exists():
        what = "the statement itself" if path.resolve() == statement.resolve() else "a file"
        raise ConfigurationError(
            f"-o {path}: there is already {what} of that name, and it may hold confirmations "
            "typed by hand; it is left as it is. Choose another name, or leave -o out."
        )


def write_proposals(path: Path, proposals_file: PaymentsFile) -> None:
    """Write the proposals file atomically: XLSX for ``.xlsx``, otherwise CSV."""
    if path.suffix.lower() == ".xlsx":
        write_atomically(path, lambda target: _write_xlsx(target, proposals_file))
    else:
        rows = [
            [neutralised(cell) for cell in proposals_file.columns],
            *([neutralised(cell) for cell in row.cells] for row in proposals_file.rows),
        ]
        delimiter = proposals_file.delimiter if proposals_file.format == "csv" else None
        write_atomically(path, lambda target: write_csv(target, rows, delimiter=delimiter or ","))


def proposals_as_read(payments_file: PaymentsFile) -> PaymentsFile:
    """A proposals CSV's cells as they were before ``write_proposals`` quoted them."""
    if payments_file.format != "csv":
        return payments_file
    return replace(
        payments_file,
        columns=tuple(restored(header) for header in payments_file.columns),
        rows=[
            replace(row, cells=tuple(restored(cell) for cell in row.cells))
            for row in payments_file.rows
        ],
    )


def _write_xlsx(path: Path, proposals_file: PaymentsFile) -> None:
    workbook, sheet = new_workbook("Proposals")
    for cell in write_row(sheet, 1, proposals_file.columns):
        cell.font = Font(bold=True)
    width = len(proposals_file.columns)
    match_at = width - len(PROPOSAL_COLUMNS) + PROPOSAL_COLUMNS.index("Match")
    accept = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    sheet.add_data_validation(accept)
    for number, row in enumerate(proposals_file.rows, start=2):
        values: list[CellValue] = [
            _number(proposals_file, at, row.number, cell) for at, cell in enumerate(row.cells)
        ]
        written = write_row(sheet, number, values)
        fill = _FILLS.get(row.cells[match_at])
        if fill:
            written[match_at].fill = PatternFill("solid", start_color=fill)
    accept.add(f"{get_column_letter(width)}2:{get_column_letter(width)}{sheet.max_row}")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(cell.value or "")) for cell in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    workbook.save(path)


def _number(proposals_file: PaymentsFile, at: int, row: int, text: str) -> CellValue:
    """A statement's number cell written back as a number, so it reads back as it was."""
    if row not in proposals_file.number_cells.get(at, frozenset()):
        return text
    try:
        return Decimal(text)
    except InvalidOperation:
        return text
