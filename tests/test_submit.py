"""The submitter over httpx.MockTransport: lost answers verified, stops kept, invoices serial."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.api.throttle import Rate, Throttle
from importer.check.fields import InvoiceRef
from importer.check.payments import Place
from importer.check.validation import Payment
from importer.errors import DailyLimitReached
from importer.journal.journal import Journal
from importer.preflight import Checked
from importer.read.layout import SourceRow
from importer.send.keys import payment_key, payment_keys
from importer.send.outcomes import Outcome, Submission
from importer.send.sender import Sender, submit
from importer.send.stop import StopSignal
from tests.clocks import ManualClock

API = "https://api.test"
# What a fault does to one POST: None answers normally.
Fault = Callable[[httpx.Request], httpx.Response] | None


def payment(row: int, invoice_id: str, amount: str = "10.00", reference: str = "") -> Payment:
    """A cash payment on row ``row`` against an invoice given by id."""
    return Payment(
        source=SourceRow("Sheet1", row, ()),
        invoice=InvoiceRef("id", invoice_id),
        amount=Decimal(amount),
        paid_on=date(2026, 10, 3),
        mode="cash",
        reference=reference or f"R{row}",
        notes=f"row {row}",
    )


class FakeApi:
    """Invoices and transactions in memory, answering like the API, with faults by POST number."""

    def __init__(
        self,
        invoice_ids: list[str],
        faults: dict[int, str] | None = None,
        *,
        time: ManualClock | None = None,
    ) -> None:
        self.invoices = {
            invoice_id: {"_id": invoice_id, "status": "sent", "total": 1000, "amountPaid": 0}
            for invoice_id in invoice_ids
        }
        self.transactions: list[dict[str, Any]] = []
        self.faults = faults or {}
        self.posts = 0
        self.in_flight: dict[str, int] = {}
        self.most_in_flight_per_invoice = 0
        self.most_in_flight = 0
        self.extra_headers: dict[str, str] = {}
        self.reads = 0
        # The run's one clock: it moves only when the run sleeps, and the API's time with it.
        self.time = time or ManualClock(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
        # (invoice, moment on the clock) of each POST, and payments held to be applied later.
        self.post_log: list[tuple[str, float]] = []
        self.held: list[tuple[float, str, dict[str, Any]]] = []

    def invoice(self, invoice_id: str) -> Invoice:
        """The invoice as the API would answer it now."""
        return Invoice.model_validate(self.invoices[invoice_id])

    def _apply(self, invoice_id: str, body: dict[str, Any]) -> dict[str, Any]:
        invoice = self.invoices[invoice_id]
        invoice["amountPaid"] = float(
            Decimal(str(invoice["amountPaid"])) + Decimal(str(body["amount"]))
        )
        self.transactions.append(
            {
                "_id": f"t{len(self.transactions)}",
                "entityId": invoice_id,
                "amount": body["amount"],
                "fulfilledAt": body["fulfilledAt"],
                "meta": body["meta"],
            }
        )
        return invoice

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        for held in [h for h in self.held if h[0] <= self.time.monotonic()]:
            self.held.remove(held)
            self._apply(held[1], held[2])
        if request.method == "GET":
            self.reads += 1
        if request.method == "GET" and parts[0] == "invoices":
            return httpx.Response(200, json=self.invoices[parts[1]])
        if request.method == "GET":
            entity = request.url.params["entityId"]
            data = [t for t in self.transactions if t["entityId"] == entity]
            return httpx.Response(200, json={"data": data, "totalCount": len(data)})
        invoice_id = parts[1]
        self.posts += 1
        self.post_log.append((invoice_id, self.time.monotonic()))
        fault = self.faults.get(self.posts)
        self.in_flight[invoice_id] = self.in_flight.get(invoice_id, 0) + 1
        self.most_in_flight_per_invoice = max(
            self.most_in_flight_per_invoice, self.in_flight[invoice_id]
        )
        self.most_in_flight = max(self.most_in_flight, sum(self.in_flight.values()))
        try:
            await asyncio.sleep(0)  # let other requests start meanwhile
            body = json.loads(request.content)
            if fault == "error":  # not applied
                return httpx.Response(500, json={"message": "boom"})
            if fault == "unavailable":  # not applied, and the API says so
                return httpx.Response(503, json={"message": "Service Unavailable"})
            if fault == "unauthorized":
                return httpx.Response(401, json={"message": "Invalid token"})
            if fault in ("late", "lost"):  # the answer lost; applied 30 s later, or never
                if fault == "late":
                    self.held.append((self.time.monotonic() + 30, invoice_id, body))
                raise httpx.ReadTimeout("late", request=request)
            invoice = self._apply(invoice_id, body)
            if fault == "unavailable after":  # applied, and a proxy answers 503
                return httpx.Response(503, json={"message": "Service Unavailable"})
            if fault == "timeout":  # applied, answer lost
                raise httpx.ReadTimeout("late", request=request)
            if fault == "drop":
                raise httpx.RemoteProtocolError("closed", request=request)
            if fault == "gateway":  # applied, but the gateway gave up waiting
                return httpx.Response(504, json={"message": "Gateway Timeout"})
            if fault == "unreadable":  # applied, and a 200 whose invoice lacks its id and status
                return httpx.Response(200, json={"success": True, "invoice": {"amountPaid": 1}})
            return httpx.Response(
                200, json={"success": True, "invoice": invoice}, headers=self.extra_headers
            )
        finally:
            self.in_flight[invoice_id] -= 1


def run_submit(
    api: FakeApi,
    payments: list[Payment],
    *,
    stop_after: int | None = None,
    journal: Journal | None = None,
    told: list[str] | None = None,
    stop_when_told: bool = False,
) -> Submission:
    """Submit ``payments`` against ``api`` with an unthrottled client and an in-memory journal,
    on the API's clock (``api.time.slept``: what the run waited); ``told`` collects what the
    run says while it waits."""

    async def go() -> Submission:
        client = HighLevelClient(
            base_url=API,
            token=SecretStr("pit-test"),
            location_id="loc1",
            transport=httpx.MockTransport(api),
            throttle=Throttle(announced=Rate(1_000_000, 1.0), clock=api.time),
            clock=api.time,
        )
        book = journal or Journal.open(":memory:")
        run_id = book.history.start_run(file=Path(__file__), location_id="loc1", api_url=API)
        cleared = [Checked(p, api.invoice(p.invoice.text), None) for p in payments]
        stop = StopSignal()
        done: list[Outcome] = []

        def on_outcome(outcome: Outcome) -> None:
            done.append(outcome)
            if stop_after is not None and len(done) >= stop_after:
                stop.set()

        def on_wait(words: str) -> None:
            if told is not None:
                told.append(words)
            if stop_when_told:
                stop.set()

        async with client:
            return await submit(
                Sender(client, book, run_id, "deposit.csv", clock=api.time),
                cleared,
                keys=payment_keys("loc1", cleared),
                concurrency=4,
                stop=stop,
                on_outcome=on_outcome,
                on_wait=on_wait,
            )

    return asyncio.run(go())


def statuses(submission: Submission) -> list[tuple[int, str]]:
    """(row, status) of each outcome, in file order."""
    return [(outcome.payment.row, outcome.status) for outcome in submission.outcomes]


def test_answers_that_arrive_are_recorded_with_one_request_each() -> None:
    """Without faults every payment is recorded with exactly one POST."""
    api = FakeApi(["a1", "b2"])
    result = run_submit(api, [payment(2, "a1"), payment(3, "b2"), payment(4, "a1", "20.00")])
    assert statuses(result) == [(2, "recorded"), (3, "recorded"), (4, "recorded")]
    assert api.posts == 3
    assert result.outcomes[2].invoice is not None
    assert result.outcomes[2].invoice.amount_paid == Decimal(30)


@pytest.mark.parametrize("fault", ["timeout", "drop", "gateway"])
def test_a_lost_answer_is_verified_and_never_sent_twice(fault: str) -> None:
    """A timeout, dropped connection or gateway timeout (504) after recording: a grace, then
    found by its key, recorded, one POST."""
    api = FakeApi(["a1"], faults={1: fault})
    result = run_submit(api, [payment(2, "a1")])
    assert api.time.slept == [5.0]  # the grace before reading the invoice
    assert statuses(result) == [(2, "recorded")]
    assert result.outcomes[0].message == "Confirmed: the invoice's transactions hold this payment."
    assert api.posts == 1
    assert len(api.transactions) == 1


def test_a_payment_arriving_after_its_answer_was_lost_is_found_and_not_sent_again() -> None:
    """A timeout whose payment the API records 30 s later: not there at the first check, so
    the run waits until 120 s after sending, finds it, and never sends it again."""
    api = FakeApi(["a1"], faults={1: "late"})
    told: list[str] = []
    result = run_submit(api, [payment(2, "a1")], told=told)
    assert statuses(result) == [(2, "recorded")]
    assert result.outcomes[0].message == "Confirmed: the invoice's transactions hold this payment."
    assert api.time.slept == [5.0, 115.0]  # the grace, then the rest of the 120 s
    assert api.posts == 1
    assert len(api.transactions) == 1
    assert told == [
        "Waiting 115 s to confirm 1 payment whose answer was lost: a payment can still reach "
        "HighLevel up to 120 s after it was sent, and is not sent again before then. Ctrl-C "
        "leaves it for the next run to check."
    ]


def test_a_lost_payment_that_never_arrives_is_sent_again_only_after_the_wait() -> None:
    """A timeout whose payment never arrives is sent again, once, and not before 120 s."""
    api = FakeApi(["a1"], faults={1: "lost"})
    result = run_submit(api, [payment(2, "a1")])
    assert statuses(result) == [(2, "recorded")]
    assert api.post_log == [("a1", 0.0), ("a1", 120.0)]
    assert len(api.transactions) == 1


def test_other_invoices_go_on_while_a_lost_answer_waits() -> None:
    """While one invoice waits on a lost answer its next payment waits too (never two
    requests for one invoice), and the other invoices' payments go meanwhile."""
    api = FakeApi(["a1", "b2"], faults={1: "lost"})
    rows = [payment(2, "a1"), payment(3, "a1", "20.00"), payment(4, "b2"), payment(5, "b2")]
    result = run_submit(api, rows)
    assert statuses(result) == [(2, "recorded"), (3, "recorded"), (4, "recorded"), (5, "recorded")]
    # b2's payments go while a1 waits (when, within that wait, depends on how the event loop
    # interleaves them with a1's grace, as the fake time is one for all); a1's resumes at 120.
    assert [(invoice, at) for invoice, at in api.post_log if invoice == "a1"] == [
        ("a1", 0.0),
        ("a1", 120.0),  # row 2 again, proven absent
        ("a1", 120.0),  # then row 3
    ]
    b2_posts = [at for invoice, at in api.post_log if invoice == "b2"]
    assert len(b2_posts) == 2
    assert max(b2_posts) < 120.0
    assert api.post_log.index(("a1", 120.0)) > max(
        n for n, (invoice, _at) in enumerate(api.post_log) if invoice == "b2"
    )
    assert api.most_in_flight_per_invoice == 1
    assert len(api.transactions) == 4


