"""How far a run has got: payments done of those to send, by status, the rate, the time left.

Fed the run's events; read by the terminal's progress line and the workbench's progress bar,
so both say the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from importer.importing import Event, PaymentDone, SendingStarted, Waiting
from importer.status import RowStatus

__all__ = ["Tally"]


@dataclass
class Tally:
    """The payments of one run counted as their outcomes come in; times in seconds on any
    one clock (``time.monotonic``)."""

    total: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    # Why the run waits, while it does (a lost answer that may still arrive).
    waiting: str = ""

    def start(self, total: int, *, at: float) -> None:
        """``total`` payments are about to be sent."""
        self.total = total
        self.started = at

    def add(self, status: str) -> None:
        """One payment's outcome is known."""
        self.counts[status] += 1
        self.waiting = ""

    def tell(self, event: Event, *, at: float) -> None:
        """Count one of the run's events."""
        if isinstance(event, SendingStarted):
            self.start(event.payments, at=at)
        elif isinstance(event, PaymentDone):
            self.add(event.outcome.status)
        elif isinstance(event, Waiting):
            self.waiting = event.message

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    @property
    def recorded(self) -> int:
        return self.counts[RowStatus.RECORDED]

    @property
    def held_back(self) -> int:
        """Payments done but not recorded (refused, failed, in doubt or not sent)."""
        return self.done - self.recorded

    def rate(self, now: float) -> float:
        """Payments a second since sending started."""
        return self.done / max(now - self.started, 1e-9)

    def seconds_left(self, now: float) -> float:
        """At the rate so far, how long the rest take (0 before the first is done)."""
        rate = self.rate(now)
        return (self.total - self.done) / rate if rate else 0.0
