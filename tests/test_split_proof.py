"""Proof over real HTTP that a payment for several invoices is recorded as one HighLevel
payment per invoice part, each exactly once: every layout, a run stopped or killed between
parts (partly recorded, and finished by the same command), and a run killed at random."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.cli import cli
from importer.importing import (
    Collaborators,
    Event,
    ImportChoices,
    ImportReport,
    PaymentDone,
    close_run,
    open_file,
    plan_import,
    record_payments,
    write_results_files,
)
from importer.journal.journal import Journal
from importer.sandbox import DEFAULT_TOKEN, Fault, RequestSummary, RunningSandbox, running_sandbox
from importer.send.stop import StopSignal
from importer.status import PaymentState
from tests.bulk import (
    numbered_invoice,
    parts_by_cheque_and_invoice,
    payments_by_key,
    write_split_bulk,
)
from tests.conftest import ROOT, TODAY, copy_sample, past_where
from tests.test_proof import WAIT, SlowPayments, environment, kill_when, read_statuses

SEED = {
    "locationId": "locSplit00000000000001",
    "invoices": [
        numbered_invoice("2024", 300.0),
        numbered_invoice("2025", 200.5),
        numbered_invoice("2026", 400.0),
        numbered_invoice("2027", 300.0),
        numbered_invoice("2028", 200.0),
        numbered_invoice("2029", 150.0),
        numbered_invoice("2030", 100.0),
    ],
}
ID = {number: f"{int(number):024x}" for number in ("2024", "2025", "2026", "2027", "2028", "2029")}
LAYOUTS = (
    "Invoice,Amount,Payment Date,Method,Cheque No.,Reference,Cheque Total\n"
    "INV-2024,300.00,2026-11-02,Cheque,000777,,450.50\n"
    "INV-2025,150.50,2026-11-02,Cheque,000777,,450.50\n"
    "2026:400.00|2027:100.00,500.00,2026-11-02,Cheque,000778,,\n"
    '"2028, 2029",350.00,2026-11-03,Bank transfer,,TRF-9,\n'
    "2030,80.00,2026-11-03,Cash,,,\n"
)


def date_ago(days: int) -> str:
    """A payment date ``days`` before today (a run in its own process checks dates by today)."""
    return (date.today() - timedelta(days=days)).isoformat()


def run_deposit(tmp_path: Path, text: str, *args: str) -> tuple[int, str, list[dict[str, Any]]]:
    """``text`` as deposit.csv, imported with ``args`` into a fresh sandbox: the exit code, the
    output, and the payments the sandbox then holds."""
    path = tmp_path / "deposit.csv"
    path.write_text(text)
    with running_sandbox(SEED, rate_limit="off") as running:
        env = environment(running.url, running.location_id, tmp_path / "journal.sqlite3")
        result = CliRunner(env=env).invoke(cli, ["run", str(path), *args], obj=TODAY)
        return result.exit_code, past_where(result.output), running.sandbox.transactions()


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def outcome(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str, str, str, str]]:
    """Each results row's outcome columns but the row number."""
    return [
        (
            r["status"],
            r["message"],
            r["invoice_id"],
            r["invoice_number"],
            r["invoice_status"],
            r["amount_paid"],
            r["amount_due"],
        )
        for r in rows
    ]


