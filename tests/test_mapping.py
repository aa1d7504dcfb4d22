"""Mapping: which of the file's columns feeds each field, and the message when none or two do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.mapping import map_columns
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.errors import MappingError
from importer.read.files import load
from tests.conftest import DATA, SAMPLES, write_template

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Invoice", "invoice"),
        ("Invoice #", "invoice"),
        ("Invoice No.", "invoice"),
        ("invoice number", "invoice"),
        ("Factura", "invoice"),
        ("Nº factura", "invoice"),
        ("N° factura", "invoice"),
        ("Nª Factura", "invoice"),
        ("NUMERO DE FACTURA", "invoice"),
        ("Amount", "amount"),
        ("Amount Paid", "amount"),
        ("Importe", "amount"),
        ("Monto", "amount"),
        ("Date", "payment_date"),
        ("Payment Date", "payment_date"),
        ("Fecha", "payment_date"),
        ("Fecha de pago", "payment_date"),
        ("Method", "method"),
        ("Payment Method", "method"),
        ("Mode", "method"),
        ("Forma de pago", "method"),
        ("Metodo de pago", "method"),
        ("Cheque No.", "cheque_number"),
        ("Check Number", "cheque_number"),
        ("Nº cheque", "cheque_number"),
        ("N° cheque", "cheque_number"),
        ("Card Type", "card_brand"),
        ("Card Brand", "card_brand"),
        ("Last 4", "card_last4"),
        ("Notes", "notes"),
        ("Memo", "notes"),
        ("Notas", "notes"),
        ("Concepto", "notes"),
        ("Reference", "reference"),
        ("Referencia", "reference"),
        ("Currency", "currency"),
        ("Moneda", "currency"),
    ],
)
def test_default_template_finds_english_and_spanish_headers(header: str, field: str) -> None:
    """Every header the issue lists finds its field, whatever its case, accents or punctuation."""
    required = {"invoice": "Invoice", "amount": "Amount", "payment_date": "Date", "method": "Mode"}
    columns = [header if name == field else usual for name, usual in required.items()]
    if field not in required:
        columns.append(header)
    found = map_columns(columns, DEFAULT_TEMPLATE)
    assert found.columns[field] == (columns.index(header), header)


@pytest.mark.parametrize(
    ("columns", "chosen", "notes"),
    [
        (
            ["Invoice", "Invoice Date", "Amount", "Amount Paid", "Date", "Payment Date", "Method"],
            {"invoice": "Invoice", "amount": "Amount Paid", "payment_date": "Payment Date"},
            [
                "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name "
                "wins).",
                "Column 'Payment Date' gives the payment date, not 'Date' (the more specific "
                "name wins).",
            ],
        ),
        (
            ["Factura", "Fecha", "Importe", "Fecha de pago", "Forma de pago"],
            {"invoice": "Factura", "amount": "Importe", "payment_date": "Fecha de pago"},
            [
                "Column 'Fecha de pago' gives the payment date, not 'Fecha' (the more specific "
                "name wins)."
            ],
        ),
        (
            ["Invoice", "Amount", "Date", "Method", "Memo", "Notes", "Check Number", "Cheque No."],
            {"notes": "Notes", "cheque_number": "Cheque No."},
            [
                "Column 'Cheque No.' gives the cheque number, not 'Check Number' (the template "
                "lists 'Cheque No.' first).",
                "Column 'Notes' gives the notes, not 'Memo' (the template lists 'Notes' first).",
            ],
        ),
        (
            ["Invoice", "Amount", "Date", "Method"],
            {"invoice": "Invoice", "amount": "Amount", "payment_date": "Date"},
            [],
        ),
    ],
    ids=["amount paid and payment date", "fecha de pago", "optional fields", "one each"],
)
def test_of_two_matching_headers_the_more_specific_is_used_and_said(
    columns: list[str], chosen: dict[str, str], notes: list[str]
) -> None:
    """ "Payment Date" wins over "Date"; an optional field takes the template's first; both said."""
    found = map_columns(columns, DEFAULT_TEMPLATE)
    assert {name: found.header(name) for name in chosen} == chosen
    assert list(found.notes) == notes


