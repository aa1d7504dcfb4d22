"""What HighLevel already holds: the same-payment rule as a table, and what reading costs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.api.models import Cheque, Invoice, Transaction
from importer.check.fields import InvoiceRef
from importer.check.payments import Place
from importer.check.validation import Payment
from importer.errors import MissingScope
from importer.holdings import (
    Holdings,
    PaymentFacts,
    Sameness,
    could_be_from_statement,
    held_already,
    read_holdings,
    same_payment,
)
from importer.preflight import Checked
from importer.read.layout import SourceRow
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox

DAY = date(2026, 11, 3)
CHEQUE = PaymentFacts("inv1", Decimal("400.00"), "cheque", DAY, cheque="001234", keys=("k1",))
CARD = PaymentFacts("inv1", Decimal("50.00"), "card", DAY, card=("Visa", "4242"))
TRANSFER = PaymentFacts("inv1", Decimal("75.00"), "bank_transfer", DAY, reference="TRF 77")
CASH = PaymentFacts("inv1", Decimal("20.00"), "cash", DAY)
# A cheque of 600.00 paid in on 3 November, and the bank statement's line that shows it,
# posted on the 6th.
CHEQUE_RUN = PaymentFacts("inv1", Decimal("600.00"), "cheque", DAY, cheque="000555")
STATEMENT_LINE = PaymentFacts(
    "inv1", Decimal("600.00"), "bank_transfer", date(2026, 11, 6), from_statement=True
)
FROM_STATEMENT = {"importer_key": "k7", "importer_statement": True}
# The statement's line 'CHQ DEPOSIT 000777': a cheque, known by its number.
STATEMENT_CHEQUE = PaymentFacts(
    "inv1", Decimal("600.00"), "cheque", date(2026, 11, 6), cheque="000777", from_statement=True
)


def held(**fields: Any) -> Transaction:
    """A transaction as the list gives it, on invoice inv1, dated 3 November 2026 at noon."""
    body: dict[str, Any] = {
        "_id": "t1",
        "entityId": "inv1",
        "fulfilledAt": "2026-11-03T12:00:00.000Z",
        **fields,
    }
    return Transaction.model_validate(body)


def transfer(day: str, **fields: Any) -> Transaction:
    """A bank transfer of 600.00 on inv1, on ``day`` at noon."""
    body = {"amount": 600, "paymentMethod": {"mode": "bank_transfer"}, **fields}
    return held(**body, fulfilledAt=f"{day}T12:00:00Z")


def cheque(number: str | None, amount: float = 400) -> dict[str, Any]:
    method: dict[str, Any] = {"mode": "cheque"}
    if number is not None:
        method["cheque"] = {"number": number}
    return {"amount": amount, "paymentMethod": method}


SAME_PAYMENT_TABLE = [
    # (what the row pays, what HighLevel holds, the verdict, why)
    (CHEQUE, held(**cheque("001234")), Sameness.ALIKE, "same cheque"),
    (CHEQUE, held(**cheque("1234")), Sameness.ALIKE, "zeros lost in Excel"),
    (CHEQUE, held(**cheque("'001234")), Sameness.ALIKE, "a results file's quote"),
    (CHEQUE, held(**cheque("1234"), fulfilledAt="2026-10-28T12:00:00Z"), Sameness.ALIKE,
     "the date corrected since"),
    (CHEQUE, held(**cheque("001235")), Sameness.DIFFERENT, "another cheque"),
    (CHEQUE, held(**cheque("001234", amount=450)), Sameness.DIFFERENT, "another amount"),
    (CHEQUE, held(**cheque("001234"), entityId="inv2"), Sameness.DIFFERENT, "another invoice"),
    (CHEQUE, held(**cheque(None)), Sameness.ALIKE, "a cheque typed in without its number"),
    (CHEQUE, held(**cheque(None), fulfilledAt="2026-11-09T00:00:00Z"), Sameness.DIFFERENT,
     "no number and another day"),
    (CHEQUE, held(amount=400, paymentMethod={"mode": "cash"}), Sameness.DIFFERENT,
     "cash, not a cheque"),
    (CHEQUE, held(**cheque("999"), meta={"importer_key": "k1"}), Sameness.SAME_KEY,
     "its own key decides"),
    (CHEQUE, held(**cheque("001234"), meta={"importer_key": "k9"}), Sameness.ALIKE,
     "another row's key, the same cheque"),
    (CARD, held(amount=50, paymentMethod={"mode": "card", "card": {"brand": "VISA",
                                                                   "last4": "4242"}}),
     Sameness.ALIKE, "same brand and last 4"),
    (CARD, held(amount=50, paymentMethod={"mode": "card", "card": {"last4": "4242"}},
                fulfilledAt="2026-10-01T12:00:00Z"),
     Sameness.ALIKE, "last 4 alone, another day"),
    (CARD, held(amount=50, paymentMethod={"mode": "card", "card": {"brand": "Visa",
                                                                   "last4": "1111"}}),
     Sameness.DIFFERENT, "another card"),
    (CARD, held(amount=50, paymentMethod={"mode": "card", "card": {"brand": "Visa Debit",
                                                                   "last4": "4242"}}),
     Sameness.ALIKE, "the same network, its card's kind named"),
    (CARD, held(amount=50, paymentMethod={"mode": "card", "card": {"brand": "Amex",
                                                                   "last4": "4242"}}),
     Sameness.DIFFERENT, "another brand"),
    (TRANSFER, held(amount=75, paymentMethod={"mode": "bank_transfer"},
                    meta={"importer_reference": "trf77"}),
     Sameness.ALIKE, "the same reference, spelled otherwise"),
    (TRANSFER, held(amount=75, paymentMethod={"mode": "bank_transfer"},
                    meta={"importer_reference": "TRF 78"}),
     Sameness.DIFFERENT, "another reference"),
    (TRANSFER, held(amount=75, paymentMethod={"mode": "bank_transfer"}), Sameness.ALIKE,
     "no reference shown: the method and day decide"),
    (TRANSFER, held(amount=75, paymentMethod={"mode": "bank_transfer"},
                    fulfilledAt="2026-11-06T12:00:00Z"),
     Sameness.DIFFERENT, "no reference shown, another day"),
    (CASH, held(amount=20, paymentMethod={"mode": "cash"}), Sameness.ALIKE, "cash, same day"),
    (CASH, held(amount=20, paymentMethod={"mode": "cash"}, fulfilledAt="2026-11-02T23:00:00Z"),
     Sameness.ALIKE, "typed in by hand where the day starts earlier than in UTC"),
    (CASH, held(amount=20, paymentMethod={"mode": "cash"}, fulfilledAt="2026-11-05T12:00:00Z"),
     Sameness.DIFFERENT, "cash, two days later"),
    (CASH, held(amount=20, paymentMethod={"mode": "other"}), Sameness.DIFFERENT,
     "another method"),
    (CASH, held(amount=20), Sameness.ALIKE, "no method shown"),
    (CASH, held(paymentMethod={"mode": "cash"}), Sameness.ALIKE, "no amount shown"),
    (CASH, held(amount=20.01, paymentMethod={"mode": "cash"}), Sameness.DIFFERENT,
     "a cent more"),
    # A bank statement's line is the bank's view of a deposit: its day is the bank's, its
    # method a guess.
    (STATEMENT_LINE, held(**cheque("000555", amount=600)), Sameness.ON_STATEMENT,
     "the cheque three days before the bank posted it"),
    (STATEMENT_LINE, held(**cheque("000555", amount=600), fulfilledAt="2026-10-30T12:00:00Z"),
     Sameness.ON_STATEMENT, "the cheque seven days before"),
    (STATEMENT_LINE, held(**cheque("000555", amount=600), fulfilledAt="2026-10-29T12:00:00Z"),
     Sameness.DIFFERENT, "the cheque eight days before"),
    (STATEMENT_LINE, held(**cheque("000555", amount=600), fulfilledAt="2026-11-12T12:00:00Z"),
     Sameness.ON_STATEMENT, "a payment typed in six days after the line"),
    (STATEMENT_LINE, held(**cheque("000555", amount=650)), Sameness.DIFFERENT,
     "the line and a cheque of another amount"),
    (STATEMENT_LINE, held(**cheque("000555", amount=600), entityId="inv2"), Sameness.DIFFERENT,
     "the line and a cheque on another invoice"),
    (STATEMENT_LINE, held(amount=600, paymentMethod={"mode": "card", "card": {
        "brand": "Visa", "last4": "4242"}}, fulfilledAt="2026-11-04T12:00:00Z"),
     Sameness.ON_STATEMENT, "a card's takings posted two days later"),
    (STATEMENT_LINE, held(amount=600, paymentMethod={"mode": "cash"}), Sameness.ON_STATEMENT,
     "cash paid in three days before"),
    (STATEMENT_LINE, transfer("2026-11-06"), Sameness.ALIKE,
     "a transfer of the same day, as before"),
    (STATEMENT_LINE, transfer("2026-11-03", meta=FROM_STATEMENT), Sameness.DIFFERENT,
     "two statement lines on different days"),
    (STATEMENT_LINE, transfer("2026-11-07", meta=FROM_STATEMENT), Sameness.ALIKE,
     "two statement lines a day apart"),
    (STATEMENT_LINE, held(amount=600, paymentMethod={"mode": "cash"},
                          fulfilledAt="2026-11-06T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.ON_STATEMENT, "two statement lines of one day, their words saying otherwise"),
    (CHEQUE_RUN, transfer("2026-11-06", meta=FROM_STATEMENT), Sameness.ON_STATEMENT,
     "the cheque, and the statement's line recorded before it"),
    (CHEQUE_RUN, transfer("2026-10-27", meta=FROM_STATEMENT), Sameness.ON_STATEMENT,
     "the statement's line seven days before the cheque's day"),
    (CHEQUE_RUN, transfer("2026-11-11", meta=FROM_STATEMENT), Sameness.DIFFERENT,
     "the statement's line eight days after"),
    (CHEQUE_RUN, held(amount=600, paymentMethod={"mode": "cheque", "cheque": {
        "number": "556"}}, fulfilledAt="2026-11-06T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.DIFFERENT, "the statement's line names another cheque"),
    (CHEQUE_RUN, held(amount=600, paymentMethod={"mode": "cheque", "cheque": {
        "number": "555"}}, fulfilledAt="2026-11-20T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.ALIKE, "the statement's line names this cheque"),
    (CHEQUE_RUN, transfer("2026-11-06"), Sameness.DIFFERENT,
     "a transfer not from a statement, meta not read"),
    (CHEQUE_RUN, transfer("2026-11-03", meta={"importer_key": "k8"}), Sameness.DIFFERENT,
     "a transfer of the same day from a payments file"),
    (CARD, held(amount=50, paymentMethod={"mode": "bank_transfer"},
                fulfilledAt="2026-11-05T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.ON_STATEMENT, "a card sale, and the bank's line of its takings"),
    (CASH, held(amount=20, paymentMethod={"mode": "cash"}, fulfilledAt="2026-11-05T12:00:00Z",
                meta=FROM_STATEMENT),
     Sameness.ON_STATEMENT, "cash, and the statement's line two days later"),
    # A line naming its cheque is a cheque: no cash paid in nor card's takings.
    (STATEMENT_CHEQUE, held(amount=600, paymentMethod={"mode": "cash"}), Sameness.DIFFERENT,
     "a line naming its cheque, and cash paid in three days before"),
    (STATEMENT_CHEQUE, held(amount=600, paymentMethod={"mode": "card", "card": {
        "brand": "Visa", "last4": "4242"}}, fulfilledAt="2026-11-04T12:00:00Z"),
     Sameness.DIFFERENT, "a line naming its cheque, and a card sale two days before"),
    (STATEMENT_CHEQUE, held(**cheque(None, amount=600)), Sameness.ON_STATEMENT,
     "a line naming its cheque, and a cheque of no number"),
    (STATEMENT_CHEQUE, transfer("2026-11-04"), Sameness.ON_STATEMENT,
     "a line naming its cheque, and a transfer two days before"),
    (CASH, held(amount=20, paymentMethod={"mode": "cheque", "cheque": {"number": "777"}},
                fulfilledAt="2026-11-05T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.DIFFERENT, "cash, and a statement's line naming a cheque"),
    (CARD, held(amount=50, paymentMethod={"mode": "cheque", "cheque": {"number": "777"}},
                fulfilledAt="2026-11-05T12:00:00Z", meta=FROM_STATEMENT),
     Sameness.DIFFERENT, "a card sale, and a statement's line naming a cheque"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("ours", "theirs", "verdict"),
    [(ours, theirs, verdict) for ours, theirs, verdict, _why in SAME_PAYMENT_TABLE],
    ids=[why for *_, why in SAME_PAYMENT_TABLE],
)
def test_same_payment(ours: PaymentFacts, theirs: Transaction, verdict: Sameness) -> None:
    """Same invoice and amount, then the cheque, card or reference, else the method and day
    (any method and seven days where one of the two was read from a bank statement); a
    transaction carrying the payment's own key is it, whatever else it shows."""
    assert same_payment(ours, theirs) is verdict


