"""The payment ledger: every payment ever sent, where it stands, and who settled one by hand.

The API has no idempotency key, so this is what stands between a re-run and a payment recorded
twice. A payment is claimed ``sending``, durably, before its request leaves, and settled
(recorded, rejected, failed, unknown, not_sent) when the answer is known. One still ``sending``
at the start of a run was in flight when a run died: the next run verifies it first.

Payments are keyed by the account they were sent to and their payment key (see
``send.payment_key``), so the same payment in another file is found too. The account is the
location (``location X``), whatever address reached it: ``http://localhost:P`` and
``http://127.0.0.1:P`` are one account. A rehearsal's payments are kept under their sandbox
(``sandbox S location X``, see ``HighLevelClient.account``), so a rehearsal never makes a real
payment "already recorded", and a sandbox started again holds none of them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal

from importer.errors import JournalError
from importer.journal.store import STAMP, Store, columns, stamp, who
from importer.status import PaymentState

# The columns of payments and run_rows that keep an InvoiceState, in its order.
_INVOICE_COLUMNS = ("invoice_number", "invoice_status", "amount_paid", "amount_due", "currency")
# How the accounts of rehearsals begin: a sandbox's, or one an older journal kept by address.
REHEARSAL_ACCOUNTS = ("sandbox ", "rehearsal ")
# States a later run must verify against the API before it may send the payment again.
IN_DOUBT = frozenset({PaymentState.SENDING, PaymentState.UNKNOWN})


@dataclass(frozen=True)
class InvoiceState:
    """An invoice as a run last saw it: its number, status, balance and currency, as text."""

    number: str = ""
    status: str = ""
    amount_paid: str = ""
    amount_due: str = ""
    currency: str = ""


@dataclass(frozen=True)
class Entry:
    """One payment as the journal knows it."""

    key: str
    state: PaymentState
    run_id: int
    row: int
    file: str
    invoice_id: str
    amount: Decimal
    paid_on: str
    paid_before: Decimal
    message: str
    sent_at: str
    settled_at: str | None
    mode: str = ""
    # The invoice when the payment was sent; once recorded, as the API's answer showed it.
    invoice: InvoiceState = InvoiceState()


@dataclass(frozen=True)
class Money:
    """How many payments, for how much."""

    count: int
    total: Decimal


@dataclass(frozen=True)
class HandSettlement:
    """What an accountant found in HighLevel for a payment in doubt, and who said so when."""

    run_id: int
    row: int
    recorded: bool
    was: PaymentState  # the payment's state before: sending or unknown
    user: str
    at: str


def sent_by(entry: Entry) -> datetime:
    """When the payment's request had left at the latest: ``sent_at`` is cut to the second, and
    the request may have left up to a second after it (see ``Ledger.leaving``)."""
    stamped = datetime.strptime(entry.sent_at, STAMP).replace(tzinfo=UTC)
    return stamped + timedelta(seconds=2)


class Ledger:
    """The payments of one journal; reached as ``Journal.ledger``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        # When this process last wrote each payment's sent_at (see ``leaving``).
        self._sent_written: dict[tuple[str, str], datetime] = {}

    def find(self, account: str, keys: Iterable[str]) -> dict[str, Entry]:
        """What the journal knows of these payment keys at this API."""
        return {entry.key: entry for entry in self._where_in(account, "key", keys)}

    def on_invoices(self, account: str, invoice_ids: Iterable[str]) -> dict[str, list[Entry]]:
        """Every payment the journal holds on these invoices in this account, by invoice.

        A payment listed without its amount (it pays its invoice in full) finds here what an
        earlier run sent for it: once recorded, the invoice no longer owes it.
        """
        found: dict[str, list[Entry]] = {}
        for entry in self._where_in(account, "invoice_id", invoice_ids):
            found.setdefault(entry.invoice_id, []).append(entry)
        return found

    def _where_in(
        self, account: str, column: Literal["key", "invoice_id"], values: Iterable[str]
    ) -> Iterator[Entry]:
        wanted = list(dict.fromkeys(values))
        for start in range(0, len(wanted), 500):  # SQLite caps the number of parameters
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._store.read(
                f"SELECT * FROM payments WHERE account = ? AND {column} IN ({marks})",  # noqa: S608 (a column of ours, ? marks)
                (account, *chunk),
            )
            yield from (_entry(row) for row in rows)

    def claim(
        self,
        *,
        account: str,
        key: str,
        run_id: int,
        row: int,
        file: str,
        invoice_id: str,
        amount: Decimal,
        paid_on: str,
        paid_before: Decimal,
        taking_over: bool = False,
        mode: str = "",
        invoice: InvoiceState | None = None,
    ) -> Entry | None:
        """Write the payment ``sending``, durably; the blocking entry instead if it may not go.

        It may not go when the journal says it is recorded, or when another run is sending it
        (unless ``taking_over``: the caller verified that run's attempt came to nothing).
        """
        now = self._store.clock.now()
        state = invoice or InvoiceState()
        with self._store.transaction():
            existing = self._one("account = ? AND key = ?", (account, key))
            if existing is not None:
                held_elsewhere = existing.state in IN_DOUBT and existing.run_id != run_id
                if existing.state == PaymentState.RECORDED or (held_elsewhere and not taking_over):
                    return existing
            self._store.write(
                "INSERT OR REPLACE INTO payments (account, key, state, run_id, row, file, "
                "invoice_id, amount, paid_on, paid_before, message, sent_at, settled_at, mode, "
                "invoice_number, invoice_status, amount_paid, amount_due, currency) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, NULL, ?, ?, ?, ?, ?, ?)",
                (
                    account,
                    key,
                    PaymentState.SENDING,
                    run_id,
                    row,
                    file,
                    invoice_id,
                    str(amount),
                    paid_on,
                    str(paid_before),
                    stamp(now),
                    mode,
                    state.number,
                    state.status,
                    state.amount_paid,
                    state.amount_due,
                    state.currency,
                ),
            )
        self._sent_written[(account, key)] = now
        return None

    def leaving(self, *, account: str, key: str) -> None:
        """The payment's request leaves now: keep its ``sent_at`` no earlier than a second before.

        A later run waits a while after ``sent_at`` before it judges a payment left in doubt
        (see ``sent_by``), so ``sent_at`` must not be much earlier than the request really
        left; the claim wrote it before the request waited its turn at the throttle, and a
        payment sent again leaves long after its claim. Written (durably, before the request
        leaves) only when the last value is more than a second old, so a request that leaves
        at once costs no second write.
        """
        now = self._store.clock.now()
        written = self._sent_written.get((account, key))
        if written is not None and (now - written).total_seconds() <= 1.0:
            return
        self._store.write(
            "UPDATE payments SET sent_at = ? WHERE account = ? AND key = ?",
            (stamp(now), account, key),
        )
        self._sent_written[(account, key)] = now

    def settle(
        self,
        *,
        account: str,
        key: str,
        state: PaymentState,
        message: str = "",
        invoice: InvoiceState | None = None,
    ) -> None:
        """Record what became of a payment that was sent (or verified), and its invoice after."""
        if invoice is None:
            self._store.write(
                "UPDATE payments SET state = ?, message = ?, settled_at = ? "
                "WHERE account = ? AND key = ?",
                (state, message, self._store.stamp(), account, key),
            )
            return
        self._store.write(
            "UPDATE payments SET state = ?, message = ?, settled_at = ?, invoice_number = ?, "
            "invoice_status = ?, amount_paid = ?, amount_due = ?, currency = ? "
            "WHERE account = ? AND key = ?",
            (
                state,
                message,
                self._store.stamp(),
                invoice.number,
                invoice.status,
                invoice.amount_paid,
                invoice.amount_due,
                invoice.currency,
                account,
                key,
            ),
        )

    def settle_by_hand(
        self, run_id: int, row: int, *, recorded: bool, invoice: str | None = None
    ) -> HandSettlement | None:
        """Record what the accountant found in HighLevel for a payment in doubt (``sending`` or
        ``unknown``), and who said so when; None when that run holds no such payment.

        Found recorded, the next run skips it; found not recorded, the next run sends it. A row
        that pays several invoices may hold several in doubt: ``invoice`` (its number as
        printed, or its id) says which; JournalError when it must and does not.
        """
        now, user = self._store.stamp(), who()
        state = PaymentState.RECORDED if recorded else PaymentState.NOT_SENT
        found = "recorded" if recorded else "not recorded"
        message = f"Found {found} in HighLevel by {user} on {now}."
        with self._store.transaction():
            rows = self._store.read(
                "SELECT * FROM payments WHERE run_id = ? AND row = ? AND state IN (?, ?)",
                (run_id, row, *sorted(IN_DOUBT)),
            )
            if invoice is not None:
                rows = [r for r in rows if _names_invoice(invoice, _entry(r))]
            if not rows:
                return None
            if len(rows) > 1:
                names = " and ".join(_entry(r).invoice.number or r["invoice_id"] for r in rows)
                raise JournalError(
                    f"Row {row} of run {run_id} has {len(rows)} payments in doubt, on invoices "
                    f"{names}: say which you looked at with --invoice NUMBER."
                )
            account, entry = rows[0]["account"], _entry(rows[0])
            self._store.write(
                "UPDATE payments SET state = ?, message = ?, settled_at = ? "
                "WHERE account = ? AND key = ?",
                (state, message, now, account, entry.key),
            )
            self._store.write(
                "INSERT INTO settled_by_hand (account, key, run_id, row, found, was, user, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (account, entry.key, run_id, row, state, entry.state, user, now),
            )
        return HandSettlement(run_id, row, recorded, entry.state, user, now)

    def found_absent_by_hand(self, account: str, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` whose payment an accountant last found not recorded in HighLevel
        (``importer runs settle --not-recorded``): their word that it is not there."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # SQLite caps the number of parameters
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._store.read(
                f"SELECT key, found FROM settled_by_hand WHERE account = ? AND key IN ({marks}) "  # noqa: S608 (only ? marks)
                "ORDER BY rowid",
                (account, *chunk),
            )
            for row in rows:  # the latest word counts
                if row["found"] == PaymentState.NOT_SENT:
                    found.add(row["key"])
                else:
                    found.discard(row["key"])
        return found

    def hand_settlements(self, run_id: int) -> list[HandSettlement]:
        """The payments of run ``run_id`` settled by hand, in the order they were."""
        found = self._store.read(
            "SELECT * FROM settled_by_hand WHERE run_id = ? ORDER BY rowid", (run_id,)
        )
        return [
            HandSettlement(
                r["run_id"],
                r["row"],
                r["found"] == PaymentState.RECORDED,
                PaymentState(r["was"]),
                r["user"],
                r["at"],
            )
            for r in found
        ]

    def payment_at(self, run_id: int, row: int) -> Entry | None:
        """The payment run ``run_id`` sent from row ``row``, if the journal holds it under
        that run (a later run that sent it again holds it instead)."""
        return self._one("run_id = ? AND row = ?", (run_id, row))

    def run_payments(self, run_id: int) -> list[Entry]:
        """The payments this run sent and still holds, in row order (a later run may take one)."""
        found = self._store.read("SELECT * FROM payments WHERE run_id = ? ORDER BY row", (run_id,))
        return [_entry(row) for row in found]

    def recorded_by(self, run_id: int) -> dict[str, Money]:
        """The payments run ``run_id`` sent and saw recorded, by currency."""
        return money_by_currency(
            self._store.read(
                "SELECT currency, amount FROM payments WHERE run_id = ? AND state = ?",
                (run_id, PaymentState.RECORDED),
            )
        )

    def states(self, *, run_id: int | None = None) -> dict[PaymentState, int]:
        """How many payments stand in each state: those run ``run_id`` holds, or all."""
        found = self._store.read(
            "SELECT state, COUNT(*) FROM payments WHERE ? IS NULL OR run_id = ? "
            "GROUP BY state ORDER BY state",
            (run_id, run_id),
        )
        return {PaymentState(state): count for state, count in found}

    def _one(self, where: str, parameters: tuple[object, ...]) -> Entry | None:
        found = self._store.read(f"SELECT * FROM payments WHERE {where}", parameters)  # noqa: S608 (our own conditions)
        return _entry(found[0]) if found else None


def _names_invoice(written: str, entry: Entry) -> bool:
    """True when ``written`` (INV-2025, 2025 or the invoice's id) is the invoice of ``entry``."""
    given = written.strip().casefold()
    number = entry.invoice.number.casefold()
    digits = re.compile(r"\d+$")
    found, theirs = digits.search(given), digits.search(number)
    return given in (entry.invoice_id.casefold(), number) or (
        found is not None and theirs is not None and found.group() == theirs.group()
    )


def money_by_currency(rows: Iterable[sqlite3.Row]) -> dict[str, Money]:
    """Count and total by currency of (currency, amount) rows."""
    counts: dict[str, int] = {}
    totals: dict[str, Decimal] = {}
    for currency, amount in rows:
        counts[currency] = counts.get(currency, 0) + 1
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount or 0)
    return {currency: Money(counts[currency], totals[currency]) for currency in sorted(counts)}


def invoice_state(row: sqlite3.Row) -> InvoiceState:
    """The invoice columns of a payment or a run's row."""
    return InvoiceState(*(row[name] for name in _INVOICE_COLUMNS))


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        **columns(row, "key run_id row file invoice_id paid_on message sent_at settled_at mode"),
        state=PaymentState(row["state"]),
        amount=Decimal(row["amount"]),
        paid_before=Decimal(row["paid_before"]),
        invoice=invoice_state(row),
    )
