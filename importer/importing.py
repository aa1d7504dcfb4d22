"""One import, start to end: load -> map and validate -> preflight -> submit -> results."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.check import (
    DecimalMark,
    Template,
    UnreadableValue,
    Validation,
    decimal_option,
    describe_cell,
    format_amount,
    infer_decimal,
    map_columns,
    parse_amount,
    problems_by_row,
    validate_file,
)
from importer.clock import SYSTEM_CLOCK, Clock
from importer.currencies import is_currency
from importer.errors import (
    ConfigurationError,
    ControlTotalMismatch,
    ImporterError,
    MappingError,
    ResultsFileError,
    RunStopped,
)
from importer.journal import InvoiceState, Journal, RunRow
from importer.output import (
    FINISHED_STATUSES,
    ControlCheck,
    RowResult,
    Summary,
    check_results_path,
    default_results_path,
    is_results_name,
    summarise,
    without_outcome_columns,
    write_results,
    write_summary_json,
)
from importer.preflight import Checked, check_payments, preflight
from importer.read import DEFAULT_MAX_SIZE_MB, PaymentsFile, SourceRow, load
from importer.send import (
    LOST_ANSWER_WAIT,
    Outcome,
    Sender,
    Submission,
    from_journal,
    in_doubt_note,
    payment_keys,
    recover_left_over,
    submit,
)
from importer.status import RowStatus, RunOutcome


@dataclass(frozen=True)
class Plan:
    """What a run is about to record, shown to the user before anything is sent."""

    file: PaymentsFile
    location_id: str
    cleared: list[Checked]
    totals: dict[str, Decimal]
    blocked_rows: int

    @property
    def payment_count(self) -> int:
        return len(self.cleared)


@dataclass(frozen=True)
class ImportReport:
    """A finished run: every row's result, where they were written, and the summary."""

    results: list[RowResult]
    results_path: Path
    summary: Summary
    stopped: RunStopped | ControlTotalMismatch | None = None
    dry_run: bool = False
    declined: bool = False
    # Invalid rows that held the whole run back (nothing sent); 0 when the run went ahead.
    held_back: int = 0
    # How the file was read (which sheet, which encoding, its totals row), for the user.
    notes: tuple[str, ...] = ()
    interrupted: bool = False
    run_id: int | None = None
    # Why a file could not be written at the end of the run, when one could not. The run
    # stands as recorded (and as the journal has it); only the file is missing.
    write_error: str | None = None
    results_written: bool = True

    @property
    def all_done(self) -> bool:
        """True when every row was recorded or skipped (or, in a dry run, would be)."""
        done = FINISHED_STATUSES | ({"ready"} if self.dry_run else set())
        return all(result.status in done for result in self.results)


def check_file(
    path: Path,
    *,
    template: Template,
    sheet: str | None = None,
    today: date | None = None,
    allow_duplicates: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
    max_size_mb: float = DEFAULT_MAX_SIZE_MB,
) -> tuple[PaymentsFile, Validation]:
    """Load and check a file locally, with no network."""
    payments_file = load(
        path,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        max_size_mb=max_size_mb,
        header_fits=lambda headers: _fits(headers, template),
    )
    # A results file given back as input is read as the input it was.
    payments_file = without_outcome_columns(payments_file)
    try:
        validation = validate_file(
            payments_file,
            template,
            today=today or date.today(),
            allow_duplicates=allow_duplicates,
            decimal=decimal,
            date_format=date_format,
        )
    except MappingError as error:
        if not payments_file.sheets:
            raise
        # No sheet of the workbook fits the template: say which one these columns are from.
        others = ", ".join(
            f'"{name}"' for name in payments_file.sheets if name != payments_file.sheet
        )
        raise MappingError(
            f'Sheet "{payments_file.sheet}": {error}'
            + (
                f" The workbook's other sheets: {others}; choose one with --sheet."
                if others
                else ""
            )
        ) from None
    return payments_file, validation


def _fits(headers: Sequence[str], template: Template) -> bool:
    try:
        map_columns(headers, template)
    except MappingError:
        return False
    return True


