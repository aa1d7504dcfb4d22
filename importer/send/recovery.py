"""Payments whose answer was lost: judged from what the API shows, and verified, once the
request can no longer arrive; and payments an earlier run left in doubt, recovered first.

The API has no idempotency key, so an answer after which the payment may exist (a timeout, a
dropped connection, a server error) is never retried blindly: the invoice is read again and
its ``amountPaid`` compared with the value before sending, and the invoice's transactions are
searched for our payment key. Found: recorded. Proven absent: sent again. Otherwise: unknown.

Absence is proven only once the request can no longer arrive. When no word came from the
application itself (a timeout, a dropped connection, a gateway's 502, 503 or 504) the request
may still be on its way or held by a gateway, and be recorded later: until
``LOST_ANSWER_WAIT`` has passed since it was sent, a payment not on the invoice is only "not
yet" there. A run that stops meanwhile leaves it to the next run, which waits out the rest of
that time from the journal's ``sent_at`` (``recover_left_over``) before sending anything.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from importer.api.client import HighLevelClient
from importer.api.models import Invoice, Transaction
from importer.check.payments import Place
from importer.check.validation import Payment
from importer.clock import SYSTEM_CLOCK, Clock
from importer.errors import MissingScope
from importer.journal.journal import Journal
from importer.journal.ledger import IN_DOUBT, Entry, sent_by
from importer.preflight import Checked
from importer.send.keys import RowKeys, sent_method
from importer.send.outcomes import (
    SECOND_PAYMENT_ADVICE,
    Outcome,
    invoice_state,
    settle_by_hand,
    skipped_message,
)
from importer.send.waits import LOST_ANSWER_WAIT
from importer.status import PaymentState, RowStatus

__all__ = [
    "LOST_ANSWER_WAIT",
    "Evidence",
    "Verification",
    "check_left_over",
    "from_journal",
    "in_doubt_note",
    "invoice_transactions",
    "journal_entries",
    "judge",
    "recover_left_over",
    "verify",
    "with_meta",
]


_RESULTS_SUFFIX = re.compile(r"\.(results|dry-run)(-\d+)?$", re.IGNORECASE)


class Evidence(StrEnum):
    """What the API shows about a payment whose answer was lost."""

    FOUND = "found"
    ABSENT = "absent"  # proven: sending it again cannot record it twice
    UNDECIDED = "undecided"
    NOT_YET = "not yet"  # not found, but the request may still arrive: judge again later


@dataclass(frozen=True)
class Verification:
    """The evidence, in words, and the invoice as read during the check."""

    evidence: Evidence
    message: str
    invoice: Invoice | None = None


def judge(
    *,
    key: str,
    amount: Decimal,
    paid_on: str,
    paid_before: Decimal,
    invoice: Invoice | None,
    transactions: Sequence[Transaction] | None,
    method: Mapping[str, Any] | None = None,
    settled: bool,
) -> Verification:
    """Decide from the invoice and its transactions whether a payment exists. Pure.

    The transaction carrying our key proves it recorded. When the API's transactions carry no
    keys (the spec's transaction has no ``meta``), a rise of exactly this amount proves it
    only together with a transaction of the same amount, day and method (mode, cheque number,
    card digits) as the one sent; when the transactions cannot be read, the rise alone.

    Absence needs ``settled``: the request can no longer arrive (the application answered, or
    ``LOST_ANSWER_WAIT`` has passed since it was sent); before that, whatever is not found is
    ``NOT_YET``. Then a paid amount that has not moved proves it absent; so do transactions
    none of which could be this payment (every one that has its amount, day and method carries
    another key, or there is none such and the paid amount did not rise by exactly this
    payment). Else: undecided.
    """
    ours = [t for t in transactions or () if (t.meta or {}).get("importer_key") == key]
    if any(_same_payment(t, amount, paid_on, None) for t in ours):
        return Verification(
            Evidence.FOUND, "Confirmed: the invoice's transactions hold this payment.", invoice
        )
    if invoice is None:
        return Verification(
            Evidence.UNDECIDED if settled else Evidence.NOT_YET,
            "The invoice could not be read to confirm whether the payment was recorded.",
        )
    rose_by_this = invoice.amount_paid == paid_before + amount
    keys_kept = any((t.meta or {}).get("importer_key") for t in transactions or ())
    if rose_by_this and transactions is None:
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment.",
            invoice,
        )
    if (
        rose_by_this
        and transactions is not None
        and not keys_kept
        and any(_same_payment(t, amount, paid_on, method) for t in transactions)
    ):
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment, and its "
            "transactions hold one like it.",
            invoice,
        )
    moved = (
        f"The invoice's paid amount is {invoice.amount_paid:,.2f} (it was "
        f"{paid_before:,.2f} before sending, and this payment is {amount:,.2f})"
    )
    if not settled:
        return Verification(Evidence.NOT_YET, f"{moved}, and it may not have arrived yet.", invoice)
    if invoice.amount_paid == paid_before:
        return Verification(
            Evidence.ABSENT, "Not recorded: the invoice's paid amount did not change.", invoice
        )
    if transactions is None:
        return Verification(
            Evidence.UNDECIDED,
            f"{moved}, and the invoice's transactions could not be read.",
            invoice,
        )
    if ours:
        return Verification(
            Evidence.UNDECIDED,
            f"{moved}, and a transaction carries this payment's key with another amount or date.",
            invoice,
        )
    # Unknown fields cannot rule a transaction out: a missing amount could be ours.
    could_be = [t for t in transactions if _same_payment(t, amount, paid_on, method, strict=False)]
    unkeyed = [t for t in could_be if not (t.meta or {}).get("importer_key")]
    if keys_kept and not unkeyed:
        # The API keeps our keys, and every transaction that could be this payment carries
        # another one (an equal payment of the same file, say): this one is not there.
        return Verification(
            Evidence.ABSENT,
            "Not recorded: no transaction of the invoice carries this payment's key.",
            invoice,
        )
    if not could_be and not rose_by_this:
        # The paid amount moved by someone else's payment, and nothing listed could be ours.
        return Verification(
            Evidence.ABSENT,
            "Not recorded: none of the invoice's transactions has this payment's amount, date "
            "and method.",
            invoice,
        )
    if could_be:
        why = (
            "a transaction with this payment's amount, date and method is on the invoice, with "
            "nothing to tell whether it is this payment."
        )
    else:
        why = (
            "no transaction with this payment's amount, date and method is listed, though the "
            "paid amount rose by exactly this payment."
        )
    return Verification(Evidence.UNDECIDED, f"{moved}, and {why}", invoice)


def _same_payment(
    transaction: Transaction,
    amount: Decimal,
    paid_on: str,
    method: Mapping[str, Any] | None,
    *,
    strict: bool = True,
) -> bool:
    """Same amount and day, and (when given) nothing in its method contradicts ours.

    Not ``strict``: a transaction without an amount is not ruled out by it.
    """
    if transaction.amount is None:
        if strict:
            return False
    elif transaction.amount != amount:
        return False
    if transaction.fulfilled_at is not None and transaction.fulfilled_at[:10] != paid_on:
        return False
    if method is None:
        return True
    theirs = transaction.payment_method or {}
    return (
        _fits(theirs, method, "mode")
        and _fits(theirs.get("cheque"), method.get("cheque"), "number")
        and _fits(theirs.get("card"), method.get("card"), "last4")
        and _fits(theirs.get("card"), method.get("card"), "brand")
    )


def _fits(theirs: Any, ours: Any, field: str) -> bool:
    # Only a value on both sides can contradict; brands are compared without regard to case.
    if not isinstance(theirs, Mapping) or not isinstance(ours, Mapping):
        return True
    if theirs.get(field) is None or ours.get(field) is None:
        return True
    return str(theirs[field]).casefold() == str(ours[field]).casefold()


async def verify(
    client: HighLevelClient,
    *,
    invoice_id: str,
    key: str,
    payment: Payment,
    paid_before: Decimal,
    settled: bool,
) -> Verification:
    """Read the invoice and its transactions, then judge; RunStopped only for a stop.

    The list of transactions carries no ``meta``: each one listed that could be this payment
    is read on its own, for the key it carries.
    """
    invoice = await client.get_invoice(invoice_id)
    method = sent_method(payment)
    paid_on = payment.paid_on.isoformat()
    try:
        listed = await invoice_transactions(client, invoice_id)
        transactions: list[Transaction] | None = [
            await with_meta(client, t)
            if _same_payment(t, payment.amount, paid_on, method, strict=False)
            else t
            for t in listed
        ]
    except MissingScope:
        # A token without the payments scope cannot list transactions: judge by the invoice.
        # (A token refused outright is not that: it stops the run.)
        transactions = None
    return judge(
        key=key,
        amount=payment.amount,
        paid_on=paid_on,
        paid_before=paid_before,
        invoice=invoice,
        transactions=transactions,
        method=method,
        settled=settled,
    )


async def invoice_transactions(client: HighLevelClient, invoice_id: str) -> list[Transaction]:
    """Every transaction of one invoice, page after page."""
    transactions: list[Transaction] = []
    offset = 0
    while True:
        page = await client.list_transactions(entity_id=invoice_id, offset=offset)
        transactions.extend(page.data)
        offset += len(page.data)
        if not page.data or offset >= page.total_count:
            return transactions


async def with_meta(client: HighLevelClient, transaction: Transaction) -> Transaction:
    """The transaction with the ``meta`` only its own answer carries (the list's has none)."""
    if transaction.meta is not None:
        return transaction
    whole = await client.get_transaction(transaction.id)
    if whole is None or whole.meta is None:
        return transaction
    return transaction.model_copy(update={"meta": whole.meta})


def journal_entries(journal: Journal, account: str, keys: RowKeys) -> dict[Place, Entry]:
    """What the journal holds for each payment, by place: under its key, or under the key an
    importer before the normalisation of keys gave it."""
    known = journal.ledger.find(account, [*keys.keys.values(), *keys.earlier.values()])
    entries: dict[Place, Entry] = {}
    for place in keys.keys:
        found = [known[key] for key in keys.of(place) if key in known]
        if found:
            entries[place] = found[0]
    return entries


def from_journal(
    verdicts: Sequence[Checked], entries: Mapping[Place, Entry], *, file_name: str = ""
) -> tuple[dict[Place, Outcome], dict[Place, Checked]]:
    """Payments an earlier run recorded (skipped, whatever the invoice says now: it may be paid
    by them), and those an earlier run left in doubt (to verify before anything is sent).

    ``entries``: what the journal holds for each payment, by place. A payment recorded from
    another file (``file_name`` is this run's) may be a second real one just like it: its
    message says how to record it.
    """
    settled: dict[Place, Outcome] = {}
    in_doubt: dict[Place, Checked] = {}
    for verdict in verdicts:
        place = verdict.payment.place
        entry = entries.get(place)
        if entry is None:
            continue
        if entry.state == PaymentState.RECORDED:
            message = skipped_message(entry)
            if _stem(entry.file) != _stem(file_name):
                message += f" {SECOND_PAYMENT_ADVICE}"
            settled[place] = Outcome(verdict.payment, RowStatus.SKIPPED, message, verdict.invoice)
        elif entry.state in IN_DOUBT:
            in_doubt[place] = verdict
    return settled, in_doubt


def _stem(file_name: str) -> str:
    """A file's name without its extension or a results file's ``.results-2``: the same
    deposit saved as .xls, or its results given back, is the same file here."""
    return _RESULTS_SUFFIX.sub("", PurePath(file_name).stem).casefold()


def in_doubt_note(verdict: Checked, entry: Entry) -> Checked:
    """The row as a dry run shows it: a note that a real run checks its invoice first."""
    note = (
        f"Run {entry.run_id} ({entry.file}, row {entry.row}) was sending this payment when it "
        "stopped; a real run checks the invoice first and sends it only if it is not there."
    )
    return dataclasses.replace(
        verdict, warning=" ".join(part for part in (verdict.warning, note) if part)
    )


async def recover_left_over(
    client: HighLevelClient,
    journal: Journal,
    in_doubt: Mapping[Place, Checked],
    entries: Mapping[Place, Entry],
    *,
    lost_answer_wait: float = LOST_ANSWER_WAIT,
    clock: Clock = SYSTEM_CLOCK,
    on_wait: Callable[[str], None] | None = None,
) -> dict[Place, Outcome]:
    """Verify payments an earlier run left in doubt; those found are settled as skipped.

    One that is not found may still arrive while ``lost_answer_wait`` has not passed since it
    was sent (the earlier run may have died a moment ago): the run waits for that on
    ``clock``, saying so to ``on_wait``, and checks it again before anything else is sent.
    When it was sent is the journal's word, so the journal's own time says how long is left.
    """
    settled: dict[Place, Outcome] = {}
    not_yet: list[Place] = []
    latest = journal.now()
    for place in in_doubt:
        entry = entries[place]
        due = sent_by(entry) + timedelta(seconds=lost_answer_wait)
        found = await check_left_over(
            client, journal, in_doubt[place], entry, settled=journal.now() >= due
        )
        if found is None:
            not_yet.append(place)
            latest = max(latest, due)
        elif found.status != RowStatus.NOT_SENT:
            settled[place] = found
    if not_yet:
        wait = (latest - journal.now()).total_seconds()
        if on_wait is not None:
            which = (
                "1 payment an interrupted run was sending"
                if len(not_yet) == 1
                else f"{len(not_yet)} payments an interrupted run was sending"
            )
            on_wait(
                f"Waiting {math.ceil(wait)} s before checking {which}: a payment can still "
                f"reach HighLevel up to {lost_answer_wait:g} s after it was sent."
            )
        await clock.sleep(max(wait, 0.0))
        for place in not_yet:
            found = await check_left_over(
                client, journal, in_doubt[place], entries[place], settled=True
            )
            if found is not None and found.status != RowStatus.NOT_SENT:
                settled[place] = found
    return settled


async def check_left_over(
    client: HighLevelClient, journal: Journal, verdict: Checked, entry: Entry, *, settled: bool
) -> Outcome | None:
    """A payment an earlier run left in doubt, checked: skipped when found, unknown when it
    cannot be told, not_sent when proven absent (it goes with the rest, taking over the
    earlier run's claim); None when it may still arrive."""
    check = await verify(
        client,
        invoice_id=entry.invoice_id,
        key=entry.key,
        payment=verdict.payment,
        paid_before=entry.paid_before,
        settled=settled,
    )
    run = f"Run {entry.run_id} ({entry.file}, row {entry.row})"
    if check.evidence is Evidence.FOUND:
        journal.ledger.settle(
            account=client.account,
            key=entry.key,
            state=PaymentState.RECORDED,
            message=check.message,
            invoice=invoice_state(check.invoice) if check.invoice is not None else None,
        )
        return Outcome(
            verdict.payment,
            RowStatus.SKIPPED,
            f"{run} recorded this payment but stopped before it was confirmed. {check.message}",
            check.invoice or verdict.invoice,
        )
    if check.evidence is Evidence.UNDECIDED:
        message = (
            f"{run} was sending this payment when it stopped. {check.message} "
            + settle_by_hand(
                entry.run_id,
                entry.row,
                invoice=entry.invoice.number if verdict.payment.row_parts > 1 else "",
            )
        )
        journal.ledger.settle(
            account=client.account, key=entry.key, state=PaymentState.UNKNOWN, message=message
        )
        return Outcome(
            verdict.payment, RowStatus.UNKNOWN, message, check.invoice or verdict.invoice
        )
    if check.evidence is Evidence.NOT_YET:
        return None
    return Outcome(verdict.payment, RowStatus.NOT_SENT, check.message, verdict.invoice)
