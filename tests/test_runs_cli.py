"""`importer runs`, `runs show`, the submitter's run options, and progress lines."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.check.fields import InvoiceRef
from importer.check.validation import Payment
from importer.cli import cli
from importer.cli.progress import BarProgress, LineProgress
from importer.importing import Collaborators, Event, ImportChoices, PaymentDone, run_import
from importer.journal.journal import Journal
from importer.journal.ledger import InvoiceState
from importer.journal.runs import file_sha256
from importer.read.layout import SourceRow
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox
from importer.send.outcomes import Outcome
from tests.conftest import DATA, TODAY, copy_sample


def invoke(*args: str) -> tuple[int, str]:
    """Run the command line in-process; its exit code and everything it printed."""
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_runs_lists_a_finished_run_and_shows_it(sandbox: RunningSandbox, env: Path) -> None:
    """After a run, `runs` lists it and `runs show 1` gives its file, checksum, counts, rows;
    a run against a sandbox is listed apart, as a rehearsal."""
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--yes")
    assert code == 0, output
    assert output.splitlines()[-1] == "Journal: run 1 (importer runs show 1)."
    code, listing = invoke("runs")
    assert code == 0
    apart, header, line = listing.rstrip("\n").splitlines()
    assert apart == "Rehearsals (against a sandbox; they never count for real runs):"
    assert header == (
        "  ID  Started                  By  File (SHA-256)  Outcome  Rows  Recorded by this run"
    )
    assert line.startswith("   1  2026-")
    assert line.endswith(
        f"  payments.csv ({file_sha256(payments)[:12]})  finished  33 recorded  "
        "33 payments for USD 18,574.00"
    )
    code, shown = invoke("runs", "show", "1")
    assert code == 0, shown
    lines = shown.splitlines()
    assert lines[0] == "Run 1: finished"
    assert lines[3] == f"File:     {payments.resolve()}"
    assert lines[4] == f"SHA-256:  {file_sha256(payments)}"
    assert lines[5] == (
        f"Location: {sandbox.location_id} at {sandbox.url} (a rehearsal against a sandbox)"
    )
    assert lines[6:8] == [
        "Rows:     33 recorded",
        "Recorded by this run: 33 payments for USD 18,574.00",
    ]
    assert lines[8] == "  Row 2: Recorded, 480.00, invoice INV-1001, paid"
    assert len(lines) == 8 + 33


def test_runs_show_of_a_run_that_does_not_exist(sandbox: RunningSandbox, env: Path) -> None:
    """`runs show 9` with no run 9 exits 2 and says where to look."""
    payments = copy_sample("payments.csv", env)
    invoke("run", str(payments), "--yes")
    code, output = invoke("runs", "show", "9")
    assert code == 2
    assert output.startswith("Error: No run 9 in the journal at ")
    assert output.strip().endswith("see: importer runs")


def test_runs_without_a_journal_says_nothing_was_recorded(tmp_path: Path) -> None:
    """With no journal yet, `runs` exits 2 with one line."""
    code, output = invoke("runs", "--journal", str(tmp_path / "none.sqlite3"))
    assert code == 2
    assert output.strip().splitlines() == [
        f"Error: No journal at {tmp_path / 'none.sqlite3'}: nothing has been recorded from "
        "this computer yet."
    ]


def test_max_rate_that_is_not_a_rate_stops_before_anything(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--max-rate fast exits 2 with how to write a rate; nothing is sent."""
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--yes", "--max-rate", "fast")
    assert code == 2
    assert output.strip() == (
        "Error: --max-rate: 'fast' is not a rate. Write it as requests/seconds, for example "
        "50/10 for 50 requests every 10 seconds."
    )
    assert sandbox.sandbox.transactions() == []


def test_max_rate_and_timeout_and_journal_are_taken(sandbox: RunningSandbox, env: Path) -> None:
    """A run with --max-rate, --timeout and --journal records everything into that journal."""
    payments = copy_sample("payments.csv", env)
    journal = env / "mine.sqlite3"
    code, output = invoke(
        "run",
        str(payments),
        "--yes",
        "--max-rate",
        "200/1",
        "--timeout",
        "5",
        "--journal",
        str(journal),
    )
    assert code == 0, output
    code, listing = invoke("runs", "--journal", str(journal))
    assert listing.strip().endswith("finished  33 recorded  33 payments for USD 18,574.00")


