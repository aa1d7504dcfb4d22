"""Faults the sandbox can inject, so the importer's handling of a failing server can be rehearsed.

A fault plan is any callable that looks at one request and returns a `Fault` or None. The
sandbox consults it once per request that passed the token, rate-limit and Version checks (a
request the real API would have handed to the invoice service), after numbering it.

What matters to a payment importer is whether the payment was recorded before things went
wrong, so every fault says whether it strikes before or after the request is applied:

- `Fault.error()`: a 5xx answer. Before: nothing recorded, safe to retry. After: recorded,
  yet the client sees a 5xx.
- `Fault.delay(seconds)`: the answer comes late, long enough for a client timeout. After (the
  default) is the dangerous case: the payment is recorded while the client has given up.
- `Fault.drop()`: the connection closes mid-answer, after the status line and headers but
  before the body, so the client sees a broken response rather than a status it could trust.
  (An ASGI app cannot close a connection before it has started answering; the server would
  send a 500 instead.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Fault", "FaultPlan", "RequestSummary"]

FaultKind = Literal["error", "delay", "drop"]


@dataclass(frozen=True)
class RequestSummary:
    """What a fault plan gets to see of one request."""

    number: int
    """1-based count of the requests that reached the fault plan."""
    method: str
    path: str


@dataclass(frozen=True)
class Fault:
    """One thing to go wrong with one request."""

    kind: FaultKind
    after_applying: bool
    status: int = 500
    seconds: float = 0.0

    @classmethod
    def error(cls, *, status: int = 500, after_applying: bool = False) -> Fault:
        """Answer with a server error instead of the real answer."""
        return cls(kind="error", after_applying=after_applying, status=status)

    @classmethod
    def delay(cls, seconds: float, *, after_applying: bool = True) -> Fault:
        """Hold the answer back for `seconds`."""
        return cls(kind="delay", after_applying=after_applying, seconds=seconds)

    @classmethod
    def drop(cls, *, after_applying: bool = True) -> Fault:
        """Close the connection before the answer's body is sent."""
        return cls(kind="drop", after_applying=after_applying)


FaultPlan = Callable[[RequestSummary], Fault | None]
