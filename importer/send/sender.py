"""Payments sent to the API, several at a time, each answer sorted by what we must do next.

Never two requests are in flight for one invoice, so the invoice's paid amount before and
after a request belongs to that request. Every payment is written to the journal ``sending``
before its request leaves, and settled when the answer is known.

A payment whose answer was lost and that may still arrive (see ``recovery``) holds back its
invoice's other payments: the run goes on with other invoices and comes back to it once it can
no longer arrive. A run that stops meanwhile leaves it ``unknown`` to the next run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal

import httpx
import stamina

from importer.api.client import HighLevelClient, stop_for_auth_or_budget
from importer.api.models import Invoice, RecordPaymentRequest
from importer.check.payments import Place
from importer.clock import SYSTEM_CLOCK, Clock
from importer.errors import JournalError, JournalFull, RunStopped
from importer.journal.journal import Journal
from importer.journal.ledger import Entry, InvoiceState
from importer.preflight import Checked
from importer.send.answers import Verdict, sort_failure, sort_response
from importer.send.keys import payment_request
from importer.send.outcomes import (
    Outcome,
    Submission,
    invoice_state,
    settle_by_hand,
    skipped_message,
)
from importer.send.recovery import LOST_ANSWER_WAIT, Evidence, verify
from importer.send.stop import StopSignal
from importer.status import PaymentState, RowStatus

__all__ = ["Outgoing", "Pending", "Sender", "not_sent_because", "submit"]


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
class Outgoing:
    """One payment on its way: its row, key and request, and its invoice's paid amount before
    it was sent (what a check after a lost answer compares with)."""

    checked: Checked
    key: str
    request: RecordPaymentRequest
    paid_before: Decimal


@dataclass(frozen=True)
class Pending:
    """A payment whose answer was lost and that may still arrive: judged again at ``due``."""

    outgoing: Outgoing
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
    _: KW_ONLY
    attempts: int = 5
    # A request whose answer was lost may still be in the server's hands: wait this long
    # (by default the client's timeout, at most 5 s) before reading the invoice to judge it.
    grace: float | None = None
    # How long after a request leaves its payment may still arrive (see LOST_ANSWER_WAIT),
    # measured on ``clock``, which also waits out the grace and the lost answers.
    lost_answer_wait: float = LOST_ANSWER_WAIT
    clock: Clock = SYSTEM_CLOCK
    # Each invoice's paid amount as this run last saw it, across calls to ``submit`` (a
    # canary and the rest): the invoices read before the run would be out of date.
    paid: dict[str, Decimal] = field(default_factory=dict)
    # The journal could not be written (a full disk): what stops the run, once it happened.
    journal_failures: list[RunStopped] = field(default_factory=list)

    @property
    def account(self) -> str:
        """Whose payments these are; the journal keeps payments apart by it."""
        return self.client.account

    async def record(
        self, checked: Checked, key: str, *, paid_before: Decimal, taking_over: bool = False
    ) -> Step:
        """Send one payment until its outcome is known, or it waits on a lost answer; and the
        stop it met, if any."""
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        try:
            blocking = self._claim(checked, key, paid_before=paid_before, taking_over=taking_over)
        except JournalError as error:
            # Not claimed, so not sent: a payment never leaves without its record.
            stop = self._journal_failed(error)
            return Outcome(payment, RowStatus.NOT_SENT, not_sent_because(stop), invoice), stop
        if blocking is not None:
            # Recorded meanwhile by another run; or in another run's hands, so its outcome is
            # that run's to settle (only possible without the journal's lock).
            recorded = blocking.state == PaymentState.RECORDED
            status = RowStatus.SKIPPED if recorded else RowStatus.UNKNOWN
            return Outcome(payment, status, skipped_message(blocking), invoice), None
        request = payment_request(
            payment,
            location_id=self.client.location_id,
            alt_type=self.client.alt_type,
            key=key,
            file_name=self.file_name,
        )
        return await self._send(Outgoing(checked, key, request, paid_before), sends=0)

    def _claim(
        self, checked: Checked, key: str, *, paid_before: Decimal, taking_over: bool
    ) -> Entry | None:
        """The payment written down ``sending``; the entry that blocks it, if any."""
        payment, invoice = checked.payment, checked.invoice
        assert invoice is not None
        return self.journal.ledger.claim(
            account=self.account,
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

    async def resume(self, pending: Pending) -> Step:
        """Judge a payment whose answer was lost, once its request can no longer arrive; send
        it again if it is proven absent."""
        try:
            return await self._judge(pending, settled=self.clock.monotonic() >= pending.due)
        except _SendAgain as again:
            return await self._send(pending.outgoing, sends=pending.sends, why=again.message)
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
        checked = pending.outgoing.checked
        invoice = pending.invoice or checked.invoice
        outcome = Outcome(checked.payment, RowStatus.UNKNOWN, message, invoice)
        return self._settled(pending.outgoing.key, outcome)

    async def _send(self, outgoing: Outgoing, *, sends: int, why: str = "") -> Step:
        """Send until the payment's outcome is known, ``attempts`` times at most in all."""
        payment, invoice = outgoing.checked.payment, outgoing.checked.invoice
        left = self.attempts - sends
        try:
            if left <= 0:
                raise _SendAgain(why)
            async for attempt in stamina.retry_context(
                on=_SendAgain, attempts=left, timeout=None, wait_initial=0.5, wait_max=20
            ):
                with attempt:
                    return await self._attempt(outgoing, sends=sends + attempt.num)
        except _SendAgain as again:
            # The API's own words may end without a full stop ("Internal server error").
            reason = again.message.rstrip()
            reason += "" if reason.endswith((".", "!", "?")) else "."
            message = f"Not recorded after {self.attempts} attempts: {reason} Run again later."
            outcome = Outcome(payment, RowStatus.FAILED, message, invoice)
            return self._settled(outgoing.key, outcome), None
        except _NotYet as wait:
            return wait.pending, None
        except RunStopped as stop:
            # Raised before the request could act (refused token, daily budget): not sent.
            outcome = Outcome(payment, RowStatus.NOT_SENT, f"Not sent: {stop}", invoice)
            return self._settled(outgoing.key, outcome, note=str(stop)), stop
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, outgoing: Outgoing, *, sends: int) -> Step:
        """Send once and act on the answer; a lost or doubtful one is checked on the invoice."""
        payment, invoice = outgoing.checked.payment, outgoing.checked.invoice
        assert invoice is not None
        left_at: list[float] = []

        def leaving() -> None:
            left_at.append(self.clock.monotonic())
            self.journal.ledger.leaving(account=self.account, key=outgoing.key)

        response: httpx.Response | None = None
        try:
            response = await self.client.record_payment(
                invoice.id, outgoing.request, on_send=leaving
            )
        except JournalError as error:
            # Raised by ``leaving``, before the request left: not sent by this attempt, and
            # every earlier one was proven absent. The journal still says sending: the next
            # run checks it before anything else.
            stop = self._journal_failed(error)
            outcome = Outcome(payment, RowStatus.NOT_SENT, not_sent_because(stop), invoice)
            return self._settled(outgoing.key, outcome), stop
        except httpx.RequestError as error:
            answer = sort_failure(error)
        else:
            answer = sort_response(response)
        if answer.verdict is Verdict.RECORDED:
            outcome = Outcome(payment, RowStatus.RECORDED, "", answer.invoice)
            return self._settled(outgoing.key, outcome), None
        if answer.verdict is Verdict.REJECTED:
            outcome = Outcome(payment, RowStatus.REJECTED, answer.message, invoice)
            return self._settled(outgoing.key, outcome), None
        if answer.verdict is Verdict.STOP:
            assert response is not None
            stop_for_auth_or_budget(response)
            raise RunStopped(answer.message)
        if answer.verdict is Verdict.RETRY:
            raise _SendAgain(answer.message)
        if answer.lost:
            # No word from the application itself: it may be applying the payment right now.
            await self.clock.sleep(self._grace())
        pending = Pending(
            outgoing,
            sends,
            # From the last time the request left; with no such moment, from now (later).
            due=(left_at[-1] if left_at else self.clock.monotonic()) + self.lost_answer_wait,
            message=answer.message,
            invoice=invoice,
        )
        return await self._judge(pending, settled=not answer.lost)

    async def _judge(self, pending: Pending, *, settled: bool) -> Step:
        """Read the invoice after a lost or doubtful answer and act on what it shows."""
        outgoing, answer = pending.outgoing, pending.message
        payment, invoice = outgoing.checked.payment, outgoing.checked.invoice
        assert invoice is not None
        try:
            check = await verify(
                self.client,
                invoice_id=invoice.id,
                key=outgoing.key,
                payment=payment,
                paid_before=outgoing.paid_before,
                settled=settled,
            )
        except RunStopped as stop:
            message = (
                f"{answer} The run had to stop before the invoice could be checked "
                f"({stop}). Check the invoice in HighLevel; the next run checks it first."
            )
            outcome = Outcome(payment, RowStatus.UNKNOWN, message, invoice)
            return self._settled(outgoing.key, outcome), stop
        invoice = check.invoice or invoice
        if check.evidence is Evidence.FOUND:
            outcome = Outcome(payment, RowStatus.RECORDED, check.message, invoice)
            return self._settled(outgoing.key, outcome), None
        if check.evidence is Evidence.ABSENT:
            raise _SendAgain(answer)
        if check.evidence is Evidence.NOT_YET:
            # The journal keeps it `sending`: a run that dies now leaves it to the next one.
            raise _NotYet(dataclasses.replace(pending, invoice=invoice))
        which = invoice.shown_number if payment.row_parts > 1 else ""
        message = f"{answer} {check.message} " + settle_by_hand(
            self.run_id, payment.row, invoice=which
        )
        outcome = Outcome(payment, RowStatus.UNKNOWN, message, invoice)
        return self._settled(outgoing.key, outcome), None

    def _grace(self) -> float:
        return self.grace if self.grace is not None else min(self.client.timeout, 5.0)

    def _settled(self, key: str, outcome: Outcome, *, note: str | None = None) -> Outcome:
        """The outcome, once the journal holds it: the payment's state there is the row's
        status word, with ``note`` for the message when the journal's differs."""
        invoice = outcome.invoice
        try:
            self.journal.ledger.settle(
                account=self.account,
                key=key,
                state=PaymentState(outcome.status),
                message=outcome.message if note is None else note,
                invoice=None if invoice is None else invoice_state(invoice),
            )
        except JournalError as error:
            # The outcome is known, the journal still says sending: the results file says
            # what happened, and the next run checks the payment in HighLevel first.
            self._journal_failed(error)
            return dataclasses.replace(
                outcome,
                message=(
                    f"{outcome.message} The journal could not record this outcome; the next "
                    "run checks this payment in HighLevel before anything else."
                ).strip(),
            )
        return outcome

    def _journal_failed(self, error: JournalError) -> RunStopped:
        """What stops the run once the journal cannot be written: no payment leaves without
        its record, so nothing more is sent."""
        if not self.journal_failures:
            self.journal_failures.append(JournalFull(str(error)))
        return self.journal_failures[0]


