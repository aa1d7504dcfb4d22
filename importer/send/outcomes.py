"""What became of a payment cleared to send, in the words the results and the journal keep."""

from __future__ import annotations

from dataclasses import dataclass

from importer.api.models import Invoice
from importer.check.validation import Payment
from importer.errors import RunStopped
from importer.journal.ledger import Entry, InvoiceState
from importer.status import PaymentState, RowStatus

__all__ = [
    "SECOND_PAYMENT_ADVICE",
    "Outcome",
    "Submission",
    "invoice_state",
    "settle_by_hand",
    "skipped_message",
]

# How an accountant records a payment just like one already recorded, when it is a second one.
SECOND_PAYMENT_ADVICE = (
    "If this row is a second real payment just like that one, put yes in its Allow duplicate "
    "cell and run it again."
)


@dataclass(frozen=True)
class Outcome:
    """What happened to one payment that was cleared to send."""

    payment: Payment
    status: RowStatus  # recorded, skipped, rejected, failed, unknown, not_sent
    message: str
    invoice: Invoice | None


@dataclass(frozen=True)
class Submission:
    """Every cleared payment's outcome, and what stopped the run if something did."""

    outcomes: list[Outcome]
    stopped: RunStopped | None
    interrupted: bool = False


def invoice_state(invoice: Invoice) -> InvoiceState:
    """The invoice as the journal keeps it, to rebuild a run's results from the journal."""
    return InvoiceState(
        number=f"{invoice.invoice_number_prefix or ''}{invoice.invoice_number or ''}",
        status=invoice.status,
        amount_paid=f"{invoice.amount_paid}",
        amount_due=f"{invoice.amount_due}",
        currency=invoice.currency,
    )


def settle_by_hand(run_id: int, row: int, *, invoice: str = "") -> str:
    """What the accountant does about a payment the importer cannot confirm; ``invoice``
    names it among the parts of a row that pays several invoices."""
    which = f" --invoice {invoice}" if invoice else ""
    return (
        "Look for it on the invoice in HighLevel, then say what you found: importer runs "
        f"settle {run_id} {row}{which} --recorded (or --not-recorded). Until then each run "
        "checks it again and never sends it."
    )


def skipped_message(entry: Entry) -> str:
    """Why a payment is not sent again: when, by which run, from which file and row."""
    if entry.state == PaymentState.RECORDED:
        return (
            f"Already recorded on {entry.settled_at or entry.sent_at} by run {entry.run_id} "
            f"({entry.file}, row {entry.row})."
        )
    return (
        f"Run {entry.run_id} ({entry.file}, row {entry.row}) has been sending this payment "
        f"since {entry.sent_at}; it is not sent again until that run's outcome is known."
    )
