"""The results workbook as an accountant keeps it: their cells as typed, our columns in words,
and read back as input, whichever headers it has, without ever recording a payment twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.journal.runs import file_sha256
from importer.output.results import input_number_formats, without_outcome_columns
from importer.output.results_workbook import PEOPLE_COLUMNS, are_people_columns, people_columns
from importer.read.files import load
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY

HEADER = ["Invoice", "Amount", "Payment Date", "Method", "Cheque No.", "Reference", "Received"]
# Each input cell and its number format, as Excel would hold them.
ROWS = [
    [("INV-1001", "General"), (1150.25, '#,##0.00 "€"'), (date(2026, 10, 3), "dd/mm/yyyy"),
     ("Cheque", "General"), (42, "000000"), ("0042", "@"),
     (datetime(2026, 10, 3, 14, 30), "yyyy-mm-dd hh:mm")],
    [("INV-1002", "General"), (612.5, "0.00"), (date(2026, 10, 6), "mm-dd-yy"),
     ("Bank transfer", "General"), (None, "General"), (4211, "General"),
     (None, "General")],
]  # fmt: skip


def write_input(path: Path, header: list[str] = HEADER) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for number, row in enumerate(ROWS, start=2):
        for column, (value, number_format) in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            cell.number_format = number_format
    book.save(path)


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", *arguments], obj=TODAY)
    return result.exit_code, result.output


def test_numbers_and_dates_come_back_as_numbers_and_dates_in_their_formats(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Each input cell that was a number or a date is one again in the results, in the input's
    number format; text stays text, and a zero-padded number stays the text it showed."""
    write_input(env / "deposit.xlsx")
    code, output = run("deposit.xlsx", "--yes")
    assert code == 0, output
    sheet = openpyxl.load_workbook(env / "deposit.results.xlsx")["Results"]
    found = [
        [(cell.value, cell.number_format, cell.data_type) for cell in row[: len(HEADER)]]
        for row in sheet.iter_rows(min_row=2)
    ]
    assert found == [
        [("INV-1001", "General", "s"), (1150.25, '#,##0.00 "€"', "n"),
         (datetime(2026, 10, 3), "dd/mm/yyyy", "d"), ("Cheque", "General", "s"),
         ("000042", "General", "s"), ("0042", "General", "s"),
         (datetime(2026, 10, 3, 14, 30), "yyyy-mm-dd hh:mm", "d")],
        [("INV-1002", "General", "s"), (612.5, "0.00", "n"),
         (datetime(2026, 10, 6), "mm-dd-yy", "d"), ("Bank transfer", "General", "s"),
         (None, "General", "n"), (4211, "General", "n"), (None, "General", "n")],
    ]  # fmt: skip


