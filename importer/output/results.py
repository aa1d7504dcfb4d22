"""The results file: every input row as read, then its outcome and its invoice's new state.

The accountant opens this file after a run; it follows the input's format (CSV in, CSV out;
spreadsheets in, XLSX out), holds every row of the input with a definite status, and ends
with the control totals they tick against the bank statement.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from importer.check import DecimalMark, format_amount
from importer.currencies import decimals, is_currency
from importer.errors import ConfigurationError, InputFileError
from importer.journal import Entry, InvoiceState, Journal, file_sha256
from importer.read import PaymentsFile, SourceRow, load

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
STATUSES = (
    "recorded",
    "skipped",
    "ready",
    "no_payment",
    "invalid",
    "rejected",
    "failed",
    "unknown",
    "not_sent",
)
DONE_STATUSES = frozenset({"recorded", "skipped"})
# The summary's groups for amounts whose currency, or method, could not be read.
UNKNOWN_CURRENCY = "unknown currency"
UNKNOWN_MODE = "unknown method"
# What a finished run may leave: a row with no payment in it has nothing left to do.
FINISHED_STATUSES = DONE_STATUSES | {"no_payment"}
# OWASP's list of what makes a spreadsheet read a cell as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What ``neutralised`` quotes: a formula, and a value already quoted (so the quote it adds is
# always the one ``restored`` takes off).
_QUOTED_STARTS = (*_FORMULA_STARTS, "'")
_GREEN, _GREY, _AMBER, _RED = "C6EFCE", "E7E6E6", "FFEB9C", "FFC7CE"
# A results file's stem: the input's stem, then ".results", then the round from the second on.
_RESULTS_STEM = re.compile(r"(.+)\.results(?:-([0-9]+))?")
# Spreadsheet formats read but not written: results go out as XLSX or CSV.
_NOT_WRITTEN = frozenset({".xls", ".xlsm", ".xlsb", ".ods", ".numbers"})
_FILLS = {
    "recorded": _GREEN,
    "skipped": _GREY,
    "ready": _GREY,
    "no_payment": _GREY,
    "unknown": _AMBER,
    "not_sent": _AMBER,
    "invalid": _RED,
    "rejected": _RED,
    "failed": _RED,
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
    mode: str = ""
    # Something to look at on a row that went ahead (a test-mode invoice); also in the message.
    warning: str = ""

    def outcome_cells(self) -> list[object]:
        """The outcome columns' values, in the order of ``OUTCOME_COLUMNS``."""
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


_FROM_JOURNAL = {
    "sending": (
        "unknown",
        "Was being sent when the run stopped; the next run of this file checks it against the "
        "invoice before anything else.",
    ),
}
_NOT_IN_RUN = (
    "Not in this run's record: the run stopped before sending it, it was not to be sent, or "
    "a later run settled it (see importer runs). Run the file again to settle it."
)


def rebuild_results(journal: Journal, run_id: int, path: Path) -> PaymentsFile:
    """Write the results file of run ``run_id`` again from the journal, after a crash.

    The run's own file is read again, and must be the very file the run read (same
    SHA-256): the journal names rows by number. InputFileError otherwise.
    """
    check_results_path(path)
    record = journal.history.run(run_id)
    if record is None:
        raise InputFileError(f"No run {run_id} in the journal at {journal.where}.")
    source = Path(record.file)
    if not source.is_file():
        raise InputFileError(
            f"Run {run_id} read {source}, which is no longer there; put it back to rebuild "
            "its results."
        )
    if file_sha256(source) != record.file_sha256:
        raise InputFileError(
            f"{source} has changed since run {run_id} read it, so its rows may not be the "
            "run's rows; its results cannot be rebuilt from this file."
        )
    # Read as the run read it: the same sheet of a workbook, the same encoding and separator.
    kept = record.reading
    payments_file = without_outcome_columns(
        load(source, sheet=kept.sheet, encoding=kept.encoding, delimiter=kept.delimiter)
    )
    finished = {row.row: row for row in journal.history.run_rows(run_id)}
    sent = {entry.row: entry for entry in journal.ledger.run_payments(run_id)}
    latest = _latest_states(sent.values())
    results = []
    for row in payments_file.rows:
        if (done := finished.get(row.number)) is not None:
            amount = Decimal(done.amount) if done.amount else None
            results.append(
                _with_state(
                    RowResult(
                        row, done.status, done.message, done.invoice_id, amount=amount,
                        mode=done.mode, warning=done.warning,
                    ),
                    done.invoice,
                )
            )  # fmt: skip
        elif (entry := sent.get(row.number)) is not None:
            status, message = _FROM_JOURNAL.get(entry.state, (entry.state, entry.message))
            result = RowResult(
                row, status, message, entry.invoice_id, amount=entry.amount, mode=entry.mode
            )
            results.append(_with_state(result, latest.get(entry.invoice_id, entry.invoice)))
        else:
            results.append(RowResult(row, "not_sent", _NOT_IN_RUN))
    summary = summarise(
        results, requests=record.requests, lookup_requests=record.lookup_requests or 0
    )
    write_results(
        path,
        payments_file,
        results,
        summary=summary,
        delimiter=payments_file.delimiter or ",",
        decimal=record.decimal_mark or ".",
    )
    return payments_file


