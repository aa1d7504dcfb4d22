"""Zero-padded number formats: cheque and card digits typed as numbers keep the zeros shown."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.read.files import load
from importer.read.layout import SourceRow
from importer.read.padding import ods_padded_cells, xls_padded_cells
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


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_a_zero_padded_cheque_number_reads_the_same_from_every_format(suffix: str) -> None:
    """Cheques typed as numbers in a 000000 column read as shown, from XLSX, XLS and ODS alike;
    a number wider than the format is left as it is."""
    loaded = load(DATA / f"deposit-saved-as.{suffix}")
    assert [row.cells[4] for row in loaded.rows] == ["007001", "007002", "123456"]
    assert [row.cells[1] for row in loaded.rows] == ["400", "250.5", "100"]


def test_an_ods_with_a_padding_style_on_another_sheet_pads_only_that_sheet(tmp_path: Path) -> None:
    """The padding is read for the sheet read, cell by cell, with repeats counted."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0">'
        '<office:automatic-styles><number:number-style style:name="N4">'
        '<number:number number:min-integer-digits="4"/></number:number-style>'
        '<style:style style:name="c4" style:family="table-cell" style:data-style-name="N4"/>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        '<table:table table:name="Other"><table:table-row>'
        '<table:table-cell office:value-type="float" office:value="7" table:style-name="c4"/>'
        "</table:table-row></table:table>"
        '<table:table table:name="Payments">'
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:default-cell-style-name="c4"/>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell office:value-type="float" office:value="42"/>'
        '<table:table-cell office:value-type="float" office:value="42" table:style-name="c4"/>'
        '<table:table-cell office:value-type="string" table:style-name="c4"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    path = tmp_path / "book.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    assert ods_padded_cells(path, "Payments") == {(2, 2): 4, (2, 3): 4}
    assert ods_padded_cells(path, "Other") == {(0, 0): 4}
    assert ods_padded_cells(path, "Missing") == {}


def test_workbooks_without_padding_formats_are_read_as_before() -> None:
    """payments.xls and payments.ods hold no zero-padding format: nothing is padded."""
    assert xls_padded_cells(DATA / "payments.xls", "Payments") == {}
    assert ods_padded_cells(DATA / "payments.ods", "Payments") == {}


@pytest.mark.parametrize("name", ["garbage.xlsx", "damaged.xls", "web-page-named-xls.xls"])
def test_a_workbook_whose_formats_cannot_be_read_costs_the_zeros_not_the_load(name: str) -> None:
    """Whatever is wrong with the file, asking for its formats gives nothing, never an error."""
    assert xls_padded_cells(DATA / name, "Payments") == {}
    assert ods_padded_cells(DATA / name, "Payments") == {}


def test_an_ods_declaring_entities_is_not_parsed(tmp_path: Path) -> None:
    """ODF never declares a DOCTYPE: a styles part that does (its entities could expand a
    billion times) is left unread, whatever it holds, and costs the zeros only."""
    styles = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        '<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"><office:styles>'
        '<number:number-style style:name="N4"><number:number number:min-integer-digits="4"/>'
        '</number:number-style><style:style style:name="c4" style:family="table-cell" '
        'style:data-style-name="N4" style:display-name="&a;"/></office:styles>'
        "</office:document-styles>"
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="Payments"><table:table-row>'
        '<table:table-cell office:value-type="float" office:value="7" table:style-name="c4"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    path = tmp_path / "entities.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("styles.xml", styles)
        book.writestr("content.xml", content)
    assert ods_padded_cells(path, "Payments") == {}
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "styles.xml",
            styles.replace('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', "").replace("&a;", "c4"),
        )
        book.writestr("content.xml", content)
    assert ods_padded_cells(path, "Payments") == {(0, 0): 4}
