"""The sandbox, run as a server, reads no body it should not and answers every hostile one with a
4xx in the API's shape, over real HTTP."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Iterator

import h11
import httpx
import pytest

from importer.sandbox import BODY_LIMIT, Fault, RunningSandbox, running_sandbox
from tests.test_sandbox import (
    LOCATION,
    MODE_MESSAGE,
    NOW,
    OPEN_ID,
    connect_as_importer,
    location_query,
    make_seed,
    payment,
)

PAY_OPEN = f"/invoices/{OPEN_ID}/record-payment"
JSON = {"Content-Type": "application/json"}

NOT_A_NUMBER = "amount must be a number conforming to the specified constraints"
NOT_POSITIVE = "amount must be a positive number"
BELOW_A_CENT = "amount must not be less than 0.01"
# What a body the API does not read (any type but JSON and forms) meets: the checks of {}.
EMPTY_BODY_MESSAGES = [
    "altId must be a string",
    "altType must be one of the following values: location, account",
    MODE_MESSAGE,
    "notes must be a string",
    NOT_A_NUMBER,
]
NOT_JSON = {"statusCode": 400, "message": "The request body is not valid JSON"}
TOO_DEEP = {"statusCode": 400, "message": "The request body is nested more than 32 levels deep"}
TOO_LARGE = {"statusCode": 413, "message": "request entity too large"}


def unprocessable(*messages: str) -> dict[str, object]:
    return {"statusCode": 422, "message": list(messages), "error": "Unprocessable Entity"}


def with_amount(amount_text: str) -> bytes:
    """A cash payment whose amount is written exactly as given, as JSON text."""
    return (
        f'{{"altId": "{LOCATION}", "altType": "location", "mode": "cash", '
        f'"notes": "Front desk", "amount": {amount_text}}}'
    ).encode()


def nested(levels: int, inner: str = "1") -> str:
    """JSON objects nested ``levels`` deep around ``inner``."""
    return '{"a": ' * levels + inner + "}" * levels


@pytest.fixture
def running() -> Iterator[RunningSandbox]:
    with running_sandbox(make_seed(), now=lambda: NOW) as handle:
        yield handle


@pytest.fixture
def client(running: RunningSandbox) -> Iterator[httpx.Client]:
    with connect_as_importer(running) as http:
        yield http


# --- what a body holds ------------------------------------------------------------------------

HOSTILE_BODIES = [
    ("amount 10**400 written out", with_amount("1" + "0" * 400), 422, unprocessable(NOT_A_NUMBER)),
    ("amount of 5,000 digits", with_amount("9" * 5000), 422, unprocessable(NOT_A_NUMBER)),
    ("amount 1e400", with_amount("1e400"), 422, unprocessable(NOT_A_NUMBER)),
    ("amount -1e400", with_amount("-1e400"), 422, unprocessable(NOT_A_NUMBER)),
    ("amount NaN", with_amount("NaN"), 400, NOT_JSON),
    ("amount Infinity", with_amount("Infinity"), 400, NOT_JSON),
    ("amount -Infinity", with_amount("-Infinity"), 400, NOT_JSON),
    ("amount -0.0", with_amount("-0.0"), 422, unprocessable(NOT_POSITIVE)),
    ("amount -0", with_amount("-0"), 422, unprocessable(NOT_POSITIVE)),
    ("amount 0.004", with_amount("0.004"), 422, unprocessable(BELOW_A_CENT)),
    ("amount 0.005", with_amount("0.005"), 422, unprocessable(BELOW_A_CENT)),
    ("amount 0.0099", with_amount("0.0099"), 422, unprocessable(BELOW_A_CENT)),
    ("amount 1e-30", with_amount("1e-30"), 422, unprocessable(BELOW_A_CENT)),
    ("amount 5e-324", with_amount("5e-324"), 422, unprocessable(BELOW_A_CENT)),
    ('amount "40"', with_amount('"40"'), 422, unprocessable(NOT_A_NUMBER)),
    ('amount "NaN"', with_amount('"NaN"'), 422, unprocessable(NOT_A_NUMBER)),
    ('amount "1e400"', with_amount('"1e400"'), 422, unprocessable(NOT_A_NUMBER)),
    ("amount true", with_amount("true"), 422, unprocessable(NOT_A_NUMBER)),
    ("amount false", with_amount("false"), 422, unprocessable(NOT_A_NUMBER)),
    ("amount null", with_amount("null"), 422, unprocessable(NOT_A_NUMBER)),
    ("amount [40]", with_amount("[40]"), 422, unprocessable(NOT_A_NUMBER)),
    ('amount {"value": 40}', with_amount('{"value": 40}'), 422, unprocessable(NOT_A_NUMBER)),
    (
        "a huge array as the amount",
        with_amount(json.dumps([0] * 150_000)),
        422,
        unprocessable(NOT_A_NUMBER),
    ),
    (
        "a huge array of numbers as schedule ids",
        json.dumps(payment(paymentScheduleIds=list(range(100_000)))).encode(),
        422,
        unprocessable("each value in paymentScheduleIds must be a string"),
    ),
    (
        "a huge array as the whole body",
        json.dumps([payment()] * 5000).encode(),
        422,
        unprocessable(*EMPTY_BODY_MESSAGES),
    ),
    ("a body 100,000 arrays deep", b"[" * 100_000 + b"]" * 100_000, 400, TOO_DEEP),
    ("a body 100,000 objects deep", nested(100_000).encode(), 400, TOO_DEEP),
    (
        "meta 100,000 objects deep",
        with_amount(f'40, "meta": {nested(100_000)}'),
        400,
        TOO_DEEP,
    ),
    (
        "meta 32 objects deep, 33 with the body",
        with_amount(f'40, "meta": {nested(32)}'),
        400,
        TOO_DEEP,
    ),
    (
        "the amount given twice",
        with_amount('40, "amount": 4000'),
        400,
        {"statusCode": 400, "message": 'The request body gives the key "amount" more than once'},
    ),
    (
        "a key given twice inside meta",
        with_amount('40, "meta": {"row": 1, "row": 2}'),
        400,
        {"statusCode": 400, "message": 'The request body gives the key "row" more than once'},
    ),
    (
        "a long key given twice",
        with_amount(f'40, "meta": {{"{"k" * 100}": 1, "{"k" * 100}": 2}}'),
        400,
        {
            "statusCode": 400,
            "message": f'The request body gives the key "{"k" * 40}…" more than once',
        },
    ),
    ("a bare number", b"40", 400, NOT_JSON),
    ("a bare string", b'"pay"', 400, NOT_JSON),
    ("a bare null", b"null", 400, NOT_JSON),
    ("whitespace then garbage", b"  \n\x00", 400, NOT_JSON),
    (
        "a Latin-1 byte in the notes",
        json.dumps(payment(notes="Caf\u00e9")).encode().replace(b"Caf\\u00e9", b"Caf\xe9"),
        400,
        {"statusCode": 400, "message": "The request body is not valid UTF-8 text"},
    ),
    (
        "a lone surrogate's bytes",
        json.dumps(payment(notes="x")).encode().replace(b'"x"', b'"\xed\xa0\x80"'),
        400,
        {"statusCode": 400, "message": "The request body is not valid UTF-8 text"},
    ),
]


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [case[1:] for case in HOSTILE_BODIES],
    ids=[case[0] for case in HOSTILE_BODIES],
)
def test_hostile_body_is_a_4xx_in_the_api_shape_and_records_nothing(
    client: httpx.Client, running: RunningSandbox, body: bytes, status: int, answer: object
) -> None:
    """Huge, tiny, non-finite, mistyped, deep, repeated and mis-encoded bodies each get their
    4xx with the API's message shape; nothing is recorded and the invoice is unchanged."""
    before = running.sandbox.invoice(OPEN_ID)

    response = client.post(PAY_OPEN, content=body, headers=JSON)

    assert (response.status_code, response.json()) == (status, answer)
    assert running.sandbox.invoice(OPEN_ID) == before
    assert running.sandbox.transactions() == []


