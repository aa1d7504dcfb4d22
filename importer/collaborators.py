"""What a run is given from outside, and what it tells while it goes.

The API client, the journal, the one clock, the stop signal and the place progress events go
are passed in, so that a test gives a fake clock and a sandbox, and the workbench a Stop
button and a progress bar, without the run knowing the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from importer.api.client import HighLevelClient
from importer.clock import SYSTEM_CLOCK, Clock
from importer.journal.journal import Journal
from importer.send.outcomes import Outcome
from importer.send.stop import StopSignal

__all__ = ["Collaborators", "Event", "PaymentDone", "SendingStarted", "Waiting"]


@dataclass(frozen=True)
class SendingStarted:
    """Sending begins: this many payments are about to go."""

    payments: int


@dataclass(frozen=True)
class PaymentDone:
    """One payment's outcome is known."""

    outcome: Outcome


@dataclass(frozen=True)
class Waiting:
    """The run waits, and says why in words (a lost answer that may still arrive)."""

    message: str


Event = SendingStarted | PaymentDone | Waiting


def _no_events(_event: Event) -> None:
    pass


@dataclass(frozen=True, kw_only=True)
class Collaborators:
    """What a run works with, passed in: the API, the journal, the clock, the stop signal,
    and where progress events go."""

    client: HighLevelClient
    journal: Journal
    clock: Clock = SYSTEM_CLOCK
    stop: StopSignal = field(default_factory=StopSignal)
    on_event: Callable[[Event], None] = _no_events