def test_every_layout_records_one_payment_per_invoice_and_counts_as_the_slip(
    tmp_path: Path,
) -> None:
    """Two rows of one cheque, one cell with amounts, one cell without, and a lone payment:
    seven HighLevel payments with notes that explain themselves; the results keep one row per
    row; the deposit's four payments match --expect-count 4, and the parts are shown apart."""
    code, output, transactions = run_deposit(
        tmp_path, LAYOUTS, "--yes", "--expect-count", "4", "--expect-total", "1380.50"
    )
    assert code == 0, output
    assert output.splitlines()[:9] == [
        "5 rows: 5 recorded.",
        "USD: 4 payments for 1,380.50 (7 invoice parts) in the file; recorded by this run: 7 "
        "parts for 1,380.50.",
        "  Bank transfer: 1 for 350.00; recorded by this run: 2 parts for 350.00.",
        "  Cash: 1 for 80.00; recorded by this run: 1 part for 80.00.",
        "  Cheque: 2 for 950.50; recorded by this run: 4 parts for 950.50.",
        "Invoice parts: 7 in the file (3 payments for several invoices); recorded by this run: 7.",
        "Invoices now paid: 4; partly paid: 3.",
        "Control (--expect-total/--expect-count): total 1,380.50 against 1,380.50 and 4 payments "
        "against 4: matches.",
        "API requests: 8 (1 to find the invoices).",
    ]
    assert sorted((t["entityId"], t["amount"], t["notes"]) for t in transactions) == sorted(
        [
            (ID["2024"], 300, "Cheque 000777, 1 of 2 invoices: INV-2024, INV-2025 (row 2 of "
             "deposit.csv)"),
            (ID["2025"], 150.5, "Cheque 000777, 2 of 2 invoices: INV-2024, INV-2025 (row 3 of "
             "deposit.csv)"),
            (ID["2026"], 400, "Cheque 000778, 1 of 2 invoices: 2026, 2027 (row 4 of "
             "deposit.csv)"),
            (ID["2027"], 100, "Cheque 000778, 2 of 2 invoices: 2026, 2027 (row 4 of "
             "deposit.csv)"),
            (ID["2028"], 200, "Reference TRF-9, 1 of 2 invoices: 2028, 2029 (row 5 of "
             "deposit.csv)"),
            (ID["2029"], 150, "Reference TRF-9, 2 of 2 invoices: 2028, 2029 (row 5 of "
             "deposit.csv)"),
            (f"{2030:024x}", 80, "Cash payment (row 6 of deposit.csv)"),
        ]
    )  # fmt: skip
    assert set(payments_by_key(transactions).values()) == {1}
    assert outcome(rows_of(tmp_path / "deposit.results.csv")) == [
        ("recorded", "", ID["2024"], "INV-2024", "paid", "300.00", "0.00"),
        ("recorded", "", ID["2025"], "INV-2025", "partially_paid", "150.50", "50.00"),
        (
            "recorded",
            "INV-2026, 400.00: recorded (invoice paid, 0.00 due); INV-2027, 100.00: recorded "
            "(invoice partly paid, 200.00 due).",
            f"{ID['2026']}; {ID['2027']}",
            "INV-2026; INV-2027",
            "paid; partially_paid",
            "400.00; 100.00",
            "0.00; 200.00",
        ),
        (
            "recorded",
            "INV-2028, 200.00: recorded (invoice paid, 0.00 due); INV-2029, 150.00: recorded "
            "(invoice paid, 0.00 due).",
            f"{ID['2028']}; {ID['2029']}",
            "INV-2028; INV-2029",
            "paid; paid",
            "200.00; 150.00",
            "0.00; 0.00",
        ),
        ("recorded", "", f"{2030:024x}", "INV-2030", "partially_paid", "80.00", "20.00"),
    ]


def test_one_cheque_on_three_rows_is_one_payment_on_the_slip(tmp_path: Path) -> None:
    """The deposit of one cheque for three invoices, on three rows: --expect-count 1 matches
    (it said "DOES NOT MATCH (+2 payments)" when rows were counted)."""
    code, output, _ = run_deposit(
        tmp_path,
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        "2024,100.00,2026-11-02,Cheque,1018\n"
        "2025,100.00,2026-11-02,Cheque,1018\n"
        "2026,100.00,2026-11-02,Cheque,1018\n",
        "--dry-run",
        "--expect-count",
        "1",
    )
    assert code == 0, output
    assert "Control (--expect-total/--expect-count): 1 payment against 1: matches." in (
        output.splitlines()
    )
    assert (
        "Invoice parts: 3 in the file (1 payment for several invoices); would be recorded: 3."
        in output.splitlines()
    )


def test_a_payment_with_a_refused_part_sends_nothing_of_it(tmp_path: Path) -> None:
    """Cheque 000777 lists an unknown invoice beside a good one, cheque 000778 goes: the good
    part of 000777 is held back, its row rejected naming the part, and only 000778 is in
    HighLevel."""
    code, output, transactions = run_deposit(
        tmp_path,
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        "2024:100.00|9999:50.00,150.00,2026-11-02,Cheque,000777\n"
        "2026,100.00,2026-11-02,Cheque,000778\n",
        "--yes",
    )
    assert code == 1, output
    assert [(t["entityId"], t["amount"]) for t in transactions] == [(ID["2026"], 100)]
    (first, second) = rows_of(tmp_path / "deposit.results.csv")
    assert (first["status"], first["message"]) == (
        "rejected",
        "INV-2024, 100.00: refused (invoice sent, 300.00 due); Invoice 9999, 50.00: refused. "
        "INV-2024: Held back with the rest of cheque 000777: part 2 of 2 (invoice 9999) is "
        "refused: No invoice with number 9999 in this location. Nothing of a payment is sent "
        "until every part of it can be: fix that part and run again, or run again with "
        "--skip-invalid to record the parts that can go. Invoice 9999: No invoice with number "
        "9999 in this location.",
    )
    assert second["status"] == "recorded"


