"""Every record-payment answer, and every failure to get one, sorted by what the run must do
next."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from importer.send.answers import Answer, Verdict, sort_answer, sort_failure, sort_response

INVOICE = {"_id": "a" * 24, "status": "paid", "amountPaid": 10, "amountDue": 0}


@pytest.mark.parametrize(
    ("status", "headers", "body", "verdict", "message"),
    [
        (200, {}, {"success": True, "invoice": INVOICE}, Verdict.RECORDED, ""),
        (200, {}, None, Verdict.UNKNOWN, "The API answered 200 without the updated invoice."),
        (
            200,
            {},
            {"success": False},
            Verdict.UNKNOWN,
            "The API answered 200 without the updated invoice.",
        ),
        (
            200,
            {},
            {"success": True, "invoice": {"amountPaid": 10.25}},
            Verdict.UNKNOWN,
            "The API answered 200 with an invoice that could not be read.",
        ),
        (
            200,
            {},
            {"success": True, "invoice": {"_id": "a1", "status": "paid", "amountPaid": "ten"}},
            Verdict.UNKNOWN,
            "The API answered 200 with an invoice that could not be read.",
        ),
        (
            200,
            {},
            {"success": True},
            Verdict.UNKNOWN,
            "The API answered 200 with an invoice that could not be read.",
        ),
        (
            400,
            {},
            {"statusCode": 400, "message": "Invoice is void"},
            Verdict.REJECTED,
            "Invoice is void",
        ),
        (
            404,
            {},
            {"statusCode": 404, "message": "Invoice not found"},
            Verdict.REJECTED,
            "Invoice not found",
        ),
        (
            422,
            {},
            {"statusCode": 422, "message": ["amount must be a number", "mode is invalid"]},
            Verdict.REJECTED,
            "amount must be a number; mode is invalid",
        ),
        (422, {}, None, Verdict.REJECTED, "The API refused the payment (422)."),
        (401, {}, {"statusCode": 401, "message": "Invalid token"}, Verdict.STOP, "Invalid token"),
        (403, {}, {}, Verdict.STOP, "The API refused the token (403)."),
        (429, {"X-RateLimit-Daily-Remaining": "55"}, {}, Verdict.RETRY, "Too many requests."),
        (
            429,
            {"x-ratelimit-daily-remaining": "0"},
            {},
            Verdict.STOP,
            "The daily request budget is spent.",
        ),
        (503, {}, None, Verdict.UNKNOWN, "The API was unavailable (503)."),
        (502, {}, None, Verdict.UNKNOWN, "The API answered 502."),
        (
            504,
            {},
            {"message": "Gateway Timeout"},
            Verdict.UNKNOWN,
            "The API answered 504: Gateway Timeout.",
        ),
        (500, {}, {"message": "boom"}, Verdict.UNKNOWN, "The API answered 500: boom."),
        (418, {}, None, Verdict.UNKNOWN, "The API answered 418."),
    ],
)
def test_sort_answer(
    status: int, headers: dict[str, str], body: Any, verdict: Verdict, message: str
) -> None:
    """Each status, header and body combination gets one verdict and a plain message."""
    answer = sort_answer(status, headers, body)
    assert (answer.verdict, answer.message) == (verdict, message)
    assert (answer.invoice is not None) == (verdict is Verdict.RECORDED)


@pytest.mark.parametrize(
    ("status", "lost"),
    [(200, False), (500, False), (418, False), (502, True), (503, True), (504, True)]
    + [(status, True) for status in range(520, 528)],
)
def test_only_a_gateway_answer_leaves_the_request_on_its_way(status: int, lost: bool) -> None:
    """A gateway's answer (502, 503, 504, Cloudflare's 520 to 527) is not the application's
    word: the request may still arrive; a 200 or a 500 came from the application itself."""
    body = {"success": True} if status == 200 else None
    answer = sort_answer(status, {}, body)
    assert (answer.verdict, answer.lost) == (Verdict.UNKNOWN, lost)


REQUEST = httpx.Request("POST", "https://api.test/invoices/a1/record-payment")
NOT_REACHED = "The API could not be reached ({})."
NO_ANSWER = "No answer came before the timeout."
CUT_OFF = "The connection failed while sending ({})."


@pytest.mark.parametrize(
    ("kind", "verdict", "message", "lost"),
    [
        (httpx.ConnectError, Verdict.RETRY, NOT_REACHED, False),
        (httpx.ConnectTimeout, Verdict.RETRY, NOT_REACHED, False),
        (httpx.PoolTimeout, Verdict.RETRY, NOT_REACHED, False),
        (httpx.ReadTimeout, Verdict.UNKNOWN, NO_ANSWER, True),
        (httpx.WriteTimeout, Verdict.UNKNOWN, NO_ANSWER, True),
        (httpx.RemoteProtocolError, Verdict.UNKNOWN, CUT_OFF, True),
        (httpx.ReadError, Verdict.UNKNOWN, CUT_OFF, True),
    ],
)
def test_sort_failure(
    kind: type[httpx.TransportError], verdict: Verdict, message: str, lost: bool
) -> None:
    """A request that got no answer: never connected, sent again; else it may have acted and
    may still arrive, so it is verified once it can no longer arrive."""
    answer = sort_failure(kind("no answer", request=REQUEST))
    assert answer == Answer(verdict, message.format(kind.__name__), None, lost)


def test_sort_response_reads_the_body_as_json_or_as_none() -> None:
    """An httpx answer is sorted by its status, headers and JSON body; a body that is not
    JSON counts as none."""
    recorded = httpx.Response(200, json={"success": True, "invoice": INVOICE})
    assert sort_response(recorded) == sort_answer(200, {}, {"success": True, "invoice": INVOICE})
    assert sort_response(httpx.Response(422, text="<html>nope</html>")) == Answer(
        Verdict.REJECTED, "The API refused the payment (422)."
    )
