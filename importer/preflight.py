"""Every payment checked against the live invoice it names, before anything is recorded.

The API cannot look an invoice up by its number, so the location's invoices are paged once
per run and matched locally. Several rows for one invoice are checked as a running sum in file
order, so the rows that fit go ahead and the first that would overpay is stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.validate import InvoiceRef, Payment

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
    warning: str | None = None


@dataclass
class InvoiceIndex:
    """The location's invoices by id and by number, as found by paging the list."""

    by_id: dict[str, Invoice]
    by_number: dict[str, list[Invoice]]

    def find(self, ref: InvoiceRef) -> list[Invoice]:
        if ref.kind == "id":
            hit = self.by_id.get(ref.text)
            return [hit] if hit else []
        return self.by_number.get(_number_key(ref.text), [])


def _number_key(number: str) -> str:
    return number.strip().lstrip("0") or "0"


async def find_invoices(client: HighLevelClient, refs: Sequence[InvoiceRef]) -> InvoiceIndex:
    """Page the location's invoices until every reference is found or the list ends."""
    wanted_ids = {ref.text for ref in refs if ref.kind == "id"}
    wanted_numbers = {_number_key(ref.text) for ref in refs if ref.kind == "number"}
    index = InvoiceIndex({}, {})
    offset = 0
    while wanted_ids or wanted_numbers:
        page = await client.list_invoices(limit=PAGE_SIZE, offset=offset)
        for invoice in page.invoices:
            index.by_id[invoice.id.lower()] = invoice
            if invoice.invoice_number is not None:
                key = _number_key(invoice.invoice_number)
                index.by_number.setdefault(key, []).append(invoice)
        offset += len(page.invoices)
        if not page.invoices or offset >= page.total:
            break
    return index


async def preflight(client: HighLevelClient, payments: Sequence[Payment]) -> list[Checked]:
    """Check each payment against its invoice, in file order, as a running balance."""
    index = await find_invoices(client, [payment.invoice for payment in payments])
    balance: dict[str, Decimal] = {}
    verdicts: list[Checked] = []
    for payment in payments:
        matches = index.find(payment.invoice)
        if not matches:
            verdicts.append(
                Checked(payment, None, f"No invoice with {payment.invoice} in this location.")
            )
            continue
        if len(matches) > 1:
            ids = ", ".join(invoice.id for invoice in matches)
            verdicts.append(
                Checked(
                    payment,
                    None,
                    f"Invoice {payment.invoice} matches more than one invoice ({ids}); "
                    "put the invoice id in the row instead.",
                )
            )
            continue
        invoice = matches[0]
        verdicts.append(_check(payment, invoice, balance))
    return verdicts


def _check(payment: Payment, invoice: Invoice, balance: dict[str, Decimal]) -> Checked:
    if invoice.status in REFUSED_STATUSES:
        return Checked(payment, invoice, REFUSED_STATUSES[invoice.status])
    if payment.currency and payment.currency != invoice.currency.upper():
        return Checked(
            payment,
            invoice,
            f"The row is in {payment.currency} but the invoice is in {invoice.currency}.",
        )
    due = balance.get(invoice.id, invoice.amount_due)
    if payment.amount > due:
        return Checked(
            payment,
            invoice,
            f"The amount {payment.amount:,.2f} is more than the {due:,.2f} still due "
            "on the invoice (after earlier rows of this file).",
        )
    balance[invoice.id] = due - payment.amount
    warning = None if invoice.live_mode else "The invoice is in test mode."
    return Checked(payment, invoice, None, warning)
