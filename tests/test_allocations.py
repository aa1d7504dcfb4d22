"""An invoice cell that lists several invoices, read into its parts, as a table of cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from importer.check.allocations import read_allocations
from importer.check.values import DecimalMark

# (kind, number or id, amount or None, as written)
Read = tuple[str, str, Decimal | None, str]
NOT_AN_INVOICE = (
    "This is neither an invoice number (such as 1042 or INV-1042) nor an invoice id (24 "
    "characters, each 0-9 or a-f). Write the invoice number as printed on the invoice."
)
PART_NOT_AN_INVOICE = (
    "is neither an invoice number (such as 1042 or INV-1042) nor an invoice id. Write each "
    "invoice as printed on it, such as 2024:300.00|2025:150.50, or 2026, 2027 to pay each in "
    "full."
)
HEX = "0dcd3315df88718b01a09d13"


def read(text: str, decimal: DecimalMark | None = ".") -> tuple[list[Read] | None, list[str]]:
    """The parts a cell gives, and the problems it has as "code: message"."""
    problems: list[str] = []
    found = read_allocations(
        text, lambda _field, code, message: problems.append(f"{code}: {message}"), decimal=decimal
    )
    parts = (
        None
        if found is None
        else [(a.invoice.kind, a.invoice.text, a.amount, a.written) for a in found]
    )
    return parts, problems


LISTS: list[tuple[str, str, DecimalMark | None, list[Read]]] = [
    (
        "one invoice among words",
        "Inv #1025 deposit",
        ".",
        [("number", "1025", None, "Inv #1025 deposit")],
    ),
    (
        "two invoices in a sentence",
        "Invoices 1021 and 1025",
        ".",
        [("number", "1021", None, "Invoices 1021"), ("number", "1025", None, "1025")],
    ),
    (
        "two invoices among words no list reads",
        "Payment for Inv 1021 / 1022, thanks",
        ".",
        [("number", "1021", None, "1021"), ("number", "1022", None, "1022")],
    ),
    (
        "spanish invoices among words",
        "Pago facturas 1011 y 1012 octubre",
        ".",
        [("number", "1011", None, "1011"), ("number", "1012", None, "1012")],
    ),
    ("one number", "2024", ".", [("number", "2024", None, "2024")]),
    ("one prefixed number", "INV-2024", ".", [("number", "2024", None, "INV-2024")]),
    ("one number with a slash prefix", "INV/2024", ".", [("number", "2024", None, "INV/2024")]),
    ("one id", HEX.upper(), ".", [("id", HEX, None, HEX.upper())]),
    (
        "bars with amounts",
        "2024:300.00|2025:150.50",
        ".",
        [
            ("number", "2024", Decimal("300.00"), "2024"),
            ("number", "2025", Decimal("150.50"), "2025"),
        ],
    ),
    (
        "semicolons and a decimal comma",
        "2024:300,00;2025:1.150,50",
        ",",
        [
            ("number", "2024", Decimal("300.00"), "2024"),
            ("number", "2025", Decimal("1150.50"), "2025"),
        ],
    ),
    (
        "a line break, spaces and an equals sign",
        "INV-2024 = 300\nINV-2025 : 150.5",
        ".",
        [
            ("number", "2024", Decimal("300"), "INV-2024"),
            ("number", "2025", Decimal("150.5"), "INV-2025"),
        ],
    ),
    (
        "commas between parts, a thousands comma inside an amount",
        "2024:1,200.00, 2025:150.50",
        ".",
        [
            ("number", "2024", Decimal("1200.00"), "2024"),
            ("number", "2025", Decimal("150.50"), "2025"),
        ],
    ),
    (
        "an amount with a currency symbol",
        "2024: $300.00 | 2025: $150.50",
        ".",
        [
            ("number", "2024", Decimal("300.00"), "2024"),
            ("number", "2025", Decimal("150.50"), "2025"),
        ],
    ),
    (
        "one invoice with its amount",
        "2024:300.00",
        ".",
        [("number", "2024", Decimal("300.00"), "2024")],
    ),
    (
        "a trailing separator",
        "2024:300.00|2025:150.50|",
        ".",
        [
            ("number", "2024", Decimal("300.00"), "2024"),
            ("number", "2025", Decimal("150.50"), "2025"),
        ],
    ),
    (
        "comma, no amounts",
        "2026, 2027",
        ".",
        [("number", "2026", None, "2026"), ("number", "2027", None, "2027")],
    ),
    (
        "slash, no amounts",
        "2026/2027",
        ".",
        [("number", "2026", None, "2026"), ("number", "2027", None, "2027")],
    ),
    (
        "slashes inside numbers are kept",
        "INV/2026, INV/2027",
        ".",
        [("number", "2026", None, "INV/2026"), ("number", "2027", None, "INV/2027")],
    ),
    (
        "ampersand and plus",
        "INV-2026 & INV-2027 + 2028",
        ".",
        [
            ("number", "2026", None, "INV-2026"),
            ("number", "2027", None, "INV-2027"),
            ("number", "2028", None, "2028"),
        ],
    ),
    (
        "and",
        "2026 and 2027",
        ".",
        [("number", "2026", None, "2026"), ("number", "2027", None, "2027")],
    ),
    ("y", "2026 y 2027", ".", [("number", "2026", None, "2026"), ("number", "2027", None, "2027")]),
    (
        "semicolons, no amounts",
        "2026; 2027;",
        ".",
        [("number", "2026", None, "2026"), ("number", "2027", None, "2027")],
    ),
    (
        "line breaks, no amounts",
        "2026\r\n2027",
        ".",
        [("number", "2026", None, "2026"), ("number", "2027", None, "2027")],
    ),
    (
        "an id and a number",
        f"{HEX}, 2027",
        ".",
        [("id", HEX, None, HEX), ("number", "2027", None, "2027")],
    ),
    (
        "0042 and 42 are two numbers",
        "0042, 42",
        ".",
        [("number", "0042", None, "0042"), ("number", "42", None, "42")],
    ),
]


@pytest.mark.parametrize(
    ("text", "decimal", "expected"), [c[1:] for c in LISTS], ids=[c[0] for c in LISTS]
)
def test_a_cell_lists_its_invoices_in_order(
    text: str, decimal: DecimalMark | None, expected: list[Read]
) -> None:
    """Each way of listing invoices, with and without amounts, reads into the same parts."""
    assert read(text, decimal) == (expected, [])


REFUSED: list[tuple[str, str, list[str]]] = [
    (
        "empty",
        "",
        [
            "invoice.missing: The invoice number or id is empty. Fill in the invoice the payment "
            "is for (such as 1042 or INV-1042), or delete the row."
        ],
    ),
    ("words", "paid in cash", [f"invoice.unrecognised: {NOT_AN_INVOICE}"]),
    ("a path", "inv/../x", [f"invoice.unrecognised: {NOT_AN_INVOICE}"]),
    (
        "a part that is no invoice",
        "abc, 2024",
        [f"parts.not_an_invoice: Part 1 of the cell, 'abc', {PART_NOT_AN_INVOICE}"],
    ),
    (
        "a part without its invoice",
        ":300.00|2025:150.50",
        [f"parts.not_an_invoice: Part 1 of the cell, ':300.00', {PART_NOT_AN_INVOICE}"],
    ),
    (
        "amounts mixed with none",
        "2024:300.00|2025|2026",
        [
            "parts.mixed: Some invoices in this cell have an amount and some do not (2025, 2026). "
            "Give every invoice its amount (such as 2024:300.00|2025:150.50), or none of them to "
            "pay each in full."
        ],
    ),
    (
        "an invoice twice",
        "2024, 2025, 2024",
        [
            "parts.listed_twice: Invoice 2024 is listed twice in this payment (parts 1 and 3). "
            "List each invoice once, with the whole amount it gets."
        ],
    ),
    (
        "an invoice twice, written two ways",
        "INV-2024:100|2024:50",
        [
            "parts.listed_twice: Invoice 2024 is listed twice in this payment (parts 1 and 2). "
            "List each invoice once, with the whole amount it gets."
        ],
    ),
    (
        "an amount that is not one",
        "2024:abc|2025:150.50",
        [
            "parts.not_an_amount: Part 1 of the cell (invoice 2024): 'abc' is not an amount. Write "
            "each invoice's amount in digits, such as 2024:300.00."
        ],
    ),
    (
        "a zero amount",
        "2024:0|2025:150.50",
        [
            "parts.amount_not_positive: Part 1 of the cell (invoice 2024): the amount must be "
            "above zero. Write what this invoice gets from the payment, or leave the invoice out."
        ],
    ),
    (
        "a negative amount",
        "2024:300|2025:(150.50)",
        [
            "parts.amount_not_positive: Part 2 of the cell (invoice 2025): the amount must be "
            "above zero. Write what this invoice gets from the payment, or leave the invoice out."
        ],
    ),
    (
        "an empty amount",
        "2024:|2025:150.50",
        [
            "parts.amount_not_positive: Part 1 of the cell (invoice 2024): the amount must be "
            "above zero. Write what this invoice gets from the payment, or leave the invoice out."
        ],
    ),
    (
        "three decimals",
        "2024:300.005|2025:150.50",
        [
            "parts.too_many_decimals: Part 1 of the cell (invoice 2024): '300.005' has more than 2 "
            "decimals. Correct it to cents."
        ],
    ),
    (
        "more than fifty invoices",
        ", ".join(str(n) for n in range(1000, 1051)),
        [
            "parts.too_many: The cell lists 51 invoices; one payment can cover at most 50. Split "
            "it into several rows that share the cheque number or reference."
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_cell_that_cannot_be_read_says_which_part_and_what_to_write(
    text: str, expected: list[str]
) -> None:
    """Each kind of unreadable cell gives nothing, and exactly its problems, naming the part."""
    assert read(text) == (None, expected)


def test_an_amount_the_decimal_mark_leaves_in_doubt_is_refused_not_guessed() -> None:
    """1,234 in a file whose decimal mark is not settled could be either: the part says so."""
    assert read("2024:1,234|2025:1", None) == (
        None,
        [
            "parts.not_an_amount: Part 1 of the cell (invoice 2024): '1,234' could be read "
            'with "." or "," as the decimal mark; run again with --decimal "." or --decimal ",". '
            "Write each invoice's amount in digits, such as 2024:300.00."
        ],
    )


def test_the_message_for_an_amount_follows_the_decimal_mark() -> None:
    """In a file of 1.234,50 amounts, the example in the message uses a comma too."""
    assert read("2024:abc|2025:150,50", ",") == (
        None,
        [
            "parts.not_an_amount: Part 1 of the cell (invoice 2024): 'abc' is not an amount. "
            "Write each invoice's amount in digits, such as 2024:300,00."
        ],
    )
