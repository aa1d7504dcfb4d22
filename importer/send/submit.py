"""Payments sent to the API, several at a time, each answer sorted by what we must do next.

The API has no idempotency key, so an answer after which the payment may exist (a timeout, a
dropped connection, a server error) is never retried blindly: the invoice is read again and
its ``amountPaid`` compared with the value before sending, and the invoice's transactions are
searched for our payment key. Found: recorded. Proven absent: sent again. Otherwise: unknown.

Absence is proven only once the request can no longer arrive. When no word came from the
application itself (a timeout, a dropped connection, a gateway's 502, 503 or 504) the request
may still be on its way or held by a gateway, and be recorded later: until
``LOST_ANSWER_WAIT`` has passed since it was sent, a payment not on the invoice is only "not
yet" there. Its invoice's other payments wait with it (the run goes on with other invoices and
comes back to it), and a run that stops meanwhile leaves it to the next run, which waits out
the rest of that time from the journal's ``sent_at``.

Never two requests are in flight for one invoice, so the invoice's paid amount before and
after a request belongs to that request. Every payment is written to the journal ``sending``
before its request leaves, and settled when the answer is known.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import hashlib
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import stamina
from pydantic import ValidationError

from importer.api.client import HighLevelClient, api_message, stop_for_auth_or_budget
from importer.api.models import Invoice, RecordPaymentRequest, Transaction
from importer.check import Payment
from importer.errors import AuthenticationError, RunStopped
from importer.journal import Entry, InvoiceState, Journal
from importer.preflight import Checked
from importer.status import PaymentState

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

# Seconds after a request leaves during which its payment may still be recorded, though its
# answer was lost. A request whose answer never came may be held by a gateway or a load
# balancer in front of the API (they wait up to 60 s, as AWS's load balancers do by default,
# or 100 s, as Cloudflare does) while the application behind takes its time and then records
# it. Before this has passed, a payment missing from the invoice is not proof it will stay
# missing, so it is not sent again; after it, the request is taken to be dead. Kept well
# above the client's default timeout (30 s); ``run --lost-answer-wait`` changes it.
LOST_ANSWER_WAIT = 120.0


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
    invoice: Invoice | None = None


def sort_answer(status: int, headers: Mapping[str, str], body: Any) -> Answer:
    """Decide what one record-payment answer means. Pure: tested as a table."""
    message = _message(body)
    if status == 200:
        # A 200 we cannot read may still have recorded the payment: verify it.
        if not (isinstance(body, dict) and body.get("success")):
            return Answer(Verdict.UNKNOWN, "The API answered 200 without the updated invoice.")
        try:
            invoice = Invoice.model_validate(body.get("invoice"))
        except ValidationError:
            return Answer(
                Verdict.UNKNOWN, "The API answered 200 with an invoice that could not be read."
            )
        return Answer(Verdict.RECORDED, "", invoice)
    if status in (400, 404, 409, 422):
        return Answer(Verdict.REJECTED, message or f"The API refused the payment ({status}).")
    if status in (401, 403):
        return Answer(Verdict.STOP, message or f"The API refused the token ({status}).")
    if status == 429:
        if _header(headers, "X-RateLimit-Daily-Remaining") == "0":
            return Answer(Verdict.STOP, "The daily request budget is spent.")
        return Answer(Verdict.RETRY, "Too many requests.")
    if status == 503:
        # Not a retry without a check: a 503 is usually a refusal before the application took
        # the request, but proxies also answer 503 when their connection to the application
        # breaks after passing the request on (Envoy's "upstream connect error or
        # disconnect/reset before headers"), and the application may still record it.
        return Answer(Verdict.UNKNOWN, message or f"The API was unavailable ({status}).")
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
    NOT_YET = "not yet"  # not found, but the request may still arrive: judge again later


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
    settled: bool,
) -> Verification:
    """Decide from the invoice and its transactions whether a payment exists. Pure.

    The transaction carrying our key proves it recorded. When the API's transactions carry no
    keys (the spec's transaction has no ``meta``), a rise of exactly this amount proves it
    only together with a transaction of the same amount, day and method (mode, cheque number,
    card digits) as the one sent; when the transactions cannot be read, the rise alone.

    Absence needs ``settled``: the request can no longer arrive (the application answered, or
    ``LOST_ANSWER_WAIT`` has passed since it was sent); before that, whatever is not found is
    ``NOT_YET``. Then a paid amount that has not moved proves it absent; so do transactions
    none of which could be this payment (every one that has its amount, day and method carries
    another key, or there is none such and the paid amount did not rise by exactly this
    payment). Else: undecided.
    """
    ours = [t for t in transactions or () if (t.meta or {}).get("importer_key") == key]
    if any(_same_payment(t, amount, paid_on, None) for t in ours):
        return Verification(
            Evidence.FOUND, "Confirmed: the invoice's transactions hold this payment.", invoice
        )
    if invoice is None:
        return Verification(
            Evidence.UNDECIDED if settled else Evidence.NOT_YET,
            "The invoice could not be read to confirm whether the payment was recorded.",
        )
    rose_by_this = invoice.amount_paid == paid_before + amount
    keys_kept = any((t.meta or {}).get("importer_key") for t in transactions or ())
    if rose_by_this and transactions is None:
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment.",
            invoice,
        )
    if (
        rose_by_this
        and transactions is not None
        and not keys_kept
        and any(_same_payment(t, amount, paid_on, method) for t in transactions)
    ):
        return Verification(
            Evidence.FOUND,
            "Confirmed: the invoice's paid amount rose by exactly this payment, and its "
            "transactions hold one like it.",
            invoice,
        )
    moved = (
        f"The invoice's paid amount is {invoice.amount_paid:,.2f} (it was "
        f"{paid_before:,.2f} before sending, and this payment is {amount:,.2f})"
    )
    if not settled:
        return Verification(Evidence.NOT_YET, f"{moved}, and it may not have arrived yet.", invoice)
    if invoice.amount_paid == paid_before:
        return Verification(
            Evidence.ABSENT, "Not recorded: the invoice's paid amount did not change.", invoice
        )
    if transactions is None:
        return Verification(
            Evidence.UNDECIDED,
            f"{moved}, and the invoice's transactions could not be read.",
            invoice,
        )
    if ours:
        return Verification(
            Evidence.UNDECIDED,
            f"{moved}, and a transaction carries this payment's key with another amount or date.",
            invoice,
        )
    # Unknown fields cannot rule a transaction out: a missing amount could be ours.
    could_be = [t for t in transactions if _same_payment(t, amount, paid_on, method, strict=False)]
    unkeyed = [t for t in could_be if not (t.meta or {}).get("importer_key")]
    if keys_kept and not unkeyed:
        # The API keeps our keys, and every transaction that could be this payment carries
        # another one (an equal payment of the same file, say): this one is not there.
        return Verification(
            Evidence.ABSENT,
            "Not recorded: no transaction of the invoice carries this payment's key.",
            invoice,
        )
    if not could_be and not rose_by_this:
        # The paid amount moved by someone else's payment, and nothing listed could be ours.
        return Verification(
            Evidence.ABSENT,
            "Not recorded: none of the invoice's transactions has this payment's amount, date "
            "and method.",
            invoice,
        )
    if could_be:
        why = (
            "a transaction with this payment's amount, date and method is on the invoice, with "
            "nothing to tell whether it is this payment."
        )
    else:
        why = (
            "no transaction with this payment's amount, date and method is listed, though the "
            "paid amount rose by exactly this payment."
        )
    return Verification(Evidence.UNDECIDED, f"{moved}, and {why}", invoice)


def _same_payment(
    transaction: Transaction,
    amount: Decimal,
    paid_on: str,
    method: Mapping[str, Any] | None,
    *,
    strict: bool = True,
) -> bool:
    """Same amount and day, and (when given) nothing in its method contradicts ours.

    Not ``strict``: a transaction without an amount is not ruled out by it.
    """
    if transaction.amount is None:
        if strict:
            return False
    elif transaction.amount != amount:
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
    client: HighLevelClient,
    *,
    invoice_id: str,
    key: str,
    payment: Payment,
    paid_before: Decimal,
    settled: bool,
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
        settled=settled,
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


# Answers from a gateway in front of the API, not from the application: the request may still
# be on its way to the application, which may record it later, so its absence is judged only
# after LOST_ANSWER_WAIT. 503 is among them (see sort_answer); 520 to 527 are Cloudflare's.
_GATEWAY_ANSWERS = frozenset({502, 503, 504, *range(520, 528)})


class _SendAgain(Exception):
    """The payment is proven not recorded; the same request may go again after a pause."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _NotYet(Exception):
    """The answer was lost and the payment is not there yet, but may still arrive."""

    def __init__(self, pending: Pending) -> None:
        super().__init__(pending.message)
        self.pending = pending


@dataclass(frozen=True)
class Pending:
    """A payment whose answer was lost and that may still arrive: judged again at ``due``."""

    checked: Checked
    key: str
    request: RecordPaymentRequest
    paid_before: Decimal
    sends: int  # requests sent for it so far (429s waited out not counted)
    due: float  # on the sender's clock: when its last request can no longer arrive
    message: str  # what became of the answer
    invoice: Invoice | None  # as read while checking


Step = tuple[Outcome | Pending, RunStopped | None]


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
    # How long after a request leaves its payment may still arrive (see LOST_ANSWER_WAIT),
    # measured on ``clock``, which ``sleep`` must move.
    lost_answer_wait: float = LOST_ANSWER_WAIT
    clock: Clock = time.monotonic
    # Each invoice's paid amount as this run last saw it, across calls to ``submit`` (a
    # canary and the rest): the invoices read before the run would be out of date.
    paid: dict[str, Decimal] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        """The API the payments go to; the journal keeps payments apart by it."""
        return self.client.base_url

    async def record(
        self, checked: Checked, key: str, *, paid_before: Decimal, taking_over: bool = False
    ) -> Step:
        """Send one payment until its outcome is known, or it waits on a lost answer; and the
        stop it met, if any."""
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        blocking = self.journal.ledger.claim(
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
        return await self._send(checked, key, request, paid_before, sends=0)

    async def resume(self, pending: Pending) -> Step:
        """Judge a payment whose answer was lost, once its request can no longer arrive; send
        it again if it is proven absent."""
        checked = pending.checked
        try:
            return await self._judge(
                checked,
                pending.key,
                paid_before=pending.paid_before,
                answer=pending.message,
                settled=self.clock() >= pending.due,
                pending=pending,
            )
        except _SendAgain as again:
            return await self._send(
                checked,
                pending.key,
                pending.request,
                pending.paid_before,
                sends=pending.sends,
                why=again.message,
            )
        except _NotYet as wait:
            return wait.pending, None

    def give_up(self, pending: Pending, *, stopped: RunStopped | None) -> Outcome:
        """A payment still waiting on its lost answer when the run stops: left ``unknown`` in
        the journal, for the next run to check once the request can no longer arrive."""
        why = f"the run had to stop ({stopped})" if stopped else "the run was interrupted"
        message = (
            f"{pending.message} The payment may still reach HighLevel, and {why} before it "
            "could be confirmed. The next run checks it before sending anything."
        )
        invoice = pending.invoice or pending.checked.invoice
        self._settle(pending.key, "unknown", message, invoice)
        return Outcome(pending.checked.payment, "unknown", message, invoice)

    async def _send(
        self,
        checked: Checked,
        key: str,
        request: RecordPaymentRequest,
        paid_before: Decimal,
        *,
        sends: int,
        why: str = "",
    ) -> Step:
        payment, invoice = checked.payment, checked.invoice
        left = self.attempts - sends
        try:
            if left <= 0:
                raise _SendAgain(why)
            async for attempt in stamina.retry_context(
                on=_SendAgain, attempts=left, timeout=None, wait_initial=0.5, wait_max=20
            ):
                with attempt:
                    return await self._attempt(
                        checked, key, request, paid_before, sends=sends + attempt.num
                    )
        except _SendAgain as again:
            message = (
                f"Not recorded after {self.attempts} attempts: {again.message} Run again later."
            )
            self._settle(key, "failed", message, invoice)
            return Outcome(payment, "failed", message, invoice), None
        except _NotYet as wait:
            return wait.pending, None
        except RunStopped as stop:
            # Raised before the request could act (refused token, daily budget): not sent.
            self._settle(key, "not_sent", str(stop), invoice)
            return Outcome(payment, "not_sent", f"Not sent: {stop}", invoice), stop
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self,
        checked: Checked,
        key: str,
        request: RecordPaymentRequest,
        paid_before: Decimal,
        *,
        sends: int,
    ) -> Step:
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        left_at: list[float] = []

        def leaving() -> None:
            left_at.append(self.clock())
            self.journal.ledger.leaving(api_url=self.api_url, key=key)

        response: httpx.Response | None = None
        try:
            response = await self.client.record_payment(invoice.id, request, on_send=leaving)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            # No connection was made: the request never left, so it cannot have acted.
            raise _SendAgain(f"The API could not be reached ({type(error).__name__}).") from None
        except httpx.TimeoutException:
            answer = Answer(Verdict.UNKNOWN, "No answer came before the timeout.")
        except httpx.TransportError as error:
            answer = Answer(
                Verdict.UNKNOWN, f"The connection failed while sending ({type(error).__name__})."
            )
        else:
            answer = sort_answer(response.status_code, response.headers, _json(response))
        if answer.verdict is Verdict.RECORDED:
            assert answer.invoice is not None
            self._settle(key, "recorded", "", answer.invoice)
            return Outcome(payment, "recorded", "", answer.invoice), None
        if answer.verdict is Verdict.REJECTED:
            self._settle(key, "rejected", answer.message, invoice)
            return Outcome(payment, "rejected", answer.message, invoice), None
        if answer.verdict is Verdict.STOP:
            assert response is not None
            stop_for_auth_or_budget(response)
            raise RunStopped(answer.message)
        if answer.verdict is Verdict.RETRY:
            raise _SendAgain(answer.message)
        lost = response is None or response.status_code in _GATEWAY_ANSWERS
        if lost:
            # No word from the application itself: it may be applying the payment right now.
            await self.sleep(self._grace())
        pending = Pending(
            checked,
            key,
            request,
            paid_before,
            sends,
            # From the last time the request left; with no such moment, from now (later).
            due=(left_at[-1] if left_at else self.clock()) + self.lost_answer_wait,
            message=answer.message,
            invoice=invoice,
        )
        return await self._judge(
            checked,
            key,
            paid_before=paid_before,
            answer=answer.message,
            settled=not lost,
            pending=pending,
        )

    async def _judge(
        self,
        checked: Checked,
        key: str,
        *,
        paid_before: Decimal,
        answer: str,
        settled: bool,
        pending: Pending,
    ) -> Step:
        """Read the invoice after a lost or doubtful answer and act on what it shows."""
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        try:
            check = await verify(
                self.client,
                invoice_id=invoice.id,
                key=key,
                payment=payment,
                paid_before=paid_before,
                settled=settled,
            )
        except RunStopped as stop:
            message = (
                f"{answer} The run had to stop before the invoice could be checked "
                f"({stop}). Check the invoice in HighLevel; the next run checks it first."
            )
            self._settle(key, "unknown", message, invoice)
            return Outcome(payment, "unknown", message, invoice), stop
        if check.evidence is Evidence.FOUND:
            self._settle(key, "recorded", check.message, check.invoice or invoice)
            return Outcome(payment, "recorded", check.message, check.invoice or invoice), None
        if check.evidence is Evidence.ABSENT:
            raise _SendAgain(answer)
        if check.evidence is Evidence.NOT_YET:
            # The journal keeps it `sending`: a run that dies now leaves it to the next one.
            raise _NotYet(dataclasses.replace(pending, invoice=check.invoice or invoice))
        message = f"{answer} {check.message} {settle_by_hand(self.run_id, payment.row)}"
        self._settle(key, "unknown", message, check.invoice or invoice)
        return Outcome(payment, "unknown", message, check.invoice or invoice), None

    def _grace(self) -> float:
        return self.grace if self.grace is not None else min(self.client.timeout, 5.0)

    def _settle(self, key: str, state: str, message: str, invoice: Invoice | None) -> None:
        self.journal.ledger.settle(
            api_url=self.api_url,
            key=key,
            state=PaymentState(state),
            message=message,
            invoice=None if invoice is None else invoice_state(invoice),
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


def settle_by_hand(run_id: int, row: int) -> str:
    """What the accountant does about a payment the importer cannot confirm."""
    return (
        "Look for it on the invoice in HighLevel, then say what you found: importer runs "
        f"settle {run_id} {row} --recorded (or --not-recorded). Until then each run checks it "
        "again and never sends it."
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
    on_wait: Callable[[str], None] | None = None,
) -> Submission:
    """Record the cleared payments, several invoices at a time and each invoice's in file order.

    A payment whose answer was lost and that may still arrive holds back its invoice's later
    payments; the run goes on with other invoices and comes back to it once it can no longer
    arrive (``on_wait`` is told, in words, when nothing else is left to do meanwhile).

    ``stop`` (set on Ctrl-C) lets requests in flight finish and sends nothing new; an API
    that says stop (token, daily budget) does the same. The rest are ``not_sent``; a payment
    still waiting on its lost answer is ``unknown``, for the next run to check.
    """
    chains: dict[str, _Chain] = {}
    for checked in cleared:
        invoice = checked.invoice
        assert invoice is not None
        if invoice.id not in chains:
            paid = sender.paid.get(invoice.id, invoice.amount_paid)
            chains[invoice.id] = _Chain(invoice.id, [], paid)
        chains[invoice.id].rows.append(checked)
    waiting = deque(chains.values())
    parked: list[_Chain] = []
    outcomes: dict[int, Outcome] = {}
    stopped: list[RunStopped] = []
    told_until = [-math.inf]

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

    def take(chain: _Chain, step: Outcome | Pending, stopping: RunStopped | None) -> bool:
        """Note one step of a chain; False when it must wait on a lost answer."""
        if stopping is not None and not stopped:
            stopped.append(stopping)
        if isinstance(step, Pending):
            chain.pending = step
            parked.append(chain)
            return False
        if step.invoice is not None and step.status in ("recorded", "unknown"):
            chain.paid = sender.paid[chain.invoice_id] = step.invoice.amount_paid
        finish(step)
        chain.done += 1
        return True

    async def advance(chain: _Chain) -> None:
        if chain.pending is not None:
            pending, chain.pending = chain.pending, None
            if why_not_sent() is not None:
                stopping = stopped[0] if stopped else None
                take(chain, sender.give_up(pending, stopped=stopping), None)
            elif not take(chain, *await sender.resume(pending)):
                return
        while chain.done < len(chain.rows):
            checked = chain.rows[chain.done]
            reason = why_not_sent()
            if reason is not None:
                take(chain, Outcome(checked.payment, "not_sent", reason, checked.invoice), None)
                continue
            step = await sender.record(
                checked,
                keys[checked.payment.row],
                paid_before=chain.paid,
                taking_over=checked.payment.row in taking_over,
            )
            if not take(chain, *step):
                return

    def tell() -> None:
        latest = max(chain.due for chain in parked)
        if on_wait is None or latest <= told_until[0]:
            return
        told_until[0] = latest
        seconds = latest - sender.clock()
        count = len(parked)
        which = (
            "1 payment whose answer was lost"
            if count == 1
            else f"{count} payments whose answers were lost"
        )
        on_wait(
            f"Waiting {math.ceil(seconds)} s to confirm {which}: a payment can still reach "
            f"HighLevel up to {sender.lost_answer_wait:g} s after it was sent, and is not sent "
            "again before then. Ctrl-C leaves it for the next run to check."
        )

    async def work() -> None:
        while waiting or parked:
            if waiting:
                chain = waiting.popleft()
            else:
                chain = min(parked, key=lambda c: c.due)
                wait = chain.due - sender.clock()
                if wait > 0 and why_not_sent() is None:
                    tell()
                    parked.remove(chain)
                    await _pause(sender.sleep, wait, stop)
                else:
                    parked.remove(chain)
            await advance(chain)

    await asyncio.gather(*(work() for _ in range(max(1, min(concurrency, len(waiting))))))
    ordered = [outcomes[checked.payment.row] for checked in cleared]
    interrupted = stop is not None and stop.is_set() and not stopped
    return Submission(ordered, stopped[0] if stopped else None, interrupted=interrupted)


@dataclass
class _Chain:
    """One invoice's payments in file order, how many are done, and the one waiting, if any."""

    invoice_id: str
    rows: list[Checked]
    paid: Decimal  # the invoice's paid amount as this run last saw it
    done: int = 0
    pending: Pending | None = None

    @property
    def due(self) -> float:
        assert self.pending is not None
        return self.pending.due


async def _pause(sleep: Sleep, seconds: float, stop: asyncio.Event | None) -> None:
    """Sleep, but wake as soon as the run is stopped."""
    if stop is None:
        await sleep(seconds)
        return
    sleeping = asyncio.ensure_future(sleep(seconds))
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sleeping, stopping):
            task.cancel()
        await asyncio.gather(sleeping, stopping, return_exceptions=True)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


__all__ = [
    "LOST_ANSWER_WAIT",
    "Answer",
    "Evidence",
    "Outcome",
    "Pending",
    "Sender",
    "Submission",
    "Verdict",
    "Verification",
    "api_message",
    "judge",
    "payment_keys",
    "settle_by_hand",
    "sort_answer",
    "submit",
    "verify",
]
