"""The API client against the spec, over httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient, InvalidInvoiceId
from importer.api.models import Card, RecordPaymentRequest
from importer.api.throttle import Throttle
from importer.errors import AuthenticationError, DailyLimitReached, MissingScope, RunStopped
from tests.clocks import ManualClock

TOKEN = "pit-0123456789-secret"
INVOICE = {
    "_id": "6578278e879ad2646715ba9c",
    "invoiceNumber": "1042",
    "status": "sent",
    "currency": "USD",
    "total": 999,
    "amountPaid": 0,
    "amountDue": 999,
    "liveMode": True,
}


def client_for(handler: Any, clock: ManualClock | None = None) -> HighLevelClient:
    """A client over a mock transport whose throttle waits on a manual clock."""
    return HighLevelClient(
        base_url="https://api.test",
        token=SecretStr(TOKEN),
        location_id="loc123",
        transport=httpx.MockTransport(handler),
        clock=clock or ManualClock(),
    )


def test_record_payment_sends_spec_headers_and_body() -> None:
    """record-payment carries the bearer token, the Version header and altId/altType in the body."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True, "invoice": INVOICE})

    payment = RecordPaymentRequest(
        alt_id="loc123",
        alt_type="location",
        mode="card",
        amount=Decimal("12.50"),
        notes="Visa",
        card=Card(brand="Visa", last4="0042"),
        fulfilled_at="2026-10-03T12:00:00.000Z",
    )

    async def go() -> httpx.Response:
        async with client_for(handler) as client:
            return await client.record_payment("6578278e879ad2646715ba9c", payment)

    response = asyncio.run(go())
    assert response.status_code == 200
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/invoices/6578278e879ad2646715ba9c/record-payment"
    assert request.url.query == b""
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Version"] == "2021-07-28"
    assert json.loads(request.content) == {
        "altId": "loc123",
        "altType": "location",
        "mode": "card",
        "amount": 12.5,
        "notes": "Visa",
        "card": {"brand": "Visa", "last4": "0042"},
        "fulfilledAt": "2026-10-03T12:00:00.000Z",
    }


def test_reads_put_alt_id_and_type_in_the_query() -> None:
    """GET invoice, list invoices and list transactions pass altId/altType as query params."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/invoices/":
            return httpx.Response(200, json={"invoices": [INVOICE], "total": 1})
        if request.url.path == "/payments/transactions":
            return httpx.Response(200, json={"data": [], "totalCount": 0})
        return httpx.Response(200, json=INVOICE)

    async def go() -> None:
        async with client_for(handler) as client:
            invoice = await client.get_invoice("6578278e879ad2646715ba9c")
            assert invoice is not None
            assert invoice.invoice_number == "1042"
            assert invoice.amount_due == Decimal(999)
            page = await client.list_invoices(limit=100, offset=200)
            assert page.total == 1
            transactions = await client.list_transactions(entity_id="6578278e879ad2646715ba9c")
            assert transactions.total_count == 0
            assert client.requests_sent == 3

    asyncio.run(go())
    params = [dict(request.url.params) for request in seen]
    assert params[0] == {"altId": "loc123", "altType": "location"}
    assert params[1] == {"altId": "loc123", "altType": "location", "limit": "100", "offset": "200"}
    assert params[2]["entityId"] == "6578278e879ad2646715ba9c"
    assert params[2]["altId"] == "loc123"


def test_invoice_number_sent_as_a_number_is_read_as_text() -> None:
    """The spec types invoiceNumber as a number; we keep it as text either way."""
    body = {**INVOICE, "invoiceNumber": 19}

    async def go() -> str | None:
        async with client_for(lambda _r: httpx.Response(200, json=body)) as client:
            invoice = await client.get_invoice("abc123")
            assert invoice is not None
            return invoice.invoice_number

    assert asyncio.run(go()) == "19"


@pytest.mark.parametrize("invoice_id", ["../admin", "abc/def", "abc?x=1", "", "ab cd", "ab%2F"])
def test_unsafe_invoice_id_never_reaches_a_url(invoice_id: str) -> None:
    """An invoice id with anything but letters and digits is refused before any request."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=INVOICE)

    async def go() -> None:
        async with client_for(handler) as client:
            await client.get_invoice(invoice_id)

    with pytest.raises(InvalidInvoiceId):
        asyncio.run(go())
    assert calls == []


def test_401_stops_the_run_without_the_token_in_the_message() -> None:
    """A refused token raises AuthenticationError whose message never holds the token."""
    body = {"statusCode": 401, "message": "Invalid token", "error": "Unauthorized"}

    async def go() -> None:
        async with client_for(lambda _r: httpx.Response(401, json=body)) as client:
            await client.list_invoices(limit=100, offset=0)

    with pytest.raises(AuthenticationError) as caught:
        asyncio.run(go())
    assert "Invalid token" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_token_is_not_in_the_client_repr() -> None:
    """The client's repr names the API and location but not the token."""
    client = client_for(lambda _r: httpx.Response(200))
    assert TOKEN not in repr(client)
    assert "loc123" in repr(client)
    asyncio.run(client.aclose())


