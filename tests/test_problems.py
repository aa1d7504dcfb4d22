"""The problems report (validate --report): every problem, its cells given back exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.check.problems import RowProblem
from importer.check.rows import validate_file
from importer.check.template_files import load_template
from importer.cli import cli
from importer.output.problems import write_report
from importer.output.spreadsheets import neutralised, restored
from importer.read.files import load
from tests.conftest import DATA, TODAY

COLUMNS = ["sheet", "row", "column", "code", "value", "message"]
# Text a file's cells really hold, including what a spreadsheet would take for a formula or
# a quote it would hide; at most 80 characters, as the report cuts longer values.
cell_text = st.one_of(
    st.sampled_from(["=SUM(A1:A9)", "+1", "-5.00", "@cmd", "'=x", "'", "''", "'abc", "\tx"]),
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'="]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    ),
)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def problem(sheet: str, column: str, value: str) -> RowProblem:
    return RowProblem(sheet, 7, column, "amount.not_a_number", value, "Not a number.")


def test_a_value_that_starts_with_a_quote_gets_a_second_one(tmp_path: Path) -> None:
    """The report quotes cells as the results do: a quote already there is doubled."""
    report = tmp_path / "problems.csv"
    write_report(report, [problem("'Sheet", "'Amount", value) for value in ("'abc", "'=x", "=x")])
    assert read_csv(report) == [
        COLUMNS,
        ["''Sheet", "7", "''Amount", "amount.not_a_number", "''abc", "Not a number."],
        ["''Sheet", "7", "''Amount", "amount.not_a_number", "''=x", "Not a number."],
        ["''Sheet", "7", "''Amount", "amount.not_a_number", "'=x", "Not a number."],
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.tuples(cell_text, cell_text, cell_text), min_size=1, max_size=5))
def test_a_report_gives_every_cell_of_the_file_back(
    tmp_path: Path, cells: list[tuple[str, str, str]]
) -> None:
    """Sheet, column and value come back from a CSV report once its quote is taken off, and
    from an XLSX report as they are, stored as text."""
    problems = [problem(*three) for three in cells]
    write_report(tmp_path / "problems.csv", problems)
    back = [(row[0], row[2], row[4]) for row in read_csv(tmp_path / "problems.csv")[1:]]
    assert [tuple(neutralised(cell) for cell in three) for three in cells] == back
    assert [tuple(restored(cell) for cell in three) for three in back] == cells
    write_report(tmp_path / "problems.xlsx", problems)
    sheet = openpyxl.load_workbook(tmp_path / "problems.xlsx")["Problems"]
    texts = [(row[0], row[2], row[4]) for row in sheet.iter_rows(min_row=2)]
    assert [tuple(cell.value for cell in three) for three in texts] == [
        tuple(cell or None for cell in three) for three in cells
    ]
    assert {cell.data_type for three in texts for cell in three if cell.value} <= {"s"}


def test_no_cell_of_a_report_reads_as_a_formula(tmp_path: Path) -> None:
    """Values are quoted, and messages quote the values they repeat: nothing opens as a formula."""
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method,Currency\n"
        "=1+2,-5,@today,=cmd,+US\n"
        "'INV-1,'12,'2026-10-03,'cash,'USD\n"
    )
    validation = validate_file(load(payments), load_template("default"), today=TODAY)
    report = tmp_path / "problems.csv"
    write_report(report, validation.problems)
    rows = read_csv(report)[1:]
    assert [(row[1], row[2], row[4]) for row in rows] == [
        ("2", "Invoice", "'=1+2"),
        ("2", "Amount", "'-5"),
        ("2", "Payment Date", "'@today"),
        ("2", "Method", "'=cmd"),
        ("2", "Currency", "'+US"),
        ("3", "Payment Date", "''2026-10-03"),
        ("3", "Currency", "''USD"),
    ]
    assert [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))] == []


def test_a_report_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """validate --report into a 'folder' that is a file: one line naming why, exit code 2,
    and the command's own verdict never printed."""
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    target = blocker / "problems.csv"
    result = CliRunner().invoke(
        cli,
        ["validate", str(DATA / "bad-rows.csv"), "--report", str(target)],
        obj=TODAY,
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: {target}: cannot write the report ({blocker} is a file, not a folder)."
    )
