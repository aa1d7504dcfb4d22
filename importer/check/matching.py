"""Which open invoice a bank statement's line pays: a proposal, with its evidence in words.

A statement has no invoice column: the invoice is named in the line's text ("REF INV-2011",
"Pago factura 1011"), or only the payer and the amount say which it was. Each rule is a pure
function of plain values (a line; the open invoices), most certain first:

- ``by_number``: the text names an open invoice, as a whole number and not inside a longer
  one or an account number, and the amount is at most what it owes: ``sure``. Several named
  invoices whose balances add up to the amount exactly are a ``sure`` split.
- ``by_amount_and_name``: exactly one open invoice owes exactly the amount and its client's
  name is close to the payer's in the text: ``likely``; more than one: ``several``.
- Otherwise ``none``, saying what was tried.

``propose`` runs the rules for one line; ``propose_all`` takes a statement's lines in order,
so that an invoice a ``sure`` line pays in full is not proposed again for a later line.
Nothing here records anything: a person confirms each proposal.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from importer.api.models import PaymentMode
from importer.check.line_words import names_alike, numbers_in
from importer.check.templates import normalise
from importer.check.values import DecimalMark, format_amount
from importer.status import Match

__all__ = [
    "OpenInvoice",
    "OpenInvoices",
    "Proposal",
    "StatementLine",
    "by_amount_and_name",
    "by_number",
    "invoice_list",
    "listed_invoices",
    "propose",
    "propose_all",
]

# The invoices that can still take a payment.
TAKES_PAYMENT = ("sent", "partially_paid")


# --- The plain values the rules take and give ---------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    """A line of a statement that is money received: its row, date, words and amount."""

    row: int
    paid_on: date
    text: str  # the description, the payer and whatever else the bank wrote, as one text
    amount: Decimal
    currency: str | None = None  # None when the statement does not say
    mode: PaymentMode = "bank_transfer"
    cheque: str = ""  # the cheque number the bank wrote in its words, for a cheque's line


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice as the rules see it: its number, client, what it still owes, and status."""

    id: str
    number: str | None
    prefix: str
    client: str
    due: Decimal
    currency: str
    status: str = "sent"

    @property
    def shown(self) -> str:
        """The number as printed on the invoice (INV-2011)."""
        return f"{self.prefix}{self.number}" if self.number else self.id

    @property
    def takes_payment(self) -> bool:
        return self.status in TAKES_PAYMENT


@dataclass(frozen=True)
class Proposal:
    """The invoice(s) proposed for a line, how sure, and why, in words."""

    match: Match
    invoices: tuple[str, ...] = ()  # what goes in the Invoice column
    candidates: tuple[str, ...] = ()  # for ``several``: the invoices that fit equally
    why: str = ""

    @property
    def invoice_cell(self) -> str:
        return invoice_list(self.invoices)

    @property
    def accept(self) -> str:
        """The Accept column as written: yes for ``sure`` only, for a person to confirm."""
        return "yes" if self.match == Match.SURE else ""


# One payment for several invoices is written in the Invoice column as the split payments'
# list form, "2017; 2018"; these two functions are the one place that knows it.
INVOICE_LIST_SEPARATOR = "; "
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")


def invoice_list(refs: Sequence[str]) -> str:
    """The Invoice cell for one or several invoices."""
    return INVOICE_LIST_SEPARATOR.join(refs)


def listed_invoices(cell: str) -> tuple[str, ...]:
    """The invoices an Invoice cell lists, each as written ("2017; 2018" -> two)."""
    return tuple(part for part in _LIST_SPLIT.split(cell.strip()) if part)


