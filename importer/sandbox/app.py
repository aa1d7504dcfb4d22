"""The sandbox's HTTP face: a Starlette app that answers like the HighLevel invoices API.

Every request passes the gate first, in the order a gateway in front of the real service
would apply it:

1. `Authorization: Bearer <token>` must match, else 401. A request without a valid token
   cannot be tied to a location, so it spends no allowance (its headers still report it).
2. The rate limiter admits it, else 429 (no Retry-After, like the real API).
3. A Content-Length over 1 MiB gets 413 at once, the body unread; a body that arrives in
   chunks is cut off with 413 when it passes 1 MiB (see `importer.sandbox.body`).
4. `Version: 2021-07-28` must be present, else 400 with a plain message. The spec marks the
   header required with that one value, but says nothing of the answer when it is missing;
   a 400 is what a required header usually earns, and a plain message names the fix.
5. The token must hold the route's scope, else 401 (see `importer.sandbox.scopes`).
6. The fault plan, if any, may step in (see `importer.sandbox.faults`).

Then the route runs. A request for another location (altId other than the seed's locationId)
gets 403 "The token does not have access to this location.", as HighLevel's location-scoped
tokens answer, and before any schema check, as an access guard runs before validation.

All five X-RateLimit-* headers go out on every answer the gate or a route gives, and so does
`X-Importer-Sandbox`, the sandbox's name: HighLevel sends no such header, so an importer that
reads it knows it is rehearsing (its journal keeps a rehearsal's payments apart), and a sandbox
started again has a new name, holding none of the payments of the one before. Every request
that reaches the sandbox, whatever its answer, is counted by route in `requests_by_route`.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from importer.sandbox.body import BadBody, BodyTooLarge, capped, read_body, too_large
from importer.sandbox.faults import Fault, FaultPlan, RequestSummary
from importer.sandbox.ratelimit import RateLimiter, parse_rate_limit
from importer.sandbox.scopes import MISSING_SCOPE_MESSAGE, read_scopes
from importer.sandbox.state import InvoiceBook, InvoiceNotFound, PaymentRefused, Seed, utc_now
from importer.sandbox.transactions import list_item, matches, single
from importer.sandbox.validation import (
    Unprocessable,
    read_location,
    read_page,
    read_payment,
    read_transaction_query,
)

__all__ = [
    "API_VERSION",
    "DEFAULT_TOKEN",
    "SANDBOX_HEADER",
    "ConnectionDropped",
    "RouteKey",
    "Sandbox",
]

DEFAULT_TOKEN = "sandbox-token"
API_VERSION = "2021-07-28"
# Names the sandbox in every answer (see the module's docstring).
SANDBOX_HEADER = "X-Importer-Sandbox"

# The spec's default page for transactions; invoices have no default (limit is required).
TRANSACTIONS_DEFAULT_LIMIT = 10

# A request's method and the route's path as written in the app, such as
# ("GET", "/invoices/{invoice_id}"); a path no route serves stands as it was asked for.
RouteKey = tuple[str, str]


class ConnectionDropped(Exception):
    """Raised on purpose to make the server close a connection mid-answer (a drop fault)."""


def _error(status: int, message: str | list[str], error: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"statusCode": status, "message": message}
    if error is not None:
        body["error"] = error
    return JSONResponse(body, status_code=status)


def _unauthorized() -> JSONResponse:
    return _error(401, "Invalid token: access token is invalid", "Unauthorized")


def _refused(refusal: BadBody) -> JSONResponse:
    # body-parser's refusals reach the client through NestJS's exception filter, which answers
    # an http-errors error as {statusCode, message}, with no "error" field.
    return _error(refusal.status, refusal.message)


def _not_in_scope() -> JSONResponse:
    return _error(401, MISSING_SCOPE_MESSAGE, "Unauthorized")


def _unprocessable(messages: list[str]) -> JSONResponse:
    return _error(422, messages, "Unprocessable Entity")


def _forbidden() -> JSONResponse:
    return _error(403, "The token does not have access to this location.", "Forbidden")


class Sandbox:
    """One location's invoices in memory, served by a Starlette app shaped like HighLevel's API."""

    def __init__(
        self,
        seed: Seed,
        *,
        token: str = DEFAULT_TOKEN,
        rate_limit: str = "100/10s",
        daily_limit: int = 200_000,
        max_page_size: int = 100,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        faults: FaultPlan | None = None,
        scopes: Iterable[str] | None = None,
        transactions_list_meta: bool = False,
    ) -> None:
        """Options beyond the seed, all keyword-only.

        ``scopes``: what the token may do (default: all of `importer.sandbox.ALL_SCOPES`).
        ``transactions_list_meta``: whether the items of GET /payments/transactions carry each
        payment's ``meta`` and notes. The real API's items carry neither (False, the default);
        True answers the list as the sandbox once did, for a test of an API that gives more.
        """
        if not token:
            raise ValueError("The sandbox token cannot be empty.")
        if max_page_size < 1:
            raise ValueError(f"max_page_size must be at least 1, not {max_page_size}.")
        self.book = InvoiceBook(seed, now=now)
        self.token = token
        self.max_page_size = max_page_size
        self.limiter = RateLimiter(
            parse_rate_limit(rate_limit), daily_limit=daily_limit, clock=clock
        )
        # Public and swappable, so a test can arm a fault on a sandbox that is already running.
        self.faults: FaultPlan | None = faults
        # Public and swappable too, so a test can take a scope away from a running sandbox.
        self.scopes: frozenset[str] = read_scopes(scopes)
        self.transactions_list_meta = transactions_list_meta
        # A new name each time a sandbox starts (see SANDBOX_HEADER).
        self.name = secrets.token_hex(6)
        self.requests_seen = 0
        self._requests_by_route: Counter[RouteKey] = Counter()
        self._counting = threading.Lock()
        self._route_scopes: dict[str, str] = {}
        self.app = self._build_app()

    @property
    def location_id(self) -> str:
        """The one location (sub-account) this sandbox serves."""
        return self.book.location_id

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        """A copy of one invoice; InvoiceNotFound (a KeyError) if the id is unknown."""
        return self.book.invoice(invoice_id)

    def invoices(self) -> list[dict[str, Any]]:
        """Copies of all invoices, in seed order."""
        return self.book.invoices()

    def transactions(self) -> list[dict[str, Any]]:
        """Copies of all recorded transactions, oldest first."""
        return self.book.transactions()

    @property
    def requests_by_route(self) -> Counter[RouteKey]:
        """A copy of how many requests reached each route, whatever their answer.

        Keys are ("GET", "/invoices/{invoice_id}") and the like, the paths as the routes are
        written; a request for a path no route serves counts under the path itself.
        """
        with self._counting:
            return Counter(self._requests_by_route)

    def _count(self, key: RouteKey) -> None:
        with self._counting:
            self._requests_by_route[key] += 1

    def _route_of(self, scope: Scope) -> str | None:
        """The path, as written in the app, of the route that serves this request."""
        for route in self.app.routes:
            if isinstance(route, Route) and route.matches(scope)[0] is Match.FULL:
                return route.path
        return None

    def scope_needed(self, route_path: str | None) -> str | None:
        """The scope a token needs for a route (as written in the app); None if it needs none."""
        return self._route_scopes.get(route_path or "")

    def _build_app(self) -> Starlette:
        read, write = "invoices.readonly", "invoices.write"
        transactions = "payments/transactions.readonly"
        table = [
            ("/invoices/", self._list_invoices, "GET", read),
            # Registered without the slash too, so a client that drops it is not redirected.
            ("/invoices", self._list_invoices, "GET", read),
            ("/invoices/{invoice_id}", self._get_invoice, "GET", read),
            ("/invoices/{invoice_id}/record-payment", self._record_payment, "POST", write),
            ("/payments/transactions", self._list_transactions, "GET", transactions),
            (
                "/payments/transactions/{transaction_id}",
                self._get_transaction,
                "GET",
                transactions,
            ),
        ]
        routes = [Route(path, answer, methods=[method]) for path, answer, method, _ in table]
        self._route_scopes = {path: needed for path, _, _, needed in table}
        return Starlette(
            routes=routes,
            middleware=[Middleware(_Gate, sandbox=self)],
            exception_handlers={HTTPException: _http_exception},
        )

    def _owns(self, alt_id: Any) -> bool:
        return not isinstance(alt_id, str) or not alt_id or alt_id == self.location_id

    def _owns_query(self, request: Request) -> bool:
        query = request.query_params
        return self._owns(query.get("altId")) and self._owns(query.get("locationId"))

    async def _record_payment(self, request: Request) -> Response:
        try:
            body = await read_body(request)
        except BadBody as refusal:
            return _refused(refusal)
        if isinstance(body, dict) and not self._owns(body.get("altId")):
            return _forbidden()
        try:
            payment = read_payment(body)
        except Unprocessable as problem:
            return _unprocessable(problem.messages)
        try:
            invoice = self.book.record_payment(
                request.path_params["invoice_id"],
                amount=payment.amount,
                payment_method=payment.payment_method(),
                alt_type=payment.alt_type,
                notes=payment.notes,
                meta=payment.meta,
                fulfilled_at=payment.fulfilled_at,
            )
        except InvoiceNotFound:
            return _error(404, "Invoice not found")
        except PaymentRefused as refusal:
            return _error(400, str(refusal))
        return JSONResponse({"success": True, "invoice": invoice})

    async def _get_invoice(self, request: Request) -> Response:
        if not self._owns_query(request):
            return _forbidden()
        try:
            read_location(request.query_params)
        except Unprocessable as problem:
            return _unprocessable(problem.messages)
        try:
            return JSONResponse(self.book.invoice(request.path_params["invoice_id"]))
        except InvoiceNotFound:
            return _error(404, "Invoice not found")

    async def _list_invoices(self, request: Request) -> Response:
        query = request.query_params
        if not self._owns_query(request):
            return _forbidden()
        problems: list[str] = []
        try:
            read_location(query)
        except Unprocessable as problem:
            problems += problem.messages
        try:
            page = read_page(query, max_page_size=self.max_page_size)
        except Unprocessable as problem:
            problems += problem.messages
        if problems:
            return _unprocessable(problems)
        window, total = self.book.invoice_page(
            offset=page.offset,
            limit=page.limit,
            status=query.get("status") or None,
            contact_id=query.get("contactId") or None,
        )
        return JSONResponse({"invoices": window, "total": total})

    async def _list_transactions(self, request: Request) -> Response:
        query = request.query_params
        if not self._owns_query(request):
            return _forbidden()
        problems: list[str] = []
        try:
            read_location(query)
        except Unprocessable as problem:
            problems += problem.messages
        try:
            page = read_page(
                query, max_page_size=self.max_page_size, default_limit=TRANSACTIONS_DEFAULT_LIMIT
            )
        except Unprocessable as problem:
            problems += problem.messages
        try:
            filters = read_transaction_query(query)
        except Unprocessable as problem:
            problems += problem.messages
        if problems:
            return _unprocessable(problems)
        matching = [
            t for t in self.book.transactions(entity_id=filters.entity_id) if matches(t, filters)
        ]
        window = [
            list_item(transaction, with_meta=self.transactions_list_meta)
            for transaction in matching[page.offset : page.offset + page.limit]
        ]
        return JSONResponse({"data": window, "totalCount": len(matching)})

    async def _get_transaction(self, request: Request) -> Response:
        if not self._owns_query(request):
            return _forbidden()
        try:
            read_location(request.query_params)
        except Unprocessable as problem:
            return _unprocessable(problem.messages)
        try:
            transaction = self.book.transaction(request.path_params["transaction_id"])
        except KeyError:
            # The spec's only refusal for an unknown id: 400 "Transaction not found".
            return _error(400, "Transaction not found")
        return JSONResponse(single(transaction))


async def _http_exception(request: Request, exc: Exception) -> Response:
    # NestJS answers an unknown route (or a known path with the wrong method) with a JSON 404
    # naming the method and path; Starlette's plain-text 404/405 would look like another server.
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        return _error(404, f"Cannot {request.method} {request.url.path}", "Not Found")
    return _error(exc.status_code, str(exc.detail))


class _Gate:
    """ASGI middleware: the checks before a route (see the module's docstring), the faults, and
    the rate-limit headers on every answer."""

    def __init__(self, app: ASGIApp, *, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sandbox = self.sandbox
        headers = Headers(scope=scope)
        route_path = sandbox._route_of(scope)
        sandbox._count((scope["method"], route_path or scope["path"]))

        named = {SANDBOX_HEADER: sandbox.name}
        if not self._authorized(headers.get("authorization", "")):
            usage = sandbox.limiter.peek()
            await _with_headers(_unauthorized(), {**usage.headers(), **named})(scope, receive, send)
            return
        usage = sandbox.limiter.admit()
        rate_headers = {**usage.headers(), **named}

        async def answer(response: Response) -> None:
            await _with_headers(response, rate_headers)(scope, receive, send)

        if not usage.admitted:
            await answer(_error(429, "Too many requests"))
            return
        if too_large(headers.get("content-length")):
            await answer(_refused(BodyTooLarge()))
            return
        if headers.get("version") != API_VERSION:
            await answer(
                _error(
                    400,
                    f"The Version header is missing or not supported; send Version: {API_VERSION}",
                    "Bad Request",
                )
            )
            return
        needed = sandbox.scope_needed(route_path)
        if needed is not None and needed not in sandbox.scopes:
            await answer(_not_in_scope())
            return

        sandbox.requests_seen += 1
        fault: Fault | None = None
        if sandbox.faults is not None:
            summary = RequestSummary(
                number=sandbox.requests_seen, method=scope["method"], path=scope["path"]
            )
            fault = sandbox.faults(summary)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.lower().encode(), v.encode()) for k, v in rate_headers.items()),
                ]
            await send(message)

        try:
            await self._pass_on(fault, scope, capped(receive), send_with_headers)
        except BodyTooLarge as refusal:
            # A route answers a body that grew too large itself; this is for a body read here
            # (a fault that takes the request before the route runs).
            if started:
                raise
            await answer(_refused(refusal))

    async def _pass_on(
        self, fault: Fault | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Hand the request to the route, through the fault if there is one."""
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.kind == "delay" and not fault.after_applying:
            # The server has taken the request: it is applied after the delay even if the
            # client gave up meanwhile (a body read only then would be lost with the client).
            receive = await _taken(receive)
        if fault.after_applying:
            # Run the request to the end so its effect is real, but hold its answer back.
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.app(scope, receive, hold)
        await _strike(fault, send)
        if fault.kind == "delay":
            if fault.after_applying:
                for message in held:
                    await send(message)
            else:
                await self.app(scope, receive, send)
            return
        if fault.kind == "error":
            # A 429 fault reads like the gate's own refusal, so a client cannot tell them apart.
            words = "Too many requests" if fault.status == 429 else "Internal server error"
            response = _error(fault.status, words)
            await response(scope, receive, send)

    def _authorized(self, authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.sandbox.token


async def _strike(fault: Fault, send: Send) -> None:
    """Do the part of a fault that comes before any answer: wait, or break the connection."""
    if fault.kind == "delay":
        await asyncio.sleep(fault.seconds)
    elif fault.kind == "drop":
        # The server can only close a connection once an answer has started; start one whose
        # body never comes, then fail, and uvicorn closes the socket.
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise ConnectionDropped("connection dropped on purpose by a sandbox fault")


async def _taken(receive: Receive) -> Receive:
    """Read the whole request body now; a receive that hands it over later, then listens on."""
    body: list[Message] = []
    while True:
        message = await receive()
        body.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break

    async def replay() -> Message:
        return body.pop(0) if body else await receive()

    return replay


def _with_headers(response: Response, headers: dict[str, str]) -> Response:
    response.headers.update(headers)
    return response
