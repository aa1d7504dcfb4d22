"""The one clock of a run: the time of day for stamps, a steady count for waits, and sleep.

Everything that waits or stamps takes a ``Clock``, so a test passes one whose ``sleep`` moves
time on at once and nothing ever waits for real (``tests/clocks.py``).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock"]


class Clock(Protocol):
    """Wall time, steady time and sleep, from one source."""

    def now(self) -> datetime:
        """The time of day in UTC, for what is written down (the journal, the results)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a steady count, for measuring waits; never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on this clock."""
        ...


class SystemClock:
    """The computer's own clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()
