"""Columns known by what their cells hold, where no header names them, or a header misleads."""

from __future__ import annotations

import pytest

from importer.check.content import Sample
from importer.check.mapping import map_columns
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.errors import MappingError


def test_a_memo_of_invoice_references_gives_the_invoice() -> None:
    """No invoice header: the column whose cells name invoices is read so, and said."""
    found = map_columns(
        ["Date", "Memo/Description", "Payment Method", "Amount"],
        DEFAULT_TEMPLATE,
        Sample(
            [
                ("10/02/2026", "Invoice 2001", "Check", "10.00"),
                ("10/03/2026", "INV-2003", "Cash", "12.00"),
                ("10/04/2026", "Inv #2005 deposit", "Cash", "14.00"),
            ]
        ),
    )
    assert (found.columns["invoice"], found.by_content) == (
        (1, "Memo/Description"),
        frozenset({"invoice"}),
    )
    assert found.notes == (
        "Column 'Memo/Description' gives the invoice number or id: no header names it, and its "
        "cells read so (such as 'Invoice 2001').",
    )


def test_an_amount_no_header_names_is_found_when_one_column_holds_amounts() -> None:
    """One column of amounts, none named: it is the amount, with a notice."""
    found = map_columns(
        ["Invoice", "Date", "Method", "Total £"],
        DEFAULT_TEMPLATE,
        Sample([("1001", "2026-10-03", "Cash", "£10.50"), ("1002", "2026-10-03", "Cash", "£12")]),
    )
    assert found.columns["amount"] == (3, "Total £")


def test_never_the_amount_when_two_columns_hold_amounts() -> None:
    """Before and after tax, neither named: the importer does not guess which was paid."""
    with pytest.raises(MappingError, match="No column gives the amount"):
        map_columns(
            ["Invoice", "Date", "Method", "Before tax", "After tax"],
            DEFAULT_TEMPLATE,
            Sample([("1001", "2026-10-03", "Cash", "10.50", "10.10")] * 3),
        )


def test_a_column_two_fields_could_claim_by_content_is_refused_naming_both() -> None:
    """Whole numbers with no header could be invoice numbers or amounts: refused, naming both."""
    with pytest.raises(MappingError) as caught:
        map_columns(
            ["Date", "Method", "No."],
            DEFAULT_TEMPLATE,
            Sample([("2026-10-03", "Cash", "1021"), ("2026-10-04", "Cash", "1022")]),
        )
    assert str(caught.value) == (
        "Column 'No.' could be the invoice number or id or the amount, by what its cells hold "
        "(such as '1021'), and the importer does not guess which. Give it a header such as "
        "'Invoice' or 'Amount'. Nothing was sent."
    )


def test_a_header_whose_cells_are_something_else_is_passed_over_for_another() -> None:
    """Square's 'Card' holds amounts: the last 4 digits are under 'PAN Suffix', and said."""
    found = map_columns(
        ["Date", "Total Collected", "Card", "Cash", "Card Brand", "PAN Suffix", "Description"],
        load_template("card-terminal"),
        Sample(
            [
                ("2026-11-24", "$1,450.75", "$1,450.75", "$0.00", "Visa", "4242", "Invoice 1071"),
                ("2026-11-19", "$180.00", "$0.00", "$180.00", "", "", "Invoice 1072"),
            ]
        ),
    )
    assert found.columns["card_last4"] == (5, "PAN Suffix")
    assert found.notes[0] == (
        "Column 'Card' is not the card last 4 digits: its cells (such as '$1,450.75') are not "
        "the last 4 digits of a card."
    )
    # "Card" and "Cash" hold each row's money: they say how each row was paid.
    assert {index: method.mode for index, method in found.tenders.items()} == {
        2: "card",
        3: "cash",
    }


def test_a_header_alone_keeps_its_column_whatever_its_cells() -> None:
    """A named column with no rival stays: its rows report what is wrong with each cell."""
    found = map_columns(
        ["Invoice", "Amount", "Date", "Method"],
        DEFAULT_TEMPLATE,
        Sample([("1001", "twelve", "2026-10-03", "Cash"), ("1002", "ten", "2026-10-03", "Cash")]),
    )
    assert found.columns["amount"] == (1, "Amount")
