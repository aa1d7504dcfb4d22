"""Which lines of a statement are money received; the others are passed over, never refused.

A bank statement, a card terminal's report or a payment processor's export lists money in
and money out: debits, fees, refunds, payouts to the bank, opening and closing balances,
payments still pending. Those lines are not payments and are not mistakes either: the
results show them ``not_a_payment`` with the reason, and they never hold the file back.
``passed_over`` is the one test, so that matching a statement's lines to invoices can ask
the same question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from importer.check.templates import Template, normalise
from importer.check.values import DecimalMark, UnreadableValue, parse_amount, quoted

# Words that, in a column saying what a line is (Status, Type), mean no money was received.
NOT_RECEIVED = frozenset(
    {
        "pending", "failed", "failure", "cancelled", "canceled", "declined", "denied",
        "rejected", "expired", "unpaid", "refund", "refunded", "reversed", "reversal",
        "voided", "void", "returned", "chargeback", "chargedback", "disputed", "payout",
        "withdrawal", "fee", "fees", "debit", "memo", "pendiente", "rechazado", "devuelto",
        "devolucion", "anulado", "cancelado", "retiro", "comision", "reembolso", "annule",
        "rejete", "rembourse", "remboursement", "impaye",
    }
)  # fmt: skip
# A line that carries a balance forward, opens or closes the statement: its description
# starts so ("Beginning balance as of 10/01/2026", "Saldo inicial"), where a payment's would
# name who paid.
_BALANCE_LINE = re.compile(
    r"\s*(?:(?:opening|closing|beginning|ending|previous|starting|final)\s+balance\b"
    r"|(?:balance\s+)?(?:brought|carried)\s+forward\b"
    r"|saldo\s+(?:inicial|anterior|final|al\s+cierre)\b|suma\s+y\s+sigue\b"
    r"|solde\s+(?:pr[ée]c[ée]dent|initial|final|au)\b|(?:ancien|nouveau)\s+solde\b)",
    re.IGNORECASE,
)


_STATUS = re.compile("status|estado|statut")


@dataclass(frozen=True)
class StatementColumns:
    """Where a file says which of its lines are money received."""

    headers: Sequence[str]
    amount: int | None = None
    money_out: int | None = None
    status: tuple[int, ...] = ()
    # Lines with money out (a negative amount, a debit) are passed over, not refused.
    money_in_only: bool = False

    @classmethod
    def of(
        cls,
        headers: Sequence[str],
        columns: Mapping[str, tuple[int, str]],
        status: Sequence[int],
        template: Template,
    ) -> StatementColumns:
        """The columns of a file mapped for ``template`` that tell money in from the rest."""
        amount = columns["amount"][0] if "amount" in columns else None
        money_out = columns["money_out"][0] if "money_out" in columns else None
        money_in_only = template.statement or money_out is not None
        if not money_in_only:
            # In a list of payments a "Type" may be the method ("Direct debit"): only a column
            # that says it is a status ("Pending", "Refunded") tells a line is no payment.
            status = [i for i in status if _STATUS.search(normalise(headers[i]))]
        return cls(headers, amount, money_out, tuple(status), money_in_only=money_in_only)

    @property
    def tells_lines_apart(self) -> bool:
        """True when some line of the file could be passed over."""
        return self.money_in_only or bool(self.status)


def passed_over(
    cells: Sequence[str], columns: StatementColumns, *, decimal: DecimalMark | None
) -> str | None:
    """Why the line of ``cells`` is not money received, in a sentence; None when it is (or
    may be)."""
    for at in columns.status:
        said = _cell(cells, at)
        if said and not NOT_RECEIVED.isdisjoint(_words(said)):
            return f"Its {columns.headers[at]} says {quoted(said)}: no money received."
    if not columns.money_in_only:
        return None
    if any(_BALANCE_LINE.match(cell) for cell in cells if cell):
        return "A balance line, not money received."
    money_in = _amount(_cell(cells, columns.amount), decimal)
    money_out = _amount(_cell(cells, columns.money_out), decimal)
    if money_in is not None and money_in < 0:
        return f"Money paid out ({_cell(cells, columns.amount)})."
    if not money_in and money_out and columns.money_out is not None:
        header = columns.headers[columns.money_out]
        return f"Money paid out ({_cell(cells, columns.money_out)} under {header!r})."
    if not money_in and _cell(cells, columns.amount) == "":
        return "No money received in this line."
    if money_in == 0:
        return "No money received in this line (an amount of 0)."
    return None


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _words(text: str) -> set[str]:
    folded = normalise(text)
    return {folded, *(normalise(word) for word in re.findall(r"[^\W\d_]+", text))}


def _amount(text: str, decimal: DecimalMark | None) -> int | None:
    """The sign of an amount cell (-1, 0 or 1), None when it is empty or unreadable."""
    if not text:
        return None
    try:
        value = parse_amount(text, decimal=decimal)
    except UnreadableValue:
        return None
    return (value > 0) - (value < 0)
