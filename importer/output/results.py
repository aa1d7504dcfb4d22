"""The results file: every input row as read, then its outcome and its invoice's new state.

The accountant opens this file after a run; it follows the input's format (CSV in, CSV out;
spreadsheets in, XLSX out), holds every row of the input with a definite status, and ends
with the control totals they tick against the bank statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from importer.currencies import decimals, is_currency
from importer.errors import ConfigurationError
from importer.output.files import write_atomically
from importer.output.spreadsheets import (
    CellValue,
    keep_text,
    neutralised,
    new_workbook,
    restored,
    write_csv,
    write_row,
)
from importer.read.layout import PaymentsFile, SourceRow
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
_GREEN, _GREY, _AMBER, _RED = "C6EFCE", "E7E6E6", "FFEB9C", "FFC7CE"
_FILLS = {
    RowStatus.RECORDED: _GREEN,
    RowStatus.SKIPPED: _GREY,
    RowStatus.READY: _GREY,
    RowStatus.NO_PAYMENT: _GREY,
    RowStatus.UNKNOWN: _AMBER,
    RowStatus.NOT_SENT: _AMBER,
    RowStatus.INVALID: _RED,
    RowStatus.REJECTED: _RED,
    RowStatus.FAILED: _RED,
    RowStatus.PARTLY_RECORDED: _AMBER,
}
# A results file's stem: the input's stem, then ".results", then the round from the second on.
_RESULTS_STEM = re.compile(r"(.+)\.results(?:-([0-9]+))?")
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


def default_results_path(input_path: Path) -> Path:
    """Beside the input: ``<stem>.results.<same extension>``; XLS and ODS come back as XLSX.

    A results file given back as input gets the next number, ``<stem>.results-2``, then
    ``-3``: never the input itself, which its run's record names by its SHA-256 (to rebuild
    its results), and never a name that grows with each round (``x.results.results``).
    """
    suffix = input_path.suffix.lower()
    if suffix in (".xls", ".ods", ".xlsm"):
        suffix = ".xlsx"
    elif suffix not in (".csv", ".xlsx"):
        suffix = ".csv"
    stem = input_path.stem
    if (earlier := _RESULTS_STEM.fullmatch(stem)) is not None:
        round_ = int(earlier.group(2) or 1) + 1
        return input_path.with_name(f"{earlier.group(1)}.results-{round_}{suffix}")
    return input_path.with_name(f"{stem}.results{suffix}")


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
    """True for a name ``default_results_path`` gives (``x.results.csv``, ``x.results-2.xlsx``)."""
    return _RESULTS_STEM.fullmatch(path.stem) is not None


def without_outcome_columns(payments_file: PaymentsFile) -> PaymentsFile:
    """A results file given back as input, read as the input it was: old outcomes ignored.

    A CSV results file also gets its input cells back exactly as they were read, without the
    quote that ``neutralised`` put before a formula-like value: ``'-TRF-1`` is the reference
    ``-TRF-1``, and only the exact reference finds the payment an earlier run recorded.
    """
    width = len(payments_file.columns) - len(OUTCOME_COLUMNS)
    if width <= 0 or tuple(payments_file.columns[width:]) != OUTCOME_COLUMNS:
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
    return replace(payments_file, columns=columns, rows=rows)


def write_results(
    path: Path,
    payments_file: PaymentsFile,
    results: Sequence[RowResult],
    *,
    summary: Summary | None = None,
    delimiter: str = ",",
    decimal: str = ".",
) -> None:
    """Write the results file atomically: a crash leaves the old file or the new, never half.

    A CSV writes its amounts with the input's ``decimal`` mark, so that a spreadsheet set
    for ``1.234,50`` reads ``1200,00`` as the amount it is.
    """
    if path.suffix.lower() == ".xlsx":
        write_atomically(path, lambda target: _write_xlsx(target, payments_file, results, summary))
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


def _currency_format(currency: str) -> str:
    number = "#,##0" if decimals(currency) == 0 else "#,##0.00"
    return f'{number} "{currency}"' if is_currency(currency.upper()) else number


def _write_xlsx(
    path: Path,
    payments_file: PaymentsFile,
    results: Sequence[RowResult],
    summary: Summary | None,
) -> None:
    workbook, sheet = new_workbook("Results")
    for cell in write_row(sheet, 1, _header(payments_file)):
        cell.font = Font(bold=True)
    status_column = len(payments_file.columns) + OUTCOME_COLUMNS.index("status")
    for number, result in enumerate(results, start=2):
        cells = [*_input_cells(payments_file, result.source), *result.outcome_cells()]
        written = write_row(sheet, number, cells)
        for cell in written:
            if isinstance(cell.value, Decimal):
                cell.number_format = _currency_format(result.currency)
        fill = _FILLS.get(result.status)
        if fill:
            written[status_column].fill = PatternFill("solid", start_color=fill)
        written[status_column - 1].alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_widths(sheet)
    _print_one_page_wide(sheet)
    if summary is not None:
        _write_summary_sheet(workbook.create_sheet("Summary"), summary)
    workbook.save(path)


def _write_summary_sheet(sheet: Worksheet, summary: Summary) -> None:
    sheet.append(["Rows", summary.rows])
    for status, count in summary.by_status.items():
        sheet.append([f"Rows {status}", count])
        fill = _FILLS.get(status)
        if fill:
            sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=fill)
    if summary.warnings:
        sheet.append(["Rows with a warning", summary.warnings])
        sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=_AMBER)
    sheet.append([])
    recorded = summary.words["recorded"].capitalize()
    not_recorded = summary.words["not_recorded"].capitalize()
    sheet.append(
        ["Currency", "Mode", "In file", "In file total", recorded, f"{recorded} total",
         not_recorded, f"{not_recorded} total"]
    )  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for currency, group in sorted(summary.by_currency.items()):
        rows = [("All", group), *sorted(summary.by_mode.get(currency, {}).items())]
        for mode, totals in rows:
            sheet.append(
                [
                    currency,
                    mode,
                    totals.in_file.count,
                    totals.in_file.total,
                    totals.recorded.count,
                    totals.recorded.total,
                    totals.not_recorded.count,
                    totals.not_recorded.total,
                ]
            )
            for column in (4, 6, 8):
                sheet.cell(sheet.max_row, column).number_format = _currency_format(currency)
    _write_parts(sheet, summary)
    sheet.append([])
    sheet.append([summary.words["paid"], summary.invoices_paid])
    sheet.append([summary.words["partially_paid"], summary.invoices_partially_paid])
    sheet.append(["API requests", summary.requests])
    sheet.append(["API requests to find the invoices", summary.lookup_requests])
    if summary.control is not None:
        sheet.append([summary.control.line()])
    for row in sheet.iter_rows():
        keep_text(row)
    _fit_widths(sheet)


def _write_parts(sheet: Worksheet, summary: Summary) -> None:
    """Payments for several invoices counted as the payer made them, and their parts apart."""
    parts = summary.parts
    if not parts.of_several:
        return
    recorded = summary.words["recorded"]
    sheet.append([])
    sheet.append(["Payments covering several invoices", parts.of_several])
    sheet.append(["Invoice parts in the file", parts.in_file])
    sheet.append([f"Invoice parts {recorded}", parts.recorded])
    sheet.append([f"Invoice parts {summary.words['not_recorded']}", parts.in_file - parts.recorded])
    for currency, group in sorted(summary.by_currency.items()):
        if group.partly.count:
            sheet.append(
                [f"{currency} payments partly recorded", group.partly.count, group.partly.total]
            )
            sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=_AMBER)
            sheet.cell(sheet.max_row, 3).number_format = _currency_format(currency)
            sheet.append([f"{currency} of them recorded", "", group.partly_recorded])
            sheet.cell(sheet.max_row, 3).number_format = _currency_format(currency)


def _print_one_page_wide(sheet: Worksheet) -> None:
    # Accountants print results to tick them off; a page per column group is useless.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"


def _fit_widths(sheet: Worksheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = max((len(str(cell.value or "")) for cell in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
