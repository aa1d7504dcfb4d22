"""The sandbox, held to the spec over real HTTP with plain httpx, plus its rate limiter."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from importer.sandbox import (
    DEFAULT_TOKEN,
    Fault,
    FaultPlan,
    InvoiceNotFound,
    RequestSummary,
    RunningSandbox,
    Sandbox,
    SeedError,
    parse_rate_limit,
    running_sandbox,
)
from importer.sandbox.ratelimit import RateLimit, RateLimiter, Usage

LOCATION = "ve9EPM428h8vShlRW1KT"
NOW = datetime(2025, 3, 19, 5, 3, 0, 123000, tzinfo=UTC)
STAMP = "2025-03-19T05:03:00.123Z"

OPEN_ID = "6578278e879ad2646715b001"
PART_ID = "6578278e879ad2646715b002"
DRAFT_ID = "6578278e879ad2646715b003"
VOID_ID = "6578278e879ad2646715b004"
PAID_ID = "6578278e879ad2646715b005"

MODE_MESSAGE = "mode must be one of the following values: cash, card, cheque, bank_transfer, other"

RATE_HEADERS = (
    "X-RateLimit-Max",
    "X-RateLimit-Remaining",
    "X-RateLimit-Interval-Milliseconds",
    "X-RateLimit-Limit-Daily",
    "X-RateLimit-Daily-Remaining",
)

# Every field DefaultInvoiceResponseDto marks required, plus GetInvoiceResponseDto's totalSummary.
REQUIRED_INVOICE_FIELDS = {
    "_id",
    "status",
    "liveMode",
    "amountPaid",
    "altId",
    "altType",
    "name",
    "businessDetails",
    "invoiceNumber",
    "currency",
    "contactDetails",
    "issueDate",
    "dueDate",
    "invoiceItems",
    "total",
    "title",
    "amountDue",
    "createdAt",
    "updatedAt",
    "totalSummary",
}


def make_seed() -> dict[str, Any]:
    """Five invoices, one per status that matters to recording a payment."""
    contact = {"id": "XPLSw2SVagl12LMDeTmQ", "name": "Ada Lovelace", "email": "ada@example.com"}
    return {
        "locationId": LOCATION,
        "invoices": [
            {
                "_id": OPEN_ID,
                "invoiceNumber": "INV-1001",
                "total": 100,
                "currency": "EUR",
                "contactDetails": contact,
            },
            {"_id": PART_ID, "invoiceNumber": "1002", "total": 250.5, "amountPaid": 50.25},
            {"_id": DRAFT_ID, "invoiceNumber": "1003", "total": 40, "status": "draft"},
            {"_id": VOID_ID, "invoiceNumber": "1004", "total": 40, "status": "void"},
            {
                "_id": PAID_ID,
                "invoiceNumber": "1005",
                "total": 40,
                "amountPaid": 40,
                "status": "paid",
            },
        ],
    }


def payment(**changes: Any) -> dict[str, Any]:
    """A valid RecordPaymentDto body for a cash payment, with some fields changed or removed."""
    body: dict[str, Any] = {
        "altId": LOCATION,
        "altType": "location",
        "mode": "cash",
        "amount": 40,
        "notes": "Paid at the front desk",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def location_query(**extra: str) -> dict[str, str]:
    return {"altId": LOCATION, "altType": "location", **extra}


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# One TLS context for every client: httpx builds a fresh one per client otherwise (about 20 ms
# each, which adds up over this file), and these clients only speak plain HTTP to loopback.
TLS = ssl.create_default_context()


def connect(
    running: RunningSandbox, *, token: str | None = None, version: str | None = None
) -> httpx.Client:
    """A plain httpx client for a running sandbox, sending the given token and Version."""
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["Version"] = version
    return httpx.Client(base_url=running.url, headers=headers, verify=TLS)


def connect_as_importer(running: RunningSandbox) -> httpx.Client:
    """A client sending the sandbox's token and the Version the spec requires."""
    return connect(running, token=running.token, version="2021-07-28")


@pytest.fixture
def running() -> Iterator[RunningSandbox]:
    with running_sandbox(make_seed(), now=lambda: NOW) as handle:
        yield handle


@pytest.fixture
def client(running: RunningSandbox) -> Iterator[httpx.Client]:
    with connect_as_importer(running) as http:
        yield http


