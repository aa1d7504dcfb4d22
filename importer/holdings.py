"""What HighLevel already holds: the payments on the invoices a file pays, read before anything
is sent, and each row's payment compared with them.

The journal knows what this computer sent; HighLevel knows every payment on its invoices,
whoever recorded them and however (another computer, a lost journal, an edited or re-saved
file, a person typing a cheque in by hand). So a payment already there is held back, named,
and not sent: the row is ``duplicate``, unless the user says it is a second real payment.

Reading costs requests from the one rate budget, so it costs as few as it can: an invoice
with nothing paid holds no payment and costs none; otherwise the invoices' transactions are
read one invoice at a time, or the location's transactions created since the oldest of those
invoices was made, page by page, whichever takes fewer requests for this file.

What counts as the same payment is ``same_payment``, a pure function of one payment (its
invoice, amount, method, day and references) and one transaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from importer.api.client import HighLevelClient
from importer.api.models import Invoice, Transaction
from importer.check.payments import Place
from importer.check.references import brand_family, cheque_form, reference_form
from importer.check.validation import Payment
from importer.errors import MissingScope
from importer.parts import HELD_BACK
from importer.preflight import Checked
from importer.send.keys import RowKeys
from importer.send.outcomes import Outcome
from importer.send.recovery import with_meta
from importer.status import RowStatus

__all__ = [
    "NOT_CHECKED_NOTE",
    "Held",
    "Holdings",
    "PaymentFacts",
    "Sameness",
    "compare_with_highlevel",
    "could_be_from_statement",
    "held_already",
    "read_holdings",
    "same_payment",
]

PAGE_SIZE = 100
# What a run that was asked not to compare with HighLevel says of it.
NOT_CHECKED_NOTE = (
    "Not compared with the payments HighLevel already holds (--no-highlevel-check): only this "
    "computer's journal keeps a payment from being recorded twice."
)
# A payment typed into HighLevel by hand is dated at midnight where it was typed, which UTC
# may show as the day before or after: a day either side is still its day.
DAY_TOLERANCE = timedelta(days=1)
# A bank statement dates a payment the day the bank posted it: a cheque some business days
# after it was received and paid in, a card's takings one to three business days after the
# sale. Seven days (five business days and a weekend) holds both, either side, as a payment
# typed in by hand may be dated the day someone got round to it.
STATEMENT_DAYS = timedelta(days=7)
# The refusals a payment already in HighLevel explains better: the invoice is paid (by it),
# or this row would overpay (it is already there); and those that hold a payment back for
# another's sake (an earlier row that overpays, another part of its payment), which may go
# once that one is settled, and so are compared too.
_EXPLAINED_BY_A_DUPLICATE = frozenset(
    {"invoice.paid", "amount.above_due", "invoice.held_back", HELD_BACK}
)
_METHOD_WORDS = {
    "cash": "cash",
    "card": "card",
    "cheque": "cheque",
    "bank_transfer": "bank transfer",
}


class Sameness(StrEnum):
    """What one transaction is to one payment."""

    SAME_KEY = "same key"  # it carries the payment's own key: it is this very payment
    ALIKE = "alike"  # the same invoice and amount, and nothing that tells them apart
    # The same invoice and amount, one of them read from a bank statement (whose day is the
    # bank's and whose method is a guess) and within its days: nothing tells them apart.
    ON_STATEMENT = "alike as a bank statement shows it"
    DIFFERENT = "different"


# What a transaction is to a payment when it is that payment, but for its key.
_ALIKE = frozenset({Sameness.ALIKE, Sameness.ON_STATEMENT})


@dataclass(frozen=True)
class PaymentFacts:
    """What tells one payment (or one part of a payment) from another.

    ``keys``: the keys the importer may have recorded it under (see ``send.keys``).
    ``from_statement``: read from a bank statement's line (see ``Payment.from_statement``).
    """

    invoice_id: str
    amount: Decimal
    mode: str
    paid_on: date
    cheque: str = ""
    card: tuple[str, str] | None = None  # (brand, last 4)
    reference: str = ""
    keys: tuple[str, ...] = ()
    from_statement: bool = False

    @classmethod
    def of(cls, payment: Payment, invoice_id: str, keys: Sequence[str] = ()) -> PaymentFacts:
        """The facts of one row's payment against its invoice."""
        return cls(
            invoice_id=invoice_id,
            amount=payment.amount,
            mode=payment.mode,
            paid_on=payment.paid_on,
            cheque=payment.cheque.number if payment.cheque is not None else "",
            card=(payment.card.brand, payment.card.last4) if payment.card is not None else None,
            reference=payment.reference,
            keys=tuple(keys),
            from_statement=payment.from_statement,
        )


