"""The sandbox's random fault plan behind `importer sandbox --faults ...`."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from importer.sandbox import (
    DEFAULT_TOKEN,
    Fault,
    FaultOdds,
    RandomFaults,
    RequestSummary,
    parse_fault_odds,
    running_sandbox,
)

GET = RequestSummary(number=1, method="GET", path="/invoices/")


def test_parse_fault_odds_reads_each_name() -> None:
    """The issue's example parses into the four odds."""
    assert parse_fault_odds("error=0.1,throttle=0.05,timeout=0.05,drop=0.05") == FaultOdds(
        error=0.1, throttle=0.05, timeout=0.05, drop=0.05
    )
    assert parse_fault_odds("") == FaultOdds()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("boom=0.1", "'boom=0.1' is not a fault. Write name=probability"),
        ("error", "'error' is not a fault."),
        ("error=lots", "'error=lots': the probability must be a number from 0 to 1."),
        ("error=1.5", "'error=1.5': the probability must be a number from 0 to 1."),
        ("error=0.6,drop=0.6", "The fault probabilities add up to 1.2, more than 1."),
    ],
)
def test_parse_fault_odds_refuses_with_a_reason(text: str, message: str) -> None:
    """A wrong name, a missing or out-of-range probability, or odds above 1 are refused."""
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(".", r"\.")):
        parse_fault_odds(text)


def test_each_kind_becomes_the_fault_the_issue_names() -> None:
    """error: 500 unapplied; throttle: 429 unapplied; timeout: applied, late; drop: applied;
    late: held for the delay, then applied."""
    kinds = {}
    for name in ("error", "throttle", "timeout", "drop", "late"):
        plan = RandomFaults(FaultOdds(**{name: 1.0}), seed=1, delay=2.5)
        kinds[name] = plan(GET)
    assert kinds == {
        "error": Fault.error(status=500, after_applying=False),
        "throttle": Fault.error(status=429, after_applying=False),
        "timeout": Fault.delay(2.5, after_applying=True),
        "drop": Fault.drop(after_applying=True),
        "late": Fault.delay(2.5, after_applying=False),
    }


def test_the_same_seed_strikes_the_same_requests() -> None:
    """Two plans with one seed fault the same requests; another seed differs."""

    def draws(seed: int) -> list[Fault | None]:
        plan = RandomFaults(FaultOdds(error=0.2, drop=0.2), seed=seed)
        return [plan(GET) for _ in range(200)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    plan = RandomFaults(FaultOdds(error=0.2, drop=0.2), seed=7)
    for _ in range(1000):
        plan(GET)
    assert 150 < plan.struck["error"] < 250
    assert 150 < plan.struck["drop"] < 250
    assert plan.struck["timeout"] == 0


def test_latency_delays_requests_that_draw_no_fault() -> None:
    """--latency holds back every unfaulted request, before it is applied."""
    assert RandomFaults(FaultOdds(), latency=0.05)(GET) == Fault.delay(0.05, after_applying=False)
    assert RandomFaults(FaultOdds())(GET) is None


def test_a_throttle_fault_answers_429_like_the_gate(seed: dict[str, Any]) -> None:
    """Over HTTP a throttle fault is a 429 'Too many requests' with the rate headers."""
    plan = RandomFaults(FaultOdds(throttle=1.0))
    with running_sandbox(seed, faults=plan) as running:
        answer = httpx.get(
            f"{running.url}/invoices/",
            params={"altId": running.location_id, "altType": "location", "limit": "1"},
            headers={"Authorization": f"Bearer {DEFAULT_TOKEN}", "Version": "2021-07-28"},
        )
    assert answer.status_code == 429
    assert answer.json() == {"statusCode": 429, "message": "Too many requests"}
    assert "X-RateLimit-Remaining" in answer.headers


def test_latency_is_felt_over_http(seed: dict[str, Any]) -> None:
    """With 100 ms latency a request takes at least 100 ms."""
    with running_sandbox(seed, faults=RandomFaults(FaultOdds(), latency=0.1)) as running:
        started = time.perf_counter()
        httpx.get(
            f"{running.url}/invoices/",
            params={"altId": running.location_id, "altType": "location", "limit": "1"},
            headers={"Authorization": f"Bearer {DEFAULT_TOKEN}", "Version": "2021-07-28"},
        )
        assert time.perf_counter() - started >= 0.1


def test_sandbox_command_refuses_faults_it_does_not_know() -> None:
    """`importer sandbox --faults boom=1` exits 2 with one line naming the known faults."""
    from click.testing import CliRunner

    from importer.cli import cli

    result = CliRunner().invoke(cli, ["sandbox", "--faults", "boom=1"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --faults: 'boom=1' is not a fault. Write name=probability with names from "
        "error, throttle, timeout, drop, late, for example error=0.1,timeout=0.05."
    )


def test_sandbox_command_serves_the_fault_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """`importer sandbox --faults ... --fault-seed --fault-delay --latency` serves that plan."""
    from click.testing import CliRunner

    import importer.sandbox
    from importer.cli import cli

    served: dict[str, Any] = {}
    monkeypatch.setattr(importer.sandbox, "serve", lambda seed, **options: served.update(options))
    result = CliRunner().invoke(
        cli,
        [
            "sandbox",
            "--faults",
            "error=0.1,throttle=0.05,timeout=0.05,drop=0.05,late=0.05",
            "--fault-seed",
            "7",
            "--fault-delay",
            "2",
            "--latency",
            "40",
            "--daily-limit",
            "500",
        ],
    )
    assert result.exit_code == 0, result.output
    assert served["daily_limit"] == 500
    plan = served["faults"]
    assert isinstance(plan, RandomFaults)
    assert plan.odds == FaultOdds(error=0.1, throttle=0.05, timeout=0.05, drop=0.05, late=0.05)
    assert (plan.delay, plan.latency) == (2.0, 0.04)
    twin = RandomFaults(plan.odds, seed=7, delay=2.0, latency=0.04)
    assert [plan(GET) for _ in range(20)] == [twin(GET) for _ in range(20)]