def record(client: httpx.Client, invoice_id: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(f"/invoices/{invoice_id}/record-payment", json=body)


# --- seed ---------------------------------------------------------------------------------


def test_seed_fills_every_required_field_with_defaults() -> None:
    """An invoice seeded with only a total gets every field the spec requires, with defaults."""
    sandbox = Sandbox({"locationId": LOCATION, "invoices": [{"total": 99.9}]}, now=lambda: NOW)

    [invoice] = sandbox.invoices()

    assert invoice == {
        "_id": invoice["_id"],
        "status": "sent",
        "liveMode": True,
        "amountPaid": 0,
        "altId": LOCATION,
        "altType": "location",
        "name": "Invoice INV-1001",
        "businessDetails": {"name": "Sandbox Business"},
        "invoiceNumber": "1001",
        "invoiceNumberPrefix": "INV-",
        "currency": "USD",
        "contactDetails": {"id": invoice["contactDetails"]["id"], "name": "Sandbox Contact"},
        "issueDate": "2025-03-19",
        "dueDate": "2025-04-18",
        "discount": {"type": "percentage", "value": 0},
        "invoiceItems": [],
        "total": 99.9,
        "title": "INVOICE",
        "amountDue": 99.9,
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "totalSummary": {"subTotal": 99.9, "discount": 0, "tax": 0},
    }
    assert len(invoice["_id"]) == 24
    assert int(invoice["_id"], 16) >= 0
    assert len(invoice["contactDetails"]["id"]) == 20


def test_seed_derives_amount_due_and_keeps_invoice_number_as_text() -> None:
    """amountDue is total - amountPaid in cents, and "INV-1001" becomes "1001" plus its prefix."""
    seed = {
        "locationId": LOCATION,
        "invoices": [
            {"invoiceNumber": "INV-1001", "total": 100.3, "amountPaid": 0.1, "amountDue": 5},
            {"invoiceNumber": 7, "total": 10},
            {"invoiceNumber": "ACME/2024/0042", "total": 10},
            {"total": 10},
        ],
    }

    invoices = Sandbox(seed).invoices()

    assert [(i["invoiceNumberPrefix"], i["invoiceNumber"]) for i in invoices] == [
        ("INV-", "1001"),
        ("INV-", "7"),
        ("ACME/2024/", "0042"),
        ("INV-", "1002"),
    ]
    assert [(i["total"], i["amountPaid"], i["amountDue"]) for i in invoices] == [
        (100.3, 0.1, 100.2),
        (10, 0, 10),
        (10, 0, 10),
        (10, 0, 10),
    ]


def test_seed_is_read_from_a_json_file(tmp_path: Path) -> None:
    """A seed given as a path is read as JSON."""
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(make_seed()), encoding="utf-8")

    sandbox = Sandbox(path)

    assert sandbox.location_id == LOCATION
    assert [i["_id"] for i in sandbox.invoices()] == [OPEN_ID, PART_ID, DRAFT_ID, VOID_ID, PAID_ID]


def test_generated_ids_are_stable_across_restarts() -> None:
    """Two sandboxes from the same seed give an invoice without _id the same id."""
    seed = {"locationId": LOCATION, "invoices": [{"total": 1}]}

    assert Sandbox(seed).invoices()[0]["_id"] == Sandbox(seed).invoices()[0]["_id"]


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ({"invoices": []}, 'The sandbox seed needs a "locationId"'),
        (
            {"locationId": LOCATION, "invoices": {}},
            'The sandbox seed\'s "invoices" must be a list',
        ),
        (
            {"locationId": LOCATION, "invoices": [{"_id": "x", "total": 5, "amountPaid": 6}]},
            "Seed invoice 1 (x): amountPaid 6 is more than the total 5.",
        ),
        (
            {"locationId": LOCATION, "invoices": [{"_id": "x", "status": "open"}]},
            "Seed invoice 1 (x): status 'open' is not one of",
        ),
        (
            {"locationId": LOCATION, "invoices": [{"_id": "x", "altId": "elsewhere"}]},
            "Seed invoice 1 (x): altId 'elsewhere' differs from the seed's locationId",
        ),
        (
            {"locationId": LOCATION, "invoices": [{"_id": "x"}, {"_id": "x"}]},
            "Seed invoice 2: _id x is repeated.",
        ),
        (
            {"locationId": LOCATION, "invoices": [{"_id": "x", "total": "lots"}]},
            "Seed invoice 1 (x): total must be a number, not 'lots'.",
        ),
    ],
)
def test_seed_problems_are_refused_with_a_message(seed: dict[str, Any], message: str) -> None:
    """A seed that cannot become invoices raises SeedError naming the invoice and field."""
    with pytest.raises(SeedError) as caught:
        Sandbox(seed)

    assert str(caught.value).startswith(message)


def test_invoice_returns_a_copy() -> None:
    """Changing what Sandbox.invoice returned leaves the sandbox's invoice as it was."""
    sandbox = Sandbox(make_seed())

    sandbox.invoice(OPEN_ID)["amountPaid"] = 99

    assert sandbox.invoice(OPEN_ID)["amountPaid"] == 0
    with pytest.raises(InvoiceNotFound):
        sandbox.invoice("0" * 24)


# --- record-payment -----------------------------------------------------------------------