class OpenInvoices:
    """The location's invoices, indexed once for every line of a statement.

    Only invoices that take a payment are proposed; others given (paid, draft, void) are
    there to say why a number in the text was passed over. What ``sure`` proposals pay is
    kept, so that a later line does not pay the same balance again.
    """

    def __init__(self, invoices: Iterable[OpenInvoice]) -> None:
        self.invoices = list(invoices)
        self.by_number: dict[str, list[OpenInvoice]] = {}
        by_currency: dict[str, list[tuple[Decimal, int]]] = {}
        for position, invoice in enumerate(self.invoices):
            if invoice.number:
                self.by_number.setdefault(invoice.number.strip(), []).append(invoice)
            if invoice.takes_payment:
                by_currency.setdefault(invoice.currency.upper(), []).append((invoice.due, position))
        self._amounts = {currency: sorted(dues) for currency, dues in by_currency.items()}
        # The currencies of the invoices taking a payment: a statement that does not say its
        # own is sure of nothing when there are two.
        self.currencies = frozenset(self._amounts)
        self.lengths = frozenset(len(number) for number in self.by_number)
        # Numbers more than one invoice has: such an invoice is named by its id.
        self._shared = frozenset(n for n, found in self.by_number.items() if len(found) > 1)
        self._taken: dict[str, Decimal] = {}
        self._taken_by: dict[str, int] = {}

    def ref(self, invoice: OpenInvoice) -> str:
        """How the Invoice column names the invoice: its number, or its id when it has none
        or shares it with another invoice (a number that finds two is refused when run)."""
        number = (invoice.number or "").strip()
        return invoice.id if not number or number in self._shared else number

    def due(self, invoice: OpenInvoice) -> Decimal:
        """What the invoice still owes after the ``sure`` lines before this one."""
        return invoice.due - self._taken.get(invoice.id, Decimal(0))

    def paid_in_full_by(self, invoice: OpenInvoice) -> int | None:
        """The row of the statement that paid this invoice in full, if one did."""
        return self._taken_by.get(invoice.id) if self.due(invoice) <= 0 else None

    def take(self, invoice: OpenInvoice, amount: Decimal, *, row: int) -> None:
        self._taken[invoice.id] = self._taken.get(invoice.id, Decimal(0)) + amount
        self._taken_by[invoice.id] = row

    def owing(
        self, amount: Decimal, currency: str | None, *, tolerance: Decimal = Decimal(0)
    ) -> list[OpenInvoice]:
        """The invoices that take a payment and owe ``amount`` (give or take ``tolerance``)."""
        currencies = [currency.upper()] if currency else sorted(self._amounts)
        found = []
        for code in currencies:
            dues = self._amounts.get(code, [])
            start = bisect.bisect_left(dues, (amount - tolerance, -1))
            for due, position in dues[start:]:
                if due > amount + tolerance:
                    break
                invoice = self.invoices[position]
                if abs(self.due(invoice) - amount) <= tolerance:
                    found.append(invoice)
        return found


# --- The rules ----------------------------------------------------------------------------


