"""On a terminal, run shows what it will record and asks before sending anything."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_sample


def run_on_terminal(
    args: list[str], answer: str, cwd: Path, *, then: tuple[bytes, str] | None = None
) -> tuple[int, str]:
    """Run the importer on a pseudo-terminal, typing ``answer`` at the first prompt.

    ``then`` is a later prompt and what to type at it.
    """
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env={**os.environ, "IMPORTER_JOURNAL": str(cwd / "journal.sqlite3")},
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"Record them now?" in seen:
            os.write(leader, answer.encode() + b"\n")
            answered = True
        if then is not None and then[0] in seen:
            os.write(leader, then[1].encode() + b"\n")
            then = None
    code = process.wait(timeout=60)
    os.close(leader)
    return code, seen.decode(errors="replace").replace("\r\n", "\n")


def test_terminal_run_shows_the_plan_and_records_on_yes(tmp_path: Path) -> None:
    """The plan names rows, total per currency and location; answering y records them."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(["run", str(payments), "--sandbox"], "y", tmp_path)
    assert code == 0, output
    assert "About to record 33 payments (USD 18,574.00) in location hYb3kQ9sLmN2pR4tVw6x." in output
    assert "33 rows: 33 recorded." in output


def test_terminal_run_records_nothing_on_no(tmp_path: Path) -> None:
    """Answering n (or just Enter) sends nothing; every row is not_sent and exit is 1."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(["run", str(payments), "--sandbox"], "", tmp_path)
    assert code == 1, output
    assert "Not confirmed: nothing was recorded." in output
    assert "33 rows: 33 not_sent." in output


def test_canary_records_the_first_payments_then_stops_on_no(tmp_path: Path) -> None:
    """--canary 3 records three, shows their invoices, and on "no" sends none of the rest."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(
        ["run", str(payments), "--sandbox", "--canary", "3"],
        "y",
        tmp_path,
        then=(b"Record the other 30 now?", "n"),
    )
    assert code == 1, output
    assert (
        "The first 3 payments (the canary):\n"
        "  Row 2: recorded. Invoice INV-1001 is now partially_paid, 720.00 USD due.\n"
        "  Row 3: recorded. Invoice INV-1001 is now paid, 0.00 USD due.\n"
        "  Row 4: recorded. Invoice INV-1002 is now paid, 0.00 USD due.\n"
    ) in output
    assert "33 rows: 3 recorded, 30 not_sent." in output
