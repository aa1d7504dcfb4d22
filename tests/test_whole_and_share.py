"""A payment's whole beside each invoice's share: the share is recorded, the whole checked.

A bank's lockbox file repeats the cheque's amount on the row of every invoice it pays, and an
accounting package's payments report repeats the payment's amount beside the part applied to
each invoice. Taken for the amount, that whole would be recorded against every invoice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from importer.errors import MappingError
from importer.importing import OpenedFile, open_file

TODAY = date(2026, 11, 24)

LOCKBOX = (
    "Deposit Date,Lockbox,Batch,Item,Check Number,Check Amount,Remitter Name,Invoice Number,"
    "Invoice Amount\n"
    "10/14/2026,4417,012,1,5512,1450.00,ACME DENTAL,1021,1200.00\n"
    "10/14/2026,4417,012,1,5512,1450.00,ACME DENTAL,1022,250.00\n"
    "10/14/2026,4417,012,2,8830,325.40,FUENTES LEGAL,1027,325.40\n"
)


def opened(tmp_path: Path, text: str, name: str = "payments.csv") -> OpenedFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return open_file(path, today=TODAY)


def payments(file: OpenedFile) -> list[tuple[int, str, str, str, str, str | None]]:
    """Each payment as (row, invoice, amount, date, method, cheque number)."""
    return [
        (
            p.row,
            p.invoice.text,
            f"{p.amount:.2f}",
            p.paid_on.isoformat(),
            p.mode,
            p.cheque.number if p.cheque else None,
        )
        for p in file.validation.payments
    ]


def problems(file: OpenedFile) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.code, p.value) for p in file.validation.problems]


def test_a_lockbox_file_records_each_invoice_s_amount_not_the_cheque_s(tmp_path: Path) -> None:
    """'Check Amount' repeated on the rows of one cheque is its total: each invoice is paid its
    'Invoice Amount', the two rows of cheque 5512 are one payment, and the run says so."""
    file = opened(tmp_path, LOCKBOX)
    assert file.template.name == "cheque-deposit"
    assert problems(file) == []
    assert payments(file) == [
        (2, "1021", "1200.00", "2026-10-14", "cheque", "5512"),
        (3, "1022", "250.00", "2026-10-14", "cheque", "5512"),
        (4, "1027", "325.40", "2026-10-14", "cheque", "8830"),
    ]
    assert [r.rows for r in file.validation.remittances] == [(2, 3)]
    assert file.validation.column_map is not None
    assert {
        name: header
        for name, (_index, header) in file.validation.column_map.columns.items()
        if name in ("amount", "payment_total")
    } == {"amount": "Invoice Amount", "payment_total": "Check Amount"}
    assert (
        "Column 'Check Amount' is what each payment came to in all, repeated on the row of "
        "every invoice it pays: each row's amount is 'Invoice Amount', and the rows of one "
        "payment must add up to 'Check Amount'." in file.validation.column_notes
    )


def test_a_lockbox_cheque_whose_invoices_do_not_add_up_is_refused_whole(tmp_path: Path) -> None:
    """Invoices of 1,200.00 and 200.00 on a cheque of 1,450.00: both rows refused, nothing of
    that cheque recorded; the other cheque goes ahead."""
    file = opened(tmp_path, LOCKBOX.replace("1022,250.00", "1022,200.00"))
    assert problems(file) == [
        (2, "Check Amount", "payment_total.differs", "1450.00"),
        (3, "Check Amount", "payment_total.differs", "1450.00"),
    ]
    assert payments(file) == [(4, "1027", "325.40", "2026-10-14", "cheque", "8830")]


def test_amount_paid_is_the_share_when_the_invoice_s_own_amount_is_beside_it(
    tmp_path: Path,
) -> None:
    """'Invoice Amount' (the invoice's total), 'Amount Paid' (the part this cheque pays) and
    'Check Amount': the part is recorded."""
    file = opened(
        tmp_path,
        "Deposit Date,Check Number,Check Amount,Invoice Number,Invoice Amount,Amount Paid\n"
        "10/14/2026,5512,700.00,1021,1200.00,500.00\n"
        "10/14/2026,5512,700.00,1022,250.00,200.00\n",
    )
    assert problems(file) == []
    assert file.validation.column_map is not None
    assert file.validation.column_map.header("payment_total") == "Check Amount"
    assert payments(file) == [
        (2, "1021", "500.00", "2026-10-14", "cheque", "5512"),
        (3, "1022", "200.00", "2026-10-14", "cheque", "5512"),
    ]


def test_a_cheque_amount_alone_repeated_on_several_invoices_is_refused(tmp_path: Path) -> None:
    """'Check Amount' the only amount, one cheque on two invoices' rows: the cheque's 1,450.00
    is not recorded against each; both rows are refused, as they add up to twice the cheque."""
    file = opened(
        tmp_path,
        "Deposit Date,Check Number,Check Amount,Invoice Number\n"
        "10/14/2026,5512,1450.00,1021\n"
        "10/14/2026,5512,1450.00,1022\n"
        "10/14/2026,8830,325.40,1027\n",
    )
    assert problems(file) == [
        (2, "Check Amount", "payment_total.differs", "1450.00"),
        (3, "Check Amount", "payment_total.differs", "1450.00"),
    ]
    assert payments(file) == [(4, "1027", "325.40", "2026-10-14", "cheque", "8830")]


ZOHO = (
    "Date,Payment Number,Reference Number,Customer Name,Payment Mode,Amount,Invoice Number,"
    "Amount Applied to Invoice\n"
    "2026-10-05,PMT-00041,004211,Acme Dental,Check,1450.00,INV-1021,1200.00\n"
    "2026-10-05,PMT-00041,004211,Acme Dental,Check,1450.00,INV-1022,250.00\n"
    "2026-10-06,PMT-00042,TRF-7781,Blue Harbor Cafe,Bank Transfer,612.50,INV-1023,612.50\n"
)


def test_a_payments_report_records_the_part_applied_to_each_invoice(tmp_path: Path) -> None:
    """Zoho Books: 'Amount' is the whole payment on each invoice's row, 'Amount Applied to
    Invoice' the part; the cheque's number is in 'Reference Number'."""
    file = opened(tmp_path, ZOHO)
    assert problems(file) == []
    assert payments(file) == [
        (2, "1021", "1200.00", "2026-10-05", "cheque", "004211"),
        (3, "1022", "250.00", "2026-10-05", "cheque", "004211"),
        (4, "1023", "612.50", "2026-10-06", "bank_transfer", None),
    ]
    assert [r.rows for r in file.validation.remittances] == [(2, 3)]
    assert file.validation.column_notes[-1] == (
        "Rows 2 and 3 are cheques, and the file has no column for the cheque number: each "
        "one's 'Reference Number' is read as its number."
    )


def test_two_columns_that_could_each_be_the_whole_payment_stop_the_file(tmp_path: Path) -> None:
    """'Check Amount' and 'Payment Amount' beside the invoice's share: which one the rows must
    add up to is not guessed."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            "Date,Check Number,Check Amount,Payment Amount,Invoice,Applied Amount,Method\n"
            "10/14/2026,5512,1450.00,1450.00,1021,1200.00,Check\n",
        )
    assert str(caught.value) == (
        "Columns 'Check Amount' and 'Payment Amount' could each be what the payment came to "
        "in all, beside 'Applied Amount' for each invoice, and the importer does not guess "
        "which. Rename the one that is not (or delete it). Nothing was sent."
    )


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("Amount Due", ("480.00", "120.00")),
        ("Unused Amount", ("0.00", "0.00")),
        ("Balance Due", ("0.00", "40.00")),
    ],
)
def test_a_column_of_other_money_is_never_proposed_for_the_amount(
    tmp_path: Path, header: str, cells: tuple[str, str]
) -> None:
    """What is owed or left over is no payment: no message advises renaming it to Amount."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            f"Date,Invoice,{header},Method\n2026-10-06,1001,{cells[0]},Cash\n"
            f"2026-10-07,1002,{cells[1]},Cash\n",
        )
    assert str(caught.value) == (
        f"The file's columns are: 'Date', 'Invoice', '{header}', 'Method'. No column gives the "
        "amount (expected a header such as 'Amount', 'Amount Paid', 'Payment Amount', "
        "'Importe'). Nothing was sent."
    )


def test_a_column_of_amounts_is_never_proposed_for_the_cheque_number(tmp_path: Path) -> None:
    """Cheque rows and no cheque-number column: 'Check Amount' is money, not the number."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            "Date,Invoice,Amount,Method,Check Amt\n2026-10-06,1001,480.00,Check,480.00\n"
            "2026-10-07,1002,120.00,Check,120.00\n",
        )
    assert str(caught.value) == (
        "No column gives the cheque number, and the cheque rows need it (rows 2, 3). Expected "
        "a header such as 'Cheque No.', 'Cheque Number', 'Check Number', 'Check No.': add a "
        "column named 'Cheque No.'. Nothing was sent."
    )


