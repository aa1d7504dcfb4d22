"""One request budget for the whole run, following what the API announces.

HighLevel allows ``X-RateLimit-Max`` requests per ``X-RateLimit-Interval-Milliseconds`` and
says how many are left in ``X-RateLimit-Remaining``. We keep our own sliding log of the last
window: while it holds less than half the budget requests leave at once (a small file is done
in a moment); past that they are spaced evenly at 98% of the announced rate, and never more
than 98% of the budget sits in the log. A sliding log is the stricter reading of the API's
window (a fixed window admits at least as much); spacing rather than bursting at the edge of
the window keeps the jitter of the network from pushing a request into the wrong window.
Lookups, verifications and payments all wait their turn here.

When ``X-RateLimit-Remaining`` is lower than our own requests explain, the server's window
holds requests that are not in our log: another integration's, or those of a run that ended
just before this one. They are logged apart, as spent at the moment we learn of them (the
latest they can have been, so we forget them no sooner than the server does), and ours and
theirs together stay within the announced budget; the next requests also go at half pace.
At 0, or after a 429, requests pause for a few slots (doubling while 429s continue).

Why our own and not aiolimiter: aiolimiter reads the event loop's clock and schedules its own
wake-ups, so it cannot be driven by a clock passed in; this log is a dozen lines and every
decision in it is tested with a manual clock.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from importer.clock import SYSTEM_CLOCK, Clock

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0}


@dataclass(frozen=True)
class Rate:
    """A number of requests per interval of seconds."""

    requests: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}s"


def parse_rate(text: str) -> Rate:
    """Read ``N/SECONDS`` ("50/10", "50/10s", "500/1500ms"); ValueError says how to write it."""
    match = _RATE.match(text)
    if match is None or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise ValueError(
            f"{text!r} is not a rate. Write it as requests/seconds, for example 50/10 "
            "for 50 requests every 10 seconds."
        )
    count, length, unit = match.groups()
    return Rate(int(count), float(length) * _UNIT_SECONDS[(unit or "s").lower()])


# At most how long after its turn a request of ours reaches the server (connection pool,
# network): the server's window may count it this much longer than our log does.
_ARRIVAL_LAG = 0.25

# What the API allows until its first answer says otherwise (the production limit).
DEFAULT_RATE = Rate(100, 10.0)


class Throttle:
    """Paces every request of a run under the API's announced budget (and the user's cap)."""

    def __init__(
        self,
        *,
        announced: Rate = DEFAULT_RATE,
        cap: Rate | None = None,
        headroom: float = 0.98,
        slack: int = 3,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.announced = announced
        self.cap = cap
        # Spacing just under the limit absorbs the jitter between our clock and the server's.
        self._headroom = headroom
        self._slack = slack
        # When our own requests left, to tell our spending from someone else's; kept a few
        # seconds past the window, to set an answer against the window as it stood when its
        # request left (the server counted it then, not when the answer came back).
        self._sent: deque[float] = deque()
        self._kept_past_window = 5.0
        # Requests the server's window holds that are not ours, stamped when we learnt of them.
        self._others: deque[float] = deque()
        self._clock = clock
        self._not_before = clock.monotonic()
        self._last_turn = clock.monotonic()
        self._slow_turns = 0
        self._refusals_in_a_row = 0
        self.daily_remaining: int | None = None
        self.daily_limit: int | None = None
        self.refusals = 0
        self.others_seen = False

    @property
    def rate(self) -> Rate:
        """The rate we actually send at: the announced one, or the user's cap if lower."""
        if self.cap is not None and self.cap.per_second < self.announced.per_second:
            return self.cap
        return self.announced

    @property
    def spacing(self) -> float:
        """Seconds between two requests once the log is half full."""
        return 1.0 / (self.rate.per_second * self._headroom)

    @property
    def allowed(self) -> int:
        """How many of our requests one window may hold: the rate, less the headroom."""
        return max(1, int(self.rate.requests * self._headroom))

    async def wait_turn(self) -> float:
        """Wait until this request may leave, and say when that was (its turn); turns are
        handed out in the order asked for."""
        now = self._clock.monotonic()
        rate = self.rate
        self._forget(now - max(rate.seconds, self.announced.seconds) - self._kept_past_window)
        self._forget_others(now - self.announced.seconds)
        turn = max(now, self._not_before)
        if len(self._sent) >= self.allowed:
            # The window is full: wait until its oldest request (of those that count) leaves.
            turn = max(turn, self._sent[-self.allowed] + rate.seconds)
        budget = max(1, int(self.announced.requests * self._headroom))
        if self._others:
            # The server counts others' requests too: theirs and ours within its budget.
            both = sorted([*self._others, *self._sent])
            if len(both) >= budget:
                turn = max(turn, both[-budget] + self.announced.seconds)
        if self._slow_turns:
            # Someone else shares the budget: space ours at half the rate for a while.
            self._slow_turns -= 1
            turn = max(turn, self._last_turn + 2 * self.spacing)
        elif self._ours_since(now - rate.seconds) + len(self._others) >= self.allowed // 2:
            turn = max(turn, self._last_turn + self.spacing)
        self._last_turn = turn
        self._sent.append(turn)
        if turn > now:
            await self._clock.sleep(turn - now)
        return turn

    def _ours_since(self, horizon: float) -> int:
        """Our requests in the log after ``horizon`` (turns not yet taken included)."""
        return sum(1 for turn in self._sent if turn > horizon)

    def _forget(self, horizon: float) -> None:
        while self._sent and self._sent[0] <= horizon:
            self._sent.popleft()

    def _forget_others(self, horizon: float) -> None:
        while self._others and self._others[0] <= horizon:
            self._others.popleft()

    def observe(
        self, headers: Mapping[str, str], *, refused: bool = False, sent_at: float | None = None
    ) -> float:
        """Learn from one answer's X-RateLimit-* headers; after a 429, the pause taken.

        ``sent_at``: the turn of the request answered (the server counted its window then).
        """
        budget = _int(headers, "x-ratelimit-max")
        interval_ms = _int(headers, "x-ratelimit-interval-milliseconds")
        if budget and interval_ms and budget > 0 and interval_ms > 0:
            self.announced = Rate(budget, interval_ms / 1000.0)
        daily = _int(headers, "x-ratelimit-daily-remaining")
        if daily is not None:
            self.daily_remaining = daily
        limit = _int(headers, "x-ratelimit-limit-daily")
        if limit is not None:
            self.daily_limit = limit
        remaining = _int(headers, "x-ratelimit-remaining")
        if refused:
            return self._pause_after_refusal(window_spent=not remaining)
        self._refusals_in_a_row = 0
        if remaining is None:
            return 0.0
        if remaining < self._room_we_leave(since=sent_at) - self._slack:
            # Less room than our own requests explain: someone else spends the same budget.
            # Space the next few requests wider rather than run into a 429.
            self.others_seen = True
            self._slow_turns = max(self._slow_turns, 4)
        self._count_others(remaining, sent_at=sent_at)
        if remaining == 0:
            # Nothing left: wait for the window to slide a little before the next request.
            self._slow_turns = max(self._slow_turns, 4)
            self._push_back(self.announced.seconds / self.announced.requests * 4)
        return 0.0

    def _room_we_leave(self, *, since: float | None = None) -> int:
        """How many requests the window would still hold if only what we know of counted."""
        return self.announced.requests - self._known_in_window(since=since)

    def _known_in_window(self, *, since: float | None = None) -> int:
        """Our requests and others' in the window that ends now; with ``since`` (the turn of
        the request an answer is for), in the window as the server counted it then.

        The server counts a request from when it arrives, a little after its turn (more so
        when it waited for a connection): ours from a little before that window count too.
        """
        now = self._clock.monotonic()
        self._forget_others(now - self.announced.seconds)
        horizon = now - self.announced.seconds
        if since is not None:
            horizon = min(since, now) - self.announced.seconds - _ARRIVAL_LAG
        # Turns handed out but not yet taken have not reached the API.
        ours = sum(1 for turn in self._sent if horizon < turn <= now)
        return ours + len(self._others)

    def _count_others(self, remaining: int, *, sent_at: float | None) -> None:
        """Log, as spent now, what the server's window holds beyond the requests we know of.

        Ours are counted from the window as the server saw it when this request arrived
        (see ``_known_in_window``): else ours that left the window since would pass for
        others' requests, and be counted twice.
        """
        missing = self.announced.requests - remaining - self._known_in_window(since=sent_at)
        if missing > 0:
            self._others.extend([self._clock.monotonic()] * missing)

    def _pause_after_refusal(self, *, window_spent: bool) -> float:
        # No Retry-After is documented. When the window is spent, a sliding window kept under
        # pace frees a request within a few spacings; when the headers say room is left the
        # refusal was a hiccup and a short pause will do. Each refusal in a row doubles the
        # pause, up to a whole window.
        self.refusals += 1
        self._refusals_in_a_row += 1
        slot = self.announced.seconds / self.announced.requests
        first = 4 * slot if window_spent else 0.1
        pause = min(first * 2.0 ** (self._refusals_in_a_row - 1), self.announced.seconds)
        self._push_back(pause)
        self._slow_turns = max(self._slow_turns, 4)
        return pause

    def _push_back(self, seconds: float) -> None:
        self._not_before = max(self._not_before, self._clock.monotonic() + seconds)

    @property
    def daily_budget_spent(self) -> bool:
        """True once an answer said no request is left today."""
        return self.daily_remaining == 0


def _int(headers: Mapping[str, str], name: str) -> int | None:
    for key, value in headers.items():
        if key.lower() == name:
            try:
                return int(float(value))
            except ValueError:
                return None
    return None
