"""The four calls the importer makes, exactly as the spec shapes them.

Reads raise our exceptions when the run cannot go on (a refused token, a spent daily budget,
an API that keeps failing). ``record_payment`` returns the raw answer instead: what a payment
answer means is decided in one place, ``importer.send.sort_answer``.

Every request, whatever it is for, waits its turn at one ``Throttle`` and teaches it from the
answer's rate-limit headers; a 429 that is not the daily limit is waited out and sent again
here (the API did not act on it), so callers never see one unless it keeps coming.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar, overload

import httpx
import stamina
from pydantic import BaseModel, SecretStr, ValidationError

from importer.api.address import check_api_address
from importer.api.models import (
    Invoice,
    InvoicePage,
    RecordPaymentRequest,
    Transaction,
    TransactionPage,
)
from importer.api.redact import Secret, screened
from importer.api.throttle import Throttle
from importer.clock import SYSTEM_CLOCK, Clock
from importer.errors import AuthenticationError, DailyLimitReached, MissingScope, RunStopped

API_VERSION = "2021-07-28"
Shape = TypeVar("Shape", bound=BaseModel)
# The header by which the bundled sandbox names itself in every answer (HighLevel sends no
# such header): a run that sees it is a rehearsal, whatever address it was given.
SANDBOX_HEADER = "X-Importer-Sandbox"
_SAFE_ID = re.compile(r"[A-Za-z0-9]+")
# A 429 that is not the daily limit never fails a row; this many in a row means the budget is
# being spent by someone else faster than it renews, and the caller is told.
MAX_REFUSALS_IN_A_ROW = 30


class _ReadFailed(Exception):
    """A read answered with a server error or lost its connection; safe to send again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInvoiceId(ValueError):
    """An invoice id holds something other than letters and digits; it never reaches a URL."""


def check_invoice_id(invoice_id: str) -> str:
    """The id itself, when it is safe to put in a URL path."""
    if not _SAFE_ID.fullmatch(invoice_id):
        raise InvalidInvoiceId(f"Invoice id {invoice_id!r} may hold only letters and digits.")
    return invoice_id


