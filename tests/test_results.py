"""The results file and summary: every row back as read, its outcome, and the control totals."""

from __future__ import annotations

import csv
import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.cli import cli
from importer.journal import InvoiceState, Journal
from importer.output import (
    OUTCOME_COLUMNS,
    RowResult,
    default_results_path,
    neutralised,
    restored,
    summarise,
    without_outcome_columns,
    write_results,
    write_summary_json,
)
from importer.read import PaymentsFile, SourceRow, load
from importer.sandbox import RunningSandbox
from tests.conftest import DATA, TODAY, copy_sample

COLUMNS = ("Invoice", "Amount", "Cheque No.", "Notes")
# Text an accountant's file really holds, including what a spreadsheet would take for a formula.
cell_text = st.one_of(
    st.from_regex(r"0[0-9]{2,6}", fullmatch=True),
    st.sampled_from(
        ["=SUM(A1:A9)", "+1", "-5.00", "@cmd", '=HYPERLINK("x")', "Café €12", "'=x", "'"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool),
)


def payments_file(rows: list[tuple[str, ...]], path: Path) -> PaymentsFile:
    sources = [SourceRow("Sheet1", n + 2, cells) for n, cells in enumerate(rows)]
    return PaymentsFile(path, "csv", "Sheet1", COLUMNS, sources)


def results_for(source: PaymentsFile) -> list[RowResult]:
    return [
        RowResult(row, "recorded", "", "a" * 24, "INV-1", "paid", Decimal("10.50"), Decimal(0),
                  amount=Decimal("10.50"), currency="USD", mode="cash")
        for row in source.rows
    ]  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(cell_text, cell_text, cell_text, cell_text), min_size=1, max_size=5))
def test_xlsx_results_read_back_exactly_as_written(
    tmp_path: Path, rows: list[tuple[str, ...]]
) -> None:
    """Every input cell comes back from the XLSX results as the same text, formulas included."""
    source = payments_file(rows, tmp_path / "in.xlsx")
    target = tmp_path / "in.results.xlsx"
    write_results(target, source, results_for(source))
    sheet = openpyxl.load_workbook(target)["Results"]
    back = [tuple(str(v) for v in row[:4]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert back == rows
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows(min_row=2, max_col=4) for cell in row
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(cell_text, cell_text, cell_text, cell_text), min_size=1, max_size=5))
def test_csv_results_read_back_with_only_formulas_neutralised(
    tmp_path: Path, rows: list[tuple[str, ...]]
) -> None:
    """CSV results hold every cell as written, but a formula-like or quoted cell gains a quote."""
    source = payments_file(rows, tmp_path / "in.csv")
    target = tmp_path / "in.results.csv"
    write_results(target, source, results_for(source), delimiter=";")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        back = [tuple(row[:4]) for row in list(csv.reader(stream, delimiter=";"))[1:]]
    expected = [
        tuple("'" + c if c.startswith(("=", "+", "-", "@", "'")) else c for c in row)
        for row in rows
    ]
    assert back == expected


@given(value=st.text())
def test_neutralising_then_restoring_gives_the_cell_back(value: str) -> None:
    """Whatever a cell holds, taking the CSV quote off again gives exactly the cell."""
    assert restored(neutralised(value)) == value


# Cells that start like formulas or quotes, from an alphabet that cannot spell "Total".
formula_like = st.builds(
    lambda start, rest: (start + rest).strip(),
    st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "-'"]),
    st.text(alphabet="abcxyz0123456789 .,()'\"=-", max_size=8),
).filter(bool)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(formula_like, formula_like, formula_like, formula_like), min_size=1, max_size=5
    )
)
def test_a_csv_results_file_given_back_holds_the_cells_as_first_read(
    tmp_path: Path, rows: list[tuple[str, ...]]
) -> None:
    """CSV results read back as input give each input cell exactly, formula quotes taken off."""
    source = payments_file(rows, tmp_path / "in.csv")
    target = tmp_path / "in.results.csv"
    write_results(target, source, results_for(source))
    again = without_outcome_columns(load(target))
    assert again.columns == COLUMNS
    assert [row.cells for row in again.rows] == rows


