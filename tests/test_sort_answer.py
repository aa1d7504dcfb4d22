"""Every record-payment answer sorted by what the run must do next."""

from __future__ import annotations

from typing import Any

import pytest

from importer.send import Verdict, sort_answer

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