def test_payments_move_an_invoice_to_partially_paid_then_paid(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A part payment makes the invoice partially_paid; paying the rest makes it paid."""
    first = record(client, OPEN_ID, payment(amount=33.33))
    second = record(client, OPEN_ID, payment(amount=66.67))

    assert (first.status_code, second.status_code) == (200, 200)
    assert [
        (r.json()["invoice"]["status"], r.json()["invoice"]["amountPaid"]) for r in (first, second)
    ] == [("partially_paid", 33.33), ("paid", 100)]
    assert [r.json()["invoice"]["amountDue"] for r in (first, second)] == [66.67, 0]
    assert running.sandbox.invoice(OPEN_ID)["status"] == "paid"


def test_payment_answer_is_success_and_the_whole_updated_invoice(client: httpx.Client) -> None:
    """A recorded payment answers 200 {"success": true, "invoice": ...} with every field."""
    response = record(client, PART_ID, payment(amount=0.25))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "invoice"}
    assert body["success"] is True
    assert set(body["invoice"]) >= REQUIRED_INVOICE_FIELDS
    assert body["invoice"] | {"updatedAt": None} == client.get(
        f"/invoices/{PART_ID}", params=location_query()
    ).json() | {"updatedAt": None}
    assert (body["invoice"]["amountPaid"], body["invoice"]["amountDue"]) == (50.5, 200)


def test_float_amounts_add_up_to_exact_cents(client: httpx.Client) -> None:
    """Paying 0.1 then 0.2 leaves exactly 0.3 paid and 99.7 due, with no float dust."""
    record(client, OPEN_ID, payment(amount=0.1))
    response = record(client, OPEN_ID, payment(amount=0.2))

    assert (response.json()["invoice"]["amountPaid"], response.json()["invoice"]["amountDue"]) == (
        0.3,
        99.7,
    )


def test_alt_type_account_is_accepted(client: httpx.Client) -> None:
    """A white-label client sending altType "account" records its payment."""
    response = record(client, OPEN_ID, payment(altType="account"))

    assert response.status_code == 200
    assert response.json()["invoice"]["amountPaid"] == 40


def test_card_and_cheque_are_needed_only_for_their_own_mode(client: httpx.Client) -> None:
    """Cash and bank transfers go through without card or cheque; card and cheque carry theirs."""
    bodies = [
        payment(mode="cash"),
        payment(mode="bank_transfer", amount=1),
        payment(mode="other", amount=1),
        payment(mode="card", amount=1, card={"brand": "visa", "last4": "4242"}),
        payment(mode="cheque", amount=1, cheque={"number": "129-129"}),
    ]

    assert [record(client, OPEN_ID, body).status_code for body in bodies] == [200] * 5


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        (payment(notes=None), ["notes must be a string"]),
        (payment(notes="  "), ["notes should not be empty"]),
        (payment(mode="card"), ["card is required when mode is card"]),
        (
            payment(mode="card", card={"brand": "visa"}),
            ["card.last4 must be a string"],
        ),
        (payment(mode="cheque"), ["cheque is required when mode is cheque"]),
        (payment(amount=-5), ["amount must be a positive number"]),
        (payment(amount=0), ["amount must be a positive number"]),
        (
            payment(amount="40"),
            ["amount must be a number conforming to the specified constraints"],
        ),
        (
            payment(mode="crypto"),
            [MODE_MESSAGE],
        ),
        (
            payment(altType="company"),
            ["altType must be one of the following values: location, account"],
        ),
        (
            payment(fulfilledAt="19/03/2025"),
            ["fulfilledAt must be a valid ISO 8601 date-time string"],
        ),
        (
            payment(fulfilledAt="2025-03-19"),
            ["fulfilledAt must be a valid ISO 8601 date-time string"],
        ),
        (payment(meta="row 14"), ["meta must be an object"]),
        (
            payment(paymentScheduleIds=[1]),
            ["each value in paymentScheduleIds must be a string"],
        ),
        (
            {},
            [
                "altId must be a string",
                "altType must be one of the following values: location, account",
                MODE_MESSAGE,
                "notes must be a string",
                "amount must be a number conforming to the specified constraints",
            ],
        ),
    ],
)
def test_body_breaking_the_schema_is_422_with_every_message(
    client: httpx.Client, running: RunningSandbox, body: dict[str, Any], messages: list[str]
) -> None:
    """A body that breaks RecordPaymentDto gets 422 listing every broken rule; nothing changes."""
    response = record(client, OPEN_ID, body)

    assert (response.status_code, response.json()) == (
        422,
        {"statusCode": 422, "message": messages, "error": "Unprocessable Entity"},
    )
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 0
    assert running.sandbox.transactions() == []


def test_body_that_is_not_json_is_400(client: httpx.Client) -> None:
    """A body that does not parse as JSON gets 400 with a plain message, in the shape NestJS
    gives body-parser's refusals (no "error" field)."""
    response = client.post(
        f"/invoices/{OPEN_ID}/record-payment",
        content=b"{amount: 40",
        headers={"Content-Type": "application/json"},
    )

    assert (response.status_code, response.json()) == (
        400,
        {"statusCode": 400, "message": "The request body is not valid JSON"},
    )


def test_empty_body_is_checked_as_an_empty_object(client: httpx.Client) -> None:
    """A POST with no body at all gets the 422 an empty JSON object gets."""
    empty = client.post(f"/invoices/{OPEN_ID}/record-payment", content=b"")
    braces = record(client, OPEN_ID, {})

    assert empty.status_code == 422
    assert empty.json() == braces.json()


@pytest.mark.parametrize(
    ("invoice_id", "amount", "message"),
    [
        (DRAFT_ID, 10, "Cannot record payment on a draft invoice"),
        (VOID_ID, 10, "Cannot record payment on a void invoice"),
        (PAID_ID, 10, "Cannot record payment on a paid invoice"),
        (
            PART_ID,
            200.26,
            "Payment amount 200.26 is more than the amount due 200.25 on this invoice",
        ),
    ],
)
def test_refused_payment_is_400_and_changes_nothing(
    client: httpx.Client,
    running: RunningSandbox,
    invoice_id: str,
    amount: float,
    message: str,
) -> None:
    """Draft, void and paid invoices, and amounts above amountDue, get 400 with plain words."""
    before = running.sandbox.invoice(invoice_id)

    response = record(client, invoice_id, payment(amount=amount))

    assert (response.status_code, response.json()) == (400, {"statusCode": 400, "message": message})
    assert running.sandbox.invoice(invoice_id) == before
    assert running.sandbox.transactions() == []


def test_paying_exactly_the_amount_due_is_accepted(client: httpx.Client) -> None:
    """An amount equal to amountDue pays the invoice off."""
    response = record(client, PART_ID, payment(amount=200.25))

    assert response.json()["invoice"]["status"] == "paid"
    assert response.json()["invoice"]["amountDue"] == 0


def test_unknown_invoice_is_404(client: httpx.Client) -> None:
    """Paying or reading an invoice id the sandbox does not hold gets 404 "Invoice not found"."""
    unknown = "0123456789abcdef01234567"

    answers = [
        record(client, unknown, payment()),
        client.get(f"/invoices/{unknown}", params=location_query()),
    ]

    assert [(r.status_code, r.json()) for r in answers] == [
        (404, {"statusCode": 404, "message": "Invoice not found"})
    ] * 2


def test_another_location_is_403(client: httpx.Client) -> None:
    """A request naming another location's altId gets 403, in the body or in the query."""
    forbidden = {
        "statusCode": 403,
        "message": "The token does not have access to this location.",
        "error": "Forbidden",
    }
    other = {"altId": "someOtherLocation", "altType": "location"}

    answers = [
        record(client, OPEN_ID, payment(altId="someOtherLocation")),
        client.get(f"/invoices/{OPEN_ID}", params=other),
        client.get("/invoices/", params={**other, "limit": "10", "offset": "0"}),
        client.get("/payments/transactions", params=other),
    ]

    assert [(r.status_code, r.json()) for r in answers] == [(403, forbidden)] * 4


# --- auth, version, unknown routes ---------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {DEFAULT_TOKEN}", DEFAULT_TOKEN, "Bearer"],
)
def test_missing_or_wrong_token_is_401(running: RunningSandbox, authorization: str | None) -> None:
    """Without "Bearer <the sandbox token>" every call gets 401 and nothing is recorded."""
    with connect(running, version="2021-07-28") as http:
        if authorization is not None:
            http.headers["Authorization"] = authorization
        response = record(http, OPEN_ID, payment())

    assert (response.status_code, response.json()) == (
        401,
        {
            "statusCode": 401,
            "message": "Invalid token: access token is invalid",
            "error": "Unauthorized",
        },
    )
    assert running.sandbox.transactions() == []


