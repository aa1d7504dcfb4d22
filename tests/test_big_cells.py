"""A cell of a megabyte is its row's problem, named by row and column, in a CSV as in a
workbook; before, csv's 128 KB field limit refused the whole CSV without saying where, and
messages quoting such a cell carried all of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.cli import cli
from importer.read.files import load
from tests.conftest import TODAY
from tests.make_hostile import HOSTILE, MEGABYTE, write_big_cells_csv

NINES = "'" + "9" * 59 + "…'"
TWOS = "'" + "2" * 59 + "…'"
PROBLEMS = [
    (3, "Notes", "notes.too_long", "The notes are longer than 500 characters; shorten them."),
    (
        4,
        "Amount",
        "amount.too_large",
        f"{NINES} is more than 999,999,999,999.99, far more than any payment. Correct the "
        "amount: a reference or an account number may have been typed in its place.",
    ),
    (
        5,
        "Payment Date",
        "date.unreadable",
        f"{TWOS} is not a date this importer reads. Write it as YYYY-MM-DD.",
    ),
]


@pytest.fixture
def big_cells_csv(tmp_path: Path) -> Path:
    path = tmp_path / "big-cells.csv"
    write_big_cells_csv(path)
    return path


def test_a_megabyte_cell_in_a_csv_is_its_rows_problem(big_cells_csv: Path) -> None:
    """Each megabyte cell is a problem of its row and column; the other row is ready."""
    validation = validate_file(load(big_cells_csv), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == PROBLEMS
    assert [p.row for p in validation.payments] == [2]


def test_a_megabyte_cell_in_a_workbook_is_its_rows_problem() -> None:
    """The same cells in an XLSX give the same problems."""
    validation = validate_file(load(HOSTILE / "big-cells.xlsx"), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == PROBLEMS


def test_validate_names_each_big_cell_in_short_lines(big_cells_csv: Path) -> None:
    """validate lists the three rows by row and column, and no line carries the megabyte."""
    result = CliRunner().invoke(cli, ["validate", str(big_cells_csv)], obj=TODAY)
    assert result.exit_code == 1, result.output[:2000]
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) < 300
    assert [line.split()[:2] for line in lines[1:4]] == [
        ["3", "Notes"],
        ["4", "Amount"],
        ["5", "Payment"],
    ]


def test_a_megabyte_header_is_named_short(tmp_path: Path) -> None:
    """A header cell of a megabyte is shown cut short in the refusal that lists the columns."""
    path = tmp_path / "big-header.csv"
    path.write_text(
        f"Invoice,{'x' * MEGABYTE},Payment Date,Method\nINV-1,see notes,2026-10-03,Cash\n"
    )
    result = CliRunner().invoke(cli, ["validate", str(path)], obj=TODAY)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: The file's columns are: 'Invoice', '{'x' * 59}…', 'Payment Date', 'Method'. "
        "No column gives the amount"
    )
    assert len(result.output) < 500


def test_a_megabyte_header_read_by_its_cells_is_named_short(tmp_path: Path) -> None:
    """A megabyte header over a column of amounts: the notice that reads it names it short."""
    path = tmp_path / "big-header.csv"
    path.write_text(f"Invoice,{'x' * MEGABYTE},Payment Date,Method\nINV-1,10.00,2026-10-03,Cash\n")
    result = CliRunner().invoke(cli, ["validate", str(path)], obj=TODAY)
    assert result.exit_code == 0, result.output[:2000]
    assert result.output.splitlines() == [
        f"Column '{'x' * 59}…' gives the amount: no header names it, and its cells read so"
        " (such as '10.00').",
        "1 row checked: 1 ready, 0 with problems.",
    ]