COULD_BE_FROM_STATEMENT_TABLE = [
    (CHEQUE_RUN, transfer("2026-11-06"), True, "a transfer three days after, meta not read"),
    (CHEQUE_RUN, transfer("2026-11-12"), False, "a transfer too late to be its line"),
    (CHEQUE_RUN, transfer("2026-11-06", meta={}), False, "its meta read already"),
    (CHEQUE_RUN, held(**cheque("000555", amount=600)), False, "alike without it"),
    (CHEQUE_RUN, transfer("2026-11-06", amount=601), False, "another amount"),
    (STATEMENT_LINE, held(**cheque("000555", amount=600)), False, "a line itself"),
]


@pytest.mark.parametrize(
    ("ours", "theirs", "worth"),
    [(ours, theirs, worth) for ours, theirs, worth, _why in COULD_BE_FROM_STATEMENT_TABLE],
    ids=[why for *_, why in COULD_BE_FROM_STATEMENT_TABLE],
)
def test_could_be_from_statement(ours: PaymentFacts, theirs: Transaction, worth: bool) -> None:
    """A transaction's meta is read only when it would make it this payment: one that is
    this payment only if it was read from a bank statement."""
    assert could_be_from_statement(ours, theirs) is worth


# --- Reading, and what it costs --------------------------------------------------------------

