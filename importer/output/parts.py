"""A row's one result from what became of its parts, and a payment's rows read as a whole.

A row that pays several invoices has a part per invoice, each with its own outcome: its
results row says what became of each, and its status is theirs when they agree. A payment some
of whose parts are recorded and others not is ``partly_recorded`` on every row of it, so that
half a cheque is never taken for a whole one, nor for one not recorded at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from importer.api.models import Invoice
from importer.check.validation import Payment
from importer.output.results import PartCells, RowResult
from importer.preflight import Checked
from importer.read.layout import SourceRow
from importer.send.outcomes import Outcome
from importer.status import RowStatus
from importer.words import invoice_status_word, status_word

__all__ = [
    "DONE",
    "PartOutcome",
    "is_partly",
    "newest",
    "part_outcome",
    "partly_recorded",
    "row_status",
    "several_parts",
    "with_invoice",
    "words",
]

# A part that is on its invoice.
DONE = frozenset({RowStatus.RECORDED, RowStatus.SKIPPED})
# Which status a row of parts that disagree takes when none of them is done: what asks most
# of the accountant first.
_FIRST_TOLD = (RowStatus.UNKNOWN, RowStatus.FAILED, RowStatus.REJECTED, RowStatus.NOT_SENT)


@dataclass(frozen=True)
class PartOutcome:
    """What became of one part of a row's payment (or of a row whose parts are not known)."""

    payment: Payment
    status: RowStatus
    message: str
    invoice: Invoice | None  # as it stands after the run (in a dry run, as it would)
    warning: str = ""

    def cells(self) -> PartCells:
        invoice, amount = self.invoice, self.payment.amount
        if invoice is None:
            return PartCells(self.status, amount, invoice_number=self.payment.invoice.text)
        return PartCells(
            self.status,
            self.payment.amount,
            invoice.id,
            invoice.shown_number,
            invoice.status,
            invoice.amount_paid,
            invoice.amount_due,
            invoice.client_name,
        )


def newest(latest: Mapping[str, Invoice], invoice: Invoice | None) -> Invoice | None:
    """The invoice as it stands after the run, so every row of one invoice shows the same."""
    if invoice is None:
        return None
    return latest.get(invoice.id, invoice)


def part_outcome(
    verdict: Checked,
    outcome: Outcome | None,
    latest: Mapping[str, Invoice],
    *,
    not_sent_because: str | None,
) -> PartOutcome:
    """One part's outcome: what sending did, else its verdict, else why nothing was sent;
    and cleared but not sent only in a dry run, where it would be recorded."""
    payment, warning = verdict.payment, verdict.warning or ""
    if outcome is not None:
        message = " ".join(part for part in (outcome.message, warning) if part)
        invoice = newest(latest, outcome.invoice or verdict.invoice)
        return PartOutcome(payment, outcome.status, message, invoice, warning)
    invoice = newest(latest, verdict.invoice)
    if verdict.refusal is not None:
        return PartOutcome(payment, RowStatus.REJECTED, verdict.refusal, invoice)
    if not_sent_because is not None:
        return PartOutcome(payment, RowStatus.NOT_SENT, not_sent_because, invoice)
    return PartOutcome(payment, RowStatus.READY, warning, invoice, warning)


def row_status(parts: Iterable[RowStatus]) -> RowStatus:
    """A row's status from its parts': theirs when they agree; recorded when all are on their
    invoices; partly recorded when only some are; else what asks most of the accountant."""
    statuses = set(parts)
    if len(statuses) == 1:
        return statuses.pop()
    if statuses <= DONE:
        return RowStatus.RECORDED
    if statuses <= DONE | {RowStatus.READY}:
        return RowStatus.READY
    if statuses & DONE:
        return RowStatus.PARTLY_RECORDED
    return next(status for status in _FIRST_TOLD if status in statuses)


def is_partly(statuses: Sequence[RowStatus]) -> bool:
    """True when some parts of a payment are on their invoices and others will not be (a part
    that a dry run would record counts as one that will be)."""
    return any(s in DONE for s in statuses) and any(
        s not in DONE and s != RowStatus.READY for s in statuses
    )


def partly_recorded(done: int, count: int, named: str) -> str:
    """The head of the message of every row of a payment only part of which is recorded."""
    return (
        f"Partly recorded: {done} of {count} invoices of {named} have their part recorded. Run "
        "the same command again to record the rest; what is recorded is not sent again."
    )


def several_parts(
    source: SourceRow,
    parts: Sequence[PartOutcome],
    *,
    status: RowStatus,
    head: str = "",
    payment_row: int = 0,
) -> RowResult:
    """The result of a row from its parts: each invoice with its outcome and new balance in
    the message, and in the invoice columns."""
    invoices = [part.invoice for part in parts if part.invoice is not None]
    first = parts[0].payment
    warnings = list(dict.fromkeys(part.warning for part in parts if part.warning))
    return RowResult(
        source,
        status,
        " ".join(text for text in (head, describe(parts)) if text),
        amount=sum((part.payment.amount for part in parts), Decimal(0)),
        currency=invoices[0].currency if invoices else first.currency or "",
        mode=first.mode,
        warning=" ".join(warnings),
        parts=tuple(part.cells() for part in parts),
        payment_row=payment_row,
    )


def describe(parts: Sequence[PartOutcome]) -> str:
    """Each part in a few words, then what their messages say: once when every part says the
    same, else each with its invoice."""
    lines = "; ".join(_in_words(part) for part in parts) + "."
    messages = [part for part in parts if part.message]
    if not messages:
        return lines
    if len(messages) == len(parts) and len({part.message for part in messages}) == 1:
        return f"{lines} {messages[0].message}"
    told = " ".join(f"{_label(part)}: {part.message}" for part in messages)
    return f"{lines} {told}"


def _label(part: PartOutcome) -> str:
    invoice = part.invoice
    return invoice.shown_number if invoice is not None else f"Invoice {part.payment.invoice.text}"


def words(status: RowStatus) -> str:
    """A part's outcome in the words of a message: "not sent"."""
    return status_word(status).lower()


def _in_words(part: PartOutcome) -> str:
    said = f"{_label(part)}, {part.payment.amount:,.2f}: {words(part.status)}"
    invoice = part.invoice
    if invoice is None:
        return said
    state = invoice_status_word(invoice.status).lower()
    return f"{said} (invoice {state}, {invoice.amount_due:,.2f} due)"


def with_invoice(result: RowResult, invoice: Invoice | None) -> RowResult:
    """The result with its invoice's number, status and balance after the run."""
    if invoice is None:
        return result
    return dataclasses.replace(
        result,
        invoice_id=invoice.id,
        invoice_number=f"{invoice.invoice_number_prefix or ''}{invoice.invoice_number or ''}",
        invoice_status=invoice.status,
        amount_paid=invoice.amount_paid,
        amount_due=invoice.amount_due,
        currency=invoice.currency,
        client=invoice.client_name,
    )
