"""One import, start to end: load -> map and validate -> preflight -> submit -> results."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.errors import ImporterError, RunStopped
from importer.loader import DEFAULT_MAX_SIZE_MB, PaymentsFile, load
from importer.mapping import Template, map_columns
from importer.preflight import Checked, preflight
from importer.results import (
    DONE_STATUSES,
    RowResult,
    Summary,
    default_results_path,
    summarise,
    write_results,
)
from importer.submit import Outcome, Sleep, submit
from importer.validate import Validation, describe, problems_by_row, validate_file
from importer.values import (
    UnreadableValue,
    decimal_option,
    format_amount,
    infer_decimal,
    parse_amount,
)


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
    stopped: RunStopped | None = None
    dry_run: bool = False
    declined: bool = False
    # How the file was read (which sheet, which encoding, its totals row), for the user.
    notes: tuple[str, ...] = ()

    @property
    def all_done(self) -> bool:
        """True when every row was recorded or skipped (or, in a dry run, would be)."""
        done = DONE_STATUSES | ({"ready"} if self.dry_run else set())
        return all(result.status in done for result in self.results)


def check_file(
    path: Path,
    *,
    template: Template,
    sheet: str | None = None,
    today: date | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
    max_size_mb: float = DEFAULT_MAX_SIZE_MB,
) -> tuple[PaymentsFile, Validation]:
    """Load and check a file locally, with no network."""
    payments_file = load(
        path, sheet=sheet, encoding=encoding, delimiter=delimiter, max_size_mb=max_size_mb
    )
    validation = validate_file(
        payments_file,
        template,
        today=today or date.today(),
        decimal=decimal,
        date_format=date_format,
    )
    return payments_file, validation


def file_notes(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> tuple[str, ...]:
    """What the user should know about how the file was read, totals row check included."""
    total_note = control_total_note(payments_file, template, decimal=decimal)
    return payments_file.notes + ((total_note,) if total_note else ())


def control_total_note(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> str | None:
    """The file's totals row against the sum of its rows' amounts, or None with no totals row."""
    total = payments_file.total
    if total is None:
        return None
    try:
        index = map_columns(payments_file.columns, template).columns["amount"][0]
    except (ImporterError, KeyError):
        return None
    numbers = [cell for cell in total.cells if cell]
    claimed_text = total.cells[index] if index < len(total.cells) else ""
    if not claimed_text and len(numbers) == 1:
        claimed_text = numbers[0]
    cells = [(row.number, row.cells[index]) for row in payments_file.rows]
    try:
        mark = decimal_option(decimal) or infer_decimal(
            [*cells, (total.number, claimed_text)], column=payments_file.columns[index]
        )
        claimed = parse_amount(claimed_text, decimal=mark)
    except (ImporterError, UnreadableValue):
        return f"Row {total.number} is a totals row, not a payment; it is not counted."
    added = Decimal(0)
    for _number, text in cells:
        try:
            added += parse_amount(text, decimal=mark) if text else 0
        except UnreadableValue:
            continue  # reported as the row's own problem
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
    today: date | None = None
    confirm: Callable[[Plan], bool] = field(default=lambda _plan: True)
    on_outcome: Callable[[Outcome], None] | None = None
    sleep: Sleep = asyncio.sleep
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    max_size_mb: float = DEFAULT_MAX_SIZE_MB


async def run_import(path: Path, *, client: HighLevelClient, options: RunOptions) -> ImportReport:
    """Import one payments file through ``client``; ImporterError when it cannot start."""
    payments_file, validation = check_file(
        path,
        template=options.template,
        sheet=options.sheet,
        today=options.today,
        encoding=options.encoding,
        delimiter=options.delimiter,
        decimal=options.decimal,
        date_format=options.date_format,
        max_size_mb=options.max_size_mb,
    )
    results_path = options.results_path or default_results_path(path)
    verdicts = await preflight(client, validation.payments)
    cleared = [verdict for verdict in verdicts if verdict.refusal is None]
    plan = Plan(
        payments_file,
        client.location_id,
        cleared,
        _totals(cleared),
        blocked_rows=len(payments_file.rows) - len(cleared),
    )
    outcomes: dict[int, Outcome] = {}
    stopped: RunStopped | None = None
    declined = False
    if options.dry_run:
        pass
    elif cleared and not options.confirm(plan):
        declined = True
    elif cleared:
        submission = await submit(
            client,
            cleared,
            file_name=payments_file.path.name,
            sleep=options.sleep,
            on_outcome=options.on_outcome,
        )
        outcomes = {outcome.payment.row: outcome for outcome in submission.outcomes}
        stopped = submission.stopped
    results = _row_results(
        payments_file, validation, verdicts, outcomes, dry_run=options.dry_run, declined=declined
    )
    write_results(results_path, payments_file, results)
    return ImportReport(
        results,
        results_path,
        summarise(results, requests=client.requests_sent),
        stopped=stopped,
        dry_run=options.dry_run,
        declined=declined,
        notes=file_notes(payments_file, options.template, decimal=options.decimal),
    )


def _totals(cleared: list[Checked]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for checked in cleared:
        currency = checked.invoice.currency if checked.invoice else "?"
        totals[currency] = totals.get(currency, Decimal(0)) + checked.payment.amount
    return totals


def _row_results(
    payments_file: PaymentsFile,
    validation: Validation,
    verdicts: list[Checked],
    outcomes: dict[int, Outcome],
    *,
    dry_run: bool,
    declined: bool,
) -> list[RowResult]:
    problems = problems_by_row(validation.problems)
    by_row = {verdict.payment.row: verdict for verdict in verdicts}
    projected: dict[str, Decimal] = {}
    results = []
    for source in payments_file.rows:
        if source.number in problems:
            message = " ".join(describe(p) for p in problems[source.number])
            results.append(RowResult(source, "invalid", message))
            continue
        verdict = by_row[source.number]
        payment = verdict.payment
        invoice = verdict.invoice
        if verdict.refusal is not None:
            results.append(
                _with_invoice(
                    RowResult(source, "rejected", verdict.refusal, amount=payment.amount), invoice
                )
            )
            continue
        assert invoice is not None
        if dry_run or declined:
            # Show the invoice as it would stand after this row, so the accountant sees the
            # balance a real run would leave.
            paid = projected.get(invoice.id, invoice.amount_paid) + payment.amount
            projected[invoice.id] = paid
            due = invoice.total - paid
            status = "paid" if due <= 0 else "partially_paid"
            results.append(
                RowResult(
                    source,
                    "ready" if dry_run else "not_sent",
                    (verdict.warning or "") if dry_run else "Not sent: the run was not confirmed.",
                    invoice.id,
                    _number(invoice),
                    status if dry_run else invoice.status,
                    paid if dry_run else invoice.amount_paid,
                    due if dry_run else invoice.amount_due,
                    amount=payment.amount,
                    currency=invoice.currency,
                )
            )
            continue
        outcome = outcomes[source.number]
        message = " ".join(part for part in (outcome.message, verdict.warning or "") if part)
        results.append(
            _with_invoice(
                RowResult(source, outcome.status, message, amount=payment.amount),
                outcome.invoice or invoice,
            )
        )
    return results


def _number(invoice: Invoice) -> str:
    return f"{invoice.invoice_number_prefix or ''}{invoice.invoice_number or ''}"


def _with_invoice(result: RowResult, invoice: Invoice | None) -> RowResult:
    if invoice is None:
        return result
    return RowResult(
        result.source,
        result.status,
        result.message,
        invoice.id,
        _number(invoice),
        invoice.status,
        invoice.amount_paid,
        invoice.amount_due,
        amount=result.amount,
        currency=invoice.currency,
    )
