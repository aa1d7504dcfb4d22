"""The summary and the control totals: what the accountant ticks against the statement."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from importer.cli import cli
from importer.output.results import RowResult
from importer.output.summary import summarise, write_summary_json
from importer.read.layout import SourceRow
from importer.sandbox import RunningSandbox
from importer.status import RowStatus
from tests.conftest import DATA, TODAY, copy_sample


def run(payments: Path, text: str, *options: str, encoding: str = "utf-8") -> Result:
    """Write ``text`` to ``payments`` and record it: ``importer run PAYMENTS --yes OPTIONS``."""
    payments.write_text(text, encoding=encoding)
    return CliRunner().invoke(cli, ["run", str(payments), "--yes", *options], obj=TODAY)


def test_summary_json_matches_the_results_rows(sandbox: RunningSandbox, env: Path) -> None:
    """--summary-json counts and totals agree with the rows of the results file."""
    payments = copy_sample("payments.csv", env)
    result = CliRunner().invoke(
        cli,
        ["run", str(payments), "--yes", "--summary-json", str(env / "summary.json")],
        obj=TODAY,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((env / "summary.json").read_text())
    with (env / "payments.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert summary["rows"] == len(rows) == 33
    assert summary["by_status"]["recorded"] == sum(r["status"] == "recorded" for r in rows)
    total = sum(Decimal(r["Amount"]) for r in rows)
    assert summary["by_currency"]["USD"]["recorded"] == {"count": 33, "total": f"{total:.2f}"}
    by_mode = summary["by_mode"]["USD"]
    assert sum(Decimal(m["recorded"]["total"]) for m in by_mode.values()) == total
    statuses = {r["invoice_id"]: r["invoice_status"] for r in rows}
    assert summary["invoices_paid"] == list(statuses.values()).count("paid")
    assert summary["requests"] == 34
    assert summary["lookup_requests"] == 1


def test_expected_total_mismatch_stops_before_anything_is_sent(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--expect-total that differs from the file: exit 2, every row not_sent, nothing recorded."""
    payments = copy_sample("payments.csv", env)
    result = CliRunner().invoke(
        cli,
        ["run", str(payments), "--yes", "--expect-total", "18,500.00", "--expect-count", "33"],
        obj=TODAY,
    )
    assert result.exit_code == 2
    expected = (
        "Control (--expect-total/--expect-count): total 18,574.00 against 18,500.00 and 33 "
        "payments against 33: DOES NOT MATCH (difference +74.00)."
    )
    assert (
        f"Error: {expected} Nothing was sent; find the difference, then run again." in result.output
    )
    assert sandbox.sandbox.transactions() == []
    with (env / "payments.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert {r["status"] for r in csv.DictReader(stream)} == {"not_sent"}
    # The error says why once, not on a line for each of the 33 rows it held back. No
    # invoice was looked up and the file has no currency column: its currency is not known.
    assert [line for line in result.output.splitlines() if line.startswith("Row")] == []
    assert (
        "33 rows: 33 not sent.\n"
        "unknown currency: 33 payments for 18,574.00 in the file; recorded by this run: none; "
        "held back: 33 for 18,574.00 (33 not sent for 18,574.00).\n"
    ) in result.output


def test_expected_total_that_matches_lets_the_run_go(sandbox: RunningSandbox, env: Path) -> None:
    """A matching control total is printed and the run records every row."""
    payments = copy_sample("payments.csv", env)
    result = CliRunner().invoke(
        cli,
        ["run", str(payments), "--yes", "--expect-total", "18574", "--expect-count", "33"],
        obj=TODAY,
    )
    assert result.exit_code == 0, result.output
    assert (
        "Control (--expect-total/--expect-count): total 18,574.00 against 18,574.00 and 33 "
        "payments against 33: matches." in result.output
    )
    assert len(sandbox.sandbox.transactions()) == 33


def test_totals_row_that_differs_stops_before_anything_is_sent(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A totals row that disagrees with the rows' sum stops the run: exit 2, nothing recorded."""
    result = run(env / "deposit.csv", (DATA / "title-rows-and-total.csv").read_text())
    assert result.exit_code == 2, result.output
    assert (
        "Error: Control (totals row 9): total 400.00 against 400.50: DOES NOT MATCH "
        "(difference -0.50). Nothing was sent; find the difference, then run again."
    ) in result.output
    assert sandbox.sandbox.transactions() == []


def test_totals_row_that_matches_is_ticked_and_the_run_goes_ahead(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A totals row equal to the rows' sum is stated as matching, and every row is recorded."""
    text = (DATA / "title-rows-and-total.csv").read_text()
    result = run(env / "deposit.csv", text.replace(",Total,400.50,", ",Total,400.00,"))
    assert result.exit_code == 0, result.output
    assert "Control (totals row 9): total 400.00 against 400.00: matches." in result.output
    assert len(sandbox.sandbox.transactions()) == 3


SUMMARY_MIX_LINES = (
    "5 rows: 3 invalid, 1 refused, 1 not sent.\n"
    "USD: 4 payments for 200.00 in the file; recorded by this run: none; held back: 4 for "
    "200.00 (2 invalid for 80.00, 1 refused for 20.00, 1 not sent for 100.00).\n"
    "  Bank transfer: 1 for 20.00; recorded by this run: none; held back: 1 for 20.00 "
    "(1 refused for 20.00).\n"
    "  Cash: 2 for 130.00; recorded by this run: none; held back: 2 for 130.00 (1 invalid for "
    "30.00, 1 not sent for 100.00).\n"
    "  Cheque: 1 for 50.00; recorded by this run: none; held back: 1 for 50.00 (1 invalid for "
    "50.00).\n"
)


def test_every_readable_amount_counts_in_the_file_under_its_currency_and_mode(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Invalid, held-back and unknown-invoice rows count in the file, by currency and method."""
    result = run(env / "summary-mix.csv", (DATA / "summary-mix.csv").read_text())
    assert result.exit_code == 1, result.output
    assert SUMMARY_MIX_LINES in result.output
    assert sandbox.sandbox.transactions() == []


def test_a_control_mismatch_still_shows_the_totals_by_currency_and_mode(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A control total that differs stops the run; the summary still says what the file holds."""
    result = run(
        env / "summary-mix.csv",
        (DATA / "summary-mix.csv").read_text(),
        "--expect-total", "150", "--summary-json", "s.json",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        "5 rows: 3 invalid, 2 not sent.\n"
        "USD: 4 payments for 200.00 in the file; recorded by this run: none; held back: 4 for "
        "200.00 (2 invalid for 80.00, 2 not sent for 120.00).\n"
        "  Bank transfer: 1 for 20.00; recorded by this run: none; held back: 1 for 20.00 "
        "(1 not sent for 20.00).\n"
    ) in result.output
    summary = json.loads((env / "s.json").read_text())
    none = {"count": 0, "total": "0.00"}
    assert summary["by_currency"] == {
        "USD": {
            "in_file": {"count": 4, "total": "200.00"},
            "recorded": none,
            "skipped": none,
            "ready": none,
            "not_recorded": {"count": 4, "total": "200.00"},
            "held_back": {
                "invalid": {"count": 2, "total": "80.00"},
                "not_sent": {"count": 2, "total": "120.00"},
            },
            "parts_in_file": 4,
            "partly_recorded": {"count": 0, "total": "0.00", "recorded_total": "0.00"},
        }
    }
    assert summary["parts"] == {"in_file": 4, "recorded": 0, "payments_of_several": 0}
    assert summary["control"]["file_total"] == "200.00"


EUROPEAN = (
    "Invoice;Amount;Payment Date;Method;Cheque No.\n"
    "INV-1001;1.000,00;03/10/2026;Cheque;000123\n"
    "INV-1002;250,50;13/10/2026;Cheque;000124\n"
)


def test_a_european_file_gets_its_amounts_and_totals_in_its_own_notation(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--expect-total and the results' amounts follow a file written 1.234,50."""
    result = run(env / "deposit.csv", EUROPEAN, "--expect-total", "1.250,50", encoding="cp1252")
    assert result.exit_code == 0, result.output
    assert (
        "Control (--expect-total/--expect-count): total 1.250,50 against 1.250,50: matches."
    ) in result.output
    with (env / "deposit.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert [(r["Amount"], r["amount_paid"], r["amount_due"]) for r in rows] == [
        ("1.000,00", "1000,00", "200,00"),
        ("250,50", "250,50", "362,00"),
    ]


def test_an_expected_total_is_read_and_stated_with_the_files_decimal_mark(
    sandbox: RunningSandbox, env: Path
) -> None:
    """In a 1.234,50 file, --expect-total 1.250 is one thousand two hundred and fifty."""
    result = run(env / "deposit.csv", EUROPEAN, "--expect-total", "1.250", encoding="cp1252")
    assert result.exit_code == 2, result.output
    assert (
        "Error: Control (--expect-total/--expect-count): total 1.250,50 against 1.250,00: "
        "DOES NOT MATCH (difference +0,50). Nothing was sent; find the difference, then run "
        "again.\n"
    ) in result.output
    assert sandbox.sandbox.transactions() == []


# The words of the status column and of --summary-json, in their order: a contract with
# users' scripts, whatever the code calls them.
STATUS_WORDS = [
    "recorded",
    "skipped",
    "ready",
    "no_payment",
    "invalid",
    "rejected",
    "failed",
    "unknown",
    "not_sent",
    "not_a_payment",
    "duplicate",
    "partly_recorded",
]


def test_every_status_is_counted_under_its_word_in_order(tmp_path: Path) -> None:
    """The summary counts each status in order: by its code in the JSON, its word when printed."""
    statuses = [*RowStatus, *RowStatus]
    results = [
        RowResult(SourceRow("Sheet1", number, ()), status)
        for number, status in enumerate(statuses, start=2)
    ]
    summary = summarise(results, requests=0)
    write_summary_json(tmp_path / "summary.json", summary)
    counts = json.loads((tmp_path / "summary.json").read_text())["by_status"]
    assert list(counts.items()) == [(word, 2) for word in STATUS_WORDS]
    assert summary.lines()[0] == (
        "24 rows: 2 recorded, 2 already recorded, 2 would be recorded, 2 no payment, 2 invalid, "
        "2 refused, 2 failed, 2 not confirmed, 2 not sent, 2 not a payment, 2 duplicate, "
        "2 partly recorded."
    )


def test_money_has_the_same_words_on_the_terminal_the_sheet_the_json_and_in_runs(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Rows an earlier run recorded are "already recorded earlier", never "recorded", in all
    four places; a run held back by an invalid row has recorded nothing anywhere."""
    payments = copy_sample("payments.xlsx", env)
    first_two = env / "first-two.xlsx"
    book = openpyxl.load_workbook(payments)
    book.active.delete_rows(4, 100)  # type: ignore[union-attr]
    book.save(first_two)
    assert CliRunner().invoke(cli, ["run", str(first_two), "--yes"], obj=TODAY).exit_code == 0
    result = CliRunner().invoke(
        cli, ["run", str(payments), "--yes", "--summary-json", "s.json"], obj=TODAY
    )
    assert result.exit_code == 0, result.output
    assert (
        "33 rows: 31 recorded, 2 already recorded.\n"
        "USD: 33 payments for 18,574.00 in the file; recorded by this run: 31 for 17,374.00; "
        "already recorded earlier: 2 for 1,200.00.\n"
    ) in result.output
    summary = [row[:3] for row in sheet_rows(env / "payments.results.xlsx", "Summary")]
    at = summary.index(("Money in USD", "Payments", "Amount"))
    assert summary[at + 1 : at + 5] == [
        ("In the file", 33, 18574),
        ("Recorded by this run", 31, 17374),
        ("Already recorded earlier", 2, 1200),
        ("Held back", 0, 0),
    ]
    usd = json.loads((env / "s.json").read_text())["by_currency"]["USD"]
    assert [usd[key] for key in ("in_file", "recorded", "skipped", "not_recorded")] == [
        {"count": 33, "total": "18574.00"},
        {"count": 31, "total": "17374.00"},
        {"count": 2, "total": "1200.00"},
        {"count": 0, "total": "0.00"},
    ]
    listing = CliRunner().invoke(cli, ["runs"]).output
    assert listing.splitlines()[2].endswith(
        "31 recorded, 2 already recorded  31 payments for USD 17,374.00"
    )
    shown = CliRunner().invoke(cli, ["runs", "show", "2"]).output.splitlines()
    assert shown[7:9] == [
        "Recorded by this run: 31 payments for USD 17,374.00",
        "Already recorded earlier: 2 payments for USD 1,200.00 (skipped: not sent again)",
    ]
    # Everything already recorded: this run recorded nothing, and says so.
    again = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert (
        "33 rows: 33 already recorded.\n"
        "USD: 33 payments for 18,574.00 in the file; recorded by this run: none; already "
        "recorded earlier: 33 for 18,574.00.\n"
    ) in again.output


def test_a_run_held_back_by_an_invalid_row_says_nothing_was_recorded_everywhere(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Nothing was recorded, and no line of the summary says otherwise: the valid rows' money
    is held back as not sent."""
    result = run(env / "summary-mix.csv", (DATA / "summary-mix.csv").read_text(),
                 "--summary-json", "s.json")  # fmt: skip
    assert result.exit_code == 1
    money = [line for line in result.output.splitlines() if " for " in line]
    assert len(money) == 4
    assert all("recorded by this run: none" in line for line in money)
    usd = json.loads((env / "s.json").read_text())["by_currency"]["USD"]
    assert usd["recorded"] == {"count": 0, "total": "0.00"}


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_a_row_whose_amount_cannot_be_read_is_said_to_be_in_no_total(
    sandbox: RunningSandbox, env: Path
) -> None:
    """The file's rows and the totals' payments can differ: the summary says by how many."""
    result = run(env / "summary-mix.csv", (DATA / "summary-mix.csv").read_text(),
                 "--summary-json", "s.json")  # fmt: skip
    assert "\n1 row whose amount cannot be read is in no total above.\n" in result.output
    assert json.loads((env / "s.json").read_text())["unreadable_amounts"] == 1
