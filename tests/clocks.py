"""A clock for tests: time moves only when the code under test sleeps, or the test says so."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta


class ManualClock:
    """Starts at ``start``; ``sleep`` moves both times on at once instead of waiting."""

    def __init__(self, start: datetime = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) -> None:
        self.start = start
        self.elapsed = 0.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.elapsed += max(seconds, 0.0)
        # Let other tasks run, as a real sleep would.
        await asyncio.sleep(0)
