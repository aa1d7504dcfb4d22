"""The throttle paces requests under the announced budget, on a manual clock."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.api.throttle import Rate, Throttle, parse_rate
from tests.clocks import ManualClock


def throttle(time: ManualClock, **options: object) -> Throttle:
    """A throttle with no headroom, so the numbers in the tests are round."""
    return Throttle(clock=time, headroom=1.0, **options)  # type: ignore[arg-type]


def turns(subject: Throttle, count: int) -> None:
    """Take ``count`` turns one after another."""

    async def go() -> None:
        for _ in range(count):
            await subject.wait_turn()

    asyncio.run(go())


def headers(**values: int) -> dict[str, str]:
    """X-RateLimit-* headers from keyword names: max, remaining, interval, daily."""
    names = {
        "max": "X-RateLimit-Max",
        "remaining": "X-RateLimit-Remaining",
        "interval": "X-RateLimit-Interval-Milliseconds",
        "daily": "X-RateLimit-Daily-Remaining",
        "daily_limit": "X-RateLimit-Limit-Daily",
    }
    return {names[name]: str(value) for name, value in values.items()}


def turn_times(subject: Throttle, time: ManualClock, count: int) -> list[float]:
    """The moments at which ``count`` requests, asked for at once, may leave."""
    moments = []

    async def go() -> None:
        for _ in range(count):
            await subject.wait_turn()
            moments.append(round(time.monotonic(), 6))

    asyncio.run(go())
    return moments


def test_half_a_window_goes_at_once_then_requests_are_spaced() -> None:
    """With 10 per 10 s announced, 5 requests leave at once, then one a second."""
    time = ManualClock()
    subject = throttle(time)
    subject.observe(headers(max=10, interval=10000, remaining=10))
    assert turn_times(subject, time, 8) == [0, 0, 0, 0, 0, 1, 2, 3]


def test_never_more_than_the_budget_in_one_window() -> None:
    """Whatever the order of turns, no 10-second window holds more than 10 requests."""
    time = ManualClock()
    subject = throttle(time)
    subject.observe(headers(max=10, interval=10000, remaining=10))
    moments = turn_times(subject, time, 40)
    assert moments[:12] == [0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 10, 11]
    for moment in moments:
        assert sum(1 for other in moments if moment - 10 < other <= moment) <= 10


def test_starts_at_100_per_10_seconds() -> None:
    """Before any answer the production budget holds: 50 at once, then one every 0.1 s."""
    time = ManualClock()
    moments = turn_times(throttle(time), time, 52)
    assert moments[49:] == [0, 0.1, 0.2]


def test_follows_the_budget_the_api_announces() -> None:
    """After an answer announcing 100 per 2 s, requests past the first 50 go every 0.02 s."""
    time = ManualClock()
    subject = throttle(time)
    turns(subject, 1)
    subject.observe(headers(max=100, interval=2000, remaining=99))
    assert subject.rate == Rate(100, 2.0)
    assert turn_times(subject, time, 51)[48:] == [0, 0.02, 0.04]


def test_max_rate_caps_a_higher_budget_but_not_a_lower_one() -> None:
    """--max-rate 10/10 holds a 100/10 s budget to 10 a window; a 5/10 s budget wins over it."""
    time = ManualClock()
    subject = throttle(time, cap=Rate(10, 10.0))
    assert turn_times(subject, time, 7) == [0, 0, 0, 0, 0, 1, 2]
    subject.observe(headers(max=5, interval=10000, remaining=4))
    assert subject.rate == Rate(5, 10.0)


def test_headroom_keeps_2_percent_of_the_budget_spare() -> None:
    """By default 49 of an announced 50 per second may sit in one window, spaced at 98%."""
    time = ManualClock()
    subject = Throttle(clock=time)
    subject.observe(headers(max=50, interval=1000, remaining=49))
    assert subject.allowed == 49
    assert subject.spacing == 1 / 49


def test_a_429_pauses_then_doubles_while_refusals_continue() -> None:
    """A 429 with the window spent pauses four request slots, then eight, and resets on a 200."""
    time = ManualClock()
    subject = throttle(time)
    spent = headers(max=100, interval=10000, remaining=0)
    assert subject.observe(spent, refused=True) == 0.4
    assert subject.observe(spent, refused=True) == 0.8
    subject.observe(headers(max=100, interval=10000, remaining=50))
    assert subject.observe(spent, refused=True) == 0.4
    assert subject.refusals == 3


def test_a_429_with_room_left_is_a_short_pause() -> None:
    """A 429 whose headers still show room (a hiccup, not the budget) pauses 0.1 s."""
    subject = throttle(ManualClock())
    assert subject.observe(headers(max=100, interval=10000, remaining=40), refused=True) == 0.1


def test_the_next_turn_waits_out_a_429_pause() -> None:
    """After a 429 the next request leaves only when the pause is over."""
    time = ManualClock()
    subject = throttle(time)
    turns(subject, 1)
    subject.observe(headers(max=100, interval=10000, remaining=0), refused=True)
    turns(subject, 1)
    assert time.slept == [0.4]


def test_remaining_below_what_our_own_requests_explain_slows_down() -> None:
    """When the window holds more than our own requests, someone else shares the budget:
    the next four requests go at half pace, and theirs count in the window with ours."""
    time = ManualClock()
    subject = throttle(time)
    subject.observe(headers(max=10, interval=10000, remaining=10))
    turns(subject, 1)
    # One request of ours in the window, yet only 3 left: others spent 6.
    subject.observe(headers(max=10, interval=10000, remaining=3))
    assert subject.others_seen
    # 2, 4 and 6 fill the window (6 of theirs and 4 of ours); the next waits until the
    # requests of time 0 leave it.
    assert turn_times(subject, time, 5) == [2, 4, 6, 10, 10]


def test_a_run_right_after_another_counts_the_window_the_server_says_is_spent() -> None:
    """A run starting while the server's window still holds 7 requests of a run that just
    ended (10 per 10 s announced, 2 left after our first) sends no more than the window has
    room for: no second 10-second window ever holds more than the budget."""
    time = ManualClock()
    subject = throttle(time)
    turns(subject, 1)
    subject.observe(headers(max=10, interval=10000, remaining=2))
    moments = turn_times(subject, time, 12)
    assert moments[:4] == [2, 4, 10, 12]
    # Ours, and the 7 of the earlier run at time 0, the latest they can have been.
    spent = [0.0] * 8 + moments
    for moment in spent:
        assert sum(1 for other in spent if moment - 10 < other <= moment) <= 10


def test_our_request_the_server_still_counts_is_not_taken_for_someone_elses() -> None:
    """An answer is set against the window as the server counted it when its request
    arrived: our request of time 0, which the server still counts at 10.0 (it arrived a
    moment after its turn), is not logged a second time as another client's."""
    time = ManualClock()
    subject = throttle(time)
    subject.observe(headers(max=10, interval=10000, remaining=10))
    turns(subject, 1)
    time.advance(10.0)
    turns(subject, 1)
    time.advance(0.05)
    subject.observe(headers(max=10, interval=10000, remaining=8), sent_at=10.0)
    # Four go at once (five of ours in the window, half the budget), then one a second.
    assert turn_times(subject, time, 6) == [10.05, 10.05, 10.05, 10.05, 11.05, 12.05]