def test_a_quote_in_an_xlsx_results_file_is_data(tmp_path: Path) -> None:
    """XLSX results are never neutralised, so a leading quote read back from one stays."""
    source = payments_file([("'=x", "-5", "'abc", "@n")], tmp_path / "in.xlsx")
    target = tmp_path / "in.results.xlsx"
    write_results(target, source, results_for(source))
    again = without_outcome_columns(load(target))
    assert [row.cells for row in again.rows] == [("'=x", "-5", "'abc", "@n")]


def test_xlsx_results_have_colours_formats_and_a_summary_sheet(tmp_path: Path) -> None:
    """Status cells are coloured, amounts are numbers in the invoice's currency, Summary exists."""
    source = payments_file(
        [("1001", "10.50", "000123", "ok"), ("1002", "x", "", "")], tmp_path / "in.xlsx"
    )
    results = [
        results_for(source)[0],
        RowResult(source.rows[1], "invalid", "Row 3, column \"Amount\": 'x' is not an amount."),
    ]
    target = tmp_path / "in.results.xlsx"
    write_results(target, source, results, summary=summarise(results, requests=2))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Results", "Summary"]
    sheet = book["Results"]
    status = len(COLUMNS) + OUTCOME_COLUMNS.index("status") + 1
    assert [sheet.cell(r, status).fill.start_color.rgb for r in (2, 3)] == ["00C6EFCE", "00FFC7CE"]
    paid = sheet.cell(2, len(COLUMNS) + OUTCOME_COLUMNS.index("amount_paid") + 1)
    assert paid.value == 10.5
    assert paid.number_format == '#,##0.00 "USD"'
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L3"
    summary = {
        row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]
    }
    assert summary["Rows"] == 2
    assert summary["Rows recorded"] == 1
    assert summary["Rows invalid"] == 1


def test_results_path_follows_the_input() -> None:
    """CSV and XLSX come back as themselves, XLS and ODS as XLSX, a results file numbered."""
    assert [default_results_path(Path(name)).name for name in (
        "deposit.csv", "deposit.xlsx", "deposit.xls", "deposit.ods", "deposit.results.csv",
        "deposit.results-2.csv", "deposit.results.xls", "deposit.results-9.xlsx",
    )] == [
        "deposit.results.csv", "deposit.results.xlsx", "deposit.results.xlsx",
        "deposit.results.xlsx", "deposit.results-2.csv", "deposit.results-3.csv",
        "deposit.results-2.xlsx", "deposit.results-10.xlsx",
    ]  # fmt: skip


def test_a_results_file_given_back_reads_as_the_original_input(tmp_path: Path) -> None:
    """The outcome columns of an earlier run are dropped when a results file is the input."""
    source = load(copy_sample("payments.csv", tmp_path))
    target = tmp_path / "payments.results.csv"
    write_results(target, source, [RowResult(row, "rejected", "x") for row in source.rows])
    again = without_outcome_columns(load(target))
    assert again.columns == source.columns
    assert [row.cells for row in again.rows] == [row.cells for row in source.rows]


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
        "33 rows: 33 not_sent.\n"
        "unknown currency: 33 payments for 18,574.00 in the file; 0 recorded for 0.00; "
        "33 not recorded for 18,574.00.\n"
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
    payments = env / "deposit.csv"
    payments.write_text((DATA / "title-rows-and-total.csv").read_text())
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
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
    payments = env / "deposit.csv"
    text = (DATA / "title-rows-and-total.csv").read_text()
    payments.write_text(text.replace(",Total,400.50,", ",Total,400.00,"))
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    assert "Control (totals row 9): total 400.00 against 400.00: matches." in result.output
    assert len(sandbox.sandbox.transactions()) == 3


def test_csv_results_keep_the_inputs_delimiter(sandbox: RunningSandbox, env: Path) -> None:
    """A file separated by semicolons comes back separated by semicolons, with a BOM."""
    payments = env / "deposit.csv"
    payments.write_text(
        "Invoice;Amount;Payment Date;Method;Cheque No.\n"
        "INV-1001;100,00;03/10/2026;Cheque;000123\n"
        "INV-1002;250,50;13/10/2026;Cheque;000124\n",
        encoding="cp1252",
    )
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    raw = (env / "deposit.results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfInvoice;Amount;Payment Date;Method;Cheque No.;row;status;")
    with (env / "deposit.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert [(r["Amount"], r["Cheque No."], r["status"]) for r in rows] == [
        ("100,00", "000123", "recorded"),
        ("250,50", "000124", "recorded"),
    ]


