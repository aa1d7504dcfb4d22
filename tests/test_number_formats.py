"""Zero-padded number formats: cheque and card digits typed as numbers keep the zeros shown."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from importer.check.rows import validate_file
from importer.check.templates import DEFAULT_TEMPLATE
from importer.read.files import load
from importer.read.layout import SourceRow
from importer.read.xlsx import zero_padding
from tests.conftest import DATA

PADDED = DATA / "zero-padded-numbers.xlsx"
SHOWN = [
    SourceRow("Deposit", 4, ("INV-1001", "1234.5", "2026-10-03", "Cheque", "000123", "")),
    SourceRow("Deposit", 5, ("INV-1002", "80", "2026-10-14", "Visa", "", "0042")),
    SourceRow("Deposit", 6, ("INV-1003", "12", "2026-10-15", "Cheque", "1234567", "")),
    SourceRow("Deposit", 7, ("INV-1004", "50", "2026-10-16", "Cheque", "000777", "")),
    SourceRow("Deposit", 8, ("INV-1005", "60", "2026-10-17", "Mastercard", "", "0000")),
]
# What calamine alone gives: the values without their format.
UNPADDED = [
    SourceRow(row.sheet, row.number, (*row.cells[:4], cheque, last4))
    for row, (cheque, last4) in zip(
        SHOWN,
        [("123", ""), ("", "42"), ("1234567", ""), ("000777", ""), ("", "0")],
        strict=True,
    )
]


def _rewritten(target: Path, part: str, content: bytes) -> Path:
    """A copy of the padded workbook with one part's bytes replaced."""
    with zipfile.ZipFile(PADDED) as source, zipfile.ZipFile(target, "w") as copy:
        for member in source.infolist():
            copy.writestr(member, content if member.filename == part else source.read(member))
    return target


def test_numbers_in_zero_padded_columns_load_as_excel_shows_them() -> None:
    """000000 and 0000 cells show their zeros; 0.00 amounts, text and wider numbers stay."""
    loaded = load(PADDED)
    assert (loaded.sheet, loaded.header_row) == ("Deposit", 3)
    assert loaded.columns == (
        "Invoice",
        "Amount",
        "Payment Date",
        "Method",
        "Cheque No.",
        "Last 4",
    )
    assert list(loaded.rows) == SHOWN


def test_zero_padded_numbers_validate_into_cheque_numbers_and_card_digits() -> None:
    """Cheque numbers and card last 4 digits reach the payment requests with their zeros."""
    validation = validate_file(load(PADDED), DEFAULT_TEMPLATE, today=date(2026, 11, 24))
    assert validation.problems == []
    assert [
        (
            payment.row,
            payment.cheque.number if payment.cheque else None,
            payment.card.last4 if payment.card else None,
        )
        for payment in validation.payments
    ] == [
        (4, "000123", None),
        (5, None, "0042"),
        (6, "1234567", None),
        (7, "000777", None),
        (8, None, "0000"),
    ]


def test_a_macro_enabled_workbook_is_padded_like_an_xlsx(tmp_path: Path) -> None:
    """An .xlsm, the same package as an .xlsx, shows the same zeros."""
    xlsm = tmp_path / "payments.xlsm"
    xlsm.write_bytes(PADDED.read_bytes())
    assert list(load(xlsm).rows) == SHOWN


def test_a_workbook_without_zero_padding_is_not_read_past_its_styles() -> None:
    """With no all-zeros format in styles.xml, no sheet's XML is read a second time."""
    assert zero_padding(DATA / "leading-zeros.xlsx") is None
    padding = zero_padding(PADDED)
    assert padding is not None
    assert (padding.widths, padding.parts) == (
        {3: 6, 4: 4},
        {"Deposit": "xl/worksheets/sheet1.xml"},
    )


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/worksheets/sheet1.xml"])
def test_a_crafted_part_costs_the_zeros_never_the_load(tmp_path: Path, part: str) -> None:
    """A DOCTYPE where Excel never writes one leaves the values unpadded but still loaded."""
    with zipfile.ZipFile(PADDED) as source:
        content = source.read(part)
    crafted = content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY zero "0">]>', 1)
    if crafted == content:
        crafted = b'<!DOCTYPE x [<!ENTITY zero "0">]>' + content
    assert list(load(_rewritten(tmp_path / "crafted.xlsx", part, crafted)).rows) == UNPADDED


def test_a_sheet_named_relative_to_the_workbook_is_found(tmp_path: Path) -> None:
    """Excel's relative part names ("worksheets/sheet1.xml") lead to the sheet as openpyxl's do."""
    part = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(PADDED) as source:
        relations = source.read(part)
    relative = relations.replace(b'Target="/xl/worksheets/', b'Target="worksheets/')
    assert relative != relations
    assert list(load(_rewritten(tmp_path / "excel.xlsx", part, relative)).rows) == SHOWN


def test_a_padded_cell_without_its_reference_is_left_unpadded(tmp_path: Path) -> None:
    """A padded cell that does not say where it is leaves the sheet as calamine reads it."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(PADDED) as source:
        content = source.read(part)
    unplaced = content.replace(b'<c r="F4" ', b"<c ")
    assert unplaced != content
    assert list(load(_rewritten(tmp_path / "unplaced.xlsx", part, unplaced)).rows) == UNPADDED
