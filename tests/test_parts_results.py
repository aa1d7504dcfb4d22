"""Results of payments for several invoices: one results row per row with each invoice in its
columns, a status from the parts, and a summary that counts payments and parts apart."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl

from importer.output.results import PartCells, RowResult, write_results
from importer.output.summary import summarise
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import RowStatus

COLUMNS = ("Invoice", "Amount", "Cheque No.")
R, S, N = RowStatus.RECORDED, RowStatus.SKIPPED, RowStatus.NOT_SENT


def part(status: RowStatus, amount: str, number: str, paid: str, due: str) -> PartCells:
    state = "paid" if due == "0" else "partially_paid"
    return PartCells(
        status, Decimal(amount), number[-4:] * 6, f"INV-{number}", state, Decimal(paid),
        Decimal(due),
    )  # fmt: skip


def deposit(tmp_path: Path) -> tuple[PaymentsFile, list[RowResult]]:
    """Cheque 000777 pays two invoices in one cell, recorded; cheque 000778 pays two on two
    rows, one part recorded and one not; cash 50.00 alone, recorded."""
    cells = [
        ("2024:300.00|2025:150.50", "450.50", "000777"),
        ("2026", "400.00", "000778"),
        ("2027", "100.00", "000778"),
        ("2030", "50.00", ""),
    ]
    rows = [SourceRow("Sheet1", n + 2, c) for n, c in enumerate(cells)]
    source = PaymentsFile(tmp_path / "deposit.csv", "csv", "Sheet1", COLUMNS, rows)
    first = RowResult(
        rows[0], R, "both", amount=Decimal("450.50"), currency="USD", mode="cheque",
        parts=(part(R, "300.00", "2024", "300", "0"), part(R, "150.50", "2025", "150.50", "50")),
        payment_row=2,
    )  # fmt: skip
    results = [
        first,
        RowResult(rows[1], RowStatus.PARTLY_RECORDED, "p", amount=Decimal("400.00"),
                  currency="USD", mode="cheque", parts=(part(S, "400.00", "2026", "400", "0"),),
                  payment_row=3),
        RowResult(rows[2], RowStatus.PARTLY_RECORDED, "p", amount=Decimal("100.00"),
                  currency="USD", mode="cheque", parts=(part(N, "100.00", "2027", "0", "300"),),
                  payment_row=3),
        RowResult(rows[3], R, "", "3" * 24, "INV-2030", "partially_paid", Decimal(50),
                  Decimal(50), amount=Decimal("50.00"), currency="USD", mode="cash"),
    ]  # fmt: skip
    return source, results


def test_the_summary_counts_payments_as_the_payer_made_them_and_parts_apart(
    tmp_path: Path,
) -> None:
    """Three payments (two cheques, one cash) of five parts: one cheque whole, one partly, the
    cash whole; money recorded and not, each where it belongs."""
    _, results = deposit(tmp_path)
    summary = summarise(results, requests=5)
    assert summary.lines() == [
        "4 rows: 2 recorded, 2 partly recorded.",
        "USD: 3 payments for 1,000.50 (5 invoice parts) in the file; recorded by this run: 3 "
        "parts for 500.50; already recorded earlier: 1 part for 400.00; held back: 1 part for "
        "100.00 (1 not sent for 100.00).",
        "  1 payment partly recorded, for 500.00: 400.00 of it recorded; the same command "
        "records the rest.",
        "  Cash: 1 for 50.00; recorded by this run: 1 part for 50.00.",
        "  Cheque: 2 for 950.50; recorded by this run: 2 parts for 450.50; already recorded "
        "earlier: 1 part for 400.00; held back: 1 part for 100.00 (1 not sent for 100.00).",
        "Invoice parts: 5 in the file (2 payments for several invoices); recorded by this run: 3.",
        "Invoices now paid: 1; partly paid: 2.",
        "API requests: 5 (0 to find the invoices).",
    ]
    json = summary.as_json()
    assert json["parts"] == {"in_file": 5, "recorded": 3, "payments_of_several": 2}
    usd = json["by_currency"]["USD"]
    assert (usd["in_file"], usd["parts_in_file"], usd["partly_recorded"]) == (
        {"count": 3, "total": "1000.50"},
        5,
        {"count": 1, "total": "500.00", "recorded_total": "400.00"},
    )


def test_a_row_of_several_invoices_lists_each_in_the_invoice_columns(tmp_path: Path) -> None:
    """CSV: each invoice column holds the row's invoices in order, separated by "; ", amounts
    with the file's decimal mark; a row of one invoice is as before."""
    source, results = deposit(tmp_path)
    target = tmp_path / "deposit.results.csv"
    write_results(target, source, results, decimal=",")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [
        (r["status"], r["invoice_number"], r["invoice_status"], r["amount_paid"], r["amount_due"])
        for r in rows
    ] == [
        ("recorded", "INV-2024; INV-2025", "paid; partially_paid", "300,00; 150,50", "0,00; 50,00"),
        ("partly_recorded", "", "", "", ""),
        ("partly_recorded", "", "", "", ""),
        ("recorded", "INV-2030", "partially_paid", "50,00", "50,00"),
    ]
    assert rows[0]["invoice_id"] == f"{'2024' * 6}; {'2025' * 6}"


def test_the_summary_sheet_counts_the_parts_and_the_payments_partly_recorded(
    tmp_path: Path,
) -> None:
    """The Summary sheet has the parts apart, and the money of payments partly recorded; a
    partly recorded row is amber."""
    source, results = deposit(tmp_path)
    target = tmp_path / "deposit.results.xlsx"
    write_results(target, source, results, summary=summarise(results, requests=5))
    book = openpyxl.load_workbook(target)
    sheet = book["Summary"]
    found = [row[:3] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert ("Money in USD", "Payments, then parts", "Amount") in found
    start = found.index(("Payments for several invoices", 2, None))
    assert found[start : start + 5] == [
        ("Payments for several invoices", 2, None),
        ("Invoice parts in the file", 5, None),
        ("Invoice parts recorded by this run", 3, None),
        ("Partly recorded (USD)", 1, 500),
        ("  of it recorded", None, 400),
    ]
    results = book["Results"]
    status = results.cell(3, len(COLUMNS) + 2)
    assert (status.value, status.fill.start_color.rgb) == ("Partly recorded", "00FFEB9C")
    assert [cell.value for cell in results[2]][len(COLUMNS) :] == [
        2,
        "Recorded",
        "both",
        "INV-2024; INV-2025",
        None,
        "Paid; Partly paid",
        "300.00; 150.50",
        "0.00; 50.00",
    ]