def same_payment(ours: PaymentFacts, theirs: Transaction) -> Sameness:
    """Whether a transaction HighLevel holds is this payment. Pure: tested as a table.

    Carrying one of the payment's keys, it is this very payment, whatever else it says. Else
    it is alike when it is on the same invoice for the same amount and then any of: the same
    cheque number (as digits, leading zeros ignored), the same card brand and last 4, the same
    reference; or, when the payment has none of these or the transaction shows none of its
    kind, the same method and day. What the transaction does not show cannot tell them apart.

    A bank statement's line (ours, or one HighLevel holds that its ``meta`` says the importer
    read from a statement) is the bank's view of a deposit: it may have been a cheque, a card's
    takings or a transfer, dated days after. Against a payment from anywhere else, its method
    tells nothing and a day within ``STATEMENT_DAYS`` is its day; two statements' lines differ
    by their day alone. Either way the verdict is ``ON_STATEMENT`` where only that made them
    alike. A line naming its cheque (``CHQ DEPOSIT 000777``) is a cheque, though: never cash
    paid in nor a card's takings.
    """
    if theirs.entity_id is not None and theirs.entity_id != ours.invoice_id:
        return Sameness.DIFFERENT
    key = (theirs.meta or {}).get("importer_key")
    if key and key in ours.keys:
        return Sameness.SAME_KEY
    if theirs.amount is not None and theirs.amount != ours.amount:
        return Sameness.DIFFERENT
    method = theirs.payment_method or {}
    if ours.cheque and (number := _field(method, "cheque", "number")):
        return _alike(cheque_form(number) == cheque_form(ours.cheque))
    if ours.card is not None and (last4 := _field(method, "card", "last4")):
        brand = _field(method, "card", "brand")
        same_brand = not brand or brand_family(brand) == brand_family(ours.card[0])
        return _alike(same_brand and last4 == ours.card[1])
    theirs_reference = str((theirs.meta or {}).get("importer_reference") or "")
    if ours.reference and theirs_reference:
        return _alike(reference_form(theirs_reference) == reference_form(ours.reference))
    mode = method.get("mode")
    same_method = not mode or str(mode).casefold() == ours.mode
    day = _day(theirs.fulfilled_at)
    apart = abs(day - ours.paid_on) if day is not None else timedelta(0)
    if same_method and apart <= DAY_TOLERANCE:
        return Sameness.ALIKE
    theirs_from_statement = bool((theirs.meta or {}).get("importer_statement"))
    if _named_cheque_against_cash_or_card(
        ours, method, theirs_from_statement=theirs_from_statement
    ):
        return Sameness.DIFFERENT
    if ours.from_statement and theirs_from_statement:
        within = DAY_TOLERANCE
    elif ours.from_statement or theirs_from_statement:
        within = STATEMENT_DAYS
    else:
        return Sameness.DIFFERENT
    return Sameness.ON_STATEMENT if apart <= within else Sameness.DIFFERENT


def _named_cheque_against_cash_or_card(
    ours: PaymentFacts, method: Mapping[str, Any], *, theirs_from_statement: bool
) -> bool:
    """True when one side is a statement's line naming its cheque, the other cash or a card."""
    if ours.from_statement and ours.cheque:
        return str(method.get("mode") or "").casefold() in ("cash", "card")
    if theirs_from_statement and _field(method, "cheque", "number"):
        return ours.mode in ("cash", "card")
    return False


def could_be_from_statement(ours: PaymentFacts, theirs: Transaction) -> bool:
    """Whether a transaction whose ``meta`` was not read would be this payment were it read
    from a bank statement: only then is its ``meta`` worth a request (the list has none)."""
    if theirs.meta is not None or same_payment(ours, theirs) is not Sameness.DIFFERENT:
        return False
    from_statement = theirs.model_copy(update={"meta": {"importer_statement": True}})
    return same_payment(ours, from_statement) is not Sameness.DIFFERENT