def test_custom_token_is_required() -> None:
    """A sandbox started with its own token accepts that token and refuses the default one."""
    with running_sandbox(make_seed(), token="pit-rehearsal") as running:
        answers = []
        for token in ("pit-rehearsal", DEFAULT_TOKEN):
            with connect(running, token=token, version="2021-07-28") as http:
                answers.append(
                    http.get(f"/invoices/{OPEN_ID}", params=location_query()).status_code
                )

    assert answers == [200, 401]


@pytest.mark.parametrize("version", [None, "2021-04-15"])
def test_missing_or_wrong_version_is_400(running: RunningSandbox, version: str | None) -> None:
    """A call without "Version: 2021-07-28" gets 400 saying which header to send."""
    with connect(running, token=running.token, version=version) as http:
        response = http.get(f"/invoices/{OPEN_ID}", params=location_query())

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "message": "The Version header is missing or not supported; send Version: 2021-07-28",
            "error": "Bad Request",
        },
    )


def test_unknown_route_is_a_json_404(client: httpx.Client) -> None:
    """A path or method the API does not have gets a JSON 404 naming it, as NestJS answers."""
    answers = [client.get("/contacts/"), client.get(f"/invoices/{OPEN_ID}/record-payment")]

    assert [(r.status_code, r.json()) for r in answers] == [
        (404, {"statusCode": 404, "message": "Cannot GET /contacts/", "error": "Not Found"}),
        (
            404,
            {
                "statusCode": 404,
                "message": f"Cannot GET /invoices/{OPEN_ID}/record-payment",
                "error": "Not Found",
            },
        ),
    ]