def test_a_plain_progress_line_every_few_seconds() -> None:
    """Off a terminal, progress is one plain line each time 5 seconds have passed."""
    now = [0.0]
    stream = io.StringIO()
    progress = LineProgress(stream, every=5.0, clock=lambda: now[0])
    progress.start(10)
    payment = Payment(
        source=SourceRow("Sheet1", 2, ()),
        invoice=InvoiceRef("id", "a1"),
        amount=Decimal(1),
        paid_on=date(2026, 10, 3),
        mode="cash",
        notes="n",
    )
    for second, status in enumerate(["recorded"] * 5 + ["failed"] + ["recorded"] * 4, start=1):
        now[0] = float(second)
        progress.advance(Outcome(payment, status, "", None))
    progress.close()
    assert stream.getvalue().splitlines() == [
        "5/10 payments done (5 recorded), 1.0/s, about 5 s left.",
        "10/10 payments done (9 recorded, 1 failed), 1.0/s, about 0 s left.",
    ]


def test_a_spent_daily_budget_stops_with_exit_2_and_says_when(
    tmp_path: Path, seed: dict[str, object]
) -> None:
    """When the day's requests run out mid-file: what was sent is recorded, the rest not_sent,
    exit 2, and the message says when to run again."""
    payments = copy_sample("payments.csv", tmp_path)
    with running_sandbox(seed, rate_limit="off", daily_limit=12) as running:
        result = CliRunner(
            env={
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
        ).invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
        recorded = len(running.sandbox.transactions())
    assert result.exit_code == 2, result.output
    assert "Error: The location's daily API budget of 12 requests is spent; " in (result.output)
    assert "Run the same command again after " in result.output
    with (tmp_path / "payments.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        statuses = [row["status"] for row in csv.DictReader(stream)]
    assert 0 < recorded < 12
    assert Counter(statuses) == {"recorded": recorded, "not_sent": 33 - recorded}


def test_allowed_duplicates_are_two_payments_and_both_skipped_next_time(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Two equal cash payments allowed with --allow-duplicates are both recorded; the same
    file run again skips both, and another file with one of them skips that one."""
    payments = env / "allowed-duplicates.csv"
    payments.write_text((DATA / "allowed-duplicates.csv").read_text())
    code, output = invoke("run", str(payments), "--yes", "--allow-duplicates")
    assert code == 0, output
    assert "3 rows: 3 recorded." in output
    code, output = invoke("run", str(payments), "--yes", "--allow-duplicates")
    assert code == 0, output
    assert "3 rows: 3 already recorded." in output
    single = env / "one-of-them.csv"
    single.write_text("Invoice,Amount,Payment Date,Method\n1001,50.00,2026-10-03,Cash\n")
    code, output = invoke("run", str(single), "--yes")
    assert code == 0, output
    assert "1 row: 1 already recorded." in output
    assert len(sandbox.sandbox.transactions()) == 3


def test_runs_totals_count_only_what_each_run_recorded(sandbox: RunningSandbox, env: Path) -> None:
    """A run that skips rows an earlier run recorded shows only its own payments as recorded,
    and the skipped ones apart: the runs' recorded totals add up to what is in HighLevel."""
    payments = copy_sample("payments.csv", env)
    first_two = env / "first-two.csv"
    first_two.write_text("\n".join(payments.read_text().splitlines()[:3]) + "\n")
    assert invoke("run", str(first_two), "--yes")[0] == 0
    assert invoke("run", str(payments), "--yes")[0] == 0
    code, listing = invoke("runs")
    assert code == 0
    assert [line.split("  ")[-3:] for line in listing.splitlines()[2:]] == [
        ["finished", "31 recorded, 2 already recorded", "31 payments for USD 17,374.00"],
        ["finished", "2 recorded", "2 payments for USD 1,200.00"],
    ]
    code, shown = invoke("runs", "show", "2")
    assert code == 0, shown
    assert shown.splitlines()[6:9] == [
        "Rows:     31 recorded, 2 already recorded",
        "Recorded by this run: 31 payments for USD 17,374.00",
        "Already recorded earlier: 2 payments for USD 1,200.00 (skipped: not sent again)",
    ]


def killed_run(journal_path: Path, tmp_path: Path) -> None:
    """What kill -9 leaves in a journal: a run still marked running, one payment recorded and
    one still sending."""
    payments = tmp_path / "deposit.csv"
    payments.write_text("Invoice,Amount\n1001,12.50\n1002,20.00\n")
    with Journal.open(journal_path) as journal:
        run_id = journal.history.start_run(file=payments, location_id="loc1", api_url="http://api")
        for row, key, amount in ((2, "k2", "12.50"), (3, "k3", "20.00")):
            journal.ledger.claim(
                account="http://api",
                key=key,
                run_id=run_id,
                row=row,
                file=payments.name,
                invoice_id=f"inv{row}",
                amount=Decimal(amount),
                paid_on="2026-10-03",
                paid_before=Decimal(0),
                invoice=InvoiceState(currency="USD"),
            )
        journal.ledger.settle(account="http://api", key="k2", state="recorded")


def test_a_killed_run_did_not_finish_and_shows_what_the_journal_holds(tmp_path: Path) -> None:
    """A run killed mid-way is listed as 'did not finish' with the payments the journal holds
    for it and what it recorded; `runs show ID --journal PATH` lists those payments."""
    journal = tmp_path / "journal.sqlite3"
    killed_run(journal, tmp_path)
    code, listing = invoke("runs", "--journal", str(journal))
    assert code == 0
    assert listing.splitlines()[1].endswith(
        "  did not finish  journal: 1 recorded, 1 being sent  1 payment for USD 12.50"
    )
    code, shown = invoke("runs", "show", "1", "--journal", str(journal))
    assert code == 0, shown
    lines = shown.splitlines()
    assert lines[0] == "Run 1: did not finish"
    assert lines[6:] == [
        "Rows:     not written, the run did not finish; the journal holds 1 recorded, 1 being sent",
        "Recorded by this run: 1 payment for USD 12.50",
        "  Row 2: Recorded, 12.50, invoice inv2",
        "  Row 3: Being sent, 20.00, invoice inv3",
    ]


def test_a_run_whose_import_is_still_going_is_running(tmp_path: Path) -> None:
    """While an import holds the journal, its run is 'running', not 'did not finish'."""
    journal = tmp_path / "journal.sqlite3"
    killed_run(journal, tmp_path)
    with Journal.open(journal, exclusive=True):
        code, listing = invoke("runs", "--journal", str(journal))
    assert code == 0
    assert "  running  journal: 1 recorded, 1 being sent  1 payment for USD 12.50" in listing


def test_a_run_stopped_at_once_by_a_second_ctrl_c_is_interrupted_not_crashed(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A second Ctrl-C cuts the run where it stands: the journal calls it interrupted, says
    why, and counts what it recorded."""
    payments = copy_sample("payments.csv", tmp_path)
    journal = Journal.open(tmp_path / "journal.sqlite3")

    async def go() -> None:
        run = asyncio.current_task()
        assert run is not None

        def second_ctrl_c(event: Event) -> None:
            # What asyncio.run does to the run on a KeyboardInterrupt.
            if isinstance(event, PaymentDone):
                run.cancel()

        async with HighLevelClient(
            base_url=sandbox.url, token=SecretStr(DEFAULT_TOKEN), location_id=sandbox.location_id
        ) as client:
            collaborators = Collaborators(client=client, journal=journal, on_event=second_ctrl_c)
            await run_import(payments, ImportChoices(today=TODAY), collaborators)

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(go())
    record = journal.history.run(1)
    money = journal.run_money(1)
    journal.close()
    assert record is not None
    assert (record.outcome, record.message) == (
        "interrupted",
        "Stopped at once by a second Ctrl-C; payments on their way may be recorded, and the "
        "next run checks them first.",
    )
    assert record.totals == {currency: f"{m.total:.2f}" for currency, m in money.recorded.items()}
    assert money.recorded["USD"].count >= 1


def test_progress_notes_are_plain_lines_with_or_without_a_bar() -> None:
    """What the run says while it waits comes out as its own line, before the bar starts and
    while it runs, and off a terminal as it is."""
    bar_stream, line_stream = io.StringIO(), io.StringIO()
    bar = BarProgress(bar_stream)
    bar.note("Waiting 5 s before checking 1 payment.")
    bar.start(2)
    bar.note("Waiting 3 s to confirm 1 payment.")
    bar.close()
    lines = LineProgress(line_stream)
    lines.start(2)
    lines.note("Waiting 3 s to confirm 1 payment.")
    assert bar_stream.getvalue().splitlines()[:2] == [
        "Waiting 5 s before checking 1 payment.",
        "Waiting 3 s to confirm 1 payment.",
    ]
    assert line_stream.getvalue() == "Waiting 3 s to confirm 1 payment.\n"
