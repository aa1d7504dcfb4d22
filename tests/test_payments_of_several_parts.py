"""One payment for several invoices, read from the file alone: its parts, the payment it is
part of, its notes, and what is wrong with it, in each of the three layouts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.check.payments import Place, Remittance
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.check.templates import Template, normalise
from importer.check.validation import Validation
from importer.read.layout import PaymentsFile, SourceRow
from tests.test_rules import HEADER as RULES_HEADER

TODAY = date(2026, 11, 24)
# The row rules' columns, the cheque total in place of allow duplicate.
HEADER = (*RULES_HEADER[:-1], "Cheque Total")
CHEQUE = {
    "Amount": "450.50",
    "Payment Date": "2026-11-02",
    "Method": "Cheque",
    "Cheque No.": "000777",
}

# (place, invoice number, amount, notes)
Part = tuple[Place, str, Decimal, str]


def row(**cells: str) -> tuple[str, ...]:
    """A cheque row with these cells (Cheque_No stands for "Cheque No.")."""
    given = {normalise(name): value for name, value in cells.items()}
    return tuple(given.get(normalise(name), CHEQUE.get(name, "")) for name in HEADER)


def check(
    *rows: tuple[str, ...],
    template: Template = DEFAULT_TEMPLATE,
    header: tuple[str, ...] = HEADER,
    decimal: str = ".",
) -> Validation:
    """The rows validated, numbered from 2 as a spreadsheet shows them."""
    payments_file = PaymentsFile(
        Path("deposit.csv"),
        "csv",
        "deposit.csv",
        header,
        [SourceRow("deposit.csv", number, cells) for number, cells in enumerate(rows, start=2)],
    )
    return validate_file(payments_file, template, today=TODAY, decimal=decimal)


def parts(validation: Validation) -> list[Part]:
    return [(p.place, p.invoice.text, p.amount, p.notes) for p in validation.payments]


def problems(validation: Validation) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.code, p.message) for p in validation.problems]


def test_one_cell_with_amounts_gives_one_part_per_invoice() -> None:
    """2024:300.00|2025:150.50 on a cheque of 450.50: two parts, each with its amount and the
    notes that say what it is part of; one payment of two parts."""
    validation = check(row(Invoice="2024:300.00|2025:150.50"))
    assert problems(validation) == []
    assert parts(validation) == [
        (Place(2, 1), "2024", Decimal("300.00"),
         "Cheque 000777, 1 of 2 invoices: 2024, 2025 (row 2 of deposit.csv)"),
        (Place(2, 2), "2025", Decimal("150.50"),
         "Cheque 000777, 2 of 2 invoices: 2024, 2025 (row 2 of deposit.csv)"),
    ]  # fmt: skip
    assert [(p.part, p.row_parts, p.cheque) for p in validation.payments] == [
        (1, 2, validation.payments[0].cheque),
        (2, 2, validation.payments[0].cheque),
    ]
    assert validation.remittances == (
        Remittance(
            "Cheque 000777", (2,), (Place(2, 1), Place(2, 2)), ("2024", "2025"), Decimal("450.50")
        ),
    )
    assert validation.continuing_rows == 0


def test_repeated_rows_that_share_a_cheque_are_one_payment() -> None:
    """Two rows of cheque 000777 and one of another cheque: the first two are one payment of
    two parts, noted so; the third is a payment alone, its notes as before."""
    validation = check(
        row(Invoice="INV-2024", Amount="300.00", Cheque_Total="450.50"),
        row(Invoice="INV-2025", Amount="150.50", Cheque_Total="450.50"),
        row(Invoice="2026", Amount="80.00", Cheque_No="000778"),
    )
    assert problems(validation) == []
    assert parts(validation) == [
        (Place(2, 1), "2024", Decimal("300.00"),
         "Cheque 000777, 1 of 2 invoices: INV-2024, INV-2025 (row 2 of deposit.csv)"),
        (Place(3, 1), "2025", Decimal("150.50"),
         "Cheque 000777, 2 of 2 invoices: INV-2024, INV-2025 (row 3 of deposit.csv)"),
        (Place(4, 1), "2026", Decimal("80.00"), "Cheque 000778 (row 4 of deposit.csv)"),
    ]  # fmt: skip
    assert validation.remittances == (
        Remittance(
            "Cheque 000777",
            (2, 3),
            (Place(2, 1), Place(3, 1)),
            ("INV-2024", "INV-2025"),
            Decimal("450.50"),
        ),
    )
    assert validation.continuing_rows == 1
    assert validation.remittances[0].named() == "cheque 000777 (rows 2-3)"


def test_a_cheque_number_is_one_cheque_whatever_its_leading_zeros() -> None:
    """000777 and 777 on one day are one cheque (as a workbook may lose the zeros)."""
    validation = check(
        row(Invoice="2024", Amount="300.00"), row(Invoice="2025", Amount="150.50", Cheque_No="777")
    )
    assert [r.rows for r in validation.remittances] == [(2, 3)]


def test_rows_of_one_payment_need_not_be_next_to_each_other() -> None:
    """A cheque's rows apart in the file are still one payment; its notes list its invoices."""
    validation = check(
        row(Invoice="2024", Amount="300.00"),
        row(Invoice="2026", Amount="80.00", Cheque_No="000778"),
        row(Invoice="2025", Amount="150.50"),
    )
    assert [(r.rows, r.invoices) for r in validation.remittances] == [((2, 4), ("2024", "2025"))]
    assert validation.remittances[0].named() == "cheque 000777 (rows 2, 4)"


