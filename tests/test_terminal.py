"""On a terminal, run shows what it will record and asks before sending anything."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_sample
from tests.terminal import run_on_terminal

CONFIRM = b"Record them now?"


def test_terminal_run_shows_the_plan_and_records_on_yes(tmp_path: Path) -> None:
    """The plan names rows, total per currency and location; answering y records them."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(["run", str(payments), "--sandbox"], tmp_path, [(CONFIRM, "y")])
    assert code == 0, output
    assert "About to record 33 payments (USD 18,574.00) in location hYb3kQ9sLmN2pR4tVw6x." in output
    assert "33 rows: 33 recorded." in output


def test_terminal_run_records_nothing_on_no(tmp_path: Path) -> None:
    """Answering n (or just Enter) sends nothing; every row is not_sent and exit is 1."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(["run", str(payments), "--sandbox"], tmp_path, [(CONFIRM, "")])
    assert code == 1, output
    assert "Not confirmed: nothing was recorded." in output
    assert "33 rows: 33 not_sent." in output


def test_canary_records_the_first_payments_then_stops_on_no(tmp_path: Path) -> None:
    """--canary 3 records three, shows their invoices, and on "no" sends none of the rest."""
    payments = copy_sample("payments.csv", tmp_path)
    code, output = run_on_terminal(
        ["run", str(payments), "--sandbox", "--canary", "3"],
        tmp_path,
        [(CONFIRM, "y"), (b"Record the other 30 now?", "n")],
    )
    assert code == 1, output
    assert (
        "The first 3 payments (the canary):\n"
        "  Row 2: recorded. Invoice INV-1001 is now partially_paid, 720.00 USD due.\n"
        "  Row 3: recorded. Invoice INV-1001 is now paid, 0.00 USD due.\n"
        "  Row 4: recorded. Invoice INV-1002 is now paid, 0.00 USD due.\n"
    ) in output
    # The 30 rows left all say the same: one line, not 20 and a count.
    assert (
        "Rows 5-34 (30 rows): not_sent: Not sent: the run was stopped after the first "
        "payments, as asked.\n33 rows: 3 recorded, 30 not_sent."
    ) in output
