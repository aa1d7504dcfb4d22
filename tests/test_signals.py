"""SIGTERM (a service manager, a logout) and SIGHUP (a closed terminal) during a run finish the
payments in flight, write the results and exit 143 or 129; before, the run ended at once with
no results file and payments left sending. Real processes against the sandbox over HTTP."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import Fault, RequestSummary, running_sandbox
from tests.bulk import payments_by_cheque, write_bulk
from tests.test_proof import environment, signalled

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
ROWS = 80
SENDING = {
    signal.SIGTERM: "Asked to end (SIGTERM), stopping: no new payments are sent; waiting for "
    "those in flight.",
    signal.SIGHUP: "The terminal closed (SIGHUP), stopping: no new payments are sent; waiting "
    "for those in flight.",
}


def slow_payments(request: RequestSummary) -> Fault | None:
    """Each payment held 50 ms before it is applied: some are always in the server's hands."""
    return Fault.delay(0.05, after_applying=False) if request.method == "POST" else None


@pytest.mark.parametrize(("number", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_run_asked_to_end_finishes_in_flight_writes_its_results_and_exits_with_its_code(
    tmp_path: Path, number: signal.Signals, code: int
) -> None:
    """The payments in flight are finished and nothing new is sent; the results file says
    which were recorded, the journal holds none in doubt, and the next run records the rest:
    one payment per row."""
    payments, seed = write_bulk(tmp_path, rows=ROWS)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(seed, rate_limit="off", faults=slow_payments) as running:
        env = environment(running.url, running.location_id, journal)
        # Three times: a service manager may say it more than once.
        ended = signalled(running, payments, env, after=15, signals=[number] * 3)
        recorded = len(running.sandbox.transactions())
        assert ended.returncode == code, ended.stderr
        assert SENDING[number] in ended.stderr
        assert ended.stderr.splitlines()[-1] == (
            "Interrupted: payments in flight were finished, the rest were not sent. Run the "
            "same command again to send them."
        )
        with (tmp_path / f"bulk-{ROWS}.results.csv").open(encoding="utf-8-sig") as stream:
            statuses = Counter(row["status"] for row in csv.DictReader(stream))
        assert statuses == {"recorded": recorded, "not_sent": ROWS - recorded}
        with sqlite3.connect(journal) as connection:
            states = dict(connection.execute("SELECT state, COUNT(*) FROM payments GROUP BY state"))
            (outcome,) = connection.execute("SELECT outcome FROM runs").fetchone()
        assert (states, outcome) == ({"recorded": recorded}, "interrupted")
        again = CliRunner(env=env).invoke(cli, ["run", str(payments), "--yes"])
        assert again.exit_code == 0, again.output
        assert payments_by_cheque(running.sandbox.transactions()) == {
            f"{n:06d}": 1 for n in range(ROWS)
        }


def test_sigterm_before_anything_is_sent_ends_the_run_at_once_with_143(tmp_path: Path) -> None:
    """While the invoices are still being read, SIGTERM stops the run: nothing sent, 143."""
    payments, seed = write_bulk(tmp_path, rows=10)
    reading = threading.Event()

    def slow_lists(request: RequestSummary) -> Fault | None:
        if request.method != "GET":
            return None
        reading.set()
        return Fault.delay(1.0, after_applying=False)

    with running_sandbox(seed, rate_limit="off", faults=slow_lists) as running:
        env = environment(running.url, running.location_id, tmp_path / "journal.sqlite3")
        process = subprocess.Popen(
            [sys.executable, "-m", "importer", "run", str(payments), "--yes"],
            env={**os.environ, **env},
            stderr=subprocess.PIPE,
            text=True,
        )
        assert reading.wait(timeout=30)
        process.send_signal(signal.SIGTERM)
        _out, stderr = process.communicate(timeout=30)
        assert process.returncode == 143, stderr
        assert stderr.splitlines()[-1] == (
            "Error: Interrupted. Payments sent before the interruption may be recorded; the next "
            "run checks them before sending anything."
        )
        assert running.sandbox.transactions() == []
