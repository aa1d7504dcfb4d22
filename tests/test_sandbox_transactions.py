"""The sandbox's transactions, held to apps/payments.json over real HTTP: the list and its
filters, one transaction by id, the token's scopes, and requests counted by route."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from importer.sandbox import (
    ALL_SCOPES,
    RunningSandbox,
    Sandbox,
    parse_scopes,
    running_sandbox,
)
from tests.test_sandbox import (
    LOCATION,
    NOW,
    OPEN_ID,
    PART_ID,
    STAMP,
    connect,
    connect_as_importer,
    location_query,
    make_seed,
    payment,
    record,
)

CARD_PAYMENT = payment(
    mode="card",
    amount=12.5,
    card={"brand": "visa", "last4": "4242"},
    notes="Row 14",
    meta={"importer_key": "k-14", "importer_row": 14},
    fulfilledAt="2025-03-18T00:00:00.000Z",
)
NOT_IN_SCOPE = {
    "statusCode": 401,
    "message": "The token is not authorized for this scope.",
    "error": "Unauthorized",
}


class WallClock:
    """A wall clock for the sandbox's timestamps that moves only when set."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def running() -> Iterator[RunningSandbox]:
    """A sandbox whose transactions list answers as the API's does: no meta, no notes."""
    with running_sandbox(make_seed(), now=lambda: NOW, transactions_list_meta=False) as handle:
        yield handle


@pytest.fixture
def client(running: RunningSandbox) -> Iterator[httpx.Client]:
    with connect_as_importer(running) as http:
        yield http


