"""Attacks on the money rules over real HTTP: one payment reaching HighLevel by two roads
(a payments file and a bank statement, a cheque run and a statement line) is recorded once."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox
from tests.conftest import SAMPLES, TODAY, past_where


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, past_where(result.output)


def outcomes(results: Path) -> list[tuple[str, str, str]]:
    """(row, status, message) of each row of a results file."""
    with results.open(encoding="utf-8-sig", newline="") as stream:
        return [(r["row"], r["status"], r["message"]) for r in csv.DictReader(stream)]


def payments_on(running: RunningSandbox, number: str) -> list[tuple[str, str, str]]:
    """The payments the sandbox holds on invoice ``number``: amount, day and method."""
    (invoice_id,) = (i["_id"] for i in running.sandbox.invoices() if i["invoiceNumber"] == number)
    return sorted(
        (f"{t['amount']:.2f}", t["fulfilledAt"][:10], t["paymentMethod"]["mode"])
        for t in running.sandbox.transactions()
        if t["entityId"] == invoice_id
    )


def test_a_transfer_recorded_from_a_payments_file_is_not_recorded_again_from_the_statement(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A bank transfer of 700.00 on INV-1003 recorded from a payments file, then the bank
    statement showing that transfer run with --accept sure: its line is sure (INV-1003 still
    owes 750.75), but it is that very payment: already recorded for this computer's journal,
    and duplicate for another computer's, which knows it only from HighLevel."""
    (env / "transfers.csv").write_text(
        "Invoice,Amount,Payment Date,Method\nINV-1003,700.00,2026-11-05,Bank transfer\n",
        encoding="utf-8",
    )
    assert invoke("run", "transfers.csv", "--yes")[0] == 0
    (recorded_at,) = (t["createdAt"] for t in sandbox.sandbox.transactions())
    shutil.copy(SAMPLES / "statement.csv", env)
    code, output = invoke("run", "statement.csv", "--accept", "sure", "--yes")
    assert code == 1, output  # the lines not accepted
    line = next(o for o in outcomes(env / "statement.results.csv") if o[0] == "5")
    assert line[:2] == ("5", "skipped"), line
    assert re.fullmatch(
        r"Already recorded on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by run 1 \(transfers\.csv, "
        r"row 2\)\. If this row is a second real payment just like that one, put yes in its "
        r"Allow duplicate cell and run it again\.",
        line[2],
    ), line[2]
    code, output = invoke(
        "run", "statement.csv", "--accept", "sure", "--yes", "--journal", str(env / "other.sqlite3")
    )
    line = next(o for o in outcomes(env / "statement.results-2.csv") if o[0] == "5")
    assert line == (
        "5",
        "duplicate",
        "HighLevel already holds a bank transfer payment of 700.00, on INV-1003, dated "
        f"2026-11-05, recorded {recorded_at[:10]} {recorded_at[11:16]}: if this is a second "
        "real payment, put yes in its Allow duplicate cell or run with --allow-duplicates.",
    )
    assert payments_on(sandbox, "1003") == [("700.00", "2026-11-05", "bank_transfer")]
