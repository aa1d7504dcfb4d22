"""Subtotal lines among the payments, and formulas a workbook holds without their value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from importer.importing import open_file
from importer.read.files import load
from importer.read.formulas import work_out

TODAY = date(2026, 11, 24)


def test_subtotal_lines_anywhere_are_not_payments_and_each_is_checked(tmp_path: Path) -> None:
    """Slip totals between the payments are kept apart; a wrong one is named with its rows."""
    path = tmp_path / "cheques.csv"
    path.write_text(
        "Date Received,Cheque No.,Invoice,Amount\n"
        "2026-10-06,004211,1081,480.00\n"
        "2026-10-07,000918,1082,1250.00\n"
        ",Slip 000412 total,,1730.00\n"
        "2026-10-29,017733,1084,250.00\n"
        "2026-10-31,000045,1085,1075.00\n"
        ",Suma y sigue,,1300.00\n"
        "2026-11-16,002298,1087,615.00\n"
        "Subtotal,,,615.00\n"
        "Total banked,,,3670.00\n",
        encoding="utf-8",
    )
    file = open_file(path, today=TODAY)
    assert [row.number for row in file.file.rows] == [2, 3, 5, 6, 8]
    assert [row.number for row in file.file.subtotals] == [4, 7, 9]
    assert file.reading_notes[1:] == (
        "Rows 4 and 9: subtotals, not payments; each matches the rows above it.",
        "Row 7 is a subtotal, not a payment: it says 1,300.00 but rows 5 to 6 add up to "
        "1,325.00; check them.",
    )
    assert file.total_note == (
        "Row 10 is a totals row, not a payment: its 3,670.00 matches the sum of the rows."
    )


def test_a_payment_whose_notes_say_total_stays_a_payment(tmp_path: Path) -> None:
    """A row with its invoice, amount and date is a payment whatever its notes say."""
    path = tmp_path / "payments.csv"
    path.write_text(
        "Invoice,Amount,Date,Method,Notes\n"
        "1001,10.00,2026-10-03,Cash,Total due\n"
        "INV-1002,12.00,2026-10-03,Cash,Paid in total\n",
        encoding="utf-8",
    )
    file = load(path)
    assert ([row.number for row in file.rows], file.subtotals, file.total) == ([2, 3], (), None)


def test_quickbooks_amounts_saved_as_formulas_without_values_are_worked_out(
    tmp_path: Path,
) -> None:
    """'=1200.00', '=H7+H8' and SUM saved with no value read as the amounts Excel shows; one
    beyond arithmetic stays empty, and so does every formula that adds it in."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Invoice", "Date", "Method", "Amount"],
        ["1021", "2026-10-02", "Cash", "=1200.00"],
        ["1025", "2026-10-27", "Cash", "=300.5*2"],
        ["Total for Acme", "", "", "=D2+D3"],
        ["1027", "2026-11-12", "Cash", "=VLOOKUP(A5,Rates!A:B,2,FALSE)"],
        ["TOTAL", "", "", "=SUM(D2:D3)+(D5)"],
    ):
        sheet.append(row)
    path = tmp_path / "quickbooks.xlsx"
    book.save(path)
    file = load(path)
    assert [row.cells for row in file.rows] == [
        ("1021", "2026-10-02", "Cash", "1200"),
        ("1025", "2026-10-27", "Cash", "601"),
        ("1027", "2026-11-12", "Cash", ""),
    ]
    assert [(t.number, t.cells[3]) for t in file.subtotals] == [(4, "1801")]
    assert file.total is not None
    assert file.total.cells[3] == ""


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("1200.00", 1200.0),
        ("A1+A2", 5.0),
        ("(A1+A2)*2-1", 9.0),
        ("SUM(A1:A3)", 5.0),
        ("SUM(A1,A2,10)", 15.0),
        ("-A1", -2.0),
        ("$A$1/4", 0.5),
        ("A1+B9", 2.0),
    ],
)
def test_plain_arithmetic_is_worked_out(formula: str, value: float) -> None:
    """Numbers, cells, + - * /, brackets and SUM; an empty cell counts 0, text in a range too."""
    grid: list[list[object]] = [[2.0, ""], [3.0, ""], ["note", ""], ["", ""]]
    work_out(grid, {(3, 0): formula})
    assert grid[3][0] == value


@pytest.mark.parametrize("formula", ["A3+1", "TODAY()", "A4", "1/0", "A1+", "NOW"])
def test_anything_else_is_left_empty(formula: str) -> None:
    """Text in arithmetic, functions, a cell leading to itself, a broken formula: left empty."""
    grid: list[list[object]] = [[2.0], [3.0], ["note"], [""]]
    work_out(grid, {(3, 0): formula})
    assert grid[3][0] == ""


def test_formulas_stop_being_worked_out_past_a_budget_of_cells() -> None:
    """A sheet of SUMs over whole columns cannot hold a run: past the budget, left empty."""
    grid: list[list[object]] = [[1.0, ""] for _ in range(100)]
    formulas = {(row, 1): "SUM(A1:A100)" for row in range(5)}
    work_out(grid, formulas, budget=250)
    assert [grid[row][1] for row in range(5)] == [100.0, 100.0, "", "", ""]
