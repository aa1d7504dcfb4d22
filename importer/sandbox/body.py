"""Reading a request body as HighLevel's NestJS service does, without letting one hurt the server.

NestJS parses bodies with Express's body-parser before any route runs: `application/json`
(strict: an object or an array at the top) and `application/x-www-form-urlencoded`. A body of
any other type, or with no type, is left unread, and the route sees an empty object; the
validation pipe then answers 422 naming every required field. That is the faithful answer to a
non-JSON content type (NestJS sends no 415 for one), so it is the sandbox's: a client that sends
text/plain learns that the API saw nothing. body-parser's own refusals (413 for a body over its
limit, 415 for a charset other than UTF-*, 400 for a body that does not parse) reach the client
through NestJS's exception filter as `{statusCode, message}`, with no `error` field.

Where JavaScript and Python read JSON differently, the sandbox answers as the API would:

- Numbers are IEEE doubles in JavaScript: `10**400` written out is Infinity there, and class-
  validator's IsNumber refuses it. Integers of more than 15 digits are read as floats here, so
  they overflow the same way instead of meeting Python's limit on integer digits.
- `NaN`, `Infinity` and `-Infinity` are not JSON; JSON.parse refuses them, and so does this.

And where the API's behaviour would hide a mistake in the importer, the sandbox refuses plainly:

- A key given twice in one object (JSON.parse keeps the last): a payment whose amount is written
  twice is ambiguous money, so it is refused rather than recorded with one of the two.
- Bytes that are not valid UTF-8 (body-parser would decode them into U+FFFD): a note or a
  cheque number silently changed is worse than a refusal.
- Bodies nested more than `MAX_DEPTH` levels: nothing in RecordPaymentDto needs more, and deep
  nesting is what turns a parser's recursion into a crash.
"""

from __future__ import annotations

import codecs
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import Message, Receive

__all__ = [
    "BODY_LIMIT",
    "MAX_DEPTH",
    "BadBody",
    "BodyTooLarge",
    "capped",
    "read_body",
    "too_large",
]

# 1 MiB: far above any payment (a few hundred bytes) and small enough that no client can make
# the sandbox hold much memory for it.
BODY_LIMIT = 1024 * 1024
MAX_DEPTH = 32
# JavaScript reads every number as a double, exact for integers up to 2**53 (16 digits).
_EXACT_DIGITS = 15
_KEY_SHOWN = 40


class BadBody(Exception):
    """The body cannot be read; `status` and `message` are the answer the API gives."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BodyTooLarge(BadBody):
    """The body is over `BODY_LIMIT`, by its Content-Length or as it arrives."""

    def __init__(self) -> None:
        # body-parser's own words (http-errors' PayloadTooLargeError).
        super().__init__(413, "request entity too large")


def too_large(content_length: str | None) -> bool:
    """Whether a Content-Length header announces a body over the limit, so it need not be read."""
    if content_length is None:
        return False
    text = content_length.strip()
    # The server has already refused a Content-Length that is not digits.
    return text.isascii() and text.isdigit() and (len(text) > 12 or int(text) > BODY_LIMIT)


def capped(receive: Receive, limit: int = BODY_LIMIT) -> Receive:
    """A receive that raises BodyTooLarge as soon as the body read so far passes ``limit``.

    A chunked body announces no length, so this is the only place it can be stopped.
    """
    seen = 0

    async def receive_within_limit() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return receive_within_limit


async def read_body(request: Request) -> Any:
    """The body as the route's validation sees it: parsed JSON, form fields, or {} unread."""
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    if media_type not in ("application/json", "application/x-www-form-urlencoded"):
        return {}
    encoding = _charset(parameters)
    raw = await request.body()
    try:
        # iconv-lite, under body-parser, drops a byte order mark; so does this.
        text = raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise BadBody(400, f"The request body is not valid {encoding.upper()} text") from None
    if media_type == "application/x-www-form-urlencoded":
        return _form_fields(text)
    if not text.strip():
        # An empty body reaches the validator as {}, as body-parser hands it on.
        return {}
    return _parse_json(text)


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            break
    else:
        return "utf-8"
    unsupported = BadBody(415, f'unsupported charset "{charset.upper()}"')
    if not charset.startswith("utf-"):
        raise unsupported
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise unsupported from None


def _form_fields(text: str) -> dict[str, Any]:
    # Every value of a form is text, so no form can carry a numeric amount: the validator
    # refuses it whatever the fields. Bracketed names (card[brand]) are not unfolded, as the
    # extended parser would; the answer is a 422 either way.
    fields: dict[str, Any] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, max_num_fields=1000):
        fields[name] = [*fields[name], value] if isinstance(fields.get(name), list) else value
    return fields


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKey(key)
        result[key] = value
    return result


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _javascript_integer(text: str) -> int | float:
    digits = text.lstrip("-")
    return int(text) if len(digits) <= _EXACT_DIGITS else float(text)


def _parse_json(text: str) -> Any:
    not_json = BadBody(400, "The request body is not valid JSON")
    too_deep = BadBody(400, f"The request body is nested more than {MAX_DEPTH} levels deep")
    try:
        body = json.loads(
            text,
            object_pairs_hook=_one_value_per_key,
            parse_constant=_not_json,
            parse_int=_javascript_integer,
        )
    except _RepeatedKey as repeated:
        key = repeated.key if len(repeated.key) <= _KEY_SHOWN else repeated.key[:_KEY_SHOWN] + "…"
        raise BadBody(400, f'The request body gives the key "{key}" more than once') from None
    except RecursionError:
        raise too_deep from None
    except ValueError:
        raise not_json from None
    # body-parser's strict mode: a bare number, string or null is not a request body.
    if not isinstance(body, dict | list):
        raise not_json
    if _depth(body) > MAX_DEPTH:
        raise too_deep
    return body


def _depth(value: Any) -> int:
    """How many objects and arrays deep a parsed body goes, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        children = current.values() if isinstance(current, dict) else current
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
