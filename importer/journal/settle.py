"""A payment left in doubt, settled by what the accountant found in HighLevel."""

from __future__ import annotations

from pathlib import Path

from importer.errors import JournalError
from importer.journal.journal import Journal
from importer.journal.ledger import HandSettlement
from importer.words import payment_state_word

__all__ = ["settle_payment", "settled_words"]


def settle_payment(
    where: Path, run_id: int, row: int, *, recorded: bool, invoice: str | None = None
) -> HandSettlement:
    """Record that run ``run_id``'s payment from ``row`` was found recorded in HighLevel (the
    next run skips it) or not (the next run sends it); ``invoice`` says which, for a row that
    pays several. JournalError, saying why, when that payment is not in doubt or the journal
    cannot be used."""
    if not where.is_file():
        raise JournalError(
            f"No journal at {where}: nothing has been recorded from this computer yet."
        )
    # Exclusive: an import running with this journal may be sending this very payment.
    with Journal.open(where, exclusive=True) as journal:
        settled = journal.ledger.settle_by_hand(run_id, row, recorded=recorded, invoice=invoice)
        held = journal.ledger.payment_at(run_id, row) if settled is None else None
    if settled is not None:
        return settled
    if held is None:
        raise JournalError(
            f"Run {run_id} holds no payment from row {row} in the journal at {where}; "
            f"see: importer runs show {run_id}"
        )
    if invoice is not None:
        raise JournalError(
            f"Run {run_id}, row {row} holds no payment in doubt on invoice {invoice}; nothing "
            f"was changed. See: importer runs show {run_id}"
        )
    raise JournalError(
        f"Run {run_id}, row {row} is not in doubt (the journal says "
        f"{payment_state_word(held.state).lower()}); nothing was changed."
    )


def settled_words(settled: HandSettlement) -> str:
    """What was settled, by whom and when, and what the next run does about it."""
    found, then = (
        ("recorded", "the next run skips it")
        if settled.recorded
        else ("not recorded", "the next run sends it")
    )
    return (
        f"Run {settled.run_id}, row {settled.row}: {found} in HighLevel, as {settled.user} "
        f"found on {settled.at}; {then}."
    )
