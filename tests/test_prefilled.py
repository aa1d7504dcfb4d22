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


@pytest.fixture
def seed(seed: dict[str, Any]) -> dict[str, Any]:
    """The sample invoices with INV-1003 partially paid and INV-1004 paid (1029 is a draft and
    1030 void already), so every status the listing must keep or leave out is there."""
    by_number = {invoice["invoiceNumber"]: invoice for invoice in seed["invoices"]}
    by_number["1003"].update(status="partially_paid", amountPaid=450.75)
    by_number["1004"].update(status="paid", amountPaid=by_number["1004"]["total"])
    return seed


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
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


def test_filled_in_workbook_imports_back_and_unpaid_rows_are_left(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Rows filled in are recorded; the untouched invoices are no_payment; exit 0."""
    invoke("template", "new", "default", "--open-invoices", "-o", "open.xlsx")
    book = openpyxl.load_workbook(env / "open.xlsx")
    sheet = book["Payments"]
    header = [cell.value for cell in sheet[1]]
    filled = {
        "INV-1001": ["1200", dt.datetime(2026, 11, 2), "Cheque", "000417"],
        "INV-1002": ["100.50", dt.datetime(2026, 11, 3), "Cash", None],
    }
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in filled:
            amount, paid, method, cheque = filled[row[0].value]
            row[header.index("Amount")].value = float(amount)
            row[header.index("Date")].value = paid
            row[header.index("Method")].value = method
            row[header.index("Cheque No.")].value = cheque
    book.save(env / "open.xlsx")
    result = CliRunner().invoke(cli, ["run", "open.xlsx", "--yes"])
    assert result.exit_code == 0, result.output
    assert "27 rows: 2 recorded, 25 no_payment." in result.output
    results = openpyxl.load_workbook(env / "open.results.xlsx")["Results"]
    names = [cell.value for cell in results[1]]
    statuses = {
        row[0]: row[names.index("status")] for row in results.iter_rows(min_row=2, values_only=True)
    }
    assert statuses["INV-1001"] == "recorded"
    assert statuses["INV-1002"] == "recorded"
    assert {s for n, s in statuses.items() if n not in filled} == {"no_payment"}
    by_number = {inv["invoiceNumber"]: inv for inv in sandbox.sandbox.invoices()}
    assert by_number["1001"]["status"] == "paid"
    assert by_number["1002"]["amountPaid"] == 100.5
    (cheque,) = [t for t in sandbox.sandbox.transactions() if "cheque" in t["paymentMethod"]]
    assert cheque["paymentMethod"]["cheque"] == {"number": "000417"}
