"""A payment as it goes to the API: its business key, its request, and its method as sent."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from importer.api.models import RecordPaymentRequest
from importer.check.payments import Place
from importer.check.rows import Payment
from importer.preflight import Checked

__all__ = ["payment_key", "payment_keys", "payment_request", "sent_method"]


def payment_key(location_id: str, invoice_id: str, payment: Payment, *, occurrence: int = 1) -> str:
    """The payment's business key, the same whichever file or run carries it.

    Two genuine payments can share every business field (two equal cash payments on one day);
    a file that allows such duplicates numbers them, and the second one's key differs.
    """
    detail = ""
    if payment.cheque is not None:
        detail = payment.cheque.number
    elif payment.card is not None:
        detail = f"{payment.card.brand.casefold()}:{payment.card.last4}"
    else:
        detail = payment.reference
    parts = [
        location_id,
        invoice_id,
        f"{payment.amount:.2f}",
        payment.paid_on.isoformat(),
        payment.mode,
        detail,
    ]
    if occurrence > 1:
        parts.append(f"occurrence {occurrence}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def payment_keys(location_id: str, checked: Sequence[Checked]) -> dict[Place, str]:
    """Each payment's key by its place (row, and part of the row); repeats of one business key
    are numbered, in file order."""
    seen: dict[str, int] = {}
    keys: dict[Place, str] = {}
    for verdict in checked:
        if verdict.invoice is None:
            continue
        base = payment_key(location_id, verdict.invoice.id, verdict.payment)
        seen[base] = seen.get(base, 0) + 1
        keys[verdict.payment.place] = payment_key(
            location_id, verdict.invoice.id, verdict.payment, occurrence=seen[base]
        )
    return keys


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
        meta={"importer_key": key, "importer_row": payment.row, "importer_file": file_name},
    )


def sent_method(payment: Payment) -> dict[str, Any]:
    """The payment method as the API's transaction shows it: mode, and cheque or card."""
    method: dict[str, Any] = {"mode": payment.mode}
    if payment.cheque is not None:
        method["cheque"] = {"number": payment.cheque.number}
    if payment.card is not None:
        method["card"] = {"brand": payment.card.brand, "last4": payment.card.last4}
    return method