@pytest.mark.parametrize(
    ("columns", "template", "message"),
    [
        (
            ["Factura", "Importe", "Monto", "Fecha", "Forma de pago"],
            "default",
            "Columns 'Importe' and 'Monto' could each be the amount, and the importer does not "
            "guess which. Rename the one that is not (or delete it), or make your own template "
            'with based_on = "default" and, under [columns], only the right one, such as '
            'amount = ["Importe"], and run with --template your-template.toml. Nothing was sent.',
        ),
        (
            ["Invoice", "Amount", "Payment Date", "Date Paid", "Date", "Method"],
            "default",
            "Columns 'Payment Date', 'Date Paid' and 'Date' could each be the payment date, and "
            "the importer does not guess which. Rename the ones that are not (or delete them), "
            'or make your own template with based_on = "default" and, under [columns], only '
            'the right one, such as payment_date = ["Payment Date"], and run with --template '
            "your-template.toml. Nothing was sent.",
        ),
        (
            ["Invoice", "Amount", "Date", "Method", "Amount"],
            "default",
            "2 columns named alike ('Amount', 'Amount') could each be the amount, and the "
            "importer does not guess which. Rename the one that is not (or delete it). Nothing "
            "was sent.",
        ),
        (
            ["Invoice No.", "Amount", "Date Received", "Cheque No.", "Check Number"],
            "cheque-deposit",
            "Columns 'Cheque No.' and 'Check Number' could each be the cheque number, and the "
            "importer does not guess which. Rename the one that is not (or delete it), or make "
            'your own template with based_on = "cheque-deposit" and, under [columns], only the '
            'right one, such as cheque_number = ["Cheque No."], and run with --template '
            "your-template.toml. Nothing was sent.",
        ),
        (
            ["Factura", "Importe", "Monto", "Forma de pago"],
            "default",
            "The file's columns are: 'Factura', 'Importe', 'Monto', 'Forma de pago'. No column "
            "gives the payment date (expected a header such as 'Date', 'Payment Date', 'Date "
            "Paid', 'Fecha'). Columns 'Importe' and 'Monto' could each be the amount, and the "
            "importer does not guess which. Rename the one that is not (or delete it), or make "
            'your own template with based_on = "default" and, under [columns], only the right '
            'one, such as amount = ["Importe"], and run with --template your-template.toml. '
            "Nothing was sent.",
        ),
    ],
    ids=["importe and monto", "three dates", "same name twice", "required by cheque-deposit",
         "with a missing column"],
)  # fmt: skip
def test_two_columns_for_a_money_or_required_field_are_refused(
    columns: list[str], template: str, message: str
) -> None:
    """Two headers for a money or required field, neither more specific: the file is refused."""
    with pytest.raises(MappingError) as caught:
        map_columns(columns, load_template(template))
    assert str(caught.value) == message


def test_two_columns_in_a_users_template_say_where_to_settle_it(tmp_path: Path) -> None:
    """With the user's own template, the message names that file to keep one name in."""
    path = write_template(
        tmp_path, 'based_on = "default"\n[columns]\ninvoice = ["Folio", "Factura"]\n'
    )
    with pytest.raises(MappingError) as caught:
        map_columns(["Folio", "Factura", "Importe", "Fecha", "Forma de pago"], load_template(path))
    assert str(caught.value) == (
        "Columns 'Folio' and 'Factura' could each be the invoice number or id, and the importer "
        f"does not guess which. Rename the one that is not (or delete it), or in {path}, under "
        '[columns], keep only the right one, such as invoice = ["Folio"]. Nothing was sent.'
    )