def test_a_run_stopped_while_a_lost_answer_waits_leaves_it_unknown_for_the_next_run() -> None:
    """Ctrl-C while waiting on a lost answer: that payment is unknown (the journal keeps it in
    doubt, for the next run to check), the invoice's later payments not_sent, nothing resent."""
    api = FakeApi(["a1"], faults={1: "lost"})
    journal = Journal.open(":memory:")
    rows = [payment(2, "a1"), payment(3, "a1", "20.00")]
    result = run_submit(api, rows, journal=journal, stop_when_told=True)
    assert statuses(result) == [(2, "unknown"), (3, "not_sent")]
    assert result.outcomes[0].message == (
        "No answer came before the timeout. The payment may still reach HighLevel, and the run "
        "was interrupted before it could be confirmed. The next run checks it before sending "
        "anything."
    )
    assert result.interrupted
    assert api.posts == 1
    keys = payment_keys("loc1", [Checked(p, api.invoice("a1"), None) for p in rows])
    assert journal.ledger.find("location loc1", [keys[Place(2, 1)]])[keys[Place(2, 1)]].state == (
        "unknown"
    )


def test_a_200_whose_invoice_cannot_be_read_is_verified_not_a_crash() -> None:
    """A 200 with an invoice missing its id and status: the payment is checked at once (the
    API has answered), found by its key, recorded, and never sent again."""
    api = FakeApi(["a1", "b2"], faults={1: "unreadable"})
    result = run_submit(api, [payment(2, "a1"), payment(3, "b2")])
    assert statuses(result) == [(2, "recorded"), (3, "recorded")]
    assert result.outcomes[0].message == "Confirmed: the invoice's transactions hold this payment."
    assert result.outcomes[0].invoice == api.invoice("a1")
    assert api.time.slept == []
    assert (api.posts, len(api.transactions)) == (2, 2)


