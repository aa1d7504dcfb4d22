"""The results file: every input row as read, then its outcome and its invoice's new state.

The accountant opens this file after a run; it follows the input's format (CSV in, CSV out;
spreadsheets in, XLSX out), holds every row of the input with a definite status, and ends
with the control totals they tick against the bank statement.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from importer.currencies import decimals
from importer.errors import ConfigurationError, ResultsFileError
from importer.journal.runs import file_sha256
from importer.output.files import write_atomically
from importer.output.results_workbook import are_people_columns, write_workbook
from importer.output.spreadsheets import CellValue, neutralised, restored, write_csv
from importer.read.layout import PaymentsFile, SourceRow
from importer.read.xlsx import number_formats
from importer.status import RowStatus

if TYPE_CHECKING:
    from importer.output.summary import Summary

OUTCOME_COLUMNS = (
    "row",
    "status",
    "message",
    "invoice_id",
    "invoice_number",
    "invoice_status",
    "amount_paid",
    "amount_due",
)
# A results file's stem: the input's stem, then ".results" (or ".dry-run"), then the round
# from the second on.
_RESULTS_STEM = re.compile(r"(.+)\.(results|dry-run)(?:-([0-9]+))?")
# Past this many files of one name, something is wrong with the folder.
_MAX_ROUNDS = 10_000
# Spreadsheet formats read but not written: results go out as XLSX or CSV.
_NOT_WRITTEN = frozenset({".xls", ".xlsm", ".xlsb", ".ods", ".numbers"})


@dataclass(frozen=True)
class PartCells:
    """One part of a row's payment (one invoice): its outcome, and its invoice after the run."""

    status: RowStatus
    amount: Decimal | None
    invoice_id: str = ""
    invoice_number: str = ""
    invoice_status: str = ""
    amount_paid: Decimal | None = None
    amount_due: Decimal | None = None
    client: str = ""


# Between the invoices of a row that pays several, in each invoice column.
PART_SEPARATOR = "; "


@dataclass(frozen=True)
class RowResult:
    """One input row's outcome."""

    source: SourceRow
    status: RowStatus
    message: str = ""
    invoice_id: str = ""
    invoice_number: str = ""
    invoice_status: str = ""
    amount_paid: Decimal | None = None
    amount_due: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""
    mode: str = ""
    # Something to look at on a row that went ahead (a test-mode invoice); also in the message.
    warning: str = ""
    # A row that is part of a payment for several invoices: each of its parts (one per invoice
    # it pays, in its order), and the first row of the payment (0: the row is a payment alone).
    parts: tuple[PartCells, ...] = ()
    payment_row: int = 0
    # Who the invoice is addressed to.
    client: str = ""

    def outcome_cells(self, *, decimal: str = ".") -> list[CellValue]:
        """The outcome columns' values, in the order of ``OUTCOME_COLUMNS``.

        A row paying several invoices lists each in every invoice column, separated by "; ",
        its amounts written with ``decimal``.
        """
        if len(self.parts) > 1:
            places = decimals(self.currency)

            def amounts(name: str) -> str:
                return PART_SEPARATOR.join(
                    "" if value is None else f"{value:.{places}f}".replace(".", decimal)
                    for value in (getattr(part, name) for part in self.parts)
                )

            return [
                self.source.number,
                str(self.status),
                self.message,
                PART_SEPARATOR.join(part.invoice_id for part in self.parts),
                PART_SEPARATOR.join(part.invoice_number for part in self.parts),
                PART_SEPARATOR.join(part.invoice_status for part in self.parts),
                amounts("amount_paid"),
                amounts("amount_due"),
            ]
        return [
            self.source.number,
            str(self.status),
            self.message,
            self.invoice_id,
            self.invoice_number,
            self.invoice_status,
            self.amount_paid,
            self.amount_due,
        ]


def default_results_path(input_path: Path, *, dry_run: bool = False) -> Path:
    """Beside the input: ``<stem>.results.<same extension>``; XLS and ODS come back as XLSX.

    A dry run's are ``<stem>.dry-run.<ext>``, so that they never take the place of a real
    run's. A results file given back as input gets the next number, ``<stem>.results-2``,
    then ``-3``: never the input itself, which its run's record names by its SHA-256 (to
    rebuild its results), and never a name that grows with each round (``x.results.results``).
    """
    suffix = input_path.suffix.lower()
    if suffix in (".xls", ".ods", ".xlsm"):
        suffix = ".xlsx"
    elif suffix not in (".csv", ".xlsx"):
        suffix = ".csv"
    stem = input_path.stem
    earlier = _RESULTS_STEM.fullmatch(stem)
    base = earlier.group(1) if earlier is not None else stem
    if dry_run:
        return input_path.with_name(f"{base}.dry-run{suffix}")
    if earlier is not None and earlier.group(2) == "results":
        round_ = int(earlier.group(3) or 1) + 1
        return input_path.with_name(f"{base}.results-{round_}{suffix}")
    return input_path.with_name(f"{base}.results{suffix}")


