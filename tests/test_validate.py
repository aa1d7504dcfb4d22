"""Local checks: every problem of every row, with the row number the spreadsheet shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.fields import InvoiceRef
from importer.check.mapping import map_columns
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.errors import InputFileError, MappingError
from importer.read.files import load

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 24)


def test_every_bad_row_is_reported_with_row_column_and_code() -> None:
    """Each problem names its spreadsheet row, its column and a stable code; good rows pass."""
    validation = validate_file(load(DATA / "bad-rows.csv"), DEFAULT_TEMPLATE, today=TODAY)
    triples = [(p.row, p.column, p.code) for p in validation.problems]
    assert triples == [
        (3, "Invoice", "invoice.missing"),
        (4, "Amount", "amount.not_a_number"),
        (5, "Amount", "amount.not_positive"),
        (6, "Amount", "amount.too_many_decimals"),
        (7, "Payment Date", "date.unreadable"),
        (8, "Payment Date", "date.in_future"),
        (9, "Method", "method.unknown"),
        (10, "Cheque No.", "cheque.number_missing"),
        (11, "Card Brand", "card.brand_missing"),
        (11, "Last 4", "card.last4_invalid"),
        (12, "Invoice", "invoice.unrecognised"),
    ]
    (good,) = validation.payments
    assert good.row == 2
    assert good.invoice == InvoiceRef("number", "1001")
    assert good.amount == Decimal("120.00")
    assert good.cheque is not None
    assert good.cheque.number == "000123"
    assert good.notes == "Cheque 000123 (row 2 of bad-rows.csv)"


def test_headers_match_without_case_accents_or_punctuation() -> None:
    """English and Spanish headers in any case or punctuation find their fields."""
    found = map_columns(
        ["  NÚMERO DE FACTURA ", "importe", "Fecha de pago", "FORMA DE PAGO", "nº cheque"],
        DEFAULT_TEMPLATE,
    )
    assert {name: index for name, (index, _h) in found.columns.items()} == {
        "invoice": 0,
        "amount": 1,
        "payment_date": 2,
        "method": 3,
        "cheque_number": 4,
    }


def test_missing_required_column_names_what_was_found() -> None:
    """A file without a method column is refused whole, listing the headers it has."""
    with pytest.raises(MappingError) as caught:
        validate_file(load(DATA / "missing-method.csv"), DEFAULT_TEMPLATE, today=TODAY)
    message = str(caught.value)
    assert "'Factura', 'Monto', 'Fecha'" in message
    assert "payment method" in message
    assert "Nothing was sent." in message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "the file is empty"),
        ("header-only.csv", "header but no payment rows"),
        ("nope.csv", "no such file"),
    ],
)
def test_unreadable_files_give_one_reason(name: str, reason: str) -> None:
    """A missing, empty or header-only file raises InputFileError with the reason."""
    with pytest.raises(InputFileError, match=reason):
        load(DATA / name)


def test_sample_files_load_the_same_rows() -> None:
    """The CSV and XLSX samples give the same payments, leading zeros and all."""
    samples = Path(__file__).parent.parent / "samples"
    from_csv = validate_file(load(samples / "payments.csv"), DEFAULT_TEMPLATE, today=TODAY)
    from_xlsx = validate_file(load(samples / "payments.xlsx"), DEFAULT_TEMPLATE, today=TODAY)
    assert from_csv.problems == []
    assert from_xlsx.problems == []

    def key(p: object) -> tuple[object, ...]:
        return (p.row, p.invoice, p.amount, p.paid_on, p.mode, p.card, p.cheque, p.reference)  # type: ignore[attr-defined]

    assert [key(p) for p in from_csv.payments] == [key(p) for p in from_xlsx.payments]
    assert any(p.cheque is not None and p.cheque.number.startswith("0") for p in from_csv.payments)