def test_what_makes_rows_one_payment_and_what_keeps_them_apart() -> None:
    """Cheques by number and day; cards by brand, last 4, reference and day; transfers by
    reference and day. Cash, a transfer without a reference, another day, another currency or
    another cheque number are payments apart."""
    cash = {"Method": "Cash", "Cheque_No": ""}
    card = {"Method": "Visa", "Cheque_No": "", "Last_4": "4242"}
    transfer = {"Method": "Bank transfer", "Cheque_No": ""}
    validation = check(
        row(Invoice="1", Amount="1"),
        row(Invoice="2", Amount="2"),  # cheque 000777 again: with row 2
        row(Invoice="3", Amount="3", Payment_Date="2026-11-03"),  # another day
        row(Invoice="4", Amount="4", Currency="EUR"),  # another currency
        row(Invoice="5", Amount="5", Cheque_No="000778"),
        row(Invoice="6", Amount="6", **cash),
        row(Invoice="7", Amount="7", **cash),
        row(Invoice="8", Amount="8", **card),
        row(Invoice="9", Amount="9", **card),  # same card, day, no reference: with row 9
        row(Invoice="10", Amount="10", **card, Reference="A1B2"),  # another sale
        row(Invoice="11", Amount="11", **transfer, Reference="TRF-1"),
        row(Invoice="12", Amount="12", **transfer, Reference="trf-1 "),  # with row 12
        row(Invoice="13", Amount="13", **transfer),
        row(Invoice="14", Amount="14", **transfer),
    )
    assert problems(validation) == []
    assert [r.rows for r in validation.remittances] == [(2, 3), (9, 10), (12, 13)]
    assert validation.continuing_rows == 3


def test_one_card_paying_one_invoice_twice_on_a_day_is_two_payments() -> None:
    """Two sales on one card for one invoice are two payments, not an invoice listed twice
    (the card-terminal sample has them); a third invoice on that card joins the second."""
    card = {"Method": "Visa", "Cheque_No": "", "Last_4": "1881"}
    validation = check(
        row(Invoice="1013", Amount="100.00", **card),
        row(Invoice="1013", Amount="150.00", **card),
        row(Invoice="1014", Amount="50.00", **card),
    )
    assert problems(validation) == []
    assert [r.rows for r in validation.remittances] == [(3, 4)]


def test_the_payer_keeps_two_cheques_with_one_number_apart() -> None:
    """In a deposit slip that names each cheque's drawer, two drawers' cheques numbered alike
    are two payments; the same drawer's rows are one."""
    header = ("Deposit Date", "Cheque No.", "Drawer", "Invoice No.", "Amount")
    validation = check(
        ("2026-11-02", "1001", "Acme Dental", "INV-1001", "100.00"),
        ("2026-11-02", "1001", "Blue Harbor", "INV-1002", "200.00"),
        ("2026-11-02", "1001", "ACME dental", "INV-1003", "300.00"),
        template=load_template("cheque-deposit"),
        header=header,
    )
    assert problems(validation) == []
    assert [r.rows for r in validation.remittances] == [(2, 4)]
    assert [p.notes for p in validation.payments] == [
        "Cheque 1001, 1 of 2 invoices: INV-1001, INV-1003. Cheque 1001 from Acme Dental, "
        "deposit 2026-11-02 (row 2 of deposit.csv)",
        "Cheque 1001 from Blue Harbor, deposit 2026-11-02 (row 3 of deposit.csv)",
        "Cheque 1001, 2 of 2 invoices: INV-1001, INV-1003. Cheque 1001 from ACME dental, "
        "deposit 2026-11-02 (row 4 of deposit.csv)",
    ]


