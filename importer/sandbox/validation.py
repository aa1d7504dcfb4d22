"""Request checks, written from the spec's DTOs; a broken request yields the 422 message list.

HighLevel validates with NestJS's class-validator, which reports every broken rule at once as
a list of "<field> must ..." sentences; the messages here follow that style. Properties the DTO
does not name are ignored, as a whitelisting validator would strip them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from importer.sandbox.state import to_decimal

__all__ = [
    "ALT_TYPES",
    "PAYMENT_MODES",
    "SMALLEST_AMOUNT",
    "TRANSACTION_MODES",
    "Page",
    "PaymentRequest",
    "TransactionQuery",
    "Unprocessable",
    "read_location",
    "read_page",
    "read_payment",
    "read_transaction_query",
]

# The spec's enum says only "location"; white-label docs (Leadway) send "account".
ALT_TYPES = ("location", "account")
PAYMENT_MODES = ("cash", "card", "cheque", "bank_transfer", "other")
# paymentMode on the transactions list is the transaction's live or test mode, not its method:
# the spec's example is "live", next to liveMode on every transaction.
TRANSACTION_MODES = ("live", "test")
# The smallest payment the sandbox records: one cent, the unit it keeps amounts in.
SMALLEST_AMOUNT = 0.01


class Unprocessable(Exception):
    """The request breaks the schema; `messages` lists every broken rule."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class PaymentRequest:
    """A RecordPaymentDto body that passed every check."""

    alt_id: str
    alt_type: str
    mode: str
    amount: Decimal
    notes: str
    card: dict[str, Any] | None = None
    cheque: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    payment_schedule_ids: list[str] = field(default_factory=list)
    fulfilled_at: str | None = None

    def payment_method(self) -> dict[str, Any]:
        """The transaction's paymentMethod: the mode, and the card or cheque as sent."""
        method: dict[str, Any] = {"mode": self.mode}
        if self.card is not None:
            method["card"] = self.card
        if self.cheque is not None:
            method["cheque"] = self.cheque
        return method


@dataclass(frozen=True)
class Page:
    """Which slice of a list to answer with."""

    limit: int
    offset: int


def _check_text(value: Any, name: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"{name} must be a string")
    elif not value.strip():
        problems.append(f"{name} should not be empty")


def _check_choice(value: Any, name: str, choices: tuple[str, ...], problems: list[str]) -> None:
    if value not in choices:
        problems.append(f"{name} must be one of the following values: {', '.join(choices)}")


def _check_nested(
    value: Any,
    name: str,
    fields: tuple[str, ...],
    *,
    required_because: str | None,
    problems: list[str],
) -> None:
    if value is None:
        if required_because is not None:
            problems.append(f"{name} is required when {required_because}")
        return
    if not isinstance(value, dict):
        problems.append(f"{name} must be an object")
        return
    for inner in fields:
        _check_text(value.get(inner), f"{name}.{inner}", problems)


def _is_iso_datetime(value: str) -> bool:
    # A bare date is ISO 8601 too, but fulfilledAt is a moment: demand the time part.
    if "T" not in value.upper():
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_payment(body: Any) -> PaymentRequest:
    """Check a record-payment body against RecordPaymentDto; raise Unprocessable if it fails."""
    fields: Mapping[str, Any] = body if isinstance(body, dict) else {}
    problems: list[str] = []

    _check_text(fields.get("altId"), "altId", problems)
    _check_choice(fields.get("altType"), "altType", ALT_TYPES, problems)
    mode = fields.get("mode")
    _check_choice(mode, "mode", PAYMENT_MODES, problems)
    # The spec marks card and cheque required for every mode, but no one paying cash has a
    # card number; the orders endpoint's identical body requires neither. Demand each one
    # only for its own mode.
    _check_nested(
        fields.get("card"),
        "card",
        ("brand", "last4"),
        required_because="mode is card" if mode == "card" else None,
        problems=problems,
    )
    _check_nested(
        fields.get("cheque"),
        "cheque",
        ("number",),
        required_because="mode is cheque" if mode == "cheque" else None,
        problems=problems,
    )
    _check_text(fields.get("notes"), "notes", problems)

    amount = fields.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount):
        problems.append("amount must be a number conforming to the specified constraints")
    elif amount <= 0:
        problems.append("amount must be a positive number")
    elif amount < SMALLEST_AMOUNT:
        # Amounts are kept in cents: 0.004 or 1e-30 would be a payment of 0.00 on the invoice.
        problems.append(f"amount must not be less than {SMALLEST_AMOUNT}")

    meta = fields.get("meta")
    if meta is not None and not isinstance(meta, dict):
        problems.append("meta must be an object")

    schedule_ids = fields.get("paymentScheduleIds")
    if schedule_ids is not None:
        if not isinstance(schedule_ids, list):
            problems.append("paymentScheduleIds must be an array")
        elif not all(isinstance(i, str) for i in schedule_ids):
            problems.append("each value in paymentScheduleIds must be a string")

    fulfilled_at = fields.get("fulfilledAt")
    if fulfilled_at is not None and (
        not isinstance(fulfilled_at, str) or not _is_iso_datetime(fulfilled_at)
    ):
        problems.append("fulfilledAt must be a valid ISO 8601 date-time string")

    if problems:
        raise Unprocessable(problems)
    return PaymentRequest(
        alt_id=fields["altId"],
        alt_type=fields["altType"],
        mode=fields["mode"],
        amount=to_decimal(amount),
        notes=fields["notes"],
        card=fields.get("card"),
        cheque=fields.get("cheque"),
        meta=meta,
        payment_schedule_ids=list(schedule_ids or []),
        fulfilled_at=fulfilled_at,
    )


