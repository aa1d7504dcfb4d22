"""Payments sent to the API, several at a time, each answer sorted by what we must do next.

The API has no idempotency key, so an answer after which the payment may exist (a timeout, a
dropped connection, a server error) is never retried blindly: the invoice is read again and
its ``amountPaid`` compared with the value before sending, and the invoice's transactions are
searched for our payment key. Found: recorded. Proven absent: sent again. Otherwise: unknown.

Never two requests are in flight for one invoice, so the invoice's paid amount before and
after a request belongs to that request. Every payment is written to the journal ``sending``
before its request leaves, and settled when the answer is known.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import stamina

from importer.api.client import HighLevelClient, api_message, stop_for_auth_or_budget
from importer.api.models import Invoice, RecordPaymentRequest, Transaction
from importer.errors import AuthenticationError, RunStopped
from importer.journal import Entry, InvoiceState, Journal
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
    if status == 503:
        # Service unavailable: refused before the application took the request.
        return Answer(Verdict.RETRY, message or f"The API was unavailable ({status}).")
    # Anything else, 502 and 504 included (a gateway that gave up waiting on an application
    # that may still apply the payment), may have recorded it: verify before anything else.
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


def payment_keys(location_id: str, checked: Sequence[Checked]) -> dict[int, str]:
    """Each row's payment key by row number; repeats of one business key are numbered."""
    seen: dict[str, int] = {}
    keys: dict[int, str] = {}
    for verdict in checked:
        if verdict.invoice is None:
            continue
        base = payment_key(location_id, verdict.invoice.id, verdict.payment)
        seen[base] = seen.get(base, 0) + 1
        keys[verdict.payment.row] = payment_key(
            location_id, verdict.invoice.id, verdict.payment, occurrence=seen[base]
        )
    return keys


class Evidence(enum.Enum):
    """What the API shows about a payment whose answer was lost."""

    FOUND = "found"
    ABSENT = "absent"  # proven: sending it again cannot record it twice
    UNDECIDED = "undecided"


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
) -> Verification:
    """Decide from the invoice and its transactions whether a payment exists. Pure.

    The transaction carrying our key proves it recorded. A paid amount that has not moved
    proves it absent; so does an API that keeps our keys when every transaction that could be
    this payment carries another key. When the API's transactions carry no keys (the spec's
    transaction has no ``meta``), a rise of exactly this amount proves it only together with a
    transaction of the same amount, day and method (mode, cheque number, card digits) as the
    one sent; when the transactions cannot be read, the rise alone. Else: undecided.
    """
    if transactions is not None:
        for transaction in transactions:
            meta = transaction.meta or {}
            if meta.get("importer_key") == key and _same_payment(
                transaction, amount, paid_on, None
            ):
                return Verification(
                    Evidence.FOUND,
                    "Confirmed: the invoice's transactions hold this payment.",
                    invoice,
                )
    if invoice is None:
        return Verification(
            Evidence.UNDECIDED,
            "The invoice could not be read to confirm whether the payment was recorded.",
        )
    if invoice.amount_paid == paid_before:
        return Verification(
            Evidence.ABSENT, "Not recorded: the invoice's paid amount did not change.", invoice
        )
    rose_by_this = invoice.amount_paid == paid_before + amount
    if rose_by_this and transactions is None:
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment.",
            invoice,
        )
    undecided = Verification(
        Evidence.UNDECIDED,
        f"The invoice's paid amount is {invoice.amount_paid:,.2f} (it was "
        f"{paid_before:,.2f} before sending, and this payment is {amount:,.2f}), and "
        + (
            "the invoice's transactions could not be read."
            if transactions is None
            else "no transaction carries this payment's key."
        ),
        invoice,
    )
    if transactions is None:
        return undecided
    keys = [(t.meta or {}).get("importer_key") for t in transactions]
    alike = [t for t in transactions if _same_payment(t, amount, paid_on, method)]
    keys_kept = any(keys)
    if keys_kept and key not in keys and all((t.meta or {}).get("importer_key") for t in alike):
        # The API keeps our keys, and every transaction that could be this payment carries
        # another one (an equal payment of the same file, say): this one is not there.
        return Verification(
            Evidence.ABSENT,
            "Not recorded: no transaction of the invoice carries this payment's key.",
            invoice,
        )
    if rose_by_this and not keys_kept and alike:
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment, and its "
            "transactions hold one like it.",
            invoice,
        )
    return undecided