def test_results_of_a_run_that_died_are_rebuilt_from_the_journal(tmp_path: Path) -> None:
    """runs show ID --results: recorded from the journal, in flight unknown, the rest not_sent."""
    payments = copy_sample("payments.csv", tmp_path)
    journal_path = tmp_path / "journal.sqlite3"
    with Journal.open(journal_path) as journal:
        run_id = journal.history.start_run(file=payments, location_id="loc", api_url="http://api")
        for row, key in ((2, "k2"), (3, "k3")):
            journal.ledger.claim(
                api_url="http://api", key=key, run_id=run_id, row=row, file=payments.name,
                invoice_id="a" * 24, amount=Decimal("480.00"), paid_on="2026-10-03",
                paid_before=Decimal(0),
            )  # fmt: skip
        journal.ledger.settle(api_url="http://api", key="k2", state="recorded")
        # ...and the run dies here: row 3 still sending, nothing written for the rest.
    target = tmp_path / "rebuilt.results.csv"
    result = CliRunner().invoke(
        cli,
        ["runs", "--journal", str(journal_path), "show", str(run_id), "--results", str(target)],
        obj=TODAY,
    )
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


def test_a_fixed_results_file_run_again_sends_only_the_fixed_rows(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Fix the red row of a results file and run it: recorded rows skipped, the fixed one sent."""
    payments = env / "deposit.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        "INV-1001,100.00,2026-10-03,Cheque,000123\n"
        "INV-1002,25O.50,2026-10-03,Cheque,000124\n"
        "INV-1003,49.50,2026-10-03,Cheque,000125\n"
    )
    first = CliRunner().invoke(cli, ["run", str(payments), "--yes", "--skip-invalid"], obj=TODAY)
    assert first.exit_code == 1, first.output
    results = env / "deposit.results.csv"
    fixed = results.read_text(encoding="utf-8-sig").replace("25O.50", "250.50")
    results.write_text(fixed)
    again = CliRunner().invoke(cli, ["run", str(results), "--yes"], obj=TODAY)
    assert again.exit_code == 0, again.output
    assert again.output.startswith(
        "deposit.results.csv is a results file given back: its old outcome columns are "
        "ignored, and this run's results go to deposit.results-2.csv, leaving "
        "deposit.results.csv as it was.\n"
    )
    assert "3 rows: 1 recorded, 2 skipped." in again.output
    assert results.read_text() == fixed
    with (env / "deposit.results-2.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0])[:6] == ["Invoice", "Amount", "Payment Date", "Method", "Cheque No.", "row"]
    assert [(r["Amount"], r["status"]) for r in rows] == [
        ("100.00", "skipped"),
        ("250.50", "recorded"),
        ("49.50", "skipped"),
    ]
    paid = sorted(t["amount"] for t in sandbox.sandbox.transactions())
    assert paid == [49.5, 100.0, 250.5]


def test_a_fixed_csv_results_file_with_formula_like_cells_sends_only_the_fixed_row(
    sandbox: RunningSandbox, env: Path
) -> None:
    """References starting with - + = @ or a quote survive the round trip: nothing goes twice."""
    payments = env / "formula-references.csv"
    payments.write_text((DATA / "formula-references.csv").read_text())
    first = CliRunner().invoke(cli, ["run", str(payments), "--yes", "--skip-invalid"], obj=TODAY)
    assert first.exit_code == 1, first.output
    assert "5 rows: 4 recorded, 1 invalid." in first.output
    results = env / "formula-references.results.csv"
    text = results.read_text(encoding="utf-8-sig")
    assert "INV-1005,'-5.00,2026-10-05,Cash,'@ref,'@note," in text
    results.write_text(text.replace("'-5.00", "5.00"), encoding="utf-8-sig")
    again = CliRunner().invoke(cli, ["run", str(results), "--yes"], obj=TODAY)
    assert again.exit_code == 0, again.output
    assert "5 rows: 1 recorded, 4 skipped." in again.output
    paid = {
        (t["entityId"], t["amount"], t["notes"].split(" (row")[0])
        for t in sandbox.sandbox.transactions()
    }
    ids = {str(inv["invoiceNumber"]): inv["_id"] for inv in sandbox.sandbox.invoices()}
    assert paid == {
        (ids["1003"], 100.0, "- part payment"),
        (ids["1004"], 50.0, "=1+2"),
        (ids["1005"], 5.0, "@note"),
        (ids["1006"], 10.0, "'quoted note"),
        (ids["1007"], 20.0, "plain"),
    }
    assert len(sandbox.sandbox.transactions()) == 5


SUMMARY_MIX_LINES = (
    "5 rows: 3 invalid, 1 rejected, 1 not_sent.\n"
    "USD: 4 payments for 200.00 in the file; 0 recorded for 0.00; 4 not recorded for 200.00.\n"
    "  bank_transfer: 1 for 20.00, recorded 0 for 0.00.\n"
    "  cash: 2 for 130.00, recorded 0 for 0.00.\n"
    "  cheque: 1 for 50.00, recorded 0 for 0.00.\n"
)


def test_every_readable_amount_counts_in_the_file_under_its_currency_and_mode(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Invalid, held-back and unknown-invoice rows count in the file, by currency and method."""
    payments = env / "summary-mix.csv"
    payments.write_text((DATA / "summary-mix.csv").read_text())
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert result.exit_code == 1, result.output
    assert SUMMARY_MIX_LINES in result.output
    assert sandbox.sandbox.transactions() == []


def test_a_control_mismatch_still_shows_the_totals_by_currency_and_mode(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A control total that differs stops the run; the summary still says what the file holds."""
    payments = env / "summary-mix.csv"
    payments.write_text((DATA / "summary-mix.csv").read_text())
    result = CliRunner().invoke(
        cli,
        ["run", str(payments), "--yes", "--expect-total", "150", "--summary-json", "s.json"],
        obj=TODAY,
    )
    assert result.exit_code == 2, result.output
    assert SUMMARY_MIX_LINES.replace("1 rejected, 1 not_sent", "2 not_sent") in result.output
    summary = json.loads((env / "s.json").read_text())
    assert summary["by_currency"] == {
        "USD": {
            "in_file": {"count": 4, "total": "200.00"},
            "recorded": {"count": 0, "total": "0.00"},
            "not_recorded": {"count": 4, "total": "200.00"},
        }
    }
    assert summary["control"]["file_total"] == "200.00"


def test_results_are_never_written_over_the_file_being_imported(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--results naming the input itself is refused with one line before anything is sent."""
    payments = copy_sample("payments.csv", env)
    before = payments.read_bytes()
    result = CliRunner().invoke(
        cli, ["run", str(payments), "--yes", "--results", str(payments)], obj=TODAY
    )
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: --results {payments} is the file being imported; writing the results there "
        "would replace it. Choose another name, or leave --results out.\n"
    )
    assert payments.read_bytes() == before
    assert sandbox.sandbox.transactions() == []


def sheet_values(path: Path, name: str) -> list[tuple[object, ...]]:
    """Every row of one sheet of a workbook, as values."""
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


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
    status = header.index("status")
    (red,) = [row for row in sheet.iter_rows(min_row=2) if row[status].value == "invalid"]
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
    payments = copy_sample("payments.csv", tmp_path)
    journal_path = tmp_path / "journal.sqlite3"
    with Journal.open(journal_path) as journal:
        run_id = journal.history.start_run(file=payments, location_id="loc", api_url="http://api")
        for row, key in ((2, "k2"), (3, "k3")):
            journal.ledger.claim(
                api_url="http://api", key=key, run_id=run_id, row=row, file=payments.name,
                invoice_id="a" * 24, amount=Decimal("480.00"), paid_on="2026-10-03",
                paid_before=Decimal(0), mode="cheque",
                invoice=InvoiceState(number="INV-1001", currency="USD"),
            )  # fmt: skip
        journal.ledger.settle(
            api_url="http://api", key="k2", state="recorded",
            invoice=InvoiceState("INV-1001", "partially_paid", "480.00", "720.00", "USD"),
        )  # fmt: skip
    target = tmp_path / "rebuilt.results.xlsx"
    result = CliRunner().invoke(
        cli,
        ["runs", "--journal", str(journal_path), "show", str(run_id), "--results", str(target)],
        obj=TODAY,
    )
    assert result.exit_code == 0, result.output
    rows = sheet_values(target, "Results")
    columns = ("row", "status", "invoice_number", "invoice_status", "amount_paid", "amount_due")
    at = [rows[0].index(name) for name in columns]
    assert [tuple(row[i] for i in at) for row in rows[1:4]] == [
        (2, "recorded", "INV-1001", "partially_paid", 480, 720),
        (3, "unknown", "INV-1001", "partially_paid", 480, 720),
        (4, "not_sent", None, None, None, None),
    ]
    summary = sheet_values(target, "Summary")
    assert ("Rows", 33) in [row[:2] for row in summary]
    assert ("USD", "All", 2, 960, 1, 480, 1, 480) in [row[:8] for row in summary]
    assert ("API requests", None) in [row[:2] for row in summary]


def test_results_and_summary_are_created_as_any_file_under_the_umask(tmp_path: Path) -> None:
    """New results and summary files get 0666 less the umask; a replaced file keeps its mode."""
    source = payments_file([("1001", "10.50", "000123", "ok")], tmp_path / "in.csv")
    results = results_for(source)
    kept = tmp_path / "kept.csv"
    kept.write_text("old results")
    kept.chmod(0o640)
    umask = os.umask(0o022)
    try:
        for name in ("in.results.csv", "in.results.xlsx", "kept.csv"):
            write_results(tmp_path / name, source, results)
        write_summary_json(tmp_path / "summary.json", summarise(results, requests=1))
    finally:
        os.umask(umask)
    modes = {
        name: stat.S_IMODE((tmp_path / name).stat().st_mode)
        for name in ("in.results.csv", "in.results.xlsx", "kept.csv", "summary.json")
    }
    assert modes == {
        "in.results.csv": 0o644,
        "in.results.xlsx": 0o644,
        "kept.csv": 0o640,
        "summary.json": 0o644,
    }


EUROPEAN = (
    "Invoice;Amount;Payment Date;Method;Cheque No.\n"
    "INV-1001;1.000,00;03/10/2026;Cheque;000123\n"
    "INV-1002;250,50;13/10/2026;Cheque;000124\n"
)


def test_a_european_file_gets_its_amounts_and_totals_in_its_own_notation(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--expect-total and the results' amounts follow a file written 1.234,50."""
    payments = env / "deposit.csv"
    payments.write_text(EUROPEAN, encoding="cp1252")
    result = CliRunner().invoke(
        cli, ["run", str(payments), "--yes", "--expect-total", "1.250,50"], obj=TODAY
    )
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
    payments = env / "deposit.csv"
    payments.write_text(EUROPEAN, encoding="cp1252")
    result = CliRunner().invoke(
        cli, ["run", str(payments), "--yes", "--expect-total", "1.250"], obj=TODAY
    )
    assert result.exit_code == 2, result.output
    assert (
        "Error: Control (--expect-total/--expect-count): total 1.250,50 against 1.250,00: "
        "DOES NOT MATCH (difference +0,50). Nothing was sent; find the difference, then run "
        "again.\n"
    ) in result.output
    assert sandbox.sandbox.transactions() == []


def test_results_named_as_a_spreadsheet_not_written_are_refused_with_one_line(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--results out.ods (or .xls) stops with one line naming .xlsx, before anything is sent."""
    payments = copy_sample("payments.csv", env)
    for name in ("out.ods", "out.XLS"):
        result = CliRunner().invoke(cli, ["run", str(payments), "--yes", "--results", name])
        assert result.exit_code == 2, result.output
        suffix = Path(name).suffix.lower()
        assert result.output == (
            f"Error: --results {name}: results are written as .xlsx or .csv, not {suffix}; "
            "name it out.xlsx (or .csv).\n"
        )
        assert not (env / name).exists()
    assert sandbox.sandbox.transactions() == []


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
