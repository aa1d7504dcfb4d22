"""Results written again from the journal, for a run that died before writing its own.

The journal keeps what each row came to; the run's own file, read again, gives the rows
themselves. Rows the journal does not name were never settled by that run: not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from importer.errors import InputFileError
from importer.journal.journal import Journal
from importer.journal.ledger import Entry, InvoiceState
from importer.journal.runs import RunRow, file_sha256
from importer.output.rebuild_parts import (
    amount_of,
    checked_as_the_run_did,
    expected_parts,
    partly_across_rows,
    several_sent,
)
from importer.output.results import (
    PART_SEPARATOR,
    PartCells,
    RowResult,
    check_results_path,
    free_results_path,
    input_number_formats,
    without_outcome_columns,
    write_results,
)
from importer.output.summary import RunIdentity, summarise
from importer.read.files import load
from importer.status import PaymentState, RowStatus

_IN_FLIGHT = (
    "Was being sent when the run stopped; the next run of this file checks it against the "
    "invoice before anything else."
)
_NOT_IN_RUN = (
    "Not in this run's record: the run stopped before sending it, it was not to be sent, or "
    "a later run settled it (see importer runs). Run the file again to settle it."
)


def rebuild_results(journal: Journal, run_id: int, path: Path) -> Path:
    """Write the results file of run ``run_id`` again from the journal, after a crash; the
    path written: ``path``, or the next free name when ``path`` holds what this run did not
    write (another run's results, or this run's edited since).

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
    sent: dict[int, list[Entry]] = {}
    for entry in journal.ledger.run_payments(run_id):
        sent.setdefault(entry.row, []).append(entry)
    latest = _latest_states(entry for entries in sent.values() for entry in entries)
    # Which parts each row has, and which rows are one payment, as the run found them.
    validation = checked_as_the_run_did(payments_file, record)
    results = []
    for row in payments_file.rows:
        entries = sent.get(row.number, [])
        expected = expected_parts(validation, row.number)
        if (done := finished.get(row.number)) is not None:
            amount = Decimal(done.amount) if done.amount else None
            result = RowResult(
                row, RowStatus(done.status), done.message, done.invoice_id, amount=amount,
                mode=done.mode, warning=done.warning, client=done.client,
            )  # fmt: skip
            results.append(_with_state(result, done.invoice))
        elif entries and (len(entries) > 1 or len(expected) > 1):
            results.append(several_sent(row, entries, expected, latest))
        elif entries:
            (entry,) = entries
            status = RowStatus.UNKNOWN if entry.state == PaymentState.SENDING else entry.state
            message = _IN_FLIGHT if entry.state == PaymentState.SENDING else entry.message
            result = RowResult(
                row, RowStatus(status), message, entry.invoice_id, amount=entry.amount,
                mode=entry.mode,
            )  # fmt: skip
            results.append(_with_state(result, latest.get(entry.invoice_id, entry.invoice)))
        else:
            results.append(RowResult(row, RowStatus.NOT_SENT, _NOT_IN_RUN))
    # A run that finished said itself which payments were partly recorded.
    results = partly_across_rows(results, validation, mark=not finished)
    identity = RunIdentity(
        run_id,
        record.started_at,
        record.user,
        record.file,
        record.file_sha256,
        record.api_url,
        record.location_id,
    )
    summary = summarise(
        results,
        requests=record.requests,
        lookup_requests=record.lookup_requests or 0,
        identity=identity,
    )
    written = free_results_path(path, ours=lambda there: journal.history.wrote(run_id, there))
    write_results(
        written,
        payments_file,
        results,
        summary=summary,
        delimiter=payments_file.delimiter or ",",
        decimal=record.decimal_mark or ".",
        number_formats=input_number_formats(payments_file, record.file_sha256),
    )
    journal.history.results_written(run_id, written)
    return written


def journal_row(result: RowResult) -> RunRow:
    """A row's result as the journal keeps it, to write the results again from (see
    ``rebuild_results``): a row paying several invoices keeps each invoice column as the
    results file shows it, the invoices separated by "; "."""
    cells = result.outcome_cells()
    invoice_id, number, status, paid, due = (
        "" if cell is None else str(cell) for cell in cells[3:8]
    )
    return RunRow(
        result.source.number,
        RowStatus(result.status),
        result.message,
        invoice_id,
        "" if result.amount is None else f"{result.amount:.2f}",
        result.mode,
        InvoiceState(number, status, paid, due, result.currency),
        result.warning,
        result.client,
    )


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
    if PART_SEPARATOR in result.invoice_id:
        # A row that paid several invoices: each invoice column lists them, in its order.
        kept = (result.invoice_id, state.number, state.status, state.amount_paid, state.amount_due)
        columns = [text.split(PART_SEPARATOR) for text in kept]
        parts = tuple(
            PartCells(result.status, None, ids, number, status, amount_of(paid), amount_of(due))
            for ids, number, status, paid, due in zip(*columns, strict=False)
        )
        return replace(result, invoice_id="", parts=parts, currency=state.currency)
    return replace(
        result,
        invoice_number=state.number,
        invoice_status=state.status,
        amount_paid=Decimal(state.amount_paid) if state.amount_paid else None,
        amount_due=Decimal(state.amount_due) if state.amount_due else None,
        currency=state.currency,
    )
