"""How far a run has got: a progress bar on a terminal, a plain line every few seconds elsewhere.

Both are fed the same way: the run's events through ``tell``, or ``start(total)`` once the
payments to send are known, then ``advance(outcome)`` for each payment, then ``close()``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from importer.importing import Event, PaymentDone, SendingStarted, Waiting
from importer.progress import Tally
from importer.send.outcomes import Outcome
from importer.words import status_word

_PROBLEMS = ("rejected", "failed", "unknown")


def progress_for(stream: TextIO) -> RunProgress:
    """A bar on a terminal; elsewhere (a log, a pipe) a plain line every few seconds."""
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)


def tell(progress: RunProgress, event: Event) -> None:
    """Pass one of the run's events on to ``progress``."""
    if isinstance(event, SendingStarted):
        progress.start(event.payments)
    elif isinstance(event, PaymentDone):
        progress.advance(event.outcome)
    elif isinstance(event, Waiting):
        progress.note(event.message)


class RunProgress(Protocol):
    """What the run tells about progress."""

    def start(self, total: int) -> None:
        """The number of payments about to be sent."""

    def advance(self, outcome: Outcome) -> None:
        """One payment's outcome is known."""

    def note(self, text: str) -> None:
        """Something the user should know while the run goes on (why it waits, say)."""

    def close(self) -> None:
        """The run is over."""


class BarProgress:
    """A rich progress bar: payments done, recorded and problem counts, rate and time left."""

    def __init__(self, stream: TextIO) -> None:
        self._console = Console(file=stream)
        self._counts: Counter[str] = Counter()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` payments."""
        self._bar = Progress(
            TextColumn("Recording"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=self._console,
            transient=True,
        )
        self._task = self._bar.add_task("payments", total=total, counts="", rate="")
        self._bar.start()

    def advance(self, outcome: Outcome) -> None:
        """Move the bar on by one payment and update the counts and rate."""
        self._counts[outcome.status] += 1
        if self._bar is None or self._task is None:
            return
        speed = self._bar.tasks[0].speed
        self._bar.update(
            self._task,
            advance=1,
            counts=_counts_text(self._counts),
            rate=f"{speed:.1f}/s" if speed else "",
        )

    def note(self, text: str) -> None:
        """A line above the bar (or alone, before the bar starts)."""
        self._console.print(text, markup=False, highlight=False)

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()


class LineProgress:
    """One plain line every ``every`` seconds, for logs and pipes where a bar would be noise."""

    def __init__(
        self, stream: TextIO, *, every: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._stream = stream
        self._every = every
        self._clock = clock
        self._tally = Tally()
        self._last = 0.0

    def start(self, total: int) -> None:
        """Start the clock for ``total`` payments."""
        self._tally.start(total, at=self._clock())
        self._last = self._tally.started

    def advance(self, outcome: Outcome) -> None:
        """Count one payment; write a line if the last one is old enough."""
        self._tally.add(outcome.status)
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            self._stream.write(self.line(now) + "\n")
            self._stream.flush()

    def line(self, now: float) -> str:
        """'120/500 payments done (118 recorded, 2 failed), 9.6/s, about 40 s left.'"""
        tally = self._tally
        counts = _counts_text(tally.counts)
        return (
            f"{tally.done}/{tally.total} payments done ({counts}), {tally.rate(now):.1f}/s, "
            f"about {tally.seconds_left(now):.0f} s left."
        )

    def note(self, text: str) -> None:
        """The line as it is."""
        self._stream.write(text + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Nothing to take down: the summary follows."""
        return None


def _counts_text(counts: Counter[str]) -> str:
    parts = [f"{counts['recorded']} recorded"]
    parts += [
        f"{counts[status]} {status_word(status).lower()}" for status in _PROBLEMS if counts[status]
    ]
    return ", ".join(parts)