# Cheque 000777 for two invoices, in one cell.
ONE_CHEQUE_TWO_INVOICES = (
    "Invoice,Amount,Payment Date,Method,Cheque No.\n"
    "2024:300.00|2025:150.50,450.50,2026-11-02,Cheque,000777\n"
)


def record_stopping_after_the_first_part(
    running: RunningSandbox, path: Path, journal_path: Path
) -> ImportReport:
    """Import ``path`` one payment at a time, stopped as soon as the first one is recorded."""
    stop = StopSignal()
    choices = ImportChoices(today=TODAY, concurrency=1)

    def on_event(event: Event) -> None:
        if isinstance(event, PaymentDone):
            stop.set()

    async def go() -> ImportReport:
        async with HighLevelClient(
            base_url=running.url, token=SecretStr(DEFAULT_TOKEN), location_id=running.location_id
        ) as client:
            with Journal.open(journal_path) as journal:
                collaborators = Collaborators(
                    client=client, journal=journal, stop=stop, on_event=on_event
                )
                plan = await plan_import(open_file(path, today=TODAY), choices, collaborators)
                recording = await record_payments(plan, choices, collaborators)
                return write_results_files(close_run(plan, recording, choices, collaborators))

    return asyncio.run(go())


def test_a_run_stopped_between_parts_is_partly_recorded_and_the_same_run_finishes_it(
    tmp_path: Path,
) -> None:
    """Stopped after the first part of a cheque for two invoices: the row is partly_recorded,
    saying which invoice has its part; the same import again sends only the other part."""
    path = tmp_path / "deposit.csv"
    path.write_text(ONE_CHEQUE_TWO_INVOICES)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(SEED, rate_limit="off") as running:
        stopped = record_stopping_after_the_first_part(running, path, journal)
        after_stop = running.sandbox.transactions()
        again = CliRunner(env=environment(running.url, running.location_id, journal)).invoke(
            cli, ["run", str(path), "--yes"], obj=TODAY
        )
        transactions = running.sandbox.transactions()
    (row,) = stopped.results
    assert (row.status, row.message) == (
        "partly_recorded",
        "Partly recorded: 1 of 2 invoices of cheque 000777 have their part recorded. Run the "
        "same command again to record the rest; what is recorded is not sent again. INV-2024, "
        "300.00: recorded (invoice paid, 0.00 due); INV-2025, 150.50: not sent (invoice sent, "
        "200.50 due). INV-2025: Not sent: the run was interrupted. Run the same command again "
        "to send it.",
    )
    assert [p.status for p in row.parts] == ["recorded", "not_sent"]
    assert stopped.summary.lines()[:4] == [
        "1 row: 1 partly recorded.",
        "USD: 1 payment for 450.50 (2 invoice parts) in the file; recorded by this run: 1 part "
        "for 300.00; held back: 1 part for 150.50 (1 not sent for 150.50).",
        "  1 payment partly recorded, for 450.50: 300.00 of it recorded; the same command "
        "records the rest.",
        "  Cheque: 1 for 450.50; recorded by this run: 1 part for 300.00; held back: 1 part for "
        "150.50 (1 not sent for 150.50).",
    ]
    assert [(t["entityId"], t["amount"]) for t in after_stop] == [(ID["2024"], 300)]
    assert again.exit_code == 0, again.output
    assert "1 row: 1 recorded." in again.output
    assert sorted((t["entityId"], t["amount"]) for t in transactions) == [
        (ID["2024"], 300),
        (ID["2025"], 150.5),
    ]
    (finished,) = rows_of(tmp_path / "deposit.results-2.csv")
    assert finished["status"] == "recorded"
    assert finished["message"].startswith(
        "INV-2024, 300.00: already recorded (invoice paid, 0.00 due); INV-2025, 150.50: "
        "recorded (invoice partly paid, 50.00 due). INV-2024: Already recorded on "
    )


