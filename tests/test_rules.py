"""Row rules as tables: each input row and the exact (row, column, code) problems it yields."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.check.templates import Method, Template, normalise
from importer.check.validation import Validation
from importer.errors import MappingError
from importer.read.layout import PaymentsFile, SourceRow

TODAY = date(2026, 11, 24)
HEADER = (
    "Invoice",
    "Amount",
    "Payment Date",
    "Method",
    "Cheque No.",
    "Card Brand",
    "Last 4",
    "Reference",
    "Notes",
    "Currency",
    "Allow duplicate",
)
GOOD = {"Invoice": "INV-1001", "Amount": "10.00", "Payment Date": "2026-10-03", "Method": "Cash"}

Triple = tuple[int, str, str]
Problem = tuple[int, str, str, str]
# The messages more than one rule below expects, each telling what to do next.
AMOUNT_MISSING = (
    "The amount is empty. Fill in the amount paid, or delete the row if nothing was paid."
)
NOT_POSITIVE = (
    "The amount must be above zero; refunds cannot be recorded as payments. Correct the amount, "
    "or delete the row."
)
METHOD_MISSING = (
    "The payment method is empty. Fill in how it was paid: cash, card, cheque, bank transfer or "
    "other."
)
BRAND_MISSING = (
    "A card payment needs the card brand. Fill in the brand, such as Visa or Mastercard (or "
    "write it as the method)."
)
DATE_MISSING = (
    "The payment date is empty. Fill in the date the payment was received, as YYYY-MM-DD."
)
INVOICE_MISSING = (
    "The invoice number or id is empty. Fill in the invoice the payment is for (such as 1042 or "
    "INV-1042), or delete the row."
)
NOT_AN_INVOICE = (
    "This is neither an invoice number (such as 1042 or INV-1042) nor an invoice id (24 "
    "characters, each 0-9 or a-f). Write the invoice number as printed on the invoice."
)


def not_an_amount(text: str) -> str:
    """The message for a cell that is not an amount."""
    return f"{text!r} is not an amount. Write the amount paid in digits, such as 1250.00."


def not_last4(written: str) -> str:
    """The message for a card's last 4 digits that are not 4 digits."""
    return (
        f"A card payment needs exactly the last 4 digits of the card{written}. Fill in the 4 "
        "digits at the end of the card number."
    )


def not_a_currency(text: str) -> str:
    """The message for a currency cell that is not a currency code."""
    return f"{text!r} is not a currency code: use the 3-letter code such as USD, EUR or MXN."


def row(**cells: str) -> tuple[str, ...]:
    """A good cash row with some cells changed (Cheque_No stands for the header "Cheque No.")."""
    given = {normalise(name): value for name, value in cells.items()}
    return tuple(given.get(normalise(name), GOOD.get(name, "")) for name in HEADER)


def check(
    *rows: tuple[str, ...],
    template: Template = DEFAULT_TEMPLATE,
    header: tuple[str, ...] = HEADER,
    allow_duplicates: bool = False,
) -> Validation:
    """Validate rows given in memory, numbered from 2 as a spreadsheet shows them."""
    payments_file = PaymentsFile(
        Path("rules.csv"),
        "csv",
        "rules.csv",
        header,
        [SourceRow("rules.csv", number, cells) for number, cells in enumerate(rows, start=2)],
    )
    # One row alone cannot settle a column's decimal mark (10.005 could be ten thousand and
    # five); inference is tested in test_values.py, the row rules here.
    return validate_file(
        payments_file, template, today=TODAY, allow_duplicates=allow_duplicates, decimal="."
    )


def triples(validation: Validation) -> list[Triple]:
    """The problems as (row, column, code)."""
    return [(p.row, p.column, p.code) for p in validation.problems]