def _alike(alike: bool) -> Sameness:
    return Sameness.ALIKE if alike else Sameness.DIFFERENT


def _field(method: Mapping[str, Any], kind: str, name: str) -> str:
    part = method.get(kind)
    value = part.get(name) if isinstance(part, Mapping) else None
    return str(value).strip() if value not in (None, "") else ""


def _day(moment: str | None) -> date | None:
    if not moment:
        return None
    try:
        return datetime.fromisoformat(moment).date()
    except ValueError:
        try:
            return date.fromisoformat(moment[:10])
        except ValueError:
            return None


# --- Reading what the invoices hold ---------------------------------------------------------


@dataclass(frozen=True)
class Holdings:
    """The transactions of the invoices a file pays, by invoice id, and what reading them cost.

    ``how``: which way they were read, in words for the summary ("" when nothing was read).
    """

    by_invoice: Mapping[str, Sequence[Transaction]] = field(default_factory=dict)
    requests: int = 0
    how: str = ""


async def read_holdings(
    client: HighLevelClient, invoices: Iterable[Invoice], *, today: date
) -> Holdings:
    """Read the transactions of every invoice with something paid, the cheaper way.

    One invoice, or one whose creation day is not known: invoice by invoice. Else the first
    page of the location's transactions since the oldest of them was made tells how many
    pages the rest would take; when that is more than the invoices, invoice by invoice
    instead (that first page was the whole cost of asking). MissingScope, with what to do,
    when the token may not read transactions.
    """
    paid = {invoice.id: invoice for invoice in invoices if invoice.amount_paid > 0}
    if not paid:
        return Holdings()
    try:
        return await _read(client, list(paid.values()), today=today)
    except MissingScope:
        raise MissingScope(
            "The token may not read the payments HighLevel already holds (it lacks the "
            "payments/transactions.readonly scope), so the importer cannot check that none of "
            "these payments is there already. Nothing was sent. Tick that scope for the token "
            "in HighLevel (Settings > Private Integrations), or run again with "
            "--no-highlevel-check to rely on this computer's journal alone."
        ) from None


async def _read(client: HighLevelClient, paid: list[Invoice], *, today: date) -> Holdings:
    days = [_day(invoice.created_at) for invoice in paid]
    if len(paid) == 1 or None in days:
        return await _by_invoice(client, paid, spent=0)
    since = min(day for day in days if day is not None) - DAY_TOLERANCE
    until = max(today, client.server_today or today)
    first = await client.list_transactions(
        limit=PAGE_SIZE, offset=0, created_from=since, created_until=until
    )
    pages = math.ceil(first.total_count / PAGE_SIZE)
    if pages - 1 > len(paid):
        return await _by_invoice(client, paid, spent=1)
    wanted = {invoice.id for invoice in paid}
    found: dict[str, list[Transaction]] = {invoice.id: [] for invoice in paid}
    page, requests, offset = first, 1, 0
    while True:
        for transaction in page.data:
            if transaction.entity_id in wanted:
                found[transaction.entity_id].append(transaction)
        offset += len(page.data)
        if not page.data or offset >= page.total_count:
            break
        page = await client.list_transactions(
            limit=PAGE_SIZE, offset=offset, created_from=since, created_until=until
        )
        requests += 1
    how = f"the location's transactions since {since.isoformat()}"
    return Holdings(found, requests, how)


async def _by_invoice(client: HighLevelClient, paid: list[Invoice], *, spent: int) -> Holdings:
    found: dict[str, list[Transaction]] = {}
    requests = spent
    for invoice in paid:
        transactions: list[Transaction] = []
        while True:
            page = await client.list_transactions(
                entity_id=invoice.id, limit=PAGE_SIZE, offset=len(transactions)
            )
            requests += 1
            transactions.extend(page.data)
            if not page.data or len(transactions) >= page.total_count:
                break
        found[invoice.id] = transactions
    count = "1 invoice" if len(paid) == 1 else f"{len(paid)} invoices"
    return Holdings(found, requests, f"invoice by invoice, {count} with payments")


