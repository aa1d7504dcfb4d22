"""The template a file is read with when none is given: the one that fits it, said in a line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.saved import keep_template, saved_templates_dir
from importer.check.template_files import load_template
from importer.choices import ReadingChoices
from importer.errors import MappingError
from importer.importing import OpenedFile, open_file
from importer.sandbox import RunningSandbox
from tests.conftest import SAMPLES
from tests.test_templates_cli import invoke

TODAY = date(2026, 11, 24)
CHOSEN = "Read as {kind} (template {name}); to read it otherwise, use --template."


def opened(tmp_path: Path, text: str, name: str = "payments.csv") -> OpenedFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return open_file(path, today=TODAY)


def payments(file: OpenedFile) -> list[tuple[int, str, str, str, str]]:
    """Each payment as (row, invoice, amount, date, method)."""
    return [
        (p.row, p.invoice.text, f"{p.amount:.2f}", p.paid_on.isoformat(), p.mode)
        for p in file.validation.payments
    ]


@pytest.mark.parametrize(
    ("sample", "template", "line"),
    [
        ("payments.csv", "default", ""),
        ("pagos.csv", "default", ""),
        ("cheque-deposit.csv", "cheque-deposit", CHOSEN.format(kind="a cheque deposit",
                                                               name="cheque-deposit")),
        ("bank-transfer.csv", "bank-transfer", CHOSEN.format(kind="a bank statement",
                                                             name="bank-transfer")),
        ("card-terminal.csv", "card-terminal", CHOSEN.format(kind="a card terminal report",
                                                             name="card-terminal")),
    ],
)  # fmt: skip
def test_each_sample_is_read_with_its_template_and_says_so(
    sample: str, template: str, line: str
) -> None:
    """No --template: each sample finds its own, every row a payment; the default goes unsaid."""
    file = open_file(SAMPLES / sample, today=TODAY)
    assert (file.template.name, file.chosen, file.validation.problems) == (template, line, [])
    assert len(file.validation.payments) == len(file.file.rows)


def test_a_cheque_deposit_sheet_with_date_received(tmp_path: Path) -> None:
    """The sheet the default refused ("Date Received", no method column) reads as cheques."""
    file = opened(
        tmp_path,
        "Date Received,Received From,Cheque No.,Invoice,Amount,Deposit Date\n"
        "2026-10-06,Greenway Plumbing,004211,INV-1081,480.00,2026-10-09\n"
        "2026-10-07,Harlow & Finch,000918,1082,1250.00,2026-10-09\n",
    )
    assert file.chosen == CHOSEN.format(kind="a cheque deposit", name="cheque-deposit")
    assert payments(file) == [
        (2, "1081", "480.00", "2026-10-06", "cheque"),
        (3, "1082", "1250.00", "2026-10-07", "cheque"),
    ]


def test_a_spanish_statement_reads_its_value_date(tmp_path: Path) -> None:
    """'Fecha valor' is the payment date; the invoice is in Concepto; debits are passed over."""
    file = opened(
        tmp_path,
        "Fecha operación;Fecha valor;Concepto;Importe;Saldo\n"
        "19/11/2026;20/11/2026;BIZUM DE LUCIA, CONCEPTO Factura 1043;60,00;1.856,89\n"
        "14/11/2026;14/11/2026;COMISION MANTENIMIENTO;−15,00;1.796,89\n",
    )
    assert (file.template.name, payments(file)) == (
        "bank-transfer",
        [(2, "1043", "60.00", "2026-11-20", "bank_transfer")],
    )
    assert {row: p.message for row, p in file.validation.passed_over.items()} == {
        3: "Money paid out (−15,00)."
    }


def test_a_card_terminal_report_knows_invoice_number(tmp_path: Path) -> None:
    """'Transaction Date' and 'Invoice Number', which card-terminal used to refuse, are read."""
    file = opened(
        tmp_path,
        "Transaction Date,Card Type,Card Number,Invoice Number,Amount\n"
        "2026-11-03,VISA,************4242,INV-1010,250.00\n",
    )
    assert file.template.name == "card-terminal"
    (payment,) = file.validation.payments
    assert (payment.invoice.text, payment.card and payment.card.model_dump()) == (
        "1010",
        {"brand": "Visa", "last4": "4242"},
    )


def test_an_accounting_report_with_invoices_in_memos_and_subtotals(tmp_path: Path) -> None:
    """'Invoice 1027', 'Inv #1025 deposit' in a memo; 'Total for Acme' and 'Total Payment'
    lines are subtotals, never payments."""
    file = opened(
        tmp_path,
        ",Date,Num,Memo/Description,Payment Method,Amount\n"
        "Acme Dental,,,,,\n"
        ",10/02/2026,004211,Invoice 1027,Check,1200.00\n"
        ",10/27/2026,,Inv #1025 deposit,Cash,300.00\n"
        "Total for Acme Dental,,,,,1500.00\n"
        "Total Payment,,,,,1500.00\n",
    )
    assert payments(file) == [
        (3, "1027", "1200.00", "2026-10-02", "cheque"),
        (4, "1025", "300.00", "2026-10-27", "cash"),
    ]
    assert file.template.name == "default"
    assert file.validation.empty_rows == frozenset({2})
    assert [row.number for row in file.file.subtotals] == [5]
    assert file.file.total is not None
    assert file.file.total.number == 6
    assert file.notes == (
        "Row 5: subtotals, not payments; it matches the rows above it.",
        "Column 'Memo/Description' gives the invoice number or id: no header names it, and its "
        "cells read so (such as 'Invoice 1027').",
    )


def test_a_file_with_a_method_column_is_never_read_with_a_fixed_method(tmp_path: Path) -> None:
    """Every row a cheque, and a cheque number column: the file's own Method decides, so the
    default reads it, not cheque-deposit."""
    file = opened(
        tmp_path,
        "Invoice,Amount,Date,Method,Cheque No.,Drawer\n1001,10.00,2026-10-03,Cheque,12,Acme\n",
    )
    assert (file.template.name, file.chosen) == ("default", "")


def test_a_saved_template_is_chosen_before_the_built_in_ones(tmp_path: Path) -> None:
    """The user's saved template wins where it fits: how an automatic choice is overridden."""
    text = "Date Received,Cheque No.,Invoice,Amount\n2026-10-06,004211,1081,480.00\n"
    keep_template(
        "my-cheques",
        'based_on = "cheque-deposit"\nnotes = "Cheque {cheque_number}, my way"\n',
        saved_templates_dir(),
    )
    file = opened(tmp_path, text)
    assert file.chosen == (
        "Read as your template my-cheques (template my-cheques); to read it otherwise, use "
        "--template."
    )
    assert file.validation.payments[0].notes == "Cheque 004211, my way (row 2 of payments.csv)"