def test_remaining_explained_by_our_own_requests_keeps_full_pace() -> None:
    """Room that our own requests account for is no reason to slow down."""
    time = ManualClock()
    subject = throttle(time)
    subject.observe(headers(max=10, interval=10000, remaining=10))
    turns(subject, 5)
    subject.observe(headers(max=10, interval=10000, remaining=5))
    assert not subject.others_seen
    assert turn_times(subject, time, 2) == [1, 2]


def test_daily_budget_spent_is_remembered() -> None:
    """An answer with no daily requests left marks the budget spent, with the day's limit."""
    subject = throttle(ManualClock())
    subject.observe(headers(max=100, interval=10000, remaining=10, daily=1, daily_limit=200000))
    assert not subject.daily_budget_spent
    subject.observe(headers(max=100, interval=10000, remaining=10, daily=0))
    assert subject.daily_budget_spent
    assert subject.daily_limit == 200000


@pytest.mark.parametrize(
    ("text", "rate"),
    [("50/10", Rate(50, 10.0)), ("50/10s", Rate(50, 10.0)), ("500/1500ms", Rate(500, 1.5))],
)
def test_parse_rate(text: str, rate: Rate) -> None:
    """--max-rate reads N/SECONDS, with an optional unit."""
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["fast", "0/10", "10/0", "10", "-1/10"])
def test_parse_rate_refuses_what_is_not_a_rate(text: str) -> None:
    """Anything else is refused with how to write a rate."""
    with pytest.raises(ValueError, match="for example 50/10"):
        parse_rate(text)


@given(
    budget=st.integers(min_value=1, max_value=150),
    interval_ms=st.integers(min_value=100, max_value=20_000),
    gaps=st.lists(st.floats(min_value=0, max_value=3), min_size=1, max_size=300),
)
def test_no_window_ever_holds_more_than_the_allowed_share(
    budget: int, interval_ms: int, gaps: list[float]
) -> None:
    """Whatever the budget and however requests are spaced, no window of the announced
    interval ever holds more than 98% of the budget (at least one)."""
    time = ManualClock()
    subject = Throttle(clock=time)
    subject.observe(headers(max=budget, interval=interval_ms, remaining=budget))
    moments = []

    async def go() -> None:
        for gap in gaps:
            time.advance(gap)
            await subject.wait_turn()
            moments.append(time.monotonic())

    asyncio.run(go())
    interval = interval_ms / 1000
    for index, moment in enumerate(moments):
        inside = [m for m in moments[: index + 1] if m > moment - interval + 1e-9]
        assert len(inside) <= subject.allowed