def test_both_layouts_in_one_payment() -> None:
    """A row listing two invoices and another row of the same cheque: one payment of three
    parts, numbered across its rows."""
    validation = check(
        row(Invoice="2024:100.00|2025:200.00", Amount="300.00"),
        row(Invoice="2026", Amount="150.50"),
    )
    assert problems(validation) == []
    assert [(p.place, p.notes) for p in validation.payments] == [
        (Place(2, 1), "Cheque 000777, 1 of 3 invoices: 2024, 2025, 2026 (row 2 of deposit.csv)"),
        (Place(2, 2), "Cheque 000777, 2 of 3 invoices: 2024, 2025, 2026 (row 2 of deposit.csv)"),
        (Place(3, 1), "Cheque 000777, 3 of 3 invoices: 2024, 2025, 2026 (row 3 of deposit.csv)"),
    ]
    assert validation.continuing_rows == 1


def test_the_row_notes_follow_what_the_part_is_part_of() -> None:
    """A row's own notes come after the note of the payment; more than ten invoices are
    counted rather than all named."""
    many = "|".join(f"{2000 + n}:1.00" for n in range(12))
    validation = check(
        row(Invoice="2024:300.00|2025:150.50", Notes="Acme Dental, October"),
        row(Invoice=many, Amount="12.00", Cheque_No="9"),
    )
    assert [p.notes for p in validation.payments[:1]] == [
        "Cheque 000777, 1 of 2 invoices: 2024, 2025. Acme Dental, October (row 2 of deposit.csv)"
    ]
    assert validation.payments[-1].notes == (
        "Cheque 9, 12 of 12 invoices: 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, "
        "2009 and 2 more (row 3 of deposit.csv)"
    )


def test_invoices_listed_without_amounts_wait_for_their_balances() -> None:
    """2026, 2027 gives no parts yet: the row is kept, each invoice's notes ready, until the
    invoices' balances make the parts."""
    validation = check(row(Invoice="2026, 2027", Amount="700.00"))
    assert problems(validation) == []
    assert validation.payments == []
    (in_full,) = validation.in_full
    assert [a.written for a in in_full.invoices] == ["2026", "2027"]
    assert in_full.notes == (
        "Cheque 000777, 1 of 2 invoices: 2026, 2027 (row 2 of deposit.csv)",
        "Cheque 000777, 2 of 2 invoices: 2026, 2027 (row 2 of deposit.csv)",
    )
    second = in_full.part(2, Decimal("300.00"))
    assert (second.place, second.invoice.text, second.amount, second.notes) == (
        Place(2, 2),
        "2027",
        Decimal("300.00"),
        in_full.notes[1],
    )


AMOUNTS_DIFFER = (
    "The invoices' amounts add up to 450.50 (2024: 300.00 + 2025: 150.50), but the amount is "
    "460.50. Correct them so that the invoices' amounts add up to what was paid."
)


def test_parts_that_do_not_add_up_to_the_amount_are_refused() -> None:
    """The invoices' amounts must add up to the row's: the row is invalid, and says by how."""
    validation = check(row(Invoice="2024:300.00|2025:150.50", Amount="460.50"))
    assert problems(validation) == [(2, "Amount", "parts.do_not_add_up", AMOUNTS_DIFFER)]
    assert (validation.payments, validation.remittances[0].rows) == ([], (2,))


def test_parts_in_a_decimal_comma_file_are_told_with_a_comma() -> None:
    """The sum in the message is written as the file writes amounts."""
    validation = check(
        row(Invoice="2024:300,00|2025:150,50", Amount="460,50", Cheque_Total=""), decimal=","
    )
    assert [p.message for p in validation.problems] == [
        "The invoices' amounts add up to 450,50 (2024: 300,00 + 2025: 150,50), but the amount "
        "is 460,50. Correct them so that the invoices' amounts add up to what was paid."
    ]