def kill_when_recorded(path: Path, env: dict[str, str], journal: Path, count: int) -> None:
    """Run the importer in a process and kill -9 it once its journal holds ``count`` payments
    recorded (their answers read, not only in HighLevel)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "run", str(path), "--yes", *SHORT_WAIT],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if journal.is_file():
            with Journal.open(journal) as reading:
                if reading.ledger.states().get(PaymentState.RECORDED, 0) >= count:
                    break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


# Payments held 1 s in the server before it applies them, and the wait, above that, after
# which a payment whose answer was lost can no longer arrive.
HELD = 1.0
SHORT_WAIT = ("--lost-answer-wait", "2")


def held_posts(*invoice_ids: str) -> Any:
    """Payments to these invoices held ``HELD`` seconds by the server before it applies them."""
    paths = {f"/invoices/{invoice_id}/record-payment" for invoice_id in invoice_ids}

    def decide(request: RequestSummary) -> Fault | None:
        if request.method == "POST" and request.path in paths:
            return Fault.delay(HELD, after_applying=False)
        return None

    return decide


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_between_parts_shows_them_partly_recorded_and_is_finished_once(
    tmp_path: Path,
) -> None:
    """kill -9 while the second part of each cheque is still in the server's hands: the
    results rebuilt from the journal show both cheques partly_recorded, part by part; the same
    command then confirms the parts in flight and records nothing twice."""
    path = tmp_path / "deposit.csv"
    path.write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        f"2024:300.00|2025:150.50,450.50,{date_ago(3)},Cheque,000777\n"
        f"2026,400.00,{date_ago(3)},Cheque,000778\n"
        f"2027,100.00,{date_ago(3)},Cheque,000778\n"
    )
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(
        SEED, rate_limit="off", faults=held_posts(ID["2025"], ID["2027"])
    ) as running:
        env = environment(running.url, running.location_id, journal)
        kill_when_recorded(path, env, journal, 2)
        runner = CliRunner(env=env)
        shown = runner.invoke(cli, ["runs", "show", "1", "--results", str(tmp_path / "r.csv")])
        again = runner.invoke(cli, ["run", str(path), "--yes", *SHORT_WAIT])
        transactions = running.sandbox.transactions()
    assert shown.exit_code == 0, shown.output
    rebuilt = rows_of(tmp_path / "r.csv")
    assert [r["status"] for r in rebuilt] == ["partly_recorded"] * 3
    assert rebuilt[0]["message"] == (
        "Partly recorded: 1 of 2 invoices of cheque 000777 have their part recorded. Run the "
        "same command again to record the rest; what is recorded is not sent again. INV-2024, "
        "300.00: recorded; INV-2025, 150.50: not confirmed (was being sent when the run "
        "stopped; the next run checks it first)."
    )
    assert rebuilt[2]["message"] == (
        "Partly recorded: 1 of 2 invoices of cheque 000778 (rows 3-4) have their part recorded. "
        "Run the same command again to record the rest; what is recorded is not sent again. Was "
        "being sent when the run stopped; the next run of this file checks it against the "
        "invoice before anything else."
    )
    assert again.exit_code == 0, again.output
    # The parts in flight at the kill landed meanwhile: found, and skipped like the others.
    assert read_statuses(path.with_name("deposit.results.csv")) == {"skipped": 3}
    assert parts_by_cheque_and_invoice(transactions) == {
        ("000777", ID["2024"]): 1,
        ("000777", ID["2025"]): 1,
        ("000778", ID["2026"]): 1,
        ("000778", ID["2027"]): 1,
    }


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_payments_for_several_invoices_killed_at_random_are_each_recorded_once(
    tmp_path: Path,
) -> None:
    """24 cheques of two or three invoices each, in all three layouts, some requests held in
    the server: killed mid-run, then the same command. Every part is in HighLevel exactly
    once, and every row ends recorded or skipped."""
    path, seed, parts = write_split_bulk(tmp_path, cheques=24)
    journal = tmp_path / "journal.sqlite3"
    faults = SlowPayments()
    with running_sandbox(seed, rate_limit="off", faults=faults) as running:
        env = environment(running.url, running.location_id, journal)
        killed_at = kill_when(running, path, env, 25)
        assert 25 <= killed_at < parts
        again = CliRunner(env=env).invoke(cli, ["run", str(path), "--yes", *WAIT])
        transactions = running.sandbox.transactions()
    assert again.exit_code == 0, again.output
    assert len(transactions) == parts
    assert set(parts_by_cheque_and_invoice(transactions).values()) == {1}
    assert set(payments_by_key(transactions).values()) == {1}
    assert set(read_statuses(path.with_name("split-24.results.csv"))) <= {"recorded", "skipped"}
    cheques = Counter(t["paymentMethod"]["cheque"]["number"] for t in transactions)
    assert cheques == {f"{n + 1:06d}": 2 if n % 3 == 2 else 3 for n in range(24)}
    assert sum(Decimal(str(t["amount"])) for t in transactions) == 8 * 2000 + 16 * Decimal("61.50")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_between_parts_leaves_the_payment_partly_recorded(tmp_path: Path) -> None:
    """Ctrl-C while a cheque's first part is recorded and a payment ahead of its second part
    on the same invoice is still in the server's hands: that payment is finished, the second
    part not sent, the row partly_recorded, exit 130."""
    path = tmp_path / "deposit.csv"
    path.write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        f"2025,50.00,{date_ago(3)},Cash,\n"
        f"2024:300.00|2025:150.50,450.50,{date_ago(3)},Cheque,000777\n"
    )
    with running_sandbox(SEED, rate_limit="off", faults=held_posts(ID["2025"])) as running:
        env = environment(running.url, running.location_id, tmp_path / "journal.sqlite3")
        process = subprocess.Popen(
            [sys.executable, "-m", "importer", "run", str(path), "--yes"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not running.sandbox.transactions() and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        output, errors = process.communicate(timeout=30)
        transactions = running.sandbox.transactions()
    assert process.returncode == 130, output + errors
    assert sorted((t["entityId"], t["amount"]) for t in transactions) == [
        (ID["2024"], 300),
        (ID["2025"], 50),
    ]
    cash, cheque = rows_of(tmp_path / "deposit.results.csv")
    assert (cash["status"], cheque["status"]) == ("recorded", "partly_recorded")
    assert cheque["message"] == (
        "Partly recorded: 1 of 2 invoices of cheque 000777 have their part recorded. Run the "
        "same command again to record the rest; what is recorded is not sent again. INV-2024, "
        "300.00: recorded (invoice paid, 0.00 due); INV-2025, 150.50: not sent (invoice partly "
        "paid, 150.50 due). INV-2025: Not sent: the run was interrupted. Run the same command "
        "again to send it."
    )
    assert (cheque["invoice_number"], cheque["amount_due"]) == (
        "INV-2024; INV-2025",
        "0.00; 150.50",
    )


def test_a_canary_takes_whole_payments(tmp_path: Path) -> None:
    """--canary 1 on a file whose first payment is a cheque on rows 2 and 4: both its parts go
    first, shown by row, then the rest."""
    code, output, _ = run_deposit(
        tmp_path,
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        "2024,300.00,2026-11-02,Cheque,000777\n"
        "2026,400.00,2026-11-02,Cheque,000778\n"
        "2025,150.50,2026-11-02,Cheque,000777\n",
        "--yes",
        "--canary",
        "1",
    )
    assert code == 0, output
    assert output.splitlines()[:5] == [
        "The first 2 payments (the canary):",
        "  Row 2: Recorded. Invoice INV-2024 is now paid, 0.00 USD due.",
        "  Row 4: Recorded. Invoice INV-2025 is now partly paid, 50.00 USD due.",
        "Going on with the other 1 payment (--yes).",
        "3 rows: 3 recorded.",
    ]


def test_the_sample_of_several_invoices_imports_as_the_readme_shows(
    sandbox: RunningSandbox, env: Path
) -> None:
    """samples/several-invoices.csv into the sandbox of the sample invoices: the summary the
    README shows, line for line, and one payment in HighLevel per invoice part."""
    path = copy_sample("several-invoices.csv", env)
    result = CliRunner().invoke(cli, ["run", str(path), "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("$ .venv/bin/importer run samples/several-invoices.csv --sandbox --yes\n")
    expected = shown[1].split("Results (sandbox)")[0].splitlines()
    assert past_where(result.output).splitlines()[: len(expected)] == expected
    assert len(sandbox.sandbox.transactions()) == 7
    assert set(payments_by_key(sandbox.sandbox.transactions()).values()) == {1}


def test_a_partly_recorded_payment_rewritten_in_another_layout_sends_only_what_is_missing(
    tmp_path: Path,
) -> None:
    """Stopped after the first part of 2024:300.00|2025:150.50, the cell is then rewritten as
    two rows of the same cheque: each part keeps its key, so the first is skipped and only the
    second is sent."""
    path = tmp_path / "deposit.csv"
    path.write_text(ONE_CHEQUE_TWO_INVOICES)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(SEED, rate_limit="off") as running:
        record_stopping_after_the_first_part(running, path, journal)
        path.write_text(
            "Invoice,Amount,Payment Date,Method,Cheque No.\n"
            "INV-2024,300.00,2026-11-02,Cheque,000777\n"
            "INV-2025,150.50,2026-11-02,Cheque,000777\n"
        )
        again = CliRunner(env=environment(running.url, running.location_id, journal)).invoke(
            cli, ["run", str(path), "--yes"], obj=TODAY
        )
        transactions = running.sandbox.transactions()
    assert again.exit_code == 0, again.output
    assert "2 rows: 1 recorded, 1 already recorded." in again.output
    assert sorted((t["entityId"], t["amount"]) for t in transactions) == [
        (ID["2024"], 300),
        (ID["2025"], 150.5),
    ]
    assert set(payments_by_key(transactions).values()) == {1}