def test_an_amount_beyond_any_invoice_is_refused_in_plain_words(client: httpx.Client) -> None:
    """An amount of 1e300 gets the API's 400 for an amount above what is due, not a crash."""
    response = client.post(PAY_OPEN, content=with_amount("1e300"), headers=JSON)

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "message": "Payment amount 1e+300 is more than the amount due 100 on this invoice",
        },
    )


def test_one_cent_is_the_smallest_payment_recorded(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """0.01 is recorded as 0.01, and 0.015 as 0.02 (cents, half up)."""
    answers = [
        client.post(PAY_OPEN, content=with_amount(text), headers=JSON) for text in ("0.01", "0.015")
    ]

    assert [r.status_code for r in answers] == [200, 200]
    assert [t["amount"] for t in running.sandbox.transactions()] == [0.01, 0.02]
    assert running.sandbox.invoice(OPEN_ID)["amountPaid"] == 0.03


def test_meta_up_to_the_depth_limit_is_recorded_as_sent(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A body 32 levels deep in all (meta 31) is recorded, meta kept as it was sent."""
    meta = json.loads(nested(31))

    response = client.post(PAY_OPEN, content=with_amount(f'40, "meta": {nested(31)}'), headers=JSON)

    assert response.status_code == 200
    assert [t["meta"] for t in running.sandbox.transactions()] == [meta]


# --- content types and charsets --------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain; charset=utf-8",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_body_of_another_type_is_not_read_and_meets_the_checks_of_an_empty_one(
    client: httpx.Client, running: RunningSandbox, content_type: str | None
) -> None:
    """A valid payment sent as text/plain (or any type but JSON or a form, or none) is left
    unread, as NestJS's body parsers leave it: the 422 of an empty body, nothing recorded."""
    headers = {} if content_type is None else {"Content-Type": content_type}

    response = client.post(PAY_OPEN, content=json.dumps(payment()).encode(), headers=headers)

    assert (response.status_code, response.json()) == (422, unprocessable(*EMPTY_BODY_MESSAGES))
    assert running.sandbox.transactions() == []


def test_form_body_is_read_but_its_amount_is_text(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A form-encoded payment is read like the API's form parser reads it: every value is text,
    so the amount is refused and nothing is recorded."""
    response = client.post(PAY_OPEN, data={k: str(v) for k, v in payment().items()})

    assert (response.status_code, response.json()) == (422, unprocessable(NOT_A_NUMBER))
    assert running.sandbox.transactions() == []


@pytest.mark.parametrize(
    ("charset", "shown"), [("latin1", "LATIN1"), ("ISO-8859-1", "ISO-8859-1"), ("utf-99", "UTF-99")]
)
def test_json_in_a_charset_other_than_utf_is_415(
    client: httpx.Client, running: RunningSandbox, charset: str, shown: str
) -> None:
    """application/json with a charset body-parser cannot read gets its 415, nothing recorded."""
    response = client.post(
        PAY_OPEN,
        content=json.dumps(payment()).encode(),
        headers={"Content-Type": f"application/json; charset={charset}"},
    )

    assert (response.status_code, response.json()) == (
        415,
        {"statusCode": 415, "message": f'unsupported charset "{shown}"'},
    )
    assert running.sandbox.transactions() == []


@pytest.mark.parametrize(
    ("content_type", "encoded"),
    [
        ("APPLICATION/JSON", json.dumps(payment(notes="Caf\u00e9"), ensure_ascii=False).encode()),
        (
            'application/json; charset="UTF-8"',
            b"\xef\xbb\xbf" + json.dumps(payment(notes="Caf\u00e9"), ensure_ascii=False).encode(),
        ),
        (
            "application/json; charset=utf-16",
            json.dumps(payment(notes="Caf\u00e9"), ensure_ascii=False).encode("utf-16"),
        ),
    ],
)
def test_json_in_any_utf_is_read(
    client: httpx.Client, running: RunningSandbox, content_type: str, encoded: bytes
) -> None:
    """JSON typed in capitals, with a quoted charset, a byte order mark or in UTF-16 is read."""
    response = client.post(PAY_OPEN, content=encoded, headers={"Content-Type": content_type})

    assert response.status_code == 200
    assert [t["notes"] for t in running.sandbox.transactions()] == ["Caf\u00e9"]


# --- size ------------------------------------------------------------------------------------


def exchange(
    running: RunningSandbox, head: h11.Request, chunks: Iterable[bytes] = ()
) -> tuple[int, dict[str, str], bytes]:
    """Send a request head and then the given chunks, and no more, over a raw connection; read
    the answer. A server that waits for the rest of the body makes this time out."""
    url = httpx.URL(running.url)
    assert url.host
    assert url.port
    connection = h11.Connection(h11.CLIENT)
    with socket.create_connection((url.host, url.port), timeout=3) as conn:
        conn.sendall(connection.send(head) or b"")
        for chunk in chunks:
            conn.sendall(connection.send(h11.Data(data=chunk)) or b"")
        status, headers, body = 0, {}, b""
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(conn.recv(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
                headers = {k.decode(): v.decode() for k, v in event.headers}
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                return status, headers, body


def head(running: RunningSandbox, **headers: str) -> h11.Request:
    """A record-payment request head with the sandbox's token, the Version and ``headers``."""
    return h11.Request(
        method="POST",
        target=PAY_OPEN,
        headers=[
            ("Host", "sandbox"),
            ("Authorization", f"Bearer {running.token}"),
            ("Version", "2021-07-28"),
            ("Content-Type", "application/json"),
            *headers.items(),
        ],
    )


@pytest.mark.parametrize("length", [BODY_LIMIT + 1, 10**13, 2**63 - 1])
def test_body_announced_over_a_mebibyte_is_413_before_it_is_sent(
    running: RunningSandbox, length: int
) -> None:
    """A Content-Length over 1 MiB gets 413 at once: the answer comes though not one byte of the
    body was sent, so none was read; nothing is recorded."""
    status, headers, body = exchange(running, head(running, **{"Content-Length": str(length)}))

    assert (status, json.loads(body)) == (413, TOO_LARGE)
    assert headers["x-ratelimit-remaining"] == "99"
    assert running.sandbox.transactions() == []


def test_chunked_body_growing_past_a_mebibyte_is_413_once_it_does(running: RunningSandbox) -> None:
    """A chunked body with no length is read until it passes 1 MiB and then refused with 413,
    though its end never came; nothing is recorded."""
    chunk = b" " * 65536
    chunks = [chunk] * (BODY_LIMIT // len(chunk) + 1)

    status, _, body = exchange(running, head(running, **{"Transfer-Encoding": "chunked"}), chunks)

    assert (status, json.loads(body)) == (413, TOO_LARGE)
    assert running.sandbox.transactions() == []


def test_chunked_body_too_large_is_413_when_a_fault_takes_the_request_first(
    running: RunningSandbox,
) -> None:
    """A late fault reads the body before the route runs; a chunked body past 1 MiB still gets
    413 there, and nothing is recorded."""
    running.sandbox.faults = lambda _request: Fault.delay(0.0, after_applying=False)
    chunk = b" " * 65536
    chunks = [chunk] * (BODY_LIMIT // len(chunk) + 1)

    status, _, body = exchange(running, head(running, **{"Transfer-Encoding": "chunked"}), chunks)

    assert (status, json.loads(body)) == (413, TOO_LARGE)
    assert running.sandbox.transactions() == []


def test_body_of_exactly_a_mebibyte_is_read_whole_and_recorded(
    client: httpx.Client, running: RunningSandbox
) -> None:
    """A payment padded with spaces to exactly 1 MiB is recorded, sent with a length or chunked."""
    body = json.dumps(payment(amount=1)).encode()
    padded = body + b" " * (BODY_LIMIT - len(body))

    def in_chunks() -> Iterator[bytes]:
        for start in range(0, len(padded), 100_000):
            yield padded[start : start + 100_000]

    answers = [
        client.post(PAY_OPEN, content=padded, headers=JSON),
        client.post(PAY_OPEN, content=in_chunks(), headers=JSON),
    ]

    assert [r.status_code for r in answers] == [200, 200]
    assert [t["amount"] for t in running.sandbox.transactions()] == [1, 1]


# --- query strings ---------------------------------------------------------------------------


def test_counts_of_thousands_of_digits_are_checked_not_crashed_on(client: httpx.Client) -> None:
    """A limit of 5,000 digits is over the page size (422); an offset of 5,000 digits is past
    the end (an empty page)."""
    huge = "9" * 5000

    answers = [
        client.get("/invoices/", params=location_query(limit=huge, offset="0")),
        client.get("/invoices/", params=location_query(limit="10", offset=huge)),
        client.get("/payments/transactions", params=location_query(limit=huge)),
        client.get("/payments/transactions", params=location_query(offset=huge)),
    ]

    assert [(r.status_code, r.json()) for r in answers] == [
        (422, unprocessable("limit must not be greater than 100")),
        (200, {"invoices": [], "total": 5}),
        (422, unprocessable("limit must not be greater than 100")),
        (200, {"data": [], "totalCount": 0}),
    ]


def test_ids_that_are_not_utf8_are_not_found(client: httpx.Client) -> None:
    """Percent-encoded bytes that are not UTF-8 in an invoice id get the API's 404."""
    answers = [
        client.get("/invoices/%FF%FE", params=location_query()),
        client.post("/invoices/%FF%FE/record-payment", json=payment()),
    ]

    assert [(r.status_code, r.json()) for r in answers] == [
        (404, {"statusCode": 404, "message": "Invoice not found"})
    ] * 2
