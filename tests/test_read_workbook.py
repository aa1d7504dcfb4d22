"""Workbooks: XLSX, XLS and ODS cells as the user sees them, and which sheet is read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.check.problems import RowProblem
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.totals import FileTotal, file_total
from importer.cli import cli
from importer.errors import InputFileError
from importer.read.files import load
from tests.conftest import DATA
from tests.make_data import EXPECTED_CELLS

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("name", ["leading-zeros.xlsx", "payments.xls", "payments.ods"])
def test_workbooks_keep_leading_zeros_and_turn_date_cells_into_dates(name: str) -> None:
    """XLSX, XLS and ODS give the same text: 000123 and 0042 intact, dates as ISO dates."""
    loaded = load(DATA / name)
    assert loaded.sheet == "Payments"
    assert [(row.number, row.cells) for row in loaded.rows] == [
        (number, expected) for number, expected in enumerate(EXPECTED_CELLS, start=2)
    ]


def test_a_macro_enabled_workbook_reads_like_an_xlsx(tmp_path: Path) -> None:
    """An .xlsm is the same package as an .xlsx and gives the same rows."""
    xlsm = tmp_path / "payments.xlsm"
    xlsm.write_bytes((DATA / "leading-zeros.xlsx").read_bytes())
    loaded = load(xlsm)
    assert (loaded.format, loaded.rows[0].cells) == ("xlsx", EXPECTED_CELLS[0])


def test_the_first_sheet_with_payments_is_read_and_named() -> None:
    """With several sheets and none named, the first holding a header and rows is read."""
    loaded = load(DATA / "two-sheets.xlsx")
    assert loaded.sheet == "October"
    assert loaded.notes == (
        'Read sheet "October", the first with a header and payment rows (the workbook has 3 '
        "sheets; choose another with --sheet).",
    )


@pytest.mark.parametrize("wanted", ["October", "october", "2"])
def test_a_sheet_is_chosen_by_name_or_number(wanted: str) -> None:
    """--sheet takes a sheet's name (any case) or its position counted from 1."""
    loaded = load(DATA / "two-sheets.xlsx", sheet=wanted)
    assert (loaded.sheet, loaded.notes, len(loaded.rows)) == ("October", (), 3)


def test_an_unknown_sheet_lists_the_sheets() -> None:
    """A sheet that is not there is refused with the names and numbers of those that are."""
    with pytest.raises(InputFileError) as caught:
        load(DATA / "two-sheets.xlsx", sheet="November")
    assert str(caught.value).endswith(
        'no sheet named \'November\'. Its sheets are 1: "Read me", 2: "October", '
        '3: "Empty"; give --sheet a name or a number.'
    )


def test_a_cover_sheet_of_two_cell_lines_is_passed_over() -> None:
    """A cover sheet ("Prepared by | Ana") is not the payments: the sheet that fits is read."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "cover-sheet.xlsx")], obj=TODAY)
    assert (result.exit_code, result.output) == (
        0,
        'Read sheet "Payments", the first with a header and payment rows (the workbook has 2 '
        "sheets; choose another with --sheet).\n1 row checked: 1 ready, 0 with problems.\n",
    )


def test_columns_that_fit_no_template_name_their_sheet() -> None:
    """When no sheet has the template's columns, the refusal says which sheet it read."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "no-sheet-of-payments.xlsx")])
    assert (result.exit_code, result.output) == (
        2,
        "Error: Sheet \"Cover\": The file's columns are: 'Prepared by', 'Ana'. No column gives "
        "the invoice number or id (expected a header such as 'Invoice', 'Invoice #', 'Invoice "
        "No.', 'Invoice Number'). No column gives the amount (expected a header such as "
        "'Amount', 'Amount Paid', 'Payment Amount', 'Importe'). No column gives the payment "
        "date (expected a header such as 'Date', 'Payment Date', 'Date Paid', 'Fecha'). No "
        "column gives the payment method (expected a header such as 'Method', 'Payment "
        "Method', 'Mode', 'Forma de pago'). Nothing was sent. The workbook's other sheets: "
        '"Notes"; choose one with --sheet.\n',
    )


@pytest.mark.parametrize("name", ["far-away-cell.xlsx", "far-away-cell-no-dimension.xlsx"])
def test_a_stray_cell_far_from_the_payments_is_refused_before_reading(name: str) -> None:
    """A 5 KB workbook with a value at XFD1048576 is refused in one line, not laid out in memory."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)])
    assert (result.exit_code, result.output) == (
        2,
        f'Error: {DATA / name}: sheet "Payments" reaches cell XFD1048576, 1,048,576 rows by '
        "16,384 columns from A1: far more than a payments sheet holds. Something typed far "
        "below or to the right of the payments makes it this big: delete those rows and "
        "columns (or copy the payments into a new workbook), save, and try again.\n",
    )


def test_error_cells_show_the_error_not_an_empty_cell() -> None:
    """#N/A and #VALUE! read as Excel shows them, and the problems say they are errors."""
    loaded = load(DATA / "error-cells.xlsx")
    assert [(row.number, row.cells) for row in load(DATA / "error-cells.xlsx").rows] == [
        (2, ("INV-1", "#N/A", "2026-10-03", "Cash")),
        (3, ("INV-2", "20", "#VALUE!", "Cash")),
    ]
    validation = validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == [
        (
            2,
            "Amount",
            "amount.not_a_number",
            "'#N/A' is an Excel error, not an amount: correct the formula in Excel, or type an "
            "amount instead. Write the amount paid in digits, such as 1250.00.",
        ),
        (
            3,
            "Payment Date",
            "date.unreadable",
            "'#VALUE!' is an Excel error, not a date: correct the formula in Excel, or type a "
            "date instead. Write it as YYYY-MM-DD.",
        ),
    ]


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_number_cells_are_the_numbers_they_hold_whatever_the_text_beside_them(
    decimal: str | None,
) -> None:
    """A number cell 12.345 beside "1.234,50" text is twelve and a bit under any --decimal."""
    path = DATA / "number-cells-in-decimal-comma-column.xlsx"
    validation = validate_file(load(path), DEFAULT_TEMPLATE, today=TODAY, decimal=decimal)
    assert validation.problems == [
        RowProblem(
            "Pagos",
            3,
            "Importe",
            "amount.too_many_decimals",
            "12.345",
            "'12.345' has more than 2 decimals. Correct it to cents (at most 2 decimals).",
        )
    ]
    assert [(p.row, p.amount) for p in validation.payments] == [
        (2, Decimal("1234.50")),
        (4, Decimal("80.00")),
        (5, Decimal("1234.50")),
    ]


def test_a_totals_row_of_numbers_adds_up_as_numbers() -> None:
    """The totals row and the rows' number cells are summed as numbers beside comma text."""
    loaded = load(DATA / "number-cells-in-decimal-comma-column.xlsx")
    assert file_total(loaded, DEFAULT_TEMPLATE) == FileTotal(
        ",", Decimal("2561.345"), Decimal("2561.345")
    )


def test_a_number_cell_does_not_decide_how_the_text_beside_it_is_written() -> None:
    """The number 80.5 says nothing about text "1.500", so the column is refused, not guessed."""
    loaded = load(DATA / "number-cell-beside-ambiguous-text.xlsx")
    with pytest.raises(InputFileError) as refused:
        validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert str(refused.value) == (
        'Column "Amount": nothing in it says whether row 2\'s \'1.500\' has "," or "." as the '
        'decimal mark. Run again with --decimal "." (1,234.50) or --decimal "," (1.234,50).'
    )