def _latest_states(entries: Iterable[Entry]) -> dict[str, InvoiceState]:
    """Each invoice as the run's answers last showed it: the most paid on it is the newest."""
    latest: dict[str, InvoiceState] = {}
    for entry in entries:
        state = entry.invoice
        if not state.amount_paid:
            continue
        known = latest.get(entry.invoice_id)
        if known is None or Decimal(state.amount_paid) > Decimal(known.amount_paid):
            latest[entry.invoice_id] = state
    return latest


def _with_state(result: RowResult, state: InvoiceState) -> RowResult:
    return replace(
        result,
        invoice_number=state.number,
        invoice_status=state.status,
        amount_paid=Decimal(state.amount_paid) if state.amount_paid else None,
        amount_due=Decimal(state.amount_due) if state.amount_due else None,
        currency=state.currency,
    )


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


# ---------------------------------------------------------------------------------------------
# Summary


@dataclass
class Totals:
    """A count and a sum of amounts."""

    count: int = 0
    total: Decimal = Decimal(0)

    def add(self, amount: Decimal | None) -> None:
        self.count += 1
        self.total += amount or Decimal(0)

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "total": f"{self.total:.2f}"}


@dataclass
class Group:
    """Rows of one currency (or one mode in a currency): in the file, recorded, and not."""

    in_file: Totals = field(default_factory=Totals)
    recorded: Totals = field(default_factory=Totals)
    not_recorded: Totals = field(default_factory=Totals)

    def add(self, result: RowResult, *, done: frozenset[str] = DONE_STATUSES) -> None:
        self.in_file.add(result.amount)
        if result.status in done:
            self.recorded.add(result.amount)
        else:
            self.not_recorded.add(result.amount)

    def as_json(self) -> dict[str, Any]:
        return {
            "in_file": self.in_file.as_json(),
            "recorded": self.recorded.as_json(),
            "not_recorded": self.not_recorded.as_json(),
        }


@dataclass(frozen=True)
class ControlCheck:
    """The file's total and count against a control total, and any difference."""

    source: str  # "totals row" or "--expect-total/--expect-count"
    file_total: Decimal
    file_count: int
    expected_total: Decimal | None
    expected_count: int | None
    # The file's decimal mark, to state the totals the way the file writes them.
    decimal: str = "."

    @property
    def total_difference(self) -> Decimal | None:
        if self.expected_total is None:
            return None
        return self.file_total - self.expected_total

    @property
    def count_difference(self) -> int | None:
        return None if self.expected_count is None else self.file_count - self.expected_count

    @property
    def matches(self) -> bool:
        return not self.total_difference and not self.count_difference

    def line(self) -> str:
        """One sentence for the accountant."""
        mark: DecimalMark = "," if self.decimal == "," else "."
        parts = []
        if self.expected_total is not None:
            parts.append(
                f"total {format_amount(self.file_total, decimal=mark)} against "
                f"{format_amount(self.expected_total, decimal=mark)}"
            )
        if self.expected_count is not None:
            parts.append(f"{self.file_count} payments against {self.expected_count}")
        verdict = "matches" if self.matches else "DOES NOT MATCH"
        detail = ""
        if self.total_difference:
            sign = "+" if self.total_difference > 0 else "-"
            detail += (
                f" (difference {sign}{format_amount(abs(self.total_difference), decimal=mark)})"
            )
        if self.count_difference:
            detail += f" ({self.count_difference:+d} payments)"
        return f"Control ({self.source}): {' and '.join(parts)}: {verdict}{detail}."

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file_total": f"{self.file_total:.2f}",
            "file_count": self.file_count,
            "expected_total": None if self.expected_total is None else f"{self.expected_total:.2f}",
            "expected_count": self.expected_count,
            "total_difference": None
            if self.total_difference is None
            else f"{self.total_difference:.2f}",
            "count_difference": self.count_difference,
            "matches": self.matches,
        }