def _same_payment(
    transaction: Transaction, amount: Decimal, paid_on: str, method: Mapping[str, Any] | None
) -> bool:
    """Same amount and day, and (when given) nothing in its method contradicts ours."""
    if transaction.amount != amount:
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


def sent_method(payment: Payment) -> dict[str, Any]:
    """The payment method as the API's transaction shows it: mode, and cheque or card."""
    method: dict[str, Any] = {"mode": payment.mode}
    if payment.cheque is not None:
        method["cheque"] = {"number": payment.cheque.number}
    if payment.card is not None:
        method["card"] = {"brand": payment.card.brand, "last4": payment.card.last4}
    return method


async def verify(
    client: HighLevelClient, *, invoice_id: str, key: str, payment: Payment, paid_before: Decimal
) -> Verification:
    """Read the invoice and its transactions, then judge; RunStopped only for a stop."""
    invoice = await client.get_invoice(invoice_id)
    transactions: list[Transaction] | None = []
    offset = 0
    try:
        while transactions is not None:
            page = await client.list_transactions(entity_id=invoice_id, offset=offset)
            transactions.extend(page.data)
            offset += len(page.data)
            if not page.data or offset >= page.total_count:
                break
    except AuthenticationError:
        # A token without the payments scope cannot list transactions: judge by the invoice.
        transactions = None
    return judge(
        key=key,
        amount=payment.amount,
        paid_on=payment.paid_on.isoformat(),
        paid_before=paid_before,
        invoice=invoice,
        transactions=transactions,
        method=sent_method(payment),
    )


@dataclass(frozen=True)
class Outcome:
    """What happened to one payment that was cleared to send."""

    payment: Payment
    status: str  # recorded, skipped, rejected, failed, unknown, not_sent
    message: str
    invoice: Invoice | None


@dataclass(frozen=True)
class Submission:
    """Every cleared payment's outcome, and what stopped the run if something did."""

    outcomes: list[Outcome]
    stopped: RunStopped | None
    interrupted: bool = False


# Answers from a gateway in front of the API, not from the API itself.
_GATEWAY_GAVE_UP = frozenset({502, 504})


