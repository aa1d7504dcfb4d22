"""A workbook pre-filled with the open invoices lists exactly them and imports back cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY


@pytest.fixture
def seed(seed: dict[str, Any]) -> dict[str, Any]:
    """The sample invoices with INV-1003 partially paid and INV-1004 paid (1029 is a draft and
    1030 void already), so every status the listing must keep or leave out is there."""
    by_number = {invoice["invoiceNumber"]: invoice for invoice in seed["invoices"]}
    by_number["1003"].update(status="partially_paid", amountPaid=450.75)
    by_number["1004"].update(status="paid", amountPaid=by_number["1004"]["total"])
    return seed


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exit_code == 0, result.output
    return result.output


def test_prefilled_workbook_lists_exactly_the_open_invoices(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Every sent or partially paid invoice has a row, with its client, dates and balance;
    the paid, draft and void ones have none."""
    output = invoke("template", "new", "default", "--open-invoices", "-o", "open.xlsx")
    assert "27 open invoices listed." in output
    sheet = openpyxl.load_workbook(env / "open.xlsx")["Payments"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Invoice", "Client", "Issue date", "Due date", "Balance due", "Amount")
    assert sorted(row[0] for row in rows[1:]) == [
        f"INV-{number}" for number in range(1001, 1029) if number != 1004
    ]
    invoices = {inv["invoiceNumber"]: inv for inv in sandbox.sandbox.invoices()}
    for number, client, balance in [
        ("1001", "Acme Dental", 1200),
        ("1003", "Cortez Landscaping", 1000),
    ]:
        invoice = invoices[number]
        row = next(row for row in rows if row[0] == f"INV-{number}")
        assert row[1:5] == (
            client,
            dt.datetime.fromisoformat(invoice["issueDate"][:10]),
            dt.datetime.fromisoformat(invoice["dueDate"][:10]),
            balance,
        )
        assert all(cell is None for cell in row[5:])


def test_filters_by_due_date_and_client(sandbox: RunningSandbox, env: Path) -> None:
    """--due-until keeps invoices due on or before it; --client matches any part of the name."""

    def listed(*options: str) -> list[tuple[str, str]]:
        target = f"{'-'.join(options)}.xlsx"
        invoke("template", "new", "default", "--open-invoices", *options, "-o", target)
        sheet = openpyxl.load_workbook(env / target)["Payments"]
        return [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert listed("--due-until", "2026-10-03") == [
        ("INV-1001", "Acme Dental"),
        ("INV-1002", "Blue Harbor Cafe"),
        ("INV-1003", "Cortez Landscaping"),
    ]
    assert listed("--client", "DENTAL") == [("INV-1001", "Acme Dental")]
    assert listed("--due-from", "2026-10-27", "--due-until", "2026-10-28") == [
        ("INV-1027", "Alder Storage"),
        ("INV-1028", "Birch Pharmacy"),
    ]


FILLED = {
    "INV-1001": ["1200", dt.datetime(2026, 11, 2), "Cheque", "000417"],
    "INV-1002": ["100.50", dt.datetime(2026, 11, 3), "Cash", None],
}


def fill_open_invoices(folder: Path) -> None:
    """A workbook of the open invoices, with a payment typed in for two of them."""
    invoke("template", "new", "default", "--open-invoices", "-o", "open.xlsx")
    book = openpyxl.load_workbook(folder / "open.xlsx")
    sheet = book["Payments"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in FILLED:
            amount, paid, method, cheque = FILLED[row[0].value]
            row[header.index("Amount")].value = float(amount)
            row[header.index("Date")].value = paid
            row[header.index("Method")].value = method
            row[header.index("Cheque No.")].value = cheque
    book.save(folder / "open.xlsx")


def statuses_of(path: Path) -> dict[str, str]:
    """Each results row's status, by its invoice."""
    results = openpyxl.load_workbook(path)["Results"]
    names = [cell.value for cell in results[1]]
    return {
        row[0]: row[names.index("Status")] for row in results.iter_rows(min_row=2, values_only=True)
    }


def test_filled_in_workbook_imports_back_and_unpaid_rows_are_left(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Rows filled in are recorded; the untouched invoices are no_payment; exit 0."""
    fill_open_invoices(env)
    filled = FILLED
    result = CliRunner().invoke(cli, ["run", "open.xlsx", "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    assert "27 rows: 2 recorded, 25 no payment." in result.output
    statuses = statuses_of(env / "open.results.xlsx")
    assert statuses["INV-1001"] == "Recorded"
    assert statuses["INV-1002"] == "Recorded"
    assert {s for n, s in statuses.items() if n not in filled} == {"No payment"}
    by_number = {inv["invoiceNumber"]: inv for inv in sandbox.sandbox.invoices()}
    assert by_number["1001"]["status"] == "paid"
    assert by_number["1002"]["amountPaid"] == 100.5
    (cheque,) = [t for t in sandbox.sandbox.transactions() if "cheque" in t["paymentMethod"]]
    assert cheque["paymentMethod"]["cheque"] == {"number": "000417"}


def test_expect_count_counts_only_the_rows_with_a_payment(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--expect-count 2 matches a pre-filled workbook with 2 payments among 28 invoices."""
    fill_open_invoices(env)
    result = CliRunner().invoke(
        cli,
        ["run", "open.xlsx", "--yes", "--expect-count", "2", "--expect-total", "1300.50"],
        obj=TODAY,
    )
    assert result.exit_code == 0, result.output
    assert (
        "Control (--expect-total/--expect-count): total 1,300.50 against 1,300.50 and 2 "
        "payments against 2: matches."
    ) in result.output
    assert "27 rows: 2 recorded, 25 no payment." in result.output


def test_a_count_mismatch_leaves_the_blank_rows_no_payment(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A count that differs stops the run; the payments are not_sent, the blank rows no_payment."""
    fill_open_invoices(env)
    result = CliRunner().invoke(
        cli, ["run", "open.xlsx", "--yes", "--expect-count", "3"], obj=TODAY
    )
    assert result.exit_code == 2, result.output
    assert (
        "Control (--expect-total/--expect-count): 2 payments against 3: DOES NOT MATCH "
        "(1 payment fewer in the file)."
    ) in result.output
    statuses = statuses_of(env / "open.results.xlsx")
    assert {n: s for n, s in statuses.items() if n in FILLED} == {
        "INV-1001": "Not sent",
        "INV-1002": "Not sent",
    }
    assert {s for n, s in statuses.items() if n not in FILLED} == {"No payment"}
    assert sandbox.sandbox.transactions() == []