def test_a_server_error_before_recording_is_proven_absent_and_sent_again() -> None:
    """A 500 that did not record: the invoice has not moved, so it is sent again, once."""
    api = FakeApi(["a1"], faults={1: "error"})
    result = run_submit(api, [payment(2, "a1")])
    assert statuses(result) == [(2, "recorded")]
    assert api.time.slept == []  # the application answered: nothing left in its hands
    assert api.posts == 2
    assert len(api.transactions) == 1


def test_a_payment_that_keeps_failing_is_failed_after_five_attempts() -> None:
    """Five 500s in a row, none recorded: the row is failed with the API's words."""
    api = FakeApi(["a1"], faults=dict.fromkeys(range(1, 6), "error"))
    result = run_submit(api, [payment(2, "a1")])
    assert statuses(result) == [(2, "failed")]
    assert result.outcomes[0].message == (
        "Not recorded after 5 attempts: The API answered 500: boom. Run again later."
    )
    assert api.transactions == []


def test_never_two_requests_in_flight_for_one_invoice() -> None:
    """Payments of one invoice go one after another while other invoices go alongside."""
    api = FakeApi(["a1", "b2", "c3"])
    rows = [payment(2 + n, ["a1", "b2", "c3"][n % 3], f"{10 + n}.00") for n in range(12)]
    result = run_submit(api, rows)
    assert {status for _, status in statuses(result)} == {"recorded"}
    assert api.most_in_flight_per_invoice == 1
    assert api.most_in_flight == 3


