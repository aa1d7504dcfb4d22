"""Every payment checked against the live invoice it names, before anything is recorded.

The API cannot look an invoice up by its number, so the location's invoices are paged once
per run and matched locally, as text without the display prefix: 0042 is not 42. Several
rows for one invoice are checked as a running sum in file order: the rows that fit go ahead,
and the first that would overpay and those after it for the same invoice are held back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.check.fields import InvoiceRef
from importer.check.validation import Payment
from importer.currencies import decimals, fits

# The largest page the list call accepts; fewer, larger pages spend less of the rate budget.
PAGE_SIZE = 100
REFUSED_STATUSES = {
    "draft": "The invoice is a draft: send the invoice first, then record the payment.",
    "void": "The invoice is void; a payment cannot be recorded against it.",
    "paid": "The invoice is already paid in full.",
}


@dataclass(frozen=True)
class Checked:
    """A payment's preflight verdict: its invoice, and why it cannot go (None when it can)."""

    payment: Payment
    invoice: Invoice | None
    refusal: str | None
    code: str | None = None
    warning: str | None = None


@dataclass
class InvoiceIndex:
    """The location's invoices by id and by number, as found by paging the list."""

    by_id: dict[str, Invoice]
    by_number: dict[str, list[Invoice]]
    requests: int = 0
    # By number without leading zeros: only to say which invoice a 0042 may have meant.
    by_digits: dict[str, list[Invoice]] = field(default_factory=dict)

    def find(self, ref: InvoiceRef) -> list[Invoice]:
        """Every invoice the reference could mean (two or more is for the user to settle)."""
        if ref.kind == "id":
            hit = self.by_id.get(ref.text)
            return [hit] if hit else []
        return self.by_number.get(_number_key(ref.text), [])

    def near(self, ref: InvoiceRef) -> list[Invoice]:
        """Invoices whose number has the same digits as ``ref`` but other leading zeros."""
        if ref.kind == "id":
            return []
        return [
            invoice
            for invoice in self.by_digits.get(_digits_key(ref.text), [])
            if _number_key(invoice.invoice_number or "") != _number_key(ref.text)
        ]

    def refreshed(self, invoices: Sequence[Invoice]) -> InvoiceIndex:
        """The index with newer copies of some of its invoices, read since it was paged."""
        newer = {invoice.id.lower(): invoice for invoice in invoices}
        if not newer:
            return self
        by_number = {
            number: [newer.get(invoice.id.lower(), invoice) for invoice in found]
            for number, found in self.by_number.items()
        }
        return InvoiceIndex({**self.by_id, **newer}, by_number, self.requests, self.by_digits)


def _number_key(number: str) -> str:
    # Numbers are compared as text, as printed: 0042 and 42 are two numbers.
    return number.strip()


def _digits_key(number: str) -> str:
    return number.strip().lstrip("0") or "0"


async def find_invoices(client: HighLevelClient, refs: Sequence[InvoiceRef]) -> InvoiceIndex:
    """Page the location's invoices until every reference is found or the list ends.

    A number is only known to be unambiguous once the whole list is read, so paging stops
    early only when every reference is an id.
    """
    wanted_ids = {ref.text for ref in refs if ref.kind == "id"}
    by_number = any(ref.kind == "number" for ref in refs)
    index = InvoiceIndex({}, {})
    offset = 0
    while wanted_ids or by_number:
        page = await client.list_invoices(limit=PAGE_SIZE, offset=offset)
        index.requests += 1
        for invoice in page.invoices:
            index.by_id[invoice.id.lower()] = invoice
            wanted_ids.discard(invoice.id.lower())
            if invoice.invoice_number is not None:
                key = _number_key(invoice.invoice_number)
                index.by_number.setdefault(key, []).append(invoice)
                digits = _digits_key(invoice.invoice_number)
                index.by_digits.setdefault(digits, []).append(invoice)
        offset += len(page.invoices)
        if not page.invoices or offset >= page.total:
            break
    return index


# The invoices that can still take a payment.
OPEN_STATUSES = ("sent", "partially_paid")


async def open_invoices(
    client: HighLevelClient,
    *,
    due_from: date | None = None,
    due_until: date | None = None,
    client_name: str | None = None,
) -> list[Invoice]:
    """The location's invoices still awaiting payment, by due date, optionally filtered."""
    found: list[Invoice] = []
    for status in OPEN_STATUSES:
        offset = 0
        while True:
            page = await client.list_invoices(limit=PAGE_SIZE, offset=offset, status=status)
            found.extend(invoice for invoice in page.invoices if invoice.status == status)
            offset += len(page.invoices)
            if not page.invoices or offset >= page.total:
                break
    wanted = (client_name or "").casefold()
    chosen = [
        invoice
        for invoice in found
        if (not wanted or wanted in invoice.client_name.casefold())
        and _due_between(invoice, due_from, due_until)
    ]
    return sorted(chosen, key=lambda invoice: ((invoice.due_date or "")[:10], invoice.shown_number))


