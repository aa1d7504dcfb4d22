"""The sandbox's invoices and payment ledger, held in memory and loaded from a seed.

Nothing here knows about HTTP: the app turns requests into calls on `InvoiceBook` and its
exceptions into answers. Money is computed in `Decimal` and stored as JSON numbers rounded to
cents, because the real API speaks major units (999 means 999.00) and float sums drift.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = [
    "INVOICE_STATUSES",
    "PAYABLE_STATUSES",
    "InvoiceBook",
    "InvoiceNotFound",
    "PaymentRefused",
    "Seed",
    "SeedError",
    "iso_timestamp",
    "load_seed",
    "money",
    "utc_now",
]

Seed = str | Path | Mapping[str, Any]

INVOICE_STATUSES = ("draft", "sent", "payment_processing", "paid", "void", "partially_paid")

# The spec does not say which statuses accept a manual payment. Draft most likely refuses
# (integrations send an invoice first), void and paid refuse; an online payment in flight
# (payment_processing) does not stop a manual one being recorded.
PAYABLE_STATUSES = ("sent", "partially_paid", "payment_processing")

DEFAULT_NUMBER_PREFIX = "INV-"
_CENT = Decimal("0.01")
# The decimal context's 28 digits, less the two for cents.
_CENTS_DIGITS = 26
_NUMBER_WITH_PREFIX = re.compile(r"^(?P<prefix>.*?)(?P<digits>\d+)$")
# Fields normalise_invoice works out itself; amountDue in particular is always total - amountPaid.
_SETTLED_FIELDS = frozenset(
    {"_id", "invoiceNumber", "invoiceNumberPrefix", "contactDetails", "invoiceItems"}
    | {"total", "amountPaid", "amountDue"}
)
_CONTACT_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class SeedError(ValueError):
    """The seed cannot be turned into invoices; the message says which invoice and field."""


class InvoiceNotFound(KeyError):
    """No invoice has this id in the sandbox."""


class PaymentRefused(Exception):
    """The invoice cannot take this payment; the message is the one the API answers with."""


def utc_now() -> datetime:
    """The current time in UTC (the default wall clock for timestamps)."""
    return datetime.now(UTC)


def iso_timestamp(moment: datetime) -> str:
    """Format a time as the API does: `2023-12-12T09:27:42.355Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def money(amount: Decimal) -> int | float:
    """A Decimal amount as a JSON number rounded to cents: 999 stays 999, 12.5 becomes 12.5."""
    if amount.adjusted() >= _CENTS_DIGITS:
        # Cents of an amount this large need more digits than a Decimal holds (quantize would
        # raise); it can only appear in a refusal's message, where a float reads well enough.
        return float(amount)
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if cents == cents.to_integral_value():
        return int(cents)
    return float(cents)


def to_decimal(value: Any) -> Decimal:
    """Read a JSON number as a Decimal through its shortest text, so 0.1 stays 0.1."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{value!r} is not a number")
    try:
        result = Decimal(str(value))
    except InvalidOperation as error:
        raise TypeError(f"{value!r} is not a number") from error
    if not result.is_finite():
        raise TypeError(f"{value!r} is not a finite number")
    return result


def load_seed(seed: Seed) -> dict[str, Any]:
    """Read a seed from a JSON file, or take an already-parsed one; check its outline."""
    if isinstance(seed, str | Path):
        path = Path(seed)
        try:
            parsed = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SeedError(f"Cannot read the sandbox seed {path}: {error.strerror}.") from error
        except json.JSONDecodeError as error:
            raise SeedError(
                f"The sandbox seed {path} is not valid JSON (line {error.lineno}, "
                f"column {error.colno}: {error.msg})."
            ) from error
    else:
        parsed = copy.deepcopy(dict(seed))
    if not isinstance(parsed, dict):
        raise SeedError('The sandbox seed must be a JSON object with "locationId" and "invoices".')
    location_id = parsed.get("locationId")
    if not isinstance(location_id, str) or not location_id:
        raise SeedError('The sandbox seed needs a "locationId" (the sub-account id), as text.')
    invoices = parsed.get("invoices", [])
    if not isinstance(invoices, list) or not all(isinstance(i, dict) for i in invoices):
        raise SeedError('The sandbox seed\'s "invoices" must be a list of invoice objects.')
    return parsed


def _hex_id(*parts: str) -> str:
    # Ids derived from the seed stay the same from one start to the next, so a rehearsal's
    # results file still points at the same invoices after the sandbox restarts.
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:24]


def _contact_id(*parts: str) -> str:
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return "".join(_CONTACT_ID_ALPHABET[b % len(_CONTACT_ID_ALPHABET)] for b in digest[:20])


def _split_number(raw: Any, *, where: str) -> tuple[str, str | None]:
    """Split "INV-1001" into ("1001", "INV-"); a bare number has no prefix of its own."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise SeedError(f"{where}: invoiceNumber must be text or a whole number, not {raw!r}.")
    text = str(raw).strip()
    match = _NUMBER_WITH_PREFIX.match(text)
    if match is None:
        return text, None
    return match["digits"], match["prefix"] or None


def _seed_money(raw: Mapping[str, Any], field: str, *, where: str) -> Decimal | None:
    if field not in raw:
        return None
    try:
        return to_decimal(raw[field])
    except TypeError:
        raise SeedError(f"{where}: {field} must be a number, not {raw[field]!r}.") from None


def _items_total(items: list[Any], *, where: str) -> Decimal:
    total = Decimal(0)
    for item in items:
        if not isinstance(item, dict):
            raise SeedError(f"{where}: each of invoiceItems must be an object.")
        try:
            total += to_decimal(item.get("amount", 0)) * to_decimal(item.get("qty", 1))
        except TypeError:
            raise SeedError(f"{where}: invoiceItems need numeric amount and qty.") from None
    return total


def normalise_invoice(
    raw: Mapping[str, Any],
    *,
    location_id: str,
    position: int,
    default_number: str,
    now: datetime,
) -> dict[str, Any]:
    """Fill an invoice from the seed with every field DefaultInvoiceResponseDto requires."""
    invoice_id = str(raw.get("_id") or _hex_id(location_id, "invoice", str(position)))
    where = f"Seed invoice {position + 1} ({invoice_id})"

    if "invoiceNumber" in raw:
        number, prefix = _split_number(raw["invoiceNumber"], where=where)
    else:
        number, prefix = default_number, None
    prefix = str(raw.get("invoiceNumberPrefix", prefix or DEFAULT_NUMBER_PREFIX))

    status = raw.get("status", "sent")
    if status not in INVOICE_STATUSES:
        raise SeedError(f"{where}: status {status!r} is not one of {', '.join(INVOICE_STATUSES)}.")

    alt_id = raw.get("altId", location_id)
    if alt_id != location_id:
        raise SeedError(
            f"{where}: altId {alt_id!r} differs from the seed's locationId {location_id!r}."
        )

    items = raw.get("invoiceItems", [])
    if not isinstance(items, list):
        raise SeedError(f"{where}: invoiceItems must be a list.")
    seeded_total = _seed_money(raw, "total", where=where)
    total = _items_total(items, where=where) if seeded_total is None else seeded_total
    paid = _seed_money(raw, "amountPaid", where=where) or Decimal(0)
    if total < 0 or paid < 0:
        raise SeedError(f"{where}: total and amountPaid cannot be negative.")
    if paid > total:
        raise SeedError(f"{where}: amountPaid {paid} is more than the total {total}.")

    issue_date = str(raw.get("issueDate", now.date().isoformat()))
    try:
        default_due = (date.fromisoformat(issue_date[:10]) + timedelta(days=30)).isoformat()
    except ValueError:
        raise SeedError(f"{where}: issueDate {issue_date!r} is not a YYYY-MM-DD date.") from None

    contact = dict(raw.get("contactDetails") or {"name": "Sandbox Contact"})
    # Transactions name the invoice's contact by id, so every contact needs one.
    contact.setdefault("id", _contact_id(location_id, "contact", invoice_id))
    contact.setdefault("name", "Sandbox Contact")

    stamp = iso_timestamp(now)
    invoice: dict[str, Any] = {
        "_id": invoice_id,
        "status": status,
        "liveMode": True,
        "amountPaid": money(paid),
        "altId": location_id,
        "altType": "location",
        "name": f"Invoice {prefix}{number}",
        "businessDetails": {"name": "Sandbox Business"},
        "invoiceNumber": number,
        "invoiceNumberPrefix": prefix,
        "currency": "USD",
        "contactDetails": contact,
        "issueDate": issue_date,
        "dueDate": default_due,
        "discount": {"type": "percentage", "value": 0},
        "invoiceItems": items,
        "total": money(total),
        "title": "INVOICE",
        "amountDue": money(total - paid),
        "createdAt": stamp,
        "updatedAt": stamp,
        "totalSummary": {"subTotal": money(total), "discount": 0, "tax": 0},
    }
    # Whatever else the seed says wins over the defaults, except the fields settled above.
    for field, value in raw.items():
        if field not in _SETTLED_FIELDS:
            invoice[field] = copy.deepcopy(value)
    return invoice


class InvoiceBook:
    """The location's invoices and the ledger of payments recorded against them."""

    def __init__(self, seed: Seed, *, now: Callable[[], datetime] = utc_now) -> None:
        parsed = load_seed(seed)
        self.location_id: str = parsed["locationId"]
        self._now = now
        self._invoices: dict[str, dict[str, Any]] = {}
        self._transactions: list[dict[str, Any]] = []
        # The server thread records payments while a test thread reads the state.
        self._lock = threading.Lock()

        raws: list[dict[str, Any]] = parsed["invoices"]
        # Invoices without a number get the next ones after the highest the seed uses, so
        # generated numbers never collide with given ones.
        given = (_NUMBER_WITH_PREFIX.match(str(r.get("invoiceNumber", ""))) for r in raws)
        next_number = max((int(m["digits"]) for m in given if m), default=1000) + 1
        moment = now()
        for position, raw in enumerate(raws):
            default_number = ""
            if "invoiceNumber" not in raw:
                default_number, next_number = str(next_number), next_number + 1
            invoice = normalise_invoice(
                raw,
                location_id=self.location_id,
                position=position,
                default_number=default_number,
                now=moment,
            )
            if invoice["_id"] in self._invoices:
                raise SeedError(f"Seed invoice {position + 1}: _id {invoice['_id']} is repeated.")
            self._invoices[invoice["_id"]] = invoice

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        """A copy of one invoice, as GET /invoices/{invoiceId} returns it."""
        with self._lock:
            try:
                return copy.deepcopy(self._invoices[invoice_id])
            except KeyError:
                raise InvoiceNotFound(invoice_id) from None

    def invoices(self, *, status: str | None = None) -> list[dict[str, Any]]:
        """Copies of the invoices in seed order, optionally only those with one status."""
        with self._lock:
            return [
                copy.deepcopy(invoice)
                for invoice in self._invoices.values()
                if status is None or invoice["status"] == status
            ]

    def invoice_page(
        self,
        *,
        offset: int,
        limit: int,
        status: str | None = None,
        contact_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Copies of one page of matching invoices, and how many match in all.

        Only the page is copied: copying every invoice for each page made paging a large
        location quadratic.
        """
        with self._lock:
            matching = [
                invoice
                for invoice in self._invoices.values()
                if (status is None or invoice["status"] == status)
                and (contact_id is None or invoice["contactDetails"].get("id") == contact_id)
            ]
            window = matching[offset : offset + limit]
            return [copy.deepcopy(invoice) for invoice in window], len(matching)

    def transactions(self, *, entity_id: str | None = None) -> list[dict[str, Any]]:
        """Copies of the recorded transactions, oldest first, optionally for one invoice."""
        with self._lock:
            return [
                copy.deepcopy(transaction)
                for transaction in self._transactions
                if entity_id is None or transaction["entityId"] == entity_id
            ]

    def transaction(self, transaction_id: str) -> dict[str, Any]:
        """A copy of one recorded transaction; KeyError if no transaction has this id."""
        with self._lock:
            for transaction in self._transactions:
                if transaction["_id"] == transaction_id:
                    return copy.deepcopy(transaction)
        raise KeyError(transaction_id)

    def record_payment(
        self,
        invoice_id: str,
        *,
        amount: Decimal,
        payment_method: dict[str, Any],
        alt_type: str,
        notes: str | None = None,
        meta: dict[str, Any] | None = None,
        fulfilled_at: str | None = None,
    ) -> dict[str, Any]:
        """Apply one payment to an invoice and add it to the ledger; return the updated invoice."""
        with self._lock:
            invoice = self._invoices.get(invoice_id)
            if invoice is None:
                raise InvoiceNotFound(invoice_id)
            status = invoice["status"]
            if status not in PAYABLE_STATUSES:
                raise PaymentRefused(f"Cannot record payment on a {status} invoice")
            due = to_decimal(invoice["amountDue"])
            if amount > due:
                raise PaymentRefused(
                    f"Payment amount {money(amount)} is more than the amount due "
                    f"{money(due)} on this invoice"
                )

            paid = to_decimal(invoice["amountPaid"]) + amount
            due = to_decimal(invoice["total"]) - paid
            stamp = iso_timestamp(self._now())
            invoice["amountPaid"] = money(paid)
            invoice["amountDue"] = money(due)
            invoice["status"] = "paid" if money(due) <= 0 else "partially_paid"
            invoice["updatedAt"] = stamp

            contact = invoice["contactDetails"]
            transaction: dict[str, Any] = {
                "_id": _hex_id(self.location_id, "transaction", str(len(self._transactions))),
                "altId": self.location_id,
                "altType": alt_type,
                "contactId": contact.get("id"),
                "contactName": contact.get("name"),
                "contactEmail": contact.get("email"),
                "currency": invoice["currency"],
                "amount": money(amount),
                "status": "succeeded",
                "liveMode": invoice["liveMode"],
                "entityType": "invoice",
                "entityId": invoice_id,
                "entitySourceType": "invoice",
                "entitySourceName": invoice["name"],
                "paymentMethod": copy.deepcopy(payment_method),
                "notes": notes,
                "meta": copy.deepcopy(meta) if meta is not None else None,
                "fulfilledAt": fulfilled_at or stamp,
                "createdAt": stamp,
                "updatedAt": stamp,
                "amountRefunded": 0,
            }
            self._transactions.append(
                {key: value for key, value in transaction.items() if value is not None}
            )
            return copy.deepcopy(invoice)