def test_stop_lets_requests_in_flight_finish_and_sends_nothing_new() -> None:
    """Once stop is set (Ctrl-C), the rest are not_sent and the submission says interrupted."""
    api = FakeApi(["a1"])
    rows = [payment(2 + n, "a1", f"{10 + n}.00") for n in range(5)]
    result = run_submit(api, rows, stop_after=2)
    assert statuses(result) == [
        (2, "recorded"),
        (3, "recorded"),
        (4, "not_sent"),
        (5, "not_sent"),
        (6, "not_sent"),
    ]
    assert result.interrupted
    assert result.outcomes[2].message == (
        "Not sent: the run was interrupted. Run the same command again to send it."
    )
    assert api.posts == 2


def test_a_spent_daily_budget_stops_cleanly_and_says_when_to_run_again() -> None:
    """After an answer with no daily requests left, nothing more is sent; the rest not_sent."""
    api = FakeApi(["a1"])
    api.extra_headers = {"X-RateLimit-Daily-Remaining": "0", "X-RateLimit-Limit-Daily": "10000"}
    rows = [payment(2 + n, "a1", f"{10 + n}.00") for n in range(3)]
    result = run_submit(api, rows)
    assert statuses(result) == [(2, "recorded"), (3, "not_sent"), (4, "not_sent")]
    assert isinstance(result.stopped, DailyLimitReached)
    assert str(result.stopped) == (
        "The location's daily API budget of 10,000 requests is spent; HighLevel renews it "
        "within 24 hours. Run the same command again after 2026-11-03 09:30 UTC: payments "
        "already recorded will be skipped."
    )
    assert api.posts == 1


def test_a_refused_token_stops_the_run_with_nothing_recorded_twice() -> None:
    """A 401 on a payment stops the run: that row and the rest are not_sent."""
    api = FakeApi(["a1"], faults={2: "unauthorized"})
    rows = [payment(2 + n, "a1", f"{10 + n}.00") for n in range(3)]
    result = run_submit(api, rows)
    assert statuses(result) == [(2, "recorded"), (3, "not_sent"), (4, "not_sent")]
    assert result.stopped is not None
    assert "HIGHLEVEL_TOKEN" in str(result.stopped)


def test_the_journal_holds_each_outcome() -> None:
    """After a run the journal says recorded for what was recorded, and failed for the rest."""
    api = FakeApi(["a1", "b2"], faults=dict.fromkeys(range(2, 7), "error"))
    journal = Journal.open(":memory:")
    rows = [payment(2, "a1"), payment(3, "b2")]
    result = run_submit(api, rows, journal=journal)
    cleared = [Checked(p, api.invoice(p.invoice.text), None) for p in rows]
    keys = payment_keys("loc1", cleared)
    states = {e.row: e.state for e in journal.ledger.find("location loc1", keys.values()).values()}
    assert {o.payment.row: o.status for o in result.outcomes} == {2: "recorded", 3: "failed"}
    assert states == {2: "recorded", 3: "failed"}