def _due_between(invoice: Invoice, first: date | None, last: date | None) -> bool:
    if first is None and last is None:
        return True
    try:
        due = date.fromisoformat((invoice.due_date or "")[:10])
    except ValueError:
        return False  # asked for a due-date range, an invoice without a due date is outside it
    return (first is None or due >= first) and (last is None or due <= last)


@dataclass(frozen=True)
class Preflight:
    """Every payment's verdict, the requests spent finding the invoices, and what they found."""

    verdicts: list[Checked]
    lookup_requests: int
    index: InvoiceIndex | None = None


async def preflight(client: HighLevelClient, payments: Sequence[Payment]) -> Preflight:
    """Check each payment against its invoice, in file order, as a running balance."""
    index = await find_invoices(client, [payment.invoice for payment in payments])
    return Preflight(check_payments(index, payments), index.requests, index)


def check_payments(index: InvoiceIndex, payments: Sequence[Payment]) -> list[Checked]:
    """Check each payment against its invoice in ``index``, in file order; no request.

    A re-run checks the rows still to send against the invoices it has already paged, so
    the location's invoice list is read once per run.
    """
    balance: dict[str, Decimal] = {}
    overpaid_at: dict[str, int] = {}
    verdicts: list[Checked] = []
    for payment in payments:
        matches = index.find(payment.invoice)
        if not matches:
            verdicts.append(
                Checked(
                    payment,
                    None,
                    f"No invoice with {payment.invoice} in this location."
                    + _near_hint(index.near(payment.invoice)),
                    "invoice.not_found",
                )
            )
        elif len(matches) > 1:
            ids = ", ".join(invoice.id for invoice in matches)
            verdicts.append(
                Checked(
                    payment,
                    None,
                    f"Invoice {payment.invoice} matches more than one invoice ({ids}); "
                    "put the invoice id in the row instead.",
                    "invoice.ambiguous",
                )
            )
        elif matches[0].id in overpaid_at:
            # Rows apply in file order: once one would overpay, what follows for the same
            # invoice depends on how the accountant settles that row.
            verdicts.append(
                Checked(
                    payment,
                    matches[0],
                    f"Row {overpaid_at[matches[0].id]} of this file would overpay this "
                    "invoice; later rows for it are held back until that row is fixed.",
                    "invoice.held_back",
                )
            )
        else:
            verdict = _check(payment, matches[0], balance)
            if verdict.code == "amount.above_due":
                overpaid_at[matches[0].id] = payment.row
            verdicts.append(verdict)
    return verdicts


def _near_hint(near: list[Invoice]) -> str:
    if not near:
        return ""
    numbers = " and ".join(f"{invoice.invoice_number} ({invoice.id})" for invoice in near)
    which = f"number {numbers} has" if len(near) == 1 else f"numbers {numbers} have"
    return (
        f" Invoice {which} the same digits with other leading zeros: if you meant it, write "
        "its number as printed, or its id, in the row."
    )


def _check(payment: Payment, invoice: Invoice, balance: dict[str, Decimal]) -> Checked:
    if invoice.status in REFUSED_STATUSES:
        return Checked(
            payment, invoice, REFUSED_STATUSES[invoice.status], f"invoice.{invoice.status}"
        )
    written = payment.currency or payment.currency_symbol
    if written and not fits(written, invoice.currency):
        return Checked(
            payment,
            invoice,
            f"The row is in {written} but the invoice is in {invoice.currency}; "
            "the API records a payment in the invoice's currency.",
            "currency.mismatch",
        )
    currency = invoice.currency.upper()
    if decimals(currency) == 0 and payment.amount != payment.amount.to_integral_value():
        # The file may have no currency column: only the invoice tells that cents are a slip.
        return Checked(
            payment,
            invoice,
            f"The invoice is in {currency}, which has no decimals, but the amount is "
            f"{payment.amount:,.2f}. Correct the amount to a whole number of {currency}, then "
            "run again.",
            "amount.too_many_decimals",
        )
    due = balance.get(invoice.id, invoice.amount_due)
    if payment.amount > due:
        return Checked(
            payment,
            invoice,
            f"The amount {payment.amount:,.2f} is more than the {due:,.2f} still due "
            "on the invoice (after earlier rows of this file).",
            "amount.above_due",
        )
    balance[invoice.id] = due - payment.amount
    warning = None if invoice.live_mode else "The invoice is in test mode."
    return Checked(payment, invoice, None, warning=warning)
