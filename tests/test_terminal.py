"""On a terminal, run shows what it will record and asks before sending anything."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from importer.cli import cli
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
    assert "33 rows: 33 not sent." in output


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
        "  Row 2: Recorded. Invoice INV-1001 is now partly paid, 720.00 USD due.\n"
        "  Row 3: Recorded. Invoice INV-1001 is now paid, 0.00 USD due.\n"
        "  Row 4: Recorded. Invoice INV-1002 is now paid, 0.00 USD due.\n"
    ) in output
    # The 30 rows left all say the same: one line, not 20 and a count.
    assert (
        "Rows 5-34 (30 rows): Not sent: the run was stopped after the first "
        "payments, as asked.\n33 rows: 3 recorded, 30 not sent."
    ) in output


def test_results_that_cannot_be_written_after_recording_close_the_run_and_name_the_rebuild(
    tmp_path: Path,
) -> None:
    """Results unwritable once sent: summary, one Error line to rebuild them, run closed, exit 2."""
    payments = copy_sample("payments.csv", tmp_path)
    journal = tmp_path / "journal.sqlite3"
    out = tmp_path / "out"

    def folder_becomes_a_file(_process: object) -> None:
        out.rmdir()
        out.write_text("in the way")

    code, output = run_on_terminal(
        ["run", str(payments), "--sandbox", "--journal", str(journal), "--results", "out/r.csv"],
        tmp_path,
        [(CONFIRM, folder_becomes_a_file), (CONFIRM, "y")],
    )
    assert code == 2, output
    # After the progress bar, which a terminal gets.
    assert output[output.index("33 rows: 33 recorded.") :].splitlines() == [
        "33 rows: 33 recorded.",
        "USD: 33 payments for 18,574.00 in the file; recorded by this run: 33 for 18,574.00.",
        "  Bank transfer: 7 for 3,998.65; recorded by this run: 7 for 3,998.65.",
        "  Card: 5 for 3,650.75; recorded by this run: 5 for 3,650.75.",
        "  Cash: 5 for 1,622.70; recorded by this run: 5 for 1,622.70.",
        "  Cheque: 12 for 7,776.50; recorded by this run: 12 for 7,776.50.",
        "  Other: 4 for 1,525.40; recorded by this run: 4 for 1,525.40.",
        "Invoices now paid: 24; partly paid: 4.",
        "API requests: 34 (1 to find the invoices).",
        "Error: Cannot write the results file out/r.csv (out is a file, not a folder). The "
        "payments above are recorded and every row's outcome is in the journal; write the "
        f"results file from it with: importer runs --journal {journal} show 1 --results PATH",
    ]
    rebuilt = tmp_path / "rebuilt.csv"
    shown = CliRunner().invoke(
        cli, ["runs", "--journal", str(journal), "show", "1", "--results", str(rebuilt)]
    )
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[:1] == ["Run 1: finished"]
    assert "Recorded by this run: 33 payments for USD 18,574.00" in shown.output
    with rebuilt.open(encoding="utf-8-sig", newline="") as stream:
        assert [row["status"] for row in csv.DictReader(stream)] == ["recorded"] * 33