def test_two_saved_templates_that_fit_alike_stop_the_file(tmp_path: Path) -> None:
    """A tie is refused naming both templates and how to choose; nothing is read as either."""
    for name in ("first", "second"):
        keep_template(name, 'based_on = "cheque-deposit"\n', saved_templates_dir())
    with pytest.raises(MappingError) as caught:
        opened(tmp_path, "Date Received,Cheque No.,Invoice,Amount\n2026-10-06,1,1081,480.00\n")
    assert str(caught.value) == (
        "This file fits two templates equally, first and second, and the importer does not "
        "guess which. Run again with --template first (or --template second). Nothing was sent."
    )


def test_template_given_overrides_the_choice(tmp_path: Path) -> None:
    """--template default on a cheque sheet: the default's verdict, no choice made."""
    path = tmp_path / "cheques.csv"
    path.write_text("Date Received,Cheque No.,Invoice,Amount\n2026-10-06,1,1081,480.00\n")
    with pytest.raises(MappingError, match="No column gives the payment method"):
        open_file(path, ReadingChoices(template=load_template("default")), today=TODAY)


def test_when_no_template_fits_the_closest_is_named(tmp_path: Path) -> None:
    """A statement with no invoice anywhere: bank-transfer comes closest, and says what is
    missing."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            "Value Date,Payer,Amount,Balance\n2026-10-06,Acme Dental,480.00,1480.00\n"
            "2026-10-07,Blue Harbor,120.00,1600.00\n",
        )
    assert str(caught.value) == (
        "No template fits this file; the closest is bank-transfer. The file's columns are: "
        "'Value Date', 'Payer', 'Amount', 'Balance'. No column gives the invoice number or id "
        "(expected a header such as 'Invoice', 'Invoice No.', 'Invoice #', 'Invoice Number'). "
        "Nothing was sent. This looks like a bank statement: importer match payments.csv "
        "proposes the invoice each payment in it pays, for you to confirm; importer run "
        "payments.csv --accept sure records those it is sure of."
    )


def test_a_paid_out_column_is_never_proposed_for_the_amount(tmp_path: Path) -> None:
    """Money paid out is not money received: no message advises renaming it to Amount."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            "Date,Invoice,Paid out,Method\n2026-10-06,1001,480.00,Cash\n"
            "2026-10-07,1002,120.00,Cash\n",
        )
    assert str(caught.value) == (
        "The file's columns are: 'Date', 'Invoice', 'Paid out', 'Method'. No column gives the "
        "amount (expected a header such as 'Amount', 'Amount Paid', 'Payment Amount', "
        "'Importe'). Nothing was sent."
    )


def test_a_column_of_dates_no_header_names_is_read_as_the_payment_date(tmp_path: Path) -> None:
    """'Datum' holds dates and no header names the payment date: it is read so, and said."""
    file = opened(
        tmp_path, "Invoice,Amount,Method,Datum\n1001,10.00,Cash,2026-10-06\n1002,12.00,Cash,\n"
    )
    assert file.validation.column_notes == (
        "Column 'Datum' gives the payment date: no header names it, and its cells read so (such "
        "as '2026-10-06').",
    )
    assert [p.paid_on for p in file.validation.payments] == [date(2026, 10, 6)]


