"""Payments sent to the API one at a time, each answer sorted by what we must do next.

The API has no idempotency key, so an answer after which the payment may exist (a timeout, a
dropped connection, a server error) is never retried blindly: the invoice is read again and
its ``amountPaid`` compared with the value before sending.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from importer.api.client import HighLevelClient, api_message, stop_for_auth_or_budget
from importer.api.models import Invoice, RecordPaymentRequest
from importer.errors import RunStopped
from importer.preflight import Checked
from importer.validate import Payment

Sleep = Callable[[float], Awaitable[None]]


class Verdict(enum.Enum):
    """What an answer to a record-payment request tells us to do."""

    RECORDED = "recorded"
    REJECTED = "rejected"  # this row fails with the API's message; the run goes on
    STOP = "stop"  # no later request can succeed (token refused, daily budget spent)
    RETRY = "retry"  # the API did not act on it; the same request may be sent again
    UNKNOWN = "unknown"  # the payment may exist: verify before anything else


@dataclass(frozen=True)
class Answer:
    """A sorted answer: the verdict, the API's words, and the updated invoice if any."""

    verdict: Verdict
    message: str
    invoice: Mapping[str, Any] | None = None


def sort_answer(status: int, headers: Mapping[str, str], body: Any) -> Answer:
    """Decide what one record-payment answer means. Pure: tested as a table."""
    message = _message(body)
    if status == 200:
        if isinstance(body, dict) and body.get("success") and isinstance(body.get("invoice"), dict):
            return Answer(Verdict.RECORDED, "", body["invoice"])
        # A 200 we cannot read may still have recorded the payment.
        return Answer(Verdict.UNKNOWN, "The API answered 200 without the updated invoice.")
    if status in (400, 404, 409, 422):
        return Answer(Verdict.REJECTED, message or f"The API refused the payment ({status}).")
    if status in (401, 403):
        return Answer(Verdict.STOP, message or f"The API refused the token ({status}).")
    if status == 429:
        if _header(headers, "X-RateLimit-Daily-Remaining") == "0":
            return Answer(Verdict.STOP, "The daily request budget is spent.")
        return Answer(Verdict.RETRY, "Too many requests.")
    if status in (502, 503, 504):
        # Gateways answer these when the request never reached the application.
        return Answer(Verdict.RETRY, message or f"The API was unavailable ({status}).")
    return Answer(
        Verdict.UNKNOWN,
        f"The API answered {status}" + (f": {message}" if message else "") + ".",
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # httpx headers ignore case; a plain dict in a test table may not.
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _message(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    message = body.get("message")
    if isinstance(message, list):
        return "; ".join(str(part) for part in message)
    return str(message) if message else ""


def payment_key(location_id: str, invoice_id: str, payment: Payment) -> str:
    """The payment's business key, the same whichever file or run carries it."""
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
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


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


@dataclass(frozen=True)
class Outcome:
    """What happened to one payment that was cleared to send."""

    payment: Payment
    status: str  # recorded, rejected, failed, unknown, not_sent
    message: str
    invoice: Invoice | None


@dataclass(frozen=True)
class Submission:
    """Every cleared payment's outcome, and what stopped the run if something did."""

    outcomes: list[Outcome]
    stopped: RunStopped | None


async def submit(
    client: HighLevelClient,
    cleared: Sequence[Checked],
    *,
    file_name: str,
    sleep: Sleep = asyncio.sleep,
    attempts: int = 5,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Submission:
    """Record each cleared payment in file order; stop cleanly when the API says stop."""
    known_paid: dict[str, Decimal] = {}
    outcomes: list[Outcome] = []
    stopped: RunStopped | None = None
    for checked in cleared:
        assert checked.invoice is not None
        if stopped is not None:
            outcome = Outcome(checked.payment, "not_sent", str(stopped), checked.invoice)
        else:
            invoice = checked.invoice
            before = known_paid.get(invoice.id, invoice.amount_paid)
            try:
                outcome = await _send(
                    client, checked.payment, invoice, before, file_name, sleep, attempts
                )
            except RunStopped as error:
                stopped = error
                outcome = Outcome(checked.payment, "not_sent", str(error), invoice)
            if outcome.invoice is not None and outcome.status == "recorded":
                known_paid[invoice.id] = outcome.invoice.amount_paid
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return Submission(outcomes, stopped)


async def _send(
    client: HighLevelClient,
    payment: Payment,
    invoice: Invoice,
    paid_before: Decimal,
    file_name: str,
    sleep: Sleep,
    attempts: int,
) -> Outcome:
    key = payment_key(client.location_id, invoice.id, payment)
    request = payment_request(
        payment,
        location_id=client.location_id,
        alt_type=client.alt_type,
        key=key,
        file_name=file_name,
    )
    for attempt in range(1, attempts + 1):
        try:
            response = await client.record_payment(invoice.id, request)
        except httpx.TransportError as error:
            answer = Answer(
                Verdict.UNKNOWN, f"The connection failed while sending ({type(error).__name__})."
            )
        else:
            answer = sort_answer(response.status_code, response.headers, _json(response))
        if answer.verdict is Verdict.RECORDED:
            assert answer.invoice is not None
            return Outcome(payment, "recorded", "", Invoice.model_validate(answer.invoice))
        if answer.verdict is Verdict.REJECTED:
            return Outcome(payment, "rejected", answer.message, invoice)
        if answer.verdict is Verdict.STOP:
            stop_for_auth_or_budget(response)
            raise RunStopped(answer.message)
        if answer.verdict is Verdict.UNKNOWN:
            found = await _verify(client, invoice.id, paid_before, payment.amount)
            if found is not None and found.amount_paid == paid_before + payment.amount:
                return Outcome(payment, "recorded", "Confirmed after: " + answer.message, found)
            if found is None or found.amount_paid != paid_before:
                return Outcome(
                    payment,
                    "unknown",
                    f"{answer.message} The invoice's paid amount could not confirm whether the "
                    "payment was recorded: check the invoice in HighLevel before running again.",
                    found or invoice,
                )
            # Proven absent: the invoice's paid amount has not moved, so sending again is safe.
        if attempt < attempts:
            await sleep(_backoff(response if answer.verdict is Verdict.RETRY else None, attempt))
    return Outcome(
        payment, "failed", f"Not recorded after {attempts} attempts: {answer.message}", invoice
    )


async def _verify(
    client: HighLevelClient, invoice_id: str, paid_before: Decimal, amount: Decimal
) -> Invoice | None:
    try:
        return await client.get_invoice(invoice_id)
    except RunStopped:
        raise
    except (httpx.HTTPError, ValueError):
        return None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _backoff(response: httpx.Response | None, attempt: int) -> float:
    if response is not None and response.status_code == 429:
        try:
            return max(float(response.headers["X-RateLimit-Interval-Milliseconds"]) / 1000, 0.1)
        except (KeyError, ValueError):
            return 10.0
    return min(2.0**attempt, 30.0)


__all__ = ["Answer", "Outcome", "Submission", "Verdict", "api_message", "sort_answer", "submit"]
