"""``importer ui`` as a person runs it: the address printed with its key, and Ctrl-C, which
finishes the payments in flight before the workbench stops."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from importer.journal.journal import Journal
from importer.sandbox import DEFAULT_TOKEN, running_sandbox
from importer.status import RunOutcome
from tests.conftest import SAMPLES
from tests.workbench import SlowPayments


def start_ui(*args: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """``importer ui --no-browser ARGS`` and the address it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "ui", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.fullmatch(r"The workbench is at (http://127\.0\.0\.1:\d+/\?key=[\w-]+)\n", first)
    assert found is not None, first + (process.stderr.read() if process.stderr else "")
    return process, found.group(1)


def stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_the_address_holds_the_key_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    """The printed address opens the Start page (the key swapped for a cookie); Ctrl-C exits 0."""
    env = {**os.environ, "IMPORTER_JOURNAL": str(tmp_path / "journal.sqlite3")}
    process, address = start_ui("--sandbox", env=env)
    try:
        with httpx.Client(follow_redirects=True) as client:
            page = client.get(address)
            refused = httpx.get(address.split("?")[0])
    finally:
        code, out, err = stop(process)
    assert (page.status_code, str(page.url), refused.status_code) == (
        200,
        address.split("?")[0],
        403,
    )
    assert "Sandbox" in page.text
    assert (code, out.splitlines()[-1], err) == (0, "The workbench has stopped.", "")


def test_ctrl_c_during_a_run_finishes_the_payments_in_flight(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    """Stopped mid-run, the workbench sends nothing new, finishes what is on its way, closes
    the run in the journal and writes its results: every payment recorded is in the results,
    the rest not_sent."""
    journal = tmp_path / "journal.sqlite3"
    slow = SlowPayments()
    with running_sandbox(seed, rate_limit="off", faults=slow) as sandbox:
        env = {
            **os.environ,
            "IMPORTER_JOURNAL": str(journal),
            "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
            "HIGHLEVEL_LOCATION_ID": sandbox.location_id,
            "HIGHLEVEL_API_URL": sandbox.url,
        }
        process, address = start_ui(env=env)
        try:
            base = address.split("/?")[0]
            with httpx.Client(follow_redirects=True, headers={"origin": base}) as client:
                client.get(address)
                columns = client.post(
                    f"{base}/files",
                    files={
                        "spreadsheet": ("payments.csv", (SAMPLES / "payments.csv").read_bytes())
                    },
                )
                files = str(columns.url).removesuffix("/columns")
                client.post(f"{files}/check")
                client.post(f"{files}/record")
                with client.stream("GET", f"{files}/events") as events:
                    for line in events.iter_lines():
                        if line.startswith("data: ") and json.loads(line[6:])["done"]:
                            break
        finally:
            code, out, err = stop(process)
    assert (code, out.splitlines()[-1]) == (0, "The workbench has stopped.")
    assert err == "Stopping: no new payments are sent; finishing those in flight.\n"
    recorded = len(sandbox.sandbox.transactions())
    with Journal.open(journal) as opened:
        (run,) = opened.history.runs()
        rows = opened.history.run_rows(run.id)
    assert run.outcome == RunOutcome.INTERRUPTED
    statuses = [str(row.status) for row in rows]
    assert 0 < recorded < 33
    assert statuses.count("recorded") == recorded
    assert statuses.count("not_sent") == 33 - recorded
    (results,) = (journal.parent / "results").glob("*/payments.results.csv")
    assert results.read_text(encoding="utf-8-sig").count(",recorded,") == recorded