# --- reading invoices ----------------------------------------------------------------------


def test_get_invoice_returns_the_invoice_itself(client: httpx.Client) -> None:
    """GET /invoices/{id} answers the invoice object, with totalSummary."""
    response = client.get(f"/invoices/{OPEN_ID}", params=location_query())

    assert response.status_code == 200
    invoice = response.json()
    assert set(invoice) >= REQUIRED_INVOICE_FIELDS
    assert (invoice["_id"], invoice["invoiceNumber"], invoice["currency"]) == (
        OPEN_ID,
        "1001",
        "EUR",
    )
    assert invoice["totalSummary"] == {"subTotal": 100, "discount": 0, "tax": 0}


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        (
            {},
            [
                "altId must be a string",
                "altType must be one of the following values: location, account",
            ],
        ),
        ({"altType": "location"}, ["altId must be a string"]),
        (
            {"altId": LOCATION},
            ["altType must be one of the following values: location, account"],
        ),
    ],
)
def test_get_invoice_needs_alt_id_and_alt_type(
    client: httpx.Client, params: dict[str, str], messages: list[str]
) -> None:
    """GET /invoices/{id} without altId or altType in the query gets 422."""
    response = client.get(f"/invoices/{OPEN_ID}", params=params)

    assert (response.status_code, response.json()) == (
        422,
        {"statusCode": 422, "message": messages, "error": "Unprocessable Entity"},
    )


def test_list_pages_through_invoices_in_seed_order(client: httpx.Client) -> None:
    """limit and offset slice the invoices in seed order, and total counts them all."""
    pages = [
        client.get("/invoices/", params=location_query(limit="2", offset=offset)).json()
        for offset in ("0", "2", "4", "6")
    ]

    assert [[i["_id"] for i in page["invoices"]] for page in pages] == [
        [OPEN_ID, PART_ID],
        [DRAFT_ID, VOID_ID],
        [PAID_ID],
        [],
    ]
    assert [page["total"] for page in pages] == [5, 5, 5, 5]


def test_list_without_trailing_slash_is_served_too(client: httpx.Client) -> None:
    """GET /invoices answers like GET /invoices/, with no redirect."""
    response = client.get("/invoices", params=location_query(limit="1", offset="0"))

    assert response.status_code == 200
    assert response.json()["total"] == 5


def test_list_filters_by_status(client: httpx.Client) -> None:
    """The status filter keeps only invoices with that status, and total counts only those."""
    response = client.get(
        "/invoices/", params=location_query(limit="10", offset="0", status="sent")
    )

    assert [i["_id"] for i in response.json()["invoices"]] == [OPEN_ID, PART_ID]
    assert response.json()["total"] == 2


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        ({"offset": "0"}, ["limit must be a number string"]),
        ({"limit": "10"}, ["offset must be a number string"]),
        (
            {"limit": "ten", "offset": "-1"},
            ["limit must be a number string", "offset must be a number string"],
        ),
        ({"limit": "101", "offset": "0"}, ["limit must not be greater than 100"]),
        ({"limit": "0", "offset": "0"}, ["limit must not be less than 1"]),
    ],
)
def test_list_needs_numeric_limit_and_offset(
    client: httpx.Client, params: dict[str, str], messages: list[str]
) -> None:
    """limit and offset are required digit strings, and limit is at most 100."""
    response = client.get("/invoices/", params=location_query(**params))

    assert (response.status_code, response.json()) == (
        422,
        {"statusCode": 422, "message": messages, "error": "Unprocessable Entity"},
    )


def test_max_page_size_is_a_setting() -> None:
    """A sandbox built with max_page_size=2 refuses limit=3 and serves limit=2."""
    with (
        running_sandbox(make_seed(), max_page_size=2) as running,
        connect_as_importer(running) as http,
    ):
        answers = [
            http.get("/invoices/", params=location_query(limit=limit, offset="0"))
            for limit in ("3", "2")
        ]

    assert [r.status_code for r in answers] == [422, 200]
    assert answers[0].json()["message"] == ["limit must not be greater than 2"]


# --- transactions --------------------------------------------------------------------------