def test_an_ods_input_gives_numbers_and_dates_in_default_formats(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A workbook whose formats the importer cannot read (ODS, XLS) still gives its numbers
    as numbers and its dates as dates, shown as ISO dates."""
    payments = env / "payments.ods"
    payments.write_bytes((Path(__file__).parent / "data" / "payments.ods").read_bytes())
    code, output = run(str(payments), "--yes", "--skip-invalid")
    assert code in (0, 1), output
    sheet = openpyxl.load_workbook(env / "payments.results.xlsx")["Results"]
    header = [cell.value for cell in sheet[1]]
    amount, paid_on = header.index("Amount"), header.index("Payment Date")
    first = next(sheet.iter_rows(min_row=2))
    assert isinstance(first[amount].value, (int, float))
    assert (type(first[paid_on].value), first[paid_on].number_format) == (datetime, "yyyy-mm-dd")


def test_our_columns_take_a_prefix_where_the_file_has_the_same_header() -> None:
    """An input column called Status (or Row, or Import status) keeps its name; ours is
    prefixed until it is unique, and still read back as ours."""
    assert people_columns(["Invoice", "status", "Row"]) == (
        "Import row", "Import status", "Message", "Import invoice", "Client", "Invoice status",
        "Paid on invoice", "Still due",
    )  # fmt: skip
    assert people_columns(["Status", "Import status"])[1] == "Import import status"
    assert people_columns(["Amount"]) == PEOPLE_COLUMNS
    assert are_people_columns(people_columns(["Status", "Import status", "Row"]))
    assert not are_people_columns((*PEOPLE_COLUMNS[:-1], "Balance"))


@pytest.mark.parametrize("header", [HEADER, ["Status", *HEADER[1:]]])
def test_an_edited_results_workbook_run_again_records_each_payment_once(
    sandbox: RunningSandbox, env: Path, header: list[str]
) -> None:
    """A results workbook given back, with a row fixed and our columns in words (prefixed
    beside an input column of the same name): recorded rows skipped, the fixed one sent once."""
    if header[0] == "Status":  # the file's own Status column, then the invoice in Reference
        header = ["Status", *HEADER[1:5], "Invoice", HEADER[6]]
    write_input(env / "deposit.xlsx", header)
    book = openpyxl.load_workbook(env / "deposit.xlsx")
    sheet = book.active
    assert sheet is not None
    if header[0] == "Status":
        sheet["A2"], sheet["A3"] = "paid", "open"
        sheet["F2"], sheet["F3"] = "INV-1001", "INV-1002"
    sheet["B3"] = "61O.50"  # a typing slip: row 3 is invalid
    book.save(env / "deposit.xlsx")
    code, output = run("deposit.xlsx", "--yes", "--skip-invalid")
    assert code == 1, output
    results = env / "deposit.results.xlsx"
    book = openpyxl.load_workbook(results)
    sheet = book["Results"]
    names = [cell.value for cell in sheet[1]]
    status = "Import status" if header[0] == "Status" else "Status"
    assert tuple(names[len(header) :]) == people_columns(header)
    assert [row[names.index(status)] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Recorded",
        "Invalid",
    ]
    sheet.cell(3, names.index("Amount") + 1).value = 612.5
    book.save(results)
    again = without_outcome_columns(load(results))
    assert again.columns == tuple(header)
    code, output = run("deposit.results.xlsx", "--yes")
    assert code == 0, output
    assert "2 rows: 1 recorded, 1 already recorded." in output
    assert sorted(t["amount"] for t in sandbox.sandbox.transactions()) == [612.5, 1150.25]


def test_number_formats_are_read_only_from_the_very_file_that_was_read(tmp_path: Path) -> None:
    """The formats come from the file as it was read: once it changed (saved again in Excel
    while the run sent its payments), its cells get their kind's default format instead."""
    path = tmp_path / "deposit.xlsx"
    write_input(path)
    loaded = load(path)
    sha = file_sha256(path)
    assert input_number_formats(loaded, sha) == {
        (2, 1): '#,##0.00 "€"', (2, 2): "dd/mm/yyyy", (2, 4): "000000",
        (2, 6): "yyyy-mm-dd hh:mm", (3, 1): "0.00", (3, 2): "mm-dd-yy",
    }  # fmt: skip
    write_input(path, [*HEADER[:-1], "Received at"])
    assert input_number_formats(loaded, sha) == {}
    assert input_number_formats(replace(loaded, format="csv"), sha) == {}


def test_formats_follow_their_cells_past_title_lines_and_blank_columns(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A sheet with a title above its header and a blank column among its payments: each
    cell still gets its own format, not its neighbour's."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Deposit of October"])
    sheet.append([])
    sheet.append(["Invoice", None, "Amount", "Payment Date", "Method"])
    sheet.append(["INV-1001", None, 480, date(2026, 10, 3), "Cash"])
    sheet.append(["INV-1002", None, 612.5, date(2026, 10, 6), "Cash"])
    for reference, number_format in (("C4", '#,##0.00 "$"'), ("D4", "dd/mm/yyyy"),
                                     ("C5", "0.0"), ("D5", "d mmm yyyy")):  # fmt: skip
        sheet[reference].number_format = number_format
    book.save(env / "gaps.xlsx")
    code, output = run("gaps.xlsx", "--yes")
    assert code == 0, output
    results = openpyxl.load_workbook(env / "gaps.results.xlsx")["Results"]
    assert [
        [(cell.value, cell.number_format) for cell in row[:5]]
        for row in results.iter_rows(min_row=2)
    ] == [
        [("INV-1001", "General"), (480, '#,##0.00 "$"'), (datetime(2026, 10, 3), "dd/mm/yyyy"),
         ("Cash", "General"), (4, "General")],
        [("INV-1002", "General"), (612.5, "0.0"), (datetime(2026, 10, 6), "d mmm yyyy"),
         ("Cash", "General"), (5, "General")],
    ]  # fmt: skip