def listed(client: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = client.get("/payments/transactions", params=location_query(**filters))
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    assert body["totalCount"] == len(body["data"])
    items: list[dict[str, Any]] = body["data"]
    return items


# --- one transaction by id -------------------------------------------------------------------


def test_transaction_by_id_carries_meta_and_its_source(client: httpx.Client) -> None:
    """GET /payments/transactions/{id} answers the transaction with meta, invoiceId and an
    entitySource object, and without the notes."""
    record(client, OPEN_ID, CARD_PAYMENT)
    [item] = listed(client)

    response = client.get(f"/payments/transactions/{item['_id']}", params=location_query())

    assert response.status_code == 200
    assert response.json() == {
        "_id": item["_id"],
        "altId": LOCATION,
        "altType": "location",
        "contactId": "XPLSw2SVagl12LMDeTmQ",
        "currency": "EUR",
        "amount": 12.5,
        "status": "succeeded",
        "liveMode": True,
        "entityType": "invoice",
        "entityId": OPEN_ID,
        "invoiceId": OPEN_ID,
        "entitySource": {"type": "invoice", "id": OPEN_ID, "name": "Invoice INV-1001"},
        "paymentMethod": {"mode": "card", "card": {"brand": "visa", "last4": "4242"}},
        "fulfilledAt": "2025-03-18T00:00:00.000Z",
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "amountRefunded": 0,
        "meta": {"importer_key": "k-14", "importer_row": 14},
        "qboSynced": False,
    }


def test_transaction_by_id_refusals(client: httpx.Client) -> None:
    """An unknown id gets the spec's 400 "Transaction not found"; another location 403; a
    query without altId and altType 422."""
    record(client, OPEN_ID, CARD_PAYMENT)
    [item] = listed(client)
    known = f"/payments/transactions/{item['_id']}"

    answers = [
        client.get("/payments/transactions/61dd0feac077f72010f78804", params=location_query()),
        client.get(known, params={"altId": "elsewhere", "altType": "location"}),
        client.get(known, params={**location_query(), "locationId": "elsewhere"}),
        client.get(known),
    ]

    assert [(r.status_code, r.json()) for r in answers] == [
        (400, {"statusCode": 400, "message": "Transaction not found"}),
        (
            403,
            {
                "statusCode": 403,
                "message": "The token does not have access to this location.",
                "error": "Forbidden",
            },
        ),
        (
            403,
            {
                "statusCode": 403,
                "message": "The token does not have access to this location.",
                "error": "Forbidden",
            },
        ),
        (
            422,
            {
                "statusCode": 422,
                "message": [
                    "altId must be a string",
                    "altType must be one of the following values: location, account",
                ],
                "error": "Unprocessable Entity",
            },
        ),
    ]


# --- the list as the API answers it ----------------------------------------------------------


def test_list_items_carry_no_meta_and_no_notes(client: httpx.Client) -> None:
    """With transactions_list_meta=False the list's items are TxnResponseSchema's fields only:
    the payment's meta and notes are not among them."""
    record(client, OPEN_ID, CARD_PAYMENT)

    [item] = listed(client)

    assert item == {
        "_id": item["_id"],
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


def test_list_leaves_meta_and_notes_out_unless_asked() -> None:
    """By default the list's items carry no meta and no notes, as the real API's; a sandbox
    built with transactions_list_meta=True lists them, for an API that would."""
    items = []
    for with_meta in (False, True):
        with (
            running_sandbox(make_seed(), transactions_list_meta=with_meta) as running,
            connect_as_importer(running) as http,
        ):
            record(http, OPEN_ID, CARD_PAYMENT)
            [item] = listed(http)
            items.append((item.get("notes"), item.get("meta")))

    assert items == [(None, None), ("Row 14", CARD_PAYMENT["meta"])]


def test_payment_recorded_by_hand_is_seen_in_the_list_and_by_id(client: httpx.Client) -> None:
    """A payment posted without meta, as a person recording it in HighLevel would, shows its
    dates, method (cheque number, card brand and last 4 as sent), amount, currency and invoice
    both in the list and by id."""
    record(
        client,
        OPEN_ID,
        payment(
            mode="cheque",
            amount=40,
            cheque={"number": "001234"},
            fulfilledAt="2025-03-03T00:00:00.000Z",
        ),
    )
    record(client, PART_ID, payment(mode="card", amount=7, card={"brand": "amex", "last4": "0005"}))
    shown = ("createdAt", "fulfilledAt", "paymentMethod", "amount", "currency", "entityId")

    items = listed(client)
    singles = [
        client.get(f"/payments/transactions/{item['_id']}", params=location_query()).json()
        for item in items
    ]

    expected = [
        (
            STAMP,
            "2025-03-03T00:00:00.000Z",
            {"mode": "cheque", "cheque": {"number": "001234"}},
            40,
            "EUR",
            OPEN_ID,
        ),
        (
            STAMP,
            STAMP,
            {"mode": "card", "card": {"brand": "amex", "last4": "0005"}},
            7,
            "USD",
            PART_ID,
        ),
    ]
    assert [tuple(item[name] for name in shown) for item in items] == expected
    assert [tuple(single[name] for name in shown) for single in singles] == expected
    assert ["meta" in single for single in singles] == [False, False]


# --- the list's filters ----------------------------------------------------------------------


@pytest.fixture
def three_days() -> Iterator[tuple[RunningSandbox, httpx.Client]]:
    """Three payments on OPEN_ID, typed in on 1 March 10:00, 2 March 23:59:59.999 and 3 March
    00:00 (UTC), all for cheques dated 15 February."""
    clock = WallClock(NOW)
    with (
        running_sandbox(make_seed(), now=clock, transactions_list_meta=False) as running,
        connect_as_importer(running) as http,
    ):
        for amount, moment in (
            (1, datetime(2025, 3, 1, 10, tzinfo=UTC)),
            (2, datetime(2025, 3, 2, 23, 59, 59, 999000, tzinfo=UTC)),
            (3, datetime(2025, 3, 3, tzinfo=UTC)),
        ):
            clock.moment = moment
            body = payment(amount=amount, fulfilledAt="2025-02-15T00:00:00.000Z")
            assert record(http, OPEN_ID, body).status_code == 200
        yield running, http


@pytest.mark.parametrize(
    ("window", "amounts"),
    [
        ({}, [1, 2, 3]),
        ({"startAt": "2025-03-02"}, [2, 3]),
        ({"endAt": "2025-03-02"}, [1, 2]),
        ({"startAt": "2025-03-02", "endAt": "2025-03-02"}, [2]),
        ({"startAt": "2025-03-04"}, []),
        ({"endAt": "2025-02-28"}, []),
        ({"startAt": "2025-02-15", "endAt": "2025-02-15"}, []),
        ({"startAt": "2025-03-01T10:00:00.001Z"}, [2, 3]),
        ({"endAt": "2025-03-03T00:00:00.000Z"}, [1, 2, 3]),
        ({"endAt": "2025-03-02T23:59:59.998Z"}, [1]),
        ({"startAt": "2025-03-02T12:00:00+02:00", "endAt": "2025-03-02T23:59:59.999"}, [2]),
        ({"startAt": "2025-03-03", "endAt": "2025-03-01"}, []),
    ],
)
def test_start_and_end_bound_when_a_payment_was_typed_in(
    three_days: tuple[RunningSandbox, httpx.Client], window: dict[str, str], amounts: list[int]
) -> None:
    """startAt and endAt bound createdAt (not the payment's date): a date covers its whole UTC
    day, both ends included; a moment is taken to the millisecond."""
    _, http = three_days

    assert [t["amount"] for t in listed(http, **window)] == amounts


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        ({"startAt": "01/03/2025"}, ["startAt must be a valid ISO 8601 date string"]),
        ({"endAt": "2025-02-30"}, ["endAt must be a valid ISO 8601 date string"]),
        ({"startAt": "2025-03-01 10:00"}, ["startAt must be a valid ISO 8601 date string"]),
        ({"startAt": "2025-03-01T25:00"}, ["startAt must be a valid ISO 8601 date string"]),
        ({"endAt": "２０２５-03-01"}, ["endAt must be a valid ISO 8601 date string"]),
        (
            {"startAt": "yesterday", "endAt": "today"},
            [
                "startAt must be a valid ISO 8601 date string",
                "endAt must be a valid ISO 8601 date string",
            ],
        ),
        (
            {"paymentMode": "cash"},
            ["paymentMode must be one of the following values: live, test"],
        ),
        (
            {"limit": "0", "paymentMode": "cheque"},
            [
                "limit must not be less than 1",
                "paymentMode must be one of the following values: live, test",
            ],
        ),
    ],
)
def test_list_filters_that_do_not_parse_are_422(
    client: httpx.Client, params: dict[str, str], messages: list[str]
) -> None:
    """A window or a paymentMode the API cannot read gets 422 naming it, never an empty list
    that would read as "no payments"."""
    response = client.get("/payments/transactions", params=location_query(**params))

    assert (response.status_code, response.json()) == (
        422,
        {"statusCode": 422, "message": messages, "error": "Unprocessable Entity"},
    )


