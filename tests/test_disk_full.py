"""A disk that fills during a run stops sending at once, keeps what the journal holds, writes
the results where they can be written (or says how to write them again), and exits 2 with one
line; the same command run again records each payment once. Before, the run ended with a
traceback ("cannot rollback - no transaction is active"), exit 1 and no results file.

The disk fills for real: under RLIMIT_FSIZE, which every POSIX system has (the journal's
write-ahead log grows past the limit while the results file stays under it), and on a small
tmpfs where the test may mount one.
"""

from __future__ import annotations

import csv
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox, running_sandbox
from tests.bulk import payments_by_cheque, payments_by_key, write_bulk
from tests.test_proof import environment

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE and tmpfs are POSIX")

NOT_SENT = (
    "Not sent: the journal could not be written, so nothing more was sent. Run the same command "
    "again once there is room."
)
KEPT = (
    "; the run stops so that no payment is sent without a record of it. What it holds is kept; "
    "once there is room again, run the same command: payments already recorded are skipped, "
    "and those that were on their way are checked in HighLevel first."
)


def importer(
    args: list[str], env: dict[str, str], *, file_size: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The importer in a process of its own, its files at most ``file_size`` bytes each."""

    def limited() -> None:
        if file_size is not None:
            # Past the limit a write fails (EFBIG) instead of the process being killed.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [sys.executable, "-m", "importer", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
    )


def journal_holds(journal: Path) -> tuple[set[str], Counter[str], str]:
    """The journal's payment keys, their states, and how its run ended."""
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as connection:
        keys = {key for (key,) in connection.execute("SELECT key FROM payments")}
        states = Counter(state for (state,) in connection.execute("SELECT state FROM payments"))
        (outcome,) = connection.execute("SELECT outcome FROM runs WHERE id = 1").fetchone()
    return keys, states, outcome


def statuses(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [(row["status"], row["message"]) for row in csv.DictReader(stream)]


def check_the_stop_and_the_second_run(
    running: RunningSandbox,
    payments: Path,
    env: dict[str, str],
    journal: Path,
    first: subprocess.CompletedProcess[str],
) -> int:
    """Exit 2 with one line; every payment sent is in the journal; the same command again
    records the rest, one payment per row. How many the first run recorded."""
    assert first.returncode == 2, first.stderr
    error = first.stderr.splitlines()[-1]
    assert error.startswith(f"Error: The journal at {journal} could not be written ("), error
    assert KEPT in error
    sent = running.sandbox.transactions()
    keys, states, outcome = journal_holds(journal)
    # No payment reached HighLevel without its record in the journal.
    assert set(payments_by_key(sent)) <= keys
    assert set(states) <= {"recorded", "sending"}
    assert outcome == "running"  # the end of the run could not be written either
    rows = payments.read_text().count("\n") - 1
    again = CliRunner(env=env).invoke(cli, ["run", str(payments), "--yes"])
    assert again.exit_code == 0, again.output
    assert f"{rows} rows: {rows - len(sent)} recorded, {len(sent)} already recorded." in (
        again.stdout.splitlines()
    )
    assert payments_by_cheque(running.sandbox.transactions()) == {
        f"{n:06d}": 1 for n in range(rows)
    }
    return len(sent)


def test_a_journal_that_fills_stops_the_run_and_the_results_are_still_written(
    tmp_path: Path,
) -> None:
    """The journal's file hits its limit mid-run: sending stops, the results file (under the
    limit) says each row's outcome, and the journal holds every payment that was sent."""
    payments, seed = write_bulk(tmp_path, rows=120)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(seed, rate_limit="off") as running:
        env = environment(running.url, running.location_id, journal)
        first = importer(["run", str(payments), "--yes"], env, file_size=128 * 1024)
        outcomes = statuses(tmp_path / "bulk-120.results.csv")
        recorded = check_the_stop_and_the_second_run(running, payments, env, journal, first)
    assert 0 < recorded < 120
    assert Counter(status for status, _message in outcomes) == {
        "recorded": recorded,
        "not_sent": 120 - recorded,
    }
    assert {message for status, message in outcomes if status == "not_sent"} == {NOT_SENT}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs, where the test may mount one (root, and a system that allows it)."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_disk_that_fills_under_the_journal_and_the_results_names_how_to_write_them_again(
    tmp_path: Path, small_disk: Path
) -> None:
    """Journal and results on one small disk that fills: the one line says the journal could
    not be written, where the results could not be, and the command that writes them from
    the journal once there is room; that command does."""
    payments, seed = write_bulk(tmp_path, rows=120)
    journal = small_disk / "journal.sqlite3"
    results = small_disk / "results.csv"
    with running_sandbox(seed, rate_limit="off") as running:
        env = environment(running.url, running.location_id, journal)
        first = importer(["run", str(payments), "--yes", "--results", str(results)], env)
        assert first.stderr.splitlines()[-1].endswith(
            f"{KEPT} Cannot write the results file {results} (no space left on device). Once "
            "there is room, write the results file from the journal with: importer runs show 1 "
            "--results PATH (a payment whose outcome it could not keep shows as in doubt there)."
        ), first.stderr
        assert not results.exists()
        subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
        _keys, states, _outcome = journal_holds(journal)
        rebuilt = tmp_path / "rebuilt.csv"
        shown = CliRunner(env=env).invoke(cli, ["runs", "show", "1", "--results", str(rebuilt)])
        assert shown.exit_code == 0, shown.output
        assert Counter(status for status, _message in statuses(rebuilt)) == {
            "recorded": states["recorded"],
            "unknown": states["sending"],
            "not_sent": 120 - states["recorded"] - states["sending"],
        }
        check_the_stop_and_the_second_run(running, payments, env, journal, first)
