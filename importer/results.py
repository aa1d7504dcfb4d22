"""The results file: every input row as read, then its outcome and its invoice's new state.

The accountant opens this file after a run; it follows the input's format (CSV in, CSV out;
spreadsheets in, XLSX out) and holds every row of the input with a definite status.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from importer.loader import PaymentsFile, SourceRow

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
STATUSES = ("recorded", "skipped", "ready", "invalid", "rejected", "failed", "unknown", "not_sent")
DONE_STATUSES = frozenset({"recorded", "skipped"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FILLS = {
    "recorded": "C6EFCE",
    "skipped": "E7E6E6",
    "ready": "E7E6E6",
    "unknown": "FFEB9C",
    "not_sent": "FFEB9C",
    "invalid": "FFC7CE",
    "rejected": "FFC7CE",
    "failed": "FFC7CE",
}


@dataclass(frozen=True)
class RowResult:
    """One input row's outcome."""

    source: SourceRow
    status: str
    message: str = ""
    invoice_id: str = ""
    invoice_number: str = ""
    invoice_status: str = ""
    amount_paid: Decimal | None = None
    amount_due: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""

    def outcome_cells(self) -> list[object]:
        return [
            self.source.number,
            self.status,
            self.message,
            self.invoice_id,
            self.invoice_number,
            self.invoice_status,
            self.amount_paid,
            self.amount_due,
        ]


def default_results_path(input_path: Path) -> Path:
    """Beside the input: ``<stem>.results.<same extension>``; XLS and ODS come back as XLSX."""
    suffix = input_path.suffix.lower()
    if suffix in (".xls", ".ods", ".xlsm"):
        suffix = ".xlsx"
    elif suffix not in (".csv", ".xlsx"):
        suffix = ".csv"
    return input_path.with_name(f"{input_path.stem}.results{suffix}")


def write_results(path: Path, payments_file: PaymentsFile, results: Sequence[RowResult]) -> None:
    """Write the results file atomically: a crash leaves the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(Path(temporary), payments_file, results)
        else:
            _write_csv(Path(temporary), payments_file, results)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _header(payments_file: PaymentsFile) -> list[str]:
    return [*payments_file.columns, *OUTCOME_COLUMNS]


def _input_cells(payments_file: PaymentsFile, row: SourceRow) -> list[str]:
    width = len(payments_file.columns)
    return list(row.cells[:width]) + [""] * (width - len(row.cells))


def _neutralised(value: object) -> object:
    # OWASP: a cell that starts like a formula is prefixed so a spreadsheet shows it as text.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(path: Path, payments_file: PaymentsFile, results: Sequence[RowResult]) -> None:
    # A BOM so that Excel opens UTF-8 as UTF-8.
    with path.open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream)
        writer.writerow([_neutralised(name) for name in _header(payments_file)])
        for result in results:
            cells = [*_input_cells(payments_file, result.source), *result.outcome_cells()]
            writer.writerow(["" if c is None else _neutralised(c) for c in cells])


def _write_xlsx(path: Path, payments_file: PaymentsFile, results: Sequence[RowResult]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(_header(payments_file))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    status_column = len(payments_file.columns) + OUTCOME_COLUMNS.index("status") + 1
    for result in results:
        sheet.append([*_input_cells(payments_file, result.source), *result.outcome_cells()])
        written = sheet[sheet.max_row]
        for cell in written:
            if isinstance(cell.value, str):
                # Text stays text: openpyxl would otherwise store "=..." as a live formula.
                cell.data_type = "s"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
        fill = _FILLS.get(result.status)
        if fill:
            written[status_column - 1].fill = PatternFill("solid", start_color=fill)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    workbook.save(path)


@dataclass(frozen=True)
class Summary:
    """Counts and totals for the end of a run."""

    rows: int
    by_status: dict[str, int]
    recorded_by_currency: dict[str, Decimal]
    requests: int

    def lines(self) -> list[str]:
        counts = ", ".join(f"{n} {status}" for status, n in self.by_status.items() if n)
        lines = [f"{self.rows} rows: {counts}."]
        for currency, total in sorted(self.recorded_by_currency.items()):
            lines.append(f"Recorded {currency} {total:,.2f}.")
        lines.append(f"API requests: {self.requests}.")
        return lines


def summarise(results: Sequence[RowResult], *, requests: int) -> Summary:
    """Rows per status and the recorded total per currency."""
    counted = Counter(result.status for result in results)
    by_status = {status: counted[status] for status in STATUSES if counted[status]}
    recorded: dict[str, Decimal] = {}
    for result in results:
        if result.status == "recorded" and result.amount is not None:
            currency = result.currency or "?"
            recorded[currency] = recorded.get(currency, Decimal(0)) + result.amount
    return Summary(len(results), by_status, recorded, requests)