def test_payment_mode_is_live_or_test() -> None:
    """paymentMode=live lists transactions of live-mode invoices, test those of test-mode ones."""
    seed = make_seed()
    seed["invoices"][1]["liveMode"] = False
    with (
        running_sandbox(seed, transactions_list_meta=False) as running,
        connect_as_importer(running) as http,
    ):
        record(http, OPEN_ID, payment(amount=1))
        record(http, PART_ID, payment(amount=2))
        by_mode = {mode: listed(http, paymentMode=mode) for mode in ("live", "test")}

    assert {
        mode: [(t["amount"], t["liveMode"]) for t in items] for mode, items in by_mode.items()
    } == {
        "live": [(1, True)],
        "test": [(2, False)],
    }


@pytest.mark.parametrize(
    ("filters", "amounts"),
    [
        ({"entityId": OPEN_ID}, [1, 3]),
        ({"entityId": PART_ID}, [2]),
        ({"contactId": "XPLSw2SVagl12LMDeTmQ"}, [1, 3]),
        ({"search": "ada"}, [1, 3]),
        ({"search": "INV-1002"}, [2]),
        ({"search": "nobody"}, []),
        ({"entitySourceType": "invoice"}, [1, 2, 3]),
        ({"entitySourceType": "funnel"}, []),
        ({"subscriptionId": "sub_1KGcXDCScnf89tZoVkoEMCEL"}, []),
        ({"entityId": OPEN_ID, "search": "sandbox contact"}, []),
    ],
)
def test_list_filters_by_invoice_contact_name_and_source(
    client: httpx.Client, filters: dict[str, str], amounts: list[int]
) -> None:
    """entityId, contactId, search (the invoice's or the contact's name), entitySourceType and
    subscriptionId each narrow the list, and together they all apply."""
    for invoice_id, amount in ((OPEN_ID, 1), (PART_ID, 2), (OPEN_ID, 3)):
        record(client, invoice_id, payment(amount=amount))

    assert [t["amount"] for t in listed(client, **filters)] == amounts


# --- scopes ----------------------------------------------------------------------------------