RULES: list[tuple[str, tuple[str, ...], list[Problem]]] = [
    ("a good row", row(), []),
    ("amount missing", row(Amount=""), [(2, "Amount", "amount.missing", AMOUNT_MISSING)]),
    (
        "amount words",
        row(Amount="twelve"),
        [(2, "Amount", "amount.not_a_number", not_an_amount("twelve"))],
    ),
    (
        "amount not finite",
        row(Amount="Infinity"),
        [(2, "Amount", "amount.not_a_number", not_an_amount("Infinity"))],
    ),
    ("amount NaN", row(Amount="NaN"), [(2, "Amount", "amount.not_a_number", not_an_amount("NaN"))]),
    ("amount zero", row(Amount="0.00"), [(2, "Amount", "amount.not_positive", NOT_POSITIVE)]),
    ("amount negative", row(Amount="-5.00"), [(2, "Amount", "amount.not_positive", NOT_POSITIVE)]),
    (
        "amount in brackets",
        row(Amount="(5.00)"),
        [(2, "Amount", "amount.not_positive", NOT_POSITIVE)],
    ),
    (
        "three decimals",
        row(Amount="10.005"),
        [
            (
                2,
                "Amount",
                "amount.too_many_decimals",
                "'10.005' has more than 2 decimals. Correct it to cents (at most 2 decimals).",
            )
        ],
    ),
    ("float noise is not a decimal", row(Amount="12.4999999999"), []),
    (
        "cents in a zero-decimal currency",
        row(Amount="1000.50", Currency="JPY"),
        [
            (
                2,
                "Amount",
                "amount.too_many_decimals",
                "JPY amounts have no decimals, and '1000.50' has some. Correct it to a whole "
                "number of JPY.",
            )
        ],
    ),
    ("whole yen", row(Amount="1000", Currency="JPY"), []),
    ("method missing", row(Method=""), [(2, "Method", "method.missing", METHOD_MISSING)]),
    (
        "method unknown",
        row(Method="Barter"),
        [
            (
                2,
                "Method",
                "method.unknown",
                "'Barter' is not a payment method the template knows. Use cash, card, cheque, "
                "bank transfer or other (or a card brand such as Visa).",
            )
        ],
    ),
    ("Spanish method", row(Method="TRANSFERENCIA"), []),
    (
        "cheque without number",
        row(Method="Cheque"),
        [
            (
                2,
                "Cheque No.",
                "cheque.number_missing",
                "A cheque needs its number. Fill in the number printed on the cheque.",
            )
        ],
    ),
    ("cheque with number", row(Method="Check", Cheque_No="000123"), []),
    (
        "card without brand",
        row(Method="Card", Last_4="1234"),
        [(2, "Card Brand", "card.brand_missing", BRAND_MISSING)],
    ),
    ("card word gives brand", row(Method="Visa", Last_4="1234"), []),
    (
        "3 digits",
        row(Method="Visa", Last_4="123"),
        [(2, "Last 4", "card.last4_invalid", not_last4(", not '123'"))],
    ),
    (
        "5 digits",
        row(Method="Visa", Last_4="12345"),
        [(2, "Last 4", "card.last4_invalid", not_last4(", not '12345'"))],
    ),
    (
        "letters",
        row(Method="Visa", Last_4="abcd"),
        [(2, "Last 4", "card.last4_invalid", not_last4(", not 'abcd'"))],
    ),
    ("masked card number", row(Method="Tarjeta", Card_Brand="Visa", Last_4="**** 4242"), []),
    (
        "card with nothing",
        row(Method="Card"),
        [
            (2, "Card Brand", "card.brand_missing", BRAND_MISSING),
            (2, "Last 4", "card.last4_invalid", not_last4("")),
        ],
    ),
    ("date missing", row(Payment_Date=""), [(2, "Payment Date", "date.missing", DATE_MISSING)]),
    (
        "date unreadable",
        row(Payment_Date="3rd Oct"),
        [
            (
                2,
                "Payment Date",
                "date.unreadable",
                "'3rd Oct' is not a date this importer reads. Write it as YYYY-MM-DD.",
            )
        ],
    ),
    (
        "date in future",
        row(Payment_Date="2026-11-25"),
        [
            (
                2,
                "Payment Date",
                "date.in_future",
                "2026-11-25 is in the future. Check the date: a payment cannot be dated after "
                "today (2026-11-24).",
            )
        ],
    ),
    ("date today", row(Payment_Date="2026-11-24"), []),
    ("date 400 days ago", row(Payment_Date="2025-10-20"), []),
    (
        "date 401 days ago",
        row(Payment_Date="2025-10-19"),
        [
            (
                2,
                "Payment Date",
                "date.too_old",
                "2025-10-19 is more than 400 days ago; check the year.",
            )
        ],
    ),
    ("invoice missing", row(Invoice=""), [(2, "Invoice", "invoice.missing", INVOICE_MISSING)]),
    ("invoice number", row(Invoice="1042"), []),
    ("invoice number with hash", row(Invoice="#1042"), []),
    ("invoice number in Spanish", row(Invoice="Nº 1042"), []),
    ("invoice number with a degree sign", row(Invoice="N° 1042"), []),
    ("invoice number with an ª", row(Invoice="Nª 1042"), []),
    ("invoice id", row(Invoice="0dcd3315df88718b01a09d13"), []),
    (
        "path in invoice",
        row(Invoice="inv/../x"),
        [(2, "Invoice", "invoice.unrecognised", NOT_AN_INVOICE)],
    ),
    (
        "24 characters but not an id",
        row(Invoice="0dcd3315df88718b01a09d1z"),
        [(2, "Invoice", "invoice.unrecognised", NOT_AN_INVOICE)],
    ),
    (
        "escaped path",
        row(Invoice="%2e%2e%2f1"),
        [(2, "Invoice", "invoice.unrecognised", NOT_AN_INVOICE)],
    ),
    (
        "notes too long",
        row(Notes="x" * 480),
        [
            (
                2,
                "Notes",
                "notes.too_long",
                "The notes are longer than 500 characters; shorten them.",
            )
        ],
    ),
    ("currency in lower case", row(Currency="usd"), []),
    (
        "currency sign",
        row(Currency="US$"),
        [(2, "Currency", "currency.invalid", not_a_currency("US$"))],
    ),
    (
        "currency made up",
        row(Currency="ABC"),
        [(2, "Currency", "currency.invalid", not_a_currency("ABC"))],
    ),
    (
        "gold is not money",
        row(Currency="XAU"),
        [(2, "Currency", "currency.invalid", not_a_currency("XAU"))],
    ),
    (
        "allow duplicate unreadable",
        row(Allow_duplicate="maybe"),
        [
            (
                2,
                "Allow duplicate",
                "allow_duplicate.unreadable",
                "'maybe' is neither yes nor no: write yes when this payment really is made "
                "twice, or leave the cell empty.",
            )
        ],
    ),
    (
        "amount rounds to nothing",
        row(Amount="0.000001"),
        [(2, "Amount", "amount.greater_than", "Input should be greater than 0")],
    ),
    (
        "notes that are not text",
        row(Notes="Paid \ud800"),
        [
            (
                2,
                "Notes",
                "notes.string_unicode",
                "Input should be a valid string, unable to parse raw data as a unicode string",
            )
        ],
    ),
    (
        "every problem of a row at once",
        row(Invoice="", Amount="x", Payment_Date="", Method=""),
        [
            (2, "Invoice", "invoice.missing", INVOICE_MISSING),
            (2, "Amount", "amount.not_a_number", not_an_amount("x")),
            (2, "Payment Date", "date.missing", DATE_MISSING),
            (2, "Method", "method.missing", METHOD_MISSING),
        ],
    ),
]