def api_message(response: httpx.Response) -> str:
    """The API's own words from an error body, whether ``message`` is a string or a list."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, list):
        return "; ".join(str(part) for part in message)
    if message:
        return str(message)
    return response.reason_phrase


class HighLevelClient:
    """An authenticated connection to one location of the HighLevel API.

    ``clock`` paces its requests (through its own throttle; a ``throttle`` passed in keeps
    the clock it was given) and dates what it says about the daily limit.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: SecretStr,
        location_id: str,
        alt_type: str = "location",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        max_connections: int = 8,
        throttle: Throttle | None = None,
        read_attempts: int = 8,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        # The last gate: whatever made this client, the token goes over TLS or stays on
        # this computer (ConfigurationError otherwise).
        self.base_url = check_api_address(base_url).rstrip("/")
        self.timeout = timeout
        self.location_id = location_id
        self.alt_type = alt_type
        self.requests_sent = 0
        # The sandbox's name, once an answer says this is one (see ``account``).
        self.sandbox: str | None = None
        # The day by the API's own clock, from its last answer's Date header.
        self.server_today: date | None = None
        self.throttle = throttle or Throttle(clock=clock)
        self._clock = clock
        self._read_attempts = read_attempts
        # Every answer is screened for the token before anything reads it (see redact).
        self._secret = Secret(token.get_secret_value())
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token.get_secret_value()}",
                "Version": API_VERSION,
                "Accept": "application/json",
            },
            transport=transport,
            timeout=timeout,
            # The API allows 10 requests a second; a small pool is plenty and stays fast.
            limits=httpx.Limits(max_connections=max_connections),
        )

    def __repr__(self) -> str:
        return f"HighLevelClient(base_url={self.base_url!r}, location_id={self.location_id!r})"

    async def __aenter__(self) -> HighLevelClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def account(self) -> str:
        """Whose payments these are, as the journal keeps them apart: the location, whatever
        address reaches it; or, once an answer came from a sandbox, that sandbox's location
        (a sandbox started again is another one, holding none of the earlier payments)."""
        if self.sandbox is not None:
            return f"sandbox {self.sandbox} location {self.location_id}"
        return f"location {self.location_id}"

    def _heard(self, response: httpx.Response) -> None:
        """Note what an answer says of the server: a sandbox names itself."""
        name = response.headers.get(SANDBOX_HEADER)
        if name and self.sandbox is None:
            self.sandbox = name
        with contextlib.suppress(KeyError, TypeError, ValueError):
            self.server_today = parsedate_to_datetime(response.headers["date"]).date()

    def _alt(self) -> dict[str, str]:
        return {"altId": self.location_id, "altType": self.alt_type}

    async def record_payment(
        self,
        invoice_id: str,
        payment: RecordPaymentRequest,
        *,
        on_send: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """``POST /invoices/{invoiceId}/record-payment``; the answer is returned unjudged.

        ``on_send`` is called each time the request really leaves (after its turn at the
        throttle, and again for each 429 waited out): a lost answer's payment may arrive
        until some time after that moment, not after the moment the call began.
        """
        path = f"/invoices/{check_invoice_id(invoice_id)}/record-payment"
        return await self._exchange("POST", path, json=payment.body(), on_send=on_send)

    async def get_invoice(self, invoice_id: str) -> Invoice | None:
        """``GET /invoices/{invoiceId}``; None when the API does not know the invoice."""
        path = f"/invoices/{check_invoice_id(invoice_id)}"
        return await self._read_as(Invoice, path, self._alt(), missing_ok=True)

    async def list_invoices(
        self, *, limit: int, offset: int, status: str | None = None
    ) -> InvoicePage:
        """``GET /invoices/``: one page of the location's invoices."""
        params = {**self._alt(), "limit": str(limit), "offset": str(offset)}
        if status:
            params["status"] = status
        return await self._read_as(InvoicePage, "/invoices/", params)

    async def list_transactions(
        self,
        *,
        entity_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        created_from: date | None = None,
        created_until: date | None = None,
    ) -> TransactionPage:
        """``GET /payments/transactions``: for one invoice, or the location's created between
        two days (``startAt`` and ``endAt``, each day whole)."""
        params: dict[str, str] = {
            **self._alt(),
            "locationId": self.location_id,
            "limit": str(limit),
            "offset": str(offset),
        }
        if entity_id:
            params["entityId"] = entity_id
        if created_from is not None:
            params["startAt"] = created_from.isoformat()
        if created_until is not None:
            params["endAt"] = created_until.isoformat()
        return await self._read_as(TransactionPage, "/payments/transactions", params)

    async def get_transaction(self, transaction_id: str) -> Transaction | None:
        """``GET /payments/transactions/{transactionId}``, which carries the ``meta`` the list
        leaves out; None when the API does not know the transaction."""
        path = f"/payments/transactions/{check_invoice_id(transaction_id)}"
        params = {**self._alt(), "locationId": self.location_id}
        return await self._read_as(Transaction, path, params, missing_ok=True)

    async def probe(
        self, method: str, path: str, *, params: dict[str, str] | None = None, body: Any = None
    ) -> httpx.Response:
        """One request whose answer the caller judges itself (the doctor's checks)."""
        turn = await self.throttle.wait_turn()
        self.requests_sent += 1
        response = screened(
            await self._http.request(method, path, params=params, json=body), self._secret
        )
        self._heard(response)
        self.throttle.observe(response.headers, refused=response.status_code == 429, sent_at=turn)
        return response

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        on_send: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """Send one request in its turn; wait out and resend a 429 that is not the daily limit."""
        for _ in range(MAX_REFUSALS_IN_A_ROW):
            if self.throttle.daily_budget_spent:
                raise self._daily_limit_reached()
            turn = await self.throttle.wait_turn()
            self.requests_sent += 1
            if on_send is not None:
                on_send()
            response = screened(
                await self._http.request(method, path, params=params, json=json), self._secret
            )
            self._heard(response)
            refused = response.status_code == 429
            self.throttle.observe(response.headers, refused=refused, sent_at=turn)
            if not refused:
                return response
            if response.headers.get("X-RateLimit-Daily-Remaining") == "0":
                raise self._daily_limit_reached()
        return response

    def _daily_limit_reached(self) -> DailyLimitReached:
        budget = self.throttle.daily_limit
        size = f" of {budget:,} requests" if budget else ""
        again = (self._clock.now() + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M UTC")
        return DailyLimitReached(
            f"The location's daily API budget{size} is spent; HighLevel renews it within "
            f"24 hours. Run the same command again after {again}: payments already recorded "
            "will be skipped."
        )

    @overload
    async def _read_as(
        self, shape: type[Shape], path: str, params: dict[str, str], *, missing_ok: Literal[True]
    ) -> Shape | None: ...

    @overload
    async def _read_as(
        self,
        shape: type[Shape],
        path: str,
        params: dict[str, str],
        *,
        missing_ok: Literal[False] = False,
    ) -> Shape: ...

    async def _read_as(
        self, shape: type[Shape], path: str, params: dict[str, str], *, missing_ok: bool = False
    ) -> Shape | None:
        """A read whose answer has ``shape``; one that has not is read again, like a 5xx, and
        stops the run (RunStopped) if it never has: never a traceback."""
        read: Shape | None = await self._read(path, params, missing_ok=missing_ok, shape=shape)
        return read

    async def _read(
        self,
        path: str,
        params: dict[str, str],
        *,
        missing_ok: bool = False,
        shape: type[BaseModel] | None = None,
    ) -> Any:
        """GET with the retries that are always safe for a read (backoff with jitter)."""
        try:
            async for attempt in stamina.retry_context(
                on=_ReadFailed,
                attempts=self._read_attempts,
                timeout=None,
                wait_initial=0.5,
                wait_max=30.0,
            ):
                with attempt:
                    body = await self._read_once(path, params, missing_ok=missing_ok)
                    if body is not None and shape is not None:
                        return _in_shape(shape, body, path)
                    return body
        except _ReadFailed as failure:
            raise RunStopped(failure.message) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _read_once(self, path: str, params: dict[str, str], *, missing_ok: bool) -> Any:
        try:
            response = await self._exchange("GET", path, params=params)
        except httpx.RequestError as error:
            raise _ReadFailed(
                f"The API at {self.base_url} could not be reached "
                f"({type(error).__name__}). Check the connection and run again."
            ) from None
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError:
                raise _ReadFailed(
                    f"The API answered {path} with something other than JSON."
                ) from None
        if response.status_code == 404 and missing_ok:
            return None
        stop_for_auth_or_budget(response)
        message = f"The API answered {response.status_code} to {path}: {api_message(response)}"
        if response.status_code == 429 or response.status_code >= 500:
            raise _ReadFailed(message)
        raise RunStopped(message)


def _in_shape(shape: type[BaseModel], body: Any, path: str) -> BaseModel:
    """An answer read as the spec shapes it; one that is not (a proxy's page, another service
    at that address) is read again, like a 5xx, and stops the run if it never is."""
    try:
        return shape.model_validate(body)
    except ValidationError as error:
        count = error.error_count()
        fields = "1 field" if count == 1 else f"{count} fields"
        raise _ReadFailed(
            f"The API's answer to {path} is not shaped as the API describes it ({fields} "
            "cannot be read). Check HIGHLEVEL_API_URL, or try again later."
        ) from None


# What HighLevel answers (401) when the token lacks the scope of the call, not when it is bad.
_MISSING_SCOPE = "not authorized for this scope"


def stop_for_auth_or_budget(response: httpx.Response) -> None:
    """Raise when an answer means no further request can succeed this run; MissingScope when
    only the calls that need a scope the token lacks cannot."""
    if response.status_code == 401 and _MISSING_SCOPE in api_message(response).casefold():
        raise MissingScope(
            f"The token was not granted the scope this call needs (401: {api_message(response)})."
        )
    if response.status_code == 401:
        raise AuthenticationError(
            f"The API refused the token (401: {api_message(response)}). "
            "Check HIGHLEVEL_TOKEN: it must be a Private Integration Token of this sub-account."
        )
    if response.status_code == 403:
        raise AuthenticationError(
            f"The token has no access to this location or action (403: "
            f"{api_message(response)}). Check HIGHLEVEL_LOCATION_ID and the token's scopes."
        )
    if response.status_code == 429 and response.headers.get("X-RateLimit-Daily-Remaining") == "0":
        raise DailyLimitReached(
            "The location's daily API budget is spent; no more requests are accepted today. "
            "Check the results file for what was recorded before running again tomorrow."
        )