def file_notes(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> tuple[str, ...]:
    """What the user should know about how the file was read, totals row check included."""
    total_note = control_total_note(payments_file, template, decimal=decimal)
    return payments_file.notes + ((total_note,) if total_note else ())


@dataclass(frozen=True)
class FileTotal:
    """What the file's amount column adds up to, and what its totals row claims, if any."""

    mark: DecimalMark
    added: Decimal
    claimed: Decimal | None


def file_total(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> FileTotal | None:
    """The sum of every row's amount (invalid rows too: they are on the deposit slip as well).

    None when the amount column cannot be found or its decimal mark cannot be settled; the
    validation report says why.
    """
    try:
        index = map_columns(payments_file.columns, template).columns["amount"][0]
    except (ImporterError, KeyError):
        return None
    cells = [
        (row.number, row.cells[index] if index < len(row.cells) else "")
        for row in payments_file.rows
    ]
    total = payments_file.total
    claimed_text = ""
    claimed_at = index
    if total is not None:
        claimed_text = total.cells[index] if index < len(total.cells) else ""
        # A totals row may hold its sum in another column ("Total:" under Method, the sum
        # under Notes): the one cell that reads as an amount is the sum.
        amounts = [at for at, cell in enumerate(total.cells) if cell and _reads_as_amount(cell)]
        if not claimed_text and len(amounts) == 1:
            claimed_at = amounts[0]
            claimed_text = total.cells[claimed_at]
    # Workbook number cells are numbers, written with "." whatever the column's text says.
    numbers = payments_file.number_cells.get(index, frozenset())
    claimed_is_number = total is not None and total.number in payments_file.number_cells.get(
        claimed_at, frozenset()
    )
    try:
        mark = decimal_option(decimal or template.decimal) or infer_decimal(
            [
                *(cell for cell in cells if cell[0] not in numbers),
                *([(total.number, claimed_text)] if total and not claimed_is_number else []),
            ],
            column=payments_file.columns[index],
        )
    except ImporterError:
        return None
    try:
        claimed = (
            parse_amount(claimed_text, decimal="." if claimed_is_number else mark)
            if total is not None
            else None
        )
    except UnreadableValue:
        claimed = None
    added = Decimal(0)
    for number, text in cells:
        try:
            added += parse_amount(text, decimal="." if number in numbers else mark) if text else 0
        except UnreadableValue:
            continue  # reported as the row's own problem
    return FileTotal(mark, added, claimed)


def _reads_as_amount(text: str) -> bool:
    try:
        parse_amount(text, decimal=".")
    except UnreadableValue:
        return False
    return True


def control_total_note(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> str | None:
    """The file's totals row against the sum of its rows' amounts, or None with no totals row."""
    total = payments_file.total
    if total is None:
        return None
    found = file_total(payments_file, template, decimal=decimal)
    if found is None or found.claimed is None:
        return f"Row {total.number} is a totals row, not a payment; it is not counted."
    mark, added, claimed = found.mark, found.added, found.claimed
    if added == claimed:
        return (
            f"Row {total.number} is a totals row, not a payment: its "
            f"{format_amount(claimed, decimal=mark)} matches the sum of the rows."
        )
    gap = format_amount(abs(added - claimed), decimal=mark)
    what_next = (
        f"{gap} less: check for a missing row."
        if added < claimed
        else f"{gap} more: check for an extra or mistyped row."
    )
    return (
        f"Row {total.number} is a totals row, not a payment: it says "
        f"{format_amount(claimed, decimal=mark)} but the rows add up to "
        f"{format_amount(added, decimal=mark)}, {what_next}"
    )


@dataclass(frozen=True)
class RunOptions:
    """How a run behaves; every option has the safe default."""

    template: Template
    sheet: str | None = None
    results_path: Path | None = None
    dry_run: bool = False
    # Send the valid rows even when others are invalid (those stay ``invalid`` in the results).
    skip_invalid: bool = False
    allow_duplicates: bool = False
    today: date | None = None
    # The deposit's total: a Decimal, or the text as typed, read with the file's decimal mark.
    expect_total: Decimal | str | None = None
    expect_count: int | None = None
    summary_json: Path | None = None
    confirm: Callable[[Plan], bool] = field(default=lambda _plan: True)
    on_outcome: Callable[[Outcome], None] | None = None
    clock: Clock = SYSTEM_CLOCK
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    max_size_mb: float = DEFAULT_MAX_SIZE_MB
    # None keeps a journal in memory for this run only (rehearsals, library use).
    journal: Journal | None = None
    # Set it (Ctrl-C does) to stop sending: requests in flight finish, the rest are not_sent.
    stop: asyncio.Event | None = None
    # Record this many payments first, then ask ``after_canary`` (shown their outcomes)
    # before sending the rest; 0 sends everything at once.
    canary: int = 0
    # Given the canary's outcomes and how many payments are left; True sends them.
    after_canary: Callable[[list[Outcome], int], bool] = field(default=lambda _done, _left: True)
    concurrency: int = 8
    attempts: int = 5
    # Told how many payments are about to be sent, once they are known (for a progress bar).
    on_start: Callable[[int], None] | None = None
    # How long a payment whose answer was lost may still arrive (see send.LOST_ANSWER_WAIT),
    # on ``clock``; told, in words, when the run waits for such payments.
    lost_answer_wait: float = LOST_ANSWER_WAIT
    on_wait: Callable[[str], None] | None = None


async def run_import(path: Path, *, client: HighLevelClient, options: RunOptions) -> ImportReport:
    """Import one payments file through ``client``; ImporterError when it cannot start."""
    if options.journal is None:
        with Journal.open(":memory:") as journal:
            return await _run_import(path, client, options, journal)
    return await _run_import(path, client, options, options.journal)


async def _run_import(
    path: Path, client: HighLevelClient, options: RunOptions, journal: Journal
) -> ImportReport:
    if options.results_path is not None:
        check_results_path(options.results_path)
    payments_file, validation = check_file(
        path,
        template=options.template,
        sheet=options.sheet,
        today=options.today,
        allow_duplicates=options.allow_duplicates,
        encoding=options.encoding,
        delimiter=options.delimiter,
        decimal=options.decimal,
        date_format=options.date_format,
        max_size_mb=options.max_size_mb,
    )
    notes = payments_file.notes + validation.column_notes
    # One invalid row holds back the whole file unless asked otherwise: an accountant fixes the
    # file and imports it once, rather than chasing which half went in. The valid rows are
    # still checked against their invoices, so one run shows every problem.
    held_back = 0 if options.skip_invalid else len(validation.invalid_rows)
    results_path = options.results_path or default_results_path(path)
    if results_path.resolve() == path.resolve():
        raise ConfigurationError(
            f"--results {results_path} is the file being imported; writing the results there "
            "would replace it. Choose another name, or leave --results out."
        )
    if options.results_path is None and is_results_name(path):
        notes += (
            f"{path.name} is a results file given back: its old outcome columns are ignored, "
            f"and this run's results go to {results_path.name}, leaving {path.name} as it was.",
        )
    # Found out now, not after the payments are recorded with nowhere to report them.
    ensure_writable(results_path, what="the results file", flag="--results")
    if options.summary_json is not None:
        ensure_writable(options.summary_json, what="the summary", flag="--summary-json")
    found = file_total(payments_file, options.template, decimal=options.decimal)
    # The file's decimal mark, for the results' amounts (None when the file cannot settle it).
    file_mark = found.mark if found is not None else None
    mark = file_mark or "."
    reader = InvalidRows(payments_file, validation, options.template, file_mark)
    control = control_check(
        payments_file, options, found=found, no_payment=len(validation.empty_rows)
    )
    if control is not None and not control.matches:
        # The deposit slip and the file disagree: nothing is sent until the accountant knows why.
        stop = ControlTotalMismatch(
            control.line() + " Nothing was sent; find the difference, then run again."
        )
        payments = {payment.row: payment for payment in validation.payments}
        results = []
        for row in payments_file.rows:
            payment = payments.get(row.number)
            if row.number in validation.empty_rows:
                results.append(RowResult(row, RowStatus.NO_PAYMENT, NO_PAYMENT))
            elif payment is None:
                results.append(reader.result(row))
            else:
                results.append(
                    RowResult(
                        row,
                        RowStatus.NOT_SENT,
                        str(stop),
                        amount=payment.amount,
                        currency=payment.currency or "",
                        mode=payment.mode,
                    )
                )
        report = _finish(
            payments_file, results, results_path, options, client, 0, control, stop,
            notes=notes,
        )  # fmt: skip
        return _write_files(report, payments_file, options, decimal_mark=mark)
    checked = await preflight(client, validation.payments)
    verdicts = checked.verdicts
    lookup_requests = checked.lookup_requests
    keys = payment_keys(client.location_id, verdicts)
    known = journal.ledger.find(client.base_url, keys.values())
    settled, in_doubt = from_journal(verdicts, keys, known)
    if in_doubt and not options.dry_run:
        settled.update(
            await recover_left_over(
                client,
                journal,
                in_doubt,
                keys,
                known,
                lost_answer_wait=options.lost_answer_wait,
                clock=options.clock,
                on_wait=options.on_wait,
            )
        )
    elif in_doubt:
        # A dry run records nothing, so it leaves the check to the real run, and says so.
        verdicts = [
            in_doubt_note(v, known[keys[v.payment.row]]) if v.payment.row in in_doubt else v
            for v in verdicts
        ]
    if settled and checked.index is not None:
        # The invoices' balances include what earlier runs recorded: check the rest again
        # without the rows already settled, so those do not count twice. The invoices were
        # paged moments ago, and nothing has been sent since: the same index serves, with
        # the copies that checking payments in doubt read afterwards (they may show one that
        # landed in between). The list is read once per run.
        index = checked.index.refreshed(
            [o.invoice for o in settled.values() if o.invoice is not None]
        )
        remaining = [v.payment for v in verdicts if v.payment.row not in settled]
        rechecked = {v.payment.row: v for v in check_payments(index, remaining)}
        verdicts = [rechecked.get(v.payment.row, v) for v in verdicts]
    cleared = [v for v in verdicts if v.refusal is None and v.payment.row not in settled]
    plan = Plan(
        payments_file,
        client.location_id,
        cleared,
        _totals(cleared),
        blocked_rows=len(payments_file.rows) - len(cleared),
    )
    outcomes: dict[int, Outcome] = dict(settled)
    stopped: RunStopped | None = None
    declined = interrupted = False
    run_id: int | None = None
    if held_back or options.dry_run:
        pass
    elif cleared and not options.confirm(plan):
        declined = True
    elif cleared:
        run_id = journal.history.start_run(
            file=payments_file.path, location_id=client.location_id, api_url=client.base_url
        )
        if options.on_start is not None:
            options.on_start(len(cleared))
        sender = Sender(
            client,
            journal,
            run_id,
            payments_file.path.name,
            attempts=options.attempts,
            lost_answer_wait=options.lost_answer_wait,
            clock=options.clock,
        )
        try:
            submission = await _submit_with_canary(
                sender, cleared, keys=keys, taking_over=frozenset(in_doubt), options=options
            )
        except BaseException as error:
            # A second Ctrl-C cancels the run where it stands: not a crash. Either way the
            # rows' outcomes are not known; the journal's payments say what was recorded.
            at_once = isinstance(error, (asyncio.CancelledError, KeyboardInterrupt))
            journal.history.finish_run(
                run_id,
                outcome=RunOutcome.INTERRUPTED if at_once else RunOutcome.CRASHED,
                message=(
                    "Stopped at once by a second Ctrl-C; payments on their way may be "
                    "recorded, and the next run checks them first."
                    if at_once
                    else str(error) or type(error).__name__
                ),
                counts={},
                totals=_recorded(journal, run_id),
                rows=[],
            )
            raise
        outcomes.update({outcome.payment.row: outcome for outcome in submission.outcomes})
        stopped = submission.stopped
        interrupted = submission.interrupted
    results = _row_results(
        payments_file,
        validation,
        reader,
        verdicts,
        outcomes,
        dry_run=options.dry_run,
        declined=declined,
        held_back=held_back,
    )
    report = _finish(
        payments_file,
        results,
        results_path,
        options,
        client,
        lookup_requests,
        control,
        stopped,
        declined=declined,
        held_back=held_back,
        interrupted=interrupted,
        run_id=run_id,
        notes=notes,
    )
    if run_id is not None:
        journal.history.finish_run(
            run_id,
            outcome=RunOutcome.STOPPED
            if stopped
            else RunOutcome.INTERRUPTED
            if interrupted
            else RunOutcome.FINISHED,
            message=str(stopped or ""),
            counts={str(s): n for s, n in report.summary.by_status.items()},
            totals=_recorded(journal, run_id),
            rows=[
                RunRow(
                    r.source.number,
                    RowStatus(r.status),
                    r.message,
                    r.invoice_id,
                    "" if r.amount is None else f"{r.amount:.2f}",
                    r.mode,
                    InvoiceState(
                        r.invoice_number,
                        r.invoice_status,
                        "" if r.amount_paid is None else f"{r.amount_paid}",
                        "" if r.amount_due is None else f"{r.amount_due}",
                        r.currency,
                    ),
                    r.warning,
                )
                for r in results
            ],
            requests=report.summary.requests,
            lookup_requests=report.summary.lookup_requests,
            decimal_mark=mark,
        )
    # Only after the journal has the run: whatever becomes of the files, the run is closed
    # and its results can be written again from the journal (importer runs show ID --results).
    return _write_files(report, payments_file, options, decimal_mark=mark)


def _recorded(journal: Journal, run_id: int) -> dict[str, Decimal]:
    """What run ``run_id`` itself recorded, by currency (not what it skipped)."""
    return {currency: money.total for currency, money in journal.run_money(run_id).recorded.items()}


def control_check(
    payments_file: PaymentsFile,
    options: RunOptions,
    *,
    found: FileTotal | None,
    no_payment: int = 0,
) -> ControlCheck | None:
    """The file's rows (adding up to ``found``) against the control total: the one given,
    else the file's totals row.

    ``no_payment`` rows (a pre-filled workbook's invoices nobody paid) are not payments, so
    they are not counted against ``--expect-count``.
    """
    added = found.added if found is not None else Decimal(0)
    payments = len(payments_file.rows) - no_payment
    mark = (
        found.mark
        if found is not None
        else decimal_option(options.decimal or options.template.decimal)
    )
    if options.expect_total is not None or options.expect_count is not None:
        return ControlCheck(
            "--expect-total/--expect-count",
            added,
            payments,
            expected_total(options.expect_total, mark),
            options.expect_count,
            decimal=mark or ".",
        )
    if payments_file.total is not None and found is not None and found.claimed is not None:
        return ControlCheck(
            f"totals row {payments_file.total.number}",
            added,
            payments,
            found.claimed,
            None,
            decimal=found.mark,
        )
    return None


def expected_total(given: Decimal | str | None, mark: DecimalMark | None) -> Decimal | None:
    """--expect-total as the accountant typed it, read with the file's decimal mark.

    ``18.574,00`` is read the way the file's amounts are; ``18,574`` (a thousands separator
    or a decimal comma) only once the file settles which. ConfigurationError when not.
    """
    if not isinstance(given, str):
        return given
    try:
        return parse_amount(given.strip(), decimal=mark)
    except UnreadableValue as error:
        raise ConfigurationError(f"--expect-total {error}") from None


def _finish(
    payments_file: PaymentsFile,
    results: list[RowResult],
    results_path: Path,
    options: RunOptions,
    client: HighLevelClient,
    lookup_requests: int,
    control: ControlCheck | None,
    stopped: RunStopped | ControlTotalMismatch | None,
    *,
    declined: bool = False,
    held_back: int = 0,
    interrupted: bool = False,
    run_id: int | None = None,
    notes: tuple[str, ...] = (),
) -> ImportReport:
    summary = summarise(
        results,
        requests=client.requests_sent,
        lookup_requests=lookup_requests,
        control=control,
        dry_run=options.dry_run,
    )
    return ImportReport(
        results,
        results_path,
        summary,
        stopped=stopped,
        dry_run=options.dry_run,
        declined=declined,
        held_back=held_back,
        # The totals row is stated by the control line of the summary.
        notes=notes,
        interrupted=interrupted,
        run_id=run_id,
    )


def _write_files(
    report: ImportReport, payments_file: PaymentsFile, options: RunOptions, *, decimal_mark: str
) -> ImportReport:
    """Write the results file and the JSON summary; a failure comes back in the report.

    Not raised: by now payments may be recorded, and the summary must still be shown.
    """
    try:
        write_results(
            report.results_path,
            payments_file,
            report.results,
            summary=report.summary,
            delimiter=payments_file.delimiter or ",",
            decimal=decimal_mark,
        )
    except OSError as error:
        return dataclasses.replace(
            report,
            write_error=f"Cannot write the results file {report.results_path} "
            f"({_reason(error, report.results_path)}).",
            results_written=False,
        )
    if options.summary_json is not None:
        try:
            write_summary_json(options.summary_json, report.summary)
        except OSError as error:
            return dataclasses.replace(
                report,
                write_error=f"Cannot write the summary {options.summary_json} "
                f"({_reason(error, options.summary_json)}); the results file is written.",
            )
    return report


def ensure_writable(path: Path, *, what: str, flag: str) -> None:
    """ResultsFileError unless ``path`` can be written as the results are: a new file beside
    it, then put in its place. ``flag`` is the option that chooses another place."""
    folder = path.parent
    existing = path.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The same kind of name the writing uses, so a name too long for the disk shows now.
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        os.close(handle)
        os.unlink(probe)
        if existing:
            # A file open in Excel on Windows refuses this, as it would refuse being replaced.
            # Opened to append and closed at once, it is left unchanged.
            with path.open("ab"):
                pass
    except OSError as error:
        if path.is_dir():
            raise ResultsFileError(
                f"Cannot write {what} {path}: it is a folder; nothing was sent. Run again with "
                f"{flag} PATH naming a file."
            ) from None
        reason = _reason(error, path)
        if existing:
            raise ResultsFileError(
                f"Cannot write {what} {path} ({reason}); nothing was sent. Close it if it is "
                f"open in another program such as Excel, or run again with {flag} PATH to "
                "write it elsewhere."
            ) from None
        raise ResultsFileError(
            f"Cannot write {what} in the folder {folder} ({reason}); nothing was sent. Run "
            f"again with {flag} PATH to write it in a folder you can save to."
        ) from None


def _reason(error: OSError, path: Path) -> str:
    """Why a file could not be written, in plain words."""
    for part in (path.parent, *path.parent.parents):
        if part.exists():
            if not part.is_dir():
                return f"{part} is a file, not a folder"
            break
    return (error.strerror or type(error).__name__).lower()


def held_back_message(invalid_rows: int) -> str:
    """Why a valid row was not sent when others are invalid, and the two ways on."""
    rows = "1 row of this file is" if invalid_rows == 1 else f"{invalid_rows} rows of this file are"
    return (
        f"Not sent: {rows} invalid, so nothing was recorded. Fix the invalid rows and run "
        "again, or run again with --skip-invalid to record the valid rows now."
    )


def _totals(cleared: list[Checked]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for checked in cleared:
        currency = checked.invoice.currency if checked.invoice else "?"
        totals[currency] = totals.get(currency, Decimal(0)) + checked.payment.amount
    return totals


class InvalidRows:
    """The invalid rows' results, with what can still be read of them for the summary.

    The summary's "in the file" adds up every amount on the deposit slip, so an invalid row
    counts with its amount, method and currency when those cells read.
    """

    def __init__(
        self,
        payments_file: PaymentsFile,
        validation: Validation,
        template: Template,
        mark: DecimalMark | None,
    ) -> None:
        try:
            self._columns = map_columns(payments_file.columns, template).columns
        except ImporterError:
            self._columns = {}
        self._template = template
        self._mark = mark
        self._problems = problems_by_row(validation.problems)

    def _cell(self, row: SourceRow, name: str) -> str:
        index = self._columns.get(name, (-1, ""))[0]
        text = row.cells[index].strip() if 0 <= index < len(row.cells) else ""
        return text or self._template.constants.get(name, "")

    def result(self, row: SourceRow) -> RowResult:
        """The row ``invalid``, its problems as the message, and its readable cells."""
        # The row has its own column in the results: the message need not repeat it.
        message = " ".join(describe_cell(p) for p in self._problems.get(row.number, []))
        try:
            amount: Decimal | None = parse_amount(self._cell(row, "amount"), decimal=self._mark)
        except UnreadableValue:
            amount = None
        method = self._template.method(self._cell(row, "method"))
        currency = self._cell(row, "currency").upper()
        return RowResult(
            row,
            RowStatus.INVALID,
            message,
            amount=amount,
            currency=currency if is_currency(currency) else "",
            mode=method.mode if method is not None else "",
        )


def _row_results(
    payments_file: PaymentsFile,
    validation: Validation,
    invalid: InvalidRows,
    verdicts: list[Checked],
    outcomes: dict[int, Outcome],
    *,
    dry_run: bool,
    declined: bool,
    held_back: int = 0,
) -> list[RowResult]:
    by_row = {verdict.payment.row: verdict for verdict in verdicts}
    latest = _latest_invoices(outcomes.values())
    if dry_run and not held_back:
        # Every row of an invoice shows it as it would stand after the whole run, as a real
        # run's rows show it after the run: ready, skipped and rejected rows alike.
        latest.update(_projected(latest, verdicts, outcomes))
    results = []
    for source in payments_file.rows:
        if source.number in validation.empty_rows:
            results.append(RowResult(source, RowStatus.NO_PAYMENT, NO_PAYMENT))
            continue
        if source.number in validation.invalid_rows:
            results.append(invalid.result(source))
            continue
        verdict = by_row[source.number]
        payment = verdict.payment
        invoice = verdict.invoice
        early = outcomes.get(source.number)
        if early is not None and (dry_run or declined or held_back):
            # Settled from the journal before anything was to be sent.
            results.append(
                _with_invoice(
                    RowResult(
                        source,
                        RowStatus(early.status),
                        early.message,
                        amount=payment.amount,
                        mode=payment.mode,
                    ),
                    _newest(latest, early.invoice or invoice),
                )
            )
            continue
        if verdict.refusal is not None and early is None:
            results.append(
                _with_invoice(
                    RowResult(
                        source,
                        RowStatus.REJECTED,
                        verdict.refusal,
                        amount=payment.amount,
                        currency=payment.currency or "",
                        mode=payment.mode,
                    ),
                    _newest(latest, invoice),
                )
            )
            continue
        assert invoice is not None
        if held_back:
            results.append(
                _with_invoice(
                    RowResult(
                        source,
                        RowStatus.NOT_SENT,
                        held_back_message(held_back),
                        amount=payment.amount,
                        mode=payment.mode,
                    ),
                    _newest(latest, invoice),
                )
            )
            continue
        if dry_run or declined:
            results.append(
                _with_invoice(
                    RowResult(
                        source,
                        RowStatus.READY if dry_run else RowStatus.NOT_SENT,
                        (verdict.warning or "")
                        if dry_run
                        else "Not sent: the run was not confirmed.",
                        amount=payment.amount,
                        mode=payment.mode,
                        warning=(verdict.warning or "") if dry_run else "",
                    ),
                    _newest(latest, invoice),
                )
            )
            continue
        outcome = outcomes[source.number]
        message = " ".join(part for part in (outcome.message, verdict.warning or "") if part)
        results.append(
            _with_invoice(
                RowResult(
                    source,
                    RowStatus(outcome.status),
                    message,
                    amount=payment.amount,
                    mode=payment.mode,
                    warning=verdict.warning or "",
                ),
                _newest(latest, outcome.invoice or invoice),
            )
        )
    return results


NO_PAYMENT = "No payment in this row."
CANARY_DECLINED = "Not sent: the run was stopped after the first payments, as asked."


async def _submit_with_canary(
    sender: Sender,
    cleared: list[Checked],
    *,
    keys: Mapping[int, str],
    taking_over: frozenset[int],
    options: RunOptions,
) -> Submission:
    """Send the payments; with a canary, the first few alone, then the rest if the user agrees.

    A canary lets the accountant look at a few real invoices in HighLevel (and at the
    automations they set off) before the whole file goes.
    """
    batches = (
        [cleared[: options.canary], cleared[options.canary :]] if options.canary else [cleared]
    )
    outcomes: list[Outcome] = []
    stopped: RunStopped | None = None
    interrupted = False
    for number, batch in enumerate(batches):
        if not batch:
            continue
        if number == 1 and (
            stopped or interrupted or not options.after_canary(outcomes, len(batch))
        ):
            why = CANARY_DECLINED if not (stopped or interrupted) else _why_stopped(stopped)
            outcomes += [Outcome(c.payment, RowStatus.NOT_SENT, why, c.invoice) for c in batch]
            break
        submission = await submit(
            sender,
            batch,
            keys=keys,
            taking_over=taking_over,
            concurrency=options.concurrency,
            stop=options.stop,
            on_outcome=options.on_outcome,
            on_wait=options.on_wait,
        )
        outcomes += submission.outcomes
        stopped, interrupted = submission.stopped, submission.interrupted
    return Submission(outcomes, stopped, interrupted)


def _why_stopped(stopped: RunStopped | None) -> str:
    if stopped is not None:
        return f"Not sent: the run had to stop ({stopped})"
    return "Not sent: the run was interrupted."


def _latest_invoices(outcomes: Iterable[Outcome]) -> dict[str, Invoice]:
    """Each invoice as it stands after the run: the answer that shows the most paid on it.

    Payments only add to an invoice during a run, and answers to concurrent requests arrive
    in any order, so the copy with the highest amountPaid is the newest.
    """
    latest: dict[str, Invoice] = {}
    for outcome in outcomes:
        invoice = outcome.invoice
        if invoice is None:
            continue
        known = latest.get(invoice.id)
        if known is None or invoice.amount_paid > known.amount_paid:
            latest[invoice.id] = invoice
    return latest


def _projected(
    latest: Mapping[str, Invoice], verdicts: list[Checked], outcomes: Mapping[int, Outcome]
) -> dict[str, Invoice]:
    """Each invoice as a real run would leave it: its cleared rows' payments added."""
    added: dict[str, Decimal] = {}
    before: dict[str, Invoice] = {}
    for verdict in verdicts:
        invoice = verdict.invoice
        if verdict.refusal is not None or invoice is None or verdict.payment.row in outcomes:
            continue
        before.setdefault(invoice.id, latest.get(invoice.id, invoice))
        added[invoice.id] = added.get(invoice.id, Decimal(0)) + verdict.payment.amount
    projected = {}
    for invoice_id, amount in added.items():
        invoice = before[invoice_id]
        due = invoice.amount_due - amount
        projected[invoice_id] = invoice.model_copy(
            update={
                "amount_paid": invoice.amount_paid + amount,
                "amount_due": due,
                "status": "paid" if due <= 0 else "partially_paid",
            }
        )
    return projected


def _newest(latest: dict[str, Invoice], invoice: Invoice | None) -> Invoice | None:
    """The invoice as it stands after the run, so every row of one invoice shows the same."""
    if invoice is None:
        return None
    return latest.get(invoice.id, invoice)


def _number(invoice: Invoice) -> str:
    return f"{invoice.invoice_number_prefix or ''}{invoice.invoice_number or ''}"


def _with_invoice(result: RowResult, invoice: Invoice | None) -> RowResult:
    if invoice is None:
        return result
    return dataclasses.replace(
        result,
        invoice_id=invoice.id,
        invoice_number=_number(invoice),
        invoice_status=invoice.status,
        amount_paid=invoice.amount_paid,
        amount_due=invoice.amount_due,
        currency=invoice.currency,
    )