def test_token_without_the_transactions_scope_is_401_on_transactions_only() -> None:
    """A token holding only the invoices scopes reads invoices and records payments, and gets
    the API's 401 for a missing scope on both transactions routes."""
    with (
        running_sandbox(make_seed(), scopes={"invoices.readonly", "invoices.write"}) as running,
        connect_as_importer(running) as http,
    ):
        answers = [
            http.get(f"/invoices/{OPEN_ID}", params=location_query()),
            record(http, OPEN_ID, payment()),
            http.get("/payments/transactions", params=location_query()),
            http.get("/payments/transactions", params=location_query(entityId=OPEN_ID)),
            http.get(f"/payments/transactions/{'0' * 24}", params=location_query()),
        ]

    assert [r.status_code for r in answers[:2]] == [200, 200]
    assert [(r.status_code, r.json()) for r in answers[2:]] == [(401, NOT_IN_SCOPE)] * 3
    assert all(r.headers["X-RateLimit-Remaining"].isdigit() for r in answers)


def test_token_without_the_write_scope_records_nothing() -> None:
    """A read-only token gets 401 for a missing scope on record-payment, and nothing is
    recorded, even with a body that would be refused anyway."""
    with (
        running_sandbox(
            make_seed(), scopes={"invoices.readonly", "payments/transactions.readonly"}
        ) as running,
        connect_as_importer(running) as http,
    ):
        answers = [record(http, OPEN_ID, payment()), record(http, OPEN_ID, {})]
        listing = http.get("/payments/transactions", params=location_query())

        assert running.sandbox.transactions() == []

    assert [(r.status_code, r.json()) for r in answers] == [(401, NOT_IN_SCOPE)] * 2
    assert listing.status_code == 200


def test_scopes_can_be_taken_away_from_a_running_sandbox(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """Setting sandbox.scopes takes effect on the next request."""
    before = client.get("/payments/transactions", params=location_query())
    running.sandbox.scopes = frozenset({"invoices.readonly"})
    after = client.get("/payments/transactions", params=location_query())

    assert [before.status_code, after.status_code] == [200, 401]


@pytest.mark.parametrize(
    ("text", "scopes"),
    [
        ("all", ALL_SCOPES),
        (" ALL ", ALL_SCOPES),
        ("invoices.readonly", frozenset({"invoices.readonly"})),
        (
            "invoices.readonly, invoices.write,",
            frozenset({"invoices.readonly", "invoices.write"}),
        ),
        ("", frozenset()),
    ],
)
def test_scopes_are_read_from_text(text: str, scopes: frozenset[str]) -> None:
    """Scopes are written comma-separated, or "all"."""
    assert parse_scopes(text) == scopes


def test_an_unknown_scope_is_refused_with_the_known_ones() -> None:
    """A scope the sandbox does not know is a ValueError listing those it knows."""
    message = (
        "invoices.delete: not a scope the sandbox knows. Use invoices.readonly, invoices.write, "
        "payments/transactions.readonly."
    )
    with pytest.raises(ValueError, match=r"^invoices\.delete: ") as from_text:
        parse_scopes("invoices.readonly,invoices.delete")
    with pytest.raises(ValueError, match=r"^invoices\.delete: ") as from_list:
        Sandbox(make_seed(), scopes=["invoices.delete"])

    assert [str(from_text.value), str(from_list.value)] == [message, message]


# --- requests counted by route ---------------------------------------------------------------


def test_requests_are_counted_by_route_whatever_their_answer(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """Each request counts once under its method and route as written in the app, answered or
    refused; a path no route serves counts under itself."""
    record(client, OPEN_ID, payment(amount=1))
    record(client, PART_ID, payment(amount=1))
    client.get(f"/invoices/{OPEN_ID}", params=location_query())
    client.get("/invoices/", params=location_query(limit="10", offset="0"))
    [item, _] = listed(client)
    client.get(f"/payments/transactions/{item['_id']}", params=location_query())
    client.get("/contacts/")
    with connect(running, version="2021-07-28") as stranger:
        stranger.get(f"/invoices/{PART_ID}", params=location_query())

    assert running.sandbox.requests_by_route == Counter(
        {
            ("POST", "/invoices/{invoice_id}/record-payment"): 2,
            ("GET", "/invoices/{invoice_id}"): 2,
            ("GET", "/invoices/"): 1,
            ("GET", "/payments/transactions"): 1,
            ("GET", "/payments/transactions/{transaction_id}"): 1,
            ("GET", "/contacts/"): 1,
        }
    )


def test_requests_by_route_is_a_copy(running: RunningSandbox) -> None:
    """Changing the counter a test was given leaves the sandbox's own count as it was."""
    running.sandbox.requests_by_route[("GET", "/invoices/")] += 5

    assert running.sandbox.requests_by_route == Counter()