def not_sent_because(stopped: RunStopped) -> str:
    """A row's words for a payment not sent once the run had to stop."""
    if isinstance(stopped, JournalFull):
        # Said once in full at the end of the run; every row need not repeat it.
        return (
            "Not sent: the journal could not be written, so nothing more was sent. Run the same "
            "command again once there is room."
        )
    return f"Not sent: the run had to stop ({stopped})"


async def submit(
    sender: Sender,
    cleared: Sequence[Checked],
    *,
    keys: Mapping[Place, str],
    taking_over: frozenset[Place] = frozenset(),
    concurrency: int = 8,
    stop: StopSignal | None = None,
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
    sending = _Sending(
        sender, keys, taking_over, stop, on_outcome, on_wait, waiting=deque(chains.values())
    )
    await asyncio.gather(*(sending.work() for _ in range(max(1, min(concurrency, len(chains))))))
    ordered = [sending.outcomes[checked.payment.place] for checked in cleared]
    interrupted = stop is not None and stop.is_set() and sending.stopped is None
    return Submission(ordered, sending.stopped, interrupted=interrupted)


@dataclass
class _Sending:
    """One call of ``submit``: the invoices waiting their turn, those parked on a lost answer,
    the outcomes so far, and the first stop met."""

    sender: Sender
    keys: Mapping[Place, str]
    taking_over: frozenset[Place]
    stop: StopSignal | None
    on_outcome: Callable[[Outcome], None] | None
    on_wait: Callable[[str], None] | None
    waiting: deque[_Chain]
    parked: list[_Chain] = field(default_factory=list)
    outcomes: dict[Place, Outcome] = field(default_factory=dict)
    stopped: RunStopped | None = None
    told_until: float = -math.inf  # the latest moment a wait was announced up to

    async def work(self) -> None:
        """Take invoices until none is left; wait on a parked one only when nothing else is."""
        while self.waiting or self.parked:
            if self.waiting:
                chain = self.waiting.popleft()
            else:
                chain = min(self.parked, key=lambda c: c.due)
                wait = chain.due - self.sender.clock.monotonic()
                if wait > 0 and self._why_not_sent() is None:
                    self._tell()
                    self.parked.remove(chain)
                    await _pause(self.sender.clock, wait, self.stop)
                else:
                    self.parked.remove(chain)
            await self._advance(chain)

    async def _advance(self, chain: _Chain) -> None:
        """Send the invoice's payments in file order until done, or one waits on a lost answer."""
        if chain.pending is not None:
            pending, chain.pending = chain.pending, None
            if self._why_not_sent() is not None:
                self._take(chain, self.sender.give_up(pending, stopped=self.stopped), None)
            elif not self._take(chain, *await self.sender.resume(pending)):
                return
        while chain.done < len(chain.rows):
            checked = chain.rows[chain.done]
            reason = self._why_not_sent()
            if reason is not None:
                outcome = Outcome(checked.payment, RowStatus.NOT_SENT, reason, checked.invoice)
                self._take(chain, outcome, None)
                continue
            step = await self.sender.record(
                checked,
                self.keys[checked.payment.place],
                paid_before=chain.paid,
                taking_over=checked.payment.place in self.taking_over,
            )
            if not self._take(chain, *step):
                return

    def _take(self, chain: _Chain, step: Outcome | Pending, stopping: RunStopped | None) -> bool:
        """Note one step of a chain; False when it must wait on a lost answer."""
        if stopping is None and self.sender.journal_failures:
            stopping = self.sender.journal_failures[0]
        if stopping is not None and self.stopped is None:
            self.stopped = stopping
        if isinstance(step, Pending):
            chain.pending = step
            self.parked.append(chain)
            return False
        if step.invoice is not None and step.status in (RowStatus.RECORDED, RowStatus.UNKNOWN):
            chain.paid = self.sender.paid[chain.invoice_id] = step.invoice.amount_paid
        self.outcomes[step.payment.place] = step
        if self.on_outcome is not None:
            self.on_outcome(step)
        chain.done += 1
        return True

    def _why_not_sent(self) -> str | None:
        if self.stopped is not None:
            return not_sent_because(self.stopped)
        if self.stop is not None and self.stop.is_set():
            return "Not sent: the run was interrupted. Run the same command again to send it."
        return None

    def _tell(self) -> None:
        """Say how long the run waits on lost answers, once for each new latest moment."""
        latest = max(chain.due for chain in self.parked)
        if self.on_wait is None or latest <= self.told_until:
            return
        self.told_until = latest
        seconds = latest - self.sender.clock.monotonic()
        count = len(self.parked)
        which = (
            "1 payment whose answer was lost"
            if count == 1
            else f"{count} payments whose answers were lost"
        )
        self.on_wait(
            f"Waiting {math.ceil(seconds)} s to confirm {which}: a payment can still reach "
            f"HighLevel up to {self.sender.lost_answer_wait:g} s after it was sent, and is not "
            "sent again before then. Ctrl-C leaves it for the next run to check."
        )


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


async def _pause(clock: Clock, seconds: float, stop: StopSignal | None) -> None:
    """Sleep, but wake as soon as the run is stopped."""
    if stop is None:
        await clock.sleep(seconds)
        return
    sleeping = asyncio.ensure_future(clock.sleep(seconds))
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sleeping, stopping):
            task.cancel()
        await asyncio.gather(sleeping, stopping, return_exceptions=True)