def test_reads_wait_out_a_429_then_succeed() -> None:
    """A 429 on a read waits four request slots of the announced budget and tries again."""
    answers = [
        httpx.Response(429, headers={"X-RateLimit-Interval-Milliseconds": "10000"}, json={}),
        httpx.Response(200, json={"invoices": [], "total": 0}),
    ]
    clock = ManualClock()

    async def go() -> int:
        async with client_for(lambda _r: answers.pop(0), clock) as client:
            return (await client.list_invoices(limit=100, offset=0)).total

    assert asyncio.run(go()) == 0
    assert clock.slept == [0.4]


def test_daily_budget_spent_stops_the_run() -> None:
    """A 429 with no daily requests left raises DailyLimitReached at once."""
    spent = httpx.Response(429, headers={"X-RateLimit-Daily-Remaining": "0"}, json={})

    async def go() -> None:
        async with client_for(lambda _r: spent) as client:
            await client.list_invoices(limit=100, offset=0)

    with pytest.raises(DailyLimitReached):
        asyncio.run(go())


def test_the_client_waits_and_dates_by_its_one_clock() -> None:
    """The client's clock is its throttle's (a 429 is waited out on it), and says when the
    spent daily budget is renewed."""
    answers = [
        httpx.Response(429, headers={"X-RateLimit-Interval-Milliseconds": "10000"}, json={}),
        httpx.Response(
            429,
            headers={"X-RateLimit-Daily-Remaining": "0", "X-RateLimit-Limit-Daily": "200000"},
            json={},
        ),
    ]
    clock = ManualClock(datetime(2026, 11, 30, 17, 45, tzinfo=UTC))

    async def go() -> None:
        async with client_for(lambda _r: answers.pop(0), clock) as client:
            await client.list_invoices(limit=100, offset=0)

    with pytest.raises(DailyLimitReached) as caught:
        asyncio.run(go())
    assert clock.slept == [0.4]
    assert str(caught.value) == (
        "The location's daily API budget of 200,000 requests is spent; HighLevel renews it "
        "within 24 hours. Run the same command again after 2026-12-01 17:45 UTC: payments "
        "already recorded will be skipped."
    )


def test_a_read_that_keeps_failing_stops_the_run() -> None:
    """Eight server errors in a row on a read stop the run with the API's status."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500, json={"message": "boom"})

    async def go() -> None:
        async with client_for(handler) as client:
            await client.list_invoices(limit=100, offset=0)

    with pytest.raises(RunStopped) as caught:
        asyncio.run(go())
    assert str(caught.value) == "The API answered 500 to /invoices/: boom"
    assert len(seen) == 8


def test_every_request_waits_its_turn_at_one_throttle() -> None:
    """Lookups, reads, transactions, payments and probes all pass the same throttle."""
    turns: list[str] = []
    seen: list[str] = []

    class Counting(Throttle):
        async def wait_turn(self) -> None:
            turns.append("turn")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/invoices/":
            return httpx.Response(200, json={"invoices": [], "total": 0})
        if request.url.path == "/payments/transactions":
            return httpx.Response(200, json={"data": [], "totalCount": 0})
        if request.method == "POST":
            return httpx.Response(200, json={"success": True, "invoice": INVOICE})
        return httpx.Response(200, json=INVOICE)

    payment = RecordPaymentRequest(
        alt_id="loc123", alt_type="location", mode="cash", amount=Decimal(1), notes="n"
    )

    async def go() -> None:
        async with HighLevelClient(
            base_url="https://api.test",
            token=SecretStr(TOKEN),
            location_id="loc123",
            transport=httpx.MockTransport(handler),
            throttle=Counting(),
        ) as client:
            await client.list_invoices(limit=100, offset=0)
            await client.get_invoice("abc123")
            await client.list_transactions(entity_id="abc123")
            await client.record_payment("abc123", payment)
            await client.probe("GET", "/invoices/abc123")

    asyncio.run(go())
    assert len(seen) == 5
    assert len(turns) == 5


@pytest.mark.parametrize(
    ("status", "body", "raised"),
    [
        (401, {"statusCode": 401, "message": "The token is not authorized for this scope.",
               "error": "Unauthorized"}, MissingScope),
        (401, {"statusCode": 401, "message": "Invalid token: access token is invalid",
               "error": "Unauthorized"}, AuthenticationError),
        (403, {"statusCode": 403, "message": "The token does not have access to this location.",
               "error": "Forbidden"}, AuthenticationError),
        (200, {"data": "not a list", "totalCount": 1}, RunStopped),
        (200, {"data": [{"amount": 5}], "totalCount": 1}, RunStopped),
    ],
)  # fmt: skip
def test_a_read_of_transactions_that_cannot_go_on_raises_what_the_caller_acts_on(
    status: int, body: dict[str, Any], raised: type[Exception]
) -> None:
    """A missing scope is told apart from a refused token (only it can be worked around); an
    answer of the wrong shape is read again, then stops the run, never a traceback."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(status, json=body)

    async def go() -> None:
        async with client_for(handler) as client:
            await client.list_transactions(entity_id="inv1")

    with pytest.raises(raised) as stopped:
        asyncio.run(go())
    assert type(stopped.value) is raised
    assert len(calls) == (8 if status == 200 else 1)
    if status == 200:
        assert re.fullmatch(
            r"The API's answer to /payments/transactions is not shaped as the API describes it "
            r"\(\d fields? cannot be read\)\. Check HIGHLEVEL_API_URL, or try again later\.",
            str(stopped.value),
        )