TODAY = datetime.now(UTC).date()


def seed(paid: list[int]) -> dict[str, Any]:
    """A location with one invoice of 1,000.00 per entry of ``paid``, that much paid on it."""
    return {
        "locationId": "holdingsLocation00001",
        "invoices": [
            {
                "_id": f"{index + 1:024x}",
                "invoiceNumber": str(7001 + index),
                "status": "partially_paid" if amount else "sent",
                "total": 1000,
                "amountPaid": amount,
            }
            for index, amount in enumerate(paid)
        ],
    }


@pytest.fixture
def location(request: pytest.FixtureRequest) -> Iterator[RunningSandbox]:
    """A sandbox holding the invoices ``seed`` makes of the test's parameter."""
    with running_sandbox(seed(request.param), rate_limit="off") as running:
        yield running


def pay(running: RunningSandbox, index: int, times: int) -> None:
    """``times`` cash payments of 1.00 on invoice ``index``, as typed in by hand."""
    invoice_id = running.sandbox.invoices()[index]["_id"]
    for _ in range(times):
        running.sandbox.book.record_payment(
            invoice_id, amount=Decimal(1), payment_method={"mode": "cash"}, alt_type="location"
        )


def read(
    running: RunningSandbox,
    *,
    scopes: frozenset[str] | None = None,
    only: list[int] | None = None,
) -> Holdings:
    """What the invoices of the sandbox (``only`` those, by position) hold, read by the
    importer as a run would."""
    if scopes is not None:
        running.sandbox.scopes = scopes

    async def go() -> Holdings:
        async with HighLevelClient(
            base_url=running.url,
            token=SecretStr(DEFAULT_TOKEN),
            location_id=running.location_id,
        ) as client:
            raws = running.sandbox.invoices()
            wanted = raws if only is None else [raws[index] for index in only]
            invoices = [Invoice.model_validate(raw) for raw in wanted]
            return await read_holdings(client, invoices, today=TODAY)

    return asyncio.run(go())