def test_an_invoice_s_own_amount_above_the_payment_is_no_share_of_it(tmp_path: Path) -> None:
    """A payments sheet whose 'Invoice Amount' is each invoice's total, above the 'Payment
    Amount' paid on it, records the payment: no invoice can take more of a payment than it
    came to, so the two are no share and whole."""
    file = opened(
        tmp_path,
        "Invoice,Date,Method,Invoice Amount,Payment Amount\n"
        "1001,2026-10-03,Cash,480.00,100.00\n"
        "1002,2026-10-04,Cash,300.00,300.00\n"
        "1003,2026-10-05,Cash,520.00,50.00\n",
    )
    assert file.validation.column_map is not None
    assert file.validation.column_map.columns["amount"] == (4, "Payment Amount")
    assert "payment_total" not in file.validation.column_map.columns
    assert problems(file) == []
    assert payments(file) == [
        (2, "1001", "100.00", "2026-10-03", "cash", None),
        (3, "1002", "300.00", "2026-10-04", "cash", None),
        (4, "1003", "50.00", "2026-10-05", "cash", None),
    ]


ZOHO_UNUSED = (
    "Date,Payment Number,Reference Number,Customer Name,Payment Mode,Amount,Unused Amount,"
    "Invoice Number,Amount Applied to Invoice\n"
    "2026-10-05,PMT-00041,004211,Acme Dental,Check,1470.00,20.00,INV-1021,1200.00\n"
    "2026-10-05,PMT-00041,004211,Acme Dental,Check,1470.00,20.00,INV-1022,250.00\n"
    "2026-10-06,PMT-00042,TRF-7781,Blue Harbor Cafe,Bank Transfer,500.00,20.00,INV-1023,480.00\n"
    "2026-10-07,PMT-00043,,Fuentes Legal,Cash,96.50,0.00,INV-1027,96.50\n"
)


