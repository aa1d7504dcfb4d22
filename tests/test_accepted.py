"""A proposals file read back: accepted lines are payments, the others passed over with why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.check.fields import InvoiceRef
from importer.check.problems import RowProblem
from importer.check.validation import PassedOver
from importer.importing import open_file
from importer.status import RowStatus

PROPOSALS = (
    "Date,Description,Paid in,Paid out,Invoice,Match,Why,Accept\n"
    "02/10/2026,Bank credit CRESTVIEW INV-2011,845.00,,2011,sure,INV-2011 in the text,yes\n"
    "03/10/2026,Bank credit HOLLOWAY,100.00,,2012,likely,,\n"
    "04/10/2026,Bank credit NOBODY,100.00,,,none,,yes\n"
    "05/10/2026,Direct debit HMRC,,50.00,2013,not a payment,,yes\n"
    "06/10/2026,Bank credit FAIRBAIRN,100.00,,2014,likely,,maybe\n"
    "07/10/2026,Cash deposit BRANCH,100.00,,INV-2015,likely,,Sí\n"
    "08/10/2026,Bank credit BRAMLEY,300.00,,2016; 2017,sure,,x\n"
    "19/10/2026,Bank credit ASHCOMBE,200.00,,2018,likely,,no\n"
)


def test_each_line_of_a_proposals_file_by_its_accept_and_invoice(tmp_path: Path) -> None:
    """Accept yes (or sí, x) with an invoice is a payment on the statement's date and amount,
    the bank's words in its notes; a debit is not a payment whatever Accept says; a line not
    accepted is not sent; one for two invoices pays each in full; Accept unreadable, or yes
    with no invoice, is a problem of its row."""
    path = tmp_path / "nov.matches.csv"
    path.write_text(PROPOSALS, encoding="utf-8")
    opened = open_file(path, today=date(2026, 12, 2))
    validation = opened.validation
    assert [
        (p.row, p.invoice, p.amount, p.paid_on, p.mode, p.currency, p.notes)
        for p in validation.payments
    ] == [
        (
            2, InvoiceRef("number", "2011"), Decimal("845.00"), date(2026, 10, 2),
            "bank_transfer", None,
            "Bank statement: Bank credit CRESTVIEW INV-2011 (row 2 of nov.matches.csv)",
        ),
        (
            7, InvoiceRef("number", "2015"), Decimal("100.00"), date(2026, 10, 7), "cash", None,
            "Bank statement: Cash deposit BRANCH (row 7 of nov.matches.csv)",
        ),
    ]  # fmt: skip
    not_accepted = PassedOver(
        RowStatus.NOT_SENT,
        "Not accepted: nothing was sent for this line. To record it, write yes in Accept (and "
        "the invoice it pays in Invoice) in the proposals file, and run that file again.",
        amount=Decimal("100.00"),
        mode="bank_transfer",
    )
    assert dict(validation.passed_over) == {
        3: not_accepted,
        5: PassedOver(
            RowStatus.NOT_A_PAYMENT, "Money paid out (Paid out), not a payment received."
        ),
        9: PassedOver(
            RowStatus.NOT_SENT, not_accepted.message, amount=Decimal("200.00"),
            mode="bank_transfer",
        ),
    }  # fmt: skip
    # Accepted for two invoices: one payment of two parts, each paying its invoice in full.
    (split,) = validation.in_full
    assert (split.payment.row, split.payment.amount, [a.written for a in split.invoices]) == (
        8,
        Decimal("300.00"),
        ["2016", "2017"],
    )
    assert split.notes == (
        "Bank transfer, 1 of 2 invoices: 2016, 2017. Bank statement: Bank credit BRAMLEY (row 8 "
        "of nov.matches.csv)",
        "Bank transfer, 2 of 2 invoices: 2016, 2017. Bank statement: Bank credit BRAMLEY (row 8 "
        "of nov.matches.csv)",
    )
    assert validation.problems == [
        RowProblem(
            "nov.matches.csv", 4, "Invoice", "invoice.missing", "",
            "Accept is yes but Invoice is empty: write the invoice this line pays (such as "
            "2011), or empty Accept.",
        ),
        RowProblem(
            "nov.matches.csv", 6, "Accept", "accept.unreadable", "maybe",
            "'maybe' is neither yes nor no: write yes to record this line against its "
            "Invoice, or leave it empty.",
        ),
    ]  # fmt: skip
    assert validation.invalid_rows == {4, 6}


def test_an_accepted_line_gets_the_ordinary_row_rules(tmp_path: Path) -> None:
    """The statement's date is checked like any payment's (not after today); two lines alike
    are two movements of the bank, never taken for duplicates of each other."""
    path = tmp_path / "dec.matches.csv"
    path.write_text(
        "Date,Description,Paid in,Invoice,Match,Why,Accept\n"
        "20/12/2026,Bank credit A,845.00,2011,sure,,yes\n"
        "02/10/2026,Bank credit B,100.00,2012,sure,,yes\n"
        "02/10/2026,Bank credit B,100.00,2012,sure,,yes\n",
        encoding="utf-8",
    )
    validation = open_file(path, today=date(2026, 12, 2)).validation
    assert [(p.row, p.column, p.code) for p in validation.problems] == [
        (2, "Date", "date.in_future"),
    ]
    assert [payment.row for payment in validation.payments] == [3, 4]


def test_columns_of_ones_own_among_the_proposals_are_let_be(tmp_path: Path) -> None:
    """A comment column added after Accept, or between Why and Accept, changes nothing."""
    path = tmp_path / "nov.matches.csv"
    path.write_text(
        "Date,Description,Paid in,Invoice,Match,Why,Checked by,Accept,Comment\n"
        "02/10/2026,Bank credit A,845.00,2011,sure,,Ana,yes,rang them\n"
        "13/10/2026,Bank credit B,100.00,2012,likely,,Ana,,\n",
        encoding="utf-8",
    )
    validation = open_file(path, today=date(2026, 12, 2)).validation
    assert [(p.row, p.invoice.text, p.notes) for p in validation.payments] == [
        (2, "2011", "Bank statement: Bank credit A (row 2 of nov.matches.csv)")
    ]
    assert list(validation.passed_over) == [3]
