"""The sandbox's rate limiter: a burst window and a daily allowance, as HighLevel announces them.

The burst window is a sliding log: a request is admitted when fewer than `max_requests` were
admitted in the last `interval_seconds`. HighLevel does not say whether its window is fixed or
sliding; a sliding log is the stricter of the two (a fixed window lets up to twice the limit
through across a window edge), so a client that stays under this one stays under either.

The daily allowance is a fixed window that starts with the first request and lasts 24 hours on
the injected clock. Refused requests (429) spend neither allowance, so a client that backs off
recovers as soon as the window slides.

The sandbox serves one location, so it keeps one bucket: HighLevel's "per app per location"
limit has nothing else to key on here.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "DAY_SECONDS",
    "UNLIMITED_MAX",
    "RateLimit",
    "RateLimiter",
    "Usage",
    "parse_rate_limit",
]

DAY_SECONDS = 86_400.0

# With limiting off the headers still go out, because clients read them; this is the "large
# max" they announce, far beyond anything a local run sends in one window.
UNLIMITED_MAX = 1_000_000

_RATE_LIMIT = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0}


@dataclass(frozen=True)
class RateLimit:
    """How many requests the burst window admits, and how long the window is."""

    max_requests: int
    interval_seconds: float
    enforced: bool = True


def parse_rate_limit(text: str) -> RateLimit:
    """Read a limit written as "N/Ss" ("100/10s", "25/10s", "500/1500ms", "60/1m") or "off"."""
    if text.strip().lower() == "off":
        return RateLimit(max_requests=UNLIMITED_MAX, interval_seconds=10.0, enforced=False)
    match = _RATE_LIMIT.match(text)
    if match is None:
        raise ValueError(
            f"Rate limit {text!r} is not understood. Write it as requests/interval, "
            'for example "100/10s" or "25/10s", or "off" to turn limiting off.'
        )
    count, length, unit = match.groups()
    interval_seconds = float(length) * _UNIT_SECONDS[unit.lower()]
    if int(count) < 1 or interval_seconds <= 0:
        raise ValueError(
            f"Rate limit {text!r} admits nothing. Use at least one request over a positive "
            'interval, for example "100/10s", or "off".'
        )
    return RateLimit(max_requests=int(count), interval_seconds=interval_seconds)


@dataclass(frozen=True)
class Usage:
    """Whether one request was admitted, and the five numbers every answer announces."""

    admitted: bool
    max_requests: int
    remaining: int
    interval_milliseconds: int
    daily_limit: int
    daily_remaining: int

    @property
    def daily_spent(self) -> bool:
        """True when the day's allowance is gone, so waiting a few seconds will not help."""
        return self.daily_remaining == 0

    def headers(self) -> dict[str, str]:
        """The X-RateLimit-* headers HighLevel sends on every answer."""
        return {
            "X-RateLimit-Max": str(self.max_requests),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Interval-Milliseconds": str(self.interval_milliseconds),
            "X-RateLimit-Limit-Daily": str(self.daily_limit),
            "X-RateLimit-Daily-Remaining": str(self.daily_remaining),
        }


class RateLimiter:
    """Admits or refuses requests against a sliding burst window and a fixed daily window."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        daily_limit: int,
        clock: Callable[[], float],
    ) -> None:
        if daily_limit < 1:
            raise ValueError(f"The daily limit must be at least 1, not {daily_limit}.")
        self.limit = limit
        self.daily_limit = daily_limit
        self._clock = clock
        self._admitted: deque[float] = deque()
        self._day_started: float | None = None
        self._day_count = 0
        # The server thread admits requests while a test thread may peek at the numbers.
        self._lock = threading.Lock()

    def admit(self) -> Usage:
        """Count one request if both windows have room; say so either way."""
        with self._lock:
            now = self._clock()
            self._slide(now)
            burst_full = self.limit.enforced and len(self._admitted) >= self.limit.max_requests
            day_full = self._day_count >= self.daily_limit
            admitted = not (burst_full or day_full)
            if admitted:
                self._admitted.append(now)
                self._day_count += 1
            return self._usage(admitted=admitted)

    def peek(self) -> Usage:
        """The numbers as they stand, without counting a request (for answers like 401)."""
        with self._lock:
            self._slide(self._clock())
            return self._usage(admitted=True)

    def _slide(self, now: float) -> None:
        horizon = now - self.limit.interval_seconds
        while self._admitted and self._admitted[0] <= horizon:
            self._admitted.popleft()
        if self._day_started is None or now - self._day_started >= DAY_SECONDS:
            self._day_started = now
            self._day_count = 0

    def _usage(self, *, admitted: bool) -> Usage:
        return Usage(
            admitted=admitted,
            max_requests=self.limit.max_requests,
            remaining=max(self.limit.max_requests - len(self._admitted), 0),
            interval_milliseconds=round(self.limit.interval_seconds * 1000),
            daily_limit=self.daily_limit,
            daily_remaining=max(self.daily_limit - self._day_count, 0),
        )