def test_transactions_list_each_payment_as_sent(client: httpx.Client) -> None:
    """Each recorded payment is one transaction carrying its method as sent; like the real
    list, it leaves out the notes and meta, which the transaction's own answer gives."""
    record(
        client,
        OPEN_ID,
        payment(
            mode="card",
            amount=12.5,
            card={"brand": "visa", "last4": "4242"},
            notes="Row 14",
            meta={"row": 14, "file": "march.xlsx"},
            fulfilledAt="2025-03-18T00:00:00.000Z",
        ),
    )
    record(client, PART_ID, payment(mode="cheque", amount=1, cheque={"number": "129-129"}))
    record(client, OPEN_ID, payment(amount=2, altType="account"))

    everything = client.get("/payments/transactions", params=location_query()).json()
    for_open = client.get("/payments/transactions", params=location_query(entityId=OPEN_ID)).json()

    assert everything["totalCount"] == 3
    assert [t["paymentMethod"] for t in everything["data"]] == [
        {"mode": "card", "card": {"brand": "visa", "last4": "4242"}},
        {"mode": "cheque", "cheque": {"number": "129-129"}},
        {"mode": "cash"},
    ]
    assert for_open["totalCount"] == 2
    first = for_open["data"][0]
    assert first == {
        "_id": first["_id"],
        "altId": LOCATION,
        "altType": "location",
        "contactId": "XPLSw2SVagl12LMDeTmQ",
        "contactName": "Ada Lovelace",
        "contactEmail": "ada@example.com",
        "currency": "EUR",
        "amount": 12.5,
        "status": "succeeded",
        "liveMode": True,
        "entityType": "invoice",
        "entityId": OPEN_ID,
        "entitySourceType": "invoice",
        "entitySourceName": "Invoice INV-1001",
        "paymentMethod": {"mode": "card", "card": {"brand": "visa", "last4": "4242"}},
        "fulfilledAt": "2025-03-18T00:00:00.000Z",
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "amountRefunded": 0,
    }
    alone = client.get(f"/payments/transactions/{first['_id']}", params=location_query()).json()
    assert alone["meta"] == {"row": 14, "file": "march.xlsx"}
    assert len(first["_id"]) == 24
    assert (for_open["data"][1]["fulfilledAt"], for_open["data"][1]["altType"]) == (
        STAMP,
        "account",
    )


def test_transactions_page_with_limit_and_offset(client: httpx.Client) -> None:
    """Transactions page by limit and offset (default limit 10) and totalCount counts them all."""
    for amount in (1, 2, 3):
        record(client, OPEN_ID, payment(amount=amount))

    page = client.get("/payments/transactions", params=location_query(limit="2", offset="1"))
    default = client.get("/payments/transactions", params=location_query())

    assert [t["amount"] for t in page.json()["data"]] == [2, 3]
    assert page.json()["totalCount"] == 3
    assert [t["amount"] for t in default.json()["data"]] == [1, 2, 3]


def test_transactions_need_alt_id_and_alt_type(client: httpx.Client) -> None:
    """GET /payments/transactions without altId and altType gets 422."""
    response = client.get("/payments/transactions", params={"entityId": OPEN_ID})

    assert (response.status_code, response.json()["message"]) == (
        422,
        [
            "altId must be a string",
            "altType must be one of the following values: location, account",
        ],
    )


# --- rate limits over HTTP -------------------------------------------------------------------


def test_rate_limit_headers_are_on_every_answer(running: RunningSandbox) -> None:
    """200, 400, 401, 403, 404 and 422 answers all carry the five X-RateLimit headers."""
    good = {"Authorization": f"Bearer {running.token}", "Version": "2021-07-28"}
    with connect(running) as http:
        answers = [
            http.get(f"/invoices/{OPEN_ID}", params=location_query(), headers=good),
            http.get(
                f"/invoices/{OPEN_ID}", params=location_query(), headers={"Version": "2021-07-28"}
            ),
            http.get(
                f"/invoices/{OPEN_ID}",
                params=location_query(),
                headers={"Authorization": good["Authorization"]},
            ),
            http.post(f"/invoices/{DRAFT_ID}/record-payment", json=payment(), headers=good),
            http.post(f"/invoices/{OPEN_ID}/record-payment", json=payment(altId="x"), headers=good),
            http.get("/invoices/nope", params=location_query(), headers=good),
            http.get(f"/invoices/{OPEN_ID}", headers=good),
            http.get("/elsewhere", headers=good),
        ]

    assert [r.status_code for r in answers] == [200, 401, 400, 400, 403, 404, 422, 404]
    for response in answers:
        assert all(response.headers.get(name, "").isdigit() for name in RATE_HEADERS), response
    assert [r.headers["X-RateLimit-Remaining"] for r in answers] == [
        "99",
        "99",  # a 401 spends nothing: it cannot be tied to a location
        "98",
        "97",
        "96",
        "95",
        "94",
        "93",
    ]
    assert answers[0].headers["X-RateLimit-Max"] == "100"
    assert answers[0].headers["X-RateLimit-Interval-Milliseconds"] == "10000"
    assert answers[0].headers["X-RateLimit-Limit-Daily"] == "200000"
    assert answers[0].headers["X-RateLimit-Daily-Remaining"] == "199999"