def test_a_template_that_prefers_the_first_header_uses_it() -> None:
    """cheque-deposit reads "Date Received" before "Deposit Date" when a slip has both."""
    found = map_columns(
        ["Invoice No.", "Amount", "Deposit Date", "Date Received", "Cheque No."],
        load_template("cheque-deposit"),
    )
    assert (found.header("payment_date"), found.header("deposit_date")) == (
        "Date Received",
        "Deposit Date",
    )
    assert found.notes == (
        "Column 'Date Received' gives the payment date, not 'Deposit Date' (the template "
        "prefers 'Date Received').",
    )


def test_a_preference_does_not_outlive_the_list_it_was_written_for(tmp_path: Path) -> None:
    """A copy of cheque-deposit with its own date list must say prefer_first again."""
    columns = ["Invoice No.", "Amount", "Received", "Deposited", "Cheque No."]
    own_list = 'based_on = "cheque-deposit"\n[columns]\npayment_date = ["Received", "Deposited"]\n'
    with pytest.raises(MappingError, match="Columns 'Received' and 'Deposited' could each be"):
        map_columns(columns, load_template(write_template(tmp_path, own_list)))
    preferred = write_template(
        tmp_path, 'prefer_first = ["payment_date"]\n' + own_list, "again.toml"
    )
    assert map_columns(columns, load_template(preferred)).header("payment_date") == "Received"


def test_the_more_specific_columns_feed_the_payment() -> None:
    """A file with Amount and Amount Paid, Date and Payment Date records what was paid, when."""
    validation = validate_file(
        load(DATA / "amount-and-amount-paid.csv"), DEFAULT_TEMPLATE, today=TODAY
    )
    assert validation.problems == []
    assert [(p.amount, p.paid_on) for p in validation.payments] == [
        (Decimal("250.00"), date(2026, 11, 2))
    ]
    assert validation.column_notes == (
        "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name wins).",
        "Column 'Payment Date' gives the payment date, not 'Date' (the more specific name wins).",
    )


def test_a_missing_column_names_the_headers_found_and_the_closest() -> None:
    """One message lists the file's headers, the missing field and the header nearest to it."""
    with pytest.raises(MappingError) as caught:
        map_columns(["Factura", "Monto", "Fecha", "Forma pago"], DEFAULT_TEMPLATE)
    assert str(caught.value) == (
        "The file's columns are: 'Factura', 'Monto', 'Fecha', 'Forma pago'. No column gives "
        "the payment method (expected a header such as 'Method', 'Payment Method', 'Mode', "
        "'Forma de pago'). The closest header is 'Forma pago': rename it to 'Forma de pago'. "
        "Nothing was sent."
    )


def test_every_missing_column_is_named_at_once() -> None:
    """A file missing several required columns hears about all of them in one message."""
    with pytest.raises(MappingError) as caught:
        map_columns(["Inv", "Amt"], DEFAULT_TEMPLATE)
    message = str(caught.value)
    assert "No column gives the invoice number or id" in message
    assert "The closest header is 'Inv': rename it to 'Invoice'." in message
    assert "No column gives the payment date" in message
    assert "No column gives the payment method" in message


def test_a_constant_stands_in_for_a_required_column() -> None:
    """cheque-deposit needs no method column: every row is a cheque."""
    found = map_columns(
        ["Deposit Date", "Cheque No.", "Invoice No.", "Amount"], load_template("cheque-deposit")
    )
    assert "method" not in found.columns
    assert found.columns["payment_date"] == (0, "Deposit Date")
    assert found.columns["deposit_date"] == (0, "Deposit Date")


def test_the_wrong_template_for_a_file_names_what_is_missing() -> None:
    """A deposit slip read with the default template is refused for its missing method column."""
    with pytest.raises(MappingError, match="No column gives the payment method"):
        validate_file(load(SAMPLES / "cheque-deposit.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert (DATA / "bad-rows.csv").is_file()
