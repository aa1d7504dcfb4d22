"""Payments that cover several invoices, checked as a whole against the live invoices.

Two rules need the invoices themselves, so they come at the plan step, beside ``preflight``:

- a row listing invoices without amounts pays each what it still owes, after the rows above it
  in the file; it is taken only when its amount is exactly that, together;
- a payment of several parts goes whole or not at all: one part refused (or one of its rows
  invalid) holds back the others before anything is sent, unless ``--skip-invalid``, so that
  nothing of it is recorded while a part waits to be fixed. Parts whose invoices are in
  different currencies are always held back: one payment is in one currency.

Everything else (overpayment, drafts, duplicates, keys, sending) applies to each part as to any
payment: a part is a ``Payment``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.check.allocations import Allocation
from importer.check.payments import Place, Remittance
from importer.check.validation import InFull, Payment, Validation
from importer.check.values import DecimalMark, format_amount
from importer.currencies import fits
from importer.journal.journal import Journal
from importer.preflight import (
    REFUSED_STATUSES,
    Checked,
    InvoiceIndex,
    Preflight,
    check_payments,
    find_invoices,
)
from importer.send.keys import earlier_key, payment_key
from importer.send.outcomes import Outcome
from importer.status import PaymentState, RowStatus

__all__ = ["HELD_BACK", "IN_FULL_REFUSED", "check_whole", "preflight_parts", "resolve_in_full"]

# The code of a part held back because another part of its payment cannot go.
HELD_BACK = "payment.held_back"
# The codes of a row listing invoices without amounts that cannot be made into parts.
IN_FULL_REFUSED = frozenset({"parts.in_full_refused", "parts.in_full_differs"})
# No part settled before the check (see ``check_whole``).
_NONE_SETTLED: Mapping[Place, Outcome] = {}
# States in which a part an earlier run sent may be on its invoice already.
_ON_THE_INVOICE = frozenset({PaymentState.RECORDED, PaymentState.SENDING, PaymentState.UNKNOWN})

# What the journal holds of a part on an invoice, from an earlier run: the amount sent, or None.
SentBefore = Callable[[Payment, Invoice], Decimal | None]


async def preflight_parts(
    client: HighLevelClient,
    validation: Validation,
    *,
    journal: Journal,
    mark: DecimalMark = ".",
    skip_invalid: bool = False,
) -> Preflight:
    """Every part checked against its live invoice, payments of several parts as a whole."""
    refs = [payment.invoice for payment in validation.payments]
    refs += [allocation.invoice for row in validation.in_full for allocation in row.invoices]
    index = await find_invoices(client, refs)
    sent = sent_before(journal, client, index, validation.in_full)
    parts, refused = resolve_in_full(index, validation, sent=sent, mark=mark)
    unchecked = [Checked(part, None, None) for part in parts]
    verdicts = check_whole(index, unchecked + refused, validation, skip_invalid=skip_invalid)
    return Preflight(verdicts, index.requests, index)


def sent_before(
    journal: Journal, client: HighLevelClient, index: InvoiceIndex, rows: Iterable[InFull]
) -> SentBefore:
    """What earlier runs sent of the parts of these rows: a part sent pays its invoice in full
    as it stood then, and the invoice may owe nothing more now."""
    invoice_ids = {
        invoice.id for row in rows for a in row.invoices for invoice in index.find(a.invoice)
    }
    held = journal.ledger.on_invoices(client.account, invoice_ids) if invoice_ids else {}

    def amount(part: Payment, invoice: Invoice) -> Decimal | None:
        for entry in held.get(invoice.id, ()):
            if entry.state not in _ON_THE_INVOICE or entry.paid_on != part.paid_on.isoformat():
                continue
            # The key is made of the amount too: the part with the amount sent has this key
            # (or, sent by an importer before keys were made of normalised parts, that one's).
            sent = dataclasses.replace(part, amount=entry.amount)
            location = client.location_id
            if entry.key in (
                payment_key(location, invoice.id, sent),
                earlier_key(location, invoice.id, sent),
            ):
                return entry.amount
        return None

    return amount


def resolve_in_full(
    index: InvoiceIndex, validation: Validation, *, sent: SentBefore, mark: DecimalMark = "."
) -> tuple[list[Payment], list[Checked]]:
    """Every part of the file in file order, those of rows listing invoices without amounts
    included; and the verdict on each such row that cannot be made into parts.

    Each invoice owes what its balance says, less what the rows above it in the file pay on
    it and no earlier run has recorded yet.
    """
    rows: list[Payment | InFull] = [*validation.payments, *validation.in_full]
    rows.sort(key=lambda row: row.place if isinstance(row, Payment) else row.payment.place)
    paying: dict[str, Decimal] = {}  # by invoice id: what earlier parts pay on it, not yet on it
    parts: list[Payment] = []
    refused: list[Checked] = []
    for row in rows:
        if isinstance(row, Payment):
            parts.append(row)
            matches = index.find(row.invoice)
            if len(matches) == 1 and sent(row, matches[0]) is None:
                paying[matches[0].id] = paying.get(matches[0].id, Decimal(0)) + row.amount
            continue
        made = _in_full(row, index, paying, sent, mark)
        if isinstance(made, Checked):
            refused.append(made)
        else:
            parts += made
    return parts, refused


def _in_full(
    row: InFull,
    index: InvoiceIndex,
    paying: dict[str, Decimal],
    sent: SentBefore,
    mark: DecimalMark,
) -> list[Payment] | Checked:
    """The parts of one row listing invoices without amounts, or why it cannot have them."""
    count = len(row.invoices)
    owed: list[tuple[Allocation, Invoice, Decimal, bool]] = []
    why: list[str] = []
    for number, allocation in enumerate(row.invoices, start=1):
        where = f"Part {number} of {count} (invoice {allocation.written}):"
        matches = index.find(allocation.invoice)
        if len(matches) != 1:
            why.append(
                f"{where} no invoice with {allocation.invoice} in this location."
                if not matches
                else f"{where} it matches {len(matches)} invoices "
                f"({', '.join(i.id for i in matches)}); write its id instead."
            )
            continue
        invoice = matches[0]
        earlier = sent(row.part(number, row.payment.amount), invoice)
        if earlier is not None:
            owed.append((allocation, invoice, earlier, True))
        elif invoice.status in REFUSED_STATUSES:
            why.append(f"{where} {REFUSED_STATUSES[invoice.status]}")
        elif (written := row.payment.currency or row.payment.currency_symbol) and not fits(
            written, invoice.currency
        ):
            why.append(f"{where} the invoice is in {invoice.currency}, the payment in {written}.")
        elif (due := invoice.amount_due - paying.get(invoice.id, Decimal(0))) <= 0:
            why.append(f"{where} the invoice owes nothing more after the rows above this one.")
        else:
            owed.append((allocation, invoice, due, False))
    currencies = sorted({invoice.currency.upper() for _a, invoice, _d, _e in owed})
    if not why and len({invoice.id for _a, invoice, _d, _e in owed}) < len(owed):
        why.append("Two of the invoices listed are one invoice; list it once.")
    elif not why and len(currencies) > 1:
        why.append(
            f"The invoices are in different currencies ({', '.join(currencies)}); one payment "
            "is in one currency."
        )
    if why:
        message = " ".join(why) + (
            " Nothing of this payment is sent until every invoice it lists can take its part."
        )
        return Checked(row.payment, None, message, "parts.in_full_refused")
    if sum(due for _a, _i, due, _e in owed) != row.payment.amount:
        return Checked(row.payment, None, _owes(row, owed, mark), "parts.in_full_differs")
    for _allocation, invoice, due, on_it in owed:
        if not on_it:
            paying[invoice.id] = paying.get(invoice.id, Decimal(0)) + due
    return [row.part(number, due) for number, (_a, _i, due, _e) in enumerate(owed, start=1)]


def _owes(row: InFull, owed: Sequence[tuple[Allocation, Invoice, Decimal, bool]], mark: str) -> str:
    """What each invoice owes against what the row pays, and what to write instead."""

    def money(amount: Decimal) -> str:
        return format_amount(amount, decimal="," if mark == "," else ".")

    def cell(amount: Decimal) -> str:
        return format_amount(amount, decimal="," if mark == "," else ".", grouping="")

    each = [
        f"invoice {a.written} had {money(due)} of it recorded by an earlier run"
        if on_it
        else f"invoice {a.written} owes {money(due)}"
        for a, _invoice, due, on_it in owed
    ]
    together = sum((due for _a, _i, due, _e in owed), Decimal(0))
    paid = row.payment.amount
    said = (
        "Listed without amounts, a payment pays each invoice in full, but "
        f"{_and(each)}: {money(together)} together, and the payment is {money(paid)}."
    )
    if paid > together:
        listed = "|".join(f"{a.written}:{cell(due)}" for a, _invoice, due, _e in owed)
        return (
            f"{said} It is {money(paid - together)} more than they owe: check the amount, or "
            f"write every invoice it pays with its amount ({listed}, then the other invoice "
            f"with {cell(paid - together)})."
        )
    left, written = paid, []
    for a, _invoice, due, _e in owed:
        if left > 0:
            written.append(f"{a.written}:{cell(min(due, left))}")
            left -= min(due, left)
    return f"{said} To pay them in part, write each invoice's amount in the cell: " + (
        "|".join(written) + "."
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def check_whole(
    index: InvoiceIndex,
    verdicts: Sequence[Checked],
    validation: Validation,
    *,
    settled: Mapping[Place, Outcome] = _NONE_SETTLED,
    skip_invalid: bool = False,
) -> list[Checked]:
    """Each part checked against its invoice (``check_payments``), and every part of a payment
    held back when another part of it cannot go; in file order, no request.

    ``verdicts`` are the parts' verdicts so far: those of the ``settled`` parts (recorded by an
    earlier run, or already in HighLevel) and of rows that could not be made into parts stand;
    the rest are checked again, as a running balance per invoice, without the parts held back.
    A part HighLevel already holds one just like (``duplicate``) holds back the rest as a
    refused part does.
    """
    fixed = [v for v in verdicts if v.code in IN_FULL_REFUSED or v.payment.place in settled]
    fixed_places = {v.payment.place for v in fixed}
    parts = [v.payment for v in verdicts if v.payment.place not in fixed_places]
    held: dict[Place, Checked] = {}
    while True:
        checked = check_payments(index, [p for p in parts if p.place not in held])
        current = sorted([*checked, *held.values(), *fixed], key=lambda v: v.payment.place)
        newly = {
            place: verdict
            for place, verdict in _held_back(current, validation, settled, skip_invalid).items()
            if place not in held
        }
        if not newly:
            return current
        # Checked again without them: a part held back does not count on its invoice's balance.
        held.update(newly)


def _held_back(
    verdicts: Sequence[Checked],
    validation: Validation,
    settled: Mapping[Place, Outcome],
    skip_invalid: bool,
) -> dict[Place, Checked]:
    """The parts to hold back, each with the reason naming the part that holds it."""
    by_place = {v.payment.place: v for v in verdicts}
    held: dict[Place, Checked] = {}
    for remittance in validation.remittances:
        mine = [by_place[place] for place in remittance.places if place in by_place]
        going = [v for v in mine if v.refusal is None and v.payment.place not in settled]
        if not going:
            continue
        currencies = sorted({v.invoice.currency.upper() for v in mine if v.invoice is not None})
        if len(currencies) > 1:
            reason = (
                f"Not sent: the invoices of {remittance.named()} are in different currencies "
                f"({', '.join(currencies)}), and one payment is in one currency. Record each "
                "currency's invoices with a payment of their own."
            )
        elif (twice := _one_invoice_twice(mine)) is not None:
            reason = (
                f"Not sent: {remittance.named()} pays invoice {twice} twice, written two ways "
                "(its number and its id, say): a payment lists each invoice once. Put the "
                "invoice's whole amount on one part."
            )
        elif skip_invalid or (blocker := _blocker(remittance, mine, validation, settled)) is None:
            continue
        else:
            reason = (
                f"Held back with the rest of {remittance.named()}: {blocker} Nothing of a "
                "payment is sent until every part of it can be: fix that part and run again, "
                "or run again with --skip-invalid to record the parts that can go."
            )
        for verdict in going:
            held[verdict.payment.place] = dataclasses.replace(
                verdict, refusal=reason, code=HELD_BACK
            )
    return held


def _one_invoice_twice(mine: Sequence[Checked]) -> str | None:
    """The invoice two parts of one payment pay for different amounts, if any (the same
    amount again is a possible duplicate, which the file's check judges)."""
    seen: dict[str, Decimal] = {}
    for verdict in mine:
        invoice = verdict.invoice
        if invoice is None:
            continue
        amount = seen.setdefault(invoice.id, verdict.payment.amount)
        if amount != verdict.payment.amount:
            return invoice.shown_number
    return None


def _blocker(
    remittance: Remittance,
    mine: Sequence[Checked],
    validation: Validation,
    settled: Mapping[Place, Outcome],
) -> str | None:
    """The first row or part that stops the payment going, in words; None when none does (a
    part an earlier run recorded stops nothing, whatever its invoice says now; one that
    HighLevel already holds a payment just like stops the rest)."""
    for row in remittance.rows:
        if row in validation.invalid_rows:
            return f"row {row} of it is invalid (its message says why)."
    for verdict in mine:
        place = verdict.payment.place
        outcome = settled.get(place)
        if outcome is not None and outcome.status == RowStatus.DUPLICATE:
            why = f"is held back as a duplicate: {outcome.message}"
        elif outcome is not None or verdict.refusal is None or verdict.code == HELD_BACK:
            continue
        elif verdict.code in IN_FULL_REFUSED:
            return f"row {place.row} of it cannot be recorded ({verdict.refusal})"
        else:
            why = f"is refused: {verdict.refusal}"
        number = remittance.part_number(place)
        on_row = f", row {place.row}" if len(remittance.rows) > 1 else ""
        invoice = remittance.invoices[number - 1]
        return f"part {number} of {len(remittance.places)} (invoice {invoice}{on_row}) {why}"
    return None