class _SendAgain(Exception):
    """The payment is proven not recorded; the same request may go again after a pause."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sender:
    """Sends payments of one run: the client, the journal, and where to write them down."""

    client: HighLevelClient
    journal: Journal
    run_id: int
    file_name: str
    attempts: int = 5
    sleep: Sleep = asyncio.sleep
    # A request whose answer was lost may still be in the server's hands: wait this long
    # (by default the client's timeout, at most 5 s) before reading the invoice to judge it.
    grace: float | None = None
    # Each invoice's paid amount as this run last saw it, across calls to ``submit`` (a
    # canary and the rest): the invoices read before the run would be out of date.
    paid: dict[str, Decimal] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        """The API the payments go to; the journal keeps payments apart by it."""
        return self.client.base_url

    async def record(
        self, checked: Checked, key: str, *, paid_before: Decimal, taking_over: bool = False
    ) -> tuple[Outcome, RunStopped | None]:
        """Send one payment until its outcome is known; and the stop it met, if any."""
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        blocking = self.journal.claim(
            api_url=self.api_url,
            key=key,
            run_id=self.run_id,
            row=payment.row,
            file=self.file_name,
            invoice_id=invoice.id,
            amount=payment.amount,
            paid_on=payment.paid_on.isoformat(),
            paid_before=paid_before,
            taking_over=taking_over,
            mode=payment.mode,
            # Its status and balance after are known only once it is settled.
            invoice=InvoiceState(number=invoice_state(invoice).number, currency=invoice.currency),
        )
        if blocking is not None:
            # Recorded meanwhile by another run; or in another run's hands, so its outcome is
            # that run's to settle (only possible without the journal's lock).
            status = "skipped" if blocking.state == "recorded" else "unknown"
            return Outcome(payment, status, skipped_message(blocking), invoice), None
        request = payment_request(
            payment,
            location_id=self.client.location_id,
            alt_type=self.client.alt_type,
            key=key,
            file_name=self.file_name,
        )
        try:
            async for attempt in stamina.retry_context(
                on=_SendAgain, attempts=self.attempts, timeout=None, wait_initial=0.5, wait_max=20
            ):
                with attempt:
                    return await self._attempt(checked, key, request, paid_before)
        except _SendAgain as again:
            message = (
                f"Not recorded after {self.attempts} attempts: {again.message} Run again later."
            )
            self._settle(key, "failed", message, invoice)
            return Outcome(payment, "failed", message, invoice), None
        except RunStopped as stop:
            # Raised before the request could act (refused token, daily budget): not sent.
            self._settle(key, "not_sent", str(stop), invoice)
            return Outcome(payment, "not_sent", f"Not sent: {stop}", invoice), stop
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self, checked: Checked, key: str, request: RecordPaymentRequest, paid_before: Decimal
    ) -> tuple[Outcome, RunStopped | None]:
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        response: httpx.Response | None = None
        try:
            response = await self.client.record_payment(invoice.id, request)
        except httpx.TimeoutException:
            answer = Answer(Verdict.UNKNOWN, "No answer came before the timeout.")
        except httpx.TransportError as error:
            answer = Answer(
                Verdict.UNKNOWN, f"The connection failed while sending ({type(error).__name__})."
            )
        else:
            answer = sort_answer(response.status_code, response.headers, _json(response))
        if answer.verdict is Verdict.UNKNOWN and (
            response is None or response.status_code in _GATEWAY_GAVE_UP
        ):
            # No word from the application itself: it may still be applying the payment.
            await self.sleep(self._grace())
        if answer.verdict is Verdict.RECORDED:
            assert answer.invoice is not None
            after = Invoice.model_validate(answer.invoice)
            self._settle(key, "recorded", "", after)
            return Outcome(payment, "recorded", "", after), None
        if answer.verdict is Verdict.REJECTED:
            self._settle(key, "rejected", answer.message, invoice)
            return Outcome(payment, "rejected", answer.message, invoice), None
        if answer.verdict is Verdict.STOP:
            assert response is not None
            stop_for_auth_or_budget(response)
            raise RunStopped(answer.message)
        if answer.verdict is Verdict.RETRY:
            raise _SendAgain(answer.message)
        try:
            check = await verify(
                self.client,
                invoice_id=invoice.id,
                key=key,
                payment=payment,
                paid_before=paid_before,
            )
        except RunStopped as stop:
            message = (
                f"{answer.message} The run had to stop before the invoice could be checked "
                f"({stop}). Check the invoice in HighLevel; the next run checks it first."
            )
            self._settle(key, "unknown", message, invoice)
            return Outcome(payment, "unknown", message, invoice), stop
        if check.evidence is Evidence.FOUND:
            self._settle(key, "recorded", check.message, check.invoice or invoice)
            return Outcome(payment, "recorded", check.message, check.invoice or invoice), None
        if check.evidence is Evidence.ABSENT:
            raise _SendAgain(answer.message)
        message = (
            f"{answer.message} {check.message} Check the invoice in HighLevel before running "
            "again; the next run checks it again before sending."
        )
        self._settle(key, "unknown", message, check.invoice or invoice)
        return Outcome(payment, "unknown", message, check.invoice or invoice), None

    def _grace(self) -> float:
        return self.grace if self.grace is not None else min(self.client.timeout, 5.0)

    def _settle(self, key: str, state: str, message: str, invoice: Invoice) -> None:
        self.journal.settle(
            api_url=self.api_url,
            key=key,
            state=state,
            message=message,
            invoice=invoice_state(invoice),
        )


def invoice_state(invoice: Invoice) -> InvoiceState:
    """The invoice as the journal keeps it, to rebuild a run's results from the journal."""
    return InvoiceState(
        number=f"{invoice.invoice_number_prefix or ''}{invoice.invoice_number or ''}",
        status=invoice.status,
        amount_paid=f"{invoice.amount_paid}",
        amount_due=f"{invoice.amount_due}",
        currency=invoice.currency,
    )


