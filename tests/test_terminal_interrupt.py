"""Ctrl-C on a terminal: at the canary's question it is a "no", and the results are written."""

from __future__ import annotations

import csv
import os
import pty
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import copy_sample


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and SIGINT are POSIX")
def test_ctrl_c_at_the_canary_question_sends_nothing_more(tmp_path: Path) -> None:
    """Ctrl-C while the canary's question waits: the rest not_sent, results written, exit 1."""
    payments = copy_sample("payments.csv", tmp_path)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "run", str(payments), "--sandbox", "--canary", "3"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
    )
    os.close(follower)
    seen = b""
    confirmed = interrupted = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not confirmed and b"Record them now?" in seen:
            os.write(leader, b"y\n")
            confirmed = True
        if not interrupted and b"Record the other 30 now?" in seen:
            process.send_signal(signal.SIGINT)  # what Ctrl-C on the terminal sends
            interrupted = True
    code = process.wait(timeout=60)
    os.close(leader)
    output = seen.decode(errors="replace").replace("\r\n", "\n")
    assert interrupted, output
    assert code == 1, output
    assert "33 rows: 3 recorded, 30 not_sent." in output
    with (tmp_path / "payments.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        statuses = Counter(row["status"] for row in csv.DictReader(stream))
    assert statuses == {"recorded": 3, "not_sent": 30}
