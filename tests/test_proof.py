"""Proof over real HTTP that no payment is recorded twice or lost: faults, kill -9, re-runs."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import (
    DEFAULT_TOKEN,
    Fault,
    FaultOdds,
    RandomFaults,
    RequestSummary,
    RunningSandbox,
    running_sandbox,
)
from tests.bulk import bulk_seed, payments_by_cheque, payments_by_key, write_bulk


def read_statuses(path: Path) -> Counter[str]:
    """How many rows of a results file have each status."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return Counter(row["status"] for row in csv.DictReader(stream))


def environment(url: str, location: str, journal: Path) -> dict[str, str]:
    """Settings pointing the importer at a sandbox, with its own journal."""
    return {
        "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
        "HIGHLEVEL_LOCATION_ID": location,
        "HIGHLEVEL_API_URL": url,
        "IMPORTER_JOURNAL": str(journal),
    }


def at_most_three_in_a_row(plan: RandomFaults) -> Callable[[RequestSummary], Fault | None]:
    """``plan``, letting a request through after three faults in a row on its path.

    The importer gives up on a payment after five failed attempts, as it should; the draws are
    taken in whatever order the requests arrive, so without this cap one payment in a few
    runs could draw five faults in a row and fail the test by chance alone.
    """
    in_a_row: Counter[str] = Counter()
    lock = threading.Lock()

    def decide(request: RequestSummary) -> Fault | None:
        fault = plan(request)
        with lock:
            if fault is None or in_a_row[request.path] >= 3:
                in_a_row[request.path] = 0
                return None
            in_a_row[request.path] += 1
        return fault

    return decide


def test_500_rows_through_a_quarter_of_requests_failing_record_each_payment_once(
    tmp_path: Path,
) -> None:
    """With 25% of requests failing (500, 429, late answers, dropped connections), every row
    ends recorded, and the sandbox holds exactly one payment per row."""
    payments, seed = write_bulk(tmp_path, rows=500)
    faults = RandomFaults(
        FaultOdds(error=0.10, throttle=0.05, timeout=0.05, drop=0.05), seed=11, delay=0.6
    )
    with running_sandbox(seed, rate_limit="off", faults=at_most_three_in_a_row(faults)) as running:
        result = CliRunner(
            env=environment(running.url, running.location_id, tmp_path / "journal.sqlite3")
        ).invoke(cli, ["run", str(payments), "--yes", "--timeout", "0.3"])
        transactions = running.sandbox.transactions()
    assert result.exit_code == 0, result.output
    assert read_statuses(tmp_path / "bulk-500.results.csv") == {"recorded": 500}
    assert payments_by_cheque(transactions) == {f"{n:06d}": 1 for n in range(500)}
    assert set(payments_by_key(transactions).values()) == {1}
    # Each kind of fault really struck, and the late and dropped ones after recording.
    assert min(faults.struck[name] for name in ("error", "throttle", "timeout", "drop")) > 10, (
        faults.struck
    )


def test_payments_the_api_records_after_their_answers_were_lost_are_recorded_once(
    tmp_path: Path,
) -> None:
    """When the API records a payment only after the importer gave up on its answer (a late
    fault), the importer waits until the request can no longer arrive, finds the payment and
    never sends it again: one payment per row."""
    payments, seed = write_bulk(tmp_path, rows=40)
    late = RandomFaults(FaultOdds(late=0.2), seed=3, delay=1.0)

    def on_payments(request: RequestSummary) -> Fault | None:
        return late(request) if request.method == "POST" else None

    with running_sandbox(seed, rate_limit="off", faults=on_payments) as running:
        result = CliRunner(
            env=environment(running.url, running.location_id, tmp_path / "journal.sqlite3")
        ).invoke(
            cli,
            ["run", str(payments), "--yes", "--timeout", "0.3", "--lost-answer-wait", "2"],
        )
        transactions = running.sandbox.transactions()
    assert result.exit_code == 0, result.output
    assert payments_by_cheque(transactions) == {f"{n:06d}": 1 for n in range(40)}
    assert read_statuses(tmp_path / "bulk-40.results.csv") == {"recorded": 40}
    assert late.struck == {"error": 0, "throttle": 0, "timeout": 0, "drop": 0, "late": 7}
    waits = [line for line in result.output.splitlines() if line.startswith("Waiting ")]
    assert waits, result.output
    for line in waits:
        assert re.fullmatch(
            r"Waiting \d s to confirm (1 payment whose answer was|\d payments whose answers "
            r"were) lost: a payment can still reach HighLevel up to 2 s after it was sent, and "
            r"is not sent again before then\. Ctrl-C leaves it for the next run to check\.",
            line,
        ), line


