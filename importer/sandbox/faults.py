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
  Before: the server holds a request it has taken (its body read) and applies it when the delay
  is over, even if the client has given up meanwhile, as an application behind a slow gateway
  does; a client that takes the silence for absence and sends again records the payment twice.
- `Fault.drop()`: the connection closes mid-answer, after the status line and headers but
  before the body, so the client sees a broken response rather than a status it could trust.
  (An ASGI app cannot close a connection before it has started answering; the server would
  send a 500 instead.)

`RandomFaults` is the plan behind `importer sandbox --faults error=0.1,throttle=0.05,...`:
error (500, not applied), throttle (429, not applied), timeout (applied, answered after the
fault delay), drop (applied, connection closed) and late (held for the fault delay, then
applied and answered), drawn from a seeded random generator.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FAULT_NAMES",
    "Fault",
    "FaultOdds",
    "FaultPlan",
    "RandomFaults",
    "RequestSummary",
    "parse_fault_odds",
]

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


# The names `importer sandbox --faults` takes, and what each does to a request it strikes.
# New names go at the end, so a seed strikes the same requests with the older names as before.
FAULT_NAMES = ("error", "throttle", "timeout", "drop", "late")


@dataclass(frozen=True)
class FaultOdds:
    """How often each kind of fault strikes a request, as a probability from 0 to 1."""

    error: float = 0.0  # 500, the request not applied
    throttle: float = 0.0  # 429, the request not applied
    timeout: float = 0.0  # applied, answered only after the fault delay
    drop: float = 0.0  # applied, the connection closed without an answer
    late: float = 0.0  # held for the fault delay, then applied and answered

    @property
    def total(self) -> float:
        """The chance that a request meets any fault."""
        return self.error + self.throttle + self.timeout + self.drop + self.late


def parse_fault_odds(text: str) -> FaultOdds:
    """Read "error=0.1,throttle=0.05,timeout=0.05,drop=0.05"; ValueError says what is wrong."""
    odds: dict[str, float] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        name, equals, value = part.partition("=")
        name = name.strip().lower()
        if name not in FAULT_NAMES or not equals:
            raise ValueError(
                f"{part!r} is not a fault. Write name=probability with names from "
                f"{', '.join(FAULT_NAMES)}, for example error=0.1,timeout=0.05."
            )
        try:
            probability = float(value)
        except ValueError:
            raise ValueError(f"{part!r}: the probability must be a number from 0 to 1.") from None
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"{part!r}: the probability must be a number from 0 to 1.")
        odds[name] = probability
    parsed = FaultOdds(**odds)
    if parsed.total > 1.0:
        raise ValueError(f"The fault probabilities add up to {parsed.total:g}, more than 1.")
    return parsed


class RandomFaults:
    """A fault plan that strikes requests at random with the given odds, repeatably by seed.

    ``latency`` (seconds) delays every request that draws no fault, before it is applied, so
    a rehearsal feels like a real network.
    """

    def __init__(
        self, odds: FaultOdds, *, seed: int | None = None, delay: float = 5.0, latency: float = 0.0
    ) -> None:
        self.odds = odds
        self.delay = delay
        self.latency = latency
        self._random = random.Random(seed)
        # The plan is called from the server's thread while a test may read the counts.
        self._lock = threading.Lock()
        self.struck: dict[str, int] = dict.fromkeys(FAULT_NAMES, 0)

    def __call__(self, request: RequestSummary) -> Fault | None:
        with self._lock:
            draw = self._random.random()
            edge = 0.0
            for name in FAULT_NAMES:
                edge += getattr(self.odds, name)
                if draw < edge:
                    self.struck[name] += 1
                    return self._fault(name)
        return Fault.delay(self.latency, after_applying=False) if self.latency > 0 else None

    def _fault(self, name: str) -> Fault:
        if name == "error":
            return Fault.error(status=500, after_applying=False)
        if name == "throttle":
            return Fault.error(status=429, after_applying=False)
        if name == "timeout":
            return Fault.delay(self.delay, after_applying=True)
        if name == "late":
            return Fault.delay(self.delay, after_applying=False)
        return Fault.drop(after_applying=True)
