"""Answers no API gives end in a row's outcome or one line, never a traceback: a body that
would not unpack (httpx's DecodingError escaped the sender), an invoice or a page not shaped
as the spec says (pydantic's ValidationError escaped the client)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.errors import RunStopped
from tests.test_submit import FakeApi, payment, run_submit, statuses


class UndecodableFirstAnswer(FakeApi):
    """Invoice a1's first payment is applied, and its answer is a gzip body that is not gzip."""

    spoiled = False

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        response = await super().__call__(request)
        if request.method == "POST" and "/a1/" in request.url.path and not self.spoiled:
            self.spoiled = True
            garbage = httpx.ByteStream(b"not gzip")  # unpacked only when the client reads it
            return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=garbage)
        return response


def test_an_answer_that_will_not_unpack_is_checked_on_the_invoice() -> None:
    """The payment behind it is found on the invoice, recorded once, the run goes on."""
    api = UndecodableFirstAnswer(["a1", "b2"])
    result = run_submit(api, [payment(2, "a1"), payment(3, "b2")])
    assert statuses(result) == [(2, "recorded"), (3, "recorded")]
    assert (api.posts, len(api.transactions)) == (2, 2)


class MisshapenInvoice(FakeApi):
    """Answers are lost (the payment applied), and the invoice read to check is no invoice."""

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.startswith("/invoices/"):
            return httpx.Response(200, json={"_id": "a1", "total": "lots"})
        return await super().__call__(request)


def test_an_invoice_that_cannot_be_read_leaves_the_payment_unknown_and_stops() -> None:
    """A lost answer, then an invoice not shaped as the spec says: the payment is unknown (for
    the next run to check), the run stops, nothing is sent twice."""
    api = MisshapenInvoice(["a1", "b2"], faults={1: "timeout"})
    result = run_submit(api, [payment(2, "a1"), payment(3, "b2")])
    assert statuses(result)[0] == (2, "unknown")
    assert result.stopped is not None
    assert str(result.stopped) == (
        "The API's answer to /invoices/a1 is not shaped as the API describes it (2 fields "
        "cannot be read). Check HIGHLEVEL_API_URL, or try again later."
    )
    assert len(api.transactions) == api.posts


@pytest.mark.parametrize(
    ("path", "body", "read"),
    [
        ("/invoices/a1", {"_id": "a1", "total": "lots"}, "get_invoice"),
        ("/invoices/", {"invoices": "none", "total": 1}, "list_invoices"),
        ("/payments/transactions", {"data": [{"amount": "x"}]}, "list_transactions"),
    ],
)
def test_every_read_not_shaped_as_the_spec_says_stops_in_one_line(
    path: str, body: object, read: str
) -> None:
    """An answer that is JSON but not what the spec describes is RunStopped, never a
    ValidationError with the server's text in it."""

    async def go() -> None:
        async with HighLevelClient(
            base_url="https://api.test",
            token=SecretStr("pit-test"),
            location_id="loc1",
            transport=httpx.MockTransport(lambda _request: httpx.Response(200, json=body)),
        ) as client:
            if read == "get_invoice":
                await client.get_invoice("a1")
            elif read == "list_invoices":
                await client.list_invoices(limit=10, offset=0)
            else:
                await client.list_transactions(entity_id="a1")

    with pytest.raises(RunStopped) as stopped:
        asyncio.run(go())
    assert str(stopped.value).startswith(f"The API's answer to {path} is not shaped as the API")
