"""A local stand-in for the HighLevel invoices API, for rehearsals and for tests over real HTTP.

It imports nothing from the rest of the importer: it makes its own reading of the spec, so the
client and the sandbox cannot agree with each other by accident.

    with running_sandbox({"locationId": "loc1", "invoices": [...]}) as running:
        httpx.get(f"{running.url}/invoices/", ...)

Modules: `state` (invoices and ledger), `body` (reading a request body safely), `validation`
(request checks), `ratelimit`, `faults`, `app` (the Starlette app behind `Sandbox`), `server`
(uvicorn, and the warnings due before listening beyond this computer).
"""

from importer.sandbox.app import API_VERSION, DEFAULT_TOKEN, Sandbox
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
from importer.sandbox.server import RunningSandbox, exposure_warnings, running_sandbox, serve
from importer.sandbox.state import InvoiceNotFound, SeedError

__all__ = [
    "API_VERSION",
    "BODY_LIMIT",
    "DEFAULT_TOKEN",
    "Fault",
    "FaultOdds",
    "FaultPlan",
    "InvoiceNotFound",
    "RandomFaults",
    "RateLimit",
    "RequestSummary",
    "RunningSandbox",
    "Sandbox",
    "SeedError",
    "Usage",
    "exposure_warnings",
    "parse_fault_odds",
    "parse_rate_limit",
    "running_sandbox",
    "serve",
]
