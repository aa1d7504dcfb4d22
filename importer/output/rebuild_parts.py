"""Payments for several invoices in results written again from the journal.

The journal keeps each part a run sent, by row; which parts a row has, and which rows are one
payment, the file says. So the run's file is checked again as the run checked it (its
template, its reading, its day), and a row whose parts the run did not all send, or a payment
only some of whose parts are recorded, shows as it is: ``partly_recorded``, naming each part.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from importer.check.fields import InvoiceRef
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.check.validation import Validation
from importer.errors import ImporterError
from importer.journal.ledger import Entry, InvoiceState
from importer.journal.runs import RunRecord
from importer.output.parts import DONE, is_partly, partly_recorded, row_status, words
from importer.output.results import PartCells, RowResult
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import PaymentState, RowStatus

__all__ = [
    "amount_of",
    "checked_as_the_run_did",
    "expected_parts",
    "partly_across_rows",
    "several_sent",
]

_IN_FLIGHT = "was being sent when the run stopped; the next run checks it first"
_NOT_SENT = (
    "The run stopped before sending the parts marked not sent; run the file again to send them."
)
# (the invoice as the row names it, as written, the part's amount when the row says)
Expected = tuple[InvoiceRef, str, Decimal | None]


def checked_as_the_run_did(payments_file: PaymentsFile, record: RunRecord) -> Validation | None:
    """The file checked again with the run's template and reading, on the run's day; None when
    that cannot be (a template file since removed, or a run from before the journal kept it)."""
    kept = record.reading
    try:
        template = load_template(kept.template) if kept.template else DEFAULT_TEMPLATE
        return validate_file(
            payments_file,
            template,
            today=date.fromisoformat(record.started_at[:10]),
            decimal=kept.decimal_mark or None,
            date_format=kept.date_format,
        )
    except (ImporterError, ValueError):
        return None


def expected_parts(validation: Validation | None, row: int) -> list[Expected]:
    """The parts the row has, in its order (empty when the file cannot tell)."""
    if validation is None:
        return []
    for in_full in validation.in_full:
        if in_full.payment.row == row:
            return [(a.invoice, a.written, None) for a in in_full.invoices]
    return [
        (payment.invoice, payment.invoice.text, payment.amount)
        for payment in validation.payments
        if payment.row == row
    ]


def several_sent(
    row: SourceRow,
    entries: Sequence[Entry],
    expected: Sequence[Expected],
    latest: Mapping[str, InvoiceState],
) -> RowResult:
    """A row of a run that died, from the parts of it the journal holds: each sent part with
    what became of it, each other part not sent."""
    left = list(entries)
    parts: list[PartCells] = []
    said: list[str] = []
    for ref, written, amount in expected:
        entry = next((e for e in left if _is_invoice(ref, e)), None)
        if entry is None:
            parts.append(PartCells(RowStatus.NOT_SENT, amount, invoice_number=written))
            said.append(f"{written}: not sent")
            continue
        left.remove(entry)
        cells, words_of = _sent(entry, latest)
        parts.append(cells)
        said.append(words_of)
    for entry in left:  # parts the file no longer names as the journal does: shown all the same
        cells, words_of = _sent(entry, latest)
        parts.append(cells)
        said.append(words_of)
    missing = any(part.status == RowStatus.NOT_SENT for part in parts)
    amounts = [part.amount for part in parts]
    return RowResult(
        row,
        row_status(part.status for part in parts),
        "; ".join(said) + "." + (f" {_NOT_SENT}" if missing else ""),
        amount=sum((a for a in amounts if a is not None), Decimal(0)),
        currency=entries[0].invoice.currency if entries else "",
        mode=entries[0].mode if entries else "",
        parts=tuple(parts),
    )


def _sent(entry: Entry, latest: Mapping[str, InvoiceState]) -> tuple[PartCells, str]:
    status = RowStatus.UNKNOWN if entry.state == PaymentState.SENDING else RowStatus(entry.state)
    message = _IN_FLIGHT if entry.state == PaymentState.SENDING else entry.message
    state = latest.get(entry.invoice_id, entry.invoice)
    cells = PartCells(
        status,
        entry.amount,
        entry.invoice_id,
        state.number,
        state.status,
        amount_of(state.amount_paid),
        amount_of(state.amount_due),
    )
    said = f"{state.number or entry.invoice_id}, {entry.amount:,.2f}: {words(status)}"
    return cells, said + (f" ({message})" if message else "")


def _is_invoice(ref: InvoiceRef, entry: Entry) -> bool:
    if ref.kind == "id":
        return entry.invoice_id.lower() == ref.text
    digits = re.search(r"\d+$", entry.invoice.number)
    return digits is not None and digits.group() == ref.text


def partly_across_rows(
    results: Sequence[RowResult], validation: Validation | None, *, mark: bool
) -> list[RowResult]:
    """Every row of a payment of several rows tied to its first, for the summary to count it
    once; and with ``mark``, every row of one only part of which is recorded marked so."""
    if validation is None:
        return list(results)
    by_row = {result.source.number: result for result in results}
    for remittance in validation.remittances:
        mine = [by_row[row] for row in remittance.rows if row in by_row]
        statuses = [p.status for r in mine for p in (r.parts or (PartCells(r.status, r.amount),))]
        partly = mark and is_partly(statuses)
        head = partly_recorded(
            sum(s in DONE for s in statuses), len(remittance.places), remittance.named()
        )
        for result in mine:
            by_row[result.source.number] = dataclasses.replace(
                result,
                payment_row=remittance.first_row,
                status=RowStatus.PARTLY_RECORDED if partly else result.status,
                message=f"{head} {result.message}".strip() if partly else result.message,
                parts=result.parts or (PartCells(result.status, result.amount),),
            )
    return [by_row[result.source.number] for result in results]


def amount_of(text: str) -> Decimal | None:
    """An amount as the journal keeps it, as text; None for none."""
    return Decimal(text.replace(",", ".")) if text else None