def read_location(query: Mapping[str, str]) -> tuple[str, str]:
    """Check the altId and altType query parameters every GET requires."""
    problems: list[str] = []
    _check_text(query.get("altId"), "altId", problems)
    _check_choice(query.get("altType"), "altType", ALT_TYPES, problems)
    if problems:
        raise Unprocessable(problems)
    return query["altId"], query["altType"]


def _read_count(
    query: Mapping[str, str],
    name: str,
    *,
    default: int | None,
    least: int,
    most: int | None,
    problems: list[str],
) -> int:
    text = query.get(name)
    if text is None and default is not None:
        return default
    if text is None or not text.isascii() or not text.isdigit():
        problems.append(f"{name} must be a number string")
        return 0
    # A count of thousands of digits would meet Python's limit on integer conversion; any count
    # of more than 18 digits is past every bound here anyway.
    count = int(text) if len(text) <= 18 else 10**18
    if count < least:
        problems.append(f"{name} must not be less than {least}")
    if most is not None and count > most:
        problems.append(f"{name} must not be greater than {most}")
    return count


def read_page(
    query: Mapping[str, str],
    *,
    max_page_size: int,
    default_limit: int | None = None,
) -> Page:
    """Check limit and offset: digit strings, required unless a default limit is given."""
    problems: list[str] = []
    limit = _read_count(
        query, "limit", default=default_limit, least=1, most=max_page_size, problems=problems
    )
    offset = _read_count(
        query,
        "offset",
        default=0 if default_limit is not None else None,
        least=0,
        most=None,
        problems=problems,
    )
    if problems:
        raise Unprocessable(problems)
    return Page(limit=limit, offset=offset)


@dataclass(frozen=True)
class TransactionQuery:
    """The filters of GET /payments/transactions that passed every check."""

    entity_id: str | None = None
    contact_id: str | None = None
    live_mode: bool | None = None
    created_from: datetime | None = None
    """Inclusive."""
    created_before: datetime | None = None
    """Exclusive."""
    search: str | None = None
    entity_source_type: str | None = None
    subscription_id: str | None = None


def _read_moment(text: str, name: str, *, end: bool, problems: list[str]) -> datetime | None:
    """A date (the whole day, in UTC) or an ISO 8601 date-time, as one bound of a window."""
    try:
        if len(text) == len("2024-02-01"):
            day = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
            return day + timedelta(days=1) if end else day
        if not text.isascii() or not _is_iso_datetime(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        problems.append(f"{name} must be a valid ISO 8601 date string")
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    # Timestamps are kept to the millisecond: an end given as a moment includes that moment.
    return moment + timedelta(milliseconds=1) if end else moment


def read_transaction_query(query: Mapping[str, str]) -> TransactionQuery:
    """Check the filters of GET /payments/transactions; raise Unprocessable if one is broken.

    startAt and endAt bound the transaction's createdAt, not its fulfilledAt. The spec says only
    "starting/closing interval of transactions", with dates as examples ("2024-02-01"). Of the
    two readings, createdAt is the one a client cannot get wrong by relying on it: a cheque
    dated 3 November and typed in on 29 November is found by a window ending today under
    either reading, but a window ending on the payment date finds it only if the API filters
    on fulfilledAt. A date covers its whole day in UTC, endAt's day included.
    """
    problems: list[str] = []
    bounds: dict[str, datetime | None] = {}
    for name, end in (("startAt", False), ("endAt", True)):
        text = query.get(name)
        bounds[name] = None if not text else _read_moment(text, name, end=end, problems=problems)
    mode = query.get("paymentMode") or None
    # The spec gives no list of values. An unknown mode is refused rather than matching
    # nothing: an empty list would read as "no payments yet", which is how payments get
    # recorded twice.
    if mode is not None:
        _check_choice(mode, "paymentMode", TRANSACTION_MODES, problems)
    if problems:
        raise Unprocessable(problems)
    return TransactionQuery(
        entity_id=query.get("entityId") or None,
        contact_id=query.get("contactId") or None,
        live_mode=None if mode is None else mode == "live",
        created_from=bounds["startAt"],
        created_before=bounds["endAt"],
        search=query.get("search") or None,
        entity_source_type=query.get("entitySourceType") or None,
        subscription_id=query.get("subscriptionId") or None,
    )