def skipped_message(entry: Entry) -> str:
    """Why a payment is not sent again: when, by which run, from which file and row."""
    if entry.state == "recorded":
        return (
            f"Already recorded on {entry.settled_at or entry.sent_at} by run {entry.run_id} "
            f"({entry.file}, row {entry.row})."
        )
    return (
        f"Run {entry.run_id} ({entry.file}, row {entry.row}) has been sending this payment "
        f"since {entry.sent_at}; it is not sent again until that run's outcome is known."
    )


async def submit(
    sender: Sender,
    cleared: Sequence[Checked],
    *,
    keys: Mapping[int, str],
    taking_over: frozenset[int] = frozenset(),
    concurrency: int = 8,
    stop: asyncio.Event | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Submission:
    """Record the cleared payments, several invoices at a time and each invoice's in file order.

    ``stop`` (set on Ctrl-C) lets requests in flight finish and sends nothing new; an API
    that says stop (token, daily budget) does the same. The rest are ``not_sent``.
    """
    chains: dict[str, list[Checked]] = {}
    for checked in cleared:
        assert checked.invoice is not None
        chains.setdefault(checked.invoice.id, []).append(checked)
    waiting = deque(chains.values())
    outcomes: dict[int, Outcome] = {}
    stopped: list[RunStopped] = []

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.payment.row] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    def why_not_sent() -> str | None:
        if stopped:
            return f"Not sent: the run had to stop ({stopped[0]})"
        if stop is not None and stop.is_set():
            return "Not sent: the run was interrupted. Run the same command again to send it."
        return None

    async def work() -> None:
        while waiting:
            chain = waiting.popleft()
            invoice = chain[0].invoice
            assert invoice is not None
            paid = sender.paid.get(invoice.id, invoice.amount_paid)
            for checked in chain:
                reason = why_not_sent()
                if reason is not None:
                    finish(Outcome(checked.payment, "not_sent", reason, checked.invoice))
                    continue
                outcome, stopping = await sender.record(
                    checked,
                    keys[checked.payment.row],
                    paid_before=paid,
                    taking_over=checked.payment.row in taking_over,
                )
                if stopping is not None and not stopped:
                    stopped.append(stopping)
                if outcome.invoice is not None and outcome.status in ("recorded", "unknown"):
                    paid = sender.paid[invoice.id] = outcome.invoice.amount_paid
                finish(outcome)

    await asyncio.gather(*(work() for _ in range(max(1, min(concurrency, len(chains))))))
    ordered = [outcomes[checked.payment.row] for checked in cleared]
    interrupted = stop is not None and stop.is_set() and not stopped
    return Submission(ordered, stopped[0] if stopped else None, interrupted=interrupted)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


__all__ = [
    "Answer",
    "Evidence",
    "Outcome",
    "Sender",
    "Submission",
    "Verdict",
    "Verification",
    "api_message",
    "judge",
    "payment_keys",
    "sort_answer",
    "submit",
    "verify",
]
