"""The results file and summary: every row back as read, its outcome, and the control totals."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.cli import cli
from importer.output.results import (
    RowResult,
    default_results_path,
    without_outcome_columns,
    write_results,
)
from importer.output.results_workbook import PEOPLE_COLUMNS
from importer.output.spreadsheets import neutralised, restored
from importer.output.summary import summarise
from importer.read.files import load
from importer.read.layout import PaymentsFile, SourceRow
from importer.sandbox import RunningSandbox
from importer.status import RowStatus
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
        RowResult(row, RowStatus.RECORDED, "", "a" * 24, "INV-1", "paid", Decimal("10.50"),
                  Decimal(0), amount=Decimal("10.50"), currency="USD", mode="cash")
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


LONG_MESSAGE = (
    "Column \"Amount\": 'x' is not an amount. Write the amount paid in digits, such as "
    "1250.00, or delete the row if it holds no payment."
)


def test_xlsx_results_have_colours_formats_and_a_summary_sheet(tmp_path: Path) -> None:
    """Status cells coloured and in words, amounts numbers in the invoice's currency, the
    header frozen with filters, both sheets set to print one page wide with a page header."""
    source = payments_file(
        [("1001", "10.50", "000123", "ok"), ("1002", "x", "", "")], tmp_path / "in.xlsx"
    )
    results = [
        results_for(source)[0],
        RowResult(source.rows[1], RowStatus.INVALID, LONG_MESSAGE),
    ]
    target = tmp_path / "in.results.xlsx"
    write_results(target, source, results, summary=summarise(results, requests=2))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Results", "Summary"]
    sheet = book["Results"]
    # The file has its own "Invoice": ours is prefixed.
    assert [cell.value for cell in sheet[1]] == [
        *COLUMNS, "Row", "Status", "Message", "Import invoice", "Client", "Invoice status",
        "Paid on invoice", "Still due",
    ]  # fmt: skip
    status = len(COLUMNS) + PEOPLE_COLUMNS.index("Status") + 1
    assert [sheet.cell(r, status).value for r in (2, 3)] == ["Recorded", "Invalid"]
    assert [sheet.cell(r, status).fill.start_color.rgb for r in (2, 3)] == ["00C6EFCE", "00FFC7CE"]
    paid = sheet.cell(2, len(COLUMNS) + PEOPLE_COLUMNS.index("Paid on invoice") + 1)
    assert (paid.value, paid.number_format) == (10.5, '#,##0.00 "USD"')
    # The long message wraps, its row made tall enough for its lines, its cells top-aligned.
    message = sheet.cell(3, len(COLUMNS) + PEOPLE_COLUMNS.index("Message") + 1)
    assert (message.alignment.wrap_text, message.alignment.vertical) == (True, "top")
    assert (sheet.cell(3, 1).alignment.vertical, sheet.row_dimensions[3].height) == ("top", 45)
    assert sheet.row_dimensions[2].height is None
    # A message of any length: the row as tall as Excel allows, no taller.
    write_results(target, source, [RowResult(source.rows[0], RowStatus.FAILED, "x" * 5000)])
    assert openpyxl.load_workbook(target)["Results"].row_dimensions[2].height == 409
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L3"
    assert sheet.print_title_rows == "$1:$1"
    for printed, orientation in ((sheet, "landscape"), (book["Summary"], "portrait")):
        setup = printed.page_setup
        assert printed.sheet_properties.pageSetUpPr.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight, setup.orientation) == (1, 0, orientation)
        assert printed.oddFooter.center.text == "Page &P of &N"
    assert sheet.oddHeader.left.text == "Import results: in.xlsx"
    assert book["Summary"].oddHeader.left.text == "Summary: in.xlsx"
    summary = [row[:3] for row in book["Summary"].iter_rows(values_only=True)]
    assert summary[:5] == [
        ("Import results: in.xlsx", None, None),
        (None, None, None),
        ("Rows", 2, None),
        ("  Recorded", 1, None),
        ("  Invalid", 1, None),
    ]


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
    write_results(target, source, [RowResult(row, RowStatus.REJECTED, "x") for row in source.rows])
    again = without_outcome_columns(load(target))
    assert again.columns == source.columns
    assert [row.cells for row in again.rows] == [row.cells for row in source.rows]


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
    assert "3 rows: 1 recorded, 2 already recorded." in again.output
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
    assert "5 rows: 1 recorded, 4 already recorded." in again.output
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
