"""Every row of the file with its outcome, put together from the checks and the answers.

A row is ``no_payment``, ``invalid`` or passed over (a statement's line that is no money
received, or one not accepted) from the file alone; else its invoice's verdict and what
became of its payment decide (of each of its parts, for a row that pays several invoices: see
``parts``). Every row of one invoice shows the invoice as it stands
after the run (in a dry run, as the run would leave it), so the results read the same on
each of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from importer.api.models import Invoice
from importer.check.mapping import map_columns
from importer.check.payments import Place, Remittance
from importer.check.problems import describe_cell, problems_by_row
from importer.check.templates import Template
from importer.check.validation import Validation
from importer.check.values import DecimalMark, UnreadableValue, parse_amount
from importer.currencies import is_currency
from importer.errors import ImporterError
from importer.output.parts import (
    DONE,
    PartOutcome,
    is_partly,
    part_outcome,
    partly_recorded,
    row_status,
    several_parts,
    with_invoice,
)
from importer.output.results import PartCells, RowResult
from importer.preflight import Checked
from importer.read.layout import PaymentsFile, SourceRow
from importer.send.outcomes import Outcome
from importer.status import RowStatus

NO_PAYMENT = "No payment in this row."
NOT_CONFIRMED = "Not sent: the run was not confirmed."


def held_back_message(invalid_rows: int) -> str:
    """Why a valid row was not sent when others are invalid, and the two ways on."""
    rows = "1 row of this file is" if invalid_rows == 1 else f"{invalid_rows} rows of this file are"
    return (
        f"Not sent: {rows} invalid, so nothing was recorded. Fix the invalid rows and run "
        "again, or run again with --skip-invalid to record the valid rows now."
    )


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


def row_results(
    payments_file: PaymentsFile,
    validation: Validation,
    invalid: InvalidRows,
    verdicts: Sequence[Checked],
    outcomes: Mapping[Place, Outcome],
    *,
    dry_run: bool,
    not_sent_because: str | None = None,
) -> list[RowResult]:
    """One result per row of the file, in file order.

    ``not_sent_because`` holds every payment back with that message (invalid rows elsewhere
    in the file, a control total that does not match, a run that was not confirmed); rows
    the journal settled before anything was to be sent keep what it says. A row that pays
    several invoices gives one result from its parts' outcomes, and every row of a payment
    only part of which is recorded is ``partly_recorded``.
    """
    latest = _latest_invoices(outcomes.values())
    if dry_run and not_sent_because is None:
        # Every row of an invoice shows it as it would stand after the whole run, as a real
        # run's rows show it after the run: ready, skipped and rejected rows alike.
        latest.update(_projected(latest, verdicts, outcomes))
    parts: dict[int, list[PartOutcome]] = {}
    for verdict in [*verdicts, *_not_checked(validation, verdicts)]:
        outcome = outcomes.get(verdict.payment.place)
        parts.setdefault(verdict.payment.row, []).append(
            part_outcome(verdict, outcome, latest, not_sent_because=not_sent_because)
        )
    # Rows listing invoices without amounts, by row: refused whole, they still name them.
    listed = {row.payment.row: row.invoices for row in validation.in_full}
    results = []
    for source in payments_file.rows:
        number = source.number
        remittance = validation.remittance_of(number)
        payment_row = remittance.first_row if remittance is not None else 0
        if number in validation.empty_rows:
            results.append(RowResult(source, RowStatus.NO_PAYMENT, NO_PAYMENT))
        elif (passed := validation.passed_over.get(number)) is not None:
            results.append(
                RowResult(
                    source, passed.status, passed.message, amount=passed.amount,
                    currency=passed.currency, mode=passed.mode,
                )
            )  # fmt: skip
        elif number in validation.invalid_rows:
            results.append(dataclasses.replace(invalid.result(source), payment_row=payment_row))
        else:
            head = _partly_head(remittance, number, parts, validation)
            result = _row_result(source, parts[number], head, payment_row)
            if len(parts[number]) == 1 and number in listed:
                # Not made into parts: each invoice it lists, with the row's outcome.
                result = dataclasses.replace(
                    result,
                    parts=tuple(
                        PartCells(result.status, None, invoice_number=a.written)
                        for a in listed[number]
                    ),
                    invoice_id="",
                    invoice_number="",
                )
            results.append(result)
    return results


def _not_checked(validation: Validation, verdicts: Sequence[Checked]) -> list[Checked]:
    """The payments of rows that were never checked against their invoices (the file and the
    deposit slip disagree), each with no verdict: so every valid row has a result."""
    checked = {verdict.payment.row for verdict in verdicts}
    payments = [*validation.payments, *(row.payment for row in validation.in_full)]
    return [Checked(p, None, None) for p in payments if p.row not in checked]


def _partly_head(
    remittance: Remittance | None,
    row: int,
    parts: Mapping[int, list[PartOutcome]],
    validation: Validation,
) -> str:
    """The head of the message of a row whose payment is only partly recorded, else ""."""
    statuses: list[RowStatus] = []
    for each in remittance.rows if remittance is not None else (row,):
        if each in validation.invalid_rows or each not in parts:
            statuses.append(RowStatus.INVALID)
        else:
            statuses += [part.status for part in parts[each]]
    if not is_partly(statuses):
        return ""
    count = len(remittance.places) if remittance is not None else len(statuses)
    named = remittance.named() if remittance is not None else "this payment"
    return partly_recorded(sum(status in DONE for status in statuses), count, named)


def _row_result(
    source: SourceRow, parts: list[PartOutcome], head: str, payment_row: int
) -> RowResult:
    """A valid row's result from its parts (one, for most rows)."""
    if len(parts) > 1 or head:
        status = RowStatus.PARTLY_RECORDED if head else row_status(p.status for p in parts)
        return several_parts(source, parts, status=status, head=head, payment_row=payment_row)
    (part,) = parts
    payment = part.payment
    result = RowResult(
        source,
        part.status,
        part.message,
        amount=payment.amount,
        currency=payment.currency or "",
        mode=payment.mode,
        warning=part.warning,
        parts=(part.cells(),) if payment_row else (),
        payment_row=payment_row,
    )
    return with_invoice(result, part.invoice)


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
    latest: Mapping[str, Invoice], verdicts: Sequence[Checked], outcomes: Mapping[Place, Outcome]
) -> dict[str, Invoice]:
    """Each invoice as a real run would leave it: its cleared rows' payments added."""
    added: dict[str, Decimal] = {}
    before: dict[str, Invoice] = {}
    for verdict in verdicts:
        invoice = verdict.invoice
        if verdict.refusal is not None or invoice is None or verdict.payment.place in outcomes:
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