@pytest.mark.parametrize(("cells", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_row_rule(cells: tuple[str, ...], expected: list[Problem]) -> None:
    """Each rule yields exactly its (row, column, code) and message; a good row, a payment."""
    validation = check(cells)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == expected
    assert [p.row for p in validation.payments] == ([] if expected else [2])


DUPLICATES: list[tuple[str, list[tuple[str, ...]], list[Triple]]] = [
    ("same row twice", [row(), row()], [(3, "", "row.duplicate")]),
    (
        "same invoice written two ways",
        [row(Invoice="INV-1001"), row(Invoice="1001")],
        [(3, "", "row.duplicate")],
    ),
    ("three times", [row(), row(), row()], [(3, "", "row.duplicate"), (4, "", "row.duplicate")]),
    ("other amount", [row(), row(Amount="10.01")], []),
    ("other date", [row(), row(Payment_Date="2026-10-04")], []),
    ("other method", [row(), row(Method="Bank transfer")], []),
    ("other reference", [row(Reference="A"), row(Reference="B")], []),
    (
        "other cheque",
        [row(Method="Cheque", Cheque_No="1"), row(Method="Cheque", Cheque_No="2")],
        [],
    ),
    (
        "same card",
        [row(Method="Visa", Last_4="4242"), row(Method="VISA", Last_4="4242")],
        [(3, "", "row.duplicate")],
    ),
    ("other card", [row(Method="Visa", Last_4="4242"), row(Method="Visa", Last_4="1881")], []),
    ("allowed by its cell", [row(), row(Allow_duplicate="yes")], []),
    ("allowed in Spanish", [row(), row(Allow_duplicate="Sí")], []),
    ("a no is not an allowance", [row(), row(Allow_duplicate="no")], [(3, "", "row.duplicate")]),
    (
        "a copy of an invalid row",
        [row(Currency="ZZZ"), row(Currency="USD")],
        [(2, "Currency", "currency.invalid"), (3, "", "row.duplicate")],
    ),
    (
        "an invalid copy of a row",
        [row(), row(Notes="x" * 480)],
        [(3, "Notes", "notes.too_long"), (3, "", "row.duplicate")],
    ),
    (
        "a copy of a row whose amount cannot be read",
        [row(Amount="ten"), row()],
        [(2, "Amount", "amount.not_a_number")],
    ),
    (
        "a copy of an invalid row allowed by its cell",
        [row(Currency="ZZZ"), row(Allow_duplicate="yes")],
        [(2, "Currency", "currency.invalid")],
    ),
]


@pytest.mark.parametrize(
    ("rows", "expected"), [d[1:] for d in DUPLICATES], ids=[d[0] for d in DUPLICATES]
)
def test_duplicate_rule(rows: list[tuple[str, ...]], expected: list[Triple]) -> None:
    """A row repeating an earlier one is invalid; the first occurrence goes ahead."""
    validation = check(*rows)
    assert triples(validation) == expected
    flagged = {number for number, _column, _code in expected}
    assert [p.row for p in validation.payments] == [
        n for n in range(2, len(rows) + 2) if n not in flagged
    ]


def test_duplicate_message_names_the_first_row_and_what_to_do() -> None:
    """The duplicate's message names the earlier row and both ways forward."""
    (problem,) = check(row(), row(Notes="again")).problems
    assert problem.message == (
        "Possible duplicate of row 2: same invoice, amount, date, method and reference. If both "
        "payments are real, put yes in an allow_duplicate column or run again with "
        "--allow-duplicates; otherwise delete this row."
    )


def test_allow_duplicates_lets_every_repeat_through() -> None:
    """With allow_duplicates, identical rows are all payments."""
    validation = check(row(), row(), row(), allow_duplicates=True)
    assert triples(validation) == []
    assert [p.row for p in validation.payments] == [2, 3, 4]


def test_duplicates_sit_in_file_order_among_other_problems() -> None:
    """The report stays in row order when a duplicate follows an invalid row."""
    validation = check(row(), row(Amount="x"), row(), row(Method=""))
    assert triples(validation) == [
        (3, "Amount", "amount.not_a_number"),
        (4, "", "row.duplicate"),
        (5, "Method", "method.missing"),
    ]


def test_a_method_word_for_no_mode_the_api_knows_is_refused_by_the_payment_rules() -> None:
    """A template made in Python may give a word a mode the API lacks: the row says which."""
    template = Template(name="mine", methods={"barter": Method("barter")})  # type: ignore[arg-type]
    validation = check(row(Method="Barter"), template=template)
    assert [(p.row, p.column, p.code, p.value, p.message) for p in validation.problems] == [
        (
            2,
            "Method",
            "method.literal_error",
            "Barter",
            "Input should be 'cash', 'card', 'cheque', 'bank_transfer' or 'other'",
        )
    ]
    assert validation.payments == []


def test_max_age_comes_from_the_template() -> None:
    """cheque-deposit refuses cheques older than its 180 days; default allows 400."""
    header = ("Invoice", "Amount", "Date Received", "Cheque No.")
    old = ("1001", "10.00", "2026-05-01", "1")
    deposit = check(old, template=load_template("cheque-deposit"), header=header)
    assert triples(deposit) == [(2, "Date Received", "date.too_old")]
    assert triples(check(row(Payment_Date="2026-05-01"))) == []


def test_constant_fills_an_empty_cell_and_a_missing_column() -> None:
    """A template constant gives the method to rows that have none."""
    header = ("Invoice", "Amount", "Date Received", "Cheque No.")
    validation = check(
        ("1001", "10.00", "2026-10-03", "000123"),
        template=load_template("cheque-deposit"),
        header=header,
    )
    (payment,) = validation.payments
    assert payment.mode == "cheque"
    assert payment.cheque is not None
    assert payment.cheque.number == "000123"


def test_a_row_with_no_payment_cells_is_neither_a_payment_nor_a_problem() -> None:
    """An invoice with every payment cell empty is a row with no payment; one cell makes it one."""
    empty = row(Amount="", Payment_Date="", Method="")
    noted = row(Amount="", Payment_Date="", Method="", Notes="paid?")
    validation = check(empty, noted, row())
    assert validation.empty_rows == frozenset({2})
    assert triples(validation) == [
        (3, "Amount", "amount.missing"),
        (3, "Payment Date", "date.missing"),
        (3, "Method", "method.missing"),
    ]
    assert [p.row for p in validation.payments] == [4]


NO_COLUMN: list[tuple[str, tuple[str, ...], list[tuple[str, ...]], str]] = [
    (
        "cheques without a cheque number column",
        ("Invoice", "Amount", "Payment Date", "Method", "Chq No"),
        [("1001", "10.00", "2026-10-03", "Cheque", "1"), ("1002", "10.00", "2026-10-03", "Cash")]
        + [("1003", f"{n}.00", "2026-10-03", "Check", "2") for n in range(1, 7)],
        "No column gives the cheque number, and the cheque rows need it (rows 2, 4, 5, 6, 7 "
        "and 2 more). Expected a header such as 'Cheque No.', 'Cheque Number', 'Check Number', "
        "'Check No.'. The closest header is 'Chq No': rename it to 'Cheque No.'. Nothing was "
        "sent.",
    ),
    (
        "cards without a brand column",
        ("Invoice", "Amount", "Payment Date", "Method", "Last 4"),
        [("1001", "10.00", "2026-10-03", "Card", "4242"), ("1002", "10.00", "2026-10-03", "Visa")],
        "No column gives the card brand, and the card rows whose method names no brand (such "
        "as Visa) need it (row 2). Expected a header such as 'Card Type', 'Card Brand', "
        "'Brand', 'Tarjeta tipo': add a column named 'Card Type'. Nothing was sent.",
    ),
]


def test_card_payments_in_a_file_with_no_card_digits_are_recorded_as_other() -> None:
    """HighLevel records a card with its last 4 digits; a file with none anywhere has its card
    rows recorded as method other, the card named in the notes, and says so once."""
    validation = check(
        ("1001", "10.00", "2026-10-03", "Card"),
        ("1002", "12.00", "2026-10-03", "Visa"),
        ("1003", "14.00", "2026-10-03", "Cash"),
        header=("Invoice", "Amount", "Payment Date", "Method"),
    )
    assert validation.problems == []
    assert [(p.mode, p.card, p.notes) for p in validation.payments] == [
        ("other", None, "Card payment, no card number in the file (row 2 of rules.csv)"),
        ("other", None, "Visa card payment, no card number in the file (row 3 of rules.csv)"),
        ("cash", None, "Cash payment (row 4 of rules.csv)"),
    ]
    assert validation.column_notes == (
        "Rows 2 and 3 are card payments, and the file gives no card's last 4 digits, which "
        "HighLevel needs to record a card payment: recorded as method other, the card named "
        "in the notes.",
    )


@pytest.mark.parametrize(
    ("header", "rows", "message"), [n[1:] for n in NO_COLUMN], ids=[n[0] for n in NO_COLUMN]
)
def test_rows_that_need_a_column_the_file_lacks_stop_it_with_one_message(
    header: tuple[str, ...], rows: list[tuple[str, ...]], message: str
) -> None:
    """Cheque or card rows in a file with no column for their number refuse the file once."""
    with pytest.raises(MappingError) as caught:
        check(*rows, header=header)
    assert str(caught.value) == message