def test_past_the_limit_is_429_until_the_window_slides() -> None:
    """With "3/10s", the fourth call inside 10 s gets 429 and headers saying 0 remain."""
    clock = FakeClock()
    with running_sandbox(make_seed(), rate_limit="3/10s", clock=clock) as running:
        with connect_as_importer(running) as http:

            def read() -> httpx.Response:
                return http.get(f"/invoices/{OPEN_ID}", params=location_query())

            answers = [read() for _ in range(4)]
            refused_payment = record(http, OPEN_ID, payment())
            clock.advance(10)
            after_window = read()

        assert running.sandbox.transactions() == []

    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert answers[3].json() == {"statusCode": 429, "message": "Too many requests"}
    assert "Retry-After" not in answers[3].headers
    assert {name: answers[3].headers[name] for name in RATE_HEADERS} == {
        "X-RateLimit-Max": "3",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Interval-Milliseconds": "10000",
        "X-RateLimit-Limit-Daily": "200000",
        "X-RateLimit-Daily-Remaining": "199997",
    }
    assert refused_payment.status_code == 429
    assert (after_window.status_code, after_window.headers["X-RateLimit-Remaining"]) == (200, "2")


def test_daily_remaining_reaches_zero_and_then_429() -> None:
    """With a daily limit of 2, the second call leaves 0 for the day and the third gets 429."""
    clock = FakeClock()
    with (
        running_sandbox(make_seed(), daily_limit=2, clock=clock) as running,
        connect_as_importer(running) as http,
    ):
        answers = []
        for _ in range(3):
            answers.append(http.get(f"/invoices/{OPEN_ID}", params=location_query()))
            clock.advance(60)  # well apart, so only the daily limit can refuse

    assert [(r.status_code, r.headers["X-RateLimit-Daily-Remaining"]) for r in answers] == [
        (200, "1"),
        (200, "0"),
        (429, "0"),
    ]


def test_rate_limit_off_never_refuses_but_still_sends_headers() -> None:
    """With rate_limit "off", calls are never refused and the headers announce a large max."""
    with (
        running_sandbox(make_seed(), rate_limit="off") as running,
        connect_as_importer(running) as http,
    ):
        answers = [http.get(f"/invoices/{OPEN_ID}", params=location_query()) for _ in range(5)]

    assert [r.status_code for r in answers] == [200] * 5
    assert answers[-1].headers["X-RateLimit-Max"] == "1000000"
    assert answers[-1].headers["X-RateLimit-Remaining"] == "999995"


# --- the rate limiter on its own ----------------------------------------------------------


def test_limiter_window_slides_rather_than_resetting() -> None:
    """Admissions leave the window one by one, interval seconds after each was admitted."""
    clock = FakeClock()
    limiter = RateLimiter(
        RateLimit(max_requests=2, interval_seconds=10), daily_limit=100, clock=clock
    )

    admitted = []
    for step in (0, 6, 3, 1, 6, 0):  # t = 0, 6, 9, 10, 16, 16
        clock.advance(step)
        admitted.append(limiter.admit().admitted)

    # t=9 is refused (0 and 6 in the window); t=10 lets 0 out; t=16 lets 6 out, and the second
    # call at t=16 is refused again.
    assert admitted == [True, True, False, True, True, False]


def test_limiter_refusals_spend_nothing() -> None:
    """A refused request counts against neither the window nor the day."""
    clock = FakeClock()
    limiter = RateLimiter(
        RateLimit(max_requests=1, interval_seconds=10), daily_limit=5, clock=clock
    )

    results = [limiter.admit() for _ in range(4)]

    assert [u.admitted for u in results] == [True, False, False, False]
    assert results[-1] == Usage(
        admitted=False,
        max_requests=1,
        remaining=0,
        interval_milliseconds=10_000,
        daily_limit=5,
        daily_remaining=4,
    )


def test_limiter_peek_counts_nothing() -> None:
    """peek reports the numbers without spending a request."""
    limiter = RateLimiter(
        RateLimit(max_requests=3, interval_seconds=1), daily_limit=9, clock=FakeClock()
    )

    limiter.admit()

    assert [limiter.peek().remaining for _ in range(3)] == [2, 2, 2]
    assert limiter.peek().daily_remaining == 8


def test_limiter_day_starts_again_after_24_hours() -> None:
    """A spent daily allowance refuses until 24 hours after the day's first request."""
    clock = FakeClock()
    limiter = RateLimiter(
        RateLimit(max_requests=10, interval_seconds=10), daily_limit=1, clock=clock
    )

    first = limiter.admit()
    clock.advance(86_399)
    late = limiter.admit()
    clock.advance(1)
    next_day = limiter.admit()

    assert [(u.admitted, u.daily_remaining, u.daily_spent) for u in (first, late, next_day)] == [
        (True, 0, True),
        (False, 0, True),
        (True, 0, True),
    ]


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("100/10s", RateLimit(max_requests=100, interval_seconds=10.0)),
        ("25/10s", RateLimit(max_requests=25, interval_seconds=10.0)),
        ("3 / 1.5S", RateLimit(max_requests=3, interval_seconds=1.5)),
        ("5/500ms", RateLimit(max_requests=5, interval_seconds=0.5)),
        ("60/1m", RateLimit(max_requests=60, interval_seconds=60.0)),
        ("off", RateLimit(max_requests=1_000_000, interval_seconds=10.0, enforced=False)),
    ],
)
def test_rate_limit_text_is_parsed(text: str, limit: RateLimit) -> None:
    """Limits are written "N/Ss" with s, ms or m, or "off"."""
    assert parse_rate_limit(text) == limit