@dataclass(frozen=True)
class Summary:
    """What a run did, in the numbers an accountant ticks against the bank statement."""

    rows: int
    by_status: dict[str, int]
    by_currency: dict[str, Group]
    by_mode: dict[str, dict[str, Group]]
    invoices_paid: int
    invoices_partially_paid: int
    # None when not known: results rebuilt from the journal of a run that did not finish.
    requests: int | None
    lookup_requests: int = 0
    control: ControlCheck | None = None
    # A dry run's summary is of what a real run would do: ready rows count as recorded.
    dry_run: bool = False
    # Rows that went ahead with a warning (a test-mode invoice): their messages say which.
    warnings: int = 0

    @property
    def recorded_by_currency(self) -> dict[str, Decimal]:
        return {c: g.recorded.total for c, g in self.by_currency.items() if g.recorded.count}

    @property
    def words(self) -> dict[str, str]:
        """How the summary names what was recorded: "would be" for a dry run."""
        if self.dry_run:
            return {
                "recorded": "would be recorded",
                "not_recorded": "would not be recorded",
                "paid": "Invoices that would be paid",
                "partially_paid": "Invoices that would be partially paid",
            }
        return {
            "recorded": "recorded",
            "not_recorded": "not recorded",
            "paid": "Invoices now paid",
            "partially_paid": "Invoices now partially paid",
        }

    def lines(self) -> list[str]:
        """The summary as printed at the end of a run."""
        counts = ", ".join(f"{n} {status}" for status, n in self.by_status.items() if n)
        lines = [f"{self.rows} rows: {counts}."]
        if self.warnings:
            rows = "1 row" if self.warnings == 1 else f"{self.warnings} rows"
            lines.append(f"Warnings: {rows}; the message of each says why.")
        words = self.words
        for currency, group in sorted(self.by_currency.items()):
            lines.append(
                f"{currency}: {group.in_file.count} payments for {group.in_file.total:,.2f} "
                f"in the file; {group.recorded.count} {words['recorded']} for "
                f"{group.recorded.total:,.2f}; {group.not_recorded.count} "
                f"{words['not_recorded']} for {group.not_recorded.total:,.2f}."
            )
            for mode, by_mode in sorted(self.by_mode.get(currency, {}).items()):
                lines.append(
                    f"  {mode}: {by_mode.in_file.count} for {by_mode.in_file.total:,.2f}, "
                    f"{words['recorded']} {by_mode.recorded.count} for "
                    f"{by_mode.recorded.total:,.2f}."
                )
        if self.invoices_paid or self.invoices_partially_paid:
            lines.append(
                f"{words['paid']}: {self.invoices_paid}; "
                f"partially paid: {self.invoices_partially_paid}."
            )
        if self.control is not None:
            lines.append(self.control.line())
        if self.requests is None:
            lines.append("API requests: not known (the journal does not hold them).")
        else:
            lines.append(
                f"API requests: {self.requests} ({self.lookup_requests} to find the invoices)."
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        """The summary for automation (``--summary-json``); amounts as exact decimal text."""
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "warnings": self.warnings,
            "by_status": {status: self.by_status.get(status, 0) for status in STATUSES},
            "by_currency": {c: g.as_json() for c, g in sorted(self.by_currency.items())},
            "by_mode": {
                c: {m: g.as_json() for m, g in sorted(modes.items())}
                for c, modes in sorted(self.by_mode.items())
            },
            "invoices_paid": self.invoices_paid,
            "invoices_partially_paid": self.invoices_partially_paid,
            "requests": self.requests,
            "lookup_requests": self.lookup_requests,
            "control": None if self.control is None else self.control.as_json(),
        }


