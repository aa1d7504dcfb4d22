"""Every answer to a record-payment request sorted by what the run must do next, in one place.

Pure: a status, headers and body (or the transport error that stood for an answer) in, a
verdict out; tested as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx
from pydantic import ValidationError

from importer.api.models import Invoice

__all__ = ["Answer", "Verdict", "sort_answer", "sort_failure", "sort_response"]


class Verdict(StrEnum):
    """What an answer to a record-payment request tells us to do."""

    RECORDED = "recorded"
    REJECTED = "rejected"  # this row fails with the API's message; the run goes on
    STOP = "stop"  # no later request can succeed (token refused, daily budget spent)
    RETRY = "retry"  # the API did not act on it; the same request may be sent again
    UNKNOWN = "unknown"  # the payment may exist: verify before anything else


@dataclass(frozen=True)
class Answer:
    """A sorted answer: the verdict, the API's words, and the updated invoice if any.

    ``lost``: no word came from the application itself (a timeout, a dropped connection, a
    gateway's answer), so the request may still be on its way and be recorded later.
    """

    verdict: Verdict
    message: str
    invoice: Invoice | None = None
    lost: bool = False


# Answers from a gateway in front of the API, not from the application: the request may still
# be on its way to the application, which may record it later, so its absence is judged only
# after LOST_ANSWER_WAIT. 503 is among them (see sort_answer); 520 to 527 are Cloudflare's.
_GATEWAY_ANSWERS = frozenset({502, 503, 504, *range(520, 528)})


def sort_answer(status: int, headers: Mapping[str, str], body: Any) -> Answer:
    """Decide what one record-payment answer means. Pure: tested as a table."""
    message = _message(body)
    if status == 200:
        # A 200 we cannot read may still have recorded the payment: verify it.
        if not (isinstance(body, dict) and body.get("success")):
            return Answer(Verdict.UNKNOWN, "The API answered 200 without the updated invoice.")
        try:
            invoice = Invoice.model_validate(body.get("invoice"))
        except ValidationError:
            return Answer(
                Verdict.UNKNOWN, "The API answered 200 with an invoice that could not be read."
            )
        return Answer(Verdict.RECORDED, "", invoice)
    if status in (400, 404, 409, 422):
        return Answer(Verdict.REJECTED, message or f"The API refused the payment ({status}).")
    if status in (401, 403):
        return Answer(Verdict.STOP, message or f"The API refused the token ({status}).")
    if status == 429:
        if _header(headers, "X-RateLimit-Daily-Remaining") == "0":
            return Answer(Verdict.STOP, "The daily request budget is spent.")
        return Answer(Verdict.RETRY, "Too many requests.")
    lost = status in _GATEWAY_ANSWERS
    if status == 503:
        # Not a retry without a check: a 503 is usually a refusal before the application took
        # the request, but proxies also answer 503 when their connection to the application
        # breaks after passing the request on (Envoy's "upstream connect error or
        # disconnect/reset before headers"), and the application may still record it.
        return Answer(Verdict.UNKNOWN, message or f"The API was unavailable ({status}).", lost=lost)
    # Anything else, 502 and 504 included (a gateway that gave up waiting on an application
    # that may still apply the payment), may have recorded it: verify before anything else.
    return Answer(
        Verdict.UNKNOWN,
        f"The API answered {status}" + (f": {message}" if message else "") + ".",
        lost=lost,
    )


def sort_response(response: httpx.Response) -> Answer:
    """``sort_answer`` for the answer as httpx gives it; a body that is not JSON is none."""
    try:
        body = response.json()
    except ValueError:
        body = None
    return sort_answer(response.status_code, response.headers, body)


def sort_failure(error: httpx.RequestError) -> Answer:
    """Decide what a request that got no answer means (or one it could not read, such as a
    body that would not unpack: a DecodingError). Pure: tested as a table."""
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        # No connection was made: the request never left, so it cannot have acted.
        return Answer(Verdict.RETRY, f"The API could not be reached ({type(error).__name__}).")
    if isinstance(error, httpx.TimeoutException):
        return Answer(Verdict.UNKNOWN, "No answer came before the timeout.", lost=True)
    if isinstance(error, httpx.DecodingError):
        # The application answered, in a body that would not unpack: check at once.
        return Answer(Verdict.UNKNOWN, "The API's answer could not be unpacked.")
    return Answer(
        Verdict.UNKNOWN,
        f"The connection failed while sending ({type(error).__name__}).",
        lost=True,
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # httpx headers ignore case; a plain dict in a test table may not.
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _message(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    message = body.get("message")
    if isinstance(message, list):
        return "; ".join(str(part) for part in message)
    return str(message) if message else ""