# --- Each row against them -----------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """The payments HighLevel already holds, by place (row, and part of the row); the
    requests spent, and which way the invoices' payments were read (see ``Holdings.how``)."""

    outcomes: dict[Place, Outcome]
    requests: int = 0
    how: str = ""


async def compare_with_highlevel(
    client: HighLevelClient,
    verdicts: Sequence[Checked],
    keys: RowKeys,
    *,
    settled: Iterable[Place],
    absent: Set[str],
    allow_all: bool,
    today: date,
) -> Held:
    """The plan's check: the payments (each part of one that pays several invoices) not
    ``settled`` already, against what their invoices hold.

    ``absent``: payment keys an accountant found not recorded in HighLevel (runs settle
    --not-recorded), whose word is that the payment just like it there is another one.
    """
    rows = to_check(verdicts, settled)
    holdings = await read_holdings(client, [v.invoice for v in rows if v.invoice], today=today)
    held = await held_already(
        client,
        rows,
        {place: keys.of(place) for place in keys.keys},
        holdings,
        allow_all=allow_all,
        allowed=frozenset(place for place, key in keys.keys.items() if key in absent),
    )
    return Held(held.outcomes, holdings.requests + held.requests, holdings.how)


def to_check(verdicts: Iterable[Checked], settled: Iterable[Place]) -> list[Checked]:
    """The payments to compare with HighLevel: those with an invoice, not settled already,
    and either cleared, refused for what a payment already there would explain, or held back
    for another's sake."""
    done = set(settled)
    return [
        v
        for v in verdicts
        if v.invoice is not None
        and v.payment.place not in done
        and (v.refusal is None or v.code in _EXPLAINED_BY_A_DUPLICATE)
    ]


async def held_already(
    client: HighLevelClient,
    rows: Sequence[Checked],
    keys: Mapping[Place, Sequence[str]],
    holdings: Holdings,
    *,
    allow_all: bool = False,
    allowed: frozenset[Place] = frozenset(),
) -> Held:
    """Each payment (each part), in file order, against the transactions of its invoice.

    A transaction serves one row at most: of two rows that both match one payment, the first
    is the duplicate and the second is checked as usual. A transaction carrying the row's own
    key is this very payment: ``skipped``, even for a row allowed as a duplicate (a re-run of
    a second payment never records it a third time). One alike is ``duplicate``, unless the
    row is allowed (its Allow duplicate cell, ``allow_all``, or one of the rows ``allowed``,
    such as a payment an accountant found not recorded); for an allowed row, the transactions
    alike are read one by one for the key only their own answer carries.
    """
    taken: set[str] = set()
    outcomes: dict[Place, Outcome] = {}
    requests = 0
    read: dict[str, Transaction] = {}  # transactions whose meta was read, by id
    for verdict in rows:
        invoice = verdict.invoice
        assert invoice is not None
        payment = verdict.payment
        ours = PaymentFacts.of(payment, invoice.id, keys.get(payment.place, ()))
        candidates = []
        for transaction in holdings.by_invoice.get(invoice.id, ()):
            if transaction.id in taken:
                continue
            transaction = read.get(transaction.id, transaction)
            if could_be_from_statement(ours, transaction):
                requests += 1
                transaction = read[transaction.id] = await with_meta(client, transaction)
            candidates.append(transaction)
        verdicts = [(t, same_payment(ours, t)) for t in candidates]
        mine = next((t for t, said in verdicts if said is Sameness.SAME_KEY), None)
        alike = [(t, said) for t, said in verdicts if said in _ALIKE]
        if (
            mine is None
            and alike
            and (payment.duplicate_allowed or allow_all or payment.place in allowed)
        ):
            for transaction, _said in alike:
                if transaction.meta is None:
                    requests += 1
                    transaction = await with_meta(client, transaction)
                if same_payment(ours, transaction) is Sameness.SAME_KEY:
                    mine = transaction
                    break
            alike = []
        if mine is not None:
            taken.add(mine.id)
            outcomes[payment.place] = Outcome(
                payment, RowStatus.SKIPPED, _this_very_payment(mine, invoice), invoice
            )
        elif alike:
            first, said = alike[0]
            taken.add(first.id)
            outcomes[payment.place] = Outcome(
                payment, RowStatus.DUPLICATE, _already_there(first, invoice, ours, said), invoice
            )
    return Held(outcomes, requests)


