"""A payment as it goes to the API: its business key, its request, and its method as sent."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from importer.api.models import RecordPaymentRequest
from importer.check.payments import Place
from importer.check.references import brand_form, cheque_form, reference_form
from importer.check.validation import Payment
from importer.preflight import Checked

__all__ = [
    "RowKeys",
    "earlier_key",
    "payment_key",
    "payment_keys",
    "payment_request",
    "row_keys",
    "sent_method",
]


# Marks the keys made from normalised parts, so that none of them can equal a key an
# importer before the normalisation made (``earlier_key``) for another payment.
_KEY_FORM = "form 2"


def payment_key(
    location_id: str,
    invoice_id: str,
    payment: Payment,
    *,
    occurrence: int = 1,
) -> str:
    """The payment's business key, the same whichever file or run carries it.

    Its parts are compared as every duplicate check compares them (see
    ``check.references``): a cheque number that lost its zeros, a reference typed again in
    other capitals or a quote kept from a results file leave the key as it was.

    Two genuine payments can share every business field (two equal cash payments on one day);
    a file that allows such duplicates numbers them, and the second one's key differs. A row
    whose Allow duplicate cell says yes (``Payment.duplicate_allowed``) is a payment of its
    own besides any other like it, so its key differs from theirs too: the journal does not
    take it for the one already recorded, while a run of the same row again finds it under
    the same key.
    """
    if payment.cheque is not None:
        detail = cheque_form(payment.cheque.number)
    elif payment.card is not None:
        detail = f"{brand_form(payment.card.brand)}:{payment.card.last4}"
    else:
        detail = reference_form(payment.reference)
    marks = ["allowed"] if payment.duplicate_allowed else []
    return _key([_KEY_FORM, location_id], invoice_id, payment, detail, marks, occurrence)


def earlier_key(location_id: str, invoice_id: str, payment: Payment, *, occurrence: int = 1) -> str:
    """The key an importer before the normalisation of its parts gave this payment: journals
    and HighLevel's transactions written then hold payments under it."""
    if payment.cheque is not None:
        detail = payment.cheque.number
    elif payment.card is not None:
        detail = f"{payment.card.brand.casefold()}:{payment.card.last4}"
    else:
        detail = payment.reference
    return _key([location_id], invoice_id, payment, detail, [], occurrence)


def _key(
    first: list[str],
    invoice_id: str,
    payment: Payment,
    detail: str,
    marks: list[str],
    occurrence: int,
) -> str:
    parts = [
        *first,
        invoice_id,
        f"{payment.amount:.2f}",
        payment.paid_on.isoformat(),
        payment.mode,
        detail,
        *marks,
    ]
    if occurrence > 1:
        parts.append(f"occurrence {occurrence}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class RowKeys:
    """Each payment's key by its place (row, and part of the row), and the key an earlier
    importer gave it."""

    keys: dict[Place, str]
    earlier: dict[Place, str]

    def of(self, place: Place) -> tuple[str, ...]:
        """Every key the payment may be held under, this importer's first."""
        return tuple(k for k in (self.keys.get(place), self.earlier.get(place)) if k)


def payment_keys(location_id: str, checked: Sequence[Checked]) -> dict[Place, str]:
    """Each payment's key by its place; repeats of one business key are numbered."""
    return row_keys(location_id, checked).keys


def row_keys(location_id: str, checked: Sequence[Checked]) -> RowKeys:
    """Each payment's key by its place (row, and part of the row), and its earlier key;
    repeats of one key are numbered, in file order."""
    seen: dict[str, int] = {}
    seen_before: dict[str, int] = {}
    keys: dict[Place, str] = {}
    earlier: dict[Place, str] = {}
    for verdict in checked:
        if verdict.invoice is None:
            continue
        payment, invoice_id = verdict.payment, verdict.invoice.id
        base = payment_key(location_id, invoice_id, payment)
        seen[base] = seen.get(base, 0) + 1
        place = payment.place
        keys[place] = payment_key(location_id, invoice_id, payment, occurrence=seen[base])
        before = earlier_key(location_id, invoice_id, payment)
        seen_before[before] = seen_before.get(before, 0) + 1
        earlier[place] = earlier_key(
            location_id, invoice_id, payment, occurrence=seen_before[before]
        )
    return RowKeys(keys, earlier)


def payment_request(
    payment: Payment, *, location_id: str, alt_type: str, key: str, file_name: str
) -> RecordPaymentRequest:
    """The RecordPaymentDto for one payment."""
    return RecordPaymentRequest(
        alt_id=location_id,
        alt_type=alt_type,
        mode=payment.mode,
        amount=payment.amount,
        notes=payment.notes,
        card=payment.card,
        cheque=payment.cheque,
        # Noon UTC keeps the payment on its calendar day in every time zone of the Americas
        # and Europe, where midnight UTC would show as the day before in the US.
        fulfilled_at=f"{payment.paid_on.isoformat()}T12:00:00.000Z",
        meta=_meta(payment, key=key, file_name=file_name),
    )


def _meta(payment: Payment, *, key: str, file_name: str) -> dict[str, Any]:
    """What the payment carries for a later run to know it by: its key, where it came from,
    and its reference (which the API keeps nowhere else it gives back)."""
    meta: dict[str, Any] = {"importer_key": key, "importer_row": payment.row}
    meta["importer_file"] = file_name
    if payment.reference:
        meta["importer_reference"] = payment.reference
    if payment.from_statement:
        # Its day is the bank's and its method a guess: a later run comparing a cheque or a
        # card payment with it must know (see ``holdings.same_payment``).
        meta["importer_statement"] = True
    return meta


def sent_method(payment: Payment) -> dict[str, Any]:
    """The payment method as the API's transaction shows it: mode, and cheque or card."""
    method: dict[str, Any] = {"mode": payment.mode}
    if payment.cheque is not None:
        method["cheque"] = {"number": payment.cheque.number}
    if payment.card is not None:
        method["card"] = {"brand": payment.card.brand, "last4": payment.card.last4}
    return method