def test_a_payment_total_that_differs_refuses_every_row_of_the_payment() -> None:
    """The Cheque Total says 500.00 and the cheque's rows add up to 450.50: both rows are
    invalid (nothing tells which amount is wrong); another cheque is untouched."""
    message = (
        "The payment total is 500.00, but the 2 rows of cheque 000777 (rows 2-3) add up to "
        "450.50 (row 2: 300.00, row 3: 150.50). Correct the amounts or the total: nothing of "
        "this payment is sent until they agree."
    )
    validation = check(
        row(Invoice="2024", Amount="300.00", Cheque_Total="500.00"),
        row(Invoice="2025", Amount="150.50"),
        row(Invoice="2026", Amount="80.00", Cheque_No="000778", Cheque_Total="80.00"),
    )
    assert problems(validation) == [
        (2, "Cheque Total", "payment_total.differs", message),
        (3, "Cheque Total", "payment_total.differs", message),
    ]
    assert [p.row for p in validation.payments] == [4]


def test_a_payment_total_on_one_row_is_its_amount() -> None:
    """On a row that pays several invoices in one cell, the total is the row's amount."""
    validation = check(row(Invoice="2024:300.00|2025:150.50", Cheque_Total="450.00"))
    assert problems(validation) == [
        (
            2,
            "Cheque Total",
            "payment_total.differs",
            "The payment total is 450.00, but the amount is 450.50. Correct the amounts or the "
            "total: nothing of this payment is sent until they agree.",
        )
    ]


def test_a_payment_total_that_is_not_an_amount_is_refused() -> None:
    """A total cell in words is refused, with an example in the file's decimal mark."""
    validation = check(row(Invoice="2024", Amount="450.50", Cheque_Total="four fifty"))
    assert problems(validation) == [
        (
            2,
            "Cheque Total",
            "payment_total.not_a_number",
            "'four fifty' is not an amount. Write what the payer paid in all, such as 450.50, or "
            "leave the cell empty.",
        )
    ]


def test_an_invoice_on_two_rows_of_one_cheque_is_refused() -> None:
    """One cheque cannot pay one invoice on two rows: the later row says so and names the
    earlier; the row with the same amount again is a possible duplicate instead."""
    validation = check(
        row(Invoice="INV-2024", Amount="300.00"),
        row(Invoice="2025", Amount="150.50"),
        row(Invoice="2024", Amount="20.00"),
        row(Invoice="2025", Amount="150.50"),
    )
    assert [(p.row, p.code) for p in validation.problems] == [
        (4, "parts.listed_twice"),
        (5, "row.duplicate"),
    ]
    assert validation.problems[0].message == (
        "Invoice 2024 is also in row 2, which is part of the same payment (cheque 000777 (rows "
        "2-5)): a payment lists each invoice once. Put the invoice's whole amount on one row; "
        "if these are two payments, give each its own cheque number or reference."
    )


def test_a_part_that_repeats_an_earlier_row_is_a_possible_duplicate() -> None:
    """A part of a listed cell repeats a row above it (same invoice, amount, day, cheque): the
    listing row is held as a possible duplicate, as any repeated row is."""
    validation = check(
        row(Invoice="2024", Amount="300.00"),
        row(Invoice="2024:300.00|2025:150.50"),
    )
    assert [(p.row, p.code) for p in validation.problems] == [(3, "row.duplicate")]


def test_a_cent_in_a_part_of_a_currency_without_cents_is_refused() -> None:
    """In JPY, cents in the row's amount and in a part's are each refused."""
    validation = check(
        row(Invoice="2024:300.50|2025:150", Amount="450.50", Currency="JPY"),
    )
    assert [(p.code, p.message) for p in validation.problems] == [
        (
            "amount.too_many_decimals",
            "JPY amounts have no decimals, and '450.50' has some. Correct it to a whole number "
            "of JPY.",
        ),
        (
            "amount.too_many_decimals",
            "JPY amounts have no decimals, and '2024:300.50' has some. Correct it to a whole "
            "number of JPY.",
        ),
    ]


def test_notes_too_long_with_the_part_note_are_refused() -> None:
    """Notes that fit alone but not with what the part is part of: the row says to shorten."""
    validation = check(row(Invoice="2024:300.00|2025:150.50", Notes="x" * 460))
    assert problems(validation) == [
        (
            2,
            "",
            "notes.too_long",
            "With what this part of a payment for several invoices is part of, its notes are "
            "longer than 500 characters; shorten the notes.",
        )
    ]


def test_an_invalid_row_stays_in_its_payment() -> None:
    """A row of a cheque with a problem elsewhere is still one of its rows: the payment knows
    it, so that its other rows are held back with it."""
    validation = check(
        row(Invoice="2024", Amount="300.00"),
        row(Invoice="2025", Amount="abc"),
    )
    assert [p.row for p in validation.payments] == [2]
    assert [r.rows for r in validation.remittances] == [(2, 3)]
    assert validation.invalid_rows == {3}