def _this_very_payment(transaction: Transaction, invoice: Invoice) -> str:
    meta = transaction.meta or {}
    source = ""
    if meta.get("importer_file"):
        source = f" from {meta['importer_file']}" + (
            f", row {meta['importer_row']}" if meta.get("importer_row") else ""
        )
    return (
        f"HighLevel already holds this payment: {_described(transaction, invoice)}, recorded "
        f"by the importer{source} (it carries this row's key). It is not sent again."
    )


def _already_there(
    transaction: Transaction, invoice: Invoice, ours: PaymentFacts, said: Sameness
) -> str:
    if said is not Sameness.ON_STATEMENT:
        return (
            f"HighLevel already holds {_described(transaction, invoice)}: if this is a second "
            "real payment, put yes in its Allow duplicate cell or run with --allow-duplicates."
        )
    meta = transaction.meta or {}
    held = _described(transaction, invoice)
    if meta.get("importer_statement"):
        held += ", from a bank statement's line" + _source(meta)
    this = "This line of the bank statement" if ours.from_statement else f"This {_kind(ours.mode)}"
    if ours.from_statement and meta.get("importer_statement"):
        why = (
            "two lines of bank statements of the same amount on the same invoice within a day "
            "of each other are one payment, whatever their words say it was"
        )
    else:
        # The side that is not the statement's: the one HighLevel holds, or this row.
        mode = (transaction.payment_method or {}).get("mode") if ours.from_statement else None
        other = _kind(str(mode or "")) if ours.from_statement else _kind(ours.mode)
        days = STATEMENT_DAYS.days
        why = (
            f"a bank statement's line and a {other} of the same amount on the same invoice "
            f"within {days} days of each other are one payment, as a bank shows a cheque or a "
            "card's takings some days after they were received"
        )
    # A statement's line has no Allow duplicate cell of its own: the flag is its way.
    override = (
        "run with --allow-duplicates"
        if ours.from_statement
        else "put yes in its Allow duplicate cell or run with --allow-duplicates"
    )
    return (
        f"HighLevel already holds {held}. {this} is taken to be that payment: {why}. If this "
        f"is a second real payment, {override}."
    )


# What each method is, in words: "a cheque", "a card payment".
_KINDS = {"cheque": "cheque", "card": "card payment", "cash": "cash payment"}


def _kind(mode: str) -> str:
    return _KINDS.get(mode, _METHOD_WORDS.get(mode, "payment"))


def _source(meta: Mapping[str, Any]) -> str:
    """' (statement.matches.xlsx, row 7)', or '' when the meta does not say."""
    if not meta.get("importer_file"):
        return ""
    row = f", row {meta['importer_row']}" if meta.get("importer_row") else ""
    return f" ({meta['importer_file']}{row})"


def _described(transaction: Transaction, invoice: Invoice) -> str:
    """'a cheque payment of 400.00, cheque 001234, on INV-1028, dated 2026-11-03, recorded
    2026-11-29 10:04', with what the transaction shows."""
    method = transaction.payment_method or {}
    words = _METHOD_WORDS.get(str(method.get("mode") or ""), "")
    amount = f" of {transaction.amount:,.2f}" if transaction.amount is not None else ""
    parts = [f"a {words} payment{amount}" if words else f"a payment{amount}"]
    if number := _field(method, "cheque", "number"):
        parts.append(f"cheque {number}")
    if last4 := _field(method, "card", "last4"):
        brand = _field(method, "card", "brand")
        parts.append(f"{brand} ending {last4}".strip())
    parts.append(f"on {invoice.shown_number}")
    if day := _day(transaction.fulfilled_at):
        parts.append(f"dated {day.isoformat()}")
    if transaction.created_at:
        parts.append(f"recorded {_minute(transaction.created_at)}")
    return ", ".join(parts)


def _minute(moment: str) -> str:
    try:
        return datetime.fromisoformat(moment).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return moment