def summarise(
    results: Sequence[RowResult],
    *,
    requests: int | None,
    lookup_requests: int = 0,
    control: ControlCheck | None = None,
    dry_run: bool = False,
) -> Summary:
    """Rows per status, totals per currency and mode, and the invoices the run settled.

    In a dry run, rows ``ready`` count with those recorded: the summary is of the real run.
    """
    done = DONE_STATUSES | {"ready"} if dry_run else DONE_STATUSES
    by_status = {status: 0 for status in STATUSES}
    by_currency: dict[str, Group] = {}
    by_mode: dict[str, dict[str, Group]] = {}
    invoice_status: dict[str, str] = {}
    # A row whose currency is not known (its invoice was not found, and the file has no
    # currency column) is in the run's currency when the run has only one.
    currencies = {result.currency for result in results if result.currency}
    fallback = currencies.pop() if len(currencies) == 1 else UNKNOWN_CURRENCY
    for result in results:
        by_status[result.status] = by_status.get(result.status, 0) + 1
        if result.amount is not None:
            currency = result.currency or fallback
            by_currency.setdefault(currency, Group()).add(result, done=done)
            modes = by_mode.setdefault(currency, {})
            modes.setdefault(result.mode or UNKNOWN_MODE, Group()).add(result, done=done)
        if result.invoice_id and result.status in ("recorded", "skipped", "ready"):
            invoice_status[result.invoice_id] = result.invoice_status
    statuses = list(invoice_status.values())
    return Summary(
        rows=len(results),
        by_status={status: n for status, n in by_status.items() if n},
        by_currency=by_currency,
        by_mode=by_mode,
        invoices_paid=statuses.count("paid"),
        invoices_partially_paid=statuses.count("partially_paid"),
        requests=requests,
        lookup_requests=lookup_requests,
        control=control,
        dry_run=dry_run,
        warnings=sum(1 for result in results if result.warning),
    )


def write_summary_json(path: Path, summary: Summary) -> None:
    """The summary as JSON for automation, written atomically."""
    _atomically(path, lambda target: target.write_text(json.dumps(summary.as_json(), indent=2)))


# ---------------------------------------------------------------------------------------------
# Writing


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
        _atomically(path, lambda target: _write_xlsx(target, payments_file, results, summary))
    else:
        _atomically(
            path,
            lambda target: _write_csv(target, payments_file, results, delimiter, decimal),
        )


def _atomically(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        # mkstemp makes the file readable by its owner alone; a results file is for the
        # accountant's colleagues too, like any file they save.
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, else those of a new file under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        # The umask can only be read by setting it; it is put back at once.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _header(payments_file: PaymentsFile) -> list[str]:
    return [*payments_file.columns, *OUTCOME_COLUMNS]


def _input_cells(payments_file: PaymentsFile, row: SourceRow) -> list[str]:
    width = len(payments_file.columns)
    return list(row.cells[:width]) + [""] * (width - len(row.cells))


def neutralised(value: str) -> str:
    """A text cell made safe for CSV: one that starts like a formula gets a leading quote.

    A value that already starts with a quote gets one more, so that ``restored`` can always
    tell the quote it must take off from one that was in the cell (``'=x`` -> ``''=x``).
    """
    return "'" + value if value.startswith(_QUOTED_STARTS) else value


def restored(value: str) -> str:
    """A CSV results cell as it was before ``neutralised``: its exact inverse."""
    if value.startswith("'") and value[1:].startswith(_QUOTED_STARTS):
        return value[1:]
    return value


def _write_csv(
    path: Path,
    payments_file: PaymentsFile,
    results: Sequence[RowResult],
    delimiter: str,
    decimal: str,
) -> None:
    # A BOM so that Excel opens UTF-8 as UTF-8.
    with path.open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow([neutralised(name) for name in _header(payments_file)])
        for result in results:
            places = decimals(result.currency)
            cells = [*_input_cells(payments_file, result.source), *result.outcome_cells()]
            writer.writerow([_csv_cell(cell, places, decimal) for cell in cells])


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
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(_header(payments_file))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    status_column = len(payments_file.columns) + OUTCOME_COLUMNS.index("status")
    for result in results:
        sheet.append([*_input_cells(payments_file, result.source), *result.outcome_cells()])
        written = sheet[sheet.max_row]
        for cell in written:
            if isinstance(cell.value, str):
                # Text stays text: openpyxl would otherwise store "=..." as a live formula.
                cell.data_type = "s"
            elif isinstance(cell.value, Decimal):
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
    sheet.append([])
    sheet.append([summary.words["paid"], summary.invoices_paid])
    sheet.append([summary.words["partially_paid"], summary.invoices_partially_paid])
    sheet.append(["API requests", summary.requests])
    sheet.append(["API requests to find the invoices", summary.lookup_requests])
    if summary.control is not None:
        sheet.append([summary.control.line()])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    _fit_widths(sheet)


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