def test_a_finished_file_run_again_records_nothing(tmp_path: Path) -> None:
    """The same file run a second time sends no payment: every row is skipped, exit 0."""
    payments, _ = write_bulk(tmp_path, rows=40)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(20), rate_limit="off") as running:
        runner = CliRunner(env=environment(running.url, running.location_id, journal))
        first = runner.invoke(cli, ["run", str(payments), "--yes"])
        assert first.exit_code == 0, first.output
        before = running.sandbox.transactions()
        second = runner.invoke(cli, ["run", str(payments), "--yes"])
        after = running.sandbox.transactions()
    assert second.exit_code == 0, second.output
    assert "40 rows: 40 already recorded." in second.output
    assert after == before
    assert len(after) == 40
    # The first run's results stay as they were; the second's go beside them.
    with (tmp_path / "bulk-40.results.csv").open(encoding="utf-8-sig") as stream:
        assert next(csv.DictReader(stream))["status"] == "recorded"
    with (tmp_path / "bulk-40.results-2.csv").open(encoding="utf-8-sig") as stream:
        first_row = next(csv.DictReader(stream))
    assert first_row["status"] == "skipped"
    assert first_row["message"].startswith("Already recorded on ")
    assert first_row["message"].endswith(" by run 1 (bulk-40.csv, row 2).")


class SlowPayments:
    """Payment requests take 30 ms to apply, and every 20th is held 3 s first: a run killed at
    any moment leaves some in the server's hands, to be recorded after it died."""

    def __init__(self) -> None:
        self.posts = 0
        self._lock = threading.Lock()

    def __call__(self, request: RequestSummary) -> Fault | None:
        if request.method != "POST":
            return None
        with self._lock:
            self.posts += 1
            held = self.posts % 20 == 0
        return Fault.delay(3.0 if held else 0.03, after_applying=False)


# Above the 3 s a payment request may be held, and short enough for a test.
WAIT = ("--lost-answer-wait", "4")


def kill_when(running: RunningSandbox, payments: Path, env: dict[str, str], count: int) -> int:
    """Start the importer in a process, kill -9 it once the sandbox holds ``count`` payments;
    how many it holds at that moment (those in flight land later)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "run", str(payments), "--yes", *WAIT],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(running.sandbox.transactions()) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return len(running.sandbox.transactions())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_mid_way_and_run_again_records_each_payment_once(tmp_path: Path) -> None:
    """kill -9 in the middle of a run, and again in the middle of the run that recovers from
    it, each time with payments still in the server's hands, then the same command at once:
    one payment per row, and each row the last run recorded cost it one request."""
    payments, seed = write_bulk(tmp_path, rows=300)
    journal = tmp_path / "journal.sqlite3"
    faults = SlowPayments()
    with running_sandbox(seed, rate_limit="off", faults=faults) as running:
        env = environment(running.url, running.location_id, journal)
        first = kill_when(running, payments, env, 100)
        second = kill_when(running, payments, env, first + 60)
        assert 100 <= first < second < 300
        sent_before = faults.posts
        again = CliRunner(env=env).invoke(cli, ["run", str(payments), "--yes", *WAIT])
        transactions = running.sandbox.transactions()
    assert again.exit_code == 0, again.output
    assert payments_by_cheque(transactions) == {f"{n:06d}": 1 for n in range(300)}
    statuses = read_statuses(tmp_path / "bulk-300.results.csv")
    assert statuses == {
        "skipped": 300 - statuses["recorded"],
        "recorded": faults.posts - sent_before,
    }
    assert statuses["skipped"] >= second  # at least those the sandbox held at the second kill


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_finishes_payments_in_flight_writes_results_and_exits_130(tmp_path: Path) -> None:
    """Ctrl-C mid-run: no new sends, the rest not_sent, results written, exit 130; every row
    the results call recorded has exactly one payment and no other row has any."""
    payments, seed = write_bulk(tmp_path, rows=200)
    journal = tmp_path / "journal.sqlite3"
    faults = RandomFaults(FaultOdds(), latency=0.03)
    with running_sandbox(seed, rate_limit="off", faults=faults) as running:
        env = environment(running.url, running.location_id, journal)
        process = subprocess.Popen(
            [sys.executable, "-m", "importer", "run", str(payments), "--yes"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while len(running.sandbox.transactions()) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        output, errors = process.communicate(timeout=30)
        transactions = running.sandbox.transactions()
    assert process.returncode == 130, output + errors
    assert "Interrupted: payments in flight were finished" in errors
    with (tmp_path / "bulk-200.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    recorded = {row["Cheque No."] for row in rows if row["status"] == "recorded"}
    assert {row["status"] for row in rows} == {"recorded", "not_sent"}
    assert payments_by_cheque(transactions) == dict.fromkeys(recorded, 1)