def transactions_read(running: RunningSandbox) -> int:
    return running.sandbox.requests_by_route[("GET", "/payments/transactions")]


@pytest.mark.parametrize("location", [[0, 0, 0]], indirect=True)
def test_invoices_with_nothing_paid_cost_no_request(location: RunningSandbox) -> None:
    """No invoice has anything paid: nothing to read, and no request."""
    assert read(location) == Holdings()
    assert transactions_read(location) == 0


@pytest.mark.parametrize("location", [[0, 10, 0]], indirect=True)
def test_one_invoice_with_payments_is_read_alone(location: RunningSandbox) -> None:
    """One invoice with something paid: its own transactions, in one request."""
    pay(location, 1, 2)
    holdings = read(location)
    invoice_id = location.sandbox.invoices()[1]["_id"]
    assert [t.entity_id for t in holdings.by_invoice[invoice_id]] == [invoice_id] * 2
    assert (holdings.requests, holdings.how) == (1, "invoice by invoice, 1 invoice with payments")
    assert transactions_read(location) == 1


@pytest.mark.parametrize("location", [[5] * 30], indirect=True)
def test_many_paid_invoices_are_read_by_paging_the_location(location: RunningSandbox) -> None:
    """Thirty invoices with payments, 150 transactions in the location: two pages of the
    location's transactions, not thirty requests, each invoice given its own."""
    for index in range(30):
        pay(location, index, 5)
    holdings = read(location)
    created = date.fromisoformat(location.sandbox.invoices()[0]["createdAt"][:10])
    since = date.fromordinal(created.toordinal() - 1)  # a day before the oldest invoice
    assert holdings.requests == 2
    assert holdings.how == f"the location's transactions since {since.isoformat()}"
    assert sorted(len(found) for found in holdings.by_invoice.values()) == [5] * 30
    assert transactions_read(location) == 2