def free_results_path(path: Path, *, ours: Callable[[Path], bool] = lambda _path: False) -> Path:
    """``path`` when nothing is there (or what is there is ``ours`` to replace), else the next
    free name: ``x.results-2.csv`` after ``x.results.csv``, ``out-2.xlsx`` after ``out.xlsx``.

    Results are what an accountant keeps with the deposit: no run writes over another's.
    """
    if path.is_dir():
        return path  # a folder is no results file: writing there says so
    candidate = path
    earlier = _RESULTS_STEM.fullmatch(path.stem)
    if earlier is not None:
        base, first = f"{earlier.group(1)}.{earlier.group(2)}", int(earlier.group(3) or 1) + 1
    else:
        base, first = path.stem, 2
    for round_ in range(first, first + _MAX_ROUNDS):
        # A link to nowhere is something there too: writing would replace the link.
        if not os.path.lexists(candidate) or ours(candidate):
            return candidate
        candidate = path.with_name(f"{base}-{round_}{path.suffix}")
    raise ResultsFileError(
        f"Cannot find a free name for the results beside {path}: move the old results "
        "elsewhere, or run again with --results PATH."
    )


def moved_note(wanted: Path, path: Path) -> str:
    """What the user is told when the results go to another name than they would have."""
    return (
        f"{wanted.name} is already there and is left as it is: this run's results go to "
        f"{path.name}."
    )


def input_number_formats(payments_file: PaymentsFile, sha256: str) -> Mapping[tuple[int, int], str]:
    """The number format of each cell of an XLSX input, if it is still the file that was read
    (SHA-256 ``sha256``); else none, and its numbers and dates get their kind's default."""
    if payments_file.format != "xlsx" or not sha256:
        return {}
    try:
        if file_sha256(payments_file.path) != sha256:
            return {}
    except OSError:
        return {}
    return number_formats(payments_file.path, payments_file.sheet)


def check_results_path(path: Path) -> None:
    """ConfigurationError for a results name in a spreadsheet format the importer does not
    write: the file would hold CSV or XLSX under a name that promises something else."""
    suffix = path.suffix.lower()
    if suffix in _NOT_WRITTEN:
        raise ConfigurationError(
            f"--results {path}: results are written as .xlsx or .csv, not {suffix}; name it "
            f"{path.with_suffix('.xlsx').name} (or .csv)."
        )


def is_results_name(path: Path) -> bool:
    """True for a name ``default_results_path`` gives (``x.results.csv``, ``x.results-2.xlsx``,
    ``x.dry-run.csv``)."""
    return _RESULTS_STEM.fullmatch(path.stem) is not None


def without_outcome_columns(payments_file: PaymentsFile) -> PaymentsFile:
    """A results file given back as input, read as the input it was: old outcomes ignored.

    A CSV results file also gets its input cells back exactly as they were read, without the
    quote that ``neutralised`` put before a formula-like value: ``'-TRF-1`` is the reference
    ``-TRF-1``, and only the exact reference finds the payment an earlier run recorded.
    """
    width = len(payments_file.columns) - len(OUTCOME_COLUMNS)
    ours = tuple(payments_file.columns[width:])
    if width <= 0 or not (ours == OUTCOME_COLUMNS or are_people_columns(ours)):
        return payments_file
    columns = payments_file.columns[:width]
    if payments_file.format == "csv":
        columns = tuple(restored(name) for name in columns)
        rows = [
            replace(row, cells=tuple(restored(cell) for cell in row.cells[:width]))
            for row in payments_file.rows
        ]
    else:
        # XLSX results hold text as text, never neutralised: a leading quote there is data.
        rows = [replace(row, cells=row.cells[:width]) for row in payments_file.rows]
    return replace(
        payments_file,
        columns=columns,
        rows=rows,
        number_cells={c: r for c, r in payments_file.number_cells.items() if c < width},
        date_cells={c: r for c, r in payments_file.date_cells.items() if c < width},
        sheet_columns=payments_file.sheet_columns[:width],
    )


def write_results(
    path: Path,
    payments_file: PaymentsFile,
    results: Sequence[RowResult],
    *,
    summary: Summary | None = None,
    delimiter: str = ",",
    decimal: str = ".",
    number_formats: Mapping[tuple[int, int], str] | None = None,
) -> None:
    """Write the results file atomically: a crash leaves the old file or the new, never half.

    A CSV writes its amounts with the input's ``decimal`` mark, so that a spreadsheet set
    for ``1.234,50`` reads ``1200,00`` as the amount it is. A workbook writes the input's
    numbers and dates as such, each in its ``number_formats`` (by row and sheet column).
    """
    if path.suffix.lower() == ".xlsx":
        formats = number_formats or {}
        write_atomically(
            path,
            lambda target: write_workbook(
                target, payments_file, results, summary, number_formats=formats
            ),
        )
    else:
        rows = _csv_rows(payments_file, results, decimal)
        write_atomically(path, lambda target: write_csv(target, rows, delimiter=delimiter))


def _header(payments_file: PaymentsFile) -> list[str]:
    return [*payments_file.columns, *OUTCOME_COLUMNS]


def _input_cells(payments_file: PaymentsFile, row: SourceRow) -> list[str]:
    width = len(payments_file.columns)
    return list(row.cells[:width]) + [""] * (width - len(row.cells))


def _csv_rows(
    payments_file: PaymentsFile, results: Sequence[RowResult], decimal: str
) -> Iterator[list[object]]:
    yield [neutralised(name) for name in _header(payments_file)]
    for result in results:
        places = decimals(result.currency)
        cells = [
            *_input_cells(payments_file, result.source),
            *result.outcome_cells(decimal=decimal),
        ]
        yield [_csv_cell(cell, places, decimal) for cell in cells]


def _csv_cell(cell: object, places: int, decimal: str) -> object:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralised(cell)
    if isinstance(cell, Decimal):
        # 0.00, not 0: the accountant reads an amount in the currency's own decimals.
        return f"{cell:.{places}f}".replace(".", decimal)
    return cell
