"""Ctrl-C on a terminal: at the canary's question it is a "no", and the results are written."""

from __future__ import annotations

import csv
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import copy_sample
from tests.terminal import run_on_terminal


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and SIGINT are POSIX")
def test_ctrl_c_at_the_canary_question_sends_nothing_more(tmp_path: Path) -> None:
    """Ctrl-C while the canary's question waits: the rest not_sent, results written, exit 1."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(
        ["run", str(payments), "--sandbox", "--canary", "3"],
        tmp_path,
        [
            (b"Record them now?", "y"),
            # What Ctrl-C on the terminal sends.
            (b"Record the other 30 now?", lambda process: process.send_signal(signal.SIGINT)),
        ],
    )
    assert code == 1, output
    assert "33 rows: 3 recorded, 30 not sent." in output
    with (tmp_path / "payments.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        statuses = Counter(row["status"] for row in csv.DictReader(stream))
    assert statuses == {"recorded": 3, "not_sent": 30}