def test_money_left_unused_is_part_of_the_total_and_not_recorded(tmp_path: Path) -> None:
    """Zoho Books' 'Unused Amount' is what the payer paid beyond the invoices (kept as a
    credit): the applied parts and it add up to 'Amount'; only the parts are recorded, and
    the run says what is not."""
    file = opened(tmp_path, ZOHO_UNUSED)
    assert problems(file) == []
    assert payments(file) == [
        (2, "1021", "1200.00", "2026-10-05", "cheque", "004211"),
        (3, "1022", "250.00", "2026-10-05", "cheque", "004211"),
        (4, "1023", "480.00", "2026-10-06", "bank_transfer", None),
        (5, "1027", "96.50", "2026-10-07", "cash", None),
    ]
    assert file.validation.column_map is not None
    assert file.validation.column_map.columns["unused"] == (6, "Unused Amount")
    assert [n for n in file.validation.column_notes if "not applied" in n] == [
        "Row 2: 20.00 of the payment is not applied to any invoice (Unused Amount); it is not "
        "recorded.",
        "Row 4: 20.00 of the payment is not applied to any invoice (Unused Amount); it is not "
        "recorded.",
    ]
    # The file's total, which --expect-total is checked against, is the money applied.
    assert file.total is not None
    assert f"{file.total.added:.2f}" == "2026.50"


@pytest.mark.parametrize(
    "header",
    ["Unused Amount", "Unapplied Amount", "Overpayment", "Amount Unapplied", "Credit Left"],
)
def test_parts_and_unused_money_that_do_not_make_the_total_name_all_three_columns(
    tmp_path: Path, header: str
) -> None:
    file = opened(
        tmp_path,
        f"Date,Reference Number,Payment Mode,Amount,{header},Invoice Number,"
        "Amount Applied to Invoice\n"
        "2026-10-05,004211,Check,1470.00,10.00,INV-1021,1200.00\n"
        "2026-10-05,004211,Check,1470.00,10.00,INV-1022,250.00\n"
        "2026-10-06,TRF-7781,Bank Transfer,500.00,10.00,INV-1023,480.00\n",
    )
    two = (
        "The payment total (Amount) is 1,470.00, but the 2 rows of cheque 004211 (rows 2-3) "
        "add up to 1,450.00 (row 2: 1,200.00, row 3: 250.00) in Amount Applied to Invoice, and "
        f"10.00 is left unused ({header}): together 1,460.00. Correct the amounts or the "
        "total: nothing of this payment is sent until they agree."
    )
    one = (
        "The payment total (Amount) is 500.00, but the amount is 480.00 (Amount Applied to "
        f"Invoice), and 10.00 is left unused ({header}): together 490.00. Correct the amounts "
        "or the total: nothing of this payment is sent until they agree."
    )
    assert [(p.row, p.column, p.code, p.message) for p in file.validation.problems] == [
        (2, "Amount", "payment_total.differs", two),
        (3, "Amount", "payment_total.differs", two),
        (4, "Amount", "payment_total.differs", one),
    ]
    assert payments(file) == []
