"""Files by what they hold, and those refused in one line before or while they are read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.read.files import load
from importer.read.layout import SourceRow
from tests.conftest import DATA
from tests.make_data import EXPECTED_CELLS

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("name", "what", "file_format", "first_row"),
    [
        (
            "text-named-xls.xls",
            "text",
            "csv",
            ("INV-1", "10.00", "2026-10-03", "Cash"),
        ),
        ("workbook-named-csv.csv", "an XLSX workbook", "xlsx", EXPECTED_CELLS[0]),
    ],
)
def test_the_reader_is_chosen_by_what_the_file_holds_not_its_name(
    name: str, what: str, file_format: str, first_row: tuple[str, ...]
) -> None:
    """An .xls that holds text reads as text, and a .csv that is a workbook as a workbook."""
    loaded = load(DATA / name)
    assert (loaded.format, loaded.notes[0], loaded.rows[0].cells) == (
        file_format,
        f"{name} holds {what}, whatever its name says: read as {what}.",
        first_row,
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "the file is empty."),
        ("blank-lines-only.csv", "the file has no rows."),
        ("header-only.csv", "the file has a header but no payment rows (header on row 1)."),
        ("binary.csv", "cannot be read (it is not text in an encoding this importer can tell)."),
        (
            "garbage.xlsx",
            "cannot be read (not an XLSX workbook: open it in Excel and save it again).",
        ),
        ("protected.xlsx", "the workbook is protected by a password."),
        ("damaged.xls", "cannot be read (the workbook is damaged: open it in Excel and save it"),
        ("zip-bomb.xlsx", "refused: it would unpack to 40 MB, far more than a payments workbook"),
        ("missing.csv", "no such file."),
        ("ambiguous-dates.csv", 'Column "Payment Date": no date in it has a day above 12'),
        ("mixed-dates.csv", 'Column "Payment Date" mixes day-first dates (row 2'),
        ("ambiguous-amounts.csv", 'Column "Amount": nothing in it says whether row 2'),
        (
            "lying-size.xlsx",
            'sheet "Payments" cannot be read (the workbook is damaged: open it in Excel and '
            "save it again).",
        ),
        (
            "garbage.xls",
            "cannot be read (not an XLS workbook: open it in Excel and save it again).",
        ),
        (
            "web-page-named-xls.xls",
            "cannot be read: it is a web page (HTML), not a spreadsheet, as some banks' "
            '"Export to Excel" write it. Open it in Excel and save it as .xlsx, or export it '
            "as CSV.",
        ),
    ],
)
def test_hostile_and_unreadable_files_give_one_line_and_exit_2(name: str, reason: str) -> None:
    """Each hostile file stops validate with exit 2 and one line that says why, no traceback."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)], obj=TODAY)
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: ")
    assert reason in line


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    """A file above --max-size is refused before it is read, naming the option."""
    big = tmp_path / "big.csv"
    big.write_bytes(b"Invoice,Amount\n" + b"INV-1,1.00\n" * 150_000)
    result = CliRunner().invoke(cli, ["validate", str(big), "--max-size", "1"], obj=TODAY)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {big}: the file is 1.6 MB, over the 1 MB limit. Split it, or run again with a "
        "larger --max-size.\n"
    )


def test_a_folder_given_as_the_file_is_one_line(tmp_path: Path) -> None:
    """A folder where the payments file should be is refused in one line, exit 2."""
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert (result.exit_code, result.output) == (2, f"Error: {tmp_path}: is not a file.\n")


def test_rows_behave_as_a_sequence_of_source_rows() -> None:
    """The CSV rows index, slice, count and iterate like the list they stand for."""
    rows = load(DATA / "title-rows-and-total.csv").rows
    assert len(rows) == 3
    assert rows[-1] == SourceRow(
        "title-rows-and-total.csv", 8, ("INV-1003", "49.50", "13/10/2026", "Cash")
    )
    assert [row.number for row in rows[1:]] == [6, 8]
    assert rows == list(rows)


def test_options_settle_an_ambiguous_file() -> None:
    """--date-format and --decimal make the refused files readable, as their messages say."""
    runner = CliRunner()
    dates = runner.invoke(
        cli,
        ["validate", str(DATA / "ambiguous-dates.csv"), "--date-format", "MM/DD/YYYY"],
        obj=TODAY,
    )
    assert "2 rows checked" in dates.output
    amounts = runner.invoke(
        cli, ["validate", str(DATA / "ambiguous-amounts.csv"), "--decimal", "."], obj=TODAY
    )
    assert "2 rows checked" in amounts.output


def test_a_decimal_mark_that_is_neither_is_one_line() -> None:
    """--decimal x is refused in one line naming the two marks, like --date-format x."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "pipe.csv"), "--decimal", "x"])
    assert (result.exit_code, result.output) == (
        2,
        'Error: --decimal \'x\': use --decimal "." or --decimal ",".\n',
    )