def by_number(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """``sure`` when the text names an open invoice that can take the whole amount, or names
    invoices whose balances add up to it exactly; ``likely`` or ``several`` when it names
    invoices that do not settle it; else ``none``, saying which numbers were passed over."""
    money = _Money(decimal)
    passed_over: list[str] = []
    named = _named_invoices(line, invoices, passed_over, money)
    if named and line.currency is None and len(invoices.currencies) > 1:
        # The same number in another currency would record the wrong money: a person says.
        proposal = by_number(
            dataclasses.replace(line, currency=named[0].currency),
            invoices,
            tolerance=tolerance,
            decimal=decimal,
        )
        if proposal.match != Match.SURE:
            return proposal
        return dataclasses.replace(
            proposal,
            match=Match.LIKELY,
            why=f"{proposal.why} The statement does not say its currency, and the invoice is "
            f"in {named[0].currency}.",
        )
    if len(named) > 1:
        return _several_named(line, named, invoices, money, tolerance=tolerance)
    if len(named) == 1:
        invoice = named[0]
        due = invoices.due(invoice)
        if line.amount <= due:
            part = (
                f"{money(line.amount)} is what it owes"
                if line.amount == due
                else f"{money(line.amount)} of the {money(due)} it owes"
            )
            return Proposal(
                Match.SURE, (invoices.ref(invoice),), why=f"{invoice.shown} in the text; {part}."
            )
        passed_over.append(
            f"{invoice.shown} is in the text but owes {money(due)}, less than {money(line.amount)}"
        )
    return Proposal(Match.NONE, why=_sentence(passed_over))


def _named_invoices(
    line: StatementLine, invoices: OpenInvoices, passed_over: list[str], money: _Money
) -> list[OpenInvoice]:
    """The invoices taking a payment that the text names, each once, in the order written;
    why each other number was passed over goes in ``passed_over``."""
    found: dict[str, OpenInvoice] = {}
    for mention in numbers_in(line.text).mentions:
        known = invoices.by_number.get(mention.number, [])
        if mention.glued:
            known = [i for i in known if normalise(i.prefix) == mention.glued]
        if not known and mention.named:
            passed_over.append(
                f"{mention.number} is in the text, but no open invoice has that number"
            )
        takers = [
            invoice
            for invoice in known
            if invoice.takes_payment
            and (not line.currency or invoice.currency.upper() == line.currency.upper())
        ]
        if len(takers) > 1:
            ids = _and([invoice.id for invoice in takers])
            passed_over.append(
                f"{mention.number} is the number of {len(takers)} open invoices ({ids}): "
                "write the id of the one it pays in Invoice"
            )
            continue
        for invoice in known:
            if not invoice.takes_payment:
                why = f"is {_STATUS_WORDS.get(invoice.status, invoice.status.replace('_', ' '))}"
            elif line.currency and invoice.currency.upper() != line.currency.upper():
                why = f"is in {invoice.currency}, not {line.currency}"
            elif (row := invoices.paid_in_full_by(invoice)) is not None:
                why = f"row {row} of this statement pays all it owes"
            else:
                found.setdefault(invoice.id, invoice)
                continue
            passed_over.append(f"{invoice.shown} is in the text but {why}")
    return list(found.values())


def _several_named(
    line: StatementLine,
    named: list[OpenInvoice],
    invoices: OpenInvoices,
    money: _Money,
    *,
    tolerance: Decimal,
) -> Proposal:
    """The text names two or more invoices: a split when their balances add up to the line."""
    dues = [invoices.due(invoice) for invoice in named]
    together = sum(dues, Decimal(0))
    owed = _and([f"{i.shown} owes {money(due)}" for i, due in zip(named, dues, strict=True)])
    refs = tuple(invoices.ref(invoice) for invoice in named)
    if together == line.amount:
        return Proposal(Match.SURE, refs, why=f"Split: {owed}, together {money(together)}.")
    if abs(together - line.amount) <= tolerance:
        gap = _difference(together, line.amount, money)
        return Proposal(
            Match.LIKELY, refs, why=f"Split: {owed}, together {money(together)}, {gap}."
        )
    listed = _and([invoice.shown for invoice in named])
    exact = [invoice for invoice, due in zip(named, dues, strict=True) if due == line.amount]
    if len(exact) == 1:
        return Proposal(
            Match.LIKELY,
            (invoices.ref(exact[0]),),
            why=f"{listed} are in the text; together they owe {money(together)}, not "
            f"{money(line.amount)}, and {exact[0].shown} owes exactly {money(line.amount)}.",
        )
    return Proposal(
        Match.SEVERAL,
        candidates=refs,
        why=f"{listed} are in the text, but {owed}, together {money(together)}, not "
        f"{money(line.amount)}: choose the invoice it pays.",
    )


def by_amount_and_name(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """``likely`` when exactly one open invoice owes the amount and its client's name is close
    to the payer's in the text; ``several`` when more than one is; else ``none``."""
    money = _Money(decimal)
    owing = invoices.owing(line.amount, line.currency, tolerance=tolerance)
    if not owing:
        within = f" (nor within {money(tolerance)} of it)" if tolerance else ""
        return Proposal(Match.NONE, why=f"No open invoice owes {money(line.amount)}{within}.")
    close = [invoice for invoice in owing if names_alike(line.text, invoice.client)]

    def owes(invoice: OpenInvoice) -> str:
        due = invoices.due(invoice)
        if due == line.amount:
            return f"owes exactly {money(due)}"
        return f"owes {money(due)}, {_difference(due, line.amount, money)}"

    if len(close) == 1:
        invoice = close[0]
        return Proposal(
            Match.LIKELY,
            (invoices.ref(invoice),),
            why=f"{invoice.client} looks like the payer, and {invoice.shown} {owes(invoice)}.",
        )
    if len(close) > 1:
        clients = sorted({invoice.client for invoice in close})
        listed = _and([f"{invoice.shown} {owes(invoice)}" for invoice in close])
        return Proposal(
            Match.SEVERAL,
            candidates=tuple(invoices.ref(invoice) for invoice in close),
            why=f"{_and(clients)} {'looks' if len(clients) == 1 else 'each look'} like the payer, "
            f"and {listed}: choose the invoice it pays.",
        )
    listed = _and([f"{i.shown} ({i.client}) {owes(i)}" for i in owing[:3]])
    left = len(owing) - 3
    more = f", and {left} more invoice{'s' if left > 1 else ''} likewise" if left > 0 else ""
    return Proposal(Match.NONE, why=f"{listed}{more}, but the payer's name is not the client's.")


def propose(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """The most certain proposal the rules make for one line, with everything they found."""
    named = by_number(line, invoices, tolerance=tolerance, decimal=decimal)
    if named.match != Match.NONE:
        return named
    by_amount = by_amount_and_name(line, invoices, tolerance=tolerance, decimal=decimal)
    found = named.why or "No open invoice's number in the text."
    inside = _only_inside(line, invoices, _Money(decimal))
    return dataclasses.replace(
        by_amount, why=" ".join(filter(None, (found, inside, by_amount.why)))
    )


def propose_all(
    lines: Iterable[StatementLine],
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> dict[int, Proposal]:
    """Each line's proposal by row, in statement order: what a ``sure`` line pays is not
    proposed again for a later one."""
    proposals: dict[int, Proposal] = {}
    by_ref = {
        invoices.ref(invoice): invoice for invoice in invoices.invoices if invoice.takes_payment
    }
    for line in lines:
        proposal = propose(line, invoices, tolerance=tolerance, decimal=decimal)
        proposals[line.row] = proposal
        if proposal.match == Match.SURE:
            left = line.amount
            for ref in proposal.invoices:
                invoice = by_ref[ref]
                paid = min(left, invoices.due(invoice))
                invoices.take(invoice, paid, row=line.row)
                left -= paid
    return proposals


def _only_inside(line: StatementLine, invoices: OpenInvoices, money: _Money) -> str:
    """Open invoices whose number the text holds only inside a longer number or an account."""
    found: list[str] = []
    numbers = numbers_in(line.text)
    hosts = [*(mention.number for mention in numbers.mentions), *numbers.longer]
    for longer in hosts:
        for group in re.findall(r"[0-9]+", longer):
            for length in sorted(invoices.lengths):
                # A whole group of an account or a date counts; a number on its own is itself.
                if length > len(group) or (length == len(group) and longer == group):
                    continue
                for start in range(len(group) - length + 1):
                    for invoice in invoices.by_number.get(group[start : start + length], []):
                        if invoice.takes_payment:
                            found.append(
                                f"{invoice.shown} ({invoice.client}, owes "
                                f"{money(invoices.due(invoice))}) is only inside {longer}"
                            )
    if not found:
        return ""
    shown = list(dict.fromkeys(found))
    return _sentence(shown[:3]).removesuffix(".") + ", so it is not taken for an invoice number."


# --- Words --------------------------------------------------------------------------------


class _Money:
    """Amounts written as the statement writes them (1,234.50 or 1.234,50)."""

    def __init__(self, decimal: DecimalMark) -> None:
        self.decimal: DecimalMark = decimal

    def __call__(self, amount: Decimal) -> str:
        return format_amount(amount, decimal=self.decimal)


def _difference(due: Decimal, amount: Decimal, money: _Money) -> str:
    gap = due - amount
    return f"{money(abs(gap))} {'more' if gap > 0 else 'less'} than this line"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(parts: Sequence[str]) -> str:
    """Findings as one sentence: its first letter capital, a full stop at the end."""
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


_STATUS_WORDS = {"paid": "already paid", "draft": "a draft (send it first)", "void": "void"}
