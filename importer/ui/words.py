"""How the workbench shows a status: one function, so that people's words for the statuses
(and any other wording of them) are put in one place.

A status is never shown by colour alone: each has a mark and its word beside the colour.
"""

from __future__ import annotations

from decimal import Decimal

from importer.status import RowStatus
from importer.words import status_word

__all__ = ["money", "status_mark", "status_text", "totals_text"]

_MARKS: dict[str, str] = {
    RowStatus.RECORDED: "✓",
    RowStatus.SKIPPED: "✓",
    RowStatus.READY: "→",
    RowStatus.NO_PAYMENT: "–",
    RowStatus.NOT_A_PAYMENT: "–",
    RowStatus.INVALID: "✗",
    RowStatus.REJECTED: "✗",
    RowStatus.FAILED: "✗",
    RowStatus.UNKNOWN: "?",
    RowStatus.NOT_SENT: "–",
    RowStatus.DUPLICATE: "=",  # the same as a payment already there
    RowStatus.PARTLY_RECORDED: "◐",  # some of its invoices done, some not
}


def status_text(status: str) -> str:
    """A row's status as a page shows it: people's word for it (``importer.words``)."""
    return status_word(status)


def status_mark(status: str) -> str:
    """A sign that tells the status apart without its colour."""
    return _MARKS.get(status, "")


def money(amount: Decimal | None) -> str:
    """An amount as the summary writes it: 18,574.00."""
    return "" if amount is None else f"{amount:,.2f}"


def totals_text(totals: dict[str, Decimal]) -> str:
    """Money by currency in one line: USD 18,574.00, EUR 10.00."""
    return ", ".join(f"{currency} {money(amount)}" for currency, amount in sorted(totals.items()))