@pytest.mark.parametrize("location", [[5, 5, 0]], indirect=True)
def test_a_busy_location_is_read_invoice_by_invoice(location: RunningSandbox) -> None:
    """A file paying two invoices with payments, in a location of 450 transactions (five
    pages): the first page says so, and the two invoices are read on their own: three
    requests, not five."""
    pay(location, 0, 3)
    pay(location, 1, 2)
    pay(location, 2, 445)
    holdings = read(location, only=[0, 1])
    assert (holdings.requests, holdings.how) == (3, "invoice by invoice, 2 invoices with payments")
    assert sorted(len(found) for found in holdings.by_invoice.values()) == [2, 3]


@pytest.mark.parametrize("location", [[5]], indirect=True)
def test_a_token_that_may_not_read_payments_says_what_to_do(location: RunningSandbox) -> None:
    """Without the transactions scope the check cannot be made: the run is told, with the
    way on, rather than skip it in silence."""
    with pytest.raises(MissingScope) as refused:
        read(location, scopes=frozenset({"invoices.readonly", "invoices.write"}))
    assert str(refused.value) == (
        "The token may not read the payments HighLevel already holds (it lacks the "
        "payments/transactions.readonly scope), so the importer cannot check that none of "
        "these payments is there already. Nothing was sent. Tick that scope for the token in "
        "HighLevel (Settings > Private Integrations), or run again with --no-highlevel-check "
        "to rely on this computer's journal alone."
    )


# --- Rows against what is held ----------------------------------------------------------------


def row(number: int, cheque: str) -> Checked:
    """A cheque of 400.00 on 3 November 2026 for invoice inv1, cleared to send."""
    payment = Payment(
        source=SourceRow("Sheet1", number, ()),
        invoice=InvoiceRef("id", "inv1"),
        amount=Decimal("400.00"),
        paid_on=DAY,
        mode="cheque",
        cheque=Cheque(number=cheque),
        notes=f"row {number}",
    )
    return Checked(payment, INVOICE, None)


INVOICE = Invoice.model_validate(
    {"_id": "inv1", "invoiceNumber": "1028", "invoiceNumberPrefix": "INV-", "status":
     "partially_paid", "total": 1000, "amountPaid": 400}
)  # fmt: skip


def never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request was expected: {request.url}")


def test_one_payment_held_answers_for_one_row_only() -> None:
    """Two cheques of 400.00 that both look like the one payment HighLevel holds (typed in
    without its number): the first row is the duplicate, the second is checked as usual and
    goes ahead; no request is spent."""
    typed = held(**cheque(None), createdAt="2026-11-29T10:04:31.000Z")
    holdings = Holdings({"inv1": [typed]}, 1, "invoice by invoice, 1 invoice with payments")

    async def go() -> dict[Place, tuple[str, str]]:
        async with HighLevelClient(
            base_url="https://api.test",
            token=SecretStr("pit-x"),
            location_id="loc1",
            transport=httpx.MockTransport(never_called),
        ) as client:
            found = await held_already(client, [row(2, "001234"), row(3, "001235")], {}, holdings)
        assert found.requests == 0
        return {n: (o.status, o.message) for n, o in found.outcomes.items()}

    assert asyncio.run(go()) == {
        Place(2, 1): (
            "duplicate",
            "HighLevel already holds a cheque payment of 400.00, on INV-1028, dated 2026-11-03, "
            "recorded 2026-11-29 10:04: if this is a second real payment, put yes in its Allow "
            "duplicate cell or run with --allow-duplicates.",
        )
    }
