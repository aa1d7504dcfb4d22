"""Attacks on the money rules over real HTTP: one payment reaching HighLevel by two roads
(a payments file and a bank statement, a cheque run and a statement line) is recorded once."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox
from tests.conftest import SAMPLES, TODAY, past_where
from tests.test_payments_of_several_parts import check, row


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, past_where(result.output)


def outcomes(results: Path) -> list[tuple[str, str, str]]:
    """(row, status, message) of each row of a results file."""
    with results.open(encoding="utf-8-sig", newline="") as stream:
        return [(r["row"], r["status"], r["message"]) for r in csv.DictReader(stream)]


def payments_on(running: RunningSandbox, number: str) -> list[tuple[str, str, str]]:
    """The payments the sandbox holds on invoice ``number``: amount, day and method."""
    (invoice_id,) = (i["_id"] for i in running.sandbox.invoices() if i["invoiceNumber"] == number)
    return sorted(
        (f"{t['amount']:.2f}", t["fulfilledAt"][:10], t["paymentMethod"]["mode"])
        for t in running.sandbox.transactions()
        if t["entityId"] == invoice_id
    )


def test_a_transfer_recorded_from_a_payments_file_is_not_recorded_again_from_the_statement(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A bank transfer of 700.00 on INV-1003 recorded from a payments file, then the bank
    statement showing that transfer run with --accept sure: its line is sure (INV-1003 still
    owes 750.75), but it is that very payment: already recorded for this computer's journal,
    and duplicate for another computer's, which knows it only from HighLevel."""
    (env / "transfers.csv").write_text(
        "Invoice,Amount,Payment Date,Method\nINV-1003,700.00,2026-11-05,Bank transfer\n",
        encoding="utf-8",
    )
    assert invoke("run", "transfers.csv", "--yes")[0] == 0
    (recorded_at,) = (t["createdAt"] for t in sandbox.sandbox.transactions())
    shutil.copy(SAMPLES / "statement.csv", env)
    code, output = invoke("run", "statement.csv", "--accept", "sure", "--yes")
    assert code == 1, output  # the lines not accepted
    line = next(o for o in outcomes(env / "statement.results.csv") if o[0] == "5")
    assert line[:2] == ("5", "skipped"), line
    assert re.fullmatch(
        r"Already recorded on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by run 1 \(transfers\.csv, "
        r"row 2\)\. If this row is a second real payment just like that one, put yes in its "
        r"Allow duplicate cell and run it again\.",
        line[2],
    ), line[2]
    code, output = invoke(
        "run", "statement.csv", "--accept", "sure", "--yes", "--journal", str(env / "other.sqlite3")
    )
    line = next(o for o in outcomes(env / "statement.results-2.csv") if o[0] == "5")
    assert line == (
        "5",
        "duplicate",
        "HighLevel already holds a bank transfer payment of 700.00, on INV-1003, dated "
        f"2026-11-05, recorded {recorded_at[:10]} {recorded_at[11:16]}: if this is a second "
        "real payment, put yes in its Allow duplicate cell or run with --allow-duplicates.",
    )
    assert payments_on(sandbox, "1003") == [("700.00", "2026-11-05", "bank_transfer")]


def test_one_cheque_written_two_ways_on_its_rows_is_one_payment(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Rows of one cheque whose number is written 000777 on one and CHQ 777 on the other (as
    two people type it, or an XLS lost its zeros) are one payment: the Cheque Total is checked
    against both, the slip's count is one, and each invoice gets its part."""
    (env / "deposit.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.,Cheque Total\n"
        "INV-1018,500.00,2026-11-02,Cheque,000777,980.00\n"
        "INV-1019,480.00,2026-11-02,Cheque,CHQ 777,980.00\n",
        encoding="utf-8",
    )
    code, output = invoke(
        "run", "deposit.csv", "--yes", "--expect-count", "1", "--expect-total", "980.00"
    )
    assert code == 0, output
    assert [o[:2] for o in outcomes(env / "deposit.results.csv")] == [
        ("2", "recorded"),
        ("3", "recorded"),
    ]
    assert (payments_on(sandbox, "1018"), payments_on(sandbox, "1019")) == (
        [("500.00", "2026-11-02", "cheque")],
        [("480.00", "2026-11-02", "cheque")],
    )


def test_one_cheque_cannot_pay_one_invoice_on_two_rows_however_its_number_is_written() -> None:
    """777 on one row and No. 777 on the next are one cheque, which cannot pay INV-2024 twice:
    the later row is refused, naming the earlier."""
    validation = check(
        row(Invoice="2024", Amount="300.00", Cheque_No="777"),
        row(Invoice="2024", Amount="20.00", Cheque_No="No. 777"),
    )
    assert [(p.row, p.code) for p in validation.problems] == [(3, "parts.listed_twice")]
    assert validation.problems[0].message == (
        "Invoice 2024 is also in row 2, which is part of the same payment (cheque 777 (rows "
        "2-3)): a payment lists each invoice once. Put the invoice's whole amount on one row; "
        "if these are two payments, give each its own cheque number or reference."
    )


def test_a_currency_written_with_an_invoices_amount_is_the_payments_currency(
    sandbox: RunningSandbox, env: Path
) -> None:
    """1003:100 EUR|1004:50 EUR on invoices in USD is refused as the EUR amount cell is, never
    recorded as 150 USD; parts in USD go; parts naming two currencies, or one the Amount cell
    contradicts, are a problem of the row; nothing is recorded in a currency it is not in."""
    (env / "deposit.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.\n"
        '"1003:100 EUR|1004:50 EUR",150.00,2026-11-02,Cheque,5556\n'
        '"1005:100 USD|1006:$50",150.00,2026-11-02,Cheque,5557\n'
        '"1001:$300|1002:€150.50",450.50,2026-11-02,Cheque,5555\n'
        '"1007:100 GBP|1008:50",150 USD,2026-11-02,Cheque,5558\n',
        encoding="utf-8",
    )
    code, output = invoke("run", "deposit.csv", "--yes", "--skip-invalid")
    assert code == 1, output
    assert outcomes(env / "deposit.results.csv") == [
        (
            "2",
            "rejected",
            "INV-1003, 100.00: refused (invoice sent, 1,450.75 due); INV-1004, 50.00: refused "
            "(invoice sent, 250.00 due). The row is in EUR but the invoice is in USD; the API "
            "records a payment in the invoice's currency.",
        ),
        (
            "3",
            "recorded",
            "INV-1005, 100.00: recorded (invoice partly paid, 380.00 due); INV-1006, 50.00: "
            "recorded (invoice partly paid, 275.40 due).",
        ),
        (
            "4",
            "invalid",
            'Column "Invoice": The invoices\' amounts name different currencies ($, EUR); one '
            "payment is in one currency. Write the currency once, in the Amount cell or the "
            "Currency column.",
        ),
        (
            "5",
            "invalid",
            'Column "Invoice": Part 1 of the cell (invoice 1007): its amount is in GBP, but '
            "the row's currency is USD. Correct the one that is wrong.",
        ),
    ]
    assert [
        (number, payments_on(sandbox, number))
        for number in ("1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008")
    ] == [
        ("1001", []),
        ("1002", []),
        ("1003", []),
        ("1004", []),
        ("1005", [("100.00", "2026-11-02", "cheque")]),
        ("1006", [("50.00", "2026-11-02", "cheque")]),
        ("1007", []),
        ("1008", []),
    ]