def test_equal_payments_allowed_twice_in_a_file_get_different_keys() -> None:
    """Two identical cash payments (an allowed duplicate) are two payments, not one skipped."""
    first, second = payment(2, "a1", reference="same"), payment(3, "a1", reference="same")
    invoice = Invoice.model_validate({"_id": "a1", "status": "sent", "total": 100})
    keys = payment_keys("loc1", [Checked(first, invoice, None), Checked(second, invoice, None)])
    assert keys[Place(2, 1)] != keys[Place(3, 1)]
    again = payment_keys("loc1", [Checked(first, invoice, None), Checked(second, invoice, None)])
    assert again == keys


def test_a_payment_another_run_holds_is_not_sent() -> None:
    """A payment another run is still sending (journal 'sending') is unknown here, not sent."""
    api = FakeApi(["a1"])
    journal = Journal.open(":memory:")
    first = payment(2, "a1")
    keys = payment_keys("loc1", [Checked(first, api.invoice("a1"), None)])
    other_run = journal.history.start_run(file=Path(__file__), location_id="loc1", api_url=API)
    journal.ledger.claim(
        account="location loc1",
        key=keys[Place(2, 1)],
        run_id=other_run,
        row=2,
        file="other.csv",
        invoice_id="a1",
        amount=Decimal(10),
        paid_on="2026-10-03",
        paid_before=Decimal(0),
    )
    result = run_submit(api, [first], journal=journal)
    assert statuses(result) == [(2, "unknown")]
    assert result.outcomes[0].message.startswith("Run 1 (other.csv, row 2) has been sending")
    assert api.posts == 0


def test_a_503_is_checked_and_sent_again_only_once_it_can_no_longer_arrive() -> None:
    """A 503 may come from a proxy that passed the request on: not found at the first check,
    it is sent again only 120 s after it was sent, once."""
    api = FakeApi(["a1"], faults={1: "unavailable"})
    result = run_submit(api, [payment(2, "a1")])
    assert statuses(result) == [(2, "recorded")]
    assert api.post_log == [("a1", 0.0), ("a1", 120.0)]
    assert api.reads == 4  # the invoice and its transactions, twice
    assert len(api.transactions) == 1


def test_a_503_after_recording_is_found_and_not_sent_again() -> None:
    """A 503 from a proxy whose application recorded the payment: found at the first check."""
    api = FakeApi(["a1"], faults={1: "unavailable after"})
    result = run_submit(api, [payment(2, "a1")])
    assert statuses(result) == [(2, "recorded")]
    assert result.outcomes[0].message == "Confirmed: the invoice's transactions hold this payment."
    assert (api.posts, len(api.transactions)) == (1, 1)


def test_the_same_payment_in_another_location_has_another_key() -> None:
    """The location is part of the payment key: the same invoice id, amount, day, method and
    reference in two locations are two payments, while the key never depends on the file."""
    first, again = payment(2, "a1", reference="R1"), payment(9, "a1", reference="R1")
    assert payment_key("loc1", "a1", first) == payment_key("loc1", "a1", again)
    assert payment_key("loc1", "a1", first) != payment_key("loc2", "a1", first)


def test_a_second_batch_judges_by_the_paid_amount_the_first_left() -> None:
    """After a canary recorded on an invoice, a lost answer in the rest is judged against
    the invoice as the canary left it, not as it was read before the run."""
    api = FakeApi(["a1"], faults={2: "error"})
    before = api.invoice("a1")
    first, second = payment(2, "a1"), payment(3, "a1", "20.00")
    cleared = [Checked(first, before, None), Checked(second, before, None)]
    keys = payment_keys("loc1", cleared)

    async def go() -> list[Submission]:
        async with HighLevelClient(
            base_url=API,
            token=SecretStr("pit-test"),
            location_id="loc1",
            transport=httpx.MockTransport(api),
            throttle=Throttle(announced=Rate(1_000_000, 1.0), clock=api.time),
        ) as client:
            journal = Journal.open(":memory:")
            run_id = journal.history.start_run(file=Path(__file__), location_id="loc1", api_url=API)
            sender = Sender(client, journal, run_id, "deposit.csv", clock=api.time)
            return [await submit(sender, [batch], keys=keys) for batch in cleared]

    canary, rest = asyncio.run(go())
    assert statuses(canary) + statuses(rest) == [(2, "recorded"), (3, "recorded")]
    assert api.posts == 3  # the 500 was proven absent and sent again
