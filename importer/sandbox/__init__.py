"""A local stand-in for the HighLevel invoices API, for rehearsals and for tests over real HTTP.

It imports nothing from the rest of the importer: it makes its own reading of the spec, so the
client and the sandbox cannot agree with each other by accident.

    with running_sandbox({"locationId": "loc1", "invoices": [...]}) as running:
        httpx.get(f"{running.url}/invoices/", ...)

Modules: `state` (invoices and ledger), `body` (reading a request body safely), `validation`
(request checks), `transactions` (what the transactions routes answer), `scopes`, `ratelimit`,
`faults`, `app` (the Starlette app behind `Sandbox`), `server` (uvicorn, and the warnings due
before listening beyond this computer).
"""

from importer.sandbox.app import API_VERSION, DEFAULT_TOKEN, SANDBOX_HEADER, RouteKey, Sandbox
from importer.sandbox.body import BODY_LIMIT
from importer.sandbox.faults import (
    Fault,
    FaultOdds,
    FaultPlan,
    RandomFaults,
    RequestSummary,
    parse_fault_odds,
)
from importer.sandbox.ratelimit import RateLimit, Usage, parse_rate_limit
from importer.sandbox.scopes import ALL_SCOPES, parse_scopes
from importer.sandbox.server import RunningSandbox, exposure_warnings, running_sandbox, serve
from importer.sandbox.state import InvoiceNotFound, SeedError

__all__ = [
    "ALL_SCOPES",
    "API_VERSION",
    "BODY_LIMIT",
    "DEFAULT_TOKEN",
    "SANDBOX_HEADER",
    "Fault",
    "FaultOdds",
    "FaultPlan",
    "InvoiceNotFound",
    "RandomFaults",
    "RateLimit",
    "RequestSummary",
    "RouteKey",
    "RunningSandbox",
    "Sandbox",
    "SeedError",
    "Usage",
    "exposure_warnings",
    "parse_fault_odds",
    "parse_rate_limit",
    "parse_scopes",
    "running_sandbox",
    "serve",
]