def test_a_column_of_text_is_never_proposed_for_the_date(tmp_path: Path) -> None:
    """'Datum' holding names is not offered as the payment date, however close its name."""
    with pytest.raises(MappingError) as caught:
        opened(
            tmp_path,
            "Invoice,Amount,Method,Datum\n1001,10.00,Cash,Acme Dental\n1002,12.00,Cash,Blue\n",
        )
    assert str(caught.value) == (
        "The file's columns are: 'Invoice', 'Amount', 'Method', 'Datum'. No column gives the "
        "payment date (expected a header such as 'Date', 'Payment Date', 'Date Paid', "
        "'Fecha'). Nothing was sent."
    )


def test_the_file_s_own_method_wins_over_the_template_s(tmp_path: Path) -> None:
    """bank-transfer fixes the method, yet a row whose Method says Cash is cash; an empty
    cell takes the template's."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Value Date,Invoice,Credit,Method,Balance\n2026-10-06,1001,10.00,Cash,10.00\n"
        "2026-10-07,1002,12.00,,22.00\n"
    )
    file = open_file(path, ReadingChoices(template=load_template("bank-transfer")), today=TODAY)
    assert [(p.row, p.mode, p.amount) for p in file.validation.payments] == [
        (2, "cash", Decimal("10.00")),
        (3, "bank_transfer", Decimal("12.00")),
    ]


def test_a_statement_whose_first_lines_are_debits_still_shows_its_invoices(
    tmp_path: Path,
) -> None:
    """The description column is judged on rows from all over the file, not its first ones."""
    debits = "".join(f"01/10/2026,CARD PAYMENT {n},,{n}.00,\n" for n in range(200, 400))
    file = opened(
        tmp_path,
        "Date,Description,Paid In,Paid Out,Balance\n"
        + debits
        + "14/10/2026,FUENTES LEGAL INV-1006,325.40,,\n",
    )
    assert payments(file) == [(202, "1006", "325.40", "2026-10-14", "bank_transfer")]
    assert len(file.validation.passed_over) == 200


@pytest.mark.parametrize(
    ("column", "cell", "passed_over"),
    [
        ("Type", "Direct debit", {}),
        ("Status", "Pending", {2: "Its Status says 'Pending': no money received."}),
    ],
)
def test_in_a_list_of_payments_only_a_status_says_a_line_is_none(
    tmp_path: Path, column: str, cell: str, passed_over: dict[int, str]
) -> None:
    """A 'Type' of a payments list may be how it was paid; a 'Status' of Pending is no money."""
    file = opened(
        tmp_path, f"Invoice,Amount,Date,Method,{column}\n1001,10.00,2026-10-03,Cash,{cell}\n"
    )
    assert {row: p.message for row, p in file.validation.passed_over.items()} == passed_over


def test_a_tie_stops_run_before_anything_is_sent(sandbox: RunningSandbox, env: Path) -> None:
    """importer run on a file two saved templates fit alike: exit 2, one line, nothing sent."""
    for name in ("first", "second"):
        keep_template(name, 'based_on = "cheque-deposit"\n', saved_templates_dir())
    cheques = env / "cheques.csv"
    cheques.write_text("Date Received,Cheque No.,Invoice,Amount\n2026-10-06,1,1001,480.00\n")
    assert invoke("run", str(cheques), "--yes") == (
        2,
        "Error: This file fits two templates equally, first and second, and the importer does "
        "not guess which. Run again with --template first (or --template second). Nothing was "
        "sent.\n",
    )
    assert sandbox.sandbox.transactions() == []


def test_a_statement_line_naming_no_invoice_points_to_matching(tmp_path: Path) -> None:
    """A credit whose description names no invoice is the row's problem, and the file's notes
    say that importer match proposes one."""
    file = opened(
        tmp_path,
        "Date,Description,Paid In,Paid Out,Balance\n"
        "14/10/2026,FUENTES LEGAL INV-1006,325.40,,1325.40\n"
        "15/10/2026,INTEREST,0.42,,1325.82\n",
        name="statement.csv",
    )
    assert [(p.row, p.code) for p in file.validation.problems] == [(3, "invoice.unrecognised")]
    assert file.validation.column_notes[-1] == (
        "This looks like a bank statement: importer match statement.csv proposes the invoice "
        "each payment in it pays, for you to confirm; importer run statement.csv --accept sure "
        "records those it is sure of."
    )


def test_a_statement_without_a_header_row_is_refused_saying_so(tmp_path: Path) -> None:
    """A bank's export with no headings (Wells Fargo's CSV): its first payment is never taken
    for column names, and the message says the header row is missing, not which to rename."""
    text = (
        '"10/03/2026","1200.00","*","","ACH CREDIT ACME DENTAL GRP INV-1211"\n'
        '"10/06/2026","-84.19","*","","PG&E WEB ONLINE"\n'
        '"10/28/2026","480.00","*","","DEPOSIT INV 1213"\n'
    )
    with pytest.raises(MappingError) as raised:
        opened(tmp_path, text, "wells-fargo.csv")
    assert str(raised.value) == (
        "The first row holds values ('10/03/2026', '1200.00'), not column names: the file has "
        "no header row, and the importer does not guess which column is which. Export it again "
        "with column headings, or add a first row naming each column (such as Date, Amount, "
        "Description). Nothing was sent."
    )
