"""Results written again from the journal, for a run that died before writing its own."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner, Result

from importer.cli import cli
from importer.journal.journal import Journal
from importer.journal.ledger import InvoiceState
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY, copy_sample


def sheet_values(path: Path, name: str) -> list[tuple[object, ...]]:
    """Every row of one sheet of a workbook, as values."""
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def rebuilt_after_a_crash(
    target: Path, *, claimed: dict[str, Any] | None = None, settled: dict[str, Any] | None = None
) -> Result:
    """Rows 2 and 3 of payments.csv claimed, row 2 recorded, then the run dies; then
    ``runs show ID --results TARGET``. ``claimed`` and ``settled`` add to what the journal
    is told of the payments."""
    payments = copy_sample("payments.csv", target.parent)
    journal_path = target.parent / "journal.sqlite3"
    with Journal.open(journal_path) as journal:
        run_id = journal.history.start_run(file=payments, location_id="loc", api_url="http://api")
        for row, key in ((2, "k2"), (3, "k3")):
            journal.ledger.claim(
                api_url="http://api", key=key, run_id=run_id, row=row, file=payments.name,
                invoice_id="a" * 24, amount=Decimal("480.00"), paid_on="2026-10-03",
                paid_before=Decimal(0), **(claimed or {}),
            )  # fmt: skip
        journal.ledger.settle(api_url="http://api", key="k2", state="recorded", **(settled or {}))
        # ...and the run dies here: row 3 still sending, nothing written for the rest.
    return CliRunner().invoke(
        cli,
        ["runs", "--journal", str(journal_path), "show", str(run_id), "--results", str(target)],
        obj=TODAY,
    )


def test_results_of_a_run_that_died_are_rebuilt_from_the_journal(tmp_path: Path) -> None:
    """runs show ID --results: recorded from the journal, in flight unknown, the rest not_sent."""
    target = tmp_path / "rebuilt.results.csv"
    result = rebuilt_after_a_crash(target)
    assert result.exit_code == 0, result.output
    assert f"Results rebuilt from the journal: {target}" in result.output
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 33
    assert [(r["row"], r["status"], r["invoice_id"]) for r in rows[:3]] == [
        ("2", "recorded", "a" * 24),
        ("3", "unknown", "a" * 24),
        ("4", "not_sent", ""),
    ]
    assert rows[1]["message"].startswith("Was being sent when the run stopped")
    assert {r["status"] for r in rows[2:]} == {"not_sent"}


def test_results_are_not_rebuilt_from_a_changed_file(tmp_path: Path) -> None:
    """A file edited since the run is refused: its rows may no longer be the run's rows."""
    payments = copy_sample("payments.csv", tmp_path)
    journal_path = tmp_path / "journal.sqlite3"
    with Journal.open(journal_path) as journal:
        run_id = journal.history.start_run(file=payments, location_id="loc", api_url="http://api")
    payments.write_text(payments.read_text().replace("480.00", "48.00", 1))
    result = CliRunner().invoke(
        cli,
        ["runs", "--journal", str(journal_path), "show", str(run_id), "--results", "x.csv"],
        obj=TODAY,
    )
    assert result.exit_code == 2
    assert "has changed since run 1 read it" in result.output


def test_rebuilt_results_are_the_results_the_run_wrote(sandbox: RunningSandbox, env: Path) -> None:
    """runs show ID --results writes the same rows and Summary as the run, fed-back runs too."""
    payments = copy_sample("payments.xlsx", env).rename(env / "deposit.xlsx")
    book = openpyxl.load_workbook(payments)
    book.active.cell(3, 2).value = "25O.50"  # a typing slip in row 3's amount
    book.save(payments)
    first = CliRunner().invoke(cli, ["run", str(payments), "--yes", "--skip-invalid"], obj=TODAY)
    assert first.exit_code == 1, first.output
    results = env / "deposit.results.xlsx"
    written = {1: (sheet_values(results, "Results"), sheet_values(results, "Summary"))}
    book = openpyxl.load_workbook(results)
    sheet = book["Results"]
    header = [cell.value for cell in sheet[1]]
    status = header.index("Status")
    (red,) = [row for row in sheet.iter_rows(min_row=2) if row[status].value == "Invalid"]
    red[header.index("Amount")].value = "250.50"
    book.save(results)
    again = CliRunner().invoke(cli, ["run", str(results), "--yes"], obj=TODAY)
    assert again.exit_code == 0, again.output
    second = env / "deposit.results-2.xlsx"
    written[2] = (sheet_values(second, "Results"), sheet_values(second, "Summary"))
    for run_id, (rows, summary) in written.items():
        rebuilt = env / f"rebuilt-{run_id}.xlsx"
        shown = CliRunner().invoke(
            cli, ["runs", "show", str(run_id), "--results", str(rebuilt)], obj=TODAY
        )
        assert shown.exit_code == 0, shown.output
        assert sheet_values(rebuilt, "Results") == rows
        assert sheet_values(rebuilt, "Summary") == summary


def test_results_of_a_run_that_died_keep_each_invoice_and_a_summary(tmp_path: Path) -> None:
    """A crashed run's rebuilt results show the invoice of each payment sent, and a Summary."""
    target = tmp_path / "rebuilt.results.xlsx"
    result = rebuilt_after_a_crash(
        target,
        claimed={"mode": "cheque", "invoice": InvoiceState(number="INV-1001", currency="USD")},
        settled={"invoice": InvoiceState("INV-1001", "partially_paid", "480.00", "720.00", "USD")},
    )
    assert result.exit_code == 0, result.output
    rows = sheet_values(target, "Results")
    columns = ("Row", "Status", "Import invoice", "Invoice status", "Paid on invoice", "Still due")
    at = [rows[0].index(name) for name in columns]
    assert [tuple(row[i] for i in at) for row in rows[1:4]] == [
        (2, "Recorded", "INV-1001", "Partly paid", 480, 720),
        (3, "Not confirmed", "INV-1001", "Partly paid", 480, 720),
        (4, "Not sent", None, None, None, None),
    ]
    summary = [row[:3] for row in sheet_values(target, "Summary")]
    assert ("Rows", 33, None) in summary
    at = summary.index(("Money in USD", "Payments", "Amount"))
    assert summary[at : at + 7] == [
        ("Money in USD", "Payments", "Amount"),
        ("In the file", 2, 960),
        ("Recorded by this run", 1, 480),
        ("Already recorded earlier", 0, 0),
        ("Held back", 1, 480),
        ("  Not confirmed", 1, 480),
        (None, None, None),
    ]
    assert ("API requests", None, None) in summary


def test_rebuilt_results_read_the_sheet_the_run_read(sandbox: RunningSandbox, env: Path) -> None:
    """A workbook whose payments are on its second sheet is rebuilt from that sheet, not the
    first: the run keeps in the journal which sheet it read."""
    payments = copy_sample("payments.xlsx", env).rename(env / "deposit.xlsx")
    book = openpyxl.load_workbook(payments)
    notes = book.create_sheet("Notes", 0)
    notes.append(["Prepared by", "Checked by"])
    notes.append(["Ana", "Bob"])
    book.save(payments)
    ran = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert ran.exit_code == 0, ran.output
    results = env / "deposit.results.xlsx"
    rebuilt = env / "rebuilt.xlsx"
    shown = CliRunner().invoke(cli, ["runs", "show", "1", "--results", str(rebuilt)], obj=TODAY)
    assert shown.exit_code == 0, shown.output
    assert sheet_values(rebuilt, "Results") == sheet_values(results, "Results")
    assert sheet_values(rebuilt, "Summary") == sheet_values(results, "Summary")