@pytest.mark.parametrize("text", ["100", "100/s", "ten/10s", "0/10s", "5/0s", "100/10h", ""])
def test_rate_limit_text_that_does_not_parse_is_refused(text: str) -> None:
    """A limit that is not "N/Ss" or "off" raises ValueError saying how to write one."""
    with pytest.raises(ValueError, match=r'for example "100/10s"'):
        parse_rate_limit(text)


# --- faults ---------------------------------------------------------------------------------


def only_payments(fault: Fault) -> FaultPlan:
    """A fault plan striking every record-payment request and nothing else."""

    def plan(request: RequestSummary) -> Fault | None:
        return fault if request.path.endswith("/record-payment") else None

    return plan


def test_error_before_applying_records_nothing(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A 500 injected before applying leaves the invoice and ledger untouched."""
    running.sandbox.faults = only_payments(Fault.error())

    response = record(client, OPEN_ID, payment())

    assert (response.status_code, response.json()) == (
        500,
        {"statusCode": 500, "message": "Internal server error"},
    )
    assert response.headers["X-RateLimit-Remaining"] == "99"
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 0
    assert running.sandbox.transactions() == []


def test_error_after_applying_records_the_payment(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A 500 injected after applying still records the payment, as a real outage might."""
    running.sandbox.faults = only_payments(Fault.error(status=502, after_applying=True))

    response = record(client, OPEN_ID, payment())

    assert response.status_code == 502
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 40
    assert len(running.sandbox.transactions()) == 1


def test_dropped_connection_after_applying_records_the_payment(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A dropped connection leaves the client with no answer while the payment is recorded."""
    running.sandbox.faults = only_payments(Fault.drop())

    with pytest.raises(httpx.RemoteProtocolError):
        record(client, OPEN_ID, payment())

    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 40


def test_delay_after_applying_times_the_client_out(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A late answer makes a client with a short timeout give up; the payment is recorded."""
    running.sandbox.faults = only_payments(Fault.delay(0.3))

    with pytest.raises(httpx.ReadTimeout):
        client.post(f"/invoices/{OPEN_ID}/record-payment", json=payment(), timeout=0.05)

    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 40


def test_delay_before_applying_records_the_payment_after_the_client_gave_up(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A late fault holds a request the server has taken: the client times out with nothing
    recorded, and the payment is recorded when the delay is over."""
    running.sandbox.faults = only_payments(Fault.delay(0.3, after_applying=False))

    with pytest.raises(httpx.ReadTimeout):
        client.post(f"/invoices/{OPEN_ID}/record-payment", json=payment(), timeout=0.05)
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 0

    deadline = time.monotonic() + 5
    while running.sandbox.invoice(OPEN_ID)["amountPaid"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 40
    assert len(running.sandbox.transactions()) == 1


def test_fault_plan_sees_requests_numbered(client: httpx.Client, running: RunningSandbox) -> None:
    """The fault plan sees each request that got past the gate, numbered from 1."""
    seen: list[RequestSummary] = []

    def plan(request: RequestSummary) -> Fault | None:
        seen.append(request)
        return Fault.error() if request.number == 2 else None

    running.sandbox.faults = plan
    statuses = [record(client, OPEN_ID, payment(amount=1)).status_code for _ in range(3)]

    assert statuses == [200, 500, 200]
    assert seen == [
        RequestSummary(number=n, method="POST", path=f"/invoices/{OPEN_ID}/record-payment")
        for n in (1, 2, 3)
    ]
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 2


def test_sandbox_command_on_a_busy_port_is_one_line_and_exit_2(sandbox: RunningSandbox) -> None:
    """`importer sandbox --port P` with P taken announces nothing, says so in one line, exit 2."""
    from click.testing import CliRunner

    from importer.cli import cli

    port = httpx.URL(sandbox.url).port
    assert port is not None
    result = CliRunner().invoke(cli, ["sandbox", "--port", str(port)])
    assert (result.exit_code, result.output.splitlines()) == (
        2,
        [
            f"Error: Cannot listen on 127.0.0.1:{port} (address already in use): choose "
            "another --port or --host."
        ],
    )


def test_sandbox_command_names_the_option_of_a_bad_rate_limit() -> None:
    """`importer sandbox --rate-limit 10/foo` names --rate-limit, not the seed file, exit 2."""
    from click.testing import CliRunner

    from importer.cli import cli

    result = CliRunner().invoke(cli, ["sandbox", "--rate-limit", "10/foo"])
    assert (result.exit_code, result.output.splitlines()) == (
        2,
        [
            "Error: --rate-limit: Rate limit '10/foo' is not understood. Write it as "
            'requests/interval, for example "100/10s" or "25/10s", or "off" to turn limiting '
            "off."
        ],
    )
